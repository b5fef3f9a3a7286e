package attentionlab.experiments.sweep;

import attentionlab.experiments.core.StopSignal;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) or SIGTERM during training: the JVM runs this shutdown hook, which raises the
 * {@link StopSignal} passed down to the runs, so the current run stops after its step (it then
 * checkpoints and is marked interrupted) and no further run starts; the hook returns once the command
 * (and, with workers, every worker) has written and printed everything ({@link #close}), or after 60 s,
 * and the JVM ends with the signal's status, 130 (SIGINT) or 143 (SIGTERM). SIGKILL cannot be caught: the run keeps its last
 * checkpoint and meta.json says running, which readers report as stopped (no live process).
 */
public final class Interruption implements AutoCloseable {

    private final StopSignal stop = new StopSignal();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private Interruption() {
        hook = new Thread(() -> {
            stop.request();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-interrupt");
    }

    /** The signal the hook raises: pass it down with the request. */
    public StopSignal signal() {
        return stop;
    }

    public static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting; the hook is running and has just been released
        }
    }
}
