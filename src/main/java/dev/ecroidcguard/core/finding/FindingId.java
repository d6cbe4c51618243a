package dev.ecroidcguard.core.finding;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The stable identity of a finding across scans, and a fingerprint of what it says. The id is the same for the same
 * (account, region, repository, code, resource) in every scan, whatever the message or witness, so a finding can be
 * followed from scan to scan (alerts on change, Security Hub). Several findings of one code on one resource share an
 * id; their fingerprint covers them all, so a new witness or severity reads as a change of that one finding.
 * Pure: no I/O.
 */
public final class FindingId {

    private FindingId() {
    }

    /**
     * {@code ecr-oidc-guard/ACCOUNT/REGION/REPOSITORY/CODE/HASH}: readable where it can be, and a short hash of the
     * resource ARN (a role or the repository) because an ARN holds '/' and is long.
     */
    public static String of(String accountId, String region, String repository, FindingCode code, String resource) {
        return "ecr-oidc-guard/" + accountId + "/" + region + "/" + repository + "/" + code.name() + "/" + sha256(resource).substring(0, 12);
    }

    public static String of(String accountId, String region, String repository, Finding finding) {
        return of(accountId, region, repository, finding.code(), finding.resource());
    }

    /** What the findings under one id say (severity, message, witness), independent of their order and of map order. */
    public static String fingerprint(List<Finding> findings) {
        return sha256(findings.stream().map(FindingId::canonical).sorted().collect(Collectors.joining("\n")));
    }

    private static String canonical(Finding f) {
        return f.severity() + "|" + f.message() + "|" + switch (f.witness()) {
            case null -> "";
            case Witness.Token t -> "token|" + t.sub() + "|" + new TreeMap<>(t.claims());
            case Witness.Request q -> "request|" + q.action() + "|" + q.resource() + "|" + q.grantedBy();
            case Witness.Principal p -> "principal|" + p.principal() + "|" + p.action();
            case Witness.Detail d -> "detail|" + d.text();
        };
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
