package dev.ecroidcguard.core.repositorypolicy;

import dev.ecroidcguard.core.analysis.EcrActions;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.inventory.IamRole;
import dev.ecroidcguard.core.lang.Wildcards;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.PolicyParseException;
import dev.ecroidcguard.core.policy.Principals;
import dev.ecroidcguard.core.policy.Statement;
import dev.ecroidcguard.core.repositorypolicy.Problem.Remedy;
import dev.ecroidcguard.core.repositorypolicy.PrincipalConditions.Truth;
import dk.brics.automaton.Automaton;
import dk.brics.automaton.BasicAutomata;
import dk.brics.automaton.RegExp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Classifies every statement of a repository policy against the catalogue (§4.3, with the §1.4 nuances):
 * who each Allow statement admits and what they may do, and whether a Deny breaks the CI role's push.
 * Same-account grants are the point of the origin post's comment: a repository policy naming a principal
 * lets it in no matter how tightly its own identity policy is scoped.
 */
final class RepositoryPolicyClassifier {

    /** Witness accounts for "anyone": AWS's documentation example account IDs. */
    private static final String OUTSIDER_ACCOUNT = "111122223333";
    private static final String OTHER_OUTSIDER_ACCOUNT = "444455556666";
    private static final String ROLE_NAME_PREFIX = "github-actions-";

    private final PairedRole role;
    private final List<IamRole> accountRoles;
    private final PrincipalLanguages principals;

    /** Whether the CI role's permissions boundary allows an action on the repository (always, without a boundary). */
    private final Predicate<String> boundaryAllows;

    RepositoryPolicyClassifier(PairedRole role, List<IamRole> accountRoles, Predicate<String> boundaryAllows) {
        this.role = role;
        this.accountRoles = accountRoles;
        this.boundaryAllows = boundaryAllows;
        this.principals = PrincipalLanguages.of(role);
    }

