package dev.llmunit.engine.internal;

import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** One eval case: a test whose source is its file and line, so an IDE opens the case. */
final class CaseDescriptor extends AbstractTestDescriptor {

    static final String SEGMENT = "case";

    private final EvalCase evalCase;
    private final String reportId;

    CaseDescriptor(UniqueId uniqueId, EvalCase evalCase, Class<?> testClass) {
        super(uniqueId, evalCase.displayName(), EvalFiles.source(evalCase.file(), evalCase.line()));
        this.evalCase = evalCase;
        this.reportId = reportId(testClass, evalCase);
    }

    /**
     * The case's id in the report and the baseline: {@code <class>#<file inside llmunit/evals>[<key>]}.
     *
     * @param testClass the class running it
     * @param evalCase the case
     * @return such as {@code dev.acme.TriageEvalTest#triage/tickets.yaml[double-charge]}
     */
    static String reportId(Class<?> testClass, EvalCase evalCase) {
        String prefix = EvalFiles.ROOT + "/" + EvalFiles.EVALS + "/";
        String file = evalCase.file().startsWith(prefix) ? evalCase.file().substring(prefix.length())
                : evalCase.file().substring(EvalFiles.ROOT.length() + 1);
        return testClass.getName() + "#" + file + "[" + evalCase.key() + "]";
    }

    /** The segment value of a case's unique id: its file and key. */
    static String segment(EvalCase evalCase) {
        return evalCase.file() + "#" + evalCase.key();
    }

    EvalCase evalCase() {
        return evalCase;
    }

    String reportId() {
        return reportId;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }

    @Override
    public String getLegacyReportingName() {
        return "[" + evalCase.key() + "] " + evalCase.displayName();
    }
}
