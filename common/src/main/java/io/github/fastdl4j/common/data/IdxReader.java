package io.github.fastdl4j.common.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), gzipped or raw: a big-endian magic number
 * {@code 0x0000TTDD} (TT = 0x08 unsigned bytes, DD = number of dimensions), the dimension sizes
 * as big-endian ints, then the data. Only unsigned-byte data is supported, which is what MNIST uses.
 */
public final class IdxReader {

    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** Reads the whole file, checking magic number, dimensions and length. */
    public static IdxArray read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            InputStream in = isGzip(raw) ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
            return read(file, new DataInputStream(in));
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "file not found");
        } catch (EOFException e) {
            throw BadInputException.inFile(file, "truncated IDX file (the gzip stream ended early)");
        } catch (ZipException e) {
            throw BadInputException.inFile(file, "corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read (" + BadInputException.reason(e) + ")");
        }
    }

    /**
     * Reads IDX content from a stream (e.g. a classpath resource), gzipped or raw; {@code name}
     * is used in error messages.
     */
    public static IdxArray read(String name, InputStream stream) {
        Path label = Path.of(name);
        try (InputStream raw = new BufferedInputStream(stream)) {
            InputStream in = isGzip(raw) ? new BufferedInputStream(new GZIPInputStream(raw)) : raw;
            return read(label, new DataInputStream(in));
        } catch (EOFException e) {
            throw BadInputException.inFile(label, "truncated IDX file (the gzip stream ended early)");
        } catch (ZipException e) {
            throw BadInputException.inFile(label, "corrupt gzip data: " + e.getMessage());
        } catch (IOException e) {
            throw BadInputException.inFile(label, "cannot read (" + BadInputException.reason(e) + ")");
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b;
    }

    private static IdxArray read(Path file, DataInputStream in) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw BadInputException.inFile(file, "truncated IDX file: no 4-byte magic number");
        }
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE || (magic & 0xff) == 0) {
            throw BadInputException.inFile(file, String.format(
                    "wrong magic number 0x%08x: expected 0x000008DD (unsigned bytes, DD dimensions), "
                            + "e.g. 0x00000803 for images or 0x00000801 for labels", magic));
        }
        int rank = magic & 0xff;
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            try {
                dims[i] = in.readInt();
            } catch (EOFException e) {
                throw BadInputException.inFile(file, "truncated IDX header: " + rank + " dimensions announced, "
                        + i + " present");
            }
            if (dims[i] <= 0) {
                throw BadInputException.inFile(file, "dimension " + i + " has size " + dims[i] + ", expected > 0");
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw BadInputException.inFile(file, "too large: " + total + " values");
        }
        // grown as the bytes arrive, not allocated from the header: a short file claiming billions of
        // values fails as truncated instead of asking for gigabytes first
        byte[] data = new byte[(int) Math.min(total, 1 << 20)];
        int read = 0;
        while (read < total) {
            if (read == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, (long) data.length * 2));
            }
            int n = in.read(data, read, data.length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        if (read < total) {
            throw BadInputException.inFile(file, "truncated IDX data: expected " + total + " bytes for dimensions "
                    + Arrays.toString(dims) + ", found " + read);
        }
        if (in.read() != -1) {
            throw BadInputException.inFile(file, "trailing bytes after " + total + " values of dimensions "
                    + Arrays.toString(dims));
        }
        return new IdxArray(dims, data, file);
    }
}
