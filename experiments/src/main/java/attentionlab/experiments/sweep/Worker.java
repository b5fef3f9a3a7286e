package attentionlab.experiments.sweep;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.train.RunResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The entry point of a worker JVM started by {@link Workers}: {@code Worker EXPERIMENT_DIR}. Reads point
 * names on standard input, one per line, trains each ({@link PointRunner}) with progress on standard
 * error, and answers each on standard output with {@code lab-worker done <run> <status>} (or
 * {@code lab-worker skipped <run> <reason>}). Ends at the end of its input, or after the current point
 * when it is asked to stop (SIGINT, SIGTERM: the run checkpoints and is marked interrupted).
 */
public final class Worker {

    private Worker() {}

    public static void main(String[] args) {
        int code;
        try (Interruption interruption = Interruption.install()) {
            code = serve(Path.of(args[0]), new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                    System.out, System.err, interruption.signal());
        } catch (UserError e) {
            System.err.println("lab: " + e.getMessage());
            code = 2;
        } catch (RuntimeException | IOException e) {
            System.err.println("lab: internal error in worker: " + e);
            code = 3;
        }
        System.exit(code);
    }

    static int serve(Path experimentDir, BufferedReader in, PrintStream out, PrintStream progress, BooleanSupplier stop)
            throws IOException {
        Manifest manifest = Manifest.read(experimentDir);
        for (String line = in.readLine(); line != null && !stop.getAsBoolean(); line = in.readLine()) {
            Manifest.Point point = manifest.point(line.trim());
            try {
                RunResult result = PointRunner.run(experimentDir, manifest, point, null, false, progress, stop);
                out.println(Workers.DONE + point.run() + " " + result.status().label());
            } catch (UserError e) {
                out.println(Workers.SKIPPED + point.run() + " " + e.getMessage());
            }
            out.flush();
        }
        return 0;
    }
}
