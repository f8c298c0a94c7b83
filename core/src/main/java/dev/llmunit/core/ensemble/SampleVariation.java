package dev.llmunit.core.ensemble;

import dev.langchain4j.model.chat.request.ChatRequest;

/**
 * Turns a request into the request of one sample of a member asked {@code samples(n)} times. The
 * samples of a member must be distinct requests: a provider gives each its own answer, and a
 * recording gives each its own fixture (llmunit's fixture matching ignores {@code seed},
 * {@code user} and {@code metadata}, so those alone would not tell samples apart). The ensemble
 * checks the requests differ and fails the run with the member's name when a variation returns
 * equal ones.
 *
 * <pre>{@code
 * .sampleVariation((request, sample, samples) -> request.toBuilder().temperature(0.2 * sample).build())
 * }</pre>
 */
@FunctionalInterface
public interface SampleVariation {

    /**
     * The request of one sample.
     *
     * @param request the ensemble's request
     * @param sample the sample, from 1
     * @param samples how many samples the member has, at least 2
     * @return the sample's request; distinct from every other sample's
     */
    ChatRequest vary(ChatRequest request, int sample, int samples);

    /**
     * The default: sample 1 is the request unchanged (so it shares its fixture with a plain router
     * call), and sample k of n (k ≥ 2) gets one more system message, {@code "Independent sample k of n."},
     * which changes no instruction, right before the last user message: the request still ends with
     * the user's turn, and the system prompt and history before it stay as they were.
     *
     * @return the shared variation
     */
    static SampleVariation systemNote() {
        return dev.llmunit.core.internal.SystemNoteVariation.INSTANCE;
    }
}
