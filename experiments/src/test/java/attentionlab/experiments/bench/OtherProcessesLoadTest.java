package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Other processes' load excludes this JVM: a thread of ours spinning during the sample is our own work
 * (the load average counted it, so timing after training read "machine busy"), while a separate process
 * spinning is another's load.
 */
class OtherProcessesLoadTest {

    @Test
    void ourOwnBusyThreadIsNotAnotherProcessButASpinningProcessIs() throws Exception {
        AtomicBoolean spin = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            long x = 0;
            while (spin.get()) {
                x += System.nanoTime() % 7;
            }
            if (x == 42) {
                System.out.print("");
            }
        });
        double baseline = Machine.otherProcessesLoad(Duration.ofSeconds(1)); // before our thread spins
        busy.start();
        double whileWeSpin;
        try {
            whileWeSpin = Machine.otherProcessesLoad(Duration.ofSeconds(1));
        } finally {
            spin.set(false);
            busy.join();
        }
        // ours: at most what other processes already did, plus sampling noise; not a whole core
        assertThat(whileWeSpin).isLessThan(baseline + 0.5);
        Process child = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            Thread.sleep(200);
            // a child process is ours too (a timing's forked JVMs are)
            assertThat(Machine.otherProcessesLoad(Duration.ofSeconds(1))).isLessThan(baseline + 0.5);
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void aSpinningProcessThatIsNotOursCountsAsOtherLoad() throws Exception {
        // the spinner's parent shell exits at once, so it is re-parented and no longer our descendant
        Process launcher = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' >/dev/null 2>&1 & echo $!").start();
        long pid = Long.parseLong(new String(launcher.getInputStream().readAllBytes()).trim());
        launcher.waitFor();
        ProcessHandle spinner = ProcessHandle.of(pid).orElseThrow();
        try {
            assertThat(ProcessHandle.current().descendants().anyMatch(p -> p.pid() == pid)).isFalse();
            Thread.sleep(200);
            assertThat(Machine.otherProcessesLoad(Duration.ofSeconds(1))).isGreaterThan(0.5);
        } finally {
            spinner.destroyForcibly();
        }
    }
}
