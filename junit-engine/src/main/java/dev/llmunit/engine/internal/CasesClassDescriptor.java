package dev.llmunit.engine.internal;

import dev.llmunit.engine.LlmCases;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;

/**
 * An {@link LlmCases} class: a container with a class source, so Maven Surefire and Gradle count
 * its cases as the class's tests.
 */
final class CasesClassDescriptor extends AbstractTestDescriptor {

    static final String SEGMENT = "class";

    private final Class<?> testClass;
    private final LlmCases cases;
    private final Target target;

    CasesClassDescriptor(UniqueId uniqueId, Class<?> testClass, LlmCases cases, Target target) {
        super(uniqueId, testClass.getSimpleName(), ClassSource.from(testClass));
        this.testClass = testClass;
        this.cases = cases;
        this.target = target;
    }

    Class<?> testClass() {
        return testClass;
    }

    LlmCases cases() {
        return cases;
    }

    Target target() {
        return target;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public String getLegacyReportingName() {
        return testClass.getName();
    }
}
