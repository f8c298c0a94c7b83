package dev.llmunit.junit.internal;

import dev.langchain4j.model.chat.ChatModel;
import dev.llmunit.wiremock.FixtureModels;
import dev.llmunit.wiremock.FixtureServer;
import dev.llmunit.wiremock.LlmProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One provider of the router the extension builds, parsed from {@code provider:model} or
 * {@code name=provider:model}, such as {@code openai:gpt-4o-mini}.
 *
 * @param name the name the router and {@code @LlmModel} know it by
 * @param provider the provider's wire format
 * @param model the model name, used in requests and for pricing
 */
public record ProviderSpec(String name, LlmProvider provider, String model) {

    private static final Pattern SPEC = Pattern.compile("(?:([A-Za-z0-9_.-]+)=)?([A-Za-z]+):(\\S+)");

    /**
     * Parses a list of specifications.
     *
     * @param specs the specifications
     * @param source where they came from, for messages, such as {@code @LlmTest(providers) on TriageTest}
     * @return the parsed providers, in order
     * @throws IllegalArgumentException naming the source, the bad value and the valid form
     */
    public static List<ProviderSpec> parseAll(List<String> specs, String source) {
        List<ProviderSpec> parsed = new ArrayList<>();
        for (String spec : specs) {
            ProviderSpec next = parse(spec, source);
            for (ProviderSpec earlier : parsed) {
                if (earlier.name().equals(next.name())) {
                    throw new IllegalArgumentException(source + " names provider '" + next.name() + "' twice ('" + spec
                            + "'); give the second one its own name, such as 'backup=" + next.provider().id() + ":" + next.model() + "'");
                }
            }
            parsed.add(next);
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(source + " lists no providers; give at least one, such as 'openai:gpt-4o-mini'");
        }
        return List.copyOf(parsed);
    }

    /**
     * Parses one specification.
     *
     * @param spec the text
     * @param source where it came from, for messages
     * @return the provider
     * @throws IllegalArgumentException naming the source, the value and the valid form
     */
    public static ProviderSpec parse(String spec, String source) {
        Matcher matcher = SPEC.matcher(spec.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(source + " has provider '" + spec + "', which is not 'provider:model' or"
                    + " 'name=provider:model' (such as 'openai:gpt-4o-mini'); providers: " + ids());
        }
        String providerId = matcher.group(2).toLowerCase(Locale.ROOT);
        LlmProvider provider = null;
        for (LlmProvider candidate : LlmProvider.values()) {
            if (candidate.id().equals(providerId)) {
                provider = candidate;
            }
        }
        if (provider == null) {
            throw new IllegalArgumentException(source + " has provider '" + spec + "', whose provider '" + matcher.group(2)
                    + "' is not one llmunit plays back; use one of " + ids());
        }
        String name = matcher.group(1) == null ? provider.id() : matcher.group(1);
        return new ProviderSpec(name, provider, matcher.group(3));
    }

    private static String ids() {
        List<String> ids = new ArrayList<>();
        for (LlmProvider provider : LlmProvider.values()) {
            ids.add(provider.id());
        }
        return String.join(", ", ids);
    }

    /**
     * The LangChain4j model for this provider, talking to the fixture server.
     *
     * @param server the started fixture server
     * @return a new model
     */
    public ChatModel model(FixtureServer server) {
        return switch (provider) {
            case OPENAI -> FixtureModels.openAiChat(server, model);
            case ANTHROPIC -> FixtureModels.anthropicChat(server, model);
            case GEMINI -> FixtureModels.geminiChat(server, model);
        };
    }

    @Override
    public String toString() {
        return name.equals(provider.id()) ? provider.id() + ":" + model : name + "=" + provider.id() + ":" + model;
    }
}
