package dev.llmunit.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UsdTest {

    @Test
    void addsPerTokenPricesExactly() {
        // GIVEN gpt-4o-mini, 1,000 prompt tokens (200 cached), 500 completion tokens
        Usd uncached = Usd.usd("0.00000015").times(800);
        Usd cached = Usd.usd("0.000000075").times(200);
        Usd completion = Usd.usd("0.0000006").times(500);

        // WHEN
        Usd total = uncached.plus(cached).plus(completion);

        // THEN
        assertThat(total.amount()).isEqualByComparingTo("0.000435");
    }

    @Test
    void sumsManyTinyAmountsWithoutDrift() {
        // GIVEN
        Usd total = Usd.ZERO;

        // WHEN a tenth of a cent is added ten thousand times
        for (int i = 0; i < 10_000; i++) {
            total = total.plus(Usd.usd("0.001"));
        }

        // THEN
        assertThat(total).isEqualTo(Usd.usd("10"));
    }

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "0.000435, $0.000435",
        "1.5, $1.50",
        "1.50, $1.50",
        "0, $0.00",
        "0.00, $0.00",
        "12, $12.00",
        "0.1, $0.10",
        "0.00045000, $0.00045",
        "1000000, $1000000.00",
    })
    void printsWithAtLeastTwoDecimalsAndEverySignificantDigit(String amount, String printed) {
        assertThat(Usd.usd(amount)).hasToString(printed);
    }

    @Test
    void printsAmountsGivenInExponentNotationPlainly() {
        assertThat(Usd.of(new BigDecimal("1.5E-7"))).hasToString("$0.00000015");
    }

    @Test
    void printsZeroConstantAsZeroDollars() {
        assertThat(Usd.ZERO).hasToString("$0.00");
    }

    @Test
    void writesPlainTextWithoutTrailingZerosOrExponent() {
        assertThat(Usd.usd("0.0004350").toPlainString()).isEqualTo("0.000435");
        assertThat(Usd.of(new BigDecimal("1E+3")).toPlainString()).isEqualTo("1000");
    }

    @Test
    void isEqualAcrossScales() {
        // GIVEN
        Usd short1 = Usd.usd("1.5");
        Usd long1 = Usd.usd("1.500000");

        // THEN
        assertThat(short1).isEqualTo(long1);
        assertThat(short1).hasSameHashCodeAs(long1);
        assertThat(short1.compareTo(long1)).isZero();
    }

    @Test
    void isEqualToZeroWhateverTheScaleOfZero() {
        assertThat(Usd.usd("0.000")).isEqualTo(Usd.ZERO).hasSameHashCodeAs(Usd.ZERO);
    }

    @Test
    void ordersByAmount() {
        assertThat(Usd.usd("0.01").isGreaterThan(Usd.usd("0.009"))).isTrue();
        assertThat(Usd.usd("0.009").isGreaterThan(Usd.usd("0.01"))).isFalse();
        assertThat(Usd.usd("0.01").isGreaterThan(Usd.usd("0.0100"))).isFalse();
    }

    @Test
    void subtractsButNeverGoesBelowZero() {
        assertThat(Usd.usd("1.00").minusOrZero(Usd.usd("0.25"))).isEqualTo(Usd.usd("0.75"));
        assertThat(Usd.usd("0.25").minusOrZero(Usd.usd("1.00"))).isEqualTo(Usd.ZERO);
    }

    @Test
    void multipliesByZeroToZero() {
        assertThat(Usd.usd("0.0000006").times(0)).isEqualTo(Usd.ZERO);
    }

    @Test
    void trimsSurroundingWhitespaceOfText() {
        assertThat(Usd.usd(" 0.002 ")).isEqualTo(Usd.usd("0.002"));
    }

    @Test
    void rejectsTextThatIsNotANumberAndNamesIt() {
        assertThatThrownBy(() -> Usd.usd("two dollars"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"two dollars\"");
    }

    @Test
    void rejectsTextWithACurrencySign() {
        assertThatThrownBy(() -> Usd.usd("$1.50"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"$1.50\"");
    }

    @Test
    void rejectsANegativeTextAmountAndNamesIt() {
        assertThatThrownBy(() -> Usd.usd("-0.01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.01");
    }

    @Test
    void rejectsANegativeBigDecimalAndNamesIt() {
        assertThatThrownBy(() -> Usd.of(new BigDecimal("-1.5E-7")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-0.00000015");
    }

    @Test
    void rejectsANegativeCountAndNamesIt() {
        assertThatThrownBy(() -> Usd.usd("0.01").times(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }
}
