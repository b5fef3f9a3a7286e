package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of one decoding step ({@link DecodeWorkload}) with n tokens attended. Run by
 * {@link Sweep} in single-shot batches of {@link Sweep.Settings#batch} steps: the state is reset to
 * n - 1 tokens before every iteration, so every timed step attends over n .. n + batch - 1 tokens.
 */
@State(Scope.Benchmark)
public class DecodeBench {

    /** Steps a state may take between resets: the largest batch {@link Sweep} uses for decoding. */
    public static final int MAX_BATCH = 16;

    @Param("softmax")
    public String kernel;
    @Param("512")
    public int modelDim;
    @Param("8")
    public int heads;
    @Param("8")
    public int kvHeads;
    @Param("8")
    public int batch;
    @Param("1024")
    public int n;

    private NDManager manager;
    private DecodeWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(0);
        manager = NDManager.newBaseManager();
        workload = new DecodeWorkload(manager, kernel, modelDim, heads, kvHeads, batch, n, MAX_BATCH);
    }

    @Setup(Level.Iteration)
    public void reset() {
        workload.reset();
    }

    @Benchmark
    public void step() {
        workload.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
        manager.close();
    }
}
