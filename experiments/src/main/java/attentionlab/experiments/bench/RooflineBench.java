package attentionlab.experiments.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH benchmark of the machine's limits through the engine ({@link Roofline}): {@code matmul} is an
 * S x S float32 product (2 S^3 FLOPs, S = {@code size}); {@code stream} scales {@code size} floats in place
 * (read + write, no allocation); {@code fresh-copy} copies them into a newly allocated array (page
 * faults included, as every op that allocates its output pays them).
 */
@State(Scope.Benchmark)
public class RooflineBench {

    @Param("matmul")
    public String op;
    @Param("2048")
    public long size;

    private NDManager manager;
    private NDArray a;
    private NDArray b;
    private NDArray factor;

    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager();
        if (op.equals("matmul")) {
            a = manager.randomUniform(-1, 1, new Shape(size, size));
            b = manager.randomUniform(-1, 1, new Shape(size, size));
        } else {
            a = manager.ones(new Shape(size));
            factor = manager.ones(new Shape());
        }
    }

    @Benchmark
    public void run() {
        switch (op) {
            case "matmul" -> {
                try (NDManager step = manager.newSubManager()) {
                    a.matMul(b).attach(step);
                }
            }
            case "stream" -> a.muli(factor);
            case "fresh-copy" -> {
                try (NDManager step = manager.newSubManager()) {
                    a.duplicate().attach(step);
                }
            }
            default -> throw new IllegalArgumentException("unknown roofline op '" + op + "'; known: matmul, stream, fresh-copy");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }
}
