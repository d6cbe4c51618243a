package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.lang.Wildcards;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;
import dk.brics.automaton.RunAutomaton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The resource side of the analysis for one repository: its ARN, the other repositories of its account and
 * region, repositories anywhere, and readable examples drawn from resource and action languages for witnesses.
 */
record RepositoryScope(String repositoryArn, String accountRepositoryPrefix, String partition, String region, String accountId,
                       String repositoryName) {

    /** Readable witness actions outside ECR, most telling first. */
    private static final List<String> NON_ECR_EXAMPLES = List.of("iam:PassRole", "iam:CreateAccessKey", "sts:AssumeRole",
            "s3:GetObject", "s3:PutObject", "cloudtrail:LookupEvents", "iam:CreateServiceLinkedRole", "ec2:RunInstances",
            "lambda:InvokeFunction", "kms:Decrypt");
    private static final String OTHER_ACCOUNT = "210987654321";
    /**
     * A repository name as ECR accepts it, to the letter that matters here: ECR names are lower-case (API
     * reference, CreateRepository: {@code repositoryName} pattern
     * {@code (?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*}), so an ARN that differs from a
     * repository's only in case names no repository at all. The separator rules are left out: they cost
     * automaton states on every grant and never decide a finding.
     */
    private static final String REPOSITORY_NAME = "[a-z0-9][a-z0-9._/\\-]*";
    /** Every repository ARN that can exist (ARN fields contain no {@code :}), any partition, region and account. Shared: read only. */
    private static final Automaton REPOSITORY_SHAPE = minimal(new RegExp("arn:[a-z\\-]+:ecr:[a-z0-9\\-]+:[0-9]{12}:repository/"
            + REPOSITORY_NAME).toAutomaton());
    private static final RunAutomaton REPOSITORY_SHAPE_MATCHER = new RunAutomaton(REPOSITORY_SHAPE, false);
    /** ECR-shaped resources and {@code *}. Shared: read only. */
    private static final Automaton ECR_RESOURCES = minimal(Wildcards.pattern("arn:*:ecr:*").union(Wildcards.literal("*")));
    /**
     * The resources a request for a non-ECR action can name: every resource but ECR's ({@code arn:*:ecr:*}). IAM
     * matches a request's resource against the statement's Resource; a non-ECR action's request never carries
     * an ECR ARN, so a grant of it on ECR resources only never applies. Shared: read only.
     */
    private static final Automaton NON_ECR_RESOURCES = minimal(EffectivePermissions.resourceWords().minus(Wildcards.pattern("arn:*:ecr:*")));

    /** {@code arn:<partition>:ecr:<region>:<account>:repository/<name>}. */
    static RepositoryScope of(String repositoryArn, String fallbackPartition, String fallbackRegion, String fallbackAccount) {
        String[] parts = repositoryArn.split(":", 6);
        if (parts.length == 6 && parts[0].equals("arn") && parts[2].equals("ecr") && parts[5].startsWith("repository/")) {
            String name = parts[5].substring("repository/".length());
            return new RepositoryScope(repositoryArn, repositoryArn.substring(0, repositoryArn.length() - name.length()),
                    parts[1], parts[3], parts[4], name);
        }
        String prefix = "arn:" + fallbackPartition + ":ecr:" + fallbackRegion + ":" + fallbackAccount + ":repository/";
        return new RepositoryScope(repositoryArn, prefix, fallbackPartition, fallbackRegion, fallbackAccount, repositoryArn);
    }

    /** A fresh automaton (not cached: a large account has as many repository ARNs as repositories). */
    Automaton thisRepository() {
        return BasicAutomata.makeString(repositoryArn);
    }

    /** Is {@code resource} a repository ARN other than this one (a word of {@link #otherRepositories()})? */
    boolean isOtherRepository(String resource) {
        return !resource.equals(repositoryArn) && REPOSITORY_SHAPE_MATCHER.run(resource);
    }

    /** True when {@link #otherAccountRepositories()} is infinite (a finite resource set then never contains it). */
    boolean hasInfinitelyManyOtherAccountRepositories() {
        return StatementLanguages.isResourceWord(accountRepositoryPrefix);
    }

    /** Every other repository of this account and region: what "all repositories" must cover. */
    Automaton otherAccountRepositories() {
        return literalPrefix(accountRepositoryPrefix).intersection(REPOSITORY_SHAPE).minus(thisRepository());
    }

    /** Every repository ARN (any partition, region, account) except this one. */
    Automaton otherRepositories() {
        return REPOSITORY_SHAPE.minus(thisRepository());
    }

    /** ECR-shaped resources and {@code *} (the resource of actions without a resource type). Shared: read only. */
    Automaton ecrResources() {
        return ECR_RESOURCES;
    }

    /** Resources a non-ECR action's request may name (see {@link #NON_ECR_RESOURCES}). Shared: read only. */
    Automaton nonEcrResources() {
        return NON_ECR_RESOURCES;
    }

    /** A readable other repository in {@code resources}: {@code .../repository/payments} where possible. */
    String otherRepositoryExample(Automaton resources) {
        Automaton others = resources.intersection(otherRepositories());
        List<String> candidates = List.of(accountRepositoryPrefix + "payments", accountRepositoryPrefix + repositoryName + "-x",
                "arn:" + partition + ":ecr:eu-west-1:" + accountId + ":repository/" + repositoryName,
                "arn:" + partition + ":ecr:" + region + ":" + OTHER_ACCOUNT + ":repository/" + repositoryName);
        return candidates.stream().filter(others::run).findFirst().orElseGet(() -> readable(others));
    }

    /** A readable resource of {@code resources}: {@code *}, this repository, another repository, or an example. */
    String resourceExample(Automaton resources) {
        if (resources.run("*")) {
            return "*";
        }
        if (resources.run(repositoryArn)) {
            return repositoryArn;
        }
        if (!resources.intersection(otherRepositories()).isEmpty()) {
            return otherRepositoryExample(resources);
        }
        return readable(resources);
    }

    /** A readable action of {@code actions}, in canonical spelling, preferring {@code preferred} in order. */
    static String actionExample(Automaton actions, List<String> preferred) {
        Map<String, String> canonical = new LinkedHashMap<>();
        Stream.of(preferred, EcrActions.names(), NON_ECR_EXAMPLES).flatMap(List::stream)
                .forEach(a -> canonical.putIfAbsent(Wildcards.lower(a), a));
        return canonical.entrySet().stream().filter(e -> actions.run(e.getKey())).map(Map.Entry::getValue).findFirst()
                .orElseGet(() -> EcrActions.canonical(readable(actions)));
    }

    static List<String> nonEcrExamples() {
        return NON_ECR_EXAMPLES;
    }

    /** An example word preferring lower-case letters, digits and ARN punctuation over odd characters. */
    private static String readable(Automaton language) {
        Automaton tidy = language.intersection(new RegExp("[a-z0-9:/._\\-]+").toAutomaton());
        return Wildcards.example(tidy).or(() -> Wildcards.readableExample(language)).orElse("");
    }

    private static Automaton minimal(Automaton a) {
        a.minimize();
        return a;
    }

    private static Automaton literalPrefix(String prefix) {
        return Wildcards.literal(prefix).concatenate(Wildcards.pattern("?*"));
    }
}
