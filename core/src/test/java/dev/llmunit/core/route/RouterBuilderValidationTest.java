package dev.llmunit.core.route;

import static dev.llmunit.core.route.ScriptedChatModel.answering;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmunit.core.internal.DefaultRouter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouterBuilderValidationTest {

    @Test
    void buildWithoutProvidersFails() {
        // GIVEN a builder with no provider
        RouterBuilder builder = Router.builder();

        // WHEN / THEN
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a router needs at least one provider: call provider(name, model) before build()");
    }

    @Test
    void negativeWeightFails() {
        assertThatThrownBy(() -> Router.builder().provider("a", answering("a"), p -> p.weight(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("weight of provider 'a' must be at least 0, but was -1");
    }

    @Test
    void duplicateProviderNameFails() {
        // GIVEN a provider named a
        RouterBuilder builder = Router.builder().provider("a", answering("a"));

        // WHEN / THEN a second one named a fails
        assertThatThrownBy(() -> builder.provider("a", answering("another a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider name 'a' is already used; give each provider a distinct name");
    }

    @Test
    void zeroMaxAttemptsFails() {
        assertThatThrownBy(() -> Router.builder().maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be at least 1, but was 0");
    }

    @Test
    void blankProviderNameFails() {
        assertThatThrownBy(() -> Router.builder().provider(" ", answering("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider name must not be blank, but was ' '");
    }

    @Test
    void nullProviderNameFails() {
        assertThatThrownBy(() -> Router.builder().provider(null, answering("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("provider name must not be blank, but was 'null'");
    }

    @Test
    void nullModelFailsNamingTheProvider() {
        assertThatThrownBy(() -> Router.builder().provider("a", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("model of provider 'a' must not be null");
    }

    @Test
    void negativeMaxRetriesFails() {
        assertThatThrownBy(() -> Router.builder().retry(r -> r.maxRetries(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetries must be at least 0, but was -1");
    }

    @Test
    void jitterOfOneFails() {
        assertThatThrownBy(() -> Router.builder().retry(r -> r.jitter(1.0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be at least 0.0 and below 1.0, but was 1.0");
    }

    @Test
    void initialBackoffBelowOneMillisecondFails() {
        assertThatThrownBy(() -> Router.builder().retry(r -> r.initialBackoff(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialBackoff must be at least 1 ms, but was PT0S");
    }

    @Test
    void multiplierBelowOneFails() {
        assertThatThrownBy(() -> Router.builder().retry(r -> r.multiplier(0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be at least 1.0, but was 0.5");
    }

    @Test
    void negativeMaxRetryAfterFails() {
        assertThatThrownBy(() -> Router.builder().retry(r -> r.maxRetryAfter(Duration.ofSeconds(-1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxRetryAfter must not be negative, but was PT-1S");
    }

    @Test
    void zeroMaxInputTokensFails() {
        assertThatThrownBy(() -> Router.builder().provider("a", answering("a"), p -> p.maxInputTokens(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxInputTokens of provider 'a' must be at least 1, but was 0");
    }

    @Test
    void zeroMaxConcurrentCallsFails() {
        assertThatThrownBy(() -> Router.builder().provider("a", answering("a"), p -> p.maxConcurrentCalls(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls of provider 'a' must be at least 1, but was 0");
    }

    @Test
    void blankModelNameFails() {
        assertThatThrownBy(() -> Router.builder().provider("a", answering("a"), p -> p.modelName("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("modelName of provider 'a' must not be blank, but was ''");
    }

    @Test
    void circuitBreakerOpenStateWaitReplacesTheDefault() {
        // GIVEN a builder whose breaker stays open 5 s instead of the default 30 s
        RouterBuilder builder = Router.builder()
                .provider("a", answering("a"))
                .circuitBreaker(cb -> cb.waitDurationInOpenState(Duration.ofSeconds(5)));

        // WHEN the router builds (resilience4j refuses a wait set twice on one builder)
        Router router = builder.build();

        // THEN the provider's breaker has the new wait
        assertThat(openStateWaitMillis(router, "a")).isEqualTo(5_000L);
    }

    @Test
    void defaultCircuitBreakerStaysOpenThirtySeconds() {
        Router router = Router.builder().provider("a", answering("a")).build();

        assertThat(openStateWaitMillis(router, "a")).isEqualTo(30_000L);
    }

    private static long openStateWaitMillis(Router router, String provider) {
        return ((DefaultRouter) router).circuitBreaker(provider).getCircuitBreakerConfig()
                .getWaitIntervalFunctionInOpenState().apply(1);
    }
}
