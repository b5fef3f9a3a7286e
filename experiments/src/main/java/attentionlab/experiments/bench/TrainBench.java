package attentionlab.experiments.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of one training step (forward, backward, Adam) of one of {@link TrainBenchmark#MODELS}
 * on one fixed random batch. Run through {@link Sweep}, one fork per model and round.
 */
@State(Scope.Benchmark)
public class TrainBench {

    @Param("ours")
    public String model;
    @Param("64")
    public int modelDim;
    @Param("4")
    public int heads;
    @Param("2")
    public int layers;
    @Param("128")
    public int ffnHidden;
    @Param("24")
    public int vocab;
    @Param("64")
    public int batch;
    @Param("13")
    public int length;

    private TrainBenchmark.Session session;

    @Setup(Level.Trial)
    public void setUp() {
        session = new TrainBenchmark.Session(model, new TrainBenchmark.Sizes(modelDim, heads, layers, ffnHidden, vocab, batch, length));
    }

    @Benchmark
    public void step() {
        session.steps(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        session.close();
    }
}
