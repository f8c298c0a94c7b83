package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hand-written OpenAI chat-completion fixtures: a test declares what OpenAI answers, and the DSL
 * writes it in OpenAI's exact wire format (the {@code chat.completion} JSON, the
 * {@code chat.completion.chunk} event stream, the error bodies and headers), so the LangChain4j
 * clients and the official SDK parse it unchanged. Each fixture is a WireMock
 * {@link MappingBuilder} for {@link FixtureServer#stub(MappingBuilder)}; it matches
 * {@code POST /openai/v1/chat/completions}, the path {@link FixtureServer#baseUrl(LlmProvider)}
 * gives OpenAI clients.
 *
 * <pre>{@code
 * server.stub(OpenAiFixtures.chatCompletion()
 *         .whenLastUserMessageContains("charged twice")
 *         .replyText("{\"category\":\"BILLING\"}", reply -> reply.usage(812, 14).cachedTokens(768)));
 * server.stub(OpenAiFixtures.chatCompletion().anyRequest().rateLimited(Duration.ofMillis(20)));
 * server.stubAll(OpenAiFixtures.chatCompletion().anyRequest()
 *         .sequence(steps -> steps.serverError().serverError().replyText("ok")));
 * }</pre>
 *
 * <p>A reply matches only requests of its kind: {@code replyStream} those with
 * {@code "stream": true}, {@code replyText} the others, so one server can hold both for the same
 * prompt. Errors and faults match both kinds.
 *
 * <p>Every mapping carries WireMock metadata {@code {"llmunit": {"provider": "openai", "model": …,
 * "stream": …, "latencyMs": …}}} (see {@link ChatCompletionFixture}) so reports can say what served.
 */
public final class OpenAiFixtures {

    /** The model a reply names unless the fixture matches a model or the reply sets one: {@value}. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini-2024-07-18";
    /** The path the fixtures match: {@code /openai/v1/chat/completions}. */
    public static final String PATH = LlmProvider.OPENAI.basePath() + "/chat/completions";
    /** The prompt tokens a reply reports unless {@link Reply#usage(int, int)} says otherwise: {@value}. */
    public static final int DEFAULT_PROMPT_TOKENS = 10;
    /** The {@code created} time a reply reports unless {@link Reply#created(Instant)} says otherwise: 2025-07-02T13:20:00Z. */
    public static final Instant DEFAULT_CREATED = Instant.ofEpochSecond(1_751_462_400L);
    /** The {@code system_fingerprint} a reply reports unless set: {@value}. */
    public static final String DEFAULT_SYSTEM_FINGERPRINT = "fp_5c1e2d3f4a";
    /** The finish reasons OpenAI sends. */
    public static final Set<String> FINISH_REASONS = Set.of("stop", "length", "tool_calls", "content_filter", "function_call");
    /** The service tiers OpenAI reports. */
    public static final Set<String> SERVICE_TIERS = Set.of("auto", "default", "flex", "scale", "priority");

    private static final String ALIAS = "gpt-4o-mini";

    private OpenAiFixtures() {}

    /**
     * Starts a chat-completion fixture. Without a matcher it answers any chat-completion request;
     * say so with {@link ChatCompletionFixture#anyRequest()} for readers.
     *
     * @return a fixture matching {@code POST /openai/v1/chat/completions}
     */
    public static ChatCompletionFixture chatCompletion() {
        return new ChatCompletionFixture(new FixtureSpec(LlmProvider.OPENAI, "/chat/completions"));
    }

    /**
     * The {@code chat.completion} JSON of a reply with defaults, as a file or an assertion needs it.
     *
     * @param content the assistant's message, not blank
     * @return the response body, pretty-printed as OpenAI does
     */
    public static String chatCompletionJson(String content) {
        return chatCompletionJson(content, reply -> {});
    }

    /**
     * The {@code chat.completion} JSON of a reply, as a file or an assertion needs it.
     *
     * @param content the assistant's message, not blank
     * @param configure sets usage, model, id, finish reason …
     * @return the response body, pretty-printed as OpenAI does
     */
    public static String chatCompletionJson(String content, Consumer<Reply> configure) {
        return configured(DEFAULT_MODEL, configure).completionJson(content);
    }

    /**
     * The {@code text/event-stream} body of a streamed reply with defaults.
     *
     * @param content the assistant's message, not blank; streamed a word at a time
     * @return the SSE body: {@code data:} chunks, a usage chunk, {@code data: [DONE]}
     */
    public static String chatCompletionStream(String content) {
        return chatCompletionStream(content, reply -> {});
    }

    /**
     * The {@code text/event-stream} body of a streamed reply.
     *
     * @param content the assistant's message, not blank
     * @param configure sets usage, chunks, model, id …
     * @return the SSE body: {@code data:} chunks, a usage chunk, {@code data: [DONE]}
     */
    public static String chatCompletionStream(String content, Consumer<Reply> configure) {
        return configured(DEFAULT_MODEL, configure).streamBody(content);
    }

    private static Reply configured(String defaultModel, @Nullable Consumer<Reply> configure) {
        Objects.requireNonNull(configure, "configure must not be null");
        Reply reply = new Reply(defaultModel);
        configure.accept(reply);
        return reply;
    }

    /**
     * The request side of an OpenAI fixture (which requests it answers, how slowly) and its terminal
     * replies, each of which returns the finished WireMock mapping. Immutable: each matcher or delay
     * returns a new fixture, so a partly built one can serve as a template. Matchers combine with
     * AND.
     *
     * <p>Metadata of every mapping, under {@code llmunit}: {@code provider} ({@code openai}),
     * {@code model} (the reply's model; for errors and faults the matched model, absent when none
     * is matched), {@code stream}, {@code latencyMs} (when a delay is declared: fixed + log-normal
     * median + dribble duration), and for errors {@code status} and {@code error} (the code), for
     * faults {@code fault}, for sequence steps {@code scenario}, {@code step} and {@code steps}.
     */
    public static final class ChatCompletionFixture {
        private final FixtureSpec spec;

        private ChatCompletionFixture(FixtureSpec spec) {
            this.spec = spec;
        }

        // ---- matching --------------------------------------------------------------------------

        /**
         * Answers any chat-completion request: adds no matcher, and says so.
         *
         * @return this fixture
         */
        public ChatCompletionFixture anyRequest() {
            return this;
        }

        /**
         * Answers requests whose last message is the user's and contains the text (plain string
         * content or text blocks alike).
         *
         * @param text the text the message contains, not blank; compared case-sensitively
         * @return a fixture with this matcher added
         */
        public ChatCompletionFixture whenLastUserMessageContains(String text) {
            return new ChatCompletionFixture(spec.lastMessageFromUserContaining(text));
        }

        /**
         * Answers requests for one model, as the request names it (such as {@code gpt-4o-mini}).
         * Replies then name that model unless they set their own.
         *
         * @param model the request's {@code model}, not blank
         * @return a fixture with this matcher added
         */
        public ChatCompletionFixture whenModelEquals(String model) {
            return new ChatCompletionFixture(spec.modelEquals(model));
        }

        /**
         * Answers requests whose body matches this one by {@link RequestMatching}: the whole body equal, no field
         * missing or added (message order matters), except {@link RequestMatching#DEFAULT_VOLATILE_FIELDS}.
         *
         * @param requestJson the request body, a JSON object
         * @return a fixture with this matcher added
         * @throws IllegalArgumentException when the body is not a JSON object
         */
        public ChatCompletionFixture whenRequestMatches(String requestJson) {
            return whenRequestMatches(requestJson, RequestMatching.DEFAULT_VOLATILE_FIELDS);
        }

        /**
         * Answers requests whose body matches this one by {@link RequestMatching}, ignoring the
         * given top-level fields.
         *
         * @param requestJson the request body, a JSON object
         * @param volatileFields top-level fields to ignore, such as {@code user} and {@code seed}
         * @return a fixture with this matcher added
         * @throws IllegalArgumentException when the body is not a JSON object
         */
        public ChatCompletionFixture whenRequestMatches(String requestJson, Set<String> volatileFields) {
            return new ChatCompletionFixture(spec.requestMatching(requestJson, volatileFields));
        }

        // ---- latency ---------------------------------------------------------------------------

        /**
         * Delays the whole response by a fixed time.
         *
         * @param delay the delay, not negative
         * @return a fixture with this delay
         * @throws IllegalArgumentException when a log-normal delay is already set
         */
        public ChatCompletionFixture withFixedDelay(Duration delay) {
            return new ChatCompletionFixture(spec.fixedDelay(delay));
        }

        /**
         * Delays the whole response by a random time from a log-normal distribution, whose long
         * tail looks like real provider latency.
         *
         * @param median the median delay, positive
         * @param sigma the spread, positive: 0.1 is tight, 0.5 has a long tail
         * @return a fixture with this delay
         * @throws IllegalArgumentException when a fixed delay is already set
         */
        public ChatCompletionFixture withLogNormalDelay(Duration median, double sigma) {
            return new ChatCompletionFixture(spec.logNormalDelay(median, sigma));
        }

        /**
         * Sends the body in equal byte slices spread over a duration, the first after
         * {@code duration / chunks}: time to first token for a stream. Combine with
         * {@link #withFixedDelay(Duration)} for a longer wait before the first byte.
         *
         * <p>Dribbling breaks with gzip: a gzipped body arrives whole after the last slice.
         * WireMock never gzips event streams, so {@code replyStream} dribbles for every client; it
         * gzips a JSON reply when the client accepts gzip (the OkHttp-based SDKs do). To dribble a
         * JSON reply to such a client, add {@code reply.header("Content-Encoding", "identity")}.
         *
         * @param chunks the number of slices, at least 1
         * @param duration the time over which they are sent, not negative
         * @return a fixture with this dribble
         */
        public ChatCompletionFixture withChunkedDribble(int chunks, Duration duration) {
            return new ChatCompletionFixture(spec.chunkedDribble(chunks, duration));
        }

        // ---- replies ---------------------------------------------------------------------------

        /**
         * Replies with a {@code chat.completion} carrying the text, with default usage.
         *
         * @param content the assistant's message, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyText(String content) {
            return replyText(content, reply -> {});
        }

        /**
         * Replies with a {@code chat.completion} carrying the text.
         *
         * @param content the assistant's message, not blank
         * @param configure sets usage, model, id, finish reason …
         * @return the mapping to stub
         */
        public MappingBuilder replyText(String content, Consumer<Reply> configure) {
            return spec.mapping(text(content, defaultModel(spec), configure));
        }

        /**
         * Replies to {@code "stream": true} requests with a {@code chat.completion.chunk} event
         * stream of the text, a word per chunk, then a usage chunk and {@code [DONE]}.
         *
         * @param content the assistant's message, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyStream(String content) {
            return replyStream(content, reply -> {});
        }

        /**
         * Replies to {@code "stream": true} requests with a {@code chat.completion.chunk} event
         * stream of the text, then a usage chunk and {@code [DONE]}.
         *
         * @param content the assistant's message, not blank
         * @param configure sets usage, chunks, model, id …
         * @return the mapping to stub
         */
        public MappingBuilder replyStream(String content, Consumer<Reply> configure) {
            return spec.mapping(stream(content, defaultModel(spec), configure));
        }

        /**
         * Replies 429 {@code rate_limit_exceeded} without a {@code retry-after}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder rateLimited() {
            return spec.mapping(rateLimit(null, spec.model()));
        }

        /**
         * Replies 429 {@code rate_limit_exceeded} asking for a wait: {@code retry-after-ms} in
         * milliseconds and {@code retry-after} in whole seconds, rounded up.
         *
         * @param retryAfter the wait, not negative
         * @return the mapping to stub
         */
        public MappingBuilder rateLimited(Duration retryAfter) {
            return spec.mapping(rateLimit(WireFormat.requireNonNegative("retryAfter", retryAfter), spec.model()));
        }

        /**
         * Replies 429 {@code insufficient_quota}: the account is out of credit, which is never retried.
         *
         * @return the mapping to stub
         */
        public MappingBuilder insufficientQuota() {
            return spec.mapping(quota());
        }

        /**
         * Replies 400 {@code context_length_exceeded}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder contextLengthExceeded() {
            return spec.mapping(contextLength());
        }

        /**
         * Replies 401 {@code invalid_api_key}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder invalidApiKey() {
            return spec.mapping(unauthorized());
        }

        /**
         * Replies 500 {@code server_error}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder serverError() {
            return spec.mapping(internalError());
        }

        /**
         * Replies 503, OpenAI's answer when it is overloaded.
         *
         * @return the mapping to stub
         */
        public MappingBuilder overloaded() {
            return spec.mapping(unavailable());
        }

        /**
         * Replies with any error in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}.
         *
         * @param status the HTTP status, 400 to 599
         * @param type the error type, such as {@code invalid_request_error}
         * @param code the error code, such as {@code model_not_found}, or null
         * @param message the message, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyError(int status, String type, @Nullable String code, String message) {
            return spec.mapping(error(status, type, code, message));
        }

        /**
         * Fails below HTTP instead of answering.
         *
         * @param fault the fault
         * @return the mapping to stub
         */
        public MappingBuilder fault(TransportFault fault) {
            return spec.mapping(faultResponse(fault));
        }

        /**
         * Answers successive requests with successive responses, such as two 500s then a reply;
         * the last step answers every request after it. The steps share a WireMock scenario whose
         * name is unique to this call, so parallel tests on one server do not share state.
         *
         * <pre>{@code
         * server.stubAll(fixture.sequence(steps -> steps.serverError().serverError().replyText("ok")));
         * }</pre>
         *
         * @param steps adds the steps, at least one
         * @return one mapping per step, in order; stub them all
         */
        public List<MappingBuilder> sequence(Consumer<Sequence> steps) {
            Objects.requireNonNull(steps, "steps must not be null");
            Sequence sequence = new Sequence(defaultModel(spec), spec.model());
            steps.accept(sequence);
            return spec.sequence(sequence.steps);
        }
    }

    /**
     * The steps of a {@link ChatCompletionFixture#sequence(Consumer)}, one response per request in
     * the order added. The methods mean what the fixture's methods of the same name mean.
     */
    public static final class Sequence {
        private final String replyModel;
        private final @Nullable String matchedModel;
        private final List<FixtureResponse> steps = new ArrayList<>();

        private Sequence(String replyModel, @Nullable String matchedModel) {
            this.replyModel = replyModel;
            this.matchedModel = matchedModel;
        }

        private Sequence add(FixtureResponse step) {
            steps.add(step);
            return this;
        }

        /**
         * Adds a {@code chat.completion} reply.
         *
         * @param content the assistant's message, not blank
         * @return this sequence
         */
        public Sequence replyText(String content) {
            return replyText(content, reply -> {});
        }

        /**
         * Adds a {@code chat.completion} reply.
         *
         * @param content the assistant's message, not blank
         * @param configure sets usage, model, id …
         * @return this sequence
         */
        public Sequence replyText(String content, Consumer<Reply> configure) {
            return add(text(content, replyModel, configure));
        }

        /**
         * Adds a streamed reply.
         *
         * @param content the assistant's message, not blank
         * @return this sequence
         */
        public Sequence replyStream(String content) {
            return replyStream(content, reply -> {});
        }

        /**
         * Adds a streamed reply.
         *
         * @param content the assistant's message, not blank
         * @param configure sets usage, chunks, model, id …
         * @return this sequence
         */
        public Sequence replyStream(String content, Consumer<Reply> configure) {
            return add(stream(content, replyModel, configure));
        }

        /**
         * Adds a 429 {@code rate_limit_exceeded} without {@code retry-after}.
         *
         * @return this sequence
         */
        public Sequence rateLimited() {
            return add(rateLimit(null, matchedModel));
        }

        /**
         * Adds a 429 {@code rate_limit_exceeded} with {@code retry-after-ms} and {@code retry-after}.
         *
         * @param retryAfter the wait, not negative
         * @return this sequence
         */
        public Sequence rateLimited(Duration retryAfter) {
            return add(rateLimit(WireFormat.requireNonNegative("retryAfter", retryAfter), matchedModel));
        }

        /**
         * Adds a 429 {@code insufficient_quota}.
         *
         * @return this sequence
         */
        public Sequence insufficientQuota() {
            return add(quota());
        }

        /**
         * Adds a 400 {@code context_length_exceeded}.
         *
         * @return this sequence
         */
        public Sequence contextLengthExceeded() {
            return add(contextLength());
        }

        /**
         * Adds a 401 {@code invalid_api_key}.
         *
         * @return this sequence
         */
        public Sequence invalidApiKey() {
            return add(unauthorized());
        }

        /**
         * Adds a 500 {@code server_error}.
         *
         * @return this sequence
         */
        public Sequence serverError() {
            return add(internalError());
        }

        /**
         * Adds a 503 overload.
         *
         * @return this sequence
         */
        public Sequence overloaded() {
            return add(unavailable());
        }

        /**
         * Adds any error in OpenAI's shape.
         *
         * @param status the HTTP status, 400 to 599
         * @param type the error type
         * @param code the error code, or null
         * @param message the message, not blank
         * @return this sequence
         */
        public Sequence replyError(int status, String type, @Nullable String code, String message) {
            return add(error(status, type, code, message));
        }

        /**
         * Adds a transport fault.
         *
         * @param fault the fault
         * @return this sequence
         */
        public Sequence fault(TransportFault fault) {
            return add(faultResponse(fault));
        }
    }

    /**
     * What a reply reports besides its content. Every setter validates at once and names the bad
     * value; checks across fields (cached tokens within prompt tokens, reasoning tokens within
     * completion tokens, chunks spelling the content) run when the reply is written.
     */
    public static final class Reply {
        private String model;
        private @Nullable String id;
        private Instant created = DEFAULT_CREATED;
        private String finishReason = "stop";
        private @Nullable Integer promptTokens;
        private @Nullable Integer completionTokens;
        private int cachedTokens;
        private int reasoningTokens;
        private String serviceTier = "default";
        private String systemFingerprint = DEFAULT_SYSTEM_FINGERPRINT;
        private @Nullable List<String> chunks;
        private @Nullable StreamFault streamFault;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Reply(String model) {
            this.model = model;
        }

        /**
         * The model the reply names. Default: the model the fixture matches, else {@link #DEFAULT_MODEL}.
         *
         * @param model a dated model name such as {@code gpt-4o-mini-2024-07-18}, not blank
         * @return this reply
         */
        public Reply model(String model) {
            this.model = WireFormat.requireText("model", model);
            return this;
        }

        /**
         * The completion id. Default: {@code chatcmpl-} and 29 characters derived from the content
         * and model, so a fixture written twice is identical.
         *
         * @param id the id, not blank
         * @return this reply
         */
        public Reply id(String id) {
            this.id = WireFormat.requireText("id", id);
            return this;
        }

        /**
         * The {@code created} time, written in epoch seconds. Default: {@link #DEFAULT_CREATED}.
         *
         * @param created the time
         * @return this reply
         */
        public Reply created(Instant created) {
            this.created = Objects.requireNonNull(created, "created must not be null");
            return this;
        }

        /**
         * The finish reason. Default: {@code stop}.
         *
         * @param finishReason one of {@link #FINISH_REASONS}
         * @return this reply
         */
        public Reply finishReason(String finishReason) {
            this.finishReason = WireFormat.requireOneOf("finishReason", finishReason, FINISH_REASONS);
            return this;
        }

        /**
         * The token usage. Default: {@link #DEFAULT_PROMPT_TOKENS} prompt tokens and one completion
         * token per streamed word.
         *
         * @param promptTokens the prompt tokens, cached ones included; not negative
         * @param completionTokens the completion tokens, reasoning ones included; not negative
         * @return this reply
         */
        public Reply usage(int promptTokens, int completionTokens) {
            this.promptTokens = WireFormat.requireNonNegative("promptTokens", promptTokens);
            this.completionTokens = WireFormat.requireNonNegative("completionTokens", completionTokens);
            return this;
        }

        /**
         * The prompt tokens read from OpenAI's cache ({@code prompt_tokens_details.cached_tokens}),
         * a part of the prompt tokens. Default: 0.
         *
         * @param cachedTokens not negative, at most the prompt tokens
         * @return this reply
         */
        public Reply cachedTokens(int cachedTokens) {
            this.cachedTokens = WireFormat.requireNonNegative("cachedTokens", cachedTokens);
            return this;
        }

        /**
         * The reasoning tokens ({@code completion_tokens_details.reasoning_tokens}), a part of the
         * completion tokens. Default: 0.
         *
         * @param reasoningTokens not negative, at most the completion tokens
         * @return this reply
         */
        public Reply reasoningTokens(int reasoningTokens) {
            this.reasoningTokens = WireFormat.requireNonNegative("reasoningTokens", reasoningTokens);
            return this;
        }

        /**
         * The {@code service_tier}. Default: {@code default}.
         *
         * @param serviceTier one of {@link #SERVICE_TIERS}
         * @return this reply
         */
        public Reply serviceTier(String serviceTier) {
            this.serviceTier = WireFormat.requireOneOf("serviceTier", serviceTier, SERVICE_TIERS);
            return this;
        }

        /**
         * The {@code system_fingerprint}. Default: {@link #DEFAULT_SYSTEM_FINGERPRINT}.
         *
         * @param systemFingerprint not blank
         * @return this reply
         */
        public Reply systemFingerprint(String systemFingerprint) {
            this.systemFingerprint = WireFormat.requireText("systemFingerprint", systemFingerprint);
            return this;
        }

        /**
         * The content deltas of a streamed reply, one chunk each, instead of a word per chunk;
         * they must join to the content. Only for {@code replyStream}.
         *
         * @param chunks the pieces of the content, not empty
         * @return this reply
         */
        public Reply chunks(List<String> chunks) {
            this.chunks = WireFormat.copyChunks(chunks);
            return this;
        }

        /**
         * Breaks the streamed reply in the middle: cut, stalled or with a malformed chunk. Only for
         * {@code replyStream}. Default: none.
         *
         * @param fault the fault, such as {@link StreamFault#cutAfter(int)}
         * @return this reply
         */
        public Reply streamFault(StreamFault fault) {
            this.streamFault = Objects.requireNonNull(fault, "streamFault must not be null");
            return this;
        }

        /**
         * Adds a response header, or replaces a default one of the same name (ignoring case).
         *
         * @param name the header name, not blank
         * @param value the value, not null
         * @return this reply
         */
        public Reply header(String name, String value) {
            WireFormat.requireText("header name", name);
            Objects.requireNonNull(value, () -> "value of header '" + name + "' must not be null");
            headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        // ---- writing ---------------------------------------------------------------------------

        private int prompt() {
            return promptTokens == null ? DEFAULT_PROMPT_TOKENS : promptTokens;
        }

        private int completion(String content) {
            return completionTokens == null ? WireFormat.requireChunksOf(content, chunks).size() : completionTokens;
        }

        private void check(String content, boolean streamed) {
            WireFormat.requireText("content", content);
            if (!streamed && chunks != null) {
                throw new IllegalArgumentException("chunks apply to replyStream only, but were set on a JSON reply: " + chunks);
            }
            if (!streamed && streamFault != null) {
                throw new IllegalArgumentException("a stream fault applies to replyStream only, but " + streamFault
                        + " was set on a JSON reply; use replyStream(..), or fault(TransportFault) for a whole reply");
            }
            WireFormat.requireChunksOf(content, chunks);
            if (cachedTokens > prompt()) {
                throw new IllegalArgumentException("cachedTokens must not exceed promptTokens, but was " + cachedTokens + " > "
                        + prompt() + (promptTokens == null ? " (the default; set usage(promptTokens, completionTokens))" : ""));
            }
            if (reasoningTokens > completion(content)) {
                throw new IllegalArgumentException("reasoningTokens must not exceed completionTokens, but was " + reasoningTokens
                        + " > " + completion(content)
                        + (completionTokens == null ? " (the default; set usage(promptTokens, completionTokens))" : ""));
            }
        }

        private String idFor(String content) {
            return id != null ? id : "chatcmpl-" + WireFormat.stableId("openai|" + model + "|" + content, 29);
        }

        private ObjectNode usageNode(String content) {
            int prompt = prompt();
            int completion = completion(content);
            ObjectNode usage = WireFormat.object();
            usage.put("prompt_tokens", prompt);
            usage.put("completion_tokens", completion);
            usage.put("total_tokens", prompt + completion);
            ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
            promptDetails.put("cached_tokens", cachedTokens);
            promptDetails.put("audio_tokens", 0);
            ObjectNode completionDetails = usage.putObject("completion_tokens_details");
            completionDetails.put("reasoning_tokens", reasoningTokens);
            completionDetails.put("audio_tokens", 0);
            completionDetails.put("accepted_prediction_tokens", 0);
            completionDetails.put("rejected_prediction_tokens", 0);
            return usage;
        }

        String completionJson(String content) {
            check(content, false);
            ObjectNode completion = WireFormat.object();
            completion.put("id", idFor(content));
            completion.put("object", "chat.completion");
            completion.put("created", created.getEpochSecond());
            completion.put("model", model);
            ObjectNode choice = completion.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", content);
            message.putNull("refusal");
            message.putArray("annotations");
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            completion.set("usage", usageNode(content));
            completion.put("service_tier", serviceTier);
            completion.put("system_fingerprint", systemFingerprint);
            return WireFormat.pretty(completion);
        }

        private ObjectNode chunk(String id, @Nullable ObjectNode delta, @Nullable String finish) {
            ObjectNode chunk = WireFormat.object();
            chunk.put("id", id);
            chunk.put("object", "chat.completion.chunk");
            chunk.put("created", created.getEpochSecond());
            chunk.put("model", model);
            chunk.put("service_tier", serviceTier);
            chunk.put("system_fingerprint", systemFingerprint);
            ArrayNode choices = chunk.putArray("choices");
            if (delta != null) {
                ObjectNode choice = choices.addObject();
                choice.put("index", 0);
                choice.set("delta", delta);
                choice.putNull("logprobs");
                if (finish == null) {
                    choice.putNull("finish_reason");
                } else {
                    choice.put("finish_reason", finish);
                }
            }
            chunk.putNull("usage");
            return chunk;
        }

        String streamBody(String content) {
            check(content, true);
            String id = idFor(content);
            StringBuilder body = new StringBuilder();
            ObjectNode role = WireFormat.object();
            role.put("role", "assistant");
            role.put("content", "");
            role.putNull("refusal");
            data(body, chunk(id, role, null));
            for (String piece : WireFormat.requireChunksOf(content, chunks)) {
                ObjectNode delta = WireFormat.object();
                delta.put("content", piece);
                data(body, chunk(id, delta, null));
            }
            data(body, chunk(id, WireFormat.object(), finishReason));
            ObjectNode usage = chunk(id, null, null);
            usage.set("usage", usageNode(content));
            data(body, usage);
            body.append("data: [DONE]\n\n");
            return body.toString();
        }

        private static void data(StringBuilder body, ObjectNode chunk) {
            body.append("data: ").append(WireFormat.compact(chunk)).append("\n\n");
        }

        private ResponseDefinitionBuilder response(String body, String contentType, String content) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Content-Type", contentType);
            all.put("openai-version", "2020-10-01");
            all.put("openai-processing-ms", "412");
            all.put("x-request-id", "req_" + WireFormat.stableHex(idFor(content), 32));
            all.put("x-ratelimit-limit-requests", "10000");
            all.put("x-ratelimit-limit-tokens", "10000000");
            all.put("x-ratelimit-remaining-requests", "9999");
            all.put("x-ratelimit-remaining-tokens", String.valueOf(Math.max(0, 10_000_000 - prompt())));
            all.put("x-ratelimit-reset-requests", "6ms");
            all.put("x-ratelimit-reset-tokens", "0s");
            headers.forEach((name, value) -> {
                all.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
                all.put(name, value);
            });
            ResponseDefinitionBuilder response = aResponse().withStatus(200).withBody(body);
            all.forEach(response::withHeader);
            return response;
        }
    }

    // ---- responses, shared by fixtures and sequences --------------------------------------------------

    private static String defaultModel(FixtureSpec spec) {
        return spec.model() != null ? spec.model() : DEFAULT_MODEL;
    }

    private static String label(String content) {
        String flat = content.replaceAll("\\s+", " ").trim();
        return "'" + (flat.length() <= 40 ? flat : flat.substring(0, 40) + "…") + "'";
    }

    private static FixtureResponse text(String content, String defaultModel, Consumer<Reply> configure) {
        Reply reply = configured(defaultModel, configure);
        String body = reply.completionJson(content);
        return new FixtureResponse("chat.completion " + label(content), reply.response(body, "application/json", content), false,
                reply.model, Map.of());
    }

    private static FixtureResponse stream(String content, String defaultModel, Consumer<Reply> configure) {
        Reply reply = configured(defaultModel, configure);
        String body = reply.streamBody(content);
        ResponseDefinitionBuilder response = reply.response(body, "text/event-stream; charset=utf-8", content);
        if (reply.streamFault == null) {
            return new FixtureResponse("chat.completion.chunk stream " + label(content), response, true, reply.model, Map.of());
        }
        return new FixtureResponse("chat.completion.chunk stream " + label(content) + " " + reply.streamFault.id(),
                reply.streamFault.applyTo(body, response), true, reply.model, Map.of("streamFault", reply.streamFault.id()));
    }

    private static FixtureResponse rateLimit(@Nullable Duration retryAfter, @Nullable String model) {
        String wait = retryAfter == null ? "1s" : WireFormat.humanWait(retryAfter);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-ratelimit-limit-requests", "500");
        headers.put("x-ratelimit-remaining-requests", "0");
        headers.put("x-ratelimit-reset-requests", wait);
        if (retryAfter != null) {
            headers.put("retry-after-ms", String.valueOf(retryAfter.toMillis()));
            headers.put("retry-after", String.valueOf(WireFormat.ceilSeconds(retryAfter)));
        }
        return errorResponse(429, "requests", "rate_limit_exceeded", null,
                "Rate limit reached for " + (model == null ? ALIAS : model) + " in organization org-llmunit on requests per min (RPM): "
                        + "Limit 500, Used 500, Requested 1. Please try again in " + wait
                        + ". Visit https://platform.openai.com/account/rate-limits to learn more.",
                headers);
    }

    private static FixtureResponse quota() {
        return errorResponse(429, "insufficient_quota", "insufficient_quota", null,
                "You exceeded your current quota, please check your plan and billing details. For more information on this error, "
                        + "read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                Map.of());
    }

    private static FixtureResponse contextLength() {
        return errorResponse(400, "invalid_request_error", "context_length_exceeded", "messages",
                "This model's maximum context length is 128000 tokens. However, your messages resulted in 150214 tokens. "
                        + "Please reduce the length of the messages.",
                Map.of());
    }

    private static FixtureResponse unauthorized() {
        return errorResponse(401, "invalid_request_error", "invalid_api_key", null,
                "Incorrect API key provided: sk-test-****. You can find your API key at https://platform.openai.com/account/api-keys.",
                Map.of());
    }

    private static FixtureResponse internalError() {
        return errorResponse(500, "server_error", null, null,
                "The server had an error while processing your request. Sorry about that!", Map.of());
    }

    private static FixtureResponse unavailable() {
        return errorResponse(503, "server_error", null, null, "The server is overloaded or not ready yet.", Map.of());
    }

    private static FixtureResponse error(int status, String type, @Nullable String code, String message) {
        WireFormat.requireStatus(status);
        WireFormat.requireText("type", type);
        if (code != null) {
            WireFormat.requireText("code", code);
        }
        WireFormat.requireText("message", message);
        return errorResponse(status, type, code, null, message, Map.of());
    }

    private static FixtureResponse errorResponse(int status, String type, @Nullable String code, @Nullable String param,
            String message, Map<String, String> extraHeaders) {
        ObjectNode root = WireFormat.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        ResponseDefinitionBuilder response = aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("x-request-id", "req_" + WireFormat.stableHex("openai|" + status + "|" + type + "|" + code, 32))
                .withBody(WireFormat.pretty(root));
        extraHeaders.forEach(response::withHeader);
        String name = code != null ? code : type;
        return new FixtureResponse(status + " " + name, response, null, null, Map.of("status", status, "error", name));
    }

    private static FixtureResponse faultResponse(TransportFault fault) {
        Objects.requireNonNull(fault, "fault must not be null; use one of TransportFault.values() or TransportFault.parse(name)");
        return new FixtureResponse("fault " + fault.id(), aResponse().withFault(fault.wireMockFault()), null, null,
                Map.of("fault", fault.id()));
    }
}
