package attentionlab.experiments.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Files written so that a reader never sees half of one, and write failures that say why. A file is
 * written to {@code <name>.tmp} beside it and moved over it atomically; when the write fails (a full
 * disk, a lost mount) the temporary file is deleted, so nothing half-written or empty is left, and the
 * error names the file and the cause ("no space left on device").
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** The temporary sibling a file is written to first. */
    public static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * Replaces {@code file} by {@code bytes} atomically.
     *
     * @throws UncheckedIOException "cannot write FILE: CAUSE"; the file keeps its old content
     */
    public static void write(Path file, byte[] bytes) {
        Path tmp = temporary(file);
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw failure("write", file, e);
        }
    }

    /**
     * Overwrites {@code file} in place: the fallback when {@link #write} fails for want of space, since
     * the file's own blocks are freed and reused. Not atomic: a crash in between leaves it truncated.
     */
    public static void overwrite(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    /** "cannot ACTION FILE: CAUSE" as an unchecked exception with {@code e} as its cause. */
    public static UncheckedIOException failure(String action, Path file, IOException e) {
        return new UncheckedIOException("cannot " + action + " " + file + ": " + reason(e), e);
    }

    /**
     * Why an I/O operation failed, in the operating system's words where there are any, lower case:
     * "no space left on device", "permission denied", "no such file or directory".
     */
    public static String reason(IOException e) {
        String text;
        if (e instanceof NoSuchFileException) {
            text = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            text = "permission denied";
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            text = f.getReason();
        } else if (e.getMessage() != null) {
            text = e.getMessage();
        } else {
            text = e.getClass().getSimpleName();
        }
        return text.isEmpty() ? text : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }

    /** The message of {@code e} and, for an I/O failure whose message does not say why, the cause's reason. */
    public static String describe(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e.getCause() instanceof IOException io) {
            String why = reason(io);
            return message.contains(why) ? message : message + ": " + why;
        }
        return message;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the original failure is the one to report
        }
    }
}
