package attentionlab.experiments.train;

import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.bench.Machine;
import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.MemoryEstimate;
import attentionlab.experiments.tasks.Tasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by MemoryEstimateTest: trains each config given (a few steps) and prints, per
 * config, the estimate and the growth of the process's peak resident memory over its resident memory
 * before the run (the peak is reset between runs through /proc/self/clear_refs).
 * Usage: {@code MemoryProbe OUT_DIR CONFIG...}; prints {@code probe <config> estimate=<bytes> growth=<bytes>}.
 */
public final class MemoryProbe {

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Path warmUp = TinyRuns.config(Files.createDirectories(out), TinyRuns.RECALL.replace("steps: 12", "steps: 2"));
        train(warmUp, out);
        for (int i = 1; i < args.length; i++) {
            Path config = Path.of(args[i]);
            ConfigLoader.RunSpec spec = ConfigLoader.plan(config, List.of(), null).runs().get(0);
            MemoryEstimate estimate = MemoryEstimate.of(spec.config().model(), spec.config().train(),
                    Tasks.create(spec.config().task()).size());
            System.gc();
            long before = Machine.rssBytes();
            if (!Machine.resetPeakRss()) {
                throw new IllegalStateException("cannot reset the peak RSS");
            }
            ExperimentResult result = train(config, out);
            long growth = Machine.peakRssBytes() - before;
            System.out.println("probe " + config.getFileName() + " status=" + result.runs().get(0).status()
                    + " estimate=" + (long) estimate.nativeBytes() + " growth=" + growth + " parameters="
                    + (long) estimate.parameterBytes() + " activations=" + (long) estimate.activationBytes());
        }
    }

    private static ExperimentResult train(Path config, Path out) {
        return ExperimentRunner.run(new RunRequest(config, List.of(), null, out, null, null));
    }
}
