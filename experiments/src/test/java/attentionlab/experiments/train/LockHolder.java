package attentionlab.experiments.train;

import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.layout.RunLock;
import java.nio.file.Path;

/** A process that holds a run directory's lock until it is killed: {@code LockHolder RUN_DIR}; prints "locked". */
public final class LockHolder {

    public static void main(String[] args) throws InterruptedException {
        RunLock lock = RunLock.acquire(new RunLayout(Path.of(args[0])));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(600_000);
        lock.close();
    }
}
