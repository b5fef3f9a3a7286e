package attentionlab.experiments.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.LinearAttentionKernel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of one attention call ({@link AttentionWorkload}): a registered kernel on Q, K [1,1,N,D],
 * V [1,1,N,M], forward or forward + backward, causal or not; {@code chunk} >= 0 sets a linear kernel's
 * causal chunk size (0: prefix sums). Run through {@link Sweep}, one fork per point and round.
 */
@State(Scope.Benchmark)
public class AttentionBench {

    @Param("softmax")
    public String kernel;
    @Param("1024")
    public int n;
    @Param("16")
    public int d;
    @Param("16")
    public int m;
    @Param("false")
    public boolean backward;
    @Param("false")
    public boolean causal;
    /** A linear kernel's causal chunk size; -1: the registered kernel as it is. */
    @Param("-1")
    public int chunk;

    private NDManager manager;
    private AttentionWorkload workload;

    @Setup(Level.Trial)
    public void setUp() {
        Engine.getInstance().setRandomSeed(0);
        manager = NDManager.newBaseManager();
        workload = new AttentionWorkload(manager, kernel(kernel, chunk), n, d, m, backward, causal);
    }

    /** The registered kernel, with another causal chunk size when {@code chunk} >= 0. */
    static AttentionKernel kernel(String name, int chunk) {
        AttentionKernel k = AttentionKernels.create(name);
        if (chunk < 0) {
            return k;
        }
        if (!(k instanceof LinearAttentionKernel linear)) {
            throw new IllegalArgumentException("chunk size " + chunk + " given for kernel '" + name + "', which is not linear");
        }
        return linear.withChunkSize(chunk);
    }

    @Benchmark
    public void attend() {
        workload.run();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
        manager.close();
    }
}
