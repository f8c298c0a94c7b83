package dev.llmunit.core.optimize;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.core.cost.Usd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The optimizer's learned patterns: a bounded history of outcomes (task type, strategies, quality,
 * cost), oldest evicted first once {@link #capacity()} is reached, with per task type and strategy
 * set running statistics so choosing strategies costs the same at 10 entries and at 10,000.
 * Thread-safe.
 *
 * <p>Saved as JSON ({@link #save(Path)}, {@link #load(Path, Collection, int)}):
 * <pre>{@code
 * {"format": "llmunit-optimizer-history", "version": 1, "capacity": 10000,
 *  "entries": [{"taskType": "CLASSIFICATION", "strategies": ["compression"], "quality": 1.0,
 *               "costUsd": "0.000120", "prompt": "…", "answer": "…"}]}
 * }</pre>
 */
public final class OptimizationHistory {

    /** Entries kept by default: {@value}. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** The {@code format} field of a history file: {@value}. */
    public static final String FORMAT = "llmunit-optimizer-history";

    /** Few-shot examples kept ready per task type. */
    static final int EXAMPLES_KEPT = 4;

    /** Only outcomes scored at least this high become few-shot examples: {@value}. */
    public static final double EXAMPLE_MIN_QUALITY = 0.8;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TaskType[] TYPES = TaskType.values();

    private final int capacity;
    private final HistoryEntry[] ring;
    private int head; // index of the oldest entry
    private int size;
    private long added;
    private final Map<String, Integer> bits = new LinkedHashMap<>();
    private final ArmStats[][] arms = new ArmStats[TYPES.length][];
    private final int[] armCount = new int[TYPES.length];
    private final long[] typeCount = new long[TYPES.length];
    private final double[] typeCost = new double[TYPES.length];
    private final HistoryEntry[][] best = new HistoryEntry[TYPES.length][];
    private final boolean[] bestStale = new boolean[TYPES.length];

    /** A history of {@value #DEFAULT_CAPACITY} entries. */
    public OptimizationHistory() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * A history of {@code capacity} entries.
     *
     * @param capacity at least 1
     */
    public OptimizationHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history capacity must be at least 1, but was " + capacity);
        }
        this.capacity = capacity;
        this.ring = new HistoryEntry[capacity];
        for (int type = 0; type < TYPES.length; type++) {
            arms[type] = new ArmStats[8];
            best[type] = new HistoryEntry[0];
        }
    }

    /**
     * The most entries kept.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * The entries kept now.
     *
     * @return at most {@link #capacity()}
     */
    public synchronized int size() {
        return size;
    }

    /**
     * Every entry ever added, evicted ones included: a version number of the history.
     *
     * @return the count
     */
    public synchronized long added() {
        return added;
    }

    /**
     * Adds an outcome, evicting the oldest when full.
     *
     * @param entry the outcome
     */
    public synchronized void add(HistoryEntry entry) {
        java.util.Objects.requireNonNull(entry, "entry must not be null");
        long mask = maskOf(entry.strategies(), true);
        if (size == capacity) {
            HistoryEntry evicted = ring[head];
            ring[head] = entry;
            head = (head + 1) % capacity;
            forget(evicted);
        } else {
            ring[(head + size) % capacity] = entry;
            size++;
        }
        added++;
        int type = entry.taskType().ordinal();
        double cost = entry.cost().amount().doubleValue();
        ArmStats arm = arm(type, mask, true);
        arm.count++;
        arm.quality += entry.quality();
        arm.cost += cost;
        typeCount[type]++;
        typeCost[type] += cost;
        if (entry.isExample() && entry.quality() >= EXAMPLE_MIN_QUALITY && !bestStale[type]) {
            best[type] = offer(best[type], entry);
        }
    }

    /**
     * Every entry kept, oldest first.
     *
     * @return a copy
     */
    public synchronized List<HistoryEntry> entries() {
        List<HistoryEntry> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            copy.add(ring[(head + i) % capacity]);
        }
        return copy;
    }

    /**
     * The expected quality of a task type with exactly these strategies: the posterior mean and
     * standard deviation of the scores under a uniform prior (Beta(1 + sum, 1 + n − sum)), so a
     * few lucky outcomes do not look certain.
     *
     * @param taskType the task type
     * @param strategies the strategy names, in any order; empty for the unchanged request
     * @return the estimate; {@link QualityEstimate#PRIOR}-like (mean 0.5) with no matching outcome
     */
    public synchronized QualityEstimate estimate(TaskType taskType, Collection<String> strategies) {
        long mask = maskOf(strategies, false);
        ArmStats arm = mask < 0 ? null : arm(taskType.ordinal(), mask, false);
        return arm == null ? estimate(0, 0) : estimate(arm.count, arm.quality);
    }

    /**
     * The best scored past exchanges of a task type that can serve as few-shot examples (scored at
     * least {@value #EXAMPLE_MIN_QUALITY}), best first, newer first among equals.
     *
     * @param taskType the task type
     * @param max the most to return
     * @return at most {@code max} entries, at most {@value #EXAMPLES_KEPT}
     */
    public synchronized List<HistoryEntry> examples(TaskType taskType, int max) {
        int type = taskType.ordinal();
        if (bestStale[type]) {
            HistoryEntry[] fresh = new HistoryEntry[0];
            for (int i = 0; i < size; i++) {
                HistoryEntry entry = ring[(head + i) % capacity];
                if (entry.taskType() == taskType && entry.isExample() && entry.quality() >= EXAMPLE_MIN_QUALITY) {
                    fresh = offer(fresh, entry);
                }
            }
            best[type] = fresh;
            bestStale[type] = false;
        }
        HistoryEntry[] kept = best[type];
        return kept.length == 0 ? List.of() : List.of(kept).subList(0, Math.min(max, kept.length));
    }

    // ---- for the optimizer: lookups by bit mask, no allocation ------------------------------------

    /** The statistics the optimizer samples from; a snapshot of one arm. */
    record Arm(long count, double qualitySum, double costSum) {}

    /** The bit of a strategy name, assigned on first use. */
    synchronized int bitOf(String strategy) {
        Integer bit = bits.get(strategy);
        if (bit == null) {
            if (bits.size() == 63) {
                throw new IllegalStateException("an optimizer history tracks at most 63 strategy names; " + strategy + " is one too many");
            }
            bit = bits.size();
            bits.put(strategy, bit);
        }
        return bit;
    }

    /** Fills {@code counts}, {@code qualities} and {@code costs} for the masks given; returns the type's mean cost, 0 if none. */
    synchronized double read(TaskType taskType, long[] masks, int n, long[] counts, double[] qualities, double[] costs) {
        int type = taskType.ordinal();
        for (int i = 0; i < n; i++) {
            ArmStats arm = arm(type, masks[i], false);
            counts[i] = arm == null ? 0 : arm.count;
            qualities[i] = arm == null ? 0 : arm.quality;
            costs[i] = arm == null ? 0 : arm.cost;
        }
        return typeCount[type] == 0 ? 0 : typeCost[type] / typeCount[type];
    }

    /** The Beta(1 + sum, 1 + n − sum) posterior of a score sum over n outcomes. */
    static QualityEstimate estimate(long count, double qualitySum) {
        double alpha = 1 + qualitySum;
        double beta = 1 + count - qualitySum;
        double total = alpha + beta;
        double mean = alpha / total;
        double sd = Math.sqrt(alpha * beta / (total * total * (total + 1)));
        return new QualityEstimate(Math.max(0, Math.min(1, mean)), sd, (int) Math.min(Integer.MAX_VALUE, count));
    }

    // ---- persistence ------------------------------------------------------------------------------

    /**
     * Writes the history as JSON, oldest entry first; atomically (a temporary file moved over the target).
     *
     * @param file the file to write
     * @throws UncheckedIOException when the file cannot be written
     */
    public void save(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        root.put("capacity", capacity);
        ArrayNode entries = root.putArray("entries");
        for (HistoryEntry entry : entries()) {
            ObjectNode node = entries.addObject();
            node.put("taskType", entry.taskType().name());
            ArrayNode strategies = node.putArray("strategies");
            entry.strategies().forEach(strategies::add);
            node.put("quality", entry.quality());
            node.put("costUsd", entry.cost().toPlainString());
            if (entry.prompt() != null) {
                node.put("prompt", entry.prompt());
            }
            if (entry.answer() != null) {
                node.put("answer", entry.answer());
            }
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            JSON.writeValue(temporary.toFile(), root);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write optimizer history file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a history file written by {@link #save(Path)}. When the file holds more entries than
     * {@code capacity}, the oldest are dropped.
     *
     * @param file the file
     * @param knownStrategies the strategy names the optimizer has; any other name in the file is an error
     * @param capacity the capacity of the loaded history
     * @return the history
     * @throws InvalidHistoryException when the file is missing, not JSON (with line and column), not the
     *     history format, or has a bad field (with its JSON path, the value and what is valid)
     */
    public static OptimizationHistory load(Path file, Collection<String> knownStrategies, int capacity) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new InvalidHistoryException(file, "not valid JSON" + position + ": " + e.getOriginalMessage()
                    + "; fix the file or delete it to start with an empty history", e);
        } catch (IOException e) {
            String why = e instanceof NoSuchFileException || !Files.exists(file) ? "no such file" : e.getMessage();
            throw new InvalidHistoryException(file, "cannot be read (" + why + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidHistoryException(file, "expected a JSON object with \"format\": \"" + FORMAT + "\" and \"entries\", but the "
                    + "file holds " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)), null);
        }
        if (!FORMAT.equals(root.path("format").asText(null))) {
            throw new InvalidHistoryException(file, "\"format\" is " + root.get("format") + ", expected \"" + FORMAT + "\"", null);
        }
        JsonNode entries = root.get("entries");
        if (entries == null || !entries.isArray()) {
            throw new InvalidHistoryException(file, "\"entries\" must be an array, but was " + entries, null);
        }
        Set<String> known = new TreeSet<>(knownStrategies);
        OptimizationHistory history = new OptimizationHistory(capacity);
        for (int i = 0; i < entries.size(); i++) {
            history.add(entry(file, entries.get(i), "entries[" + i + "]", known));
        }
        return history;
    }

    private static HistoryEntry entry(Path file, JsonNode node, String path, Set<String> known) {
        if (!node.isObject()) {
            throw new InvalidHistoryException(file, path + " must be an object, but was " + node, null);
        }
        String type = node.path("taskType").asText("");
        TaskType taskType;
        try {
            taskType = TaskType.valueOf(type);
        } catch (IllegalArgumentException unknown) {
            throw new InvalidHistoryException(file, path + ".taskType is " + node.get("taskType") + ", which is not a task type; known "
                    + "task types: " + Arrays.toString(TYPES), null);
        }
        JsonNode strategies = node.path("strategies");
        if (!strategies.isArray()) {
            throw new InvalidHistoryException(file, path + ".strategies must be an array of strategy names, but was " + node.get("strategies"),
                    null);
        }
        List<String> names = new ArrayList<>(strategies.size());
        for (int s = 0; s < strategies.size(); s++) {
            String name = strategies.get(s).asText("");
            if (!known.contains(name)) {
                throw new InvalidHistoryException(file, path + ".strategies[" + s + "] is " + strategies.get(s) + ", which is not a "
                        + "strategy of this optimizer; known strategies: " + String.join(", ", known), null);
            }
            names.add(name);
        }
        JsonNode quality = node.get("quality");
        if (quality == null || !quality.isNumber() || !(quality.asDouble() >= 0 && quality.asDouble() <= 1)) {
            throw new InvalidHistoryException(file, path + ".quality must be a number from 0 to 1, but was " + quality, null);
        }
        Usd cost;
        try {
            cost = Usd.of(new BigDecimal(node.path("costUsd").asText("")));
        } catch (RuntimeException bad) {
            throw new InvalidHistoryException(file, path + ".costUsd must be a non-negative decimal string such as \"0.000120\", but was "
                    + node.get("costUsd"), bad);
        }
        return new HistoryEntry(taskType, names, quality.asDouble(), cost, text(node, "prompt"), text(node, "answer"));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    // ---- internals --------------------------------------------------------------------------------

    private static final class ArmStats {
        final long mask;
        long count;
        double quality;
        double cost;

        ArmStats(long mask) {
            this.mask = mask;
        }
    }

    /** The mask of a set of names; -1 when {@code intern} is false and a name was never seen. */
    private long maskOf(Collection<String> strategies, boolean intern) {
        long mask = 0;
        for (String name : strategies) {
            Integer bit = bits.get(name);
            if (bit == null) {
                if (!intern) {
                    return -1;
                }
                bit = bitOf(name);
            }
            mask |= 1L << bit;
        }
        return mask;
    }

    private @Nullable ArmStats arm(int type, long mask, boolean create) {
        ArmStats[] list = arms[type];
        int n = armCount[type];
        for (int i = 0; i < n; i++) {
            if (list[i].mask == mask) {
                return list[i];
            }
        }
        if (!create) {
            return null;
        }
        if (n == list.length) {
            arms[type] = list = Arrays.copyOf(list, n * 2);
        }
        ArmStats arm = new ArmStats(mask);
        list[n] = arm;
        armCount[type] = n + 1;
        return arm;
    }

    private void forget(HistoryEntry evicted) {
        int type = evicted.taskType().ordinal();
        double cost = evicted.cost().amount().doubleValue();
        ArmStats arm = arm(type, maskOf(evicted.strategies(), true), false);
        if (arm != null) {
            arm.count--;
            arm.quality -= evicted.quality();
            arm.cost -= cost;
            if (arm.count == 0) { // no rounding residue once an arm is empty
                arm.quality = 0;
                arm.cost = 0;
            }
        }
        typeCount[type]--;
        typeCost[type] = typeCount[type] == 0 ? 0 : typeCost[type] - cost;
        for (HistoryEntry kept : best[type]) {
            if (kept == evicted) {
                bestStale[type] = true; // rebuilt from the ring when next asked
                break;
            }
        }
    }

    /** Inserts an example into a best-first array of at most {@link #EXAMPLES_KEPT}; a newer entry goes before an equal older one. */
    private static HistoryEntry[] offer(HistoryEntry[] kept, HistoryEntry entry) {
        List<HistoryEntry> list = new ArrayList<>(kept.length + 1);
        for (HistoryEntry existing : kept) {
            if (entry.prompt().equals(existing.prompt())) {
                if (existing.quality() > entry.quality()) {
                    return kept; // one example per prompt: the better one
                }
                continue;
            }
            list.add(existing);
        }
        int at = 0;
        while (at < list.size() && list.get(at).quality() > entry.quality()) {
            at++;
        }
        if (at >= EXAMPLES_KEPT) {
            return kept;
        }
        list.add(at, entry);
        return list.subList(0, Math.min(EXAMPLES_KEPT, list.size())).toArray(new HistoryEntry[0]);
    }
}
