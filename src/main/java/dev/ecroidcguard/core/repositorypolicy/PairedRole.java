package dev.ecroidcguard.core.repositorypolicy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's CI role: its ARN (with path), account, partition and bare name. Session ARNs carry the
 * bare name ({@code arn:aws:sts::<acct>:assumed-role/<name>/<session>}), never the path.
 */
record PairedRole(String arn, String accountId, String partition, String name) {

    private static final Pattern ROLE_ARN = Pattern.compile("arn:([a-z-]+):iam::[0-9]{12}:role/(?:.*/)?([^/]+)");

    static PairedRole of(String roleArn, String accountId) {
        Matcher m = ROLE_ARN.matcher(roleArn);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IAM role ARN: " + roleArn);
        }
        return new PairedRole(roleArn, accountId, m.group(1), m.group(2));
    }

    boolean isSessionOf(AwsPrincipal.Session session) {
        return session.accountId().equals(accountId) && session.roleName().equals(name);
    }

    String accountRootArn() {
        return "arn:" + partition + ":iam::" + accountId + ":root";
    }
}
