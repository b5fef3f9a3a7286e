package attentionlab.experiments.core;

/**
 * The exit codes of {@code ./lab}, in one place. A command returns {@link #OK} or {@link #FAILED};
 * {@link #BAD_INPUT} and {@link #INTERNAL} come from the error handler ({@link UserError} or anything
 * else thrown). Ctrl-C and SIGTERM end the JVM with 128 + the signal's number, 130 (SIGINT) or 143
 * (SIGTERM), once the current run has checkpointed.
 */
public enum ExitCode {
    /** The command did what it was asked: every run completed, every claim holds, every benchmark ran. */
    OK(0),
    /** The command ran but the outcome is negative: a run failed, diverged or was interrupted, a claim does not hold. */
    FAILED(1),
    /** Bad input (config, option, path): one line {@code lab: <message>}, nothing created. */
    BAD_INPUT(2),
    /** A bug or an environment failure: {@code lab: internal error: ...} (stack trace with {@code LAB_DEBUG=1}). */
    INTERNAL(3);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** {@link #OK} when {@code ok}, else {@link #FAILED}. */
    public static ExitCode of(boolean ok) {
        return ok ? OK : FAILED;
    }
}
