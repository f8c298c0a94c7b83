package dev.llmunit.core.ensemble;

import java.util.Locale;

/**
 * How well confidences match accuracy on a set of labelled observations, before and after a
 * calibration.
 *
 * @param count the observations
 * @param bins the equal-width bins the expected calibration error uses
 * @param rawEce the expected calibration error of the raw confidences
 * @param ece the expected calibration error of the calibrated confidences
 * @param rawBrier the Brier score (mean squared error against 0/1 correctness) of the raw confidences
 * @param brier the Brier score of the calibrated confidences
 */
public record CalibrationMetrics(int count, int bins, double rawEce, double ece, double rawBrier, double brier) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d observations: ECE %.4f -> %.4f, Brier %.4f -> %.4f (%d bins)", count, rawEce, ece,
                rawBrier, brier, bins);
    }
}
