package attentionlab.experiments.io;

import attentionlab.experiments.core.UserError;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The one way outputs get a directory: {@code <parent>/<yyyyMMdd-HHmmss>}, or {@code -1}, {@code -2},
 * ... appended when that name is taken. Created atomically, never reused, so two invocations in the
 * same second never share a directory.
 */
public final class OutputDirectory {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private OutputDirectory() {}

    /** A new directory under {@code parent} named by the current time. */
    public static Path create(Path parent) {
        return create(parent, LocalDateTime.now());
    }

    /**
     * A new directory under {@code parent} named by {@code now}.
     *
     * @throws UserError if {@code parent} cannot hold it (a file, not writable, ...): the path comes from the user
     */
    public static Path create(Path parent, LocalDateTime now) {
        String stamp = now.format(STAMP);
        try {
            Files.createDirectories(parent);
            for (int n = 0; ; n++) {
                try {
                    return Files.createDirectory(parent.resolve(n == 0 ? stamp : stamp + "-" + n));
                } catch (FileAlreadyExistsException taken) {
                    // the next suffix
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot create a directory under " + parent + ": " + e);
        }
    }
}
