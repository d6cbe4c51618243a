package dev.ecroidcguard.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether GitHub can issue a token: its rules restated with {@code java.util.regex} and plain code, independent of
 * the project's automata (issue 11, T6/T7), for the differential and property tests to check every witness.
 * Sources: GitHub's user/organisation and repository name rules, {@code git check-ref-format}, GitHub's OIDC
 * reference ("Understanding the OIDC token", "Example subject claims": the context is {@code environment:NAME} when
 * the job references an environment, {@code pull_request} for pull-request events, else {@code ref:REF}; a
 * {@code :} in a value is written {@code %3A}).
 */
public final class GitHubTokenRules {

    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern ID = Pattern.compile("[1-9][0-9]*");
    private static final Pattern PULL_MERGE = Pattern.compile("refs/pull/[1-9][0-9]*/merge");
    private static final Pattern IMMUTABLE_REPO = Pattern.compile("([^@/]+)@([^@/]+)/([^@/]+)@([^@/]+)");
    /** Claims GitHub sends empty outside pull requests. */
    private static final Set<String> MAY_BE_EMPTY = Set.of("head_ref", "base_ref");

    private GitHubTokenRules() {
    }

    public static boolean owner(String s) {
        return OWNER.matcher(s).matches() && s.length() <= 39;
    }

    public static boolean repositoryName(String s) {
        return NAME.matcher(s).matches() && !s.equals(".") && !s.equals("..");
    }

    public static boolean fullName(String s) {
        int slash = s.indexOf('/');
        return slash > 0 && owner(s.substring(0, slash)) && repositoryName(s.substring(slash + 1));
    }

    public static boolean id(String s) {
        return ID.matcher(s).matches();
    }

    /** {@code git check-ref-format} on a branch or tag name. */
    public static boolean refName(String s) {
        if (s.isEmpty() || s.endsWith("/") || s.endsWith(".") || s.equals("@") || s.contains("..") || s.contains("@{")) {
            return false;
        }
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0) {
                return false;
            }
        }
        for (String component : s.split("/", -1)) {
            if (component.isEmpty() || component.startsWith(".") || component.endsWith(".lock")) {
                return false;
            }
        }
        return true;
    }

    public static boolean ref(String s) {
        return (s.startsWith("refs/heads/") && refName(s.substring("refs/heads/".length())))
                || (s.startsWith("refs/tags/") && refName(s.substring("refs/tags/".length())))
                || PULL_MERGE.matcher(s).matches();
    }

    /**
     * What keeps GitHub from issuing a token with these claims (claim name to value; a claim not in the map is
     * absent); empty when it can. The subject is checked claim by claim and against the token's other claims.
     */
    public static List<String> problems(Map<String, String> claims) {
        List<String> problems = new ArrayList<>();
        claims.forEach((k, v) -> {
            if (v.isEmpty() && !MAY_BE_EMPTY.contains(k)) {
                problems.add("empty " + k);
            }
        });
        check(problems, claims, "repository", GitHubTokenRules::fullName);
        check(problems, claims, "repository_owner", GitHubTokenRules::owner);
        check(problems, claims, "repository_id", GitHubTokenRules::id);
        check(problems, claims, "repository_owner_id", GitHubTokenRules::id);
        check(problems, claims, "actor_id", GitHubTokenRules::id);
        check(problems, claims, "ref", GitHubTokenRules::ref);
        check(problems, claims, "environment", v -> v.chars().noneMatch(c -> c < 0x20 || c == 0x7f));
        String sub = claims.get("sub");
        if (sub != null) {
            subjectProblems(problems, sub, claims);
        }
        return problems;
    }

    private static void check(List<String> problems, Map<String, String> claims, String key, java.util.function.Predicate<String> valid) {
        String v = claims.get(key);
        if (v != null && !valid.test(v)) {
            problems.add(key + " '" + v + "' is not one GitHub issues");
        }
    }

    private static void subjectProblems(List<String> problems, String sub, Map<String, String> claims) {
        String[] parts = sub.split(":", -1);
        int i = 0;
        while (i < parts.length) {
            String key = parts[i];
            if (key.equals("pull_request")) {
                if (claims.containsKey("environment")) {
                    problems.add("sub context pull_request with an environment claim");
                }
                String ref = claims.get("ref");
                if (ref != null && !PULL_MERGE.matcher(ref).matches() && !ref.startsWith("refs/heads/")) {
                    problems.add("sub context pull_request with ref " + ref);
                }
                i++;
                continue;
            }
            if (i + 1 >= parts.length) {
                problems.add("sub claim '" + key + "' without a value");
                return;
            }
            String value = parts[i + 1].replace("%3A", ":");
            i += 2;
            if (value.isEmpty() && !MAY_BE_EMPTY.contains(key)) {
                problems.add("sub claim " + key + " is empty");
            }
            switch (key) {
                case "repo" -> {
                    Matcher m = IMMUTABLE_REPO.matcher(value);
                    String fullName = m.matches() ? m.group(1) + "/" + m.group(3) : value;
                    if (!fullName(fullName) || (m.matches() && !(id(m.group(2)) && id(m.group(4))))) {
                        problems.add("sub repo '" + value + "' is no GitHub repository");
                    }
                    same(problems, claims, "repository", fullName);
                    if (m.matches()) {
                        same(problems, claims, "repository_owner_id", m.group(2));
                        same(problems, claims, "repository_id", m.group(4));
                    }
                }
                case "repository" -> {
                    if (!fullName(value)) {
                        problems.add("sub repository '" + value + "' is no GitHub repository");
                    }
                    same(problems, claims, "repository", value);
                }
                case "ref" -> {
                    if (!ref(value)) {
                        problems.add("sub ref '" + value + "' is not a ref");
                    }
                    same(problems, claims, "ref", value);
                }
                case "environment" -> {
                    if (!claims.containsKey("environment")) {
                        problems.add("sub environment '" + value + "' without an environment claim");
                    }
                    same(problems, claims, "environment", value);
                }
                case "repository_owner", "repository_id", "repository_owner_id", "workflow", "actor", "actor_id", "job_workflow_ref",
                     "enterprise_id" -> same(problems, claims, key, value);
                default -> {
                }
            }
        }
        // Not checked: a ref claim in a subject beside an environment claim. Under the default template that ref would
        // be the context (no environment); but a custom template may name the ref claim itself (repo,ref), and the
        // template of another owner's repository is theirs to choose.
    }

    private static void same(List<String> problems, Map<String, String> claims, String key, String subValue) {
        String v = claims.get(key);
        if (v != null && !v.equals(subValue)) {
            problems.add("sub says " + key + " '" + subValue + "' but the claim is '" + v + "'");
        }
    }
}
