package dev.llmunit.assertj;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Cosine similarity of embeddings; see {@link TextSimilarity#embeddings(EmbeddingModel)}. */
final class EmbeddingSimilarity implements TextSimilarity {

    private final Supplier<EmbeddingModel> model;
    private final @Nullable String name;

    /**
     * @param name the name to show, or null to derive it from the model on first use
     */
    EmbeddingSimilarity(EmbeddingModel model, @Nullable String name) {
        this(() -> model, name);
    }

    /** For a model that is expensive to create: the supplier is asked on each use and must cache. */
    EmbeddingSimilarity(Supplier<EmbeddingModel> model, @Nullable String name) {
        this.model = model;
        this.name = name;
    }

    @Override
    public double similarity(String first, String second) {
        if (first.equals(second)) {
            return 1.0;
        }
        EmbeddingModel embeddings = model.get();
        Embedding a = embeddings.embed(first).content();
        Embedding b = embeddings.embed(second).content();
        return Math.max(0.0, Math.min(1.0, CosineSimilarity.between(a, b)));
    }

    @Override
    public String name() {
        if (name != null) {
            return name;
        }
        String modelName = model.get().modelName();
        return (modelName == null || modelName.isBlank() || modelName.equals("unknown")
                ? model.get().getClass().getSimpleName() : modelName) + " embeddings";
    }

    @Override
    public String toString() {
        return name();
    }
}
