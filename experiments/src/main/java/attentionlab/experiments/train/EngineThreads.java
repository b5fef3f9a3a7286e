package attentionlab.experiments.train;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Prepares the current thread to train. PyTorch's autograd mode is per thread, on by default, and DJL
 * turns it off only in the thread that starts the engine; the gradient collector turns it on for the
 * forward and backward and then restores the thread's mode. In any other thread (a run trained by a
 * worker thread) the optimizer's in-place update of a parameter would then run with autograd on and
 * fail ("a leaf Variable that requires grad is being used in an in-place operation").
 */
final class EngineThreads {

    private EngineThreads() {}

    /** Turns autograd off in this thread outside gradient collectors, as in the engine's own thread. */
    static void prepareForTraining() {
        if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
            JniUtils.setGradMode(false);
        }
    }
}
