package dev.llmunit.core.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import dev.llmunit.core.ensemble.AnswerKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@link AnswerKey#semantic(EmbeddingModel, double)}: leader clustering over embeddings in member
 * order. Embeddings of recent texts are cached, since an ensemble with {@code earlyStop()} keys the
 * answers so far again each time one arrives.
 */
public final class SemanticAnswerKey implements AnswerKey {

    private static final int CACHE_SIZE = 256;

    private final EmbeddingModel model;
    private final double threshold;
    private final Map<String, Embedding> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * @param model the embedding model
     * @param threshold the least cosine similarity within a cluster, 0 to 1
     */
    public SemanticAnswerKey(EmbeddingModel model, double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("semantic answer key threshold must be between 0 and 1, but was " + threshold);
        }
        this.model = model;
        this.threshold = threshold;
    }

    /**
     * {@link AnswerKey#semantic(double)}.
     *
     * @param threshold the least cosine similarity, 0 to 1
     * @return the key over the in-process all-MiniLM-L6-v2 model
     */
    public static SemanticAnswerKey inProcess(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("semantic answer key threshold must be between 0 and 1, but was " + threshold);
        }
        EmbeddingModel miniLm = InProcessEmbeddings.miniLm().orElseThrow(() -> new IllegalStateException(
                "AnswerKey.semantic(threshold) uses the in-process all-MiniLM-L6-v2 model, which is not on the class path; "
                        + InProcessEmbeddings.HOW_TO_ADD + " or pass an EmbeddingModel: AnswerKey.semantic(model, threshold)"));
        return new SemanticAnswerKey(miniLm, threshold);
    }

    @Override
    public List<Key> keys(List<String> answers) {
        List<Key> keys = new ArrayList<>(answers.size());
        List<String> leaders = new ArrayList<>();
        List<Embedding> leaderEmbeddings = new ArrayList<>();
        for (String answer : answers) {
            String normalized = AnswerText.normalize(answer);
            if (normalized.isEmpty()) {
                keys.add(Key.none("empty answer"));
                continue;
            }
            Embedding embedding = embed(normalized);
            String joined = null;
            for (int i = 0; i < leaders.size(); i++) {
                if (leaders.get(i).equals(normalized) || CosineSimilarity.between(leaderEmbeddings.get(i), embedding) >= threshold) {
                    joined = leaders.get(i);
                    break;
                }
            }
            if (joined == null) {
                leaders.add(normalized);
                leaderEmbeddings.add(embedding);
                joined = normalized;
            }
            keys.add(Key.of(joined));
        }
        return keys;
    }

    private Embedding embed(String text) {
        synchronized (cache) {
            Embedding cached = cache.get(text);
            if (cached != null) {
                return cached;
            }
        }
        Embedding embedding = model.embed(TextSegment.from(text)).content();
        synchronized (cache) {
            cache.put(text, embedding);
        }
        return embedding;
    }

    @Override
    public String name() {
        String modelName = model.modelName();
        return String.format(Locale.ROOT, "semantic (%s, cosine >= %.2f)",
                modelName == null || modelName.isBlank() || modelName.equals("unknown") ? model.getClass().getSimpleName() : modelName,
                threshold);
    }

    @Override
    public String toString() {
        return "AnswerKey(" + name() + ")";
    }
}
