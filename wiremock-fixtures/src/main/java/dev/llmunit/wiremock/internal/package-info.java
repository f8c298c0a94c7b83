/**
 * Implementation of the fixture server: recording, playback latency, missing-fixture answers,
 * fixture files. Not API: names and behaviour here change without notice; depend on
 * {@code dev.llmunit.wiremock} instead.
 */
@NullMarked
package dev.llmunit.wiremock.internal;

import org.jspecify.annotations.NullMarked;
