"""Seeds a demo AWS Organization in the local emulator for `scripts/demo --organization`: in the hub (moto's default
account, the organization's management account) the organization, an OU "workloads" with three member accounts, the
report topic with an SQS subscriber and the organization function's work queue; in each member account the role the
hub assumes (member-role.yaml's ecr-oidc-guard-member), the GitHub OIDC provider and a few repositories with their
roles in various states. moto lets the hub assume a role in any account id (STS AssumeRole) and then serves that
account's IAM and ECR. Uses boto3 from the moto venv; talks only to the endpoint given.
  demo_seed_organization.py ENDPOINT GITHUB_ORG"""
import json
import sys

import boto3

endpoint, org = sys.argv[1], sys.argv[2]
session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
organizations = session.client("organizations", endpoint_url=endpoint)
sns = session.client("sns", endpoint_url=endpoint)
sqs = session.client("sqs", endpoint_url=endpoint)
sts = session.client("sts", endpoint_url=endpoint)
issuer = "token.actions.githubusercontent.com"
PUSH_PULL = ["ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:GetDownloadUrlForLayer",
             "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"]

organizations.create_organization(FeatureSet="ALL")
root = organizations.list_roots()["Roots"][0]["Id"]
ou = organizations.create_organizational_unit(ParentId=root, Name="workloads")["OrganizationalUnit"]["Id"]

# Per member account: (repository, state, trust subjects or None for no role, repository policy or None).
MEMBERS = {
    "payments-prod": [("payments-api", "compliant: the post's role", [f"repo:{org}/payments-api:*"], None),
                      ("ledger", "trust widened to the whole org", [f"repo:{org}/*"], None)],
    "data-platform": [("etl", "compliant: pinned to main", [f"repo:{org}/etl:ref:refs/heads/main"], None),
                      ("notebooks", "no role yet", None, None)],
    "web-frontend": [("storefront", "compliant: the post's role", [f"repo:{org}/storefront:*"], None),
                     ("assets", "repository policy open to everyone", [f"repo:{org}/assets:*"],
                      {"Version": "2012-10-17", "Statement": [{"Sid": "Anyone", "Effect": "Allow", "Principal": "*", "Action": "ecr:*"}]})],
}

accounts = {}
for name, repositories in MEMBERS.items():
    account = organizations.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]["AccountId"]
    organizations.move_account(AccountId=account, SourceParentId=root, DestinationParentId=ou)
    accounts[name] = account
    credentials = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                                  RoleSessionName="demo-seed")["Credentials"]
    member = boto3.session.Session(aws_access_key_id=credentials["AccessKeyId"], aws_secret_access_key=credentials["SecretAccessKey"],
                                   aws_session_token=credentials["SessionToken"], region_name="us-east-1")
    iam = member.client("iam", endpoint_url=endpoint)
    ecr = member.client("ecr", endpoint_url=endpoint)
    # The role member-role.yaml creates, trusting the hub's organization function (moto does not check the trust).
    iam.create_role(RoleName="ecr-oidc-guard-member", AssumeRolePolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                "Principal": {"AWS": "arn:aws:iam::123456789012:role/ecr-oidc-guard-organization"}}]}))
    provider = iam.create_open_id_connect_provider(Url="https://" + issuer, ClientIDList=["sts.amazonaws.com"],
                                                   ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])["OpenIDConnectProviderArn"]
    for repository, state, subjects, policy in repositories:
        arn = ecr.create_repository(repositoryName=repository)["repository"]["repositoryArn"]
        if policy:
            ecr.set_repository_policy(repositoryName=repository, policyText=json.dumps(policy))
        if subjects:
            role = f"github-actions-{repository}"
            iam.create_role(RoleName=role, Tags=[{"Key": "managed-by", "Value": "ecr-oidc-guard"}], AssumeRolePolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": provider},
                                                        "Action": "sts:AssumeRoleWithWebIdentity",
                                                        "Condition": {"StringEquals": {f"{issuer}:aud": "sts.amazonaws.com"},
                                                                      "StringLike": {f"{issuer}:sub": subjects}}}]}))
            iam.put_role_policy(RoleName=role, PolicyName="ecr-push-pull", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
                                                       {"Effect": "Allow", "Action": PUSH_PULL, "Resource": arn}]}))
        print(f"  {(name + ' (' + account + ')').ljust(30)}  {repository.ljust(14)}  {state}")

topic = sns.create_topic(Name="ecr-oidc-guard-reports")["TopicArn"]
queue = sqs.create_queue(QueueName="demo-subscriber")["QueueUrl"]
queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
work_queue = sqs.create_queue(QueueName="ecr-oidc-guard-work", Attributes={"VisibilityTimeout": "1800"})["QueueUrl"]
# The run ledger (template.yaml's OrganizationRunTable): the scheduled run records its units there and the worker
# that counts the last one publishes the organization's one roll-up message.
dynamodb = session.client("dynamodb", endpoint_url=endpoint)
dynamodb.create_table(TableName="ecr-oidc-guard-runs", BillingMode="PAY_PER_REQUEST",
                      AttributeDefinitions=[{"AttributeName": "runId", "AttributeType": "S"},
                                            {"AttributeName": "unitId", "AttributeType": "S"}],
                      KeySchema=[{"AttributeName": "runId", "KeyType": "HASH"},
                                 {"AttributeName": "unitId", "KeyType": "RANGE"}])
print(json.dumps({"topic": topic, "queue": queue, "work_queue": work_queue, "run_table": "ecr-oidc-guard-runs", "ou": ou, "accounts": accounts}), file=sys.stderr)
