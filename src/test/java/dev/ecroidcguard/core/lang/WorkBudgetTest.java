package dev.ecroidcguard.core.lang;

import dk.brics.automaton.Automaton;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkBudgetTest {

    /**
     * {@code *a} followed by {@code n} '?': the deterministic automaton remembers the last n + 1 characters. The
     * {@code prefix} keeps each test's patterns apart (compiled patterns are cached across tests).
     */
    private static String blowUp(String prefix, int n) {
        return prefix + "*a" + "?".repeat(n);
    }

    @Test
    void an_exponential_pattern_exceeds_the_state_budget_and_nothing_is_cached() {
        WorkBudget.Limits small = new WorkBudget.Limits(5_000, 60_000);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> WorkBudget.within(small, () -> Wildcards.pattern(blowUp("x", 12))))
                    .isInstanceOf(WorkBudget.ExceededException.class).hasMessageContaining("5000 states");
        }
        // The same pattern within a budget large enough, and small ones within the small budget, are built as usual.
        Automaton built = WorkBudget.within(new WorkBudget.Limits(1_000_000, 60_000), () -> Wildcards.pattern(blowUp("x", 12)));
        assertThat(built.run("xba" + "b".repeat(12))).isTrue();
        assertThat(built.run("xb" + "b".repeat(13))).isFalse();
        assertThat(WorkBudget.within(small, () -> Wildcards.pattern(blowUp("x", 3)).run("xab12"))).isTrue();
        assertThat(WorkBudget.within(small, () -> Wildcards.pattern(blowUp("x", 3)).run("xab1"))).isFalse();
    }

    @Test
    void the_deadline_stops_work_that_no_state_count_sees() {
        WorkBudget.Limits instant = new WorkBudget.Limits(Long.MAX_VALUE, 0);
        assertThatThrownBy(() -> WorkBudget.within(instant, () -> {
            long until = System.nanoTime() + 5_000_000;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return Lang.star(Lang.lit("a"));
        })).isInstanceOf(WorkBudget.ExceededException.class).hasMessageContaining("0 ms");
    }

    @Test
    void a_nested_budget_is_its_own_and_the_outer_one_resumes() {
        WorkBudget.Limits small = new WorkBudget.Limits(5_000, 60_000);
        List<String> seen = new ArrayList<>();
        WorkBudget.within(small, () -> {
            try {
                WorkBudget.within(new WorkBudget.Limits(10, 60_000), () -> Wildcards.pattern("y*b???"));
            } catch (WorkBudget.ExceededException e) {
                seen.add("inner exceeded");
            }
            seen.add(Wildcards.pattern("y*b???").run("ybccc") ? "outer built it" : "wrong");
            return null;
        });
        assertThat(seen).containsExactly("inner exceeded", "outer built it");
        // Outside any budget nothing is limited (grammar constants are built at class load).
        assertThat(Wildcards.pattern(blowUp("z", 12)).isDeterministic()).isTrue();
    }

    @Test
    void the_linear_compilation_matches_the_glob_matcher() {
        List<String> patterns = List.of("*", "**", "a*", "*a", "a?c", "?*?", "a**b*c", "arn:aws:iam::*:role/x*", "*" .repeat(1_000), "", "a");
        List<String> words = List.of("", "a", "ab", "abc", "aXc", "ba", "aabbcc", "arn:aws:iam::1:role/xy", "acb");
        for (String p : patterns) {
            Automaton a = Wildcards.pattern(p);
            for (String w : words) {
                assertThat(a.run(w)).as("%s ~ %s", p.length() > 20 ? p.substring(0, 20) + "..." : p, w).isEqualTo(Wildcards.matches(p, w));
            }
        }
    }
}
