package attentionlab.experiments.tensorboard;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * TFRecord framing, one record per call:
 * <pre>
 *   uint64 length | uint32 masked_crc32c(length) | byte[length] data | uint32 masked_crc32c(data)
 * </pre>
 * all integers little-endian.
 */
public final class TfRecordWriter implements AutoCloseable {

    private final OutputStream out;

    public TfRecordWriter(OutputStream out) {
        this.out = out;
    }

    /** The framed bytes of one record. */
    public static byte[] frame(byte[] data) {
        ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length);
        byte[] length = header.array();
        ByteBuffer record = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        record.put(length).putInt(MaskedCrc32c.masked(length)).put(data).putInt(MaskedCrc32c.masked(data));
        return record.array();
    }

    public void write(byte[] data) throws IOException {
        out.write(frame(data));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
