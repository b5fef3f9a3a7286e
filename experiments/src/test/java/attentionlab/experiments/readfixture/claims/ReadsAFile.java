package attentionlab.experiments.readfixture.claims;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Planted for {@code ClaimsMeasureInThisInvocationTest}: a claim that reads a number from a file. */
public final class ReadsAFile {

    private ReadsAFile() {}

    public static double stored(Path file) throws IOException {
        return Double.parseDouble(Files.readString(file));
    }
}
