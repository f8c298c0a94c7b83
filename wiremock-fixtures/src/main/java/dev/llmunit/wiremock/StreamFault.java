package dev.llmunit.wiremock;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A failure in the middle of a streamed reply, after some chunks (SSE events: an OpenAI
 * {@code chat.completion.chunk}, an Anthropic {@code message_start}, {@code ping} or
 * {@code content_block_delta}, ...) went through: the connection cut, a stall, or a chunk that is
 * not JSON. Set it on a streamed reply:
 *
 * <pre>{@code
 * server.stub(OpenAiFixtures.chatCompletion().anyRequest()
 *         .replyStream("one two three four", reply -> reply.streamFault(StreamFault.cutAfter(3))));
 * }</pre>
 *
 * <p>Chunks count every event of the body from 1, the provider's bookkeeping events included (an
 * OpenAI stream starts with a role chunk; an Anthropic one with {@code message_start},
 * {@code content_block_start} and {@code ping}). Each fault is plain HTTP that any client meets the
 * same way, and the stub stays a standalone WireMock mapping:
 *
 * <ul>
 *   <li>{@link #cutAfter(int)}: the body stops after the chunk and the connection closes; the
 *       response declares the full length, so every client reads a premature end of stream.</li>
 *   <li>{@link #stallAfter(int, Duration)}: the chunks are dribbled ({@value #STEP_MILLIS} ms apart)
 *       and after the given chunk nothing but SSE comment lines (which every SSE reader ignores)
 *       arrives for the stall's duration, then the rest.</li>
 *   <li>{@link #malformedChunk(int)}: the chunk's {@code data:} is cut in half, so it is not JSON.</li>
 * </ul>
 */
public final class StreamFault {

    /** Gap between dribbled chunks of a stalled stream, in milliseconds: {@value}. */
    public static final int STEP_MILLIS = 20;

    private enum Kind { CUT, STALL, MALFORMED }

    private final Kind kind;
    private final int chunk;
    private final Duration stall;

    private StreamFault(Kind kind, int chunk, Duration stall) {
        this.kind = kind;
        this.chunk = chunk;
        this.stall = stall;
    }

    /**
     * The connection closes after the given number of chunks.
     *
     * @param chunks chunks served before the cut, at least 0 (0: the headers and nothing else)
     * @return the fault
     */
    public static StreamFault cutAfter(int chunks) {
        if (chunks < 0) {
            throw new IllegalArgumentException("cutAfter(chunks) must be at least 0, but was " + chunks);
        }
        return new StreamFault(Kind.CUT, chunks, Duration.ZERO);
    }

    /**
     * The stream goes silent after the given number of chunks, then resumes.
     *
     * @param chunks chunks served before the stall, at least 0 (0: a slow first token)
     * @param stall how long nothing comes, at least {@value #STEP_MILLIS} ms
     * @return the fault
     */
    public static StreamFault stallAfter(int chunks, Duration stall) {
        if (chunks < 0) {
            throw new IllegalArgumentException("stallAfter(chunks, ..) must be at least 0, but was " + chunks);
        }
        Objects.requireNonNull(stall, "stall must not be null");
        if (stall.toMillis() < STEP_MILLIS) {
            throw new IllegalArgumentException("stall must be at least " + STEP_MILLIS + " ms, but was " + stall.toMillis() + " ms");
        }
        return new StreamFault(Kind.STALL, chunks, stall);
    }

    /**
     * One chunk's data is not JSON.
     *
     * @param chunk the chunk's position, from 1
     * @return the fault
     */
    public static StreamFault malformedChunk(int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("malformedChunk(chunk) counts from 1, but was " + chunk);
        }
        return new StreamFault(Kind.MALFORMED, chunk, Duration.ZERO);
    }

    /**
     * The fault's name in stub metadata and stub names.
     *
     * @return such as {@code cut_after_3}, {@code stall_after_2_1500ms}, {@code malformed_chunk_4}
     */
    public String id() {
        return switch (kind) {
            case CUT -> "cut_after_" + chunk;
            case STALL -> "stall_after_" + chunk + "_" + stall.toMillis() + "ms";
            case MALFORMED -> "malformed_chunk_" + chunk;
        };
    }

    /**
     * Whether the fault dribbles the body itself, so a fixture must not declare its own dribble.
     *
     * @return true for a stall
     */
    boolean dribbles() {
        return kind == Kind.STALL;
    }

    /** Serves {@code body} (a whole SSE stream) with this fault, on the reply's response. */
    ResponseDefinitionBuilder applyTo(String body, ResponseDefinitionBuilder response) {
        List<String> events = events(body);
        int limit = kind == Kind.MALFORMED ? events.size() : events.size() - 1;
        if (chunk > limit) {
            throw new IllegalArgumentException(id() + " needs a stream of more chunks, but this reply streams " + events.size()
                    + " (" + (kind == Kind.MALFORMED ? "use 1 to " + events.size() : "use 0 to " + limit) + ")");
        }
        switch (kind) {
            case CUT -> {
                String served = String.join("", events.subList(0, chunk));
                // The full length declared: the server closes short of it, which every client reads as a broken stream.
                return response.withBody(served)
                        .withHeader("Content-Length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
            }
            case MALFORMED -> {
                List<String> changed = new ArrayList<>(events);
                changed.set(chunk - 1, malformed(events.get(chunk - 1)));
                return response.withBody(String.join("", changed));
            }
            default -> {
                return stalled(events, response);
            }
        }
    }

    /**
     * Equal-sized pieces, each a comment line padding one event to the longest, so WireMock's
     * chunked dribble (which cuts a body into equal byte slices) delivers exactly one event per
     * step; the stall is steps of padding alone.
     */
    private ResponseDefinitionBuilder stalled(List<String> events, ResponseDefinitionBuilder response) {
        int longest = 0;
        for (String event : events) {
            longest = Math.max(longest, bytes(event));
        }
        int size = longest + 2; // ':' + padding + '\n' + event
        int stallSteps = (int) ((stall.toMillis() + STEP_MILLIS - 1) / STEP_MILLIS);
        StringBuilder padded = new StringBuilder();
        int steps = 0;
        for (int i = 0; i < events.size(); i++) {
            if (i == chunk) {
                for (int s = 0; s < stallSteps; s++) {
                    padded.append(':').append(" ".repeat(size - 2)).append('\n');
                    steps++;
                }
            }
            String event = events.get(i);
            padded.append(':').append(" ".repeat(size - 2 - bytes(event))).append('\n').append(event);
            steps++;
        }
        return response.withBody(padded.toString()).withChunkedDribbleDelay(steps, steps * STEP_MILLIS);
    }

    private static String malformed(String event) {
        StringBuilder out = new StringBuilder();
        for (String line : event.split("\n", -1)) {
            if (line.startsWith("data:")) {
                String data = line.substring("data:".length()).trim();
                line = "data: " + data.substring(0, Math.max(1, data.length() / 2));
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static List<String> events(String body) {
        List<String> events = new ArrayList<>();
        int from = 0;
        while (from < body.length()) {
            int end = body.indexOf("\n\n", from);
            int next = end < 0 ? body.length() : end + 2;
            events.add(body.substring(from, next));
            from = next;
        }
        return events;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return id();
    }
}
