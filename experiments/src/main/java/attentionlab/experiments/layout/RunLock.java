package attentionlab.experiments.layout;

import attentionlab.experiments.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock a process holds on a run directory while it writes the run ({@code <run>/lock}, an
 * operating-system file lock through {@link FileChannel#tryLock}): a second {@code lab resume} of the
 * same run is refused instead of writing beside the first. The operating system releases the lock when
 * the process ends, however it ends (kill -9 included), so a run whose meta.json says {@code running}
 * while nobody holds its lock was stopped: {@link #liveStatus} reports it as {@link RunStatus#STOPPED}.
 *
 * <p>Locks held by this JVM are also kept in a table: Java allows one lock per file per JVM, and closing
 * any other channel on a locked file may release the lock, so a second lock or a probe from this JVM
 * never opens the file.
 */
public final class RunLock implements AutoCloseable {

    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run's lock (creating the lock file).
     *
     * @throws UserError if another process or thread holds it
     */
    public static synchronized RunLock acquire(RunLayout run) {
        Path file = key(run);
        if (HELD.containsKey(file)) {
            throw busy(run);
        }
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                throw busy(run);
            }
            RunLock held = new RunLock(file, channel, lock);
            HELD.put(file, held);
            return held;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + run.lock(), e);
        }
    }

    /** Whether a live process (this one included) holds the run's lock now. */
    public static synchronized boolean isHeld(RunLayout run) {
        Path file = key(run);
        if (HELD.containsKey(file)) {
            return true;
        }
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true); // shared: fails while someone holds it exclusively
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false; // an unreadable lock file cannot be held by a lab process
        }
    }

    /** The status to report for a run whose meta.json records {@code recorded}: a stale running is {@link RunStatus#STOPPED}. */
    public static RunStatus liveStatus(RunLayout run, RunStatus recorded) {
        return recorded == RunStatus.RUNNING && !isHeld(run) ? RunStatus.STOPPED : recorded;
    }

    private static UserError busy(RunLayout run) {
        return new UserError(run.dir() + ": another lab process is writing this run (it holds " + run.lock()
                + "); wait for it to end or stop it, then try again");
    }

    private static Path key(RunLayout run) {
        return run.lock().toAbsolutePath().normalize();
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() {
        synchronized (RunLock.class) {
            HELD.remove(file, this);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release " + file, e);
            }
        }
    }
}
