package dev.llmunit.assertj;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.core.ensemble.EnsembleResult;
import dev.llmunit.core.ensemble.MemberResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on an {@link EnsembleResult}: how sure the ensemble was, how many members agreed,
 * whose answer it chose, its clusters, what each member answered and what it cost, plus every
 * content check of {@link ChatResponseAssert} on the chosen response. A failure shows the whole run:
 * every member sample's outcome, cluster, cost, latency and answer, then the clusters. Start from
 * {@link LlmAssertions#assertThat(EnsembleResult)}:
 *
 * <pre>{@code
 * assertThat(ensemble.run(request))
 *         .chose("openai")
 *         .agreedBy(2)
 *         .hasClusters(2)
 *         .hasConfidenceAtLeast(0.6)
 *         .memberAnswered("anthropic", "BUG")
 *         .matchesJsonSchema(schema);
 * }</pre>
 *
 * <p>Not final, like AssertJ's own concrete asserts, so {@link LlmSoftAssertions} can proxy it.
 */
public class EnsembleResultAssert extends AbstractLlmResponseAssert<EnsembleResultAssert, EnsembleResult> {

    /**
     * Creates the assert; prefer {@link LlmAssertions#assertThat(EnsembleResult)}.
     *
     * @param actual the result under test; null fails every check
     */
    public EnsembleResultAssert(@Nullable EnsembleResult actual) {
        super(actual, EnsembleResultAssert.class);
    }

    @Override
    protected ChatResponse chatResponseOf(EnsembleResult actual) {
        return actual.chatResponse();
    }

    /**
     * Checks the ensemble's {@link EnsembleResult#confidence() confidence} (calibrated when the
     * ensemble has a calibration) is at least a minimum.
     *
     * @param minimum between 0 and 1
     * @return this assert
     */
    public EnsembleResultAssert hasConfidenceAtLeast(double minimum) {
        if (!(minimum >= 0 && minimum <= 1)) {
            throw new IllegalArgumentException("the least confidence must be between 0 and 1, but was " + minimum);
        }
        EnsembleResult result = result();
        if (result.confidence() < minimum) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveConfidenceAtLeast(result, minimum));
        }
        return myself;
    }

    /**
     * Checks at least this many member samples gave the chosen answer (its cluster's votes).
     *
     * @param members at least 1
     * @return this assert
     */
    public EnsembleResultAssert agreedBy(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("agreedBy needs at least 1 member, but was " + members);
        }
        EnsembleResult result = result();
        if (result.agreedBy() < members) {
            throwAssertionError(EnsembleErrorMessages.shouldBeAgreedBy(result, members));
        }
        return myself;
    }

    /**
     * Checks whose answer the ensemble chose: a sample id such as {@code openai#2}, or a member's
     * name, which any of its samples satisfies; {@code fused} for an answer a fuser wrote.
     *
     * @param member the sample id or member name
     * @return this assert
     */
    public EnsembleResultAssert chose(String member) {
        Objects.requireNonNull(member, "member must not be null");
        EnsembleResult result = result();
        MemberResult chosen = result.chosen();
        boolean matches = chosen == null ? member.equals("fused") : chosen.id().equals(member) || chosen.member().equals(member);
        if (!matches) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveChosen(result, member));
        }
        return myself;
    }

    /**
     * Checks how many clusters the answers formed.
     *
     * @param clusters at least 1
     * @return this assert
     */
    public EnsembleResultAssert hasClusters(int clusters) {
        if (clusters < 1) {
            throw new IllegalArgumentException("hasClusters needs at least 1 cluster, but was " + clusters);
        }
        EnsembleResult result = result();
        if (result.clusters().size() != clusters) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveClusters(result, clusters));
        }
        return myself;
    }

    /**
     * Checks a member answered and voted (its answer passed the filters and had a key): a sample id,
     * or a member's name, which all of its samples must satisfy.
     *
     * @param member the sample id or member name
     * @return this assert
     */
    public EnsembleResultAssert memberAnswered(String member) {
        EnsembleResult result = result();
        List<MemberResult> samples = samples(result, member);
        List<MemberResult> notAnswered = samples.stream().filter(sample -> !sample.answered()).toList();
        if (!notAnswered.isEmpty()) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveAnswered(result, notAnswered));
        }
        return myself;
    }

    /**
     * Checks a member answered with a key: a sample id, or a member's name, which all of its samples
     * must satisfy. Keys compare without case and surrounding space, so {@code "BILLING"} matches a
     * normalised-text key {@code billing}.
     *
     * @param member the sample id or member name
     * @param key the expected answer key, such as {@code BILLING} for {@code AnswerKey.jsonPointer("/category")}
     * @return this assert
     */
    public EnsembleResultAssert memberAnswered(String member, String key) {
        Objects.requireNonNull(key, "key must not be null");
        EnsembleResult result = result();
        List<MemberResult> samples = samples(result, member);
        List<MemberResult> other = new ArrayList<>();
        for (MemberResult sample : samples) {
            if (!sample.answered() || !sample.key().strip().toLowerCase(Locale.ROOT).equals(key.strip().toLowerCase(Locale.ROOT))) {
                other.add(sample);
            }
        }
        if (!other.isEmpty()) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveAnsweredWith(result, member, key, other));
        }
        return myself;
    }

    /**
     * Checks what the run cost, every member and judge or fuser call together, is at most a limit.
     * A call without a known price fails it: unknown is never free.
     *
     * @param max the most the run may cost
     * @return this assert
     */
    public EnsembleResultAssert costsAtMost(Usd max) {
        Objects.requireNonNull(max, "max must not be null");
        EnsembleResult result = result();
        if (result.unpricedCalls() > 0 || result.totalCost().isGreaterThan(max)) {
            throwAssertionError(EnsembleErrorMessages.shouldCostAtMost(result, max));
        }
        return myself;
    }

    private List<MemberResult> samples(EnsembleResult result, String member) {
        Objects.requireNonNull(member, "member must not be null");
        List<MemberResult> samples = result.members().stream()
                .filter(sample -> sample.id().equals(member) || sample.member().equals(member)).toList();
        if (samples.isEmpty()) {
            throwAssertionError(EnsembleErrorMessages.shouldHaveMember(result, member));
        }
        return samples;
    }

    private EnsembleResult result() {
        isNotNull();
        return actual;
    }
}
