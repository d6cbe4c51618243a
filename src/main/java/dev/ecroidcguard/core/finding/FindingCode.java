package dev.ecroidcguard.core.finding;

import java.util.Optional;

import static dev.ecroidcguard.core.finding.Category.INPUT;
import static dev.ecroidcguard.core.finding.Category.PERMISSIONS;
import static dev.ecroidcguard.core.finding.Category.REPOSITORY_POLICY;
import static dev.ecroidcguard.core.finding.Category.ROLE;
import static dev.ecroidcguard.core.finding.Category.TRUST;
import static dev.ecroidcguard.core.finding.Repair.AUTOMATIC;
import static dev.ecroidcguard.core.finding.Repair.NEEDS_A_DECISION;
import static dev.ecroidcguard.core.finding.Repair.NEEDS_A_GRANT;
import static dev.ecroidcguard.core.finding.Severity.BROKEN;
import static dev.ecroidcguard.core.finding.Severity.CRITICAL;
import static dev.ecroidcguard.core.finding.Severity.HIGH;
import static dev.ecroidcguard.core.finding.Severity.LOW;
import static dev.ecroidcguard.core.finding.Severity.MEDIUM;

/**
 * The catalogue of finding codes: everything the code base knows about a code is declared here, once: its
 * severity, its category, how it is repaired (by the fix class of its category, or only by a person), and the
 * summary users read. {@code finding-codes.json} on the classpath is the same
 * catalogue for readers ({@code FindingCodeTest} checks it entry by entry). Adding a code means an entry here, the
 * rule that emits it, and its tests; the compiler and that test point at the rest.
 */
