package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.lang.Lang;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.Condition;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dk.brics.automaton.Automaton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The guard's audit of its own access to a member account: is the trust of the member role (member-role.yaml's
 * {@code MemberRole}) confined as the template confines it, to the hub function's role, presenting the hub's external
 * id when the hub uses one? The template's trust is one Allow of {@code sts:AssumeRole} to {@code Principal.AWS} = the
 * hub's role with {@code StringEquals sts:ExternalId} (and possibly {@code aws:PrincipalOrgID}, which only narrows
 * and which the hub cannot know, so it is not required). Every Allow statement of the actual trust that lets a
 * principal assume the role is compared with that: any other principal (an account, another role, {@code "*"},
 * NotPrincipal, a federated or service principal) is a witness that gets in; for the hub's role, the external ids its
 * {@code sts:ExternalId} conditions admit (their languages, intersected) must be exactly the hub's, else an external id
 * that gets in (or none at all) is the witness. Deny statements and other condition keys are not credited: a trust
 * narrowed only by them is reported as wider, for a person to confirm. Pure.
 */
public final class MemberRoleTrust {

    /** What member-role.yaml grants: the member role's name, the hub function's role, the external id the hub presents. */
    public record Expected(String memberRoleName, String hubRoleArn, Optional<String> externalId) {
    }

    private static final String EXTERNAL_ID_KEY = "sts:externalid";
    private static final List<String> ASSUME_ACTIONS = List.of("sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML");

    private MemberRoleTrust() {
    }

    /** The findings about the member role of {@code account}: one per principal that gets in beyond the template's; none when it is absent. */
    public static List<Finding> audit(AccountSnapshot account, Expected expected) {
        IamRole role = account.rolesByName().get(expected.memberRoleName());
        if (role == null) {
            return List.of();
        }
        PolicyDocument trust;
        try {
            trust = PolicyDocument.parse(role.trustPolicy());
        } catch (PolicyParseException e) {
            return List.of(wider(role, "its trust policy cannot be read (" + e.getMessage() + "), so it cannot be shown to admit only "
                    + expected.hubRoleArn(), new Witness.Detail("unparseable trust policy")));
        }
        List<Finding> findings = new ArrayList<>();
        List<Statement> statements = trust.statements();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            List<String> actions = ASSUME_ACTIONS.stream().filter(a -> TrustModel.actionCovers(s, a)).toList();
            if (!s.isAllow() || s.principals().isEmpty() || actions.isEmpty()) {
                continue;
            }
            String where = "trust " + s.label(i) + " of the guard's member role " + role.name();
            Principals p = s.principals().get();
            if (s.notPrincipal()) {
                findings.add(wider(role, where + " uses NotPrincipal with Allow: every principal not listed may assume it",
                        new Witness.Principal("arn:" + account.partition() + ":iam::111122223333:root", actions.getFirst())));
                continue;
            }
            if (p.isEveryone()) {
                findings.add(wider(role, where + " admits Principal \"*\"", new Witness.Principal("*", actions.getFirst())));
                continue;
            }
            for (Map.Entry<String, List<String>> byType : p.byType().entrySet()) {
                for (String principal : byType.getValue()) {
                    if (byType.getKey().equals("AWS") && principal.equals(expected.hubRoleArn()) && actions.contains("sts:AssumeRole")) {
                        externalIdGap(s, expected).ifPresent(gap -> findings.add(wider(role, where + " admits the hub's role "
                                + gap.why(), new Witness.Detail(expected.hubRoleArn() + " " + gap.presenting()))));
                    } else {
                        findings.add(wider(role, where + " admits " + byType.getKey() + " principal " + principal + ", not only the hub's role "
                                + expected.hubRoleArn(), new Witness.Principal(principal, actions.getFirst())));
                    }
                }
            }
        }
        return findings;
    }

    private record Gap(String why, String presenting) {
    }

    /**
     * How the hub's role gets in other than with the hub's external id, or empty when it cannot. Without an expected
     * external id there is nothing to require (the template then has no condition either).
     */
    private static Optional<Gap> externalIdGap(Statement s, Expected expected) {
        if (expected.externalId().isEmpty()) {
            return Optional.empty();
        }
        String id = expected.externalId().get();
        Optional<Automaton> admitted = Optional.empty();
        for (Condition c : s.conditions()) {
            if (!c.normalizedKey().equals(EXTERNAL_ID_KEY)) {
                continue;
            }
            Optional<Automaton> language = confining(c);
            if (language.isPresent()) {
                admitted = Optional.of(admitted.map(a -> Lang.and(a, language.get())).orElse(language.get()));
            }
        }
        if (admitted.isEmpty()) {
            return Optional.of(new Gap("without requiring sts:ExternalId (member-role.yaml requires the hub's)", "with no external id"));
        }
        Optional<String> other = Wildcards.readableExample(Lang.minus(admitted.get(), Wildcards.literal(id)));
        return other.map(o -> new Gap("with external ids other than the hub's", "with sts:ExternalId '" + o + "'"));
    }

    /**
     * The external ids a condition admits when it requires the key to be present: a positive string operator, not
     * {@code ...IfExists}, not {@code ForAllValues} (both true when the key is absent); empty for any other condition,
     * which does not confine.
     */
    private static Optional<Automaton> confining(Condition c) {
        if (c.ifExists() || c.qualifier() == Condition.SetQualifier.FOR_ALL_VALUES || c.operator().isNegated()) {
            return Optional.empty();
        }
        return switch (c.operator()) {
            case StringEquals -> Optional.of(Lang.or(c.values().stream().map(Wildcards::literal).toList()));
            case StringEqualsIgnoreCase -> Optional.of(Lang.or(c.values().stream().map(Wildcards::ignoringCase).toList()));
            case StringLike -> Optional.of(Wildcards.anyOfPatterns(c.values()));
            default -> Optional.empty();
        };
    }

    private static Finding wider(IamRole role, String message, Witness witness) {
        return Finding.of(FindingCode.MEMBER_ROLE_TRUST_WIDER, role.arn(), message + "; wider than member-role.yaml's trust", witness);
    }
}
