package dev.ecroidcguard.core.repositorypolicy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of a Principal element's {@code AWS} list, recognised by its form. Resource policies do not
 * accept wildcards in principal ARNs (only a lone {@code *}), so these are plain values, not patterns.
 */
sealed interface AwsPrincipal {

    /** {@code "*"}: every principal, including anonymous callers. */
    record Everyone() implements AwsPrincipal {
    }

    /** {@code 123456789012} or {@code arn:aws:iam::123456789012:root}: delegates to that account's IAM. */
    record Account(String accountId) implements AwsPrincipal {
    }

    /** An IAM role, user or other identity ARN ({@code role/...}, {@code user/...}, {@code federated-user/...}). */
    record Identity(String accountId, String arn, boolean isRole) implements AwsPrincipal {
    }

    /** {@code arn:aws:sts::<acct>:assumed-role/<role>/<session>}: one session of a role, granted directly. */
    record Session(String accountId, String roleName, String arn) implements AwsPrincipal {
    }

    /** Anything else, e.g. the unique ID ECR shows after the named role was deleted: it matches no caller. */
    record Unrecognised(String text) implements AwsPrincipal {
    }

    Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    Pattern IAM_ARN = Pattern.compile("arn:[a-z-]+:iam::([0-9]{12}):(root|role/.+|user/.+|federated-user/.+)");
    Pattern SESSION_ARN = Pattern.compile("arn:[a-z-]+:sts::([0-9]{12}):assumed-role/([^/]+)/(.+)");

    static AwsPrincipal parse(String value) {
        if (value.equals("*")) {
            return new Everyone();
        }
        if (ACCOUNT_ID.matcher(value).matches()) {
            return new Account(value);
        }
        Matcher iam = IAM_ARN.matcher(value);
        if (iam.matches()) {
            String resource = iam.group(2);
            return resource.equals("root") ? new Account(iam.group(1)) : new Identity(iam.group(1), value, resource.startsWith("role/"));
        }
        Matcher session = SESSION_ARN.matcher(value);
        if (session.matches()) {
            return new Session(session.group(1), session.group(2), value);
        }
        return new Unrecognised(value);
    }
}
