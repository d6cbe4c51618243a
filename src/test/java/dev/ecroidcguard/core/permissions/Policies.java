package dev.ecroidcguard.core.permissions;

import dev.ecroidcguard.core.analysis.Baseline;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Small builders for policy JSON, so tests read like the catalogue's examples. */
final class Policies {

    private Policies() {
    }

    static String baseline() {
        return Baseline.pushPullPolicy(RoleFixture.REPO_ARN);
    }

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String allow(List<String> actions, String... resources) {
        return statement("Allow", "Action", actions, "Resource", Arrays.asList(resources), "");
    }

    static String allow(String action, String... resources) {
        return allow(List.of(action), resources);
    }

    static String deny(List<String> actions, String... resources) {
        return statement("Deny", "Action", actions, "Resource", Arrays.asList(resources), "");
    }

    static String statement(String effect, String actionElement, List<String> actions, String resourceElement, List<String> resources,
                            String condition) {
        return "{\"Effect\":\"" + effect + "\",\"" + actionElement + "\":" + list(actions) + ",\"" + resourceElement + "\":"
                + list(resources) + (condition.isEmpty() ? "" : ",\"Condition\":" + condition) + "}";
    }

    /** A condition the analysis cannot decide for a CI request. */
    static String sourceIpCondition() {
        return "{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}";
    }

    static List<String> pushPull() {
        return Baseline.PUSH_PULL_ACTIONS;
    }

    private static String list(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
