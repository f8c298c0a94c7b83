package dev.llmunit.core.internal;

import dev.langchain4j.model.chat.request.ChatRequest;
import org.jspecify.annotations.Nullable;

/**
 * The checks every public call entry point (router, streaming router, ensemble) makes on what its
 * caller passed, so a null reaches the caller as an error that names the method, the parameter and
 * what to pass, instead of a {@link NullPointerException} from deep inside routing (issue 15.9).
 */
final class CallArguments {

    private static final String REQUEST_EXAMPLE =
            "pass a ChatRequest with at least one message, such as ChatRequest.builder().messages(UserMessage.from(\"Hello\")).build()";

    private CallArguments() {}

    /**
     * The request, checked.
     *
     * @param request what the caller passed
     * @param method the entry point, as the caller wrote it, such as {@code Router.route}
     * @return the request
     * @throws IllegalArgumentException when the request is null
     */
    static ChatRequest request(@Nullable ChatRequest request, String method) {
        if (request == null) {
            throw new IllegalArgumentException(method + "(request): request is null; " + REQUEST_EXAMPLE);
        }
        return request;
    }

    /**
     * A non-request argument, checked.
     *
     * @param value what the caller passed
     * @param method the entry point, such as {@code StreamingRouter.route}
     * @param parameter the parameter's name
     * @param fix what to pass instead
     * @param <T> the parameter's type
     * @return the value
     * @throws IllegalArgumentException when the value is null
     */
    static <T> T required(@Nullable T value, String method, String parameter, String fix) {
        if (value == null) {
            throw new IllegalArgumentException(method + ": " + parameter + " is null; " + fix);
        }
        return value;
    }
}
