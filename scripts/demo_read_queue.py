"""Prints what the demo's SQS subscriber received from the report topic: each SNS envelope's Message (the
"sqs" variant of the MessageStructure=json publish) and, for comparison, what an email subscriber gets."""
import json
import sys

import boto3

endpoint, queue = sys.argv[1], sys.argv[2]
show_text = "--text" in sys.argv
sqs = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1") \
    .client("sqs", endpoint_url=endpoint)
received = []
while True:
    batch = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    if not batch:
        break
    received += batch
if not received:
    sys.exit("demo: the subscriber received no message")
if show_text:
    # An email subscriber gets the "default" variant; moto keeps every published message in its state dump
    # as [message id, message, subject, ...].
    import urllib.request
    state = json.load(urllib.request.urlopen(endpoint + "/moto-api/data.json"))
    for topic in state.get("sns", {}).get("Topic", []):
        for sent in topic.get("sent_notifications", [])[-len(received):]:
            print(f"As an email subscriber receives it (Subject: {sent[2]}):")
            print("    " + json.loads(sent[1])["default"].rstrip().replace("\n", "\n    "))
            print()
for m in received:
    envelope = json.loads(m["Body"])
    attributes = {k: v["Value"] for k, v in envelope.get("MessageAttributes", {}).items()}
    print(f"Subject: {envelope.get('Subject')}")
    print(f"Message attributes: {json.dumps(attributes, sort_keys=True)}")
    report = json.loads(envelope["Message"])
    print("Message (JSON, as an SQS/Lambda/HTTPS subscriber receives it), abridged to its summary and one repository:")
    abridged = {k: report[k] for k in ("invocation", "summary") if k in report}
    noncompliant = [r for r in report.get("repositories", []) if not r.get("compliant")]
    if noncompliant:
        abridged["repositories[0 of %d non-compliant]" % len(noncompliant)] = noncompliant[0]
    print(json.dumps(abridged, indent=2))
