package dev.llmunit.core.internal;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.TokenUsage;
import dev.llmunit.core.error.ErrorClassifier;
import dev.llmunit.core.error.LlmException;
import dev.llmunit.core.stream.MidStreamPolicy;
import dev.llmunit.core.stream.RoutedStreamingHandler;
import dev.llmunit.core.trace.StreamTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The provider exchange of one streamed, routed call: each attempt starts the provider's stream and
 * consumes it on the routing thread, forwarding every chunk to the caller's handler as it arrives.
 * A failure before the attempt's first chunk is thrown as it is, so the pipeline retries and falls
 * back unseen; after it, as an {@link LlmException.StreamInterrupted} with the partial text, which the
 * pipeline retries only when the {@link MidStreamPolicy} allows. Holds the call's state across its
 * attempts (text delivered, restarts, the first token's time); used by one routing thread only.
 */
final class StreamExchange implements ProviderExchange {

    private enum Deadline { NONE, FIRST_TOKEN, BETWEEN_TOKENS, TOTAL }

    private final StreamingConfig config;
    private final StreamingChatResponseHandler handler;
    private final StreamingHandle callHandle;
    /** Under CONTINUE: the answer's text delivered by earlier attempts, which the next one continues. */
    private String continued = "";
    private LlmException.@Nullable StreamInterrupted pendingRestart;
    private int restarts;
    private long firstTokenAt = -1;
    private long deadline;

    StreamExchange(StreamingConfig config, StreamingChatResponseHandler handler, StreamingHandle callHandle) {
        this.config = config;
        this.handler = handler;
        this.callHandle = callHandle;
    }

    @Override
    public ChatResponse exchange(ProviderState provider, RouteCall call) {
        if (deadline == 0 && config.total() != null) {
            deadline = call.startNanos + config.total().toNanos();
        }
        if (pendingRestart != null) {
            LlmException.StreamInterrupted restart = pendingRestart;
            pendingRestart = null;
            if (handler instanceof RoutedStreamingHandler routed) {
                deliver(h -> routed.onRestart(restart));
            }
        }
        long start = System.nanoTime();
        if (deadline != 0 && start - deadline >= 0) {
            throw totalTimeout(provider, "");
        }
        ChatRequest request = continued.isEmpty() ? call.request : continuation(call.request, continued);
        AttemptStream stream = new AttemptStream();
        if (provider.model instanceof StreamingProviderModel streaming) {
            streaming.streaming().chat(request, stream);
        } else {
            // A plain provider (a fallback without streaming) answers in one chunk.
            ChatResponse whole = provider.model.chat(request);
            if (whole.aiMessage() != null && whole.aiMessage().text() != null && !whole.aiMessage().text().isEmpty()) {
                stream.onPartialResponse(new PartialResponse(whole.aiMessage().text()), new PartialResponseContext(stream));
            }
            stream.onCompleteResponse(whole);
        }
        return consume(provider, call, stream, start);
    }

    private ChatResponse consume(ProviderState provider, RouteCall call, AttemptStream stream, long start) {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        long attemptFirst = -1;
        long last = start;
        try {
            while (true) {
                long now = System.nanoTime();
                Deadline which = Deadline.NONE;
                long wait = Long.MAX_VALUE;
                if (deadline != 0) {
                    which = Deadline.TOTAL;
                    wait = deadline - now;
                }
                if (chunks == 0 && config.firstToken() != null && start + config.firstToken().toNanos() - now < wait) {
                    which = Deadline.FIRST_TOKEN;
                    wait = start + config.firstToken().toNanos() - now;
                }
                if (chunks > 0 && config.betweenTokens() != null && last + config.betweenTokens().toNanos() - now < wait) {
                    which = Deadline.BETWEEN_TOKENS;
                    wait = last + config.betweenTokens().toNanos() - now;
                }
                if (which != Deadline.NONE && wait <= 0) {
                    stream.abandon();
                    throw timeout(which, provider, text, chunks, now - (chunks == 0 ? start : last));
                }
                Object event = which == Deadline.NONE ? stream.events.take() : stream.events.poll(wait, TimeUnit.NANOSECONDS);
                if (event == null) {
                    continue; // the loop turns the expired deadline into its failure
                }
                long at = System.nanoTime();
                if (event instanceof Chunk chunk) {
                    if (chunks == 0) {
                        attemptFirst = at;
                    }
                    if (firstTokenAt < 0) {
                        firstTokenAt = at;
                    }
                    chunks++;
                    last = at;
                    if (chunk.text != null) {
                        text.append(chunk.text);
                    }
                    deliver(chunk.delivery);
                } else if (event instanceof ChatResponse response) {
                    ChatResponse result = finish(call, response, chunks, attemptFirst < 0 ? at : attemptFirst, at);
                    if (provider.metrics != null && call.stream != null) {
                        provider.metrics.streamed((attemptFirst < 0 ? at : attemptFirst) - start, call.stream.tokensPerSecond());
                    }
                    return result;
                } else {
                    stream.abandon();
                    throw failure(provider, (Throwable) event, text, chunks);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt(); // the pipeline reports the call as cancelled
            stream.abandon();
            throw new CancellationException("streaming from " + provider.name + " was interrupted");
        }
    }

    private ChatResponse finish(RouteCall call, ChatResponse response, int chunks, long attemptFirst, long end) {
        TokenUsage usage = response.metadata() == null ? null : response.metadata().tokenUsage();
        Integer outputTokens = usage == null ? null : usage.outputTokenCount();
        long firstToken = firstTokenAt < 0 ? end : firstTokenAt;
        call.stream = new StreamTiming(Duration.ofNanos(Math.max(0, firstToken - call.startNanos)),
                Duration.ofNanos(Math.max(0, end - attemptFirst)), chunks, outputTokens);
        if (continued.isEmpty()) {
            return response;
        }
        AiMessage message = response.aiMessage();
        String rest = message == null || message.text() == null ? "" : message.text();
        AiMessage joined = (message == null ? AiMessage.builder() : message.toBuilder()).text(continued + rest).build();
        return response.toBuilder().aiMessage(joined).build();
    }

    /** A failed attempt: as it is before its first chunk, a mid-stream failure after it. */
    private LlmException failure(ProviderState provider, Throwable error, CharSequence text, int chunks) {
        LlmException classified = ErrorClassifier.classify(error, provider.name);
        if (chunks == 0) {
            return classified;
        }
        boolean restartable = config.policy() != MidStreamPolicy.FAIL && restarts < config.maxRestarts();
        String partial = continued + text;
        LlmException.StreamInterrupted interrupted = new LlmException.StreamInterrupted(provider.name, partial, classified,
                restartable);
        if (restartable) {
            restarts++;
            if (config.policy() == MidStreamPolicy.RESTART) {
                pendingRestart = interrupted;
            } else {
                continued = partial;
            }
        }
        return interrupted;
    }

    private LlmException timeout(Deadline which, ProviderState provider, CharSequence text, int chunks, long waitedNanos) {
        long waited = TimeUnit.NANOSECONDS.toMillis(waitedNanos);
        return switch (which) {
            case FIRST_TOKEN -> new LlmException.Timeout(provider.name, provider.name + ": no first token within "
                    + config.firstToken().toMillis() + " ms (time-to-first-token timeout)", null);
            case BETWEEN_TOKENS -> failure(provider, new LlmException.Timeout(provider.name, provider.name + ": no token for "
                    + waited + " ms after chunk " + chunks + " (between-tokens timeout " + config.betweenTokens().toMillis()
                    + " ms)", null), text, chunks);
            case TOTAL, NONE -> totalTimeout(provider, continued + text);
        };
    }

    private LlmException.StreamInterrupted totalTimeout(ProviderState provider, String partial) {
        return new LlmException.StreamInterrupted(provider.name, partial, new LlmException.Timeout(provider.name,
                provider.name + ": the streamed call exceeded its total timeout of " + config.total().toMillis() + " ms", null),
                false);
    }

    private ChatRequest continuation(ChatRequest request, String partial) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        messages.add(AiMessage.from(partial));
        messages.add(UserMessage.from(config.continuePrompt()));
        return request.toBuilder().messages(messages).build();
    }

    /**
     * Calls the caller's handler on the routing thread. What the handler throws is dropped, as
     * LangChain4j's own streaming models do: it must not turn into a provider failure and a retry.
     */
    private void deliver(Consumer<StreamingChatResponseHandler> delivery) {
        try {
            delivery.accept(handler);
        } catch (RuntimeException ignored) {
            // the handler's own bug; the stream goes on
        }
    }

    /** One chunk of output and how to hand it to the caller's handler. */
    private record Chunk(@Nullable String text, Consumer<StreamingChatResponseHandler> delivery) {}

    /**
     * The handler given to the provider for one attempt: queues what the provider's thread reports,
     * so the routing thread sees chunks, the end and failures in order with its deadlines. Once
     * abandoned (a timeout, a failure, the call's end) it drops everything and cancels the stream.
     */
    private final class AttemptStream implements StreamingChatResponseHandler, StreamingHandle {
        final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();
        private volatile boolean abandoned;
        private volatile @Nullable StreamingHandle providerHandle;

        void abandon() {
            abandoned = true;
            StreamingHandle handle = providerHandle;
            if (handle != null && handle != this && !handle.isCancelled()) {
                try {
                    handle.cancel();
                } catch (RuntimeException ignored) {
                    // a client that cannot cancel keeps reading; its events are dropped
                }
            }
        }

        private boolean accepting(@Nullable StreamingHandle handle) {
            if (handle != null) {
                providerHandle = handle;
            }
            if (abandoned) {
                abandon();
                return false;
            }
            return true;
        }

        @Override
        public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            if (accepting(context.streamingHandle())) {
                PartialResponseContext forCaller = new PartialResponseContext(callHandle);
                events.add(new Chunk(partial.text(), h -> h.onPartialResponse(partial, forCaller)));
            }
        }

        @Override
        public void onPartialThinking(PartialThinking thinking, PartialThinkingContext context) {
            if (accepting(context.streamingHandle())) {
                PartialThinkingContext forCaller = new PartialThinkingContext(callHandle);
                events.add(new Chunk(null, h -> h.onPartialThinking(thinking, forCaller)));
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall toolCall, PartialToolCallContext context) {
            if (accepting(context.streamingHandle())) {
                PartialToolCallContext forCaller = new PartialToolCallContext(callHandle);
                events.add(new Chunk(null, h -> h.onPartialToolCall(toolCall, forCaller)));
            }
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall toolCall) {
            if (accepting(null)) {
                events.add(new Chunk(null, h -> h.onCompleteToolCall(toolCall)));
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            if (accepting(null)) {
                events.add(response);
            }
        }

        @Override
        public void onError(Throwable error) {
            if (accepting(null)) {
                events.add(error);
            }
        }

        // As a StreamingHandle: what a plain provider's single chunk offers the caller; nothing to cancel.
        @Override
        public void cancel() {
            abandon();
        }

        @Override
        public boolean isCancelled() {
            return abandoned;
        }
    }
}
