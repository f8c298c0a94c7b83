package dev.llmunit.core.ensemble;

/**
 * One labelled observation for fitting a {@link ConfidenceCalibration}: how confident an ensemble
 * was, and whether its answer was right.
 *
 * @param confidence the raw confidence, 0 to 1
 * @param correct whether the answer was correct
 */
public record LabelledConfidence(double confidence, boolean correct) {

    /** Checks the confidence is between 0 and 1. */
    public LabelledConfidence {
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1, but was " + confidence);
        }
    }

    /**
     * The observation of a run whose correctness is known.
     *
     * @param result the run
     * @param correct whether its answer was right
     * @return the raw confidence and the label
     */
    public static LabelledConfidence of(EnsembleResult result, boolean correct) {
        return new LabelledConfidence(result.rawConfidence(), correct);
    }
}
