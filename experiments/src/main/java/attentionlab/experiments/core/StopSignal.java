package attentionlab.experiments.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A request to stop, passed down to whatever runs long (training checks it before every step). Set
 * once, from any thread (the CLI's Ctrl-C hook), and never cleared.
 */
public final class StopSignal implements BooleanSupplier {

    private final AtomicBoolean requested = new AtomicBoolean();

    /** Asks the holder to stop at its next check. */
    public void request() {
        requested.set(true);
    }

    /** Whether a stop was requested. */
    @Override
    public boolean getAsBoolean() {
        return requested.get();
    }
}
