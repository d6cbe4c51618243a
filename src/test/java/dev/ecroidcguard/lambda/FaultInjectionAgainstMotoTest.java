package dev.ecroidcguard.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.aws.AccountSeeder;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.aws.AwsInventorySource;
import dev.ecroidcguard.aws.FaultProxy;
import dev.ecroidcguard.aws.MotoServer;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Severity;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.ports.Adapters;
import dev.ecroidcguard.ports.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 12 (reliability): the scheduled scan in MODE=remediate, every class enabled, with a fault-injecting proxy
 * between the function and moto (throttling in each service's protocol, 500/503, connection resets, answers
 * lost after the write was applied, delays), at fixed seeds and two rates. Whatever goes wrong:
 * <ul>
 *   <li>the invocation returns (no exception escapes) and a report is published;</li>
 *   <li>every repository is evaluated or listed as not evaluated with a reason;</li>
 *   <li>every document is byte-identical to before, or fixed: the class it belongs to has no finding left;</li>
 *   <li>every document that changed appears as a change in the report or in the function's log.</li>
 * </ul>
 * {@code scripts/fault-soak} runs the same with more seeds, rates and a larger account.
 */
@ExtendWith(MotoServer.class)
class FaultInjectionAgainstMotoTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORG_WIDE_TRUST = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"%s"},\
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},\
            "StringLike":{"token.actions.githubusercontent.com:sub":"repo:acme/*"}}}]}""";
    private static final String ECR_EVERYTHING = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}""";

    /** Roles the guard may write: created by it or adopted. */
    private static final Map<String, String> OURS = Map.of(Baseline.OWNER_TAG_KEY, Baseline.OWNER_TAG_VALUE);

    private MotoServer.Moto moto;
    private AwsClients direct;
    private FaultProxy proxy;
    private final List<AwsClients> functionClients = Collections.synchronizedList(new ArrayList<>());
    private final List<List<Notification>> published = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeEach
    void start(MotoServer.Moto moto) {
        this.moto = moto;
        direct = moto.clients();
        proxy = new FaultProxy(moto.endpoint());
    }

    @AfterEach
    void stop() {
        proxy.close();
        direct.close();
        functionClients.forEach(AwsClients::close);
    }

    /**
     * The CI cases (two rates from the start, two with faults after the first write), or those of
     * {@code -Dfault.cases=RATE:SEED:PHASE,...} ({@code scripts/fault-soak} passes many).
     */
    static Stream<Arguments> cases() {
        String configured = System.getProperty("fault.cases", "").strip();
        if (configured.isEmpty()) {
            return Stream.of(Arguments.of(0.1, 7L, FaultProxy.Phase.ALWAYS), Arguments.of(0.3, 11L, FaultProxy.Phase.ALWAYS),
                    Arguments.of(0.6, 5L, FaultProxy.Phase.AFTER_FIRST_WRITE), Arguments.of(0.6, 23L, FaultProxy.Phase.AFTER_FIRST_WRITE));
        }
        return Arrays.stream(configured.split(",")).map(String::strip).map(c -> c.split(":"))
                .map(c -> Arguments.of(Double.parseDouble(c[0]), Long.parseLong(c[1]), FaultProxy.Phase.valueOf(c[2])));
    }

    @ParameterizedTest(name = "rate {0}, seed {1}, {2}")
    @MethodSource("cases")
    void underFaultsEveryRepositoryIsAccountedForEveryDocumentIsUnchangedOrFixedAndEveryChangeIsReported(double rate, long seed,
                                                                                                       FaultProxy.Phase phase)
            throws Exception {
        List<String> repositories = seed();
        AccountSnapshot before = snapshot();
        AccountReport reportBefore = analyze(before);

        proxy.arm(rate, seed, List.of(FaultProxy.Fault.values()), phase);
        InvocationResult result;
        try {
            result = handler().handleRequest(EventRoutingTest.event("scheduled.json"), null);
        } catch (RuntimeException e) {
            fail("the invocation threw under faults (rate " + rate + ", seed " + seed + ", " + phase + "; injected " + proxy.injected() + ")", e);
            return;
        } finally {
            proxy.disarm();
        }
        System.out.printf("fault test rate %.2f seed %d %s: %s; injected %s; calls %s%n", rate, seed, phase, result, proxy.injected(),
                proxy.calls());

        assertThat(result.status()).isEqualTo("scanned");
        if (published.isEmpty()) {
            // SNS kept failing through every publishing round: then the result says so, and the log holds the report.
            assertThat(result.reason()).as("a report is published, or the result says why not").contains("not published");
            assertThat(log.toString(StandardCharsets.UTF_8)).contains("\"type\":\"change\"");
            return;
        }
        List<JsonNode> parts = jsonParts();

        // Every repository is evaluated or not evaluated with a reason (the notification lists the non-compliant ones
        // and counts the compliant ones).
        Map<String, String> notEvaluated = new LinkedHashMap<>();
        for (JsonNode part : parts) {
            part.path("notEvaluated").forEach(n -> notEvaluated.put(n.path("repository").asText(), n.path("reason").asText()));
        }
        assertThat(notEvaluated.values()).as("not evaluated, each with a reason").noneMatch(String::isBlank);
        assertThat(result.repositories() + notEvaluated.size()).as("audited " + result.repositories() + ", not evaluated " + notEvaluated)
                .isEqualTo(repositories.size());
        assertThat(result.notEvaluated()).isEqualTo(notEvaluated.size());

        // Every document is unchanged, or fixed for its class, or reported as needing a person (failed or unverified,
        // with its documents); every changed one is reported.
        AccountSnapshot after = snapshot();
        AccountReport reportAfter = analyze(after);
        Map<String, String> statusByRepositoryAndClass = new LinkedHashMap<>();
        for (JsonNode part : parts) {
            part.path("changes").forEach(c -> statusByRepositoryAndClass.put(c.path("repository").asText() + " " + c.path("class").asText(),
                    c.path("status").asText()));
        }
        String reported = parts.toString() + "\n" + log.toString(StandardCharsets.UTF_8);
        for (String repository : repositories) {
            String roleName = AccountSeeder.roleName(repository);
            Optional<IamRole> roleBefore = Optional.ofNullable(before.rolesByName().get(roleName));
            Optional<IamRole> roleAfter = Optional.ofNullable(after.rolesByName().get(roleName));
            List<Finding> findingsAfter = reportAfter.repository(repository).map(RepositoryReport::findings).orElse(List.of());
            if (!roleBefore.equals(roleAfter)) {
                assertThat(roleBefore.isPresent() && roleAfter.isEmpty()).as(repository + ": the role " + roleName + " was deleted").isFalse();
                if (roleBefore.isEmpty()) {
                    fixedOrLeftToAPerson(repository, "missing-role", findingsAfter, Set.of(Category.ROLE, Category.TRUST, Category.PERMISSIONS),
                            statusByRepositoryAndClass);
                } else {
                    if (!roleBefore.get().trustPolicy().equals(roleAfter.get().trustPolicy())) {
                        fixedOrLeftToAPerson(repository, "trust", findingsAfter, Set.of(Category.TRUST), statusByRepositoryAndClass);
                    }
                    if (!roleBefore.get().inlinePolicies().equals(roleAfter.get().inlinePolicies())
                            || !roleBefore.get().attachedPolicyArns().equals(roleAfter.get().attachedPolicyArns())) {
                        fixedOrLeftToAPerson(repository, "permissions", findingsAfter, Set.of(Category.PERMISSIONS), statusByRepositoryAndClass);
                    }
                }
                assertThat(reported).as(repository + ": the role change is in the report or the log").contains(roleName);
            }
            Optional<String> policyBefore = repository(before, repository).flatMap(EcrRepository::policyText);
            Optional<String> policyAfter = repository(after, repository).flatMap(EcrRepository::policyText);
            if (!policyBefore.equals(policyAfter)) {
                fixedOrLeftToAPerson(repository, "repository-policy", findingsAfter, Set.of(Category.REPOSITORY_POLICY), statusByRepositoryAndClass);
            }
        }
        // Never widened: no exposure after that was not there before (a half-done role may be BROKEN: reported above).
        for (String repository : repositories) {
            assertThat(exposures(reportBefore, repository)).as(repository).containsAll(exposures(reportAfter, repository));
        }
    }

    private static List<FindingCode> exposures(AccountReport report, String repository) {
        return report.repository(repository).map(RepositoryReport::findings).orElse(List.of()).stream()
                .filter(f -> f.code().severity() != Severity.BROKEN).map(Finding::code).toList();
    }

    /** A changed document either has no finding of its class left, or its change is reported as failed or unverified. */
    private static void fixedOrLeftToAPerson(String repository, String cls, List<Finding> findingsAfter, Set<Category> categories,
                                             Map<String, String> statusByRepositoryAndClass) {
        String status = statusByRepositoryAndClass.get(repository + " " + cls);
        assertThat(status).as(repository + ": the " + cls + " change is reported").isNotNull();
        boolean fixed = findingsAfter.stream().noneMatch(f -> categories.contains(f.code().category()));
        assertThat(fixed || status.equals("failed") || status.equals("unverified"))
                .as(repository + ": the changed " + cls + " documents are fixed (" + findingsAfter + ") or reported as needing a person ("
                        + status + ")").isTrue();
    }

    /** A small account: one compliant pair, one drift of each class, a repository without its role. */
    private List<String> seed() {
        AccountSeeder seed = new AccountSeeder(direct);
        String provider = seed.githubProvider();
        direct.sns().createTopic(r -> r.name("ecr-oidc-guard-reports"));
        seed.compliant("clean", Map.of(), provider);
        String trustyArn = seed.repository("trusty", Map.of());
        seed.role(AccountSeeder.roleName("trusty"), ORG_WIDE_TRUST.formatted(provider), OURS);
        seed.inlinePolicy(AccountSeeder.roleName("trusty"), Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(trustyArn));
        seed.repository("perms", Map.of());
        seed.role(AccountSeeder.roleName("perms"), Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, AccountSeeder.github("perms", Map.of())), OURS);
        seed.inlinePolicy(AccountSeeder.roleName("perms"), "ecr-everything", ECR_EVERYTHING);
        seed.compliant("repopol", Map.of(), provider);
        seed.repositoryPolicy("repopol", """
                {"Version":"2012-10-17","Statement":[{"Sid":"OtherRolePush","Effect":"Allow","Principal":{"AWS":"%s"},\
                "Action":["ecr:PutImage","ecr:InitiateLayerUpload","ecr:UploadLayerPart","ecr:CompleteLayerUpload"]}]}"""
                .formatted(AccountSeeder.roleArn("clean")));
        seed.repository("newrepo", Map.of());
        seed.repository("another", Map.of());
        return List.of("clean", "trusty", "perms", "repopol", "newrepo", "another");
    }

    private ScanHandler handler() {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_ORG", AccountSeeder.ORG, "MODE", "remediate", "REMEDIATE", "all",
                "SNS_TOPIC_ARN", "arn:aws:sns:us-east-1:" + MotoServer.ACCOUNT_ID + ":ecr-oidc-guard-reports", "NOTIFY_ON", "always",
                "AWS_REGION", MotoServer.REGION.id(), "OWNERSHIP_LOOKUP", "stack-index"));
        return new ScanHandler(env, () -> config -> {
            AwsClients c = AwsClients.forEndpoint(MotoServer.REGION, proxy.endpoint(), moto.credentials());
            functionClients.add(c);
            Adapters aws = ScanHandler.awsAdapters(config, c);
            return new Adapters(aws.inventory(), parts -> {
                aws.notifier().publish(parts);
                published.add(parts);
            }, aws.writer(), aws.ownership(), aws.apiCalls());
        }, new PrintStream(log, true, StandardCharsets.UTF_8), InstantSource.system());
    }

    private List<JsonNode> jsonParts() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (List<Notification> parts : published) {
            for (Notification n : parts) {
                out.add(MAPPER.readTree(MAPPER.readTree(n.message()).path("sqs").asText()));
            }
        }
        return out;
    }

    private AccountSnapshot snapshot() {
        return AwsInventorySource.of(direct, AwsInventorySource.TagReads.PER_REPOSITORY).read(new ScanScope.WholeAccount()).snapshot();
    }

    private static AccountReport analyze(AccountSnapshot snapshot) {
        return new Analyzer(AccountSeeder.CONFIG).analyze(snapshot);
    }

    private static Optional<EcrRepository> repository(AccountSnapshot snapshot, String name) {
        return snapshot.repositories().stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
