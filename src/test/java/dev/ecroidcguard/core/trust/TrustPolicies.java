package dev.ecroidcguard.core.trust;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.ecroidcguard.core.trust.TrustFixtures.PROVIDER;
import static dev.ecroidcguard.core.trust.TrustFixtures.jsonList;

/** Small JSON builders so trust-policy tests read like the policies they test. */
final class TrustPolicies {

    static final String ISSUER = "token.actions.githubusercontent.com";
    static final String ENTERPRISE_ISSUER = ISSUER + "/acme-ent";
    static final String WEB_IDENTITY = "sts:AssumeRoleWithWebIdentity";

    private TrustPolicies() {
    }

    /** One key test of a Condition block: {@code "op": {"key": [values]}}. */
    record Cond(String operator, String key, List<String> values) {
    }

    static Cond cond(String operator, String key, String... values) {
        return new Cond(operator, key, List.of(values));
    }

    /** {@code token.actions.githubusercontent.com:<claim>} */
    static String key(String claim) {
        return ISSUER + ":" + claim;
    }

    static Cond aud() {
        return cond("StringEquals", key("aud"), "sts.amazonaws.com");
    }

    static Cond subPattern(String... values) {
        return cond("StringLike", key("sub"), values);
    }

    /** Groups key tests by operator into a Condition object. */
    static String conditions(Cond... conds) {
        Map<String, Map<String, List<String>>> byOperator = new LinkedHashMap<>();
        for (Cond c : conds) {
            byOperator.computeIfAbsent(c.operator(), o -> new LinkedHashMap<>()).put(c.key(), c.values());
        }
        return byOperator.entrySet().stream()
                .map(op -> "\"" + op.getKey() + "\":{" + op.getValue().entrySet().stream()
                        .map(k -> "\"" + k.getKey() + "\":" + jsonList(k.getValue().toArray(String[]::new)))
                        .collect(Collectors.joining(",")) + "}")
                .collect(Collectors.joining(",", "{", "}"));
    }

    /** An Allow statement for the public GitHub provider and AssumeRoleWithWebIdentity. */
    static String github(Cond... conds) {
        return statement("Allow", "{\"Federated\":\"" + PROVIDER + "\"}", "\"" + WEB_IDENTITY + "\"", conds);
    }

    static String statement(String effect, String principalJson, String actionJson, Cond... conds) {
        return "{\"Effect\":\"" + effect + "\",\"Principal\":" + principalJson + ",\"Action\":" + actionJson
                + (conds.length == 0 ? "" : ",\"Condition\":" + conditions(conds)) + "}";
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    /** The origin post's trust policy: aud pinned, sub {@code repo:acme/web-api:*}. */
    static String canonical() {
        return policy(github(aud(), subPattern("repo:acme/web-api:*")));
    }
}
