"""Seeds a demo account in the local emulator: a dozen ECR repositories and their GitHub Actions roles in
various states of drift (see README, "Demo"), the report topic events/env.json names and an SQS queue subscribed
to it. With --sample-events, also what the samples in events/ name: repositories testrepo and deploy and their
roles, in the state the events describe. Uses boto3 from the moto venv; talks only to the endpoint given.
  demo_seed.py ENDPOINT GITHUB_ORG [--sample-events]"""
import json
import sys

import boto3

endpoint, org = sys.argv[1], sys.argv[2]
sample_events = sys.argv[3:] == ["--sample-events"]
if sys.argv[3:] and not sample_events:
    sys.exit("usage: demo_seed.py ENDPOINT GITHUB_ORG [--sample-events]")
session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
iam = session.client("iam", endpoint_url=endpoint)
ecr = session.client("ecr", endpoint_url=endpoint)
sns = session.client("sns", endpoint_url=endpoint)
sqs = session.client("sqs", endpoint_url=endpoint)
account = session.client("sts", endpoint_url=endpoint).get_caller_identity()["Account"]
issuer = "token.actions.githubusercontent.com"
provider = iam.create_open_id_connect_provider(Url="https://" + issuer, ClientIDList=["sts.amazonaws.com"],
                                               ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])["OpenIDConnectProviderArn"]
PUSH_PULL = ["ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
             "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]


def repo_arn(name):
    return f"arn:aws:ecr:us-east-1:{account}:repository/{name}"


def trust(*subs, condition=None):
    cond = condition or {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"}, "StringLike": {f"{issuer}:sub": list(subs)}}
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": provider},
                                                    "Action": "sts:AssumeRoleWithWebIdentity", "Condition": cond}]}


def push_pull(name):
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
        {"Effect": "Allow", "Action": PUSH_PULL, "Resource": repo_arn(name)}]}


def repository(name, tags=None, policy=None):
    ecr.create_repository(repositoryName=name, tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()])
    if policy:
        ecr.set_repository_policy(repositoryName=name, policyText=json.dumps(policy))


def role(name, trust_policy, permissions=None):
    # The demo's roles are adopted: the guard only ever writes roles tagged managed-by=ecr-oidc-guard (those it
    # created, or those a person with IAM rights adopted), never a role that is merely named like its own.
    iam.create_role(RoleName=f"github-actions-{name}", AssumeRolePolicyDocument=json.dumps(trust_policy),
                    Tags=[{"Key": "managed-by", "Value": "ecr-oidc-guard"}])
    if permissions:
        iam.put_role_policy(RoleName=f"github-actions-{name}", PolicyName="ecr-push-pull", PolicyDocument=json.dumps(permissions))


def role_arn(name):
    return f"arn:aws:iam::{account}:role/github-actions-{name}"


states = []


def seed(name, state, trust_policy=None, permissions="canonical", tags=None, policy=None):
    repository(name, tags, policy)
    if trust_policy is not None:
        role(name, trust_policy, push_pull(name) if permissions == "canonical" else permissions)
    states.append((name, state))


seed("web-api", "compliant: the post's role", trust(f"repo:{org}/web-api:*"))
seed("payments", "compliant: pinned to main", trust(f"repo:{org}/payments:ref:refs/heads/main"))
seed("checkout", "compliant: immutable subjects", trust(f"repo:{org}@1342004/checkout@892177:*"),
     tags={"github:owner-id": "1342004", "github:repository-id": "892177", "github:subject-format": "immutable"})
seed("billing", "trust widened to the whole org", trust(f"repo:{org}/*"))
seed("legacy-app", "trust with no repository condition", trust(condition={"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"}}))
seed("auth", "repository-name prefix wildcard", trust(f"repo:{org}/auth*"))
seed("ml-models", "lowercased owner (never matches)", trust(f"repo:{org.lower()}/ml-models:*"))
seed("search", "permissions grown to ecr:* on *", trust(f"repo:{org}/search:*"),
     permissions={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*", "Resource": "*"}]})
seed("reports", "repository policy lets payments' role push (the bypass)", trust(f"repo:{org}/reports:*"),
     policy={"Version": "2012-10-17", "Statement": [{"Sid": "PaymentsCI", "Effect": "Allow", "Principal": {"AWS": role_arn("payments")},
                                                      "Action": ["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                                                                 "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability"]}]})
seed("images", "repository policy open to everyone", trust(f"repo:{org}/images:*"),
     policy={"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]})
seed("frontend", "no role yet (created before the tool was deployed)")
seed("worker", "environment gate under IfExists", trust(condition={
    "StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"}, "StringLike": {f"{issuer}:sub": f"repo:{org}/worker:*"},
    "StringEqualsIfExists": {f"{issuer}:environment": "production"}}))
role("retired-service", trust(f"repo:{org}/retired-service:*"), push_pull("retired-service"))
states.append(("(role github-actions-retired-service)", "orphan: its repository was deleted"))

if sample_events:
    # events/iam-update-assume-role-policy.json: github-actions-deploy now trusts another owner's repository.
    seed("deploy", "sample events: trust set to octo-org/octo-repo (iam-update-assume-role-policy.json)",
         trust("repo:octo-org/octo-repo:*"))
    # events/ecr-set-repository-policy.json lets github-actions-deploy push to testrepo. (The AWS-managed policy
    # iam-attach-role-policy.json attaches to github-actions-testrepo is not in moto unless it loads them all.)
    seed("testrepo", "sample events: repository policy lets deploy's role push (ecr-set-repository-policy.json)",
         trust(f"repo:{org}/testrepo:*"),
         policy={"Version": "2012-10-17", "Statement": [{"Sid": "AllowPushPull", "Effect": "Allow",
                                                          "Principal": {"AWS": role_arn("deploy")}, "Action": PUSH_PULL}]})

topic = sns.create_topic(Name="ecr-oidc-guard-reports")["TopicArn"]
queue = sqs.create_queue(QueueName="demo-subscriber")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

width = max(len(n) for n, _ in states)
for name, state in states:
    print(f"  {name.ljust(width)}  {state}")
print(json.dumps({"topic": topic, "queue": queue}), file=sys.stderr)
