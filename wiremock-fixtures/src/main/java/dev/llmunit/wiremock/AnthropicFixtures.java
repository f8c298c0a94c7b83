package dev.llmunit.wiremock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Hand-written Anthropic Messages fixtures: a test declares what Anthropic answers, and the DSL
 * writes it in Anthropic's exact wire format (the {@code message} JSON, the server-sent event
 * sequence {@code message_start} … {@code message_stop}, the error bodies and headers), so the
 * LangChain4j clients and the official SDK parse it unchanged. Each fixture is a WireMock
 * {@link MappingBuilder} for {@link FixtureServer#stub(MappingBuilder)}; it matches
 * {@code POST /anthropic/v1/messages}, the path {@link FixtureServer#baseUrl(LlmProvider)} gives
 * Anthropic clients.
 *
 * <pre>{@code
 * server.stub(AnthropicFixtures.messages()
 *         .whenLastUserMessageContains("charged twice")
 *         .replyText("Billing", reply -> reply.usage(3, 4).cacheReadInputTokens(1111)));
 * server.stub(AnthropicFixtures.messages().anyRequest().overloaded());
 * }</pre>
 *
 * <p>Anthropic's {@code input_tokens} excludes cache reads and writes: the prompt was
 * {@code input + cache_creation + cache_read} tokens. A reply matches only requests of its kind:
 * {@code replyStream} those with {@code "stream": true}, {@code replyText} the others; errors and
 * faults match both. Metadata as for {@link OpenAiFixtures.ChatCompletionFixture}, with provider
 * {@code anthropic}.
 */
public final class AnthropicFixtures {

    /** The model a reply names unless the fixture matches a model or the reply sets one: {@value}. */
    public static final String DEFAULT_MODEL = "claude-haiku-4-5-20251001";
    /** The path the fixtures match: {@code /anthropic/v1/messages}. */
    public static final String PATH = LlmProvider.ANTHROPIC.basePath() + "/messages";
    /** The input tokens a reply reports unless {@link Reply#usage(int, int)} says otherwise: {@value}. */
    public static final int DEFAULT_INPUT_TOKENS = 10;
    /** The stop reasons Anthropic sends. */
    public static final Set<String> STOP_REASONS =
            Set.of("end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal");
    /** The service tiers Anthropic reports. */
    public static final Set<String> SERVICE_TIERS = Set.of("standard", "priority", "batch");

    private AnthropicFixtures() {}

    /**
     * Starts a Messages fixture. Without a matcher it answers any Messages request; say so with
     * {@link MessagesFixture#anyRequest()} for readers.
     *
     * @return a fixture matching {@code POST /anthropic/v1/messages}
     */
    public static MessagesFixture messages() {
        return new MessagesFixture(new FixtureSpec(LlmProvider.ANTHROPIC, "/messages"));
    }

    /**
     * The {@code message} JSON of a reply with defaults, as a file or an assertion needs it.
     *
     * @param content the assistant's text, not blank
     * @return the response body, compact as Anthropic sends it
     */
    public static String messageJson(String content) {
        return messageJson(content, reply -> {});
    }

    /**
     * The {@code message} JSON of a reply, as a file or an assertion needs it.
     *
     * @param content the assistant's text, not blank
     * @param configure sets usage, model, id, stop reason …
     * @return the response body, compact as Anthropic sends it
     */
    public static String messageJson(String content, Consumer<Reply> configure) {
        return configured(DEFAULT_MODEL, configure).messageJson(content);
    }

    /**
     * The {@code text/event-stream} body of a streamed reply with defaults.
     *
     * @param content the assistant's text, not blank; streamed a word at a time
     * @return the SSE body, {@code event: message_start} to {@code event: message_stop}
     */
    public static String messageStream(String content) {
        return messageStream(content, reply -> {});
    }

    /**
     * The {@code text/event-stream} body of a streamed reply.
     *
     * @param content the assistant's text, not blank
     * @param configure sets usage, chunks, model, id …
     * @return the SSE body, {@code event: message_start} to {@code event: message_stop}
     */
    public static String messageStream(String content, Consumer<Reply> configure) {
        return configured(DEFAULT_MODEL, configure).streamBody(content);
    }

    private static Reply configured(String defaultModel, @Nullable Consumer<Reply> configure) {
        Objects.requireNonNull(configure, "configure must not be null");
        Reply reply = new Reply(defaultModel);
        configure.accept(reply);
        return reply;
    }

    /**
     * The request side of an Anthropic fixture (which requests it answers, how slowly) and its
     * terminal replies, each of which returns the finished WireMock mapping. Immutable: each
     * matcher or delay returns a new fixture. Matchers combine with AND.
     */
    public static final class MessagesFixture {
        private final FixtureSpec spec;

        private MessagesFixture(FixtureSpec spec) {
            this.spec = spec;
        }

        // ---- matching --------------------------------------------------------------------------

        /**
         * Answers any Messages request: adds no matcher, and says so.
         *
         * @return this fixture
         */
        public MessagesFixture anyRequest() {
            return this;
        }

        /**
         * Answers requests whose last message is the user's and contains the text, as a plain
         * string or in a text block.
         *
         * @param text the text the message contains, not blank; compared case-sensitively
         * @return a fixture with this matcher added
         */
        public MessagesFixture whenLastUserMessageContains(String text) {
            return new MessagesFixture(spec.lastMessageFromUserContaining(text));
        }

        /**
         * Answers requests for one model, as the request names it (such as {@code claude-haiku-4-5}).
         * Replies then name that model unless they set their own.
         *
         * @param model the request's {@code model}, not blank
         * @return a fixture with this matcher added
         */
        public MessagesFixture whenModelEquals(String model) {
            return new MessagesFixture(spec.modelEquals(model));
        }

        /**
         * Answers requests whose body matches this one by {@link RequestMatching}: the whole body equal, no field
         * missing or added (message order matters), except {@link RequestMatching#DEFAULT_VOLATILE_FIELDS}.
         *
         * @param requestJson the request body, a JSON object
         * @return a fixture with this matcher added
         * @throws IllegalArgumentException when the body is not a JSON object
         */
        public MessagesFixture whenRequestMatches(String requestJson) {
            return whenRequestMatches(requestJson, RequestMatching.DEFAULT_VOLATILE_FIELDS);
        }

        /**
         * Answers requests whose body matches this one by {@link RequestMatching}, ignoring the
         * given top-level fields.
         *
         * @param requestJson the request body, a JSON object
         * @param volatileFields top-level fields to ignore, such as {@code metadata}
         * @return a fixture with this matcher added
         * @throws IllegalArgumentException when the body is not a JSON object
         */
        public MessagesFixture whenRequestMatches(String requestJson, Set<String> volatileFields) {
            return new MessagesFixture(spec.requestMatching(requestJson, volatileFields));
        }

        // ---- latency ---------------------------------------------------------------------------

        /**
         * Delays the whole response by a fixed time.
         *
         * @param delay the delay, not negative
         * @return a fixture with this delay
         * @throws IllegalArgumentException when a log-normal delay is already set
         */
        public MessagesFixture withFixedDelay(Duration delay) {
            return new MessagesFixture(spec.fixedDelay(delay));
        }

        /**
         * Delays the whole response by a random time from a log-normal distribution.
         *
         * @param median the median delay, positive
         * @param sigma the spread, positive: 0.1 is tight, 0.5 has a long tail
         * @return a fixture with this delay
         * @throws IllegalArgumentException when a fixed delay is already set
         */
        public MessagesFixture withLogNormalDelay(Duration median, double sigma) {
            return new MessagesFixture(spec.logNormalDelay(median, sigma));
        }

        /**
         * Sends the body in equal byte slices spread over a duration, the first after
         * {@code duration / chunks}: time to first token for a stream. Breaks with gzip, which
         * WireMock applies to JSON replies but never to event streams; see
         * {@link OpenAiFixtures.ChatCompletionFixture#withChunkedDribble(int, Duration)}.
         *
         * @param chunks the number of slices, at least 1
         * @param duration the time over which they are sent, not negative
         * @return a fixture with this dribble
         */
        public MessagesFixture withChunkedDribble(int chunks, Duration duration) {
            return new MessagesFixture(spec.chunkedDribble(chunks, duration));
        }

        // ---- replies ---------------------------------------------------------------------------

        /**
         * Replies with a {@code message} carrying the text, with default usage.
         *
         * @param content the assistant's text, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyText(String content) {
            return replyText(content, reply -> {});
        }

        /**
         * Replies with a {@code message} carrying the text.
         *
         * @param content the assistant's text, not blank
         * @param configure sets usage, model, id, stop reason …
         * @return the mapping to stub
         */
        public MappingBuilder replyText(String content, Consumer<Reply> configure) {
            return spec.mapping(text(content, defaultModel(spec), configure));
        }

        /**
         * Replies to {@code "stream": true} requests with the event sequence of the text, a word
         * per {@code text_delta}.
         *
         * @param content the assistant's text, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyStream(String content) {
            return replyStream(content, reply -> {});
        }

        /**
         * Replies to {@code "stream": true} requests with the event sequence of the text.
         *
         * @param content the assistant's text, not blank
         * @param configure sets usage, chunks, model, id …
         * @return the mapping to stub
         */
        public MappingBuilder replyStream(String content, Consumer<Reply> configure) {
            return spec.mapping(stream(content, defaultModel(spec), configure));
        }

        /**
         * Replies 429 {@code rate_limit_error} without a {@code retry-after}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder rateLimited() {
            return spec.mapping(rateLimit(null));
        }

        /**
         * Replies 429 {@code rate_limit_error} asking for a wait: {@code retry-after} in whole
         * seconds, rounded up, and {@code retry-after-ms} as well when the wait is not a whole
         * number of seconds (Anthropic itself sends seconds; clients read both).
         *
         * @param retryAfter the wait, not negative
         * @return the mapping to stub
         */
        public MappingBuilder rateLimited(Duration retryAfter) {
            return spec.mapping(rateLimit(WireFormat.requireNonNegative("retryAfter", retryAfter)));
        }

        /**
         * Replies 400 {@code invalid_request_error} "prompt is too long".
         *
         * @return the mapping to stub
         */
        public MappingBuilder contextLengthExceeded() {
            return spec.mapping(contextLength());
        }

        /**
         * Replies 401 {@code authentication_error}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder invalidApiKey() {
            return spec.mapping(unauthorized());
        }

        /**
         * Replies 500 {@code api_error}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder serverError() {
            return spec.mapping(internalError());
        }

        /**
         * Replies 529 {@code overloaded_error}.
         *
         * @return the mapping to stub
         */
        public MappingBuilder overloaded() {
            return spec.mapping(overload());
        }

        /**
         * Replies with any error in Anthropic's shape:
         * {@code {"type": "error", "error": {"type", "message"}, "request_id"}}.
         *
         * @param status the HTTP status, 400 to 599
         * @param type the error type, such as {@code permission_error}
         * @param message the message, not blank
         * @return the mapping to stub
         */
        public MappingBuilder replyError(int status, String type, String message) {
            return spec.mapping(error(status, type, message));
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
         * Answers successive requests with successive responses, such as two 529s then a reply;
         * the last step answers every request after it. The steps share a WireMock scenario whose
         * name is unique to this call, so parallel tests on one server do not share state.
         *
         * <pre>{@code
         * server.stubAll(fixture.sequence(steps -> steps.overloaded().overloaded().replyText("ok")));
         * }</pre>
         *
         * @param steps adds the steps, at least one
         * @return one mapping per step, in order; stub them all
         */
        public List<MappingBuilder> sequence(Consumer<Sequence> steps) {
            Objects.requireNonNull(steps, "steps must not be null");
            Sequence sequence = new Sequence(defaultModel(spec));
            steps.accept(sequence);
            return spec.sequence(sequence.steps);
        }
    }

    /**
     * The steps of a {@link MessagesFixture#sequence(Consumer)}, one response per request in the
     * order added. The methods mean what the fixture's methods of the same name mean.
     */
    public static final class Sequence {
        private final String replyModel;
        private final List<FixtureResponse> steps = new ArrayList<>();

        private Sequence(String replyModel) {
            this.replyModel = replyModel;
        }

        private Sequence add(FixtureResponse step) {
            steps.add(step);
            return this;
        }

        /**
         * Adds a {@code message} reply.
         *
         * @param content the assistant's text, not blank
         * @return this sequence
         */
        public Sequence replyText(String content) {
            return replyText(content, reply -> {});
        }

        /**
         * Adds a {@code message} reply.
         *
         * @param content the assistant's text, not blank
         * @param configure sets usage, model, id …
         * @return this sequence
         */
        public Sequence replyText(String content, Consumer<Reply> configure) {
            return add(text(content, replyModel, configure));
        }

        /**
         * Adds a streamed reply.
         *
         * @param content the assistant's text, not blank
         * @return this sequence
         */
        public Sequence replyStream(String content) {
            return replyStream(content, reply -> {});
        }

        /**
         * Adds a streamed reply.
         *
         * @param content the assistant's text, not blank
         * @param configure sets usage, chunks, model, id …
         * @return this sequence
         */
        public Sequence replyStream(String content, Consumer<Reply> configure) {
            return add(stream(content, replyModel, configure));
        }

        /**
         * Adds a 429 {@code rate_limit_error} without {@code retry-after}.
         *
         * @return this sequence
         */
        public Sequence rateLimited() {
            return add(rateLimit(null));
        }

        /**
         * Adds a 429 {@code rate_limit_error} with {@code retry-after}.
         *
         * @param retryAfter the wait, not negative
         * @return this sequence
         */
        public Sequence rateLimited(Duration retryAfter) {
            return add(rateLimit(WireFormat.requireNonNegative("retryAfter", retryAfter)));
        }

        /**
         * Adds a 400 "prompt is too long".
         *
         * @return this sequence
         */
        public Sequence contextLengthExceeded() {
            return add(contextLength());
        }

        /**
         * Adds a 401 {@code authentication_error}.
         *
         * @return this sequence
         */
        public Sequence invalidApiKey() {
            return add(unauthorized());
        }

        /**
         * Adds a 500 {@code api_error}.
         *
         * @return this sequence
         */
        public Sequence serverError() {
            return add(internalError());
        }

        /**
         * Adds a 529 {@code overloaded_error}.
         *
         * @return this sequence
         */
        public Sequence overloaded() {
            return add(overload());
        }

        /**
         * Adds any error in Anthropic's shape.
         *
         * @param status the HTTP status, 400 to 599
         * @param type the error type
         * @param message the message, not blank
         * @return this sequence
         */
        public Sequence replyError(int status, String type, String message) {
            return add(error(status, type, message));
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
     * value; checks across fields run when the reply is written.
     */
    public static final class Reply {
        private String model;
        private @Nullable String id;
        private @Nullable String stopReason;
        private @Nullable String stopSequence;
        private @Nullable Integer inputTokens;
        private @Nullable Integer outputTokens;
        private int cacheCreationInputTokens;
        private int cacheReadInputTokens;
        private String serviceTier = "standard";
        private @Nullable List<String> chunks;
        private @Nullable StreamFault streamFault;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Reply(String model) {
            this.model = model;
        }

        /**
         * The model the reply names. Default: the model the fixture matches, else {@link #DEFAULT_MODEL}.
         *
         * @param model a model name such as {@code claude-haiku-4-5-20251001}, not blank
         * @return this reply
         */
        public Reply model(String model) {
            this.model = WireFormat.requireText("model", model);
            return this;
        }

        /**
         * The message id. Default: {@code msg_01} and 22 characters derived from the content and
         * model, so a fixture written twice is identical.
         *
         * @param id the id, not blank
         * @return this reply
         */
        public Reply id(String id) {
            this.id = WireFormat.requireText("id", id);
            return this;
        }

        /**
         * The stop reason. Default: {@code end_turn}, or {@code stop_sequence} when
         * {@link #stopSequence(String)} is set.
         *
         * @param stopReason one of {@link #STOP_REASONS}
         * @return this reply
         */
        public Reply stopReason(String stopReason) {
            this.stopReason = WireFormat.requireOneOf("stopReason", stopReason, STOP_REASONS);
            return this;
        }

        /**
         * The stop sequence that ended the message; implies stop reason {@code stop_sequence}.
         * Default: none ({@code null} on the wire).
         *
         * @param stopSequence the sequence, not empty
         * @return this reply
         */
        public Reply stopSequence(String stopSequence) {
            Objects.requireNonNull(stopSequence, "stopSequence must not be null");
            if (stopSequence.isEmpty()) {
                throw new IllegalArgumentException("stopSequence must not be empty, but was ''");
            }
            this.stopSequence = stopSequence;
            return this;
        }

        /**
         * The token usage. Default: {@link #DEFAULT_INPUT_TOKENS} input tokens and one output token
         * per streamed word.
         *
         * @param inputTokens the uncached input tokens (cache reads and writes excluded); not negative
         * @param outputTokens the output tokens; not negative
         * @return this reply
         */
        public Reply usage(int inputTokens, int outputTokens) {
            this.inputTokens = WireFormat.requireNonNegative("inputTokens", inputTokens);
            this.outputTokens = WireFormat.requireNonNegative("outputTokens", outputTokens);
            return this;
        }

        /**
         * The input tokens written to the prompt cache ({@code cache_creation_input_tokens}, also
         * reported as {@code cache_creation.ephemeral_5m_input_tokens}). Default: 0.
         *
         * @param tokens not negative
         * @return this reply
         */
        public Reply cacheCreationInputTokens(int tokens) {
            this.cacheCreationInputTokens = WireFormat.requireNonNegative("cacheCreationInputTokens", tokens);
            return this;
        }

        /**
         * The input tokens read from the prompt cache ({@code cache_read_input_tokens}). Default: 0.
         *
         * @param tokens not negative
         * @return this reply
         */
        public Reply cacheReadInputTokens(int tokens) {
            this.cacheReadInputTokens = WireFormat.requireNonNegative("cacheReadInputTokens", tokens);
            return this;
        }

        /**
         * The {@code usage.service_tier}. Default: {@code standard}.
         *
         * @param serviceTier one of {@link #SERVICE_TIERS}
         * @return this reply
         */
        public Reply serviceTier(String serviceTier) {
            this.serviceTier = WireFormat.requireOneOf("serviceTier", serviceTier, SERVICE_TIERS);
            return this;
        }

        /**
         * The {@code text_delta} pieces of a streamed reply, one event each, instead of a word
         * per event; they must join to the content. Only for {@code replyStream}.
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

        private int input() {
            return inputTokens == null ? DEFAULT_INPUT_TOKENS : inputTokens;
        }

        private int output(String content) {
            return outputTokens == null ? WireFormat.requireChunksOf(content, chunks).size() : outputTokens;
        }

        private String stopReasonOrDefault() {
            if (stopReason != null) {
                return stopReason;
            }
            return stopSequence != null ? "stop_sequence" : "end_turn";
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
            if (stopSequence != null && !"stop_sequence".equals(stopReasonOrDefault())) {
                throw new IllegalArgumentException("a stopSequence ('" + stopSequence + "') needs stopReason 'stop_sequence', but was '"
                        + stopReason + "'");
            }
        }

        private String idFor(String content) {
            return id != null ? id : "msg_01" + WireFormat.stableId("anthropic|" + model + "|" + content, 22);
        }

        private ObjectNode usageNode(String content, int outputTokens) {
            ObjectNode usage = WireFormat.object();
            usage.put("input_tokens", input());
            usage.put("cache_creation_input_tokens", cacheCreationInputTokens);
            usage.put("cache_read_input_tokens", cacheReadInputTokens);
            ObjectNode cacheCreation = usage.putObject("cache_creation");
            cacheCreation.put("ephemeral_5m_input_tokens", cacheCreationInputTokens);
            cacheCreation.put("ephemeral_1h_input_tokens", 0);
            usage.put("output_tokens", outputTokens);
            usage.put("service_tier", serviceTier);
            return usage;
        }

        private ObjectNode message(String content, boolean started) {
            ObjectNode message = WireFormat.object();
            message.put("id", idFor(content));
            message.put("type", "message");
            message.put("role", "assistant");
            message.put("model", model);
            if (started) {
                message.putArray("content");
                message.putNull("stop_reason");
                message.putNull("stop_sequence");
                // message_start reports the input and the first output token; message_delta the total
                message.set("usage", usageNode(content, Math.min(1, output(content))));
            } else {
                ObjectNode text = message.putArray("content").addObject();
                text.put("type", "text");
                text.put("text", content);
                message.put("stop_reason", stopReasonOrDefault());
                if (stopSequence == null) {
                    message.putNull("stop_sequence");
                } else {
                    message.put("stop_sequence", stopSequence);
                }
                message.set("usage", usageNode(content, output(content)));
            }
            return message;
        }

        String messageJson(String content) {
            check(content, false);
            return WireFormat.compact(message(content, false));
        }

        String streamBody(String content) {
            check(content, true);
            StringBuilder body = new StringBuilder();
            ObjectNode start = WireFormat.object();
            start.put("type", "message_start");
            start.set("message", message(content, true));
            event(body, "message_start", WireFormat.compact(start));

            ObjectNode blockStart = WireFormat.object();
            blockStart.put("type", "content_block_start");
            blockStart.put("index", 0);
            ObjectNode block = blockStart.putObject("content_block");
            block.put("type", "text");
            block.put("text", "");
            event(body, "content_block_start", WireFormat.compact(blockStart));
            event(body, "ping", "{\"type\": \"ping\"}"); // byte for byte as Anthropic sends it

            for (String piece : WireFormat.requireChunksOf(content, chunks)) {
                ObjectNode delta = WireFormat.object();
                delta.put("type", "content_block_delta");
                delta.put("index", 0);
                ObjectNode text = delta.putObject("delta");
                text.put("type", "text_delta");
                text.put("text", piece);
                event(body, "content_block_delta", WireFormat.compact(delta));
            }

            ObjectNode blockStop = WireFormat.object();
            blockStop.put("type", "content_block_stop");
            blockStop.put("index", 0);
            event(body, "content_block_stop", WireFormat.compact(blockStop));

            ObjectNode messageDelta = WireFormat.object();
            messageDelta.put("type", "message_delta");
            ObjectNode delta = messageDelta.putObject("delta");
            delta.put("stop_reason", stopReasonOrDefault());
            if (stopSequence == null) {
                delta.putNull("stop_sequence");
            } else {
                delta.put("stop_sequence", stopSequence);
            }
            ObjectNode usage = messageDelta.putObject("usage"); // cumulative, as Anthropic reports it
            usage.put("input_tokens", input());
            usage.put("cache_creation_input_tokens", cacheCreationInputTokens);
            usage.put("cache_read_input_tokens", cacheReadInputTokens);
            usage.put("output_tokens", output(content));
            event(body, "message_delta", WireFormat.compact(messageDelta));
            event(body, "message_stop", "{\"type\":\"message_stop\"}");
            return body.toString();
        }

        private static void event(StringBuilder body, String name, String data) {
            body.append("event: ").append(name).append('\n').append("data: ").append(data).append("\n\n");
        }

        private ResponseDefinitionBuilder response(String body, boolean streamed, String content) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("Content-Type", streamed ? "text/event-stream; charset=utf-8" : "application/json");
            if (streamed) {
                all.put("Cache-Control", "no-cache");
            }
            all.put("request-id", requestId(idFor(content)));
            all.put("anthropic-ratelimit-requests-limit", "50");
            all.put("anthropic-ratelimit-requests-remaining", "49");
            all.put("anthropic-ratelimit-input-tokens-limit", "50000");
            all.put("anthropic-ratelimit-input-tokens-remaining", String.valueOf(Math.max(0, 50_000 - input())));
            all.put("anthropic-ratelimit-output-tokens-limit", "10000");
            all.put("anthropic-ratelimit-output-tokens-remaining", "10000");
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

    private static String requestId(String seed) {
        return "req_011C" + WireFormat.stableId("anthropic request|" + seed, 20);
    }

    private static String label(String content) {
        String flat = content.replaceAll("\\s+", " ").trim();
        return "'" + (flat.length() <= 40 ? flat : flat.substring(0, 40) + "…") + "'";
    }

    private static FixtureResponse text(String content, String defaultModel, Consumer<Reply> configure) {
        Reply reply = configured(defaultModel, configure);
        String body = reply.messageJson(content);
        return new FixtureResponse("message " + label(content), reply.response(body, false, content), false, reply.model, Map.of());
    }

    private static FixtureResponse stream(String content, String defaultModel, Consumer<Reply> configure) {
        Reply reply = configured(defaultModel, configure);
        String body = reply.streamBody(content);
        ResponseDefinitionBuilder response = reply.response(body, true, content);
        if (reply.streamFault == null) {
            return new FixtureResponse("message stream " + label(content), response, true, reply.model, Map.of());
        }
        return new FixtureResponse("message stream " + label(content) + " " + reply.streamFault.id(),
                reply.streamFault.applyTo(body, response), true, reply.model, Map.of("streamFault", reply.streamFault.id()));
    }

    private static FixtureResponse rateLimit(@Nullable Duration retryAfter) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anthropic-ratelimit-requests-limit", "50");
        headers.put("anthropic-ratelimit-requests-remaining", "0");
        if (retryAfter != null) {
            headers.put("retry-after", String.valueOf(WireFormat.ceilSeconds(retryAfter)));
            if (retryAfter.toMillis() % 1000 != 0) {
                headers.put("retry-after-ms", String.valueOf(retryAfter.toMillis()));
            }
        }
        return errorResponse(429, "rate_limit_error",
                "This request would exceed the rate limit for your organization of 50 requests per minute. "
                        + "For details, refer to: https://docs.claude.com/en/api/rate-limits.",
                headers);
    }

    private static FixtureResponse contextLength() {
        return errorResponse(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum", Map.of());
    }

    private static FixtureResponse unauthorized() {
        return errorResponse(401, "authentication_error", "invalid x-api-key", Map.of());
    }

    private static FixtureResponse internalError() {
        return errorResponse(500, "api_error", "Internal server error", Map.of());
    }

    private static FixtureResponse overload() {
        return errorResponse(529, "overloaded_error", "Overloaded", Map.of());
    }

    private static FixtureResponse error(int status, String type, String message) {
        WireFormat.requireStatus(status);
        WireFormat.requireText("type", type);
        WireFormat.requireText("message", message);
        return errorResponse(status, type, message, Map.of());
    }

    private static FixtureResponse errorResponse(int status, String type, String message, Map<String, String> extraHeaders) {
        String requestId = requestId(status + "|" + type + "|" + message);
        ObjectNode root = WireFormat.object();
        root.put("type", "error");
        ObjectNode error = root.putObject("error");
        error.put("type", type);
        error.put("message", message);
        root.put("request_id", requestId);
        boolean retryable = status == 408 || status == 409 || status == 429 || status >= 500;
        ResponseDefinitionBuilder response = aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("request-id", requestId)
                .withHeader("x-should-retry", String.valueOf(retryable))
                .withBody(WireFormat.compact(root));
        extraHeaders.forEach(response::withHeader);
        return new FixtureResponse(status + " " + type, response, null, null, Map.of("status", status, "error", type));
    }

    private static FixtureResponse faultResponse(TransportFault fault) {
        Objects.requireNonNull(fault, "fault must not be null; use one of TransportFault.values() or TransportFault.parse(name)");
        return new FixtureResponse("fault " + fault.id(), aResponse().withFault(fault.wireMockFault()), null, null,
                Map.of("fault", fault.id()));
    }
}
