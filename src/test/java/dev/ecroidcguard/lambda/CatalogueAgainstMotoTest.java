package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsAdapters;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.FindingCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The misconfiguration catalogue (§4 of the reference, {@code finding-codes.json}) seeded into ONE moto account
 * through the real SDK: one ECR repository per catalogue entry that IAM/ECR can express, plus compliant ones.
 * The scheduled scan runs through {@link ScanHandler} with the production adapters ({@link AwsAdapters}) pointed
 * at moto, MODE=report, NOTIFY_ON=always, and the report is read by an SQS queue subscribed to the SNS topic:
 * the assertions are on what a subscriber receives ({@code sqs} variant and message attributes).
 */
@ExtendWith(MotoServer.class)
class CatalogueAgainstMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = MotoServer.ACCOUNT_ID;
    private static final String OTHER_ACCOUNT = "210987654321";
    private static final String K = Baseline.GITHUB_ISSUER + ":";
    private static final String AUD = "\"StringEquals\":{\"" + K + "aud\":\"sts.amazonaws.com\"}";

    /** One catalogue entry: the repository seeded for it and the code the report must carry for that repository. */
    private record Entry(String repository, FindingCode expected, String drift, Consumer<CatalogueAgainstMotoTest> seed) {
    }

    private MotoServer.Moto moto;
    private AwsClients clients;
    private SqsClient sqs;
    private AccountSeeder seed;
    private String provider;
    private String topic;
    private String queueUrl;
    private final List<AwsClients> functionClients = new ArrayList<>();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

    /**
     * The catalogue, in its order. Repositories {@code compliant} and {@code payments} are the post's setup;
     * {@code payments}' role is the "other repository's role" of the bypass entries.
     */
    private static final List<Entry> CATALOGUE = List.of(
            // ---- 4.1 role / trust policy ----------------------------------------------------------------------
            new Entry("role-missing", FindingCode.ROLE_MISSING, "no github-actions-<repo> role",
                    t -> t.seed.repository("role-missing", Map.of())),
            new Entry("trust-no-github-principal", FindingCode.TRUST_NO_GITHUB_PRINCIPAL, "only an EC2 service principal, no GitHub provider",
                    t -> t.trust("trust-no-github-principal", """
                            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},\
                            "Action":"sts:AssumeRole"}]}""")),
            new Entry("trust-no-sub", FindingCode.TRUST_NO_SUB_CONDITION, "aud only, no sub condition",
                    t -> t.trust("trust-no-sub", t.github("{" + AUD + "}"))),
            new Entry("trust-second-statement-open", FindingCode.TRUST_NO_SUB_CONDITION, "the post's statement ORed with an aud-only one",
                    t -> t.trust("trust-second-statement-open", t.withSecondStatement("trust-second-statement-open",
                            "{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + t.provider + "\"},"
                                    + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{" + AUD + "}}"))),
            new Entry("trust-ifexists-misspelled", FindingCode.TRUST_NO_SUB_CONDITION, "StringLikeIfExists on a misspelled key (...:sub_claim)",
                    t -> t.trust("trust-ifexists-misspelled", t.github("{" + AUD + ",\"StringLikeIfExists\":{\"" + K
                            + "sub_claim\":\"repo:acme/trust-ifexists-misspelled:*\"}}"))),
            new Entry("trust-star", FindingCode.TRUST_SUB_WILDCARD_ANY, "sub StringLike *",
                    t -> t.trust("trust-star", t.githubSub("StringLike", "\"*\""))),
            new Entry("trust-repo-star", FindingCode.TRUST_SUB_WILDCARD_ANY, "sub StringLike repo:*",
                    t -> t.trust("trust-repo-star", t.githubSub("StringLike", "\"repo:*\""))),
            new Entry("trust-star-in-list", FindingCode.TRUST_SUB_WILDCARD_ANY, "[\"repo:acme/...:ref:refs/heads/main\", \"*\"]",
                    t -> t.trust("trust-star-in-list", t.githubSub("StringLike",
                            "[\"repo:acme/trust-star-in-list:ref:refs/heads/main\",\"*\"]"))),
            new Entry("trust-owner-wildcard", FindingCode.TRUST_SUB_OWNER_WILDCARD, "sub repo:acme* (acme-evil, acme2 ...)",
                    t -> t.trust("trust-owner-wildcard", t.githubSub("StringLike", "\"repo:acme*\""))),
            new Entry("trust-org-wide", FindingCode.TRUST_SUB_ORG_WIDE, "sub repo:acme/*",
                    t -> t.trust("trust-org-wide", t.githubSub("StringLike", "\"repo:acme/*\""))),
            new Entry("trust-owner-claim", FindingCode.TRUST_SUB_ORG_WIDE, "custom sub repository_owner:acme",
                    t -> t.trust("trust-owner-claim", t.githubSub("StringEquals", "\"repository_owner:acme\""))),
            new Entry("trust-repo-prefix", FindingCode.TRUST_SUB_REPO_PREFIX_WILDCARD, "sub repo:acme/trust-repo-prefix* (missing ':')",
                    t -> t.trust("trust-repo-prefix", t.githubSub("StringLike", "\"repo:acme/trust-repo-prefix*\""))),
            new Entry("trust-wrong-repo", FindingCode.TRUST_SUB_WRONG_REPO, "sub names payments (copy-paste)",
                    t -> t.trust("trust-wrong-repo", t.githubSub("StringLike", "\"repo:acme/payments:*\""))),
            new Entry("trust-wrong-owner", FindingCode.TRUST_SUB_WRONG_OWNER, "sub repo:acme-corp/... for owner acme",
                    t -> t.trust("trust-wrong-owner", t.githubSub("StringLike", "\"repo:acme-corp/trust-wrong-owner:*\""))),
            new Entry("trust-case-mismatch", FindingCode.TRUST_SUB_CASE_MISMATCH, "sub repo:ACME/... (GitHub's name is acme)",
                    t -> t.trust("trust-case-mismatch", t.githubSub("StringLike", "\"repo:ACME/trust-case-mismatch:*\""))),
            new Entry("trust-format-mismatch", FindingCode.TRUST_SUB_FORMAT_MISMATCH, "name-form sub for a repository minting immutable subjects",
                    t -> t.trust("trust-format-mismatch", Map.of("github:subject-format", "immutable", "github:owner-id", "654321",
                            "github:repository-id", "123456"), t.githubSub("StringLike", "\"repo:acme/trust-format-mismatch:*\""))),
            new Entry("trust-equals-star", FindingCode.TRUST_SUB_STRINGEQUALS_WILDCARD, "StringEquals with a * (literal)",
                    t -> t.trust("trust-equals-star", t.githubSub("StringEquals", "\"repo:acme/trust-equals-star:*\""))),
            new Entry("trust-negated", FindingCode.TRUST_SUB_NEGATED_OPERATOR, "StringNotLike as the only sub control",
                    t -> t.trust("trust-negated", t.githubSub("StringNotLike", "\"repo:evil/*\""))),
            new Entry("trust-key-malformed", FindingCode.TRUST_CONDITION_KEY_MALFORMED, "misspelled key ...:subject",
                    t -> t.trust("trust-key-malformed", t.github("{" + AUD + ",\"StringLike\":{\"" + K
                            + "subject\":\"repo:acme/trust-key-malformed:*\"}}"))),
            new Entry("trust-provider-mismatch", FindingCode.TRUST_PROVIDER_MISMATCH, "enterprise provider, public-issuer keys",
                    t -> t.trust("trust-provider-mismatch", t.githubWith(t.enterpriseProvider(), "{" + AUD + ",\"StringLike\":{\"" + K
                            + "sub\":\"repo:acme/trust-provider-mismatch:*\"}}"))),
            new Entry("trust-ifexists-env", FindingCode.TRUST_IFEXISTS_CONDITION, "StringEqualsIfExists environment=prod",
                    t -> t.trust("trust-ifexists-env", t.github("{\"StringEquals\":{\"" + K + "aud\":\"sts.amazonaws.com\"},"
                            + "\"StringLike\":{\"" + K + "sub\":\"repo:acme/trust-ifexists-env:*\"},"
                            + "\"StringEqualsIfExists\":{\"" + K + "environment\":\"prod\"}}"))),
            new Entry("trust-forallvalues", FindingCode.TRUST_FORALLVALUES, "ForAllValues:StringLike on sub",
                    t -> t.trust("trust-forallvalues", t.githubSub("ForAllValues:StringLike", "[\"repo:acme/trust-forallvalues:*\"]"))),
            new Entry("trust-foranyvalue", FindingCode.TRUST_SET_OPERATOR_SINGLE_VALUED, "ForAnyValue:StringLike on sub",
                    t -> t.trust("trust-foranyvalue", t.githubSub("ForAnyValue:StringLike", "[\"repo:acme/trust-foranyvalue:*\"]"))),
            new Entry("trust-principal-star", FindingCode.TRUST_PRINCIPAL_WILDCARD, "second statement: Principal * may sts:AssumeRole",
                    t -> t.trust("trust-principal-star", t.withSecondStatement("trust-principal-star",
                            "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"sts:AssumeRole\"}"))),
            new Entry("trust-other-account", FindingCode.TRUST_PRINCIPAL_OTHER_ACCOUNT, "second statement: another account's root",
                    t -> t.trust("trust-other-account", t.withSecondStatement("trust-other-account",
                            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OTHER_ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}"))),
            new Entry("trust-service", FindingCode.TRUST_PRINCIPAL_UNEXPECTED, "second statement: ec2.amazonaws.com",
                    t -> t.trust("trust-service", t.withSecondStatement("trust-service",
                            "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"))),
            new Entry("trust-not-principal", FindingCode.TRUST_NOT_PRINCIPAL, "second statement: Allow + NotPrincipal (legacy)",
                    t -> t.trust("trust-not-principal", t.withSecondStatement("trust-not-principal",
                            "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::" + OTHER_ACCOUNT + ":root\"},\"Action\":\"sts:AssumeRole\"}"))),
            new Entry("trust-not-action", FindingCode.TRUST_NOT_ACTION, "NotAction sts:AssumeRole for the GitHub provider",
                    t -> t.trust("trust-not-action", t.githubAction("\"NotAction\":\"sts:AssumeRole\"", "trust-not-action"))),
            new Entry("trust-sts-star", FindingCode.TRUST_ACTION_WILDCARD, "Action sts:*",
                    t -> t.trust("trust-sts-star", t.githubAction("\"Action\":\"sts:*\"", "trust-sts-star"))),
            new Entry("trust-assume-role", FindingCode.TRUST_ACTION_WRONG, "Action sts:AssumeRole only for the GitHub provider",
                    t -> t.trust("trust-assume-role", t.githubAction("\"Action\":\"sts:AssumeRole\"", "trust-assume-role"))),
            new Entry("trust-aud-missing", FindingCode.TRUST_AUD_MISSING, "sub pinned, no aud condition",
                    t -> t.trust("trust-aud-missing", t.github("{\"StringLike\":{\"" + K + "sub\":\"repo:acme/trust-aud-missing:*\"}}"))),
            new Entry("trust-aud-wrong", FindingCode.TRUST_AUD_WRONG, "aud https://github.com/acme",
                    t -> t.trust("trust-aud-wrong", t.github("{\"StringEquals\":{\"" + K + "aud\":\"https://github.com/acme\"},"
                            + "\"StringLike\":{\"" + K + "sub\":\"repo:acme/trust-aud-wrong:*\"}}"))),
            new Entry("trust-spoofable", FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, "sub environment:prod (custom template, no repo)",
                    t -> t.trust("trust-spoofable", t.githubSub("StringEquals", "\"environment:prod\""))),

            new Entry("trust-workflow-ref-only", FindingCode.TRUST_SUB_SPOOFABLE_CLAIM, "only a job_workflow_ref condition (callable from anywhere)",
                    t -> t.trust("trust-workflow-ref-only", t.github("{" + AUD + ",\"StringLike\":{\"" + K
                            + "job_workflow_ref\":\"acme/workflows/.github/workflows/push.yml@*\"}}"))),
            // ---- 4.2 permission policies ----------------------------------------------------------------------
            new Entry("perm-admin", FindingCode.PERM_ADMIN, "AdministratorAccess-like Action * on *",
                    t -> t.permissions("perm-admin", statements("{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}"))),
            // SKIPPED in moto: "AdministratorAccess / PowerUserAccess attached" (PERM_ADMIN via an AWS managed policy).
            // moto 5.2.5 loads no AWS managed policies unless the server runs with MOTO_IAM_LOAD_MANAGED_POLICIES=true
            // (AttachRolePolicy answers NoSuchEntity), and the shared MotoServer does not; PermissionsCheckTest covers
            // the managed documents. The Action "*" entry below is the same family.
            new Entry("perm-non-ecr", FindingCode.PERM_NON_ECR_ACTIONS, "push/pull plus s3:GetObject and iam:PassRole",
                    t -> t.permissions("perm-non-ecr", t.pushPullPlus("perm-non-ecr",
                            "{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\",\"iam:PassRole\"],\"Resource\":\"*\"}"))),
            new Entry("perm-ecr-star", FindingCode.PERM_ECR_ALL_REPOS_WRITE, "ecr:* on *",
                    t -> t.permissions("perm-ecr-star", statements("{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}"))),
            // SKIPPED in moto: AmazonEC2ContainerRegistryPowerUser/FullAccess attached, for the same reason as
            // AdministratorAccess above; "ecr:* on *" and the NotResource entry carry PERM_ECR_ALL_REPOS_WRITE here.
            new Entry("perm-all-via-not-resource", FindingCode.PERM_ECR_ALL_REPOS_WRITE, "push with NotResource of a non-ECR ARN",
                    t -> t.permissions("perm-all-via-not-resource", statements(
                            "{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}",
                            "{\"Effect\":\"Allow\",\"Action\":" + actions(Baseline.PUSH_PULL_ACTIONS)
                                    + ",\"NotResource\":\"arn:aws:s3:::build-cache/*\"}"))),
            new Entry("perm-wrong-repo", FindingCode.PERM_ECR_WRONG_REPO, "push/pull on payments instead",
                    t -> t.permissions("perm-wrong-repo", Baseline.pushPullPolicy(repositoryArn("payments")))),
            new Entry("perm-repo-wildcard", FindingCode.PERM_ECR_REPO_WILDCARD, "push/pull on repository/perm-repo-wildcard*",
                    t -> t.permissions("perm-repo-wildcard", Baseline.pushPullPolicy(repositoryArn("perm-repo-wildcard*")))),
            new Entry("perm-excessive", FindingCode.PERM_ECR_EXCESSIVE_ACTIONS, "SetRepositoryPolicy and DeleteRepository on its repository",
                    t -> t.permissions("perm-excessive", t.pushPullPlus("perm-excessive", "{\"Effect\":\"Allow\",\"Action\":"
                            + "[\"ecr:SetRepositoryPolicy\",\"ecr:DeleteRepository\"],\"Resource\":\"" + repositoryArn("perm-excessive") + "\"}"))),
            new Entry("perm-read-all", FindingCode.PERM_ECR_READ_ALL_REPOS, "pull on every repository",
                    t -> t.permissions("perm-read-all", t.pushPullPlus("perm-read-all", "{\"Effect\":\"Allow\",\"Action\":"
                            + "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"],\"Resource\":\"*\"}"))),
            new Entry("perm-not-resource", FindingCode.PERM_NOT_RESOURCE, "Allow push with NotResource",
                    t -> t.permissions("perm-not-resource", statements(
                            "{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}",
                            "{\"Effect\":\"Allow\",\"Action\":" + actions(Baseline.PUSH_PULL_ACTIONS) + ",\"NotResource\":\""
                                    + repositoryArn("payments") + "\"}"))),
            new Entry("perm-no-auth-token", FindingCode.PERM_MISSING_AUTH_TOKEN, "no ecr:GetAuthorizationToken",
                    t -> t.permissions("perm-no-auth-token", statements("{\"Effect\":\"Allow\",\"Action\":" + actions(Baseline.PUSH_PULL_ACTIONS)
                            + ",\"Resource\":\"" + repositoryArn("perm-no-auth-token") + "\"}"))),
            new Entry("perm-no-push", FindingCode.PERM_MISSING_PUSH_ACTIONS, "pull only",
                    t -> t.permissions("perm-no-push", statements(
                            "{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}",
                            "{\"Effect\":\"Allow\",\"Action\":" + actions(Baseline.PULL_ACTIONS) + ",\"Resource\":\""
                                    + repositoryArn("perm-no-push") + "\"}"))),

            // ---- 4.3 ECR repository policy (the bypass) ------------------------------------------------------
            new Entry("ecr-public-write", FindingCode.ECR_POLICY_PUBLIC_WRITE, "Principal * may push",
                    t -> t.repositoryPolicy("ecr-public-write", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":" + actions(Baseline.PUSH_ACTIONS) + "}")),
            new Entry("ecr-public-read", FindingCode.ECR_POLICY_PUBLIC_READ, "Principal * may pull",
                    t -> t.repositoryPolicy("ecr-public-read", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":" + actions(Baseline.PULL_ACTIONS) + "}")),
            new Entry("ecr-broad-write", FindingCode.ECR_POLICY_BROAD_WRITE, "Principal * narrowed only by aws:PrincipalAccount",
                    t -> t.repositoryPolicy("ecr-broad-write", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":" + actions(Baseline.PUSH_ACTIONS)
                            + ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalAccount\":\"" + ACCOUNT + "\"}}}")),
            new Entry("ecr-cross-account", FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, "another account's root may push",
                    t -> t.repositoryPolicy("ecr-cross-account", "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::" + OTHER_ACCOUNT
                            + ":root\"},\"Action\":" + actions(Baseline.PUSH_ACTIONS) + "}")),
            new Entry("ecr-other-role", FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, "payments' role may push (the blog comment's bypass)",
                    t -> t.repositoryPolicy("ecr-other-role", "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + AccountSeeder.roleArn("payments")
                            + "\"},\"Action\":" + actions(Baseline.PUSH_ACTIONS) + "}")),
            new Entry("ecr-principal-arn-pattern", FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, "Principal * with ArnLike aws:PrincipalArn role/github-actions-*",
                    t -> t.repositoryPolicy("ecr-principal-arn-pattern", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                            + actions(Baseline.PUSH_ACTIONS) + ",\"Condition\":{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::" + ACCOUNT
                            + ":role/github-actions-*\"}}}")),
            new Entry("ecr-federated", FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL, "Principal Federated = the GitHub provider",
                    t -> t.repositoryPolicy("ecr-federated", "{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + t.provider
                            + "\"},\"Action\":" + actions(Baseline.PUSH_ACTIONS) + "}")),
            new Entry("ecr-federated-provider-key", FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL, "Principal * with aws:FederatedProvider = the GitHub provider, pull only (push: ECR_POLICY_OTHER_ROLE_WRITE)",
                    t -> t.repositoryPolicy("ecr-federated-provider-key", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
                            + actions(Baseline.PULL_ACTIONS) + ",\"Condition\":{\"StringEquals\":{\"aws:FederatedProvider\":\"" + t.provider + "\"}}}")),
            new Entry("ecr-not-principal", FindingCode.ECR_POLICY_NOT_PRINCIPAL, "Allow + NotPrincipal",
                    t -> t.repositoryPolicy("ecr-not-principal", "{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\""
                            + AccountSeeder.roleArn("ecr-not-principal") + "\"},\"Action\":" + actions(Baseline.PULL_ACTIONS) + "}")),
            new Entry("ecr-excessive", FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS, "its own role granted ecr:* by the repository policy",
                    t -> t.repositoryPolicy("ecr-excessive", "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                            + AccountSeeder.roleArn("ecr-excessive") + "\"},\"Action\":\"ecr:*\"}")),
            new Entry("ecr-service", FindingCode.ECR_POLICY_SERVICE_NO_SOURCE_CONDITION, "lambda.amazonaws.com without aws:SourceArn",
                    t -> t.repositoryPolicy("ecr-service", "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},"
                            + "\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\"]}")),
            new Entry("ecr-denies-push", FindingCode.ECR_POLICY_DENIES_PUSH, "Deny ecr:PutImage to its own role",
                    t -> t.repositoryPolicy("ecr-denies-push", "{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\""
                            + AccountSeeder.roleArn("ecr-denies-push") + "\"},\"Action\":\"ecr:PutImage\"}")),

            // ---- 4.4 duplicate JSON keys: IAM keeps one of two "StringLike" blocks, so the document cannot be judged
            new Entry("duplicate-condition-key", FindingCode.POLICY_MALFORMED, "two StringLike blocks in one Condition",
                    t -> t.trust("duplicate-condition-key", t.github("{" + AUD + ",\"StringLike\":{\"" + K
                            + "sub\":\"repo:acme/duplicate-condition-key:*\"},\"StringLike\":{\"" + K + "sub\":\"repo:acme/*\"}}"))));

    /** The post's setup, in several canonical shapes; none may carry a finding. */
    private static final List<String> COMPLIANT = List.of("compliant", "payments");

    @BeforeEach
    void account(MotoServer.Moto moto) {
        this.moto = moto;
        clients = moto.clients();
        sqs = SqsClient.builder().region(MotoServer.REGION).endpointOverride(moto.endpoint()).credentialsProvider(moto.credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        seed = new AccountSeeder(clients);
        provider = seed.githubProvider();
        topic = clients.sns().createTopic(r -> r.name("ecr-oidc-guard-reports")).topicArn();
        queueUrl = sqs.createQueue(r -> r.queueName("report-subscriber")).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        clients.sns().subscribe(r -> r.topicArn(topic).protocol("sqs").endpoint(queueArn));
    }

    @AfterEach
    void close() {
        functionClients.forEach(AwsClients::close);
        sqs.close();
        clients.close();
    }

    @Test
    void everyCatalogueEntryIsReportedForItsRepositoryAndTheSubscriberReceivesTheSameFindings() throws Exception {
        COMPLIANT.forEach(r -> seed.compliant(r, Map.of(), provider));
        CATALOGUE.forEach(e -> e.seed().accept(this));

        InvocationResult result = handler("NOTIFY_ON", "always").handleRequest(EventRoutingTest.event("scheduled.json"), null);

        assertThat(result.status()).isEqualTo("scanned");
        assertThat(result.repositories()).isEqualTo(CATALOGUE.size() + COMPLIANT.size());
        assertThat(result.notEvaluated()).isZero();

        List<JsonNode> envelopes = receiveAllParts();
        // 58 entries make two SNS parts: the findings must travel across the split.
        assertThat(envelopes).hasSize(result.notificationParts());
        Map<String, Set<String>> received = findingCodesByRepository(envelopes);

        Map<String, String> missing = new TreeMap<>();
        for (Entry e : CATALOGUE) {
            Set<String> codes = received.getOrDefault(e.repository(), Set.of());
            if (!codes.contains(e.expected().name())) {
                missing.put(e.repository(), "expected " + e.expected() + " (" + e.drift() + "), got " + codes);
            }
        }
        assertThat(missing).as("catalogue entries whose code the subscriber did not receive").isEmpty();
        for (String compliant : COMPLIANT) {
            assertThat(received.getOrDefault(compliant, Set.of())).as(compliant).isEmpty();
        }

        // Every finding the subscriber receives, the function counted; the attributes say how bad and how many.
        int total = received.values().stream().mapToInt(Set::size).sum();
        int findings = 0;
        for (JsonNode env : envelopes) {
            for (JsonNode repo : sqsVariant(env).get("repositories")) {
                findings += repo.get("findings").size();
            }
        }
        assertThat(findings).isEqualTo(result.findings()).isGreaterThanOrEqualTo(total);
        assertThat(result.highestSeverity()).isEqualTo("CRITICAL");
        for (JsonNode env : envelopes) {
            JsonNode attributes = env.get("MessageAttributes");
            assertThat(attributes.path("severity").path("Value").asText()).isEqualTo("CRITICAL");
            assertThat(attributes.path("findingCount").path("Value").asText()).isEqualTo(Integer.toString(result.findings()));
            assertThat(attributes.path("account").path("Value").asText()).isEqualTo(ACCOUNT);
            assertThat(env.get("TopicArn").asText()).isEqualTo(topic);
            assertThat(sqsVariant(env).get("invocation").get("mode").asText()).isEqualTo("report");
        }
    }

    @Test
    void aFullyCompliantAccountHasNoFindingsAndNotifyOnFindingsPublishesNothing() throws Exception {
        // The post's role; a role pinned to main; a repository minting immutable subjects; a role whose
        // permissions are a customer managed policy instead of an inline one; a repository policy naming only its own role.
        seed.compliant("web-api", Map.of(), provider);
        String pinned = AccountSeeder.roleName("payments");
        String paymentsArn = seed.repository("payments", Map.of());
        seed.role(pinned, github(provider, "{\"StringEquals\":{\"" + K + "aud\":\"sts.amazonaws.com\",\"" + K
                + "sub\":\"repo:acme/payments:ref:refs/heads/main\"}}"), Map.of());
        seed.inlinePolicy(pinned, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(paymentsArn));
        seed.compliant("checkout", Map.of("github:repository", "acme/Checkout", "github:owner-id", "654321",
                "github:repository-id", "123456", "github:subject-format", "immutable"), provider);
        String managedArn = seed.repository("billing", Map.of());
        String billing = AccountSeeder.roleName("billing");
        seed.role(billing, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("billing", Map.of())), Map.of());
        seed.attach(billing, seed.managedPolicy("billing-push-pull", List.of(Baseline.pushPullPolicy(managedArn))));
        seed.compliant("search", Map.of(), provider);
        seed.repositoryPolicy("search", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"OwnCi\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"" + AccountSeeder.roleArn("search") + "\"},\"Action\":" + actions(Baseline.PUSH_PULL_ACTIONS) + "}]}");

        InvocationResult findingsOnly = handler().handleRequest(EventRoutingTest.event("scheduled.json"), null);
        assertThat(findingsOnly.status()).isEqualTo("scanned");
        assertThat(findingsOnly.repositories()).isEqualTo(5);
        assertThat(findingsOnly.findings()).isZero();
        assertThat(findingsOnly.notEvaluated()).isZero();
        assertThat(findingsOnly.notificationParts()).isZero();
        assertThat(receive(3)).as("NOTIFY_ON=findings with nothing found publishes nothing").isEmpty();

        // The same account with NOTIFY_ON=always: the subscriber receives a report of five compliant repositories.
        InvocationResult always = handler("NOTIFY_ON", "always").handleRequest(EventRoutingTest.event("scheduled.json"), null);
        assertThat(always.findings()).isZero();
        List<JsonNode> envelopes = receiveAllParts();
        JsonNode report = sqsVariant(envelopes.getFirst());
        assertThat(report.get("summary").get("compliant").asInt()).isEqualTo(5);
        assertThat(findingCodesByRepository(envelopes).values()).allSatisfy(codes -> assertThat(codes).isEmpty());
        assertThat(envelopes.getFirst().get("MessageAttributes").path("findingCount").path("Value").asText()).isEqualTo("0");
        assertThat(envelopes.getFirst().get("MessageAttributes").path("severity").path("Value").asText()).isEqualTo("NONE");
    }

    // ---- seeding -------------------------------------------------------------------------------------------

    /** A repository whose role has {@code trust} and the post's push/pull permissions. */
    private void trust(String repository, String trust) {
        trust(repository, Map.of(), trust);
    }

    private void trust(String repository, Map<String, String> tags, String trust) {
        String arn = seed.repository(repository, tags);
        String role = AccountSeeder.roleName(repository);
        seed.role(role, trust, Map.of());
        seed.inlinePolicy(role, Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(arn));
    }

    /** A repository whose role has the post's trust and {@code permissions} as its only inline policy. */
    private void permissions(String repository, String permissions) {
        seed.repository(repository, Map.of());
        String role = AccountSeeder.roleName(repository);
        seed.role(role, Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github(repository, Map.of())), Map.of());
        seed.inlinePolicy(role, "ci-permissions", permissions);
    }

    /** The post's setup for {@code repository} plus a repository policy of {@code statement}. */
    private void repositoryPolicy(String repository, String statement) {
        seed.compliant(repository, Map.of(), provider);
        seed.repositoryPolicy(repository, statements(statement));
    }

    private String github(String condition) {
        return github(provider, condition);
    }

    private String githubWith(String providerArn, String condition) {
        return github(providerArn, condition);
    }

    private static String github(String providerArn, String condition) {
        return statements("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + providerArn + "\"},"
                + "\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":" + condition + "}");
    }

    /**
     * The GitHub statement with aud pinned and the sub condition {@code operator: value}. A StringEquals sub goes
     * into the aud's StringEquals block: two "StringEquals" keys would be a duplicate-key document (reported as
     * POLICY_MALFORMED, catalogue 4.4), not the entry under test.
     */
    private String githubSub(String operator, String value) {
        if (operator.equals("StringEquals")) {
            return github("{\"StringEquals\":{\"" + K + "aud\":\"sts.amazonaws.com\",\"" + K + "sub\":" + value + "}}");
        }
        return github("{" + AUD + ",\"" + operator + "\":{\"" + K + "sub\":" + value + "}}");
    }

    /** The post's GitHub statement with {@code action} (e.g. {@code "Action":"sts:*"}) instead of its Action. */
    private String githubAction(String action, String repository) {
        return statements("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"" + provider + "\"}," + action + ","
                + "\"Condition\":{" + AUD + ",\"StringLike\":{\"" + K + "sub\":\"repo:acme/" + repository + ":*\"}}}");
    }

    /** The post's trust for {@code repository} with {@code statement} appended (statements are ORed). */
    private String withSecondStatement(String repository, String statement) {
        String post = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github(repository, Map.of()));
        int end = post.lastIndexOf(']');
        return post.substring(0, end) + "," + statement + post.substring(end);
    }

    /** An enterprise-issuer provider (token.actions.githubusercontent.com/acme-ent); created once. */
    private String enterpriseProvider() {
        return clients.iam().createOpenIDConnectProvider(r -> r.url("https://" + Baseline.GITHUB_ISSUER + "/acme-ent")
                .clientIDList(Baseline.AUDIENCE).thumbprintList("6938fd4d98bab03faadb97b34396831e3780aea1")).openIDConnectProviderArn();
    }

    /** The post's two statements for {@code repository} plus {@code extra}. */
    private String pushPullPlus(String repository, String extra) {
        String post = Baseline.pushPullPolicy(repositoryArn(repository));
        int end = post.lastIndexOf(']');
        return post.substring(0, end) + "," + extra + post.substring(end);
    }

    private static String statements(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String actions(List<String> actions) {
        return actions.stream().map(a -> "\"" + a + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    private static String repositoryArn(String repository) {
        return "arn:aws:ecr:" + MotoServer.REGION.id() + ":" + ACCOUNT + ":repository/" + repository;
    }

    // ---- the function and the subscriber -------------------------------------------------------------------

    /** The handler as production wires it (FunctionConfig from the environment, AwsAdapters), with clients on moto. */
    private ScanHandler handler(String... overrides) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "SNS_TOPIC_ARN", topic, "MODE", "report",
                "AWS_REGION", MotoServer.REGION.id()));
        for (int i = 0; i < overrides.length; i += 2) {
            env.put(overrides[i], overrides[i + 1]);
        }
        return new ScanHandler(env, () -> config -> {
            AwsClients c = moto.clients();
            functionClients.add(c);
            return ScanHandler.awsAdapters(config, c);
        }, new PrintStream(stdout, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    /** Every part of one published report, as SNS envelopes delivered to the queue. */
    private List<JsonNode> receiveAllParts() throws Exception {
        List<JsonNode> envelopes = new ArrayList<>();
        int expected = 1;
        for (int attempt = 0; attempt < 20 && envelopes.size() < expected; attempt++) {
            envelopes.addAll(receive(1));
            if (!envelopes.isEmpty()) {
                expected = sqsVariant(envelopes.getFirst()).get("part").get("of").asInt();
            }
        }
        assertThat(envelopes).as("parts received").hasSize(expected);
        envelopes.sort(java.util.Comparator.comparingInt(e -> {
            try {
                return sqsVariant(e).get("part").get("number").asInt();
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        }));
        return envelopes;
    }

    private List<JsonNode> receive(int waitSeconds) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(waitSeconds)).messages()) {
            out.add(JSON.readTree(m.body()));
            sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
        }
        return out;
    }

    /** The envelope's Message: the {@code sqs} variant of the report (MessageStructure=json). */
    private static JsonNode sqsVariant(JsonNode envelope) throws Exception {
        return JSON.readTree(envelope.get("Message").asText());
    }

    private static Map<String, Set<String>> findingCodesByRepository(List<JsonNode> envelopes) throws Exception {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (JsonNode env : envelopes) {
            for (JsonNode repo : sqsVariant(env).get("repositories")) {
                Set<String> codes = out.computeIfAbsent(repo.get("repository").asText(), k -> new TreeSet<>());
                repo.get("findings").forEach(f -> codes.add(f.get("code").asText()));
            }
        }
        return out;
    }
}
