package dev.ecroidcguard.remediation;

import dev.ecroidcguard.core.report.AccountReport;
import java.util.Set;
import dev.ecroidcguard.core.ScanScope;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.OidcProvider;
import dev.ecroidcguard.ports.AccountWriter;
import dev.ecroidcguard.ports.Inventory;
import dev.ecroidcguard.ports.InventorySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * An in-memory account behind the remediation interfaces: writes change it, reads snapshot it. Records every
 * write as "Operation target" and can fail chosen writes, to test the orchestration without an emulator.
 */
final class FakeAccount implements AccountWriter, InventorySource {

    static final String ACCOUNT = "123456789012";
    static final String PROVIDER = "arn:aws:iam::" + ACCOUNT + ":oidc-provider/token.actions.githubusercontent.com";

    final Map<String, IamRole> roles = new TreeMap<>();
    final Map<String, EcrRepository> repositories = new TreeMap<>();
    final List<String> writes = new ArrayList<>();
    Predicate<String> failing = op -> false;
    int reads;

    static String repositoryArn(String name) {
        return "arn:aws:ecr:us-east-1:" + ACCOUNT + ":repository/" + name;
    }

    void repository(String name, Optional<String> policy, Map<String, String> tags) {
        repositories.put(name, new EcrRepository(name, repositoryArn(name), policy, tags));
    }

    void role(String name, String trust, Map<String, String> inline, List<String> attached, Map<String, String> tags) {
        roles.put(name, new IamRole(name, "arn:aws:iam::" + ACCOUNT + ":role/" + name, "/", trust,
                inline.entrySet().stream().map(e -> new IamRole.InlinePolicy(e.getKey(), e.getValue())).toList(), attached, Optional.empty(), tags));
    }

    AccountSnapshot snapshot() {
        return new AccountSnapshot(ACCOUNT, "us-east-1", "aws", List.copyOf(roles.values()), Map.of(),
                List.of(new OidcProvider(PROVIDER, "token.actions.githubusercontent.com", List.of("sts.amazonaws.com"))),
                List.copyOf(repositories.values()));
    }

    /** Reads after the first (the read-backs): throw, or report these repositories as unreadable. */
    boolean readBackFails;
    Set<String> unreadableOnReadBack = Set.of();

    @Override
    public Inventory read(ScanScope scope) {
        reads++;
        if (reads > 0 && readBackFails) {
            throw new IllegalStateException("Throttling: Rate exceeded (injected)");
        }
        AccountSnapshot all = snapshot();
        List<EcrRepository> readable = all.repositories().stream().filter(r -> !unreadableOnReadBack.contains(r.name())).toList();
        return new Inventory(new AccountSnapshot(all.accountId(), all.region(), all.partition(), all.roles(), all.managedPolicies(),
                all.oidcProviders(), readable), unreadableOnReadBack.stream()
                .map(name -> new AccountReport.NotEvaluated(name, "ecr:ListTagsForResource failed after retries: Throttling")).toList());
    }

    private void write(String op) {
        writes.add(op);
        if (failing.test(op)) {
            throw new IllegalStateException("injected failure of " + op);
        }
    }

    private IamRole existing(String name) {
        IamRole role = roles.get(name);
        if (role == null) {
            throw new IllegalStateException("NoSuchEntity: role " + name);
        }
        return role;
    }

    private Map<String, String> inline(IamRole role) {
        Map<String, String> out = new TreeMap<>();
        role.inlinePolicies().forEach(p -> out.put(p.name(), p.document()));
        return out;
    }

    private void replace(IamRole r, String trust, Map<String, String> inline, List<String> attached) {
        role(r.name(), trust, inline, attached, r.tags());
    }

    @Override
    public void createRole(String roleName, String trustPolicy, Map<String, String> tags) {
        write("CreateRole " + roleName);
        if (roles.containsKey(roleName)) {
            throw new AlreadyExists("role " + roleName + " exists");
        }
        role(roleName, trustPolicy, Map.of(), List.of(), tags);
    }

    @Override
    public void deleteRole(String roleName) {
        write("DeleteRole " + roleName);
        roles.remove(roleName);
    }

    @Override
    public void updateTrustPolicy(String roleName, String document) {
        write("UpdateAssumeRolePolicy " + roleName);
        IamRole r = existing(roleName);
        replace(r, document, inline(r), r.attachedPolicyArns());
    }

    @Override
    public void putInlinePolicy(String roleName, String policyName, String document) {
        write("PutRolePolicy " + roleName + " " + policyName);
        IamRole r = existing(roleName);
        Map<String, String> inline = inline(r);
        inline.put(policyName, document);
        replace(r, r.trustPolicy(), inline, r.attachedPolicyArns());
    }

    @Override
    public void deleteInlinePolicy(String roleName, String policyName) {
        write("DeleteRolePolicy " + roleName + " " + policyName);
        IamRole r = roles.get(roleName);
        if (r != null) {
            Map<String, String> inline = inline(r);
            inline.remove(policyName);
            replace(r, r.trustPolicy(), inline, r.attachedPolicyArns());
        }
    }

    @Override
    public void attachManagedPolicy(String roleName, String policyArn) {
        write("AttachRolePolicy " + roleName + " " + policyArn);
        IamRole r = existing(roleName);
        List<String> attached = new ArrayList<>(r.attachedPolicyArns());
        if (!attached.contains(policyArn)) {
            attached.add(policyArn);
        }
        replace(r, r.trustPolicy(), inline(r), attached);
    }

    @Override
    public void detachManagedPolicy(String roleName, String policyArn) {
        write("DetachRolePolicy " + roleName + " " + policyArn);
        IamRole r = existing(roleName);
        replace(r, r.trustPolicy(), inline(r), r.attachedPolicyArns().stream().filter(a -> !a.equals(policyArn)).toList());
    }

    @Override
    public void setRepositoryPolicy(String repositoryName, String document) {
        write("SetRepositoryPolicy " + repositoryName);
        EcrRepository r = repositories.get(repositoryName);
        repositories.put(repositoryName, new EcrRepository(r.name(), r.arn(), Optional.of(document), r.tags()));
    }

    @Override
    public void deleteRepositoryPolicy(String repositoryName) {
        write("DeleteRepositoryPolicy " + repositoryName);
        EcrRepository r = repositories.get(repositoryName);
        repositories.put(repositoryName, new EcrRepository(r.name(), r.arn(), Optional.empty(), r.tags()));
    }
}
