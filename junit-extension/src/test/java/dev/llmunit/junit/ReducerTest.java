package dev.llmunit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reducers and the Wilson interval, number by number. */
class ReducerTest {

    @Test
    void readsEveryReducerAndWritesItBack() {
        assertThat(Reducer.parse("minPassRate(0.8)")).hasToString("minPassRate(0.8)");
        assertThat(Reducer.parse(" atLeast( 4 ) ")).hasToString("atLeast(4)");
        assertThat(Reducer.parse("pass@3")).hasToString("pass@3");
        assertThat(Reducer.parse("pass^3(0.5)")).hasToString("pass^3(0.5)");
        assertThatThrownBy(() -> Reducer.parse("majority")).hasMessageContaining("'majority' is not one llmunit knows")
                .hasMessageContaining("minPassRate(0.8)");
        assertThatThrownBy(() -> Reducer.parse("minPassRate(1.5)")).hasMessageContaining("between 0 and 1");
    }

    @Test
    void passAtKAndPassPowerKAreTheUnbiasedEstimates() {
        // n = 5 runs, c = 3 passed: pass@2 = 1 - C(2,2)/C(5,2) = 0.9; pass^2 = C(3,2)/C(5,2) = 0.3
        assertThat(Reducer.parse("pass@2").measure(3, 5)).isCloseTo(0.9, within(1e-12));
        assertThat(Reducer.parse("pass^2").measure(3, 5)).isCloseTo(0.3, within(1e-12));
        assertThat(Reducer.parse("pass@2(0.9)").passes(3, 5)).isTrue();
        assertThat(Reducer.parse("pass@2").passes(3, 5)).as("default minimum 1: two failures can be drawn together").isFalse();
        assertThat(Reducer.parse("pass@3").passes(1, 3)).as("with n = k: one pass is enough").isTrue();
        assertThat(Reducer.parse("pass^3").passes(2, 3)).isFalse();
        assertThat(Reducer.parse("pass^3").passes(3, 3)).isTrue();
        assertThat(Reducer.parse("atLeast(2)").passes(2, 3)).isTrue();
        assertThat(Reducer.parse("minPassRate(0.8)").passes(4, 5)).isTrue();
        assertThat(Reducer.parse("minPassRate(0.8)").passes(3, 5)).isFalse();
    }

    @Test
    void theWilsonIntervalAndTheLabelDescribeTheRuns() {
        Repetitions fourOfFive = Repetitions.judge(Reducer.parse("minPassRate(0.8)"), runs(true, true, false, true, true));

        // Wilson 95 % for 4 of 5: 0.3755 to 0.9638
        assertThat(fourOfFive.wilsonLower()).isCloseTo(0.3755, within(1e-4));
        assertThat(fourOfFive.wilsonUpper()).isCloseTo(0.9638, within(1e-4));
        assertThat(fourOfFive.passed()).isTrue();
        assertThat(fourOfFive.label()).isEqualTo(Repetitions.FLAKY);
        assertThat(Repetitions.judge(Reducer.DEFAULT, runs(true, true)).label()).isEqualTo(Repetitions.STABLE);
        assertThat(Repetitions.judge(Reducer.DEFAULT, runs(false, false)).label()).isEqualTo(Repetitions.FAILING);
        assertThat(Repetitions.wilson(0, 10, -1)).isZero();
        assertThat(Repetitions.wilson(10, 10, 1)).isCloseTo(1.0, within(1e-12));
    }

    private static List<Repetitions.Run> runs(boolean... passed) {
        List<Repetitions.Run> runs = new ArrayList<>();
        for (int i = 0; i < passed.length; i++) {
            runs.add(new Repetitions.Run(i + 1, passed[i], passed[i] ? "" : "failed"));
        }
        return runs;
    }
}
