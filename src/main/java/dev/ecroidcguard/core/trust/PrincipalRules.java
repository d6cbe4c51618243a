package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.Baseline;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;

import java.util.ArrayList;
import java.util.List;

/** Who else than GitHub's tokens may assume the role, and with which actions: the principals and actions of the Allow statements. */
final class PrincipalRules {

    /** The actions that assume the role (sts:TagSession and sts:SetSourceIdentity only accompany one of them). */
    private static final List<String> ASSUME_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML");
    private static final List<String> STS_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:SetSourceIdentity",
            "sts:AssumeRoleWithWebIdentity", "sts:TagSession");

    private PrincipalRules() {
    }

    static List<Finding> findings(TrustFacts facts) {
        List<Finding> findings = new ArrayList<>();
        String roleArn = facts.ctx().roleArn();
        List<TrustModel.Issuer> issuers = facts.issuers();
        List<Statement> statements = facts.doc().statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (!s.isAllow() || s.principals().isEmpty()) {
                continue;
            }
            String where = "trust policy " + s.label(i);
            Principals p = s.principals().get();
            // A principal other than a GitHub provider gets in only through an action that assumes the role and
            // when the conditions can hold for its request, which carries no GitHub claim.
            boolean assumesByAws = TrustModel.actionCovers(s, "sts:AssumeRole") && admitsRequestWithoutGitHubClaims(s);
            List<String> entries = ASSUME_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).toList();
            boolean assumesByAny = !entries.isEmpty() && admitsRequestWithoutGitHubClaims(s);
            if (s.notPrincipal() && assumesByAny) {
                findings.add(facts.finding(FindingCode.TRUST_NOT_PRINCIPAL, where + " uses NotPrincipal with Allow: every principal not listed may assume the role",
                        new Witness.Principal("arn:" + facts.ctx().account().partition() + ":iam::111122223333:root", entries.get(0))));
                continue;
            }
            if (s.notPrincipal()) {
                continue;
            }
            if (p.isEveryone() && assumesByAny) {
                List<String> covered = STS_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).toList();
                findings.add(facts.finding(FindingCode.TRUST_PRINCIPAL_WILDCARD, where + " trusts Principal \"*\": any " + (covered.contains("sts:AssumeRole") ? "AWS " : "")
                        + "principal may call " + String.join(", ", covered) + " on the role", new Witness.Principal("*", entries.get(0))));
            }
            for (String aws : p.of("AWS")) {
                if (aws.equals("*") || !assumesByAws) {
                    continue;
                }
                String account = accountOf(aws);
                if (account != null && !account.equals(facts.ctx().accountId())) {
                    findings.add(facts.finding(FindingCode.TRUST_PRINCIPAL_OTHER_ACCOUNT, where + " trusts " + aws + " in account " + account,
                            new Witness.Principal(aws, "sts:AssumeRole")));
                } else {
                    findings.add(facts.finding(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts " + aws + "; anyone allowed to assume it inherits push access",
                            new Witness.Principal(aws, "sts:AssumeRole")));
                }
            }
            for (String service : assumesByAws ? p.of("Service") : List.<String>of()) {
                findings.add(facts.finding(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts the service " + service,
                        new Witness.Principal(service, "sts:AssumeRole")));
            }
            for (String federated : p.of("Federated")) {
                boolean github = issuers.stream().anyMatch(iss -> iss.providerArn().equals(federated));
                boolean federatedEntry = (TrustModel.actionCovers(s, Baseline.ASSUME_ACTION) || TrustModel.actionCovers(s, "sts:AssumeRoleWithSAML"))
                        && admitsRequestWithoutGitHubClaims(s);
                if (!github && federatedEntry) {
                    findings.add(facts.finding(FindingCode.TRUST_PRINCIPAL_UNEXPECTED, where + " also trusts the identity provider " + federated,
                            new Witness.Principal(federated, "sts:AssumeRoleWithWebIdentity")));
                }
            }
            boolean githubStatement = p.of("Federated").stream().anyMatch(f -> issuers.stream().anyMatch(iss -> iss.providerArn().equals(f)));
            if (s.notAction()) {
                String allowed = STS_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).findFirst().orElse("sts:AssumeRole");
                findings.add(facts.finding(FindingCode.TRUST_NOT_ACTION, where + " uses NotAction with Allow, which admits " + allowed + " and more",
                        new Witness.Request(allowed, roleArn, where)));
            } else if (TrustModel.actionCovers(s, Baseline.ASSUME_ACTION)) {
                STS_ACTIONS.stream()
                        .filter(a -> !a.equals(Baseline.ASSUME_ACTION) && !a.equals("sts:TagSession"))
                        .filter(a -> TrustModel.actionCovers(s, a))
                        .filter(a -> s.actions().stream().anyMatch(Wildcards::hasWildcard))
                        .findFirst()
                        .ifPresent(a -> findings.add(facts.finding(FindingCode.TRUST_ACTION_WILDCARD, where + " allows " + String.join(", ", s.actions())
                                + " instead of sts:AssumeRoleWithWebIdentity", new Witness.Request(a, roleArn, where))));
            } else if (githubStatement) {
                findings.add(facts.finding(FindingCode.TRUST_ACTION_WRONG, where + " pairs the GitHub provider with " + String.join(", ", s.actions())
                        + "; web identity federation needs sts:AssumeRoleWithWebIdentity", new Witness.Detail("actions: " + s.actions())));
            }
        }
        return findings;
    }

    /**
     * Can the statement's conditions hold for a request without GitHub claims (an AWS principal's AssumeRole,
     * another identity provider's token)? A condition on a GitHub key then sees an absent key; any other key
     * may hold (the caller's own keys are not modelled).
     */
    private static boolean admitsRequestWithoutGitHubClaims(Statement s) {
        return s.conditions().stream().allMatch(c -> !ConditionKeys.isGitHubKey(c.key()) || TrustModel.constraintOf(c).absentOk());
    }

    private static String accountOf(String awsPrincipal) {
        if (awsPrincipal.matches("\\d{12}")) {
            return awsPrincipal;
        }
        String[] parts = awsPrincipal.split(":", 6);
        return parts.length >= 5 && parts[4].matches("\\d{12}") ? parts[4] : null;
    }
}
