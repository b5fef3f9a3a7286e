package attentionlab.experiments.cli;

import attentionlab.experiments.bench.BenchSuite;
import attentionlab.experiments.bench.Sweep;
import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab bench [NAME] [--quick] [--out DIR]}: a thin shell over {@link BenchSuite#run}. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmarks, JSON + PNG/SVG plots in runs/bench/<timestamp>/ (never overwritten).",
            "  attention-scaling  softmax vs quadratic-linear attention: time and peak",
            "                     memory vs N and D, exponents, crossover, roofline",
            "  decode             decode step time and KV-cache bytes: MHA, GQA, MQA",
            "  train              training steps/s: our MultiHeadAttention vs DJL's",
            "                     ScaledDotProductAttentionBlock",
            "  soak               20,000 training steps and a 30-run sweep in one JVM: RSS",
            "                     growth after warm-up, steps/s at the end vs the start",
            "  jobs               wall time of lab run configs/argmax-stall.yaml with --jobs 1",
            "                     and --jobs 2 (worker JVMs), paired; speed-up",
            "Targets are figures (met / MISSED); exit 0 when every benchmark ran."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "attention-scaling, decode, train, soak or jobs (default: all)")
    String name;

    @Option(names = "--quick", description = "small sizes, one round: a smoke run, its exponents not judged")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "parent of the timestamped directory (default: runs/bench)")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = {"engine threads of every timed call (default 1: on a shared",
        "machine a parallel op waits for its slowest, descheduled thread;", "peak rates are measured with the same count)"})
    Integer threads;

    @Override
    public Integer call() {
        if (name != null && !BenchSuite.NAMES.contains(name)) {
            throw new UserError("unknown benchmark '" + name + "'; valid: " + String.join(", ", BenchSuite.NAMES));
        }
        String property = "ai.djl.pytorch.num_threads";
        int n = threads != null ? threads : Integer.getInteger(property, 1);
        if (n < 1 || n > 1024) {
            throw new UserError("--threads " + n + " is out of range; give a number of threads from 1 to 1024");
        }
        System.setProperty(property, Integer.toString(n)); // this JVM's and its children's engine threads (not started yet)
        List<String> names = name == null ? BenchSuite.NAMES : List.of(name);
        Path root = out != null ? out : Lab.defaultRunsDir().resolve("bench");
        BenchSuite.Outcome outcome = BenchSuite.run(names, quick, Sweep.engine(n), root, System.out::println);
        System.out.println(outcome.directory());
        return ExitCode.OK.code();
    }
}
