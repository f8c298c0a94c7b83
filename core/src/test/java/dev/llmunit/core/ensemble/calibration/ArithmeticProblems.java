package dev.llmunit.core.ensemble.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The labelled calibration set: 200 arithmetic word problems with their answers, and what three
 * fixture "models" of known accuracy answered each. Generated from a fixed seed and shipped as
 * {@code arithmetic-200.jsonl}; {@link ArithmeticProblemsTest} checks the shipped file is exactly
 * what this generator writes, so the set can be audited and rebuilt ({@code main} writes it).
 *
 * <p>The models, by construction: {@code model-a} is right on exactly 160 problems (80 %),
 * {@code model-b} on 140 (70 %), {@code model-c} on 120 (60 %). A wrong answer is, with
 * probability 0.6, the problem's one "typical mistake" (so wrong models often agree with each other,
 * as real models share misconceptions), otherwise another nearby wrong number. {@code model-a} and
 * {@code model-b} answer like OpenAI with token log-probabilities: a right answer's token confidence
 * is drawn from 0.70 to 0.99, a wrong one's from 0.50 to 0.95 (overlapping, as real ones do);
 * {@code model-c} answers like Anthropic, without log-probabilities.
 */
public final class ArithmeticProblems {

    /** The shipped file, on the test class path. */
    public static final String RESOURCE = "/dev/llmunit/core/ensemble/calibration/arithmetic-200.jsonl";
    /** The seed of {@link #generate()}. */
    public static final long SEED = 20260702L;
    /** How many problems. */
    public static final int COUNT = 200;
    /** Each model and how many problems it answers right. */
    public static final Map<String, Integer> RIGHT_ANSWERS = Map.of("model-a", 160, "model-b", 140, "model-c", 120);
    /** The models in order. */
    public static final List<String> MODELS = List.of("model-a", "model-b", "model-c");

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String[] NAMES = {"Mia", "Noah", "Ava", "Liam", "Zoe", "Omar", "Lena", "Ravi", "Sofia", "Kenji", "Amara", "Felix"};
    private static final String[] THINGS = {"apples", "stickers", "marbles", "books", "stamps", "coins", "shells", "pencils"};

    /**
     * One model's answer.
     *
     * @param text what it answered
     * @param value the number it gave
     * @param logProbConfidence its token confidence, or {@code null} for a model without log-probabilities
     */
    public record Answer(String text, long value, Double logProbConfidence) {}

    /**
     * One labelled problem.
     *
     * @param id from 1
     * @param question the word problem
     * @param answer the right answer
     * @param answers each model's answer, in {@link #MODELS} order
     */
    public record Problem(int id, String question, long answer, Map<String, Answer> answers) {}

    private ArithmeticProblems() {}

