"""Plays the SQS event source mapping for `scripts/demo --organization`: receives up to BATCH messages of the work
queue, invokes the organization function with them as one SQS event (the command given, its argument EVENT replaced
by the event file; its log appended to LOG), deletes what the answer does not hand back (batchItemFailures), until the
queue is empty. A handed-back message is deleted too and reported (in AWS it would be retried, then dead-lettered).
Then prints each account's result from the function's embedded-metric-format lines.
  demo_drain_queue.py ENDPOINT WORK_QUEUE_URL BATCH LOG -- COMMAND..."""
import json
import os
import subprocess
import sys
import tempfile

import boto3

endpoint, queue, batch, log = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
command = sys.argv[sys.argv.index("--") + 1:]
sqs = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1") \
    .client("sqs", endpoint_url=endpoint)
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

invocation = 0
while True:
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=batch, VisibilityTimeout=600).get("Messages", [])
    if not messages:
        break
    invocation += 1
    records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"], "attributes": {},
                "messageAttributes": {}, "md5OfBody": m["MD5OfBody"], "eventSource": "aws:sqs", "eventSourceARN": queue_arn,
                "awsRegion": "us-east-1"} for m in messages]
    accounts = [json.loads(m["Body"]).get("accountId", "?") for m in messages]
    print(f"worker invocation {invocation}: SQS batch of {len(messages)} (accounts {', '.join(accounts)})", flush=True)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as event:
        json.dump({"Records": records}, event)
    try:
        with open(log, "a") as err:
            answer = subprocess.run([event.name if a == "EVENT" else a for a in command], stdout=subprocess.PIPE, stderr=err, text=True, check=True).stdout
    finally:
        os.unlink(event.name)
    failures = {f["itemIdentifier"] for f in json.loads(answer).get("batchItemFailures", [])}
    print(f"  answer: {answer.strip()}")
    for m in messages:
        if m["MessageId"] in failures:
            print(f"  handed back: {m['Body']}")
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=m["ReceiptHandle"])

print()
print("per-account results (the worker's embedded-metric-format lines, namespace ecr-oidc-guard):")
print(f"  {'account':12}  {'repositories':>12}  {'findings':>8}  {'critical':>8}  {'high':>4}  {'broken':>6}  {'not evaluated':>13}  {'ms':>6}")
with open(log) as lines:
    for line in lines:
        start = line.find("{")
        if start < 0:
            continue
        try:
            record = json.loads(line[start:])
        except ValueError:
            continue
        if record.get("type") == "metrics":
            not_evaluated = "account" if record["AccountNotEvaluated"] else str(record["NotEvaluated"])
            print(f"  {record['AccountId']:12}  {record['Repositories']:>12}  {record['Findings']:>8}  {record['FindingsCritical']:>8}  "
                  f"{record['FindingsHigh']:>4}  {record['FindingsBroken']:>6}  {not_evaluated:>13}  {record['DurationMs']:>6}")
