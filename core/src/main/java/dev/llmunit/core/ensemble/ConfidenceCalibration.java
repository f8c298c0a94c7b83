package dev.llmunit.core.ensemble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Maps an ensemble's raw confidence to the accuracy it stands for, fitted from labelled
 * (confidence, correct) pairs. Raw agreement is rarely calibrated: three weak models that agree are
 * not right 100 % of the time. Two methods:
 *
 * <ul>
 *   <li>{@link #histogram(List, int) histogram binning}: equal-width bins, each mapped to the share
 *       of correct answers in it (an empty bin takes its nearest non-empty neighbour's value);</li>
 *   <li>{@link #isotonic(List) isotonic regression}: the best non-decreasing fit (pool adjacent
 *       violators), interpolated linearly between its steps.</li>
 * </ul>
 *
 * <p>A fitted calibration is a small JSON file to commit and load in the ensemble:
 *
 * <pre>{@code
 * ConfidenceCalibration fitted = ConfidenceCalibration.isotonic(labelled);
 * fitted.save(Path.of("src/test/resources/triage-calibration.json"));
 * Ensemble.builder()...calibration(ConfidenceCalibration.load(Path.of("src/test/resources/triage-calibration.json")))
 * }</pre>
 *
 * <p>{@link #ece()} and {@link #brier()} describe the fit on its own data; judge a calibration on
 * data it was not fitted on with {@link #evaluate(List)}. Immutable and thread-safe.
 */
public final class ConfidenceCalibration {

    /** How a calibration was fitted. */
    public enum Method {
        /** Equal-width histogram binning. */
        HISTOGRAM,
        /** Isotonic regression. */
        ISOTONIC
    }

    /** Bins of the expected calibration error, and of histogram binning unless given: {@value}. */
    public static final int DEFAULT_BINS = 10;

    /** The version of the JSON layout written by {@link #toJson()}. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Method method;
    /** Histogram: the bins' calibrated values. Isotonic: the knots' calibrated values. */
    private final double[] values;
    /** Isotonic: the knots' raw confidences, ascending. Histogram: unused (empty). */
    private final double[] knots;
    private final int[] counts;
    private final CalibrationMetrics fit;

    private ConfidenceCalibration(Method method, double[] values, double[] knots, int[] counts, CalibrationMetrics fit) {
        this.method = method;
        this.values = values;
        this.knots = knots;
        this.counts = counts;
        this.fit = fit;
    }

    // ---- fitting --------------------------------------------------------------------------------

    /**
     * Fits histogram binning with {@value #DEFAULT_BINS} bins.
     *
     * @param data labelled observations, at least one
     * @return the calibration
     */
    public static ConfidenceCalibration histogram(List<LabelledConfidence> data) {
        return histogram(data, DEFAULT_BINS);
    }

    /**
     * Fits histogram binning: bin {@code i} of {@code bins} holds confidences in
     * {@code [i/bins, (i+1)/bins)} (the last bin includes 1) and maps them to its share of correct answers.
     *
     * @param data labelled observations, at least one
     * @param bins the number of equal-width bins, 1 to 1000
     * @return the calibration
     */
    public static ConfidenceCalibration histogram(List<LabelledConfidence> data, int bins) {
        requireData(data);
        if (bins < 1 || bins > 1000) {
            throw new IllegalArgumentException("bins must be between 1 and 1000, but was " + bins);
        }
        int[] counts = new int[bins];
        int[] correct = new int[bins];
        for (LabelledConfidence point : data) {
            int bin = bin(point.confidence(), bins);
            counts[bin]++;
            correct[bin] += point.correct() ? 1 : 0;
        }
        double[] values = new double[bins];
        for (int i = 0; i < bins; i++) {
            values[i] = counts[i] == 0 ? Double.NaN : (double) correct[i] / counts[i];
        }
        fillEmptyBins(values);
        double[] noKnots = new double[0];
        return new ConfidenceCalibration(Method.HISTOGRAM, values, noKnots, counts,
                metrics(data, new ConfidenceCalibration(Method.HISTOGRAM, values, noKnots, counts, null)));
    }

    /**
     * Fits isotonic regression (pool adjacent violators) and interpolates linearly between its steps;
     * below the lowest and above the highest observed confidence it stays flat.
     *
     * @param data labelled observations, at least one
     * @return the calibration
     */
    public static ConfidenceCalibration isotonic(List<LabelledConfidence> data) {
        requireData(data);
        LabelledConfidence[] sorted = data.toArray(new LabelledConfidence[0]);
        Arrays.sort(sorted, Comparator.comparingDouble(LabelledConfidence::confidence));
        // Blocks of equal confidence first, then pooled while a block is above its successor.
        List<double[]> blocks = new ArrayList<>(); // {minX, maxX, sum of correct, count}
        for (LabelledConfidence point : sorted) {
            double y = point.correct() ? 1 : 0;
            double[] last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (last != null && last[1] == point.confidence()) {
                last[2] += y;
                last[3]++;
            } else {
                blocks.add(new double[] {point.confidence(), point.confidence(), y, 1});
            }
            while (blocks.size() >= 2) {
                double[] right = blocks.get(blocks.size() - 1);
                double[] left = blocks.get(blocks.size() - 2);
                if (left[2] / left[3] <= right[2] / right[3]) {
                    break;
                }
                left[1] = right[1];
                left[2] += right[2];
                left[3] += right[3];
                blocks.remove(blocks.size() - 1);
            }
        }
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        List<Integer> ns = new ArrayList<>();
        for (double[] block : blocks) {
            double value = block[2] / block[3];
            xs.add(block[0]);
            ys.add(value);
            ns.add((int) block[3]);
            if (block[1] > block[0]) {
                xs.add(block[1]);
                ys.add(value);
                ns.add(0);
            }
        }
        double[] knots = xs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] values = ys.stream().mapToDouble(Double::doubleValue).toArray();
        int[] counts = ns.stream().mapToInt(Integer::intValue).toArray();
        return new ConfidenceCalibration(Method.ISOTONIC, values, knots, counts,
                metrics(data, new ConfidenceCalibration(Method.ISOTONIC, values, knots, counts, null)));
    }

    // ---- using ----------------------------------------------------------------------------------

    /**
     * The calibrated confidence of a raw one.
     *
     * @param raw a raw confidence, 0 to 1
     * @return the calibrated confidence, 0 to 1
     */
    public double calibrate(double raw) {
        if (!(raw >= 0 && raw <= 1)) {
            throw new IllegalArgumentException("a confidence to calibrate must be between 0 and 1, but was " + raw);
        }
        if (method == Method.HISTOGRAM) {
            return values[bin(raw, values.length)];
        }
        if (raw <= knots[0]) {
            return values[0];
        }
        int last = knots.length - 1;
        if (raw >= knots[last]) {
            return values[last];
        }
        int upper = Arrays.binarySearch(knots, raw);
        if (upper >= 0) {
            return values[upper];
        }
        upper = -upper - 1;
        int lower = upper - 1;
        double t = (raw - knots[lower]) / (knots[upper] - knots[lower]);
        return values[lower] + t * (values[upper] - values[lower]);
    }

    /**
     * How it was fitted.
     *
     * @return the method
     */
    public Method method() {
        return method;
    }

    /**
     * The observations it was fitted on.
     *
     * @return the count
     */
    public int fittedOn() {
        return fit.count();
    }

    /**
     * The expected calibration error of the calibrated confidences on the fitting data
     * ({@value #DEFAULT_BINS} equal-width bins: the count-weighted mean gap between mean confidence
     * and accuracy per bin).
     *
     * @return 0 (perfect) to 1
     */
    public double ece() {
        return fit.ece();
    }

    /**
     * The Brier score of the calibrated confidences on the fitting data.
     *
     * @return the mean squared error against 0/1 correctness, 0 (perfect) to 1
     */
    public double brier() {
        return fit.brier();
    }

    /**
     * Before and after on the fitting data.
     *
     * @return raw and calibrated ECE and Brier
     */
    public CalibrationMetrics fit() {
        return fit;
    }

    /**
     * Before and after on other data, such as a held-out set: the honest measure.
     *
     * @param data labelled observations, at least one
     * @return raw and calibrated ECE and Brier on them
     */
    public CalibrationMetrics evaluate(List<LabelledConfidence> data) {
        requireData(data);
        return metrics(data, this);
    }

    /**
     * The expected calibration error of confidences as they are.
     *
     * @param data labelled observations, at least one
     * @param bins equal-width bins, at least 1
     * @return the count-weighted mean of |mean confidence - accuracy| over the non-empty bins
     */
    public static double ece(List<LabelledConfidence> data, int bins) {
        requireData(data);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, but was " + bins);
        }
        double[] sumConfidence = new double[bins];
        int[] correct = new int[bins];
        int[] counts = new int[bins];
        for (LabelledConfidence point : data) {
            int bin = bin(point.confidence(), bins);
            sumConfidence[bin] += point.confidence();
            correct[bin] += point.correct() ? 1 : 0;
            counts[bin]++;
        }
        double error = 0;
        for (int i = 0; i < bins; i++) {
            if (counts[i] > 0) {
                error += Math.abs(sumConfidence[i] / counts[i] - (double) correct[i] / counts[i]) * counts[i];
            }
        }
        return error / data.size();
    }

    /**
     * The Brier score of confidences as they are.
     *
     * @param data labelled observations, at least one
     * @return the mean of (confidence - correct)²
     */
    public static double brier(List<LabelledConfidence> data) {
        requireData(data);
        double sum = 0;
        for (LabelledConfidence point : data) {
            double gap = point.confidence() - (point.correct() ? 1 : 0);
            sum += gap * gap;
        }
        return sum / data.size();
    }

    // ---- the file -------------------------------------------------------------------------------

    /**
     * The calibration as JSON: {@code llmunitCalibration} (the format version), {@code method},
     * {@code fittedOn}, {@code fit} (raw and calibrated ECE and Brier on the fitting data), and
     * {@code bins} ({@code lower}, {@code upper}, {@code calibrated}, {@code count}) for histogram
     * binning or {@code points} ({@code confidence}, {@code calibrated}) for isotonic regression.
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("llmunitCalibration", FORMAT_VERSION);
        root.put("method", method.name().toLowerCase(Locale.ROOT));
        root.put("fittedOn", fit.count());
        ObjectNode metrics = root.putObject("fit");
        metrics.put("bins", fit.bins());
        metrics.put("rawEce", round(fit.rawEce()));
        metrics.put("ece", round(fit.ece()));
        metrics.put("rawBrier", round(fit.rawBrier()));
        metrics.put("brier", round(fit.brier()));
        if (method == Method.HISTOGRAM) {
            ArrayNode bins = root.putArray("bins");
            for (int i = 0; i < values.length; i++) {
                ObjectNode bin = bins.addObject();
                bin.put("lower", round((double) i / values.length));
                bin.put("upper", round((double) (i + 1) / values.length));
                bin.put("calibrated", values[i]);
                bin.put("count", counts[i]);
            }
        } else {
            ArrayNode points = root.putArray("points");
            for (int i = 0; i < knots.length; i++) {
                ObjectNode point = points.addObject();
                point.put("confidence", knots[i]);
                point.put("calibrated", values[i]);
                point.put("count", counts[i]);
            }
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a calibration as JSON", e);
        }
    }

    /**
     * Writes {@link #toJson()} to a file, creating its directory.
     *
     * @param file the file, such as {@code src/test/resources/triage-calibration.json}
     */
    public void save(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the calibration to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a calibration file written by {@link #save(Path)}.
     *
     * @param file the file
     * @return the calibration
     * @throws IllegalArgumentException naming the file, the field and what was wrong when it is not a calibration
     */
    public static ConfidenceCalibration load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the calibration file " + file + ": " + e.getMessage(), e);
        }
        return fromJson(text, file.toString());
    }

    /**
     * Reads a calibration from JSON.
     *
     * @param json the text {@link #toJson()} writes
     * @param origin where it came from, for messages, such as a file name
     * @return the calibration
     * @throws IllegalArgumentException naming the origin, the field and what was wrong
     */
    public static ConfidenceCalibration fromJson(String json, String origin) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("calibration " + origin + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw error(origin, "$", "a JSON object written by ConfidenceCalibration.save(..)", root);
        }
        JsonNode version = root.path("llmunitCalibration");
        if (!version.canConvertToInt() || version.asInt() != FORMAT_VERSION) {
            throw error(origin, "$.llmunitCalibration", "the format version " + FORMAT_VERSION, version);
        }
        String methodName = root.path("method").asText("");
        Method method;
        try {
            method = Method.valueOf(methodName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw error(origin, "$.method", "\"histogram\" or \"isotonic\"", root.path("method"));
        }
        JsonNode fitNode = root.path("fit");
        CalibrationMetrics fit = new CalibrationMetrics(wholeNumber(root, "fittedOn", "$", origin),
                wholeNumber(fitNode, "bins", "$.fit", origin), fraction(fitNode, "rawEce", "$.fit", origin),
                fraction(fitNode, "ece", "$.fit", origin), fraction(fitNode, "rawBrier", "$.fit", origin),
                fraction(fitNode, "brier", "$.fit", origin));
        if (method == Method.HISTOGRAM) {
            JsonNode bins = root.path("bins");
            if (!bins.isArray() || bins.isEmpty()) {
                throw error(origin, "$.bins", "a non-empty array of bins", bins);
            }
            double[] values = new double[bins.size()];
            int[] counts = new int[bins.size()];
            for (int i = 0; i < bins.size(); i++) {
                String path = "$.bins[" + i + "]";
                JsonNode bin = bins.get(i);
                double lower = fraction(bin, "lower", path, origin);
                if (Math.abs(lower - (double) i / bins.size()) > 1e-6) {
                    throw error(origin, path + ".lower", "the bins' equal-width lower bound " + round((double) i / bins.size()), bin.path("lower"));
                }
                values[i] = fraction(bin, "calibrated", path, origin);
                counts[i] = wholeNumber(bin, "count", path, origin);
            }
            return new ConfidenceCalibration(method, values, new double[0], counts, fit);
        }
        JsonNode points = root.path("points");
        if (!points.isArray() || points.isEmpty()) {
            throw error(origin, "$.points", "a non-empty array of points", points);
        }
        double[] knots = new double[points.size()];
        double[] values = new double[points.size()];
        int[] counts = new int[points.size()];
        for (int i = 0; i < points.size(); i++) {
            String path = "$.points[" + i + "]";
            JsonNode point = points.get(i);
            knots[i] = fraction(point, "confidence", path, origin);
            values[i] = fraction(point, "calibrated", path, origin);
            counts[i] = point.has("count") ? wholeNumber(point, "count", path, origin) : 0;
            if (i > 0 && knots[i] < knots[i - 1]) {
                throw error(origin, path + ".confidence", "a confidence of at least the previous point's " + knots[i - 1], point.path("confidence"));
            }
            if (i > 0 && values[i] < values[i - 1]) {
                throw error(origin, path + ".calibrated", "a calibrated value of at least the previous point's " + values[i - 1]
                        + " (isotonic calibrations never decrease)", point.path("calibrated"));
            }
        }
        return new ConfidenceCalibration(method, values, knots, counts, fit);
    }

    @Override
    public String toString() {
        return "ConfidenceCalibration[" + method.name().toLowerCase(Locale.ROOT) + ", " + fit + "]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static CalibrationMetrics metrics(List<LabelledConfidence> data, ConfidenceCalibration calibration) {
        List<LabelledConfidence> calibrated = new ArrayList<>(data.size());
        for (LabelledConfidence point : data) {
            calibrated.add(new LabelledConfidence(calibration.calibrate(point.confidence()), point.correct()));
        }
        return new CalibrationMetrics(data.size(), DEFAULT_BINS, ece(data, DEFAULT_BINS), ece(calibrated, DEFAULT_BINS), brier(data),
                brier(calibrated));
    }

    private static int bin(double confidence, int bins) {
        return Math.min(bins - 1, (int) Math.floor(confidence * bins));
    }

    private static void fillEmptyBins(double[] values) {
        boolean any = false;
        for (double value : values) {
            any |= !Double.isNaN(value);
        }
        if (!any) {
            throw new IllegalStateException("no bin has data"); // unreachable: the data is not empty
        }
        double[] filled = values.clone();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                continue;
            }
            for (int distance = 1; distance < values.length; distance++) {
                // The lower neighbour first on a tie, so an empty bin never claims more than the data above it.
                if (i - distance >= 0 && !Double.isNaN(values[i - distance])) {
                    filled[i] = values[i - distance];
                    break;
                }
                if (i + distance < values.length && !Double.isNaN(values[i + distance])) {
                    filled[i] = values[i + distance];
                    break;
                }
            }
        }
        System.arraycopy(filled, 0, values, 0, values.length);
    }

    private static void requireData(List<LabelledConfidence> data) {
        Objects.requireNonNull(data, "data must not be null");
        if (data.isEmpty()) {
            throw new IllegalArgumentException("a calibration needs at least one labelled confidence, but got none");
        }
    }

    private static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }

    private static double fraction(JsonNode parent, String field, String path, String origin) {
        JsonNode node = parent.path(field);
        if (!node.isNumber() || !(node.asDouble() >= 0 && node.asDouble() <= 1)) {
            throw error(origin, path + "." + field, "a number between 0 and 1", node);
        }
        return node.asDouble();
    }

    private static int wholeNumber(JsonNode parent, String field, String path, String origin) {
        JsonNode node = parent.path(field);
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw error(origin, path + "." + field, "a whole number of at least 0", node);
        }
        return node.asInt();
    }

    private static IllegalArgumentException error(String origin, String path, String expected, JsonNode found) {
        String shown = found == null || found.isMissingNode() ? "missing" : found.toString();
        return new IllegalArgumentException("calibration " + origin + ", field " + path + ": expected " + expected + ", but was "
                + shown + "; write the file with ConfidenceCalibration.save(..)");
    }
}
