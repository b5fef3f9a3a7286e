package attentionlab.experiments.train;

/** Training produced a non-finite loss or gradient; the message is the one-line reason. */
public final class DivergedException extends RuntimeException {

    public DivergedException(String reason) {
        super(reason);
    }
}
