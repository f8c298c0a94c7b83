package dev.llmunit.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.llmunit.core.route.RoutedResponse;
import dev.llmunit.core.route.Router;
import dev.llmunit.engine.LlmCases;
import dev.llmunit.engine.LlmTarget;
import dev.llmunit.engine.Var;
import dev.llmunit.junit.LlmCalls;
import dev.llmunit.junit.internal.ClassScope;
import dev.llmunit.junit.internal.TestScope;
import dev.llmunit.wiremock.FixtureServer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.jspecify.annotations.Nullable;

/**
 * What answers an {@link LlmCases} class's cases: its {@link LlmTarget} method, or the class's
 * prompt template sent through the case's router. Checked when the class is discovered, so a
 * wrong parameter or a variable a case lacks is a discovery issue, not a failure at run time.
 */
abstract sealed class Target {

    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).findAndRegisterModules();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    /**
     * The target of a class.
     *
     * @param testClass the class
     * @param cases its annotation
     * @param problems collects what is wrong with the class
     * @return the target, or {@code null} when the class names none that works
     */
    static @Nullable Target of(Class<?> testClass, LlmCases cases, List<String> problems) {
        List<Method> methods = AnnotationSupport.findAnnotatedMethods(testClass, LlmTarget.class, HierarchyTraversalMode.BOTTOM_UP);
        if (methods.size() > 1) {
            problems.add(testClass.getName() + " has " + methods.size() + " @LlmTarget methods (" + names(methods)
                    + "); a class has one target, so split the cases over several classes");
            return null;
        }
        if (methods.size() == 1) {
            if (!cases.prompt().isBlank()) {
                problems.add(testClass.getName() + " has both @LlmCases(prompt) and the @LlmTarget method " + methods.get(0).getName()
                        + "; keep one target");
                return null;
            }
            return MethodTarget.of(testClass, methods.get(0), problems);
        }
        if (cases.prompt().isBlank()) {
            problems.add(testClass.getName() + " names no target for its cases: add a method annotated @LlmTarget that takes the"
                    + " case's variables (@Var(\"name\")) and returns the answer, or @LlmCases(prompt = \"… {{name}} …\")");
            return null;
        }
        return new PromptTarget(cases.prompt(), cases.system());
    }

    /**
     * The variables a case must have for this target.
     *
     * @return names
     */
    abstract Set<String> requiredVariables();

    /** The target method, whose budget annotations apply, or {@code null} for a prompt. */
    abstract @Nullable Method method();

    /**
     * Answers one case.
     *
     * @param evalCase the case
     * @param owner the class's scope
     * @param test the case's scope (its router records into its ledger)
     * @param instance the class's instance, or {@code null} for a static method or a prompt
     * @return the answer as text
     * @throws Throwable what the target threw
     */
    abstract String answer(EvalCase evalCase, ClassScope owner, TestScope test, @Nullable Object instance) throws Throwable;

    /** Whether answering needs an instance of the class. */
    abstract boolean needsInstance();

    static String text(@Nullable Object answer) throws Exception {
        if (answer == null) {
            return "";
        }
        if (answer instanceof CharSequence text) {
            return text.toString();
        }
        if (answer instanceof RoutedResponse routed) {
            return routed.chatResponse().aiMessage().text() == null ? "" : routed.chatResponse().aiMessage().text();
        }
        if (answer instanceof ChatResponse response) {
            return response.aiMessage().text() == null ? "" : response.aiMessage().text();
        }
        return JSON.writeValueAsString(answer);
    }

    private static String names(List<Method> methods) {
        return String.join(", ", methods.stream().map(Method::getName).toList());
    }

    /** A method taking the case's variables. */
    static final class MethodTarget extends Target {

        private final Method method;
        private final List<Binding> bindings;

        private MethodTarget(Method method, List<Binding> bindings) {
            this.method = method;
            this.bindings = bindings;
        }

        static @Nullable MethodTarget of(Class<?> testClass, Method method, List<String> problems) {
            String where = "@LlmTarget method " + testClass.getSimpleName() + "." + method.getName();
            List<Binding> bindings = new ArrayList<>();
            int before = problems.size();
            for (Parameter parameter : method.getParameters()) {
                Class<?> type = parameter.getType();
                Var variable = parameter.getAnnotation(Var.class);
                if (variable != null) {
                    bindings.add(new Binding(Binding.Kind.VARIABLE, variable.value(), parameter));
                } else if (type == Router.class || type == ChatModel.class) {
                    bindings.add(new Binding(Binding.Kind.ROUTER, "", parameter));
                } else if (type == LlmCalls.class) {
                    bindings.add(new Binding(Binding.Kind.CALLS, "", parameter));
                } else if (type == FixtureServer.class) {
                    bindings.add(new Binding(Binding.Kind.SERVER, "", parameter));
                } else if (type == Map.class || type == JsonNode.class || type == com.fasterxml.jackson.databind.node.ObjectNode.class) {
                    bindings.add(new Binding(Binding.Kind.ALL_VARIABLES, "", parameter));
                } else if (parameter.isNamePresent()) {
                    // Compiled with -parameters (Kotlin always keeps names): the parameter's name is the variable's.
                    bindings.add(new Binding(Binding.Kind.VARIABLE, parameter.getName(), parameter));
                } else {
                    problems.add(where + ": parameter " + parameter.getName() + " (" + type.getSimpleName() + ") is neither"
                            + " @Var(\"name\") nor a type llmunit gives (Router, ChatModel, LlmCalls, FixtureServer, Map of all"
                            + " variables); annotate it with @Var(\"<variable>\")");
                }
            }
            if (method.getReturnType() == void.class) {
                problems.add(where + " returns void; return the answer (a String, a ChatResponse, a RoutedResponse, or an object"
                        + " written as JSON)");
            }
            if (!Modifier.isStatic(method.getModifiers())) {
                try {
                    testClass.getDeclaredConstructor();
                } catch (NoSuchMethodException e) {
                    problems.add(where + " is not static and " + testClass.getSimpleName() + " has no constructor without"
                            + " parameters; add one, or make the method static");
                }
            }
            if (problems.size() > before) {
                return null;
            }
            method.setAccessible(true);
            return new MethodTarget(method, bindings);
        }

        @Override
        Set<String> requiredVariables() {
            Set<String> names = new LinkedHashSet<>();
            for (Binding binding : bindings) {
                if (binding.kind() == Binding.Kind.VARIABLE) {
                    names.add(binding.name());
                }
            }
            return names;
        }

        @Override
        Method method() {
            return method;
        }

        @Override
        boolean needsInstance() {
            return !Modifier.isStatic(method.getModifiers());
        }

        @Override
        String answer(EvalCase evalCase, ClassScope owner, TestScope test, @Nullable Object instance) throws Throwable {
            Object[] arguments = new Object[bindings.size()];
            for (int i = 0; i < arguments.length; i++) {
                Binding binding = bindings.get(i);
                arguments[i] = switch (binding.kind()) {
                    case VARIABLE -> convert(evalCase, binding);
                    case ALL_VARIABLES -> binding.parameter().getType() == Map.class
                            ? JSON.convertValue(evalCase.vars(), Map.class) : evalCase.vars().deepCopy();
                    case ROUTER -> test.router();
                    case CALLS -> test.calls();
                    case SERVER -> owner.server();
                };
            }
            try {
                return text(method.invoke(instance, arguments));
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        private static @Nullable Object convert(EvalCase evalCase, Binding binding) {
            JsonNode value = evalCase.variable(binding.name());
            Class<?> type = binding.parameter().getType();
            if (value == null || value.isNull()) {
                if (type.isPrimitive()) {
                    throw new IllegalArgumentException("case '" + evalCase.key() + "' has no variable " + binding.name()
                            + " for the " + type.getSimpleName() + " parameter " + binding.parameter().getName());
                }
                return null;
            }
            if (type == String.class) {
                return value.isValueNode() ? value.asText() : value.toString();
            }
            try {
                return JSON.convertValue(value, JSON.constructType(binding.parameter().getParameterizedType()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("case '" + evalCase.key() + "' variable " + binding.name() + " (" + value
                        + ") cannot be given to the parameter " + binding.parameter().getName() + " of type "
                        + binding.parameter().getParameterizedType().getTypeName() + ": " + e.getMessage(), e);
            }
        }

        record Binding(Kind kind, String name, Parameter parameter) {
            enum Kind { VARIABLE, ALL_VARIABLES, ROUTER, CALLS, SERVER }
        }
    }

    /** A prompt template sent through the case's router. */
    static final class PromptTarget extends Target {

        private final String prompt;
        private final String system;

        PromptTarget(String prompt, String system) {
            this.prompt = prompt;
            this.system = system;
        }

        @Override
        Set<String> requiredVariables() {
            Set<String> names = new LinkedHashSet<>();
            for (String template : List.of(system, prompt)) {
                Matcher matcher = PLACEHOLDER.matcher(template);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
            }
            return names;
        }

        @Override
        @Nullable Method method() {
            return null;
        }

        @Override
        boolean needsInstance() {
            return false;
        }

        @Override
        String answer(EvalCase evalCase, ClassScope owner, TestScope test, @Nullable Object instance) {
            List<ChatMessage> messages = new ArrayList<>();
            if (!system.isBlank()) {
                messages.add(SystemMessage.from(fill(system, evalCase)));
            }
            messages.add(UserMessage.from(fill(prompt, evalCase)));
            RoutedResponse response = test.router().route(ChatRequest.builder().messages(messages).build());
            String text = response.chatResponse().aiMessage().text();
            return text == null ? "" : text;
        }

        static String fill(String template, EvalCase evalCase) {
            Matcher matcher = PLACEHOLDER.matcher(template);
            StringBuilder filled = new StringBuilder();
            while (matcher.find()) {
                JsonNode value = evalCase.variable(matcher.group(1));
                String text = value == null ? "" : value.isValueNode() ? value.asText() : value.toString();
                matcher.appendReplacement(filled, Matcher.quoteReplacement(text));
            }
            matcher.appendTail(filled);
            return filled.toString();
        }
    }
}
