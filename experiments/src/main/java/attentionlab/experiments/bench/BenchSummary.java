package attentionlab.experiments.bench;

import java.util.List;
import java.util.Locale;

/** Markdown tables of benchmark results for summary.md. */
final class BenchSummary {

    private BenchSummary() {}

    static String attentionScaling(AttentionScaling.Result r) {
        AttentionTiming.Plan plan = r.options().timing();
        StringBuilder s = new StringBuilder("## attention-scaling\n\nCommand: `./lab bench attention-scaling`; " + r.load().describe()
                + (r.load().busy() ? " (" + r.load().busyReason() + ")" : "") + ". Rounds of every point: " + plan.rounds()
                + ", each a JMH fork; time exponents in N fitted over every round at N >= " + plan.fitFromN()
                + " (the complexity claim's range).\n\n"
                + "| sweep | kernel | mode | N | D=M | median ms | spread | rounds | peak MiB | GFLOP/s | skipped |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (AttentionScaling.Row row : r.rows()) {
            RepeatStats t = row.seconds();
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %s | %s | %s | %s | %s | %s |\n", row.sweep(), row.kernel(),
                    row.mode(), row.n(), row.d(), t == null ? "" : fmt(t.median() * 1e3),
                    t == null ? "" : String.format(Locale.ROOT, "%.0f%%", t.relativeSpread() * 100), t == null ? "" : t.count(),
                    row.peakBytes() == null ? "" : fmt(row.peakBytes() / 1048576.0),
                    row.gflops() == null ? "" : fmt(row.gflops()), row.skipped() == null ? "" : row.skipped()));
        }
        s.append("\n| fitted exponent | kernel | mode | measured (95% interval) | homework | prediction |\n|---|---|---|---|---|---|\n");
        for (AttentionScaling.Fit f : r.fits()) {
            s.append(String.format(Locale.ROOT, "| %s in %s | %s | %s | %s | %.0f | %s |\n", f.quantity(), f.sweep(), f.kernel(),
                    f.mode(), f.fit().describe(), f.predicted(), f.prediction()));
        }
        s.append("\nCrossover N (quadratic-linear faster above it): FLOP model ")
                .append(String.format(Locale.ROOT, "%.0f", r.flopModelCrossoverN())).append("; measured ");
        for (AttentionScaling.Crossover c : r.crossovers()) {
            s.append(c.mode()).append(": ").append(c.measuredN() == null ? "-" : String.format(Locale.ROOT, "%.0f", c.measuredN()))
                    .append(" (").append(c.note()).append("); ");
        }
        s.append("\n\n");
        if (r.roofline() != null) {
            s.append(roofline(r.roofline()));
        }
        return s.toString();
    }

    private static String roofline(Roofline.Result r) {
        Roofline.Peak p = r.peak();
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "Machine: matMul %.1f GFLOP/s, bandwidth %.1f GB/s in place, %.1f GB/s into fresh memory.%n%n",
                p.matmulGflops(), p.bandwidthGbs(), p.freshCopyGbs()));
        s.append("| kernel | N | executed GFLOP | MB moved | FLOP/byte | achieved GFLOP/s | bound GFLOP/s | bound by | fraction |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        for (Roofline.KernelFraction k : r.kernels()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2f | %.2f | %.2f | %s | %.2f |\n", k.kernel(), k.n(),
                    fmt(k.flops() / 1e9), fmt(k.bytes() / 1e6), k.arithmeticIntensity(), k.achievedGflops(), k.boundGflops(),
                    k.boundBy(), k.fraction()));
        }
        s.append("\nWhere a forward call's time goes (profiler, one call after two untimed ones, in a fresh JVM):\n\n"
                + "| kernel | op | calls | ms | GFLOP | MB moved | GB/s |\n|---|---|---|---|---|---|---|\n");
        for (Roofline.OpTime op : r.ops()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %.1f |\n", op.kernel(), op.op(), op.calls(),
                    fmt(op.seconds() * 1e3), fmt(op.flops() / 1e9), fmt(op.bytes() / 1e6), op.gbs()));
        }
        return s.append('\n').toString();
    }

    static String decode(DecodeBenchmark.Result r) {
        StringBuilder s = new StringBuilder("## decode\n\nCommand: `./lab bench decode`. B = " + r.options().batch() + ", d = "
                + r.options().modelDim() + ", h = " + r.options().heads() + "; " + r.load().describe() + ".\n\n"
                + "| variant | g | n | median ms/token | spread | rounds | state MiB |\n|---|---|---|---|---|---|---|\n");
        for (DecodeBenchmark.Row row : r.rows()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f%% | %d | %s |\n", row.variant(), row.kvHeads(), row.n(),
                    fmt(row.seconds().median() * 1e3), row.seconds().relativeSpread() * 100, row.seconds().count(),
                    fmt(row.stateBytes() / 1048576.0)));
        }
        if (r.mhaOverMqa() != null) {
            s.append(String.format(Locale.ROOT, "%nMHA / MQA step time at n = %d: paired median %.2f (min %.2f, max %.2f over %d rounds).",
                    r.pairedN(), r.mhaOverMqa().median(), r.mhaOverMqa().min(), r.mhaOverMqa().max(), r.mhaOverMqa().count()));
        }
        s.append("\nRecurrent faster than MQA from n = ").append(r.crossoverN() == null ? "never (in the measured range)" : r.crossoverN())
                .append(".\n");
        DecodeBenchmark.Chunked c = r.chunked();
        s.append(String.format(Locale.ROOT, "%nChunked causal linear attention (forward + backward, N = %d, D = M = %d): prefix sums %s ms,"
                        + " chunked %s ms (paired ratio %.2f); peak memory %s / %s MiB; executed %s; roofline fraction %.2f"
                        + " (matMul %.1f GFLOP/s, bandwidth %.1f GB/s).%n%n", c.n(), c.d(), fmt(c.prefixSeconds().median() * 1e3),
                fmt(c.chunkedSeconds().median() * 1e3), c.timeRatio(),
                c.prefixPeak() == null ? "n/a" : fmt(c.prefixPeak() / 1048576.0), c.chunkedPeak() == null ? "n/a" : fmt(c.chunkedPeak() / 1048576.0),
                c.profile().describe(), c.rooflineFraction(), c.peak().matmulGflops(), c.peak().bandwidthGbs()));
        return s.toString();
    }

    static String train(TrainBenchmark.Result r) {
        StringBuilder s = new StringBuilder("## train\n\nCommand: `./lab bench train`; " + r.load().describe() + ".\n\n| model | attention | parameters | steps/s | ms/step | spread | peak MiB |\n|---|---|---|---|---|---|---|\n");
        for (TrainBenchmark.Row row : r.rows()) {
            s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f | %.2f | %.0f%% | %s |\n", row.model(), row.attention(),
                    row.parameterCount(), row.stepsPerSecond(), row.secondsPerStep().median() * 1e3,
                    row.secondsPerStep().relativeSpread() * 100, row.peakBytes() == null ? "" : fmt(row.peakBytes() / 1048576.0)));
        }
        s.append(String.format(Locale.ROOT, "\nours / djl time per step: paired median %.3f (min %.3f, max %.3f over %d rounds); ratio of medians %.3f\n",
                r.oursOverDjlPaired().median(), r.oursOverDjlPaired().min(), r.oursOverDjlPaired().max(), r.oursOverDjlPaired().count(),
                r.oursOverDjlTime()));
        return s.append('\n').toString();
    }

    static String targets(List<Target> targets) {
        StringBuilder s = new StringBuilder("| target | measured | 95% interval | goal | |\n|---|---|---|---|---|\n");
        for (Target t : targets) {
            s.append(String.format(Locale.ROOT, "| %s | %.3f | %s | %s | %s |\n", t.name(), t.measured(),
                    t.interval() == null ? "" : t.interval(), t.goal(), t.status()));
        }
        return s.append('\n').toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 10 ? "%.1f" : "%.3f", v);
    }
}
