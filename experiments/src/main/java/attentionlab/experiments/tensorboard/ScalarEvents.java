package attentionlab.experiments.tensorboard;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Hand-encoded protocol buffers for the two TensorBoard {@code Event}s a scalar log needs (field
 * numbers from tensorflow/core/util/event.proto and summary.proto):
 * <pre>
 *   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
 *   Summary { repeated Value value = 1; }
 *   Value   { string tag = 1; float simple_value = 2; }
 * </pre>
 */
public final class ScalarEvents {

    /** The first record of every event file. */
    public static final String FILE_VERSION = "brain.Event:2";

    private ScalarEvents() {}

    public static byte[] fileVersion(double wallTime) {
        Proto event = new Proto();
        event.fixed64(1, Double.doubleToLongBits(wallTime));
        event.bytes(3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return event.toByteArray();
    }

    public static byte[] scalar(double wallTime, long step, String tag, float value) {
        Proto v = new Proto();
        v.bytes(1, tag.getBytes(StandardCharsets.UTF_8));
        v.fixed32(2, Float.floatToIntBits(value));
        Proto summary = new Proto();
        summary.bytes(1, v.toByteArray());
        Proto event = new Proto();
        event.fixed64(1, Double.doubleToLongBits(wallTime));
        event.varint(2, step);
        event.bytes(5, summary.toByteArray());
        return event.toByteArray();
    }

    /** The few protobuf wire types used here: varint (0), fixed64 (1), length-delimited (2), fixed32 (5). */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void varint(int field, long value) {
            rawVarint((long) field << 3);
            rawVarint(value);
        }

        void fixed64(int field, long bits) {
            rawVarint(((long) field << 3) | 1);
            for (int i = 0; i < 8; i++) {
                out.write((int) (bits >>> (8 * i)) & 0xff);
            }
        }

        void fixed32(int field, int bits) {
            rawVarint(((long) field << 3) | 5);
            for (int i = 0; i < 4; i++) {
                out.write((bits >>> (8 * i)) & 0xff);
            }
        }

        void bytes(int field, byte[] data) {
            rawVarint(((long) field << 3) | 2);
            rawVarint(data.length);
            out.writeBytes(data);
        }

        private void rawVarint(long value) {
            while ((value & ~0x7fL) != 0) {
                out.write((int) ((value & 0x7f) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
