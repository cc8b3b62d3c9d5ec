package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.testing.RealData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @TempDir
    Path tmp;

    private static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bo);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        for (int i = 0; i < dataBytes; i++) {
            out.writeByte(i * 7);
        }
        return bo.toByteArray();
    }

    private Path write(String name, byte[] b, boolean gz) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream out = gz ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(b);
        }
        return p;
    }

    @Test
    void readsRawAndGzippedAlike() throws IOException {
        byte[] b = idx(0x00000803, new int[]{3, 2, 2}, 12);
        IdxArray raw = IdxReader.read(write("x.idx", b, false));
        IdxArray gz = IdxReader.read(write("x.idx.gz", b, true));
        assertEquals(raw, gz);
        assertArrayEquals(new int[]{3, 2, 2}, raw.dims());
        assertEquals(3, raw.count());
        assertEquals(4, raw.itemSize());
        assertEquals((11 * 7) & 0xff, raw.get(11));
    }

    @Test
    void wrongMagicNamesFileAndExpectation() throws IOException {
        Path p = write("bad.idx", idx(0x00000903, new int[]{1, 1, 1}, 1), false);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000903"), e.getMessage());
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        byte[] full = idx(0x00000801, new int[]{10}, 10);
        Path p = write("short.idx.gz", Arrays.copyOf(full, full.length - 3), true);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("truncated IDX data: expected 10 bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReported() throws IOException {
        byte[] gz;
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bo)) {
            out.write(idx(0x00000801, new int[]{5000}, 5000));
        }
        gz = Arrays.copyOf(bo.toByteArray(), bo.size() / 2);
        Path p = tmp.resolve("cut.gz");
        Files.write(p, gz);
        BadInputException e = assertThrows(BadInputException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedHeaderAndMissingFile() throws IOException {
        Path p = write("hdr.idx", Arrays.copyOf(idx(0x00000803, new int[]{1, 2, 3}, 0), 8), false);
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read(p)).getMessage().contains("truncated IDX header"));
        assertTrue(assertThrows(BadInputException.class, () -> IdxReader.read(tmp.resolve("nope.idx")))
                .getMessage().contains("file not found"));
    }

    @Tag("real-data")
    @Test
    void realMnistLabels() {
        Path dir = RealData.require("mnist");
        IdxArray labels = IdxReader.read(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[]{10000}, labels.dims());
        IdxArray images = IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[]{10000, 28, 28}, images.dims());
        int max = 0;
        for (int i = 0; i < labels.count(); i++) {
            max = Math.max(max, labels.get(i));
        }
        assertEquals(9, max);
    }
}
