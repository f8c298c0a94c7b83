package dev.llmunit.core.route;

import dev.llmunit.core.error.LlmException;
import java.time.Duration;

/**
 * The router decided to retry a provider, after the wait given here.
 *
 * @param provider the provider being retried
 * @param retry 1 for the first retry of this provider in a call, 2 for the second, ...
 * @param waitDuration the wait chosen before the retry: the provider's {@code Retry-After} when it sent
 *     one, otherwise exponential backoff with jitter
 * @param cause the failure being retried
 */
public record RetryEvent(String provider, int retry, Duration waitDuration, LlmException cause) {}
