package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.CheckOutcome;
import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.fix.PermissionsChange;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.EcrRepository;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** In-memory account with the role {@code github-actions-web-api} for the ECR repository {@code web-api}. */
final class RoleFixture {

    static final String ACCOUNT = "123456789012";
    static final String REPO_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/web-api";
    static final String OTHER_REPO_ARN = "arn:aws:ecr:us-east-1:123456789012:repository/payments";
    static final String ROLE_ARN = "arn:aws:iam::123456789012:role/github-actions-web-api";
    static final String CUSTOMER_POLICY_ARN = "arn:aws:iam::123456789012:policy/ci-extra";
    static final String BOUNDARY_ARN = "arn:aws:iam::123456789012:policy/ci-boundary";

    private final List<IamRole.InlinePolicy> inline = new ArrayList<>();
    private final List<String> attached = new ArrayList<>();
    private final Map<String, ManagedPolicy> managed = new HashMap<>();
    private Optional<String> boundaryArn = Optional.empty();
    private Optional<String> repositoryPolicy = Optional.empty();

    static RoleFixture role() {
        return new RoleFixture();
    }

    /** The origin post's role: the inline baseline policy only. */
    static RoleFixture baselineRole() {
        return role().inline("ecr-push-pull", Policies.baseline());
    }

    RoleFixture inline(String name, String document) {
        inline.add(new IamRole.InlinePolicy(name, document));
        return this;
    }

    /** Attach a policy whose document the inventory has. */
    RoleFixture managed(String arn, String document) {
        managed.put(arn, new ManagedPolicy(arn, arn.substring(arn.lastIndexOf('/') + 1), Optional.of(document)));
        attached.add(arn);
        return this;
    }

    /** Attach a policy the inventory lists without a document (e.g. AWS-managed policies). */
    RoleFixture attachedWithoutDocument(String arn) {
        attached.add(arn);
        return this;
    }

    RoleFixture boundary(String arn, String document) {
        managed.put(arn, new ManagedPolicy(arn, arn.substring(arn.lastIndexOf('/') + 1), Optional.of(document)));
        boundaryArn = Optional.of(arn);
        return this;
    }

    RoleFixture boundaryWithoutDocument(String arn) {
        boundaryArn = Optional.of(arn);
        return this;
    }

    RoleFixture repositoryPolicy(String text) {
        repositoryPolicy = Optional.of(text);
        return this;
    }

    /** The role after a rewrite: inline policies put/deleted, managed policies detached, boundary kept. */
    RoleFixture applying(PermissionsChange.Rewrite rewrite) {
        RoleFixture fixed = new RoleFixture();
        inline.stream().filter(p -> !rewrite.deleteInline().contains(p.name()) && !rewrite.putInline().containsKey(p.name()))
                .forEach(fixed.inline::add);
        rewrite.putInline().forEach(fixed::inline);
        attached.stream().filter(a -> !rewrite.detachManaged().contains(a)).forEach(fixed.attached::add);
        fixed.managed.putAll(managed);
        fixed.boundaryArn = boundaryArn;
        fixed.repositoryPolicy = repositoryPolicy;
        return fixed;
    }

    /** The identity policy documents (inline, then attached with a document), for evaluators that read JSON. */
    List<String> identityDocuments() {
        List<String> documents = new ArrayList<>(inline.stream().map(IamRole.InlinePolicy::document).toList());
        attached.stream().map(managed::get).filter(p -> p != null && p.defaultDocument().isPresent())
                .forEach(p -> documents.add(p.defaultDocument().get()));
        return documents;
    }

    /** The permissions boundary's document, if the role has one the inventory holds. */
    Optional<String> boundaryDocument() {
        return boundaryArn.map(managed::get).flatMap(ManagedPolicy::defaultDocument);
    }

    IamRole iamRole() {
        return new IamRole("github-actions-web-api", ROLE_ARN, "/", "{}", inline, attached, boundaryArn, Map.of());
    }

    AccountSnapshot account() {
        EcrRepository repository = new EcrRepository("web-api", REPO_ARN, repositoryPolicy, Map.of());
        return new AccountSnapshot(ACCOUNT, "us-east-1", "aws", List.of(iamRole()),
                managed.values().stream().collect(Collectors.toMap(ManagedPolicy::arn, p -> p)), List.of(), List.of(repository));
    }

    RepositoryContext context() {
        AccountSnapshot account = account();
        GitHubRepository github = new GitHubRepository("acme", "web-api", Optional.empty(), Optional.empty(),
                GitHubRepository.SubjectFormat.NAME, GitHubRepository.DEFAULT_SUB_CLAIMS);
        return new RepositoryContext(account, account.repositories().get(0), github, "github-actions-web-api",
                Optional.of(iamRole()), List.of());
    }

    CheckOutcome<PermissionsChange> check() {
        return PermissionsCheck.check(context());
    }

    /** The role's effective permissions read with {@code bound}, as the check computes them. */
    EffectivePermissions permissions(EffectivePermissions.Bound bound) {
        RolePolicies policies = RolePolicies.load(account(), iamRole());
        return EffectivePermissions.of(policies.identity(), policies.boundary(), bound, RequestKeys.of(ROLE_ARN, ACCOUNT, "us-east-1"));
    }
}
