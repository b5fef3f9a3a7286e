package attentionlab.experiments.train.listeners;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * The progress line, exactly as wide as the terminal allows (so it never wraps, and padded so that a
 * shorter line leaves nothing stale behind):
 * <pre>
 *   argmax-stall run 3/12 softmax-s2 [#####.....] 23% 0:44&lt;2:31 21.4 steps/s 552/2400 loss 1.234 val_acc 0.41
 * </pre>
 * The experiment, "run k/n" and the run come first; when the terminal is narrow the step counts go
 * first, then the metrics, then the speed; the bar takes what is left (at least {@value #MIN_BAR}).
 * Elapsed time and ETA (elapsed&lt;remaining, as tqdm shows them) are for the whole experiment.
 */
final class BarRenderer implements ProgressBarRenderer {

    /** Separates "run k/n label" from the metrics in the extra message. */
    static final char METRICS = '\t';

    private static final int MIN_BAR = 10;
    private static final int MAX_BAR = 30;

    @Override
    public String render(ProgressState state, int width) {
        long done = state.getCurrent() - state.getStart();
        double seconds = state.getElapsedAfterStart().toMillis() / 1000.0;
        double speed = seconds > 0 ? done / seconds : Double.NaN;
        long left = state.getMax() - state.getCurrent();
        String eta = speed > 0 ? clock(Duration.ofSeconds(Math.round(left / speed))) : "?";
        String extra = state.getExtraMessage() == null ? "" : state.getExtraMessage();
        int tab = extra.indexOf(METRICS);
        String who = (state.getTaskName() + " " + (tab < 0 ? extra : extra.substring(0, tab))).trim();
        String metrics = tab < 0 ? "" : extra.substring(tab + 1);
        String percent = String.format(Locale.ROOT, "%3d%%", (int) (100 * state.getNormalizedProgress()));
        String time = clock(state.getTotalElapsed()) + "<" + eta;
        String rate = Double.isNaN(speed) ? "" : String.format(Locale.ROOT, "%.1f steps/s", speed);
        String counts = state.getCurrent() + "/" + state.getMax();
        // optional parts, dropped from the end of this list first
        List<String> optional = new ArrayList<>(List.of(rate, metrics, counts));
        optional.removeIf(String::isEmpty);
        while (true) {
            String tail = percent + " " + time + (optional.isEmpty() ? "" : " " + String.join(" ", optional));
            int room = width - who.length() - tail.length() - 4; // spaces and brackets
            if (room >= MIN_BAR || optional.isEmpty()) {
                int bar = Math.max(0, Math.min(MAX_BAR, room));
                String line = fit(who, width - tail.length() - bar - 4) + " [" + bar(state.getNormalizedProgress(), bar) + "] " + tail;
                return pad(line, width);
            }
            optional.remove(optional.size() - 1);
        }
    }

    private static String bar(double progress, int width) {
        int filled = (int) Math.round(Math.min(1, Math.max(0, progress)) * width);
        return "#".repeat(filled) + ".".repeat(width - filled);
    }

    /** {@code s} cut to {@code room} characters (its end kept, with an ellipsis) when longer. */
    private static String fit(String s, int room) {
        if (room <= 1) {
            return "";
        }
        return s.length() <= room ? s : "~" + s.substring(s.length() - room + 1);
    }

    private static String pad(String line, int width) {
        return line.length() >= width ? line.substring(0, Math.max(0, width)) : line + " ".repeat(width - line.length());
    }

    /** h:mm:ss, or m:ss under an hour. */
    static String clock(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
