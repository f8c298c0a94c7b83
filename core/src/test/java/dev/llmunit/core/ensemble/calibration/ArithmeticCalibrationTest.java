package dev.llmunit.core.ensemble.calibration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.llmunit.core.ensemble.AnswerKey;
import dev.llmunit.core.ensemble.CalibrationMetrics;
import dev.llmunit.core.ensemble.ConfidenceCalibration;
import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.LabelledConfidence;
import dev.llmunit.core.http.LlmHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Calibration measured on the shipped labelled set: an ensemble of the three fixture models
 * (real OpenAI and Anthropic clients over real HTTP to WireMock on loopback) answers all 200
 * problems; its raw confidence is calibrated with 5-fold cross-validation (each problem's calibrated
 * confidence comes from a calibration fitted on the other four folds, so no problem is judged by a
 * fit that saw it), and ECE and Brier before and after are compared on the same problems, with 95 %
 * bootstrap intervals (2,000 resamples of the problems, paired). The figures are written to
 * {@code core/target/calibration/arithmetic-200.md}; the README quotes them.
 */
class ArithmeticCalibrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FOLDS = 5;
    private static final int RESAMPLES = 2000;
    private static final String SYSTEM = "Solve the word problem. Show your reasoning briefly and end with the final number.";

    private static WireMockServer server;
    private static List<ArithmeticProblems.Problem> problems;
    private static List<LabelledConfidence> raw;
    private static double ensembleAccuracy;

    @BeforeAll
    static void answerEveryProblem() {
        problems = ArithmeticProblems.shipped();
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").containerThreads(16));
        server.start();
        for (ArithmeticProblems.Problem problem : problems) {
            for (String model : ArithmeticProblems.MODELS) {
                ArithmeticProblems.Answer answer = problem.answers().get(model);
                boolean anthropic = model.equals("model-c");
                server.stubFor(post(urlEqualTo("/" + model + (anthropic ? "/v1/messages" : "/v1/chat/completions")))
                        .withRequestBody(containing(problem.question()))
                        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                                .withBody(anthropic ? anthropicBody(problem.id(), answer) : openAiBody(problem.id(), model, answer))));
            }
        }
        Ensemble ensemble = Ensemble.builder()
                .name("arithmetic")
                .member("model-a", OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/model-a/v1").apiKey("test-key")
                        .modelName("gpt-4o-mini").logprobs(true).maxRetries(0).httpClientBuilder(LlmHttpClient.builder()).build())
                .member("model-b", OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/model-b/v1").apiKey("test-key")
                        .modelName("gpt-4o-mini").logprobs(true).maxRetries(0).httpClientBuilder(LlmHttpClient.builder()).build())
                .member("model-c", AnthropicChatModel.builder().baseUrl(server.baseUrl() + "/model-c/v1").apiKey("test-key")
                        .modelName("claude-haiku-4-5").maxRetries(0).httpClientBuilder(LlmHttpClient.builder()).build())
                .answerKey(AnswerKey.finalNumber())
                .build();
        raw = new ArrayList<>();
        int right = 0;
        for (ArithmeticProblems.Problem problem : problems) {
            EnsembleResult result = ensemble.run(ChatRequest.builder()
                    .messages(SystemMessage.from(SYSTEM), UserMessage.from(problem.question())).build());
            boolean correct = Long.toString(problem.answer()).equals(result.chosenKey());
            right += correct ? 1 : 0;
            raw.add(LabelledConfidence.of(result, correct));
        }
        ensembleAccuracy = (double) right / problems.size();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void isotonicCalibrationLowersTheExpectedCalibrationErrorOnProblemsItWasNotFittedOn() throws IOException {
        Measured isotonic = measure(ConfidenceCalibration::isotonic);
        Measured histogram = measure(data -> ConfidenceCalibration.histogram(data, 10));
        write(isotonic, histogram);

        assertThat(isotonic.metrics.ece()).as(isotonic.summary()).isLessThan(isotonic.metrics.rawEce());
        assertThat(isotonic.eceGain[0]).as("the paired gain's 95 %% interval lies above zero: " + isotonic.summary()).isPositive();
        assertThat(isotonic.metrics.brier()).isLessThan(isotonic.metrics.rawBrier());
        assertThat(histogram.metrics.ece()).as(histogram.summary()).isLessThan(histogram.metrics.rawEce());
    }

    @Test
    void aCalibrationFittedOnTheWholeSetRoundTripsThroughItsFile(@org.junit.jupiter.api.io.TempDir Path directory) {
        ConfidenceCalibration fitted = ConfidenceCalibration.isotonic(raw);
        Path file = directory.resolve("arithmetic-calibration.json");

        fitted.save(file);

        assertThat(ConfidenceCalibration.load(file).fit()).isEqualTo(new CalibrationMetrics(200, 10, round(fitted.fit().rawEce()),
                round(fitted.ece()), round(fitted.fit().rawBrier()), round(fitted.brier())));
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    /** Out-of-fold calibrated confidences for every problem, and their metrics with bootstrap intervals. */
    private static Measured measure(Function<List<LabelledConfidence>, ConfidenceCalibration> fit) {
        double[] calibrated = new double[raw.size()];
        for (int fold = 0; fold < FOLDS; fold++) {
            List<LabelledConfidence> training = new ArrayList<>();
            for (int i = 0; i < raw.size(); i++) {
                if (i % FOLDS != fold) {
                    training.add(raw.get(i));
                }
            }
            ConfidenceCalibration calibration = fit.apply(training);
            for (int i = fold; i < raw.size(); i += FOLDS) {
                calibrated[i] = calibration.calibrate(raw.get(i).confidence());
            }
        }
        List<LabelledConfidence> after = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            after.add(new LabelledConfidence(calibrated[i], raw.get(i).correct()));
        }
        CalibrationMetrics metrics = new CalibrationMetrics(raw.size(), 10, ConfidenceCalibration.ece(raw, 10),
                ConfidenceCalibration.ece(after, 10), ConfidenceCalibration.brier(raw), ConfidenceCalibration.brier(after));
        Random random = new Random(ArithmeticProblems.SEED);
        double[][] samples = new double[6][RESAMPLES];
        for (int r = 0; r < RESAMPLES; r++) {
            List<LabelledConfidence> before = new ArrayList<>(raw.size());
            List<LabelledConfidence> calibratedSample = new ArrayList<>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                int pick = random.nextInt(raw.size());
                before.add(raw.get(pick));
                calibratedSample.add(after.get(pick));
            }
            samples[0][r] = ConfidenceCalibration.ece(before, 10);
            samples[1][r] = ConfidenceCalibration.ece(calibratedSample, 10);
            samples[2][r] = samples[0][r] - samples[1][r];
            samples[3][r] = ConfidenceCalibration.brier(before);
            samples[4][r] = ConfidenceCalibration.brier(calibratedSample);
            samples[5][r] = samples[3][r] - samples[4][r];
        }
        return new Measured(metrics, interval(samples[0]), interval(samples[1]), interval(samples[2]), interval(samples[3]),
                interval(samples[4]), interval(samples[5]));
    }

    private static double[] interval(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) Math.floor(0.025 * (sorted.length - 1))], sorted[(int) Math.ceil(0.975 * (sorted.length - 1))]};
    }

    private record Measured(CalibrationMetrics metrics, double[] rawEce, double[] ece, double[] eceGain, double[] rawBrier,
            double[] brier, double[] brierGain) {

        String summary() {
            return String.format(Locale.ROOT, "ECE %.3f [%.3f, %.3f] -> %.3f [%.3f, %.3f], paired gain [%.3f, %.3f]; Brier %.3f [%.3f, %.3f]"
                            + " -> %.3f [%.3f, %.3f], paired gain [%.3f, %.3f]",
                    metrics.rawEce(), rawEce[0], rawEce[1], metrics.ece(), ece[0], ece[1], eceGain[0], eceGain[1],
                    metrics.rawBrier(), rawBrier[0], rawBrier[1], metrics.brier(), brier[0], brier[1], brierGain[0], brierGain[1]);
        }
    }

    private static void write(Measured isotonic, Measured histogram) throws IOException {
        String report = String.format(Locale.ROOT, """
                # Calibration on arithmetic-200 (measured by ArithmeticCalibrationTest)

                %d problems; ensemble of model-a (80 %% right), model-b (70 %%), model-c (60 %%), majority vote over the final number;
                ensemble accuracy %.3f. Calibrated values are out-of-fold (%d folds); intervals are 95 %% bootstrap percentiles over
                %d resamples of the problems (seed %d), paired.

                | calibration | ECE raw | ECE calibrated | ECE gain | Brier raw | Brier calibrated | Brier gain |
                | --- | --- | --- | --- | --- | --- | --- |
                %s
                %s
                """, problems.size(), ensembleAccuracy, FOLDS, RESAMPLES, ArithmeticProblems.SEED, row("isotonic", isotonic),
                row("histogram (10 bins)", histogram));
        Path file = Path.of("target", "calibration", "arithmetic-200.md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report, StandardCharsets.UTF_8);
        System.out.println(report);
    }

    private static String row(String name, Measured measured) {
        CalibrationMetrics m = measured.metrics;
        return String.format(Locale.ROOT, "| %s | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f] | %.3f [%.3f, %.3f]"
                        + " | %.3f [%.3f, %.3f] |",
                name, m.rawEce(), measured.rawEce[0], measured.rawEce[1], m.ece(), measured.ece[0], measured.ece[1],
                m.rawEce() - m.ece(), measured.eceGain[0], measured.eceGain[1], m.rawBrier(), measured.rawBrier[0], measured.rawBrier[1],
                m.brier(), measured.brier[0], measured.brier[1], m.rawBrier() - m.brier(), measured.brierGain[0], measured.brierGain[1]);
    }

    private static String openAiBody(int id, String model, ArithmeticProblems.Answer answer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-" + model + "-" + id).put("object", "chat.completion").put("created", 1751462400)
                .put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", answer.text()).putNull("refusal");
        ObjectNode token = choice.putObject("logprobs").putArray("content").addObject();
        token.put("token", Long.toString(answer.value())).put("logprob", Math.log(answer.logProbConfidence()));
        token.putArray("top_logprobs");
        body.putObject("usage").put("prompt_tokens", 60).put("completion_tokens", 14).put("total_tokens", 74);
        return body.toString();
    }

    private static String anthropicBody(int id, ArithmeticProblems.Answer answer) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "msg_arithmetic" + id).put("type", "message").put("role", "assistant").put("model", "claude-haiku-4-5-20251001");
        body.putArray("content").addObject().put("type", "text").put("text", answer.text());
        body.put("stop_reason", "end_turn").putNull("stop_sequence");
        body.putObject("usage").put("input_tokens", 70).put("output_tokens", 16);
        return body.toString();
    }
}
