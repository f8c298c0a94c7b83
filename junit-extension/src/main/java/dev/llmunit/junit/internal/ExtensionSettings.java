package dev.llmunit.junit.internal;

import dev.llmunit.core.ensemble.Ensemble;
import dev.llmunit.core.route.Router;
import dev.llmunit.core.stream.StreamingRouter;
import dev.llmunit.wiremock.FixtureException;
import dev.llmunit.wiremock.FixtureMode;
import dev.llmunit.wiremock.FixtureServer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.jspecify.annotations.Nullable;

/**
 * The settings of one test class, resolved once: from the programmatic builder or the
 * {@code @LlmTest} attributes, then the {@code llmunit.*} configuration parameters and system
 * properties, then the defaults. The mode is the exception: a configured {@code llmunit.mode} wins
 * over the annotation, so one flag re-records a whole suite.
 *
 * @param fixtureSet the fixture set, or {@code null} for none (fixtures come from stubs only)
 * @param mode the mode asked for in code, or {@code null} to let the configuration decide
 * @param providers the providers of the built router, in fallback order
 * @param routerFactory builds the test's router from the server, or {@code null} to build it from {@code providers}
 * @param routerFactoryName where the router or ensemble factory came from, for messages
 * @param ensembleFactory builds the test's ensemble from the server, or {@code null} when the class has none
 * @param streamingFactory builds the test's streaming router from the server, or {@code null} when the class has none
 */
