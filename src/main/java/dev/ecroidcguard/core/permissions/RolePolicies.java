package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.inventory.AccountSnapshot;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.inventory.ManagedPolicy;
import dev.ecroidcguard.core.permissions.EffectivePermissions.SourcePolicy;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A role's permission documents as far as they can be read: identity policies (inline and attached) and the
 * permissions boundary. A document that is absent or malformed becomes a finding and is listed in
 * {@code unreadable}; the analysis then works with what it has, and the fix is left to a person.
 *
 * @param boundary   the boundary's document; empty without a boundary or when it cannot be read
 * @param unreadable one line per identity or boundary document that could not be read
 * @param identityComplete false when an identity policy could not be read (it may grant anything)
 */
record RolePolicies(List<SourcePolicy> identity, Optional<PolicyDocument> boundary, List<Finding> problems, List<String> unreadable,
                    boolean identityComplete) {

    RolePolicies {
        identity = List.copyOf(identity);
        problems = List.copyOf(problems);
        unreadable = List.copyOf(unreadable);
    }

    static RolePolicies load(AccountSnapshot account, IamRole role) {
        List<SourcePolicy> identity = new ArrayList<>();
        List<Finding> problems = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (IamRole.InlinePolicy inline : role.inlinePolicies()) {
            // Inline policies have no ARN of their own: the role ARN with the policy name as fragment names one.
            String resource = role.arn() + "#" + inline.name();
            parse(inline.document(), resource, problems, unreadable, "inline policy " + inline.name())
                    .ifPresent(doc -> identity.add(new SourcePolicy(inline.name(), doc, false)));
        }
        for (String arn : role.attachedPolicyArns()) {
            managedDocument(account, arn, "attached policy", problems, unreadable)
                    .ifPresent(doc -> identity.add(new SourcePolicy(arn, doc, AwsManagedPolicies.isAdministrative(arn))));
        }
        boolean identityComplete = unreadable.isEmpty();
        Optional<PolicyDocument> boundary = role.permissionsBoundaryArn()
                .flatMap(arn -> managedDocument(account, arn, "permissions boundary", problems, unreadable));
        return new RolePolicies(identity, boundary, problems, unreadable, identityComplete);
    }

    private static Optional<PolicyDocument> managedDocument(AccountSnapshot account, String arn, String role, List<Finding> problems,
                                                            List<String> unreadable) {
        Optional<String> text = account.managedPolicy(arn).flatMap(ManagedPolicy::defaultDocument)
                .or(() -> AwsManagedPolicies.knownDocument(arn));
        if (text.isEmpty()) {
            String what = role + " " + arn + " has no document in the inventory";
            problems.add(Finding.of(FindingCode.PERM_POLICY_UNRESOLVED, arn, what + "; what it grants was not evaluated",
                    new Witness.Detail(what)));
            unreadable.add(what);
            return Optional.empty();
        }
        return parse(text.get(), arn, problems, unreadable, role + " " + arn);
    }

    private static Optional<PolicyDocument> parse(String text, String resource, List<Finding> problems, List<String> unreadable,
                                                  String what) {
        try {
            return Optional.of(PolicyDocument.parse(text));
        } catch (PolicyParseException e) {
            // Something present that cannot be read: the witness names the document (only absences lack one).
            problems.add(Finding.of(FindingCode.POLICY_MALFORMED, resource, e.getMessage(), new Witness.Detail(what)));
            unreadable.add(what + " is malformed: " + e.getMessage());
            return Optional.empty();
        }
    }
}
