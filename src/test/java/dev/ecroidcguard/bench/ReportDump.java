package dev.ecroidcguard.bench;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.report.ReportJson;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Not a test: prints the full report of a generated account so that a change meant to be
 * behaviour-preserving can be checked by diffing the output before and after it.
 *   java ... dev.ecroidcguard.bench.ReportDump REPOSITORIES DRIFT_SHARE SEED [random]
 * Without {@code random}: AnalyzerBenchmark's account. With it: the same account, each role's permission
 * documents replaced by random statements (Allow/Deny, NotAction/NotResource, conditions, boundaries, managed
 * policies) drawn from a vocabulary of action and resource patterns.
 */
public final class ReportDump {

    private static final String ACCOUNT = "123456789012";
    private static final List<String> ACTIONS = List.of("ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:PutImage",
            "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer", "ECR:PUTIMAGE", "ecr:Describe*", "ecr:*", "ecr:Put*", "ecr:SetRepositoryPolicy",
            "ecr:DeleteRepository", "ecr:List*", "ecr:Get*", "ecr:?utImage", "*", "s3:GetObject", "iam:PassRole", "sts:*",
            "ecr:DescribeImages", "ecr:BatchImportUpstreamImage", "ecr:FutureAction");

    public static void main(String[] args) throws Exception {
        int repositories = Integer.parseInt(args[0]);
        double driftShare = Double.parseDouble(args[1]);
        long seed = Long.parseLong(args[2]);
        Analyzer analyzer = new Analyzer(GuardConfig.fromEnvironment(Map.of("GITHUB_ORG", "acme")));
        AccountSnapshot account = AnalyzerBenchmark.account(repositories, driftShare, seed);
        if (args.length > 3 && args[3].equals("random")) {
            account = randomPermissions(account, new Random(seed));
        }
        System.out.println(ReportJson.write(analyzer.analyze(account)));
    }

    private static AccountSnapshot randomPermissions(AccountSnapshot account, Random random) {
        List<IamRole> roles = new ArrayList<>();
        Map<String, ManagedPolicy> managed = new HashMap<>(account.managedPolicies());
        for (int i = 0; i < account.roles().size(); i++) {
            IamRole r = account.roles().get(i);
            String repoArn = account.repositories().get(i).arn();
            List<IamRole.InlinePolicy> inline = new ArrayList<>();
            int policies = 1 + random.nextInt(2);
            for (int p = 0; p < policies; p++) {
                inline.add(new IamRole.InlinePolicy(p == 0 ? "ecr-push-pull" : "extra-" + p, policy(random, repoArn, true)));
            }
            List<String> attached = new ArrayList<>();
            if (random.nextInt(8) == 0) {
                attached.add(List.of("arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/PowerUserAccess",
                        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser",
                        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly").get(random.nextInt(4)));
            }
            Optional<String> boundary = Optional.empty();
            if (random.nextInt(4) == 0) {
                String arn = "arn:aws:iam::" + ACCOUNT + ":policy/boundary-" + i;
                managed.put(arn, new ManagedPolicy(arn, "boundary-" + i, Optional.of(policy(random, repoArn, false))));
                boundary = Optional.of(arn);
            }
            roles.add(new IamRole(r.name(), r.arn(), r.path(), r.trustPolicy(), inline, attached, boundary, r.tags()));
        }
        return new AccountSnapshot(account.accountId(), account.region(), account.partition(), roles, managed,
                account.oidcProviders(), account.repositories());
    }

    private static String policy(Random random, String repoArn, boolean identity) {
        List<String> resources = List.of("*", repoArn, repoArn.replaceAll("/[^/]*$", "/payments"), repoArn.replaceAll("/[^/]*$", "/*"),
                repoArn + "*", repoArn.replace("us-east-1", "*"), "arn:aws:ecr:*:*:*", "arn:aws:s3:::artifacts/*", "arn:aws:ecr:*",
                repoArn.replace(ACCOUNT, "210987654321"));
        List<String> statements = new ArrayList<>();
        int n = 1 + random.nextInt(3);
        for (int s = 0; s < n; s++) {
            boolean allow = random.nextInt(5) != 0;
            boolean notAction = identity && random.nextInt(10) == 0;
            boolean notResource = identity && random.nextInt(10) == 0;
            String condition = random.nextInt(6) == 0 ? ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}" : "";
            statements.add("{\"Effect\":\"" + (allow ? "Allow" : "Deny") + "\",\"" + (notAction ? "NotAction" : "Action") + "\":"
                    + list(random, ACTIONS, 4) + ",\"" + (notResource ? "NotResource" : "Resource") + "\":" + list(random, resources, 2)
                    + condition + "}");
        }
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    private static String list(Random random, List<String> vocabulary, int max) {
        int n = 1 + random.nextInt(max);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String v = vocabulary.get(random.nextInt(vocabulary.size()));
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out.size() == 1 && random.nextBoolean() ? "\"" + out.get(0) + "\"" : "[\"" + String.join("\",\"", out) + "\"]";
    }
}
