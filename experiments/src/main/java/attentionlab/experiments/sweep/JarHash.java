package attentionlab.experiments.sweep;

import attentionlab.experiments.core.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of the build a sweep runs, recorded at submission in {@code sha256sum} format
 * ({@code <hex>  <path>}) so that every array task (with {@code sha256sum --check}) and every
 * resubmission runs exactly that build: points of one sweep never mix builds.
 */
final class JarHash {

    private JarHash() {}

    static String of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * @throws UserError if the recorded jar no longer has the recorded hash
     */
    static void check(Path record) {
        String[] parts;
        try {
            parts = Files.readString(record).trim().split("\\s+", 2);
        } catch (IOException e) {
            throw new UserError(record + ": cannot read the sweep's build hash: " + e.getMessage());
        }
        Path jar = Path.of(parts[1]);
        if (!Files.isRegularFile(jar) || !of(jar).equals(parts[0])) {
            throw new UserError(jar + " changed since the sweep was submitted, so resubmitted points would run another build"
                    + " than the finished ones; rebuild the commit the sweep's runs record (meta.json git_commit), or submit"
                    + " a new sweep");
        }
    }
}