public record ExtensionSettings(@Nullable String fixtureSet, @Nullable FixtureMode mode, List<ProviderSpec> providers,
        @Nullable Function<FixtureServer, Router> routerFactory, String routerFactoryName,
        @Nullable Function<FixtureServer, Ensemble> ensembleFactory,
        @Nullable Function<FixtureServer, StreamingRouter> streamingFactory) {

    /**
     * Settings without a streaming router factory.
     *
     * @param fixtureSet the fixture set, or {@code null}
     * @param mode the mode, or {@code null}
     * @param providers the providers
     * @param routerFactory the router factory, or {@code null}
     * @param routerFactoryName where it came from
     * @param ensembleFactory the ensemble factory, or {@code null}
     */
    public ExtensionSettings(@Nullable String fixtureSet, @Nullable FixtureMode mode, List<ProviderSpec> providers,
            @Nullable Function<FixtureServer, Router> routerFactory, String routerFactoryName,
            @Nullable Function<FixtureServer, Ensemble> ensembleFactory) {
        this(fixtureSet, mode, providers, routerFactory, routerFactoryName, ensembleFactory, null);
    }

    /**
     * Settings without an ensemble factory.
     *
     * @param fixtureSet the fixture set, or {@code null}
     * @param mode the mode, or {@code null}
     * @param providers the providers
     * @param routerFactory the router factory, or {@code null}
     * @param routerFactoryName where it came from
     */
    public ExtensionSettings(@Nullable String fixtureSet, @Nullable FixtureMode mode, List<ProviderSpec> providers,
            @Nullable Function<FixtureServer, Router> routerFactory, String routerFactoryName) {
        this(fixtureSet, mode, providers, routerFactory, routerFactoryName, null, null);
    }

    /** The setting naming the fixture set. */
    public static final String FIXTURES_SETTING = "llmunit.fixtures";
    /** The setting listing the providers, comma-separated. */
    public static final String PROVIDERS_SETTING = "llmunit.providers";
    /** The providers when nothing says otherwise. */
    public static final String DEFAULT_PROVIDERS = "openai:gpt-4o-mini";

    /**
     * Resolves a class's settings.
     *
     * @param testClass the test class
     * @param fixtureSet the fixture set from code, or empty
     * @param mode the mode from code, or empty
     * @param providers providers from code, or empty
     * @param routerFactory a router factory from code, or {@code null}
     * @param source where the code settings came from, such as {@code @LlmTest on TriageTest}
     * @param configuration the configuration parameter lookup
     * @return the settings
     * @throws ExtensionConfigurationException naming the bad value and the fix
     */
    public static ExtensionSettings resolve(Class<?> testClass, String fixtureSet, String mode, List<String> providers,
            @Nullable Function<FixtureServer, Router> routerFactory, String source,
            Function<String, Optional<String>> configuration) {
        return resolve(testClass, fixtureSet, mode, providers, routerFactory, null, source, configuration);
    }

    /**
     * Resolves a class's settings, with an ensemble factory from code.
     *
     * @param testClass the test class
     * @param fixtureSet the fixture set from code, or empty
     * @param mode the mode from code, or empty
     * @param providers providers from code, or empty
     * @param routerFactory a router factory from code, or {@code null}
     * @param ensembleFactory an ensemble factory from code, or {@code null}
     * @param source where the code settings came from, such as {@code @LlmTest on TriageTest}
     * @param configuration the configuration parameter lookup
     * @return the settings
     * @throws ExtensionConfigurationException naming the bad value and the fix
     */
    public static ExtensionSettings resolve(Class<?> testClass, String fixtureSet, String mode, List<String> providers,
            @Nullable Function<FixtureServer, Router> routerFactory, @Nullable Function<FixtureServer, Ensemble> ensembleFactory,
            String source, Function<String, Optional<String>> configuration) {
        try {
            String set = !fixtureSet.isBlank() ? fixtureSet.trim() : configuration.apply(FIXTURES_SETTING).map(String::trim)
                    .filter(value -> !value.isEmpty()).orElse(null);
            // Parsed even when a configured mode wins, so a typo in the annotation fails on every run, not only some.
            FixtureMode resolvedMode = mode.isBlank() ? null : FixtureMode.parse(mode, source + " (mode)");
            if (FixtureMode.configured(configuration).isPresent()) {
                resolvedMode = null;
            }
            List<ProviderSpec> specs;
            if (!providers.isEmpty()) {
                specs = ProviderSpec.parseAll(providers, source + " (providers)");
            } else {
                Optional<String> configured = configuration.apply(PROVIDERS_SETTING);
                specs = configured.isPresent()
                        ? ProviderSpec.parseAll(Arrays.asList(configured.get().split(",")), "setting " + PROVIDERS_SETTING)
                        : ProviderSpec.parseAll(List.of(DEFAULT_PROVIDERS), "the default providers");
            }
            Function<FixtureServer, Router> factory = routerFactory;
            Function<FixtureServer, Ensemble> ensembles = ensembleFactory;
            Function<FixtureServer, StreamingRouter> streaming = null;
            String factoryName = routerFactory != null ? source + " (router)" : ensembleFactory != null ? source + " (ensemble)" : "";
            Method method = factoryMethod(testClass);
            if (method != null) {
                if (routerFactory != null || ensembleFactory != null) {
                    throw new ExtensionConfigurationException(testClass.getName() + " has both an @LlmRouter method ("
                            + method.getName() + ") and LlmExtension.builder()." + (routerFactory != null ? "router" : "ensemble")
                            + "(..); keep one of them");
                }
                if (Ensemble.class.isAssignableFrom(method.getReturnType())) {
                    ensembles = server -> invoke(method, server, Ensemble.class);
                } else if (StreamingRouter.class.isAssignableFrom(method.getReturnType())) {
                    streaming = server -> invoke(method, server, StreamingRouter.class);
                } else {
                    factory = server -> invoke(method, server, Router.class);
                }
                factoryName = "@LlmRouter method " + method.getDeclaringClass().getSimpleName() + "." + method.getName();
            }
            return new ExtensionSettings(set, resolvedMode, specs, factory, factoryName, ensembles, streaming);
        } catch (IllegalArgumentException | FixtureException e) {
            throw new ExtensionConfigurationException("llmunit cannot configure " + testClass.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key that tells fixture servers apart: classes with the same key share one server.
     *
     * @return the key
     */
    public String serverKey() {
        return "set=" + (fixtureSet == null ? "" : fixtureSet) + ";mode=" + (mode == null ? "configured" : mode.name());
    }

    private static @Nullable Method factoryMethod(Class<?> testClass) {
        List<Method> methods = AnnotationSupport.findAnnotatedMethods(testClass, dev.llmunit.junit.LlmRouter.class,
                HierarchyTraversalMode.BOTTOM_UP);
        if (methods.isEmpty()) {
            return null;
        }
        Method chosen = methods.get(0);
        for (Method other : methods) {
            if (other != chosen && other.getDeclaringClass() == chosen.getDeclaringClass()) {
                throw new ExtensionConfigurationException(testClass.getName() + " has two @LlmRouter methods, " + chosen.getName()
                        + " and " + other.getName() + "; keep one (a test gets one router; use @LlmModel for single providers)");
            }
        }
        String name = chosen.getDeclaringClass().getSimpleName() + "." + chosen.getName();
        if (!Modifier.isStatic(chosen.getModifiers())) {
            throw new ExtensionConfigurationException("@LlmRouter method " + name + " must be static, so llmunit can call it"
                    + " before the test instance exists; add 'static' (Kotlin: put it in a companion object with @JvmStatic)");
        }
        if (!Router.class.isAssignableFrom(chosen.getReturnType()) && !Ensemble.class.isAssignableFrom(chosen.getReturnType())
                && !StreamingRouter.class.isAssignableFrom(chosen.getReturnType())) {
            throw new ExtensionConfigurationException("@LlmRouter method " + name + " returns "
                    + chosen.getReturnType().getSimpleName() + "; it must return a dev.llmunit.core.route.Router built with Router.builder(),"
                    + " a dev.llmunit.core.ensemble.Ensemble built with Ensemble.builder() or a"
                    + " dev.llmunit.core.stream.StreamingRouter built with StreamingRouter.builder()");
        }
        Class<?>[] parameters = chosen.getParameterTypes();
        if (parameters.length > 1 || (parameters.length == 1 && parameters[0] != FixtureServer.class)) {
            throw new ExtensionConfigurationException("@LlmRouter method " + name + " takes " + Arrays.toString(parameters)
                    + "; it may take nothing or one FixtureServer");
        }
        return chosen;
    }

    private static <T> T invoke(Method method, FixtureServer server, Class<T> type) {
        Object[] arguments = method.getParameterCount() == 0 ? new Object[0] : new Object[] {server};
        Object built = ReflectionSupport.invokeMethod(method, null, arguments);
        if (built == null) {
            throw new ExtensionConfigurationException("@LlmRouter method " + method.getDeclaringClass().getSimpleName() + "."
                    + method.getName() + " returned null; return the " + type.getSimpleName() + " the tests should use");
        }
        return type.cast(built);
    }
}
