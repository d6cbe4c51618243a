package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.IgnoreTag;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.finding.Category;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.RemediationClass;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.remediation.FixClass.Owned;
import dev.ecroidcguard.remediation.FixClass.Proposal;
import dev.ecroidcguard.remediation.FixClass.ReadBack;
import dev.ecroidcguard.remediation.FixClass.Step;
import dev.ecroidcguard.remediation.FixClass.Target;
import dev.ecroidcguard.ports.AccountWriter;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;
import dev.ecroidcguard.ports.Ownership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies the enabled classes of the analysis' fix plans, safely. Pure orchestration: each class of fix
 * ({@link FixClass}: missing role, trust, permissions, repository policy) knows its own documents and writes; every
 * write goes through {@link AccountWriter}, every read through {@link InventorySource}, ownership through
 * {@link Ownership}.
 *
 * <p>For each repository: parts of the plan that need a person, or whose resource a CloudFormation stack or
 * other IaC owns, are reported as skipped and not written. The others are backed up (the documents as the
 * inventory read them), written, then — for all repositories at once — read back and analysed again with the
 * same {@link Analyzer}. A part that did not land as planned, or leaves findings of its class the plan did
 * not say would remain, is restored from its backup. A write that fails halfway restores at once.
 *
 * <p>Idempotent: a repeated event finds nothing left to fix. Under concurrency: a role that appears between
 * the inventory and CreateRole ({@code EntityAlreadyExists}) is re-audited, not created twice; deletes and
 * detaches of something already gone succeed; every outcome is final for this invocation (no retry loops).
 */
public final class Remediator {


    private final Analyzer analyzer;
    private final Set<RemediationClass> enabled;
    private final Map<String, Set<String>> iacOwnerTags;
    private final AccountWriter writer;
    private final Ownership ownership;
    private final InventorySource inventory;
    private final WriteJournal journal;

    public Remediator(GuardConfig config, Set<RemediationClass> enabled, Map<String, Set<String>> iacOwnerTags, AccountWriter writer,
                      Ownership ownership, InventorySource inventory) {
        this(config, enabled, iacOwnerTags, writer, ownership, inventory, WriteJournal.NONE);
    }

    public Remediator(GuardConfig config, Set<RemediationClass> enabled, Map<String, Set<String>> iacOwnerTags, AccountWriter writer,
                      Ownership ownership, InventorySource inventory, WriteJournal journal) {
        this.journal = journal;
        this.analyzer = new Analyzer(config);
        this.enabled = Set.copyOf(enabled);
        this.iacOwnerTags = Map.copyOf(iacOwnerTags);
        this.writer = writer;
        this.ownership = ownership;
        this.inventory = inventory;
    }

    /** The IAM and ECR actions {@code cls} may call, restores included: template.yaml grants exactly these when it is enabled. */
    public static Set<Action> actions(RemediationClass cls) {
        return FixClass.of(cls).actions();
    }