    List<Problem> classify(PolicyDocument policy) {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < policy.statements().size(); i++) {
            Statement s = policy.statements().get(i);
            if (s.isAllow()) {
                classifyAllow(s, i, problems);
            } else {
                classifyDeny(s, i, problems);
            }
        }
        return problems;
    }

    private void classifyAllow(Statement s, int index, List<Problem> out) {
        if (s.principals().isEmpty()) {
            return;
        }
        Principals p = s.principals().get();
        GrantedActions actions = GrantedActions.of(s);
        String where = s.label(index);
        if (s.notPrincipal()) {
            if (p.isEveryone()) {
                return; // NotPrincipal "*" exempts everyone: the statement grants nothing.
            }
            String action = actions.anyEcrAction().orElse(s.actions().getFirst());
            out.add(new Problem(FindingCode.ECR_POLICY_NOT_PRINCIPAL, index, new Remedy.RemoveStatement(),
                    where + " allows NotPrincipal: every principal except the listed ones, anonymous callers included",
                    new Witness.Principal(principalOutside(p), action)));
            return;
        }
        Optional<String> anyAction = actions.anyEcrAction();
        if (anyAction.isEmpty()) {
            return; // grants no ECR action: nothing on this repository
        }
        PrincipalConditions.Pins pins = PrincipalConditions.Pins.of(s.conditions());
        if (p.isEveryone()) {
            classifyEveryone(s, index, actions, pins, out);
        } else {
            for (String value : p.of("AWS")) {
                if (!contradictedByConditions(value, s, pins, role.partition())) {
                    classifyAws(value, index, where, actions, out);
                }
            }
        }
        // A service principal never carries the organisation keys: a statement that requires them grants it nothing.
        for (String service : pins.organisation() ? List.<String>of() : p.of("Service")) {
            if (!pins.sourceScoped()) {
                out.add(new Problem(FindingCode.ECR_POLICY_SERVICE_NO_SOURCE_CONDITION, index, new Remedy.RemovePrincipal("Service", service),
                        where + " grants service principal " + service + " without aws:SourceArn/aws:SourceAccount, so any "
                                + "account's resources of that service can act through it (confused deputy)",
                        new Witness.Principal(service, anyAction.get())));
            }
        }
        for (String federated : p.of("Federated")) {
            out.add(new Problem(FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL, index, new Remedy.RemovePrincipal("Federated", federated),
                    where + " grants the federation " + federated + " instead of the role " + role.arn()
                            + " (undocumented in resource policies; if honoured it covers every role federated through it)",
                    new Witness.Principal(federated, anyAction.get())));
        }
    }

    /** Principal "*": who the conditions narrow it to decides the code. */
    private void classifyEveryone(Statement s, int index, GrantedActions actions, PrincipalConditions.Pins pins, List<Problem> out) {
        String where = s.label(index);
        Optional<Automaton> pinned = pins.principalArns()
                .filter(arns -> !Wildcards.subsetOf(principals.everyone(), arns));
        if (pinned.isPresent()) {
            classifyPrincipalArnPin(pinned.get(), index, where, actions, out);
            return;
        }
        Remedy remove = new Remedy.RemoveStatement();
        if (pins.federatedProviders().isPresent()) {
            // IAM and anonymous callers never carry aws:SourceArn/aws:SourceAccount, services never aws:FederatedProvider.
            if (!pins.sourceScoped()) {
                classifyFederatedProviderPin(s, pins.federatedProviders().get(), index, actions, out);
            }
        } else if (pins.sourceScoped()) {
            // IAM users, roles and anonymous callers never carry aws:SourceArn / aws:SourceAccount: only a service
            // acting for a resource of the source gets in (and with an organisation key too, nobody does).
            if (actions.grantsWrite() && !pins.organisation()) {
                out.add(new Problem(FindingCode.ECR_POLICY_BROAD_WRITE, index, remove,
                        where + " lets Principal \"*\" narrowed only by aws:SourceArn/aws:SourceAccount push or administer: "
                                + "every AWS service acting for a resource of that source gets the grant (no IAM principal does)",
                        new Witness.Principal("codebuild.amazonaws.com", actions.firstOf(EcrActions.WRITE).orElseThrow())));
            }
        } else if (pins.accountOrOrg()) {
            if (actions.grantsWrite()) {
                out.add(new Problem(FindingCode.ECR_POLICY_BROAD_WRITE, index, remove,
                        where + " lets Principal \"*\" narrowed only by account/organisation push or administer: every role "
                                + "there, including every other repository's GitHub role, gets the grant directly",
                        new Witness.Principal(otherRoleInAccount(principals.otherInAccount()), actions.firstOf(EcrActions.WRITE).orElseThrow())));
            }
        } else if (actions.grantsWrite()) {
            out.add(new Problem(FindingCode.ECR_POLICY_PUBLIC_WRITE, index, remove,
                    where + " lets Principal \"*\" push or administer without a condition pinning the principal "
                            + "(IP/VPC conditions do not count)",
                    new Witness.Principal(outsiderRoot(), actions.firstOf(EcrActions.WRITE).orElseThrow())));
        } else if (actions.grantsPull()) {
            out.add(new Problem(FindingCode.ECR_POLICY_PUBLIC_READ, index, remove,
                    where + " lets Principal \"*\" pull without a condition pinning the principal",
                    new Witness.Principal(outsiderRoot(), actions.firstOf(EcrActions.PULL).orElseThrow())));
        }
    }

    /**
     * Principal "*" + aws:FederatedProvider: every session of every role assumed through a provider the values
     * admit gets the grant. For a provider of this account those are its other web-identity roles (every other
     * repository's GitHub role, for GitHub's provider): a same-account resource-policy grant bypasses their
     * identity-policy scoping, the same bypass as naming them. Values that name no provider admit nobody, and
     * an account condition the roles of one side cannot meet (aws:PrincipalAccount) removes that side.
     */
    private void classifyFederatedProviderPin(Statement s, Automaton providers, int index, GrantedActions actions, List<Problem> out) {
        String where = s.label(index);
        Remedy remove = new Remedy.RemoveStatement();
        Automaton own = admitsAccount(s, role.accountId())
                ? providers.intersection(PrincipalLanguages.providersOf(role.partition(), role.accountId())) : BasicAutomata.makeEmpty();
        Automaton foreign = providers.intersection(PrincipalLanguages.providersOfOtherAccounts(role.partition(), role.accountId()));
        if (!foreign.isEmpty() && !admitsAccount(s, accountOf(foreignWebIdentityRole(foreign)))) {
            foreign = BasicAutomata.makeEmpty();
        }
        Optional<String> write = actions.firstOf(EcrActions.WRITE);
        if (write.isPresent()) {
            if (!own.isEmpty()) {
                String witness = webIdentityRoleIn(own);
                out.add(new Problem(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, index, remove,
                        where + " lets Principal \"*\" keyed on aws:FederatedProvider push or administer: every role of this "
                                + "account assumed through that provider (e.g. " + witness + ", every other repository's GitHub "
                                + "role) gets the grant, bypassing its identity-policy scoping",
                        new Witness.Principal(witness, write.get())));
            }
            if (!foreign.isEmpty()) {
                String witness = foreignWebIdentityRole(foreign);
                out.add(new Problem(FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, index, remove,
                        where + " lets Principal \"*\" keyed on aws:FederatedProvider push or administer: web-identity roles of "
                                + "other accounts (e.g. " + witness + ") carry a provider it admits",
                        new Witness.Principal(witness, write.get())));
            }
        } else if (!own.isEmpty() || !foreign.isEmpty()) {
            String witness = own.isEmpty() ? foreignWebIdentityRole(foreign) : webIdentityRoleIn(own);
            out.add(new Problem(FindingCode.ECR_POLICY_FEDERATED_PRINCIPAL, index, remove,
                    where + " grants Principal \"*\" keyed on aws:FederatedProvider: every role federated through that "
                            + "provider (every repository's GitHub role) gets it",
                    new Witness.Principal(witness, actions.anyEcrAction().orElseThrow())));
        }
    }

    /**
     * A role of this account other than the CI role that a provider in {@code providers} can assume (its trust
     * policy allows that Federated principal), other repositories' GitHub roles first; else an illustrative one.
     */
    private String webIdentityRoleIn(Automaton providers) {
        return accountRoles.stream()
                .filter(r -> !r.arn().equals(role.arn()) && trustsProviderIn(r, providers))
                .sorted(Comparator.comparing((IamRole r) -> !r.name().startsWith(ROLE_NAME_PREFIX)).thenComparing(IamRole::name))
                .map(IamRole::arn)
                .findFirst()
                .orElseGet(() -> otherRoleInAccount(principals.otherInAccount()));
    }

    private static boolean trustsProviderIn(IamRole r, Automaton providers) {
        try {
            return PolicyDocument.parse(r.trustPolicy()).statements().stream()
                    .filter(st -> st.isAllow() && !st.notPrincipal())
                    .flatMap(st -> st.principals().stream())
                    .flatMap(p -> p.of("Federated").stream())
                    .anyMatch(providers::run);
        } catch (PolicyParseException e) {
            return false;
        }
    }

    private static boolean admitsAccount(Statement s, String account) {
        return PrincipalConditions.evaluate(s.conditions(), Map.of(PrincipalConditions.PRINCIPAL_ACCOUNT, account)) != Truth.FALSE;
    }

    private static String accountOf(String iamArn) {
        return iamArn.split(":", 6)[4];
    }

    /** A role of the account a provider ARN in {@code providers} belongs to (an outsider's for a public provider). */
    private String foreignWebIdentityRole(Automaton providers) {
        String provider = Wildcards.readableExample(providers).orElseThrow();
        String[] fields = provider.split(":", 6);
        String account = fields.length == 6 && fields[0].equals("arn") ? fields[4] : outsiderAccount();
        return "arn:" + role.partition() + ":iam::" + account + ":role/web-identity-role";
    }

    /** Principal "*" + aws:PrincipalArn: the pattern is a language; everything in it except the CI role is extra. */
    private void classifyPrincipalArnPin(Automaton arns, int index, String where, GrantedActions actions, List<Problem> out) {
        Remedy remove = new Remedy.RemoveStatement();
        Optional<String> write = actions.firstOf(EcrActions.WRITE);
        if (write.isPresent()) {
            Automaton others = arns.clone().intersection(principals.otherInAccount());
            if (!others.isEmpty()) {
                String witness = realRoleIn(others).or(() -> Wildcards.readableExample(others)).orElseThrow();
                out.add(new Problem(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, index, remove,
                        where + " pins Principal \"*\" with an aws:PrincipalArn pattern that also admits other principals of "
                                + "this account (e.g. " + witness + "); a same-account resource-policy grant bypasses their "
                                + "identity-policy scoping",
                        new Witness.Principal(witness, write.get())));
            }
            Automaton foreign = arns.clone().intersection(principals.otherAccounts());
            if (!foreign.isEmpty()) {
                String witness = Wildcards.readableExample(foreign).orElseThrow();
                out.add(new Problem(FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, index, remove,
                        where + " pins Principal \"*\" with an aws:PrincipalArn pattern that admits principals of other "
                                + "accounts (e.g. " + witness + ")",
                        new Witness.Principal(witness, write.get())));
            }
        }
        if (arns.run(role.arn())) {
            excessive(index, where + " (Principal \"*\" pinned to the role by aws:PrincipalArn)", role.arn(), actions, false, out);
        }
    }

    private void classifyAws(String value, int index, String where, GrantedActions actions, List<Problem> out) {
        Remedy remove = new Remedy.RemovePrincipal("AWS", value);
        Optional<String> write = actions.firstOf(EcrActions.WRITE);
        switch (AwsPrincipal.parse(value)) {
            case AwsPrincipal.Account a when !a.accountId().equals(role.accountId()) -> write.ifPresent(w ->
                    out.add(crossAccount(index, where, value, remove, w)));
            case AwsPrincipal.Identity i when !i.accountId().equals(role.accountId()) -> write.ifPresent(w ->
                    out.add(crossAccount(index, where, value, remove, w)));
            case AwsPrincipal.Session s when !s.accountId().equals(role.accountId()) -> write.ifPresent(w ->
                    out.add(crossAccount(index, where, value, remove, w)));
            case AwsPrincipal.Identity i when i.arn().equals(role.arn()) -> excessive(index, where, value, actions, false, out);
            case AwsPrincipal.Session s when role.isSessionOf(s) -> excessive(index, where, value, actions, true, out);
            case AwsPrincipal.Identity i -> write.ifPresent(w -> out.add(new Problem(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, index, remove,
                    where + " lets " + (i.isRole() ? "role " : "identity ") + value + " (not this repository's CI role) push or "
                            + "administer; a same-account resource-policy grant bypasses its identity-policy scoping",
                    new Witness.Principal(value, w))));
            case AwsPrincipal.Session s -> write.ifPresent(w -> out.add(new Problem(FindingCode.ECR_POLICY_OTHER_ROLE_WRITE, index, remove,
                    where + " lets session " + value + " of role " + s.roleName() + " (not this repository's CI role) push or "
                            + "administer; a session grant bypasses even that role's permissions boundary",
                    new Witness.Principal(value, w))));
            // The account principal delegates to the account's IAM policies: not a bypass.
            case AwsPrincipal.Account a -> {
            }
            case AwsPrincipal.Everyone e -> {
            }
            // Unique IDs of deleted roles and other values that match no caller.
            case AwsPrincipal.Unrecognised u -> {
            }
        }
    }

    /**
     * Does the statement's condition exclude every caller this principal value stands for? The principal's own
     * keys are known: an IAM identity has its ARN as aws:PrincipalArn and its account as aws:PrincipalAccount,
     * an account principal or a session only its account; a positive aws:PrincipalArn pin outside that account
     * excludes it too, and so does an aws:FederatedProvider pin that admits no provider a role of that account
     * can be assumed through (or any pin of it on an IAM user, which never carries the key). Such a statement
     * grants that principal nothing.
     */
    private static boolean contradictedByConditions(String value, Statement s, PrincipalConditions.Pins pins, String partition) {
        AwsPrincipal principal = AwsPrincipal.parse(value);
        String account = switch (principal) {
            case AwsPrincipal.Account a -> a.accountId();
            case AwsPrincipal.Identity i -> i.accountId();
            case AwsPrincipal.Session ss -> ss.accountId();
            default -> null;
        };
        if (account == null) {
            return false;
        }
        Map<String, String> known = principal instanceof AwsPrincipal.Identity i
                ? Map.of(PrincipalConditions.PRINCIPAL_ARN, i.arn(), PrincipalConditions.PRINCIPAL_ACCOUNT, account)
                : Map.of(PrincipalConditions.PRINCIPAL_ACCOUNT, account);
        if (PrincipalConditions.evaluate(s.conditions(), known) == Truth.FALSE) {
            return true;
        }
        boolean noProviderFits = pins.federatedProviders().map(providers -> (principal instanceof AwsPrincipal.Identity i && !i.isRole())
                || providers.intersection(PrincipalLanguages.providersOf(partition, account)).isEmpty()).orElse(false);
        if (noProviderFits) {
            return true;
        }
        // ARN fields contain no ':', so the account is the fifth field exactly.
        Automaton inAccount = new RegExp("arn:[^:]*:[^:]*:[^:]*:" + account + ":.*").toAutomaton();
        return pins.principalArns().map(arns -> arns.intersection(inAccount).isEmpty()).orElse(false);
    }

    private Problem crossAccount(int index, String where, String value, Remedy remove, String action) {
        return new Problem(FindingCode.ECR_POLICY_CROSS_ACCOUNT_WRITE, index, remove,
                where + " lets " + value + " of another account push or administer; that account's IAM (and its own "
                        + "GitHub trust policies) then decides who writes here",
                new Witness.Principal(value, action));
    }

    /** The CI role itself: push/pull is the point, administrative actions bypass its push-only identity policy. */
    private void excessive(int index, String where, String principal, GrantedActions actions, boolean session, List<Problem> out) {
        // A role-ARN grant is effective only within the role's permissions boundary; a session grant bypasses it.
        Optional<String> admin = actions.firstOf(EcrActions.ADMIN.stream().filter(a -> session || boundaryAllows.test(a)).toList());
        if (admin.isEmpty()) {
            return;
        }
        String bypass = session
                ? "a role-session ARN grant bypasses the role's identity policy, permissions boundary and session policies"
                : "a role-ARN grant bypasses the role's push-only identity policy";
        out.add(new Problem(FindingCode.ECR_POLICY_EXCESSIVE_ACTIONS, index, new Remedy.NarrowToPushPull(),
                where + " grants the CI role" + (session ? " session " + principal : "") + " administrative actions such as "
                        + admin.get() + "; " + bypass,
                new Witness.Principal(principal, admin.get())));
    }

    private void classifyDeny(Statement s, int index, List<Problem> out) {
        if (StatementScope.appliesTo(s, role) != Truth.TRUE) {
            return;
        }
        GrantedActions denied = GrantedActions.of(s);
        List<String> push = Stream.concat(EcrActions.PUSH_ONLY.stream(), Stream.of("ecr:BatchCheckLayerAvailability")).toList();
        denied.firstOf(push).ifPresent(action -> out.add(new Problem(FindingCode.ECR_POLICY_DENIES_PUSH, index, new Remedy.LeaveToHuman(),
                s.label(index) + " explicitly denies the CI role " + action + ", so pushes fail whatever else allows them",
                new Witness.Principal(role.arn(), action))));
    }

    /** A real role of the account in {@code language} (other repositories' GitHub roles first). */
    private Optional<String> realRoleIn(Automaton language) {
        return accountRoles.stream()
                .filter(r -> !r.arn().equals(role.arn()) && language.run(r.arn()))
                .sorted(Comparator.comparing((IamRole r) -> !r.name().startsWith(ROLE_NAME_PREFIX)).thenComparing(IamRole::name))
                .map(IamRole::arn)
                .findFirst();
    }

    /** A same-account principal other than the CI role: a real role if there is one, else an illustrative one. */
    private String otherRoleInAccount(Automaton language) {
        String illustrative = "arn:" + role.partition() + ":iam::" + role.accountId() + ":role/" + ROLE_NAME_PREFIX + "another-repository";
        return realRoleIn(language).orElse(illustrative);
    }

    private String outsiderRoot() {
        return rootOf(outsiderAccount());
    }

    private String outsiderAccount() {
        return role.accountId().equals(OUTSIDER_ACCOUNT) ? OTHER_OUTSIDER_ACCOUNT : OUTSIDER_ACCOUNT;
    }

    /**
     * A principal an Allow+NotPrincipal statement admits: a role of the account, the CI role, or an outsider's
     * account; "*" (anonymous, also admitted) only if the statement happens to list all of those.
     */
    private String principalOutside(Principals excluded) {
        List<String> listed = excluded.of("AWS");
        boolean ownAccountListed = listed.contains(role.accountId()) || listed.contains(role.accountRootArn());
        Stream<String> inAccount = ownAccountListed ? Stream.empty()
                : Stream.concat(accountRoles.stream().map(IamRole::arn), Stream.of(role.arn()));
        Stream<String> outsiders = Stream.of(OUTSIDER_ACCOUNT, OTHER_OUTSIDER_ACCOUNT)
                .filter(account -> !account.equals(role.accountId()) && !listed.contains(account))
                .map(this::rootOf);
        return Stream.concat(inAccount, outsiders).filter(arn -> !listed.contains(arn)).findFirst().orElse("*");
    }

    private String rootOf(String account) {
        return "arn:" + role.partition() + ":iam::" + account + ":root";
    }
}
