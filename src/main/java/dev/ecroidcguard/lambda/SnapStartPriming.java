package dev.ecroidcguard.lambda;

import dev.ecroidcguard.application.NotificationBuilder;
import dev.ecroidcguard.application.ScanConfig;
import dev.ecroidcguard.application.ScanLog;
import dev.ecroidcguard.application.ScanOutcome;
import dev.ecroidcguard.application.ScanService;
import dev.ecroidcguard.application.SnapshotInventory;
import dev.ecroidcguard.application.Trigger;
import dev.ecroidcguard.aws.AwsClients;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.TimeBudget;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.ports.Adapters;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SnapStart's priming: before Lambda snapshots the initialised environment, build the SDK clients every scan uses
 * and run one whole scan — analysis, report, notification — on a built-in sample account, in memory, with no AWS
 * call, so the classes, JIT-warm code and static state they need are in the snapshot instead of in the first
 * event's time. Nothing in it is secret or unique to one environment. On a JVM without CRaC (every run but
 * SnapStart's) registering does nothing and the hook never runs.
 */
final class SnapStartPriming implements Resource {

    /** org.crac holds resources weakly: this keeps the one the function registers. */
    private static volatile SnapStartPriming registered;

    private final FunctionConfig config;
    private final AwsClients clients;

    private SnapStartPriming(FunctionConfig config, AwsClients clients) {
        this.config = config;
        this.clients = clients;
    }

    static void register(FunctionConfig config, AwsClients clients) {
        SnapStartPriming priming = new SnapStartPriming(config, clients);
        registered = priming;
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        clients.buildScanClients();
        prime(config);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the clients resolve credentials per call, and the scan reads the clock per invocation.
    }

    /** One in-memory scan of {@link #sample}; returns its outcome (tests check that it found what the sample holds). */
    static ScanOutcome prime(FunctionConfig config) {
        ScanConfig reportOnly = new ScanConfig(config.guard(), "report", Set.of(), Map.of(), ScanConfig.NotifyOn.ALWAYS, null, null);
        Adapters inMemory = Adapters.readOnly(new SnapshotInventory(sample(config)), parts -> { }, Map::of);
        return new ScanService(reportOnly, inMemory, new NotificationBuilder(), InstantSource.system())
                .scan(Trigger.snapshot("snapstart-priming"), new ScanScope.WholeAccount(), TimeBudget.UNLIMITED, ScanLog.NONE);
    }

    /**
     * Two repositories of the function's own GitHub owner: one set up as the guard sets it up, one whose role trusts
     * any repository of the owner (a drifted trust policy, the costliest path of the analysis).
     */
    static AccountSnapshot sample(FunctionConfig config) {
        String account = "000000000000";
        String provider = "arn:aws:iam::" + account + ":oidc-provider/" + Baseline.GITHUB_ISSUER;
        String owner = config.guard().githubOrg();
        List<EcrRepository> repositories = List.of(repository(account, config, "snapstart-sample"), repository(account, config, "snapstart-drifted"));
        List<IamRole> roles = repositories.stream().map(r -> {
            String roleName = config.guard().roleNaming().roleNameFor(r.name()).name();
            String trust = Baseline.trustPolicy(provider, Baseline.GITHUB_ISSUER, github(r.name(), owner));
            if (r.name().endsWith("drifted")) {
                trust = trust.replace("repo:" + owner + "/" + r.name() + ":*", "repo:" + owner + "/*");
            }
            return new IamRole(roleName, "arn:aws:iam::" + account + ":role/" + roleName, "/", trust,
                    List.of(new IamRole.InlinePolicy(Baseline.INLINE_POLICY_NAME, Baseline.pushPullPolicy(r.arn()))), List.of(),
                    Optional.empty(), Map.of());
        }).toList();
        return new AccountSnapshot(account, config.region(), "aws", roles, Map.of(),
                List.of(new OidcProvider(provider, Baseline.GITHUB_ISSUER, List.of(Baseline.AUDIENCE))), repositories);
    }

    private static EcrRepository repository(String account, FunctionConfig config, String name) {
        return new EcrRepository(name, "arn:aws:ecr:" + config.region() + ":" + account + ":repository/" + name, Optional.empty(), Map.of());
    }

    private static GitHubRepository github(String name, String owner) {
        try {
            return GitHubRepository.fromTags(name, Map.of(), owner);
        } catch (GitHubRepository.InvalidTagException e) {
            throw new IllegalStateException("the sample's repository name is not a GitHub name: " + name, e);
        }
    }
}
