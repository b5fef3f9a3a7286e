package attentionlab.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which process trains which point, and who may rewrite the manifest: operating-system file locks on
 * files in {@code <experiment>/.locks/} ({@code <run>.lock} per point, {@code manifest.lock}). A lock
 * is held while its process lives and released by the system when the process ends however it ends,
 * so a point whose run says {@code running} while nobody holds its lock was stopped without a chance
 * to record it (killed, out of memory). The lock files themselves stay (deleting them would race).
 */
final class PointLocks {

    static final String DIR = ".locks";

    private PointLocks() {}

    /** A held lock; closing it releases it. */
    static final class Held implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Held(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release " + lock, e);
            }
        }
    }

    /** The point's lock if no process (this one included) holds it, else null. */
    static Held tryPoint(Path experimentDir, String run) {
        return acquire(experimentDir.resolve(DIR).resolve(run + ".lock"), false);
    }

    /** Whether some process holds the point's lock now. */
    static boolean isHeld(Path experimentDir, String run) {
        return isHeld(experimentDir.resolve(DIR).resolve(run + ".lock"));
    }

    private static boolean isHeld(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        try (Held held = acquire(file, false)) {
            return held == null;
        }
    }

    /**
     * The experiment's lock, held by a {@code lab run} or {@code lab resume} that will start the experiment's
     * pending points (not by a Slurm task, which trains one point), if no process holds it; else null.
     */
    static Held tryExperiment(Path experimentDir) {
        return acquire(experimentDir.resolve(DIR).resolve("experiment.lock"), false);
    }

    /** Whether a live {@code lab run} or {@code lab resume} holds the experiment. */
    static boolean isExperimentHeld(Path experimentDir) {
        return isHeld(experimentDir.resolve(DIR).resolve("experiment.lock"));
    }

    /** The manifest's lock, waiting for it. */
    static Held manifest(Path experimentDir) {
        return acquire(experimentDir.resolve(DIR).resolve("manifest.lock"), true);
    }

    private static Held acquire(Path file, boolean wait) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new Held(channel, lock);
        } catch (OverlappingFileLockException heldInThisProcess) {
            closeQuietly(channel);
            if (wait) {
                throw new IllegalStateException("lock " + file + " is already held by this process");
            }
            return null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock attempt's error is the one to report
            }
        }
    }
}
