package attentionlab.experiments.train.listeners;

import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.StepContext;
import attentionlab.experiments.train.StepListener;
import attentionlab.experiments.train.TrainingSession;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a run's progress through a {@link ProgressStream}: on a terminal the experiment's progress bar
 * (this run's loss and validation accuracy after "run k/n"); otherwise one line per evaluation, at most
 * about 20 per run. Prints the run's start, its end and its results row; log.txt gets every evaluation
 * line either way.
 */
public final class ProgressListener implements StepListener {

    private final PrintStream out;
    private final String label;
    private ProgressStream stream;
    private boolean ownStream;
    private final double[] last = new double[ResultsTable.ORDER.size()];
    private int lastPrinted = -1;

    /**
     * @param out where progress goes: the experiment's {@link ProgressStream}, or another stream for a
     *     run on its own (then this listener makes its own bar when it is a terminal); null: log.txt only
     * @param label run name shown in front
     */
    public ProgressListener(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        java.util.Arrays.fill(last, Double.NaN);
    }

    @Override
    public void onStart(TrainingSession session) {
        int steps = session.config().train().steps();
        if (out instanceof ProgressStream experiment) {
            stream = experiment;
        } else {
            stream = ProgressStream.resuming(out, label, 1, steps, session.stepsCompleted());
            ownStream = true;
        }
        stream.runStarted();
        String line = label + ": steps " + session.stepsCompleted() + "-" + steps + ", " + session.parameterCount()
                + " parameters, " + session.task().name() + " (chance " + fmt(session.task().chanceAccuracy()) + ")";
        session.dir().log(line);
        stream.println(line);
    }

    @Override
    public void afterStep(StepContext step) {
        for (int i = 0; i < last.length; i++) {
            Double v = step.row().get(ResultsTable.ORDER.get(i));
            if (v != null && Double.isFinite(v)) {
                last[i] = v;
            }
        }
        int total = step.session().config().train().steps();
        String line = label + ": " + status(step, total);
        if (step.isEvalStep()) {
            step.session().dir().log(line);
            boolean spaced = lastPrinted < 0 || step.step() - lastPrinted >= Math.max(1, total / 20);
            if (!stream.terminal() && (spaced || step.isLast())) {
                stream.println(line);
                lastPrinted = step.step();
            }
        }
        if (!step.isInitial()) {
            stream.stepped(label, String.format(Locale.ROOT, "loss %s val_acc %s", fmt(last[0]), fmt(last[2])));
        }
    }

    @Override
    public void onEnd(TrainingSession session, RunStatus status) {
        String line = label + ": " + status + " at step " + session.stepsCompleted() + " (" + fmt(session.stepsPerSecond())
                + " steps/s): loss " + fmt(last[0]) + ", val_loss " + fmt(last[1]) + ", val_acc " + fmt(last[2]);
        session.dir().log(line);
        stream.println(line);
        stream.runEnded(new ResultsTable.Row(session.config().variant(), session.config().train().seeds().get(0), status,
                session.stepsCompleted(), last.clone()), session.config().train().steps() - session.stepsCompleted());
        if (ownStream) {
            stream.close();
        }
    }

    private String status(StepContext step, int total) {
        return String.format(Locale.ROOT, "step %d/%d loss %s val_loss %s val_acc %s", step.step(), total, fmt(last[0]),
                fmt(last[1]), fmt(last[2]));
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
