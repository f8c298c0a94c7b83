package dev.llmunit.core.ensemble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fitting, applying, measuring and storing calibrations, on data small enough to check by hand. */
class ConfidenceCalibrationTest {

    private static LabelledConfidence right(double confidence) {
        return new LabelledConfidence(confidence, true);
    }

    private static LabelledConfidence wrong(double confidence) {
        return new LabelledConfidence(confidence, false);
    }

    @Test
    void eceIsTheCountWeightedGapBetweenConfidenceAndAccuracyPerBin() {
        // Bin 9: mean 0.9, accuracy 0.5 (gap 0.4, 2 points); bin 2: mean 0.2, accuracy 0 (gap 0.2, 1 point).
        List<LabelledConfidence> data = List.of(right(0.9), wrong(0.9), wrong(0.2));

        assertThat(ConfidenceCalibration.ece(data, 10)).isCloseTo((0.4 * 2 + 0.2) / 3, within(1e-12));
        assertThat(ConfidenceCalibration.brier(data)).isCloseTo((0.01 + 0.81 + 0.04) / 3, within(1e-12));
    }

    @Test
    void histogramBinningMapsEachBinToItsAccuracy() {
        ConfidenceCalibration calibration = ConfidenceCalibration.histogram(List.of(right(0.2), wrong(0.3), right(0.8), right(0.9),
                wrong(0.7)), 2);

        assertThat(calibration.method()).isEqualTo(ConfidenceCalibration.Method.HISTOGRAM);
        assertThat(calibration.calibrate(0.0)).isEqualTo(0.5);
        assertThat(calibration.calibrate(0.49)).isEqualTo(0.5);
        assertThat(calibration.calibrate(0.5)).isEqualTo(2.0 / 3);
        assertThat(calibration.calibrate(1.0)).isEqualTo(2.0 / 3);
        assertThat(calibration.fittedOn()).isEqualTo(5);
    }

    @Test
    void anEmptyBinTakesItsNearestNeighboursValueTheLowerOneOnATie() {
        ConfidenceCalibration calibration = ConfidenceCalibration.histogram(List.of(wrong(0.1), right(0.9)), 3);

        assertThat(calibration.calibrate(0.5)).isEqualTo(0.0);
    }

    @Test
    void isotonicRegressionPoolsViolatorsAndInterpolatesBetweenSteps() {
        ConfidenceCalibration calibration = ConfidenceCalibration.isotonic(List.of(right(0.4), wrong(0.1), wrong(0.3), right(0.2)));

        assertThat(calibration.calibrate(0.05)).isEqualTo(0.0);
        assertThat(calibration.calibrate(0.1)).isEqualTo(0.0);
        assertThat(calibration.calibrate(0.15)).isCloseTo(0.25, within(1e-12));
        assertThat(calibration.calibrate(0.25)).isEqualTo(0.5);
        assertThat(calibration.calibrate(0.35)).isCloseTo(0.75, within(1e-12));
        assertThat(calibration.calibrate(0.9)).isEqualTo(1.0);
    }

    @Test
    void calibrationLowersTheErrorOfOverconfidentScoresOnItsOwnData() {
        // Unanimous answers (1.0) are right 3 times in 4; split ones (0.5) once in 4.
        List<LabelledConfidence> data = List.of(right(1), right(1), right(1), wrong(1), right(0.5), wrong(0.5), wrong(0.5), wrong(0.5));

        ConfidenceCalibration calibration = ConfidenceCalibration.isotonic(data);

        assertThat(calibration.fit().rawEce()).isCloseTo(0.25, within(1e-12));
        assertThat(calibration.ece()).isCloseTo(0.0, within(1e-12));
        assertThat(calibration.brier()).isLessThan(calibration.fit().rawBrier());
        assertThat(calibration.evaluate(List.of(right(1), wrong(0.5))).ece()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void aSavedCalibrationLoadsBackTheSame(@TempDir Path directory) {
        List<LabelledConfidence> data = List.of(right(0.9), wrong(0.6), right(0.6), right(0.3), wrong(0.2));
        for (ConfidenceCalibration fitted : List.of(ConfidenceCalibration.isotonic(data), ConfidenceCalibration.histogram(data, 5))) {
            Path file = directory.resolve(fitted.method() + ".json");

            fitted.save(file);
            ConfidenceCalibration loaded = ConfidenceCalibration.load(file);

            assertThat(loaded.toJson()).isEqualTo(fitted.toJson());
            for (double raw = 0; raw <= 1; raw += 0.05) {
                assertThat(loaded.calibrate(raw)).isEqualTo(fitted.calibrate(raw));
            }
        }
    }

    @Test
    void theFileIsSmallReadableJson() {
        String json = ConfidenceCalibration.isotonic(List.of(right(1), wrong(0.5))).toJson();

        assertThat(json).contains("\"llmunitCalibration\" : 1", "\"method\" : \"isotonic\"", "\"points\" : [", "\"fit\" : {");
    }

    @Test
    void aBrokenFileNamesTheFieldAndTheFix(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("calibration.json");
        String good = ConfidenceCalibration.isotonic(List.of(right(1), wrong(0.5))).toJson();

        Files.writeString(file, good.replace("\"calibrated\" : 1.0", "\"calibrated\" : 1.3"));
        assertThatThrownBy(() -> ConfidenceCalibration.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("calibration " + file + ", field $.points[1].calibrated: expected a number between 0 and 1, but was 1.3;"
                        + " write the file with ConfidenceCalibration.save(..)");
        assertThatThrownBy(() -> ConfidenceCalibration.fromJson(good.replace("isotonic", "platt"), "c.json"))
                .hasMessageStartingWith("calibration c.json, field $.method: expected \"histogram\" or \"isotonic\", but was \"platt\"");
        assertThatThrownBy(() -> ConfidenceCalibration.fromJson("{\"llmunitCalibration\": 2}", "c.json"))
                .hasMessageStartingWith("calibration c.json, field $.llmunitCalibration: expected the format version 1, but was 2");
        assertThatThrownBy(() -> ConfidenceCalibration.fromJson("[1,", "c.json")).hasMessageStartingWith("calibration c.json is not JSON");
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> ConfidenceCalibration.isotonic(List.of()))
                .hasMessage("a calibration needs at least one labelled confidence, but got none");
        assertThatThrownBy(() -> new LabelledConfidence(1.5, true)).hasMessage("confidence must be between 0 and 1, but was 1.5");
        assertThatThrownBy(() -> ConfidenceCalibration.histogram(List.of(right(1)), 0)).hasMessage("bins must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> ConfidenceCalibration.histogram(List.of(right(1))).calibrate(-0.1))
                .hasMessage("a confidence to calibrate must be between 0 and 1, but was -0.1");
    }
}
