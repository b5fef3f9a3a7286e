package attentionlab.models.ops;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a use-after-free of Java-buffer-backed tensors certain instead of rare: collects garbage
 * (so the Cleaner frees the direct buffers of closed arrays) and then allocates small direct
 * buffers filled with NaN, which malloc hands out from the memory just freed.
 */
public final class HostileGc {

    private HostileGc() {}

    public static void collectAndReuse() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(5); // the Cleaner thread frees the buffers after the collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        List<ByteBuffer> reuse = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8);
            b.putDouble(0, Double.NaN);
            reuse.add(b);
        }
        reuse.clear();
    }
}
