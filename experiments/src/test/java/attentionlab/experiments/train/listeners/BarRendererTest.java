package attentionlab.experiments.train.listeners;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress line fits the terminal exactly (never wraps, nothing stale) and drops its optional parts in order. */
class BarRendererTest {

    /** Renders through the real progress bar at a terminal width and returns every line drawn. */
    private static List<String> draw(int width) {
        List<String> lines = new CopyOnWriteArrayList<>();
        ProgressBarConsumer terminal = new ProgressBarConsumer() {
            @Override
            public int getMaxRenderedLength() {
                return width;
            }

            @Override
            public void accept(String rendered) {
                lines.add(rendered);
            }

            @Override
            public void close() {
            }
        };
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("argmax-stall").setInitialMax(2400)
                .setRenderer(new BarRenderer()).setConsumer(terminal).setUpdateIntervalMillis(10).build()) {
            bar.stepTo(552);
            bar.setExtraMessage("run 3/12 softmax-s2" + BarRenderer.METRICS + "loss 1.234 val_acc 0.41");
            bar.refresh();
        }
        return lines;
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 72, 120, 200})
    void everyLineIsExactlyTheTerminalWidth(int width) {
        List<String> lines = draw(width);
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l).hasSize(width).doesNotContain("\n", "\r"));
        if (width >= 72) {
            assertThat(last(lines)).contains("run 3/12 softmax-s2", "23%", "[#");
        }
    }

    @org.junit.jupiter.api.Test
    void aNarrowTerminalDropsCountsFirstThenMetricsButKeepsRunAndEta() {
        String wide = last(draw(200));
        String narrow = last(draw(72));
        assertThat(wide).contains("552/2400", "val_acc 0.41", "steps/s");
        assertThat(narrow).doesNotContain("552/2400").contains("argmax-stall run 3/12 softmax-s2", "<");
    }

    private static String last(List<String> lines) {
        return lines.get(lines.size() - 1);
    }
}
