package attentionlab.experiments.tensorboard;

import java.util.zip.CRC32C;

/**
 * The checksum TFRecord uses: CRC-32C (Castagnoli) of the bytes, then masked so that a CRC of data
 * containing CRCs stays well distributed: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8} (mod 2^32).
 */
public final class MaskedCrc32c {

    private static final int MASK_DELTA = 0xa282ead8;

    private MaskedCrc32c() {}

    /** Plain CRC-32C as an unsigned 32-bit value. */
    public static int crc32c(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    public static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + MASK_DELTA;
    }

    public static int unmask(int masked) {
        int rotated = masked - MASK_DELTA;
        return (rotated >>> 17) | (rotated << 15);
    }

    public static int masked(byte[] data) {
        return mask(crc32c(data, 0, data.length));
    }
}
