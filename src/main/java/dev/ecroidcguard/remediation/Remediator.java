package dev.ecroidcguard.remediation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecroidcguard.core.Analyzer;
import dev.ecroidcguard.core.GuardConfig;
import dev.ecroidcguard.core.IgnoreTag;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.fix.DocumentChange;
import dev.ecroidcguard.core.fix.FixPlan;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.fix.RoleCreation;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.report.AccountReport;
import dev.ecroidcguard.core.report.RepositoryReport;
import dev.ecroidcguard.ports.AccountWriter;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;
import dev.ecroidcguard.ports.Ownership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Applies the enabled classes of the analysis' fix plans, safely. Pure orchestration: every write goes through
 * {@link AccountWriter}, every read through {@link InventorySource}, ownership through {@link Ownership}.
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

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Analyzer analyzer;
    private final Set<RemediationClass> enabled;
    private final Map<String, Set<String>> iacOwnerTags;
    private final AccountWriter writer;
    private final Ownership ownership;
    private final InventorySource inventory;

    public Remediator(GuardConfig config, Set<RemediationClass> enabled, Map<String, Set<String>> iacOwnerTags, AccountWriter writer,
                      Ownership ownership, InventorySource inventory) {
        this.analyzer = new Analyzer(config);
        this.enabled = Set.copyOf(enabled);
        this.iacOwnerTags = Map.copyOf(iacOwnerTags);
        this.writer = writer;
        this.ownership = ownership;
        this.inventory = inventory;
    }

    /** The outcome: the report as the account now stands, and every change. */
    public record Result(AccountReport report, List<Change> changes) {
        public Result {
            changes = List.copyOf(changes);
        }
    }

    /** A write this invocation made, waiting for its read-back. */
    private record Pending(String repository, RemediationClass cls, String resource, List<Finding> why, Documents before,
                           List<String> operations, Runnable restore, Function<Read, Optional<String>> differsFromPlan,
                           Set<FindingCode> mayRemain, boolean alreadyDone) {
    }

    /** What the read-back shows of one repository: its role, repository and re-analysis. */
    private record Read(Optional<IamRole> role, Optional<EcrRepository> repository, Optional<RepositoryReport> report) {
    }

    public Result remediate(AccountReport report, AccountSnapshot snapshot) {
        Map<String, IamRole> roles = snapshot.rolesByName();
        Map<String, EcrRepository> repositories = new HashMap<>();
        snapshot.repositories().forEach(r -> repositories.put(r.name(), r));
        List<Change> changes = new ArrayList<>();
        List<Pending> pending = new ArrayList<>();
        Map<String, Optional<String>> owners = new HashMap<>();

        for (RepositoryReport r : report.repositories()) {
            FixPlan plan = r.fix();
            EcrRepository repository = repositories.get(r.repository());
            if (plan.isEmpty() || repository == null || IgnoreTag.isSet(repository)) {
                continue;
            }
            Optional<IamRole> role = Optional.ofNullable(r.role()).map(roles::get);
            List<Finding> findings = r.findings();

            if (enabled.contains(RemediationClass.MISSING_ROLE)) {
                plan.createRoleBlockedBecause().ifPresent(why -> changes.add(skipped(r, RemediationClass.MISSING_ROLE, roleArn(snapshot, r.role()),
                        findings, "role not created: " + why)));
                plan.createRole().ifPresent(create -> apply(changes, pending, () -> createRole(r, create, snapshot, findings)));
            }
            if (enabled.contains(RemediationClass.TRUST) && role.isPresent()) {
                switch (plan.trust()) {
                    case DocumentChange.Replace replace -> guarded(changes, pending, r, RemediationClass.TRUST, role.get().arn(), findings,
                            owner(owners, role.get().name(), role.get().tags(), "role"),
                            () -> trust(r, role.get(), replace, findings));
                    case DocumentChange.NeedsHuman h -> changes.add(skipped(r, RemediationClass.TRUST, role.get().arn(), findings,
                            "needs a person: " + h.reason()));
                    default -> { }
                }
            }
            if (enabled.contains(RemediationClass.PERMISSIONS) && role.isPresent()) {
                switch (plan.permissions()) {
                    case PermissionsChange.Rewrite rewrite -> guarded(changes, pending, r, RemediationClass.PERMISSIONS, role.get().arn(), findings,
                            owner(owners, role.get().name(), role.get().tags(), "role"),
                            () -> permissions(r, role.get(), rewrite, findings));
                    case PermissionsChange.NeedsHuman h -> changes.add(skipped(r, RemediationClass.PERMISSIONS, role.get().arn(), findings,
                            "needs a person: " + h.reason()));
                    default -> { }
                }
            }
            if (enabled.contains(RemediationClass.REPOSITORY_POLICY)) {
                switch (plan.repositoryPolicy()) {
                    case DocumentChange.Unchanged u -> { }
                    case DocumentChange.NeedsHuman h -> changes.add(skipped(r, RemediationClass.REPOSITORY_POLICY, repository.arn(), findings,
                            "needs a person: " + h.reason()));
                    default -> guarded(changes, pending, r, RemediationClass.REPOSITORY_POLICY, repository.arn(), findings,
                            owner(owners, repository.name(), repository.tags(), "repository"),
                            () -> repositoryPolicy(r, repository, plan.repositoryPolicy(), findings));
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
        Inventory read = reread(touched);
        AccountReport after = analyzer.analyze(read.snapshot(), inScope(read.snapshot(), touched));
        Map<String, IamRole> roles = read.snapshot().rolesByName();
        boolean restored = false;
        for (Pending p : pending) {
            Optional<RepositoryReport> r = after.repository(p.repository());
            Optional<EcrRepository> repository = read.snapshot().repositories().stream().filter(x -> x.name().equals(p.repository())).findFirst();
            Read readBack = new Read(r.map(RepositoryReport::role).map(roles::get), repository, r);
            Documents afterDocuments = documents(p.cls(), readBack);
            if (p.alreadyDone()) {
                int left = r.map(x -> categoryFindings(x, p.cls()).size()).orElse(0);
                changes.add(new Change(p.repository(), p.cls(), p.resource(), Change.Status.ALREADY_DONE,
                        "the role already existed (created concurrently by another invocation or a person); not created again. "
                                + "Re-audited: " + left + " finding(s) of this class remain", p.why(), p.before(), afterDocuments, p.operations()));
                continue;
            }
            Optional<String> problem = p.differsFromPlan().apply(readBack)
                    .or(() -> r.isEmpty() ? Optional.of("the repository is no longer in the account") : Optional.empty())
                    .or(() -> unexpectedFindings(r.get(), p));
            if (problem.isEmpty()) {
                changes.add(new Change(p.repository(), p.cls(), p.resource(), Change.Status.APPLIED, describe(p) + "; verified by re-reading and "
                        + "re-analysing", p.why(), p.before(), afterDocuments, p.operations()));
            } else {
                restored = true;
                changes.add(restore(p, "verification failed: " + problem.get(), afterDocuments));
            }
        }
        if (restored) {
            read = reread(touched);
            after = analyzer.analyze(read.snapshot(), inScope(read.snapshot(), touched));
        }
        return new Result(merge(report, after, touched), changes);
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

    private static List<Finding> categoryFindings(RepositoryReport r, RemediationClass cls) {
        Set<String> categories = cls == RemediationClass.MISSING_ROLE ? Set.of("role", "trust", "permissions") : Set.of(cls.findingCategory());
        return r.findings().stream().filter(f -> categories.contains(f.code().category())).toList();
    }

    /** Findings of the class other than those the plan says the fixed document will still have (its {@code remaining} codes). */
    private static Optional<String> unexpectedFindings(RepositoryReport r, Pending p) {
        List<String> unexpected = categoryFindings(r, p.cls()).stream()
                .filter(f -> !p.mayRemain().contains(f.code()))
                .map(f -> f.code() + " (" + f.message() + ")")
                .distinct().toList();
        return unexpected.isEmpty() ? Optional.empty() : Optional.of("after the write the analysis still finds " + String.join("; ", unexpected));
    }

    private Change restore(Pending p, String why, Documents afterDocuments) {
        try {
            p.restore().run();
            return new Change(p.repository(), p.cls(), p.resource(), Change.Status.RESTORED, why + "; the previous documents were restored",
                    p.why(), p.before(), afterDocuments, p.operations());
        } catch (RuntimeException e) {
            return new Change(p.repository(), p.cls(), p.resource(), Change.Status.FAILED, why + "; restoring the previous documents failed too ("
                    + message(e) + "): the backup is in this report, a person must restore it", p.why(), p.before(), afterDocuments, p.operations());
        }
    }

    private static String describe(Pending p) {
        return switch (p.cls()) {
            case MISSING_ROLE -> "created the role with the canonical trust and push/pull policy";
            case TRUST -> "replaced the trust policy with its narrowed form";
            case PERMISSIONS -> "rewrote the role's permissions to the narrowed baseline";
            case REPOSITORY_POLICY -> p.operations().stream().anyMatch(o -> o.startsWith("ecr:DeleteRepositoryPolicy"))
                    ? "deleted the repository policy: no statement would remain after removing the offending ones"
                    : "removed the offending statements from the repository policy and kept the rest";
        };
    }

    private static Documents documents(RemediationClass cls, Read read) {
        return switch (cls) {
            case MISSING_ROLE -> read.role().map(role -> Documents.role(role.trustPolicy(), inline(role), role.attachedPolicyArns(), role.tags()))
                    .orElse(Documents.absentRole());
            case TRUST -> read.role().map(role -> Documents.trust(role.trustPolicy())).orElse(Documents.absentRole());
            case PERMISSIONS -> read.role().map(role -> Documents.permissions(inline(role), role.attachedPolicyArns())).orElse(Documents.absentRole());
            case REPOSITORY_POLICY -> Documents.repositoryPolicy(read.repository().flatMap(EcrRepository::policyText));
        };
    }

    // ---- applying ------------------------------------------------------------------------------------------

    /** Applies one step; a step that throws after writing has restored itself and returns its change. */
    private sealed interface Step {
        record Written(Pending pending) implements Step {
        }

        record Done(Change change) implements Step {
        }
    }

    private static void apply(List<Change> changes, List<Pending> pending, java.util.function.Supplier<Step> step) {
        switch (step.get()) {
            case Step.Written w -> pending.add(w.pending());
            case Step.Done d -> changes.add(d.change());
        }
    }

    private void guarded(List<Change> changes, List<Pending> pending, RepositoryReport r, RemediationClass cls, String resource,
                         List<Finding> findings, Optional<String> ownedBecause, java.util.function.Supplier<Step> step) {
        if (ownedBecause.isPresent()) {
            changes.add(skipped(r, cls, resource, findings, ownedBecause.get()));
            return;
        }
        apply(changes, pending, step);
    }

    /** Why a resource must not be written (a stack or other IaC owns it), or empty. */
    private Optional<String> owner(Map<String, Optional<String>> cache, String physicalId, Map<String, String> tags, String kind) {
        return cache.computeIfAbsent(kind + ":" + physicalId, k -> {
            for (Map.Entry<String, Set<String>> owner : iacOwnerTags.entrySet()) {
                String value = tags.get(owner.getKey());
                if (value != null && owner.getValue().contains(value)) {
                    return Optional.of("the " + kind + " is tagged " + owner.getKey() + "=" + value + " (managed by other infrastructure as code): "
                            + "not modified; fix it in that code");
                }
            }
            try {
                return ownership.owningStack(physicalId, tags).map(stack -> "the " + kind + " is managed by CloudFormation stack " + stack
                        + ": not modified; fix it in that stack's template");
            } catch (RuntimeException e) {
                return Optional.of("whether a CloudFormation stack manages the " + kind + " could not be established (" + message(e)
                        + "): not modified");
            }
        });
    }

    private Step createRole(RepositoryReport r, RoleCreation create, AccountSnapshot snapshot, List<Finding> findings) {
        String arn = roleArn(snapshot, create.roleName());
        Map<String, String> plannedInline = Map.of(create.inlinePolicyName(), create.inlinePolicy());
        List<String> ops = new ArrayList<>();
        List<Finding> why = findings.stream().filter(f -> f.code().category().equals("role")).toList();
        try {
            ops.add("iam:CreateRole " + create.roleName());
            writer.createRole(create.roleName(), create.trustPolicy(), create.tags());
        } catch (AccountWriter.AlreadyExists e) {
            return new Step.Written(new Pending(r.repository(), RemediationClass.MISSING_ROLE, arn, why, Documents.absentRole(), ops,
                    () -> { }, read -> Optional.empty(), Set.of(), true));
        } catch (RuntimeException e) {
            return new Step.Done(new Change(r.repository(), RemediationClass.MISSING_ROLE, arn, Change.Status.FAILED,
                    "CreateRole failed (" + message(e) + "); nothing was created", why, Documents.absentRole(), null, ops));
        }
        Runnable rollback = () -> {
            writer.deleteInlinePolicy(create.roleName(), create.inlinePolicyName());
            writer.deleteRole(create.roleName());
        };
        try {
            ops.add("iam:PutRolePolicy " + create.roleName() + " " + create.inlinePolicyName());
            writer.putInlinePolicy(create.roleName(), create.inlinePolicyName(), create.inlinePolicy());
        } catch (RuntimeException e) {
            ops.add("iam:DeleteRolePolicy, iam:DeleteRole " + create.roleName() + " (rollback of the role this invocation created)");
            Pending p = new Pending(r.repository(), RemediationClass.MISSING_ROLE, arn, why, Documents.absentRole(), ops, rollback,
                    read -> Optional.empty(), Set.of(), false);
            return new Step.Done(restore(p, "PutRolePolicy failed after CreateRole (" + message(e) + ")", null));
        }
        Function<Read, Optional<String>> differs = read -> read.role()
                .map(role -> !sameJson(role.trustPolicy(), create.trustPolicy()) ? Optional.of("the trust policy read back differs from the plan")
                        : !sameDocuments(inline(role), plannedInline) ? Optional.of("the inline policies read back differ from the plan")
                        : !role.attachedPolicyArns().isEmpty() ? Optional.of("managed policies are attached")
                        : !role.tags().entrySet().containsAll(create.tags().entrySet()) ? Optional.of("the tags read back differ from the plan")
                        : Optional.<String>empty())
                .orElse(Optional.of("the role is not there when read back"));
        return new Step.Written(new Pending(r.repository(), RemediationClass.MISSING_ROLE, arn, why, Documents.absentRole(), ops, rollback,
                differs, Set.of(), false));
    }

    private Step trust(RepositoryReport r, IamRole role, DocumentChange.Replace replace, List<Finding> findings) {
        Documents before = Documents.trust(role.trustPolicy());
        List<String> ops = new ArrayList<>(List.of("iam:UpdateAssumeRolePolicy " + role.name()));
        List<Finding> why = category(findings, RemediationClass.TRUST);
        Runnable restore = () -> writer.updateTrustPolicy(role.name(), role.trustPolicy());
        Pending p = new Pending(r.repository(), RemediationClass.TRUST, role.arn(), why, before, ops, restore,
                read -> read.role().map(x -> sameJson(x.trustPolicy(), replace.document()) ? Optional.<String>empty()
                        : Optional.of("the trust policy read back differs from the plan")).orElse(Optional.of("the role is gone")),
                replace.remaining(), false);
        try {
            writer.updateTrustPolicy(role.name(), replace.document());
        } catch (RuntimeException e) {
            return new Step.Done(restore(p, "UpdateAssumeRolePolicy failed (" + message(e) + ")", null));
        }
        return new Step.Written(p);
    }

    private Step permissions(RepositoryReport r, IamRole role, PermissionsChange.Rewrite rewrite, List<Finding> findings) {
        Map<String, String> inlineBefore = inline(role);
        Documents before = Documents.permissions(inlineBefore, role.attachedPolicyArns());
        List<String> ops = new ArrayList<>();
        List<Finding> why = category(findings, RemediationClass.PERMISSIONS);
        Map<String, String> expectedInline = new TreeMap<>(inlineBefore);
        rewrite.deleteInline().forEach(expectedInline::remove);
        expectedInline.putAll(rewrite.putInline());
        Set<String> expectedAttached = new LinkedHashSet<>(role.attachedPolicyArns());
        rewrite.detachManaged().forEach(expectedAttached::remove);
        Runnable restore = () -> {
            for (String name : rewrite.putInline().keySet()) {
                if (inlineBefore.containsKey(name)) {
                    writer.putInlinePolicy(role.name(), name, inlineBefore.get(name));
                } else {
                    writer.deleteInlinePolicy(role.name(), name);
                }
            }
            for (String name : rewrite.deleteInline()) {
                if (inlineBefore.containsKey(name)) {
                    writer.putInlinePolicy(role.name(), name, inlineBefore.get(name));
                }
            }
            for (String arn : rewrite.detachManaged()) {
                if (role.attachedPolicyArns().contains(arn)) {
                    writer.attachManagedPolicy(role.name(), arn);
                }
            }
        };
        Pending p = new Pending(r.repository(), RemediationClass.PERMISSIONS, role.arn(), why, before, ops, restore,
                read -> read.role().map(x -> !sameDocuments(inline(x), expectedInline) ? Optional.of("the inline policies read back differ from the plan")
                        : !new HashSet<>(x.attachedPolicyArns()).equals(expectedAttached)
                        ? Optional.of("the attached managed policies read back differ from the plan") : Optional.<String>empty())
                        .orElse(Optional.of("the role is gone")),
                rewrite.remaining(), false);
        try {
            // Put the narrowed policy first, so the role never lacks what it keeps while the rest is removed.
            for (Map.Entry<String, String> put : new TreeMap<>(rewrite.putInline()).entrySet()) {
                ops.add("iam:PutRolePolicy " + role.name() + " " + put.getKey());
                writer.putInlinePolicy(role.name(), put.getKey(), put.getValue());
            }
            for (String name : rewrite.deleteInline()) {
                ops.add("iam:DeleteRolePolicy " + role.name() + " " + name);
                writer.deleteInlinePolicy(role.name(), name);
            }
            for (String arn : rewrite.detachManaged()) {
                ops.add("iam:DetachRolePolicy " + role.name() + " " + arn);
                writer.detachManagedPolicy(role.name(), arn);
            }
        } catch (RuntimeException e) {
            return new Step.Done(restore(p, ops.getLast().split(" ")[0] + " failed (" + message(e) + ") after " + (ops.size() - 1)
                    + " of the plan's writes", null));
        }
        return new Step.Written(p);
    }

    private Step repositoryPolicy(RepositoryReport r, EcrRepository repository, DocumentChange change, List<Finding> findings) {
        Documents before = Documents.repositoryPolicy(repository.policyText());
        List<Finding> why = category(findings, RemediationClass.REPOSITORY_POLICY);
        Runnable restore = () -> {
            if (repository.policyText().isPresent()) {
                writer.setRepositoryPolicy(repository.name(), repository.policyText().get());
            } else {
                writer.deleteRepositoryPolicy(repository.name());
            }
        };
        List<String> ops = new ArrayList<>();
        Optional<String> planned = change instanceof DocumentChange.Replace replace ? Optional.of(replace.document()) : Optional.empty();
        Set<FindingCode> remaining = switch (change) {
            case DocumentChange.Replace replace -> replace.remaining();
            case DocumentChange.Delete delete -> delete.remaining();
            default -> Set.of();
        };
        Pending p = new Pending(r.repository(), RemediationClass.REPOSITORY_POLICY, repository.arn(), why, before, ops, restore,
                read -> {
                    Optional<String> now = read.repository().flatMap(EcrRepository::policyText);
                    boolean same = planned.isEmpty() ? now.isEmpty() : now.isPresent() && sameJson(now.get(), planned.get());
                    return same ? Optional.empty() : Optional.of("the repository policy read back differs from the plan");
                },
                remaining, false);
        try {
            if (planned.isPresent()) {
                ops.add("ecr:SetRepositoryPolicy " + repository.name());
                writer.setRepositoryPolicy(repository.name(), planned.get());
            } else {
                ops.add("ecr:DeleteRepositoryPolicy " + repository.name());
                writer.deleteRepositoryPolicy(repository.name());
            }
        } catch (RuntimeException e) {
            return new Step.Done(restore(p, ops.getLast().split(" ")[0] + " failed (" + message(e) + ")", null));
        }
        return new Step.Written(p);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Change skipped(RepositoryReport r, RemediationClass cls, String resource, List<Finding> findings, String why) {
        return new Change(r.repository(), cls, resource, Change.Status.SKIPPED, why, category(findings, cls), null, null, List.of());
    }

    private static List<Finding> category(List<Finding> findings, RemediationClass cls) {
        return findings.stream().filter(f -> f.code().category().equals(cls.findingCategory())).toList();
    }

    private static Map<String, String> inline(IamRole role) {
        Map<String, String> out = new LinkedHashMap<>();
        role.inlinePolicies().forEach(p -> out.put(p.name(), p.document()));
        return out;
    }

    private static String roleArn(AccountSnapshot snapshot, String roleName) {
        return "arn:" + snapshot.partition() + ":iam::" + snapshot.accountId() + ":role/" + roleName;
    }

    private static boolean sameDocuments(Map<String, String> a, Map<String, String> b) {
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> sameJson(a.get(k), b.get(k)));
    }

    /** Equal as JSON (IAM and ECR may re-serialize a document: spacing and key order do not matter). */
    static boolean sameJson(String a, String b) {
        try {
            JsonNode x = MAPPER.readTree(a);
            JsonNode y = MAPPER.readTree(b);
            return x != null && x.equals(y);
        } catch (Exception e) {
            return a.equals(b);
        }
    }

    private static String message(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
