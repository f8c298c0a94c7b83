package dev.llmunit.core.ensemble;

import dev.llmunit.core.route.Router;
import java.util.Objects;

/**
 * One member of an {@link Ensemble} as built.
 *
 * @param name the member's unique name, such as {@code openai}
 * @param weight its vote's weight, at least 0
 * @param samples how many times each run asks it, at least 1 (self-consistency)
 * @param router the router its calls go through: the member itself when it was a {@link Router},
 *     otherwise the one-provider router the ensemble wrapped its model in
 */
public record EnsembleMember(String name, double weight, int samples, Router router) {

    /** Validates the parts. */
    public EnsembleMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(router, "router");
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of member '" + name + "' must be a finite number of at least 0, but was " + weight);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples of member '" + name + "' must be at least 1, but was " + samples);
        }
    }

    /**
     * The id of one of its samples in results and reports: the name alone for a member asked once,
     * otherwise {@code name#k}.
     *
     * @param sample the sample, from 1
     * @return the id, such as {@code openai#2}
     */
    public String sampleId(int sample) {
        return samples == 1 ? name : name + "#" + sample;
    }
}
