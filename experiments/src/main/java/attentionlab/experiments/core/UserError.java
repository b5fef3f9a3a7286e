package attentionlab.experiments.core;

/**
 * Bad input from the user (config, flags, paths): the CLI prints {@code lab: <message>} on one line,
 * no stack trace, and exits with {@link ExitCode#BAD_INPUT}. Messages name the offending key, the value
 * and what is allowed.
 */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
