package dev.ecroidcguard.core.finding;

/**
 * Finding codes of the misconfiguration catalogue ({@code finding-codes.json} on the classpath carries the
 * same codes with their summaries; {@code FindingCodeTest} keeps the two in step).
 */
public enum FindingCode {
    ROLE_MISSING(Severity.BROKEN, "role"),
    TRUST_NO_GITHUB_PRINCIPAL(Severity.BROKEN, "trust"),
    TRUST_NO_SUB_CONDITION(Severity.CRITICAL, "trust"),
    TRUST_SUB_WILDCARD_ANY(Severity.CRITICAL, "trust"),
    TRUST_SUB_OWNER_WILDCARD(Severity.CRITICAL, "trust"),
    TRUST_SUB_ORG_WIDE(Severity.HIGH, "trust"),
    TRUST_SUB_REPO_PREFIX_WILDCARD(Severity.HIGH, "trust"),
    TRUST_SUB_WRONG_REPO(Severity.HIGH, "trust"),
    TRUST_SUB_WRONG_OWNER(Severity.HIGH, "trust"),
    TRUST_SUB_SPOOFABLE_CLAIM(Severity.CRITICAL, "trust"),
    TRUST_SUB_STRINGEQUALS_WILDCARD(Severity.BROKEN, "trust"),
    TRUST_SUB_CASE_MISMATCH(Severity.BROKEN, "trust"),
    TRUST_SUB_FORMAT_MISMATCH(Severity.BROKEN, "trust"),
    TRUST_SUB_REF_PREFIX_WILDCARD(Severity.LOW, "trust"),
    TRUST_SUB_NEGATED_OPERATOR(Severity.CRITICAL, "trust"),
    TRUST_CONDITION_KEY_MALFORMED(Severity.BROKEN, "trust"),
    TRUST_PROVIDER_MISMATCH(Severity.BROKEN, "trust"),
    TRUST_IFEXISTS_CONDITION(Severity.MEDIUM, "trust"),
    TRUST_FORALLVALUES(Severity.MEDIUM, "trust"),
    TRUST_SET_OPERATOR_SINGLE_VALUED(Severity.LOW, "trust"),
    TRUST_PRINCIPAL_WILDCARD(Severity.CRITICAL, "trust"),
    TRUST_PRINCIPAL_OTHER_ACCOUNT(Severity.HIGH, "trust"),
    TRUST_PRINCIPAL_UNEXPECTED(Severity.MEDIUM, "trust"),
    TRUST_NOT_PRINCIPAL(Severity.CRITICAL, "trust"),
    TRUST_NOT_ACTION(Severity.HIGH, "trust"),
    TRUST_ACTION_WILDCARD(Severity.LOW, "trust"),
    TRUST_ACTION_WRONG(Severity.BROKEN, "trust"),
    TRUST_AUD_MISSING(Severity.LOW, "trust"),
    TRUST_AUD_WRONG(Severity.BROKEN, "trust"),
    TRUST_ID_UNVERIFIED(Severity.MEDIUM, "trust"),
    PERM_ADMIN(Severity.CRITICAL, "permissions"),
    PERM_NON_ECR_ACTIONS(Severity.HIGH, "permissions"),
    PERM_ECR_ALL_REPOS_WRITE(Severity.HIGH, "permissions"),
    PERM_ECR_WRONG_REPO(Severity.HIGH, "permissions"),
    PERM_ECR_REPO_WILDCARD(Severity.MEDIUM, "permissions"),
    PERM_ECR_EXCESSIVE_ACTIONS(Severity.HIGH, "permissions"),
    PERM_ECR_READ_ALL_REPOS(Severity.MEDIUM, "permissions"),
    PERM_NOT_RESOURCE(Severity.HIGH, "permissions"),
    PERM_MISSING_AUTH_TOKEN(Severity.BROKEN, "permissions"),
    PERM_MISSING_PUSH_ACTIONS(Severity.BROKEN, "permissions"),
    ECR_POLICY_PUBLIC_WRITE(Severity.CRITICAL, "repository-policy"),
    ECR_POLICY_PUBLIC_READ(Severity.HIGH, "repository-policy"),
    ECR_POLICY_BROAD_WRITE(Severity.HIGH, "repository-policy"),
    ECR_POLICY_CROSS_ACCOUNT_WRITE(Severity.HIGH, "repository-policy"),
    ECR_POLICY_OTHER_ROLE_WRITE(Severity.HIGH, "repository-policy"),
    ECR_POLICY_FEDERATED_PRINCIPAL(Severity.MEDIUM, "repository-policy"),
    ECR_POLICY_NOT_PRINCIPAL(Severity.CRITICAL, "repository-policy"),
    ECR_POLICY_EXCESSIVE_ACTIONS(Severity.HIGH, "repository-policy"),
    ECR_POLICY_SERVICE_NO_SOURCE_CONDITION(Severity.LOW, "repository-policy"),
    ECR_POLICY_DENIES_PUSH(Severity.BROKEN, "repository-policy"),
    POLICY_MALFORMED(Severity.HIGH, "input"),
    PERM_POLICY_UNRESOLVED(Severity.HIGH, "permissions"),
    INPUT_INVALID(Severity.HIGH, "input"),
    GITHUB_OWNER_NOT_ALLOWED(Severity.HIGH, "input"),
    ANALYSIS_FAILED(Severity.HIGH, "input");

    private final Severity severity;
    private final String category;

    FindingCode(Severity severity, String category) {
        this.severity = severity;
        this.category = category;
    }

    public Severity severity() {
        return severity;
    }

    /** role, trust, permissions, repository-policy or input: also the remediation class of a fix. */
    public String category() {
        return category;
    }
}
