package dev.llmunit.core.optimize;

/**
 * The expected quality of a task type with a set of strategies, from the optimizer's history: the
 * mean score of the matching outcomes and its uncertainty. With no outcome yet the estimate is the
 * prior: mean 0.5, standard error 0.5.
 *
 * @param mean the mean score, 0 to 1
 * @param standardError the standard error of the mean
 * @param samples how many outcomes it rests on
 */
public record QualityEstimate(double mean, double standardError, int samples) {

    /** The estimate before any outcome. */
    public static final QualityEstimate PRIOR = new QualityEstimate(0.5, 0.5, 0);

    /** Checks the ranges. */
    public QualityEstimate {
        if (!(mean >= 0 && mean <= 1)) {
            throw new IllegalArgumentException("mean must be between 0 and 1, but was " + mean);
        }
        if (!(standardError >= 0)) {
            throw new IllegalArgumentException("standardError must not be negative, but was " + standardError);
        }
        if (samples < 0) {
            throw new IllegalArgumentException("samples must not be negative, but was " + samples);
        }
    }

    /**
     * The lower end of the approximate 95 % interval (mean − 1.96 standard errors), at least 0.
     *
     * @return the lower bound
     */
    public double low() {
        return Math.max(0, mean - 1.96 * standardError);
    }

    /**
     * The upper end of the approximate 95 % interval (mean + 1.96 standard errors), at most 1.
     *
     * @return the upper bound
     */
    public double high() {
        return Math.min(1, mean + 1.96 * standardError);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.2f [%.2f, %.2f] (n=%d)", mean, low(), high(), samples);
    }
}
