package dev.ecroidcguard.core.trust;

import dev.ecroidcguard.core.analysis.RepositoryContext;
import dev.ecroidcguard.core.finding.Finding;
import dev.ecroidcguard.core.finding.FindingCode;
import dev.ecroidcguard.core.finding.Witness;
import dev.ecroidcguard.core.github.GitHubRepository;
import dev.ecroidcguard.core.policy.PolicyDocument;
import dev.ecroidcguard.core.policy.Statement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the trust rules need to know about one trust policy of one repository's role, worked out once: the GitHub
 * issuers it concerns, for each whether the account has its provider and which Allow statements admit its tokens,
 * and the token classes to judge them against (built on first use).
 */
record TrustFacts(RepositoryContext ctx, PolicyDocument doc, List<IssuerRules> issuerRules, TokenClasses tokens) {

    /** An issuer, whether the account has its provider (STS rejects every token of one it lacks), and its Allow rules. */
    record IssuerRules(TrustModel.Issuer issuer, boolean existsInAccount, List<TrustModel.AllowRule> allowRules) {
    }

    static TrustFacts of(RepositoryContext ctx, PolicyDocument doc, TrustLanguageCache cache) {
        List<IssuerRules> rules = issuers(ctx, doc).stream()
                .map(issuer -> new IssuerRules(issuer, ctx.githubProviders().stream().anyMatch(p -> p.arn().equals(issuer.providerArn())),
                        TrustModel.allowRules(doc, issuer)))
                .toList();
        return new TrustFacts(ctx, doc, rules, new TokenClasses(ctx.github(), doc, cache));
    }

    GitHubRepository repo() {
        return ctx.github();
    }

    List<TrustModel.Issuer> issuers() {
        return issuerRules.stream().map(IssuerRules::issuer).toList();
    }

    /** A finding on the role. */
    Finding finding(FindingCode code, String message, Witness witness) {
        return Finding.of(code, ctx.roleArn(), message, witness);
    }

    /** GitHub issuers: the account's GitHub providers, plus GitHub providers the policy names that the account lacks. */
    static List<TrustModel.Issuer> issuers(RepositoryContext ctx, PolicyDocument doc) {
        Map<String, TrustModel.Issuer> byArn = new LinkedHashMap<>();
        ctx.githubProviders().forEach(p -> byArn.put(p.arn(), new TrustModel.Issuer(p.arn(), p.url(), p.clientIds())));
        for (Statement s : doc.statements()) {
            s.principals().ifPresent(p -> p.of("Federated").forEach(f -> {
                int at = f.indexOf(":oidc-provider/");
                if (at > 0 && RepositoryContext.isGitHubIssuer(f.substring(at + ":oidc-provider/".length()))) {
                    byArn.putIfAbsent(f, new TrustModel.Issuer(f, f.substring(at + ":oidc-provider/".length()), List.of()));
                }
            }));
        }
        return List.copyOf(byArn.values());
    }
}
