package dev.llmunit.core.ensemble;

import org.jspecify.annotations.Nullable;

/**
 * The attributes of one member, set in {@link EnsembleBuilder#member(String,
 * dev.langchain4j.model.chat.ChatModel, java.util.function.Consumer)}:
 *
 * <pre>{@code
 * .member("openai", gpt, m -> m.weight(2).samples(3))
 * }</pre>
 */
public final class MemberSettings {

    /** The weight of a member's vote unless set: {@value}. */
    public static final double DEFAULT_WEIGHT = 1.0;

    private final String name;
    private double weight = DEFAULT_WEIGHT;
    private int samples = 1;
    private @Nullable String modelName;

    MemberSettings(String name) {
        this.name = name;
    }

    /**
     * The weight of the member's vote in {@link MergeStrategy#weightedConsensus()} and of its share in
     * the confidence; each of its samples votes with this weight. 0 keeps its answers in the result
     * without a vote.
     *
     * @param weight a finite number of at least 0 (default {@value #DEFAULT_WEIGHT})
     * @return these settings
     */
    public MemberSettings weight(double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of member '" + name + "' must be a finite number of at least 0, but was " + weight);
        }
        this.weight = weight;
        return this;
    }

    /**
     * Asks the member this many times per run (self-consistency). Each sample is a distinct request
     * (see {@link EnsembleBuilder#sampleVariation(SampleVariation)}), so each has its own recorded fixture.
     *
     * @param samples at least 1 (default 1)
     * @return these settings
     */
    public MemberSettings samples(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples of member '" + name + "' must be at least 1, but was " + samples);
        }
        this.samples = samples;
        return this;
    }

    /**
     * The model name used for prices when the member is a plain {@code ChatModel} the ensemble wraps
     * in a router; ignored for a {@code Router} member, which prices its own providers.
     *
     * @param modelName a catalog model name such as {@code gpt-4o-mini} (default: the model's own)
     * @return these settings
     */
    public MemberSettings modelName(String modelName) {
        if (modelName == null || modelName.isBlank()) {
            throw new IllegalArgumentException("modelName of member '" + name + "' must not be blank, but was '" + modelName + "'");
        }
        this.modelName = modelName;
        return this;
    }

    double weight() {
        return weight;
    }

    int samples() {
        return samples;
    }

    @Nullable String modelName() {
        return modelName;
    }
}
