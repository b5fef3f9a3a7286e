package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.MetricColumns;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows progress: on a terminal a one-line bar (step, loss, val accuracy, ETA) redrawn in place; otherwise
 * plain lines at every validation and about every 10% of the run. log.txt gets the plain lines either way.
 */
public final class ProgressListener implements StepListener {

    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private double lastLoss = Double.NaN;
    private double lastValAccuracy = Double.NaN;
    private long lastDraw;

    /**
     * @param out where progress goes (null: log.txt only)
     * @param terminal whether {@code out} is a terminal (draw a bar)
     * @param label run name shown in front
     */
    public ProgressListener(PrintStream out, boolean terminal, String label) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
    }

    @Override
    public void onStart(TrainingSession session) {
        String line = label + ": training " + (session.config().train().steps() - session.stepsCompleted())
                + " steps from step " + session.stepsCompleted() + " (" + session.parameterCount() + " parameters, task "
                + session.task().name() + ", chance accuracy " + fmt(session.task().chanceAccuracy()) + ")";
        session.dir().log(line);
        print(line);
    }

    @Override
    public void afterStep(StepContext step) {
        if (!step.isInitial()) {
            lastLoss = step.loss();
        }
        Double val = step.row().get(MetricColumns.VAL_ACCURACY);
        if (val != null) {
            lastValAccuracy = val;
        }
        int total = step.session().config().train().steps();
        int tenth = Math.max(1, total / 10);
        String line = label + ": " + status(step, total);
        if (step.isEvalStep() || step.step() % tenth == 0) {
            step.session().dir().log(line);
            if (!terminal) {
                print(line);
            }
        }
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw > 100_000_000L || step.isLast()) {
                lastDraw = now;
                int filled = (int) ((long) BAR_WIDTH * step.step() / total);
                out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + status(step, total)
                        + (step.isLast() ? "\n" : ""));
                out.flush();
            }
        }
    }

    @Override
    public void onEnd(TrainingSession session, RunStatus status) {
        String line = label + ": " + status + " after " + session.stepsCompleted() + " steps ("
                + fmt(session.stepsPerSecond()) + " steps/s)";
        session.dir().log(line);
        if (terminal && out != null) {
            out.println();
        }
        print(line);
    }

    private String status(StepContext step, int total) {
        double rate = step.session().stepsPerSecond();
        long eta = rate > 0 ? Math.round((total - step.step()) / rate) : -1;
        return String.format(Locale.ROOT, "step %d/%d loss %s val_acc %s eta %s", step.step(), total, fmt(lastLoss),
                fmt(lastValAccuracy), eta < 0 ? "?" : eta / 60 + "m" + String.format(Locale.ROOT, "%02d", eta % 60) + "s");
    }

    private void print(String line) {
        if (out != null) {
            out.println(line);
            out.flush();
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
