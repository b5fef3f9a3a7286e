package attentionlab.experiments.tasks;

import java.util.Arrays;
import java.util.Random;

/**
 * Associative recall: P pairs (k_i, v_i) with distinct keys from {0..V-1} and values from {0..V-1},
 * then a query key kq = k_j; the answer is v_j (loss and accuracy on the last position only).
 * Solving it needs content-based lookup (q.k), so it separates softmax from argmax attention.
 * Chance accuracy 1/V.
 *
 * <p>Token ids: key k -> k, value v -> V + v, the query marker -> 2V.
 * <ul>
 *   <li>{@code fused}: N = P + 1, C = 2. Position i < P carries (k_i, V + v_i), the last position
 *       (kq, 2V); embeddings of a position's ids are summed. One attention layer solves it: the last
 *       position attends to the position whose key matches. Example (P=3, V=4): keys 2 0 3, values
 *       1 1 3, query 0 -> tokens (2,5) (0,5) (3,7) (0,8), answer 1, target key position 1.</li>
 *   <li>{@code interleaved}: N = 2P + 2, C = 1: k1 v1 k2 v2 ... kP vP ? kq. Needs a two-layer
 *       (induction-like) circuit and learns much more slowly. Same example -> 2 5 0 5 3 7 8 0,
 *       answer 1, target key position 2.</li>
 * </ul>
 */
public final class AssociativeRecallTask extends GeneratedTask {

    private final boolean fused;
    private final int pairs;
    private final int vocab;

    public AssociativeRecallTask(AssociativeRecallConfig c) {
        super(c.name(), c.trainExamples(), c.valExamples());
        if (!AssociativeRecallConfig.ENCODINGS.contains(c.encoding())) {
            throw new IllegalArgumentException("unknown encoding " + c.encoding());
        }
        if (c.pairs() < 1 || c.vocab() < c.pairs()) {
            throw new IllegalArgumentException("need 1 <= pairs <= vocab, got pairs=" + c.pairs() + ", vocab=" + c.vocab());
        }
        this.fused = c.encoding().equals(AssociativeRecallConfig.ENCODINGS.get(0));
        this.pairs = c.pairs();
        this.vocab = c.vocab();
    }

    @Override
    public int inputVocab() {
        return 2 * vocab + 1;
    }

    @Override
    public int outputVocab() {
        return vocab;
    }

    @Override
    public int length() {
        return fused ? pairs + 1 : 2 * pairs + 2;
    }

    @Override
    public int channels() {
        return fused ? 2 : 1;
    }

    /** k&lt;key&gt;, v&lt;value&gt; or ? (the query marker): a fused position reads "k2 v1", the query "k0 ?". */
    @Override
    public String tokenName(int id) {
        return id < vocab ? "k" + id : id < 2 * vocab ? "v" + (id - vocab) : "?";
    }

    @Override
    public TaskSize size() {
        return size(2L * vocab + 1, vocab, fused ? pairs + 1L : 2L * pairs + 2, channels(), "task.vocab " + vocab,
                "task.pairs " + pairs);
    }

    @Override
    public boolean hasTargetKey() {
        return true;
    }

    @Override
    public Examples generate(Random random, int count) {
        int n = length();
        int c = channels();
        int[] tokens = new int[count * n * c];
        int[] labels = new int[count * n];
        int[] target = new int[count];
        Arrays.fill(labels, -1);
        int[] keyPool = new int[vocab];
        for (int e = 0; e < count; e++) {
            for (int i = 0; i < vocab; i++) {
                keyPool[i] = i;
            }
            for (int i = 0; i < pairs; i++) { // partial Fisher-Yates: the first P entries are distinct keys
                int j = i + random.nextInt(vocab - i);
                int t = keyPool[i];
                keyPool[i] = keyPool[j];
                keyPool[j] = t;
            }
            int[] values = new int[pairs];
            for (int i = 0; i < pairs; i++) {
                values[i] = random.nextInt(vocab);
            }
            int query = random.nextInt(pairs);
            int base = e * n * c;
            if (fused) {
                for (int i = 0; i < pairs; i++) {
                    tokens[base + 2 * i] = keyPool[i];
                    tokens[base + 2 * i + 1] = vocab + values[i];
                }
                tokens[base + 2 * pairs] = keyPool[query];
                tokens[base + 2 * pairs + 1] = 2 * vocab;
                target[e] = query;
            } else {
                for (int i = 0; i < pairs; i++) {
                    tokens[base + 2 * i] = keyPool[i];
                    tokens[base + 2 * i + 1] = vocab + values[i];
                }
                tokens[base + 2 * pairs] = 2 * vocab;
                tokens[base + 2 * pairs + 1] = keyPool[query];
                target[e] = 2 * query;
            }
            labels[e * n + n - 1] = values[query];
        }
        return new Examples(count, n, c, tokens, labels, target);
    }
}
