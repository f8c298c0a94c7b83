package dev.llmunit.engine;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The method of an {@link LlmCases} class that answers each case. Its parameters are filled from
 * the case: a {@link Var @Var("name")} parameter gets the variable converted to the parameter's
 * type (text, numbers, booleans, lists, maps, records); a {@code Map<String, Object>} or
 * {@code JsonNode} parameter gets all variables; {@code Router} and {@code ChatModel} get the case's
 * router (its calls land in the case's ledger), {@code LlmCalls} the ledger, {@code FixtureServer}
 * the server. It returns the answer: a {@code String}, a LangChain4j {@code ChatResponse} or
 * llmunit {@code RoutedResponse} (their text), or any other object, which is written as JSON.
 * It may be static; otherwise one instance of the class (made with its no-argument constructor)
 * answers all cases.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LlmTarget {}