public enum FindingCode {
    ROLE_MISSING(BROKEN, ROLE, AUTOMATIC,
            "No role named github-actions-<repo> exists for the repository."),
    TRUST_NO_GITHUB_PRINCIPAL(BROKEN, TRUST, NEEDS_A_GRANT,
            "Trust policy has no Allow statement for the GitHub OIDC provider, so GitHub Actions cannot assume the role."),
    TRUST_NO_SUB_CONDITION(CRITICAL, TRUST, AUTOMATIC,
            "An Allow statement for the GitHub provider (or for sts:AssumeRoleWithWebIdentity) has no effective "
            + "repository-scoping condition (no sub/job_workflow_ref/repository_id condition, only aud, only Null, misspelled"
            + " key under IfExists/ForAllValues, or an extra unrestricted statement)."),
    TRUST_SUB_WILDCARD_ANY(CRITICAL, TRUST, AUTOMATIC,
            "A sub value matches every repository on GitHub ('*', 'repo:*', 'repo:*/*', leading '*')."),
    TRUST_SUB_OWNER_WILDCARD(CRITICAL, TRUST, AUTOMATIC,
            "A wildcard in or directly after the owner segment ('repo:acme*', 'repo:acme*/web-api:*', '?' in owner) matches"
            + " other owners such as acme-evil."),
    TRUST_SUB_ORG_WIDE(HIGH, TRUST, AUTOMATIC,
            "A sub value admits every repository of the owner ('repo:acme/*', 'repo:acme/*:*', 'repository_owner:acme', "
            + "'repository_owner_id:<id>')."),
    TRUST_SUB_REPO_PREFIX_WILDCARD(HIGH, TRUST, AUTOMATIC,
            "A wildcard in the repository-name segment ('repo:acme/web-api*', 'repo:acme/web-*:*') admits sibling "
            + "repositories such as web-api-evil."),
    TRUST_SUB_WRONG_REPO(HIGH, TRUST, AUTOMATIC,
            "A sub value names a different repository of the same owner (alone or in addition to the right one)."),
    TRUST_SUB_WRONG_OWNER(HIGH, TRUST, AUTOMATIC,
            "A sub value names a different owner (critical if that owner namespace is unclaimed and can be registered by "
            + "anyone)."),
    TRUST_SUB_SPOOFABLE_CLAIM(CRITICAL, TRUST, AUTOMATIC,
            "Scoping relies only on claims another repository/owner can reproduce (customised sub of only job_workflow_ref "
            + "/ environment / context / workflow / repository_visibility / repo_property_*, or a job_workflow_ref-only "
            + "condition)."),
    TRUST_SUB_STRINGEQUALS_WILDCARD(BROKEN, TRUST, NEEDS_A_GRANT,
            "StringEquals/StringEqualsIgnoreCase with '*' or '?': wildcards are literal, the value never matches."),
    TRUST_SUB_CASE_MISMATCH(BROKEN, TRUST, NEEDS_A_GRANT,
            "Owner/repository casing differs from GitHub's canonical name; StringEquals/StringLike are case-sensitive so "
            + "the value never matches."),
    TRUST_SUB_FORMAT_MISMATCH(BROKEN, TRUST, NEEDS_A_GRANT,
            "sub pattern does not fit the subject format the repository mints: name form vs immutable form "
            + "(repo:OWNER@ID/REPO@ID:...), or default form vs a customised claim template."),
    TRUST_SUB_REF_PREFIX_WILDCARD(LOW, TRUST, AUTOMATIC,
            "Branch/tag pin with a trailing wildcard ('refs/heads/main*') also matches sibling refs (main-hotfix, main2)."
            + " Not reported by ecr-oidc-guard: every ref pattern inside the repository is within 'repo:<org>/<repo>:*', the"
            + " baseline (a deliberate 'refs/tags/v*' must not fail a repository); kept so the catalogue's codes stay complete."),
    TRUST_SUB_NEGATED_OPERATOR(CRITICAL, TRUST, AUTOMATIC,
            "The only sub control in an Allow statement is a negated operator (StringNotLike/StringNotEquals): everything "
            + "not listed is allowed."),
    TRUST_CONDITION_KEY_MALFORMED(BROKEN, TRUST, NEEDS_A_DECISION,
            "Condition key is misspelled, contains whitespace, or uses another issuer's prefix; the key is absent from the "
            + "request so a positive operator never matches (fails open under IfExists/ForAllValues)."),
    TRUST_PROVIDER_MISMATCH(BROKEN, TRUST, NEEDS_A_GRANT,
            "Condition keys use a different issuer prefix than the Federated principal (e.g. enterprise issuer "
            + "token.actions.githubusercontent.com/<slug> vs public keys)."),
    TRUST_IFEXISTS_CONDITION(MEDIUM, TRUST, AUTOMATIC,
            "...IfExists operator on a scoping claim: the condition is true whenever the claim is absent."),
    TRUST_FORALLVALUES(MEDIUM, TRUST, AUTOMATIC,
            "ForAllValues on a single-valued claim in an Allow statement: true when the key is absent or empty (fail-open)."),
    TRUST_SET_OPERATOR_SINGLE_VALUED(LOW, TRUST, AUTOMATIC,
            "ForAnyValue on a single-valued claim; AWS says not to use set operators with single-valued keys (fails closed,"
            + " but misleading)."),
    TRUST_PRINCIPAL_WILDCARD(CRITICAL, TRUST, AUTOMATIC,
            "Allow statement with Principal '*' / {'AWS':'*'} (optionally narrowed only by org/account conditions)."),
    TRUST_PRINCIPAL_OTHER_ACCOUNT(HIGH, TRUST, AUTOMATIC,
            "Allow statement trusts an AWS principal in another account."),
    TRUST_PRINCIPAL_UNEXPECTED(MEDIUM, TRUST, AUTOMATIC,
            "Extra same-account principals (account root, IAM roles/users, service principals) can also assume the CI role."),
    TRUST_NOT_PRINCIPAL(CRITICAL, TRUST, AUTOMATIC,
            "NotPrincipal with Effect Allow (unsupported in trust policies; grants everyone except the listed principals)."),
    TRUST_NOT_ACTION(HIGH, TRUST, AUTOMATIC,
            "NotAction in an Allow statement of the trust policy."),
    TRUST_ACTION_WILDCARD(LOW, TRUST, AUTOMATIC,
            "Action 'sts:*' or '*' instead of sts:AssumeRoleWithWebIdentity (plus optional sts:TagSession)."),
    TRUST_ACTION_WRONG(BROKEN, TRUST, NEEDS_A_GRANT,
            "Federated GitHub principal paired only with sts:AssumeRole; web identity federation needs "
            + "sts:AssumeRoleWithWebIdentity."),
    TRUST_AUD_MISSING(LOW, TRUST, AUTOMATIC,
            "No effective aud condition (absent or '*'); relies solely on the provider's client-ID list."),
    TRUST_AUD_WRONG(BROKEN, TRUST, NEEDS_A_GRANT,
            "aud condition value is not one the provider accepts / the workflow requests (e.g. https://github.com/acme with"
            + " client ID sts.amazonaws.com)."),
    TRUST_ID_UNVERIFIED(MEDIUM, TRUST, NEEDS_A_DECISION,
            "The trust is confined to the repository only if the repository_id / repository_owner_id it pins are the "
            + "repository's own; the repository has no github:repository-id / github:owner-id tag, so that is unverified."),
    PERM_ADMIN(CRITICAL, PERMISSIONS, AUTOMATIC,
            "Full or near-full account access: Action '*', Allow+NotAction, AdministratorAccess, PowerUserAccess, "
            + "IAMFullAccess."),
    PERM_NON_ECR_ACTIONS(HIGH, PERMISSIONS, AUTOMATIC,
            "Grants actions outside ECR (s3, iam:PassRole, sts:AssumeRole, ...)."),
    PERM_ECR_ALL_REPOS_WRITE(HIGH, PERMISSIONS, AUTOMATIC,
            "Push (write) actions on '*', repository/*, or via NotResource / AmazonEC2ContainerRegistryPowerUser / "
            + "FullAccess."),
    PERM_ECR_WRONG_REPO(HIGH, PERMISSIONS, AUTOMATIC,
            "Push actions granted on a different specific repository."),
    PERM_ECR_REPO_WILDCARD(MEDIUM, PERMISSIONS, AUTOMATIC,
            "Repository ARN with wildcards in name, region or account (repository/web-api*, arn:aws:ecr:*:...)."),
    PERM_ECR_EXCESSIVE_ACTIONS(HIGH, PERMISSIONS, AUTOMATIC,
            "ecr:* or administrative/destructive ECR actions (SetRepositoryPolicy, DeleteRepositoryPolicy, "
            + "DeleteRepository, BatchDeleteImage, PutLifecyclePolicy, PutImageTagMutability, PutReplicationConfiguration, "
            + "PutRegistryPolicy, ...)."),
    PERM_ECR_READ_ALL_REPOS(MEDIUM, PERMISSIONS, AUTOMATIC,
            "Pull/read on all repositories (AmazonEC2ContainerRegistryReadOnly / PullOnly, BatchGetImage on '*')."),
    PERM_NOT_RESOURCE(HIGH, PERMISSIONS, AUTOMATIC,
            "Allow with NotResource."),
    PERM_MISSING_AUTH_TOKEN(BROKEN, PERMISSIONS, NEEDS_A_GRANT,
            "No ecr:GetAuthorizationToken on Resource '*' in an identity policy (absent, or scoped to a repository ARN, "
            + "which never matches)."),
    PERM_MISSING_PUSH_ACTIONS(BROKEN, PERMISSIONS, NEEDS_A_GRANT,
            "Effective permissions (identity policy within boundary, plus repository policy) lack one of the push actions "
            + "on the repository."),
    ECR_POLICY_PUBLIC_WRITE(CRITICAL, REPOSITORY_POLICY, AUTOMATIC,
            "Principal '*' may push/administer without a condition that pins the principal (IP/VPC-style conditions do not "
            + "count)."),
    ECR_POLICY_PUBLIC_READ(HIGH, REPOSITORY_POLICY, AUTOMATIC,
            "Principal '*' may pull without a principal-pinning condition."),
    ECR_POLICY_BROAD_WRITE(HIGH, REPOSITORY_POLICY, AUTOMATIC,
            "Principal '*' narrowed only by aws:PrincipalAccount / aws:PrincipalOrgID / OrgPaths: every principal there may"
            + " push; same-account principals need no identity permission."),
    ECR_POLICY_CROSS_ACCOUNT_WRITE(HIGH, REPOSITORY_POLICY, AUTOMATIC,
            "Another account (root or a principal in it) may push."),
    ECR_POLICY_OTHER_ROLE_WRITE(HIGH, REPOSITORY_POLICY, AUTOMATIC,
            "Other same-account roles may push (another repo's CI role, an org-wide CI role, aws:PrincipalArn wildcard such"
            + " as role/github-actions-*), bypassing their identity-policy scoping."),
    ECR_POLICY_FEDERATED_PRINCIPAL(MEDIUM, REPOSITORY_POLICY, AUTOMATIC,
            "Grant keyed on the federation (Principal Federated, or aws:FederatedProvider) instead of the specific role: "
            + "undocumented as a resource-policy principal / covers every GitHub-federated role (pull only; a push keyed on "
            + "aws:FederatedProvider is ECR_POLICY_OTHER_ROLE_WRITE, or ECR_POLICY_CROSS_ACCOUNT_WRITE for another account's provider)."),
    ECR_POLICY_NOT_PRINCIPAL(CRITICAL, REPOSITORY_POLICY, AUTOMATIC,
            "NotPrincipal with Effect Allow."),
    ECR_POLICY_EXCESSIVE_ACTIONS(HIGH, REPOSITORY_POLICY, AUTOMATIC,
            "Repository policy grants the CI role or its sessions ecr:* or administrative actions (SetRepositoryPolicy, "
            + "DeleteRepository, ...); not limited by the role's identity policy (and, for session ARNs, not by its "
            + "permissions boundary)."),
    ECR_POLICY_SERVICE_NO_SOURCE_CONDITION(LOW, REPOSITORY_POLICY, AUTOMATIC,
            "Service principal (e.g. lambda.amazonaws.com) granted without aws:SourceArn/aws:SourceAccount (confused-deputy"
            + " guard)."),
    ECR_POLICY_DENIES_PUSH(BROKEN, REPOSITORY_POLICY, NEEDS_A_GRANT,
            "Repository policy explicitly denies the CI role a push action."),
    POLICY_MALFORMED(HIGH, INPUT, NEEDS_A_DECISION,
            "A policy document could not be evaluated (invalid JSON, duplicate keys, wrong element types, unknown condition"
            + " operator). Added by ecr-oidc-guard: the document is reported, never guessed at; the rest of the account is "
            + "still analyzed."),
    PERM_POLICY_UNRESOLVED(HIGH, PERMISSIONS, NEEDS_A_DECISION,
            "An attached managed policy's document is absent from the inventory, so the role's effective permissions cannot"
            + " be bounded. Added by ecr-oidc-guard."),
    INPUT_INVALID(HIGH, INPUT, NEEDS_A_DECISION,
            "The repository's inventory entry is unusable (an invalid github:* tag, a repository name that maps to no valid"
            + " role name); it was not evaluated. Added by ecr-oidc-guard."),
    GITHUB_OWNER_NOT_ALLOWED(HIGH, INPUT, NEEDS_A_DECISION,
            "The repository's github:repository tag names a GitHub owner that is neither GITHUB_ORG nor in "
            + "GITHUB_ALLOWED_OWNERS. Tags can be set by anyone with ECR rights, so the tag is not believed: the repository "
            + "is checked as GITHUB_ORG/<name> and every fix is left to a person. Added by ecr-oidc-guard."),
    ANALYSIS_FAILED(HIGH, INPUT, NEEDS_A_DECISION,
            "Analyzing this repository failed unexpectedly; it was not evaluated and the other repositories were. Added by "
            + "ecr-oidc-guard (please report it with the snapshot)."),
    ANALYSIS_BUDGET_EXCEEDED(HIGH, INPUT, NEEDS_A_DECISION,
            "A document of this repository (named in the finding) has wildcard patterns too costly to analyse within the "
            + "per-document budget of automaton states and time; that part was not evaluated and is left to a person, and the "
            + "other repositories were evaluated. Added by ecr-oidc-guard."),
    MEMBER_ROLE_TRUST_WIDER(HIGH, TRUST, NEEDS_A_DECISION,
            "The trust of the guard's own member role (member-role.yaml) admits more than the template's: a principal other "
            + "than the hub function's role, or the hub's role without the external id the hub presents. Whoever gets in reads"
            + " the account's IAM and ECR configuration (and makes the remediation writes its Remediate parameter allows). "
            + "Reported with the organization run's account reports, about the account rather than a repository; the guard "
            + "never rewrites its own access. Added by ecr-oidc-guard.");

    private final Severity severity;
    private final Category category;
    private final Repair repair;
    private final String summary;

    FindingCode(Severity severity, Category category, Repair repair, String summary) {
        this.severity = severity;
        this.category = category;
        this.repair = repair;
        this.summary = summary;
    }

    public Severity severity() {
        return severity;
    }

    public Category category() {
        return category;
    }

    public Repair repair() {
        return repair;
    }

    /** One sentence: what the code means (the README and {@code finding-codes.json} show it). */
    public String summary() {
        return summary;
    }

    /** The fix class whose write removes findings of this code, or empty when only a person can repair them. */
    public Optional<RemediationClass> fixedBy() {
        return repair == AUTOMATIC ? category.remediationClass() : Optional.empty();
    }

    /** Whether a repair always needs a person (it would grant something, or what was meant is unclear). */
    public boolean needsAPerson() {
        return repair != AUTOMATIC;
    }
}
