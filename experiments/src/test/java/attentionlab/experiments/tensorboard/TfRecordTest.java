package attentionlab.experiments.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TFRecord framing against known values: the CRC-32C check values of RFC 3720 / iSCSI and masked
 * CRCs and whole records computed by an independent bit-by-bit CRC-32C implementation.
 */
class TfRecordTest {

    private static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    @Test
    void crc32cMatchesPublishedCheckValues() {
        assertThat(crc("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe3069283);
        assertThat(crc(new byte[32])).isEqualTo(0x8a9136aa);
        byte[] ones = new byte[32];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(crc(ones)).isEqualTo(0x62a8ab43);
        byte[] increasing = new byte[32];
        for (int i = 0; i < 32; i++) {
            increasing[i] = (byte) i;
        }
        assertThat(crc(increasing)).isEqualTo(0x46dd794e);
    }

    @Test
    void maskRotatesAndAddsTheTfConstantAndUnmaskInvertsIt() {
        assertThat(MaskedCrc32c.mask(0xe3069283)).isEqualTo(0xc78ab0e5);
        assertThat(MaskedCrc32c.masked("brain.Event:2".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0x7c0601ee);
        assertThat(MaskedCrc32c.unmask(MaskedCrc32c.mask(0x12345678))).isEqualTo(0x12345678);
    }

    @Test
    void framesTheFileVersionEventByteForByte() {
        byte[] event = ScalarEvents.fileVersion(0);
        assertThat(HEX.formatHex(event)).isEqualTo("0900000000000000001a0d627261696e2e4576656e743a32");
        assertThat(HEX.formatHex(TfRecordWriter.frame(event))).isEqualTo(
                "1800000000000000" + "a37f4b22" + "0900000000000000001a0d627261696e2e4576656e743a32" + "eedf28a3");
    }

    @Test
    void encodesAScalarEventAsProtobuf() {
        assertThat(HEX.formatHex(ScalarEvents.scalar(1.5, 7, "train/loss", 0.25f)))
                .isEqualTo("09000000000000f83f10072a130a110a0a747261696e2f6c6f7373150000803e");
    }

    @Test
    void eventFilesAreValidRecordStreamsWithEachPointAtItsWallTime() throws Exception {
        RunScalars run = new RunScalars(Path.of("toy", "softmax-s0"), new double[] {0, 10, 20}, new double[] {0, 1, 2},
                List.of(new RunScalars.Scalar("train/loss", new double[] {0, 20, 30}, new double[] {2.5, 1.5, 1.0})));
        List<Path> files = TensorBoardExport.write(List.of(run), tmp.resolve("tb"));
        assertThat(files).singleElement().satisfies(f -> assertThat(f.getParent()).isEqualTo(tmp.resolve("tb/toy/softmax-s0")));
        List<byte[]> records = readRecords(Files.readAllBytes(files.get(0)));
        assertThat(records).hasSize(4); // version + three points
        assertThat(records.get(0)).isEqualTo(ScalarEvents.fileVersion(0));
        assertThat(records.get(2)).isEqualTo(ScalarEvents.scalar(2.0, 20, "train/loss", 1.5f));
        assertThat(records.get(3)).isEqualTo(ScalarEvents.scalar(0.0, 30, "train/loss", 1.0f)); // no wall time logged at 30
    }

    /** Reads TFRecords, checking both masked CRCs of every record. */
    private static List<byte[]> readRecords(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> records = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] length = new byte[8];
            in.get(length);
            assertThat(in.getInt()).isEqualTo(MaskedCrc32c.masked(length));
            byte[] data = new byte[(int) ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            in.get(data);
            assertThat(in.getInt()).isEqualTo(MaskedCrc32c.masked(data));
            records.add(data);
        }
        return records;
    }

    private static int crc(byte[] data) {
        return MaskedCrc32c.crc32c(data, 0, data.length);
    }
}
