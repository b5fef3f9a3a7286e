package attentionlab.experiments.cli;

/**
 * Bad input from the user (config, flags, paths): the CLI prints {@code lab: <message>} on one line,
 * no stack trace, and exits with {@link #EXIT_CODE}. Messages name the offending key, the value and
 * what is allowed.
 */
public class UserError extends RuntimeException {

    public static final int EXIT_CODE = 2;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
