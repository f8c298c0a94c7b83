package dev.llmunit.core.ensemble.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped calibration set is what its generator writes, and the models have the accuracy it states. */
class ArithmeticProblemsTest {

    @Test
    void theShippedFileIsExactlyWhatTheGeneratorWrites() throws IOException {
        String shipped;
        try (InputStream in = ArithmeticProblems.class.getResourceAsStream(ArithmeticProblems.RESOURCE)) {
            assertThat(in).as(ArithmeticProblems.RESOURCE).isNotNull();
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(shipped).isEqualTo(ArithmeticProblems.toJsonLines(ArithmeticProblems.generate()));
    }

    @Test
    void eachModelIsRightExactlyAsOftenAsStated() {
        List<ArithmeticProblems.Problem> problems = ArithmeticProblems.shipped();

        assertThat(problems).hasSize(ArithmeticProblems.COUNT);
        assertThat(problems).extracting(ArithmeticProblems.Problem::question).doesNotHaveDuplicates();
        for (String model : ArithmeticProblems.MODELS) {
            long right = problems.stream().filter(problem -> problem.answers().get(model).value() == problem.answer()).count();
            assertThat(right).as(model).isEqualTo(ArithmeticProblems.RIGHT_ANSWERS.get(model).longValue());
        }
    }
}
