package attentionlab.experiments.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a class of the test classpath in a new JVM, with the engine settings of this one. */
final class ChildJvm {

    private ChildJvm() {}

    /** The command line that runs {@code main} with {@code args} in a child JVM. */
    static List<String> command(Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Xmx512m", "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Djava.awt.headless=true"));
        for (String property : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            String value = System.getProperty(property);
            if (value != null) {
                command.add("-D" + property + "=" + value); // the same numbers as this JVM's runs
            }
        }
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /** Starts it, stderr merged into stdout, which is read from the process. */
    static Process start(Class<?> main, List<String> args, Path workDir) throws IOException {
        return new ProcessBuilder(command(main, args)).directory(workDir.toFile()).redirectErrorStream(true).start();
    }

    /** Starts it, stderr and stdout into {@code output} (a file, so the child never blocks on a full pipe). */
    static Process start(Class<?> main, List<String> args, Path workDir, Path output) throws IOException {
        return new ProcessBuilder(command(main, args)).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
    }

    /** Sends a signal ({@code INT}, {@code TERM}, ...) with kill(1). */
    static void signal(Process p, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + p.pid() + " failed");
        }
    }
}