    /** The outcome: the report as the account now stands, and every change. */
    public record Result(AccountReport report, List<Change> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    public Result remediate(AccountReport report, AccountSnapshot snapshot) {
        Map<String, IamRole> roles = snapshot.rolesByName();
        Map<String, EcrRepository> repositories = new HashMap<>();
        snapshot.repositories().forEach(r -> repositories.put(r.name(), r));
        List<Change> changes = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        Map<String, Optional<String>> owners = new HashMap<>();

        for (RepositoryReport r : report.repositories()) {
            EcrRepository repository = repositories.get(r.repository());
            if (r.fix().isEmpty() || repository == null || IgnoreTag.isSet(repository)) {
                continue;
            }
            Target target = new Target(r, repository, Optional.ofNullable(r.role()).map(roles::get), snapshot);
            for (RemediationClass cls : RemediationClass.values()) {
                if (!enabled.contains(cls)) {
                    continue;
                }
                FixClass fix = FixClass.of(cls);
                switch (fix.propose(target, new Writes(writer, fix, journal))) {
                    case Proposal.Nothing n -> { }
                    case Proposal.LeftToAPerson skip -> changes.add(skipped(target, fix, skip.resource(), skip.why()));
                    case Proposal.Write write -> {
                        Optional<String> owned = write.owned().flatMap(o -> owner(owners, o));
                        if (owned.isPresent()) {
                            changes.add(skipped(target, fix, write.resource(), owned.get()));
                        } else {
                            switch (write.write().get()) {
                                case Step.Written w -> pending.add(w.pending());
                                case Step.Done d -> changes.add(d.change());
                            }
                        }
                    }
                }
            }
        }
        if (pending.isEmpty()) {
            return new Result(report, changes);
        }
        return verify(report, changes, pending);
    }

    // ---- verification -------------------------------------------------------------------------------------

    private Result verify(AccountReport report, List<Change> changes, List<Pending> pending) {
        Set<String> touched = new LinkedHashSet<>();
        pending.forEach(p -> touched.add(p.repository()));
        Inventory read;
        try {
            read = reread(touched);
        } catch (RuntimeException e) {
            // Written but not readable now: neither confirmed nor rolled back on a guess. The change carries the backup.
            String why = "written, but re-reading the account to verify it failed (" + Writes.message(e) + ")";
            pending.forEach(p -> changes.add(unverified(p, why)));
            return new Result(report, changes);
        }
        AccountReport after = analyzer.analyze(read.snapshot(), inScope(read.snapshot(), touched));
        Map<String, IamRole> roles = read.snapshot().rolesByName();
        Map<String, String> unreadable = new HashMap<>();
        read.notEvaluated().forEach(n -> unreadable.put(n.repository(), n.reason()));
        boolean writtenSinceReadBack = false; // restores and completions: the report must show the account after them
        for (Pending p : pending) {
            if (unreadable.containsKey(p.repository())) {
                // Unreadable is not gone: a throttled read-back must never roll back a correct fix (or delete a role just created).
                changes.add(unverified(p, "written, but the repository could not be re-read to verify it (" + unreadable.get(p.repository()) + ")"));
                continue;
            }
            Optional<RepositoryReport> r = after.repository(p.repository());
            Optional<EcrRepository> repository = read.snapshot().repositories().stream().filter(x -> x.name().equals(p.repository())).findFirst();
            ReadBack readBack = new ReadBack(r.map(RepositoryReport::role).map(roles::get), repository, r);
            Documents afterDocuments = p.fix().documents(readBack);
            if (p.alreadyDone()) {
                Change change = alreadyDone(p, readBack, r, afterDocuments);
                writtenSinceReadBack |= change.status() != Change.Status.ALREADY_DONE;
                changes.add(change);
                continue;
            }
            Optional<String> problem = p.differsFromPlan().apply(readBack)
                    .or(() -> r.isEmpty() ? Optional.of("the repository is no longer in the account") : Optional.empty())
                    .or(() -> unexpectedFindings(r.get(), p));
            if (problem.isEmpty()) {
                changes.add(p.change(Change.Status.APPLIED, p.fix().applied(p.operations()) + "; verified by re-reading and re-analysing",
                        afterDocuments));
            } else {
                writtenSinceReadBack = true;
                changes.add(new Writes(writer, p.fix(), journal).restore(p, "verification failed: " + problem.get(), afterDocuments));
            }
        }
        if (writtenSinceReadBack) {
            try {
                read = reread(touched);
                after = analyzer.analyze(read.snapshot(), inScope(read.snapshot(), touched));
            } catch (RuntimeException e) {
                // The changes say what was written since; the report keeps the first read-back's analysis.
            }
        }
        return new Result(merge(report, after, touched), changes);
    }

    /**
     * A role that already existed when this invocation created it: another invocation's (or a person's), or this
     * invocation's own CreateRole whose answer was lost and whose SDK retry then met its own role. Either way, a role
     * with our tag and the planned trust but without its push/pull policy is completed (the same document another
     * invocation would put), so the repository never ends with a role that cannot push.
     */
    private Change alreadyDone(Pending p, ReadBack readBack, Optional<RepositoryReport> r, Documents afterDocuments) {
        Optional<IamRole> role = readBack.role();
        if (!p.completion().isEmpty() && role.isPresent() && Baseline.ownedByTheGuard(role.get().tags())
                && role.get().inlinePolicies().isEmpty() && role.get().attachedPolicyArns().isEmpty()) {
            try {
                Writes writes = new Writes(writer, p.fix(), journal);
                p.completion().forEach(op -> writes.run(op, p.operations(), p.before()));
                return p.change(Change.Status.APPLIED, "the role existed without its permissions (this invocation's own CreateRole whose "
                        + "answer was lost, or a concurrent invocation's): its push/pull policy was put", afterDocuments);
            } catch (RuntimeException e) {
                return p.change(Change.Status.FAILED, "the role exists without its permissions and putting its push/pull policy failed ("
                        + Writes.message(e) + "): a person must complete or delete it", afterDocuments);
            }
        }
        int left = r.map(x -> verifiedFindings(x, p.fix()).size()).orElse(0);
        return p.change(Change.Status.ALREADY_DONE, "the role already existed (created concurrently by another invocation or a "
                + "person); not created again. Re-audited: " + left + " finding(s) of this class remain", afterDocuments);
    }

    private static Change unverified(Pending p, String why) {
        return p.change(Change.Status.UNVERIFIED, why + "; not restored, since its state is unknown: the backup is in this report, "
                + "the next scan re-audits it", null);
    }

    private Inventory reread(Set<String> names) {
        return inventory.read(new ScanScope.Repositories(names));
    }

    private static List<EcrRepository> inScope(AccountSnapshot snapshot, Set<String> names) {
        return snapshot.repositories().stream().filter(r -> names.contains(r.name())).toList();
    }

    /** The original report with the touched repositories' reports replaced by their re-analysis. */
    private static AccountReport merge(AccountReport before, AccountReport after, Set<String> touched) {
        List<RepositoryReport> merged = new ArrayList<>();
        for (RepositoryReport r : before.repositories()) {
            merged.add(touched.contains(r.repository()) ? after.repository(r.repository()).orElse(r) : r);
        }
        return new AccountReport(before.accountId(), before.region(), before.githubOrg(), merged, before.orphanRoles(), before.notEvaluated());
    }

    private static List<Finding> verifiedFindings(RepositoryReport r, FixClass fix) {
        Set<Category> categories = fix.verifiedCategories();
        return r.findings().stream().filter(f -> categories.contains(f.code().category())).toList();
    }

    /** Findings of the class other than those the plan says the fixed document will still have (its {@code remaining} codes). */
    private static Optional<String> unexpectedFindings(RepositoryReport r, Pending p) {
        List<String> unexpected = verifiedFindings(r, p.fix()).stream()
                .filter(f -> !p.mayRemain().contains(f.code()))
                .map(f -> f.code() + " (" + f.message() + ")")
                .distinct().toList();
        return unexpected.isEmpty() ? Optional.empty() : Optional.of("after the write the analysis still finds " + String.join("; ", unexpected));
    }

    // ---- ownership -----------------------------------------------------------------------------------------

    /** Why a resource must not be written (a stack or other IaC owns it, or a role is not the guard's own), or empty. */
    private Optional<String> owner(Map<String, Optional<String>> cache, Owned resource) {
        String kind = resource.kind();
        return cache.computeIfAbsent(kind + ":" + resource.physicalId(), k -> {
            for (Map.Entry<String, Set<String>> owner : iacOwnerTags.entrySet()) {
                String value = resource.tags().get(owner.getKey());
                if (value != null && owner.getValue().contains(value)) {
                    return Optional.of("the " + kind + " is tagged " + owner.getKey() + "=" + value + " (managed by other infrastructure as code): "
                            + "not modified; fix it in that code");
                }
            }
            try {
                Optional<String> stack = ownership.owningStack(resource.physicalId(), resource.tags()).map(name -> "the " + kind
                        + " is managed by CloudFormation stack " + name + ": not modified; fix it in that stack's template");
                if (stack.isPresent()) {
                    return stack;
                }
            } catch (RuntimeException e) {
                return Optional.of("whether a CloudFormation stack manages the " + kind + " could not be established (" + Writes.message(e)
                        + "): not modified");
            }
            // A role named like ours is not ours: anyone who can create an ECR repository <x> would otherwise make a
            // pre-existing role github-actions-<x> (with whatever it grants) subject to rewriting.
            if (resource.isRole() && !Baseline.ownedByTheGuard(resource.tags())) {
                return Optional.of("the role is not tagged " + Baseline.OWNER_TAG_KEY + "=" + Baseline.OWNER_TAG_VALUE
                        + " (the guard neither created it nor was it adopted): reported, not modified; to let the guard fix it, tag it "
                        + Baseline.OWNER_TAG_KEY + "=" + Baseline.OWNER_TAG_VALUE);
            }
            return Optional.empty();
        });
    }

    private static Change skipped(Target target, FixClass fix, String resource, String why) {
        return new Change(target.report().repository(), fix.remediationClass(), resource, Change.Status.SKIPPED, why, fix.why(target), null, null,
                List.of());
    }
}