    /**
     * Generates the set.
     *
     * @return the problems, in id order
     */
    public static List<Problem> generate() {
        Random random = new Random(SEED);
        List<String> questions = new ArrayList<>();
        List<Long> answers = new ArrayList<>();
        List<Long> mistakes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (questions.size() < COUNT) {
            String name = NAMES[random.nextInt(NAMES.length)];
            String thing = THINGS[random.nextInt(THINGS.length)];
            int a = 6 + random.nextInt(45);
            int b = 2 + random.nextInt(19);
            int c = 2 + random.nextInt(7);
            String question;
            long answer;
            long mistake;
            switch (random.nextInt(5)) {
                case 0 -> {
                    question = name + " has " + a + " " + thing + " and gets " + b + " more. How many " + thing + " does " + name + " have now?";
                    answer = a + b;
                    mistake = a + b + 1;
                }
                case 1 -> {
                    int start = a + b;
                    question = name + " had " + start + " " + thing + " and gave away " + b + ". How many " + thing + " are left?";
                    answer = a;
                    mistake = start + b;
                }
                case 2 -> {
                    question = name + " buys " + c + " boxes with " + b + " " + thing + " in each. How many " + thing + " is that?";
                    answer = (long) c * b;
                    mistake = c + b;
                }
                case 3 -> {
                    int total = c * b;
                    question = name + " shares " + total + " " + thing + " equally among " + c + " friends. How many does each friend get?";
                    answer = b;
                    mistake = total - c;
                }
                default -> {
                    question = name + " has " + a + " " + thing + ", buys " + c + " packs of " + b + ", then loses " + c
                            + ". How many " + thing + " does " + name + " have?";
                    answer = a + (long) c * b - c;
                    mistake = a + (long) c * b;
                }
            }
            if (mistake == answer || !seen.add(question)) {
                continue;
            }
            questions.add(question);
            answers.add(answer);
            mistakes.add(mistake);
        }
        Map<String, Set<Integer>> right = new LinkedHashMap<>();
        for (String model : MODELS) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                order.add(i);
            }
            Collections.shuffle(order, random);
            right.put(model, new HashSet<>(order.subList(0, RIGHT_ANSWERS.get(model))));
        }
        List<Problem> problems = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            Map<String, Answer> byModel = new LinkedHashMap<>();
            for (String model : MODELS) {
                boolean correct = right.get(model).contains(i);
                long value;
                if (correct) {
                    value = answers.get(i);
                } else if (random.nextDouble() < 0.6) {
                    value = mistakes.get(i);
                } else {
                    long offset = 2 + random.nextInt(9);
                    value = answers.get(i) + (random.nextBoolean() ? offset : -offset);
                    if (value == mistakes.get(i) || value < 0) {
                        value = answers.get(i) + offset + 11;
                    }
                }
                Double confidence = model.equals("model-c") ? null
                        : Math.round((correct ? 0.70 + 0.29 * random.nextDouble() : 0.50 + 0.45 * random.nextDouble()) * 1e4) / 1e4;
                String text = switch (model) {
                    case "model-a" -> "Let me work it out step by step. The answer is " + value + ".";
                    case "model-b" -> "Answer: " + value;
                    default -> "Working through the numbers, " + name(questions.get(i)) + " ends up with " + value + ".";
                };
                byModel.put(model, new Answer(text, value, confidence));
            }
            problems.add(new Problem(i + 1, questions.get(i), answers.get(i), byModel));
        }
        return problems;
    }

    private static String name(String question) {
        return question.substring(0, question.indexOf(' '));
    }

    /**
     * The set as JSON lines, one problem per line.
     *
     * @param problems the problems
     * @return the file's text
     */
    public static String toJsonLines(List<Problem> problems) {
        StringBuilder lines = new StringBuilder();
        for (Problem problem : problems) {
            ObjectNode line = JSON.createObjectNode();
            line.put("id", problem.id());
            line.put("question", problem.question());
            line.put("answer", problem.answer());
            ObjectNode byModel = line.putObject("answers");
            problem.answers().forEach((model, answer) -> {
                ObjectNode node = byModel.putObject(model);
                node.put("text", answer.text());
                node.put("value", answer.value());
                if (answer.logProbConfidence() != null) {
                    node.put("logProbConfidence", answer.logProbConfidence());
                }
            });
            lines.append(line).append('\n');
        }
        return lines.toString();
    }

    /**
     * Reads the shipped set.
     *
     * @return the problems, in id order
     */
    public static List<Problem> shipped() {
        try (InputStream in = ArithmeticProblems.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the test class path");
            }
            List<Problem> problems = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = JSON.readTree(line);
                Map<String, Answer> byModel = new LinkedHashMap<>();
                for (String model : MODELS) {
                    JsonNode answer = node.path("answers").path(model);
                    byModel.put(model, new Answer(answer.path("text").asText(), answer.path("value").asLong(),
                            answer.has("logProbConfidence") ? answer.path("logProbConfidence").asDouble() : null));
                }
                problems.add(new Problem(node.path("id").asInt(), node.path("question").asText(), node.path("answer").asLong(), byModel));
            }
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the set into the test resources.
     *
     * @param args the module directory (default {@code core})
     * @throws IOException when the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length == 0 ? "core" : args[0], "src/test/resources" + RESOURCE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, toJsonLines(generate()), StandardCharsets.UTF_8);
        System.out.printf(Locale.ROOT, "wrote %d problems to %s%n", COUNT, file);
    }
}
