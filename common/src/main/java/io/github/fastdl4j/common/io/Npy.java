package io.github.fastdl4j.common.io;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0), read and written in plain Java: a magic string, a
 * small text header ({@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }}) and
 * the raw little-endian values. It is how model parameters are stored (numpy and PyTorch users
 * can read them with {@code np.load}), and the reader is deliberately strict: the caller says
 * which shape and type it expects, so a file never decides how much memory is allocated, and
 * nothing in it is interpreted beyond the header's three keys.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 4096;
    private static final Pattern HEADER = Pattern.compile(
            "\\{\\s*'descr'\\s*:\\s*'([<>|=][a-z]\\d)'\\s*,\\s*'fortran_order'\\s*:\\s*(True|False)\\s*,"
                    + "\\s*'shape'\\s*:\\s*\\(([0-9,\\s]*)\\)\\s*,?\\s*}\\s*");

    private Npy() {
    }

    /** A malformed or unexpected {@code .npy} stream; the message says what was wrong. */
    public static final class FormatException extends IOException {
        public FormatException(String message) {
            super(message);
        }
    }

    /** Writes {@code a} (FLOAT, DOUBLE, INT or LONG) in C order. */
    public static void write(INDArray a, OutputStream out) throws IOException {
        String descr = descr(a.dataType());
        long[] shape = a.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : shape.length == 0 ? ""
                : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        // magic (6) + version (2) + header length (2) + header, padded with spaces to 64 bytes, ending in \n
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(new byte[]{1, 0, (byte) (header.length() & 0xff), (byte) (header.length() >> 8)});
        out.write(header.getBytes(StandardCharsets.US_ASCII));

        INDArray c = a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
        int item = itemSize(a.dataType());
        int n = (int) c.length();
        ByteBuffer buf = ByteBuffer.allocate(Math.max(item, Math.min(1 << 16, n * item))).order(ByteOrder.LITTLE_ENDIAN);
        Buffer host = Nd4j.getEnvironment().isCPU() ? hostView(c) : null;
        for (int done = 0; done < n; ) {
            buf.clear();
            int k = Math.min(buf.capacity() / item, n - done);
            for (int i = 0; i < k; i++) {
                int j = done + i;
                switch (a.dataType()) {
                    case FLOAT -> buf.putFloat(host != null ? ((FloatBuffer) host).get(j) : c.getFloat((long) j));
                    case DOUBLE -> buf.putDouble(host != null ? ((DoubleBuffer) host).get(j) : c.getDouble((long) j));
                    case INT -> buf.putInt(host != null ? ((IntBuffer) host).get(j) : (int) c.getLong((long) j));
                    default -> buf.putLong(host != null ? ((LongBuffer) host).get(j) : c.getLong((long) j));
                }
            }
            out.write(buf.array(), 0, buf.position());
            done += k;
        }
    }

    /**
     * Reads an array that must have exactly {@code shape} and {@code type}; anything else (another
     * shape, type or byte order, Fortran order, a short or long stream) is a {@link FormatException}
     * raised before the values are read.
     */
    public static INDArray read(InputStream in, DataType type, long... shape) throws IOException {
        long[] found = header(in, type);
        if (!Arrays.equals(found, shape)) {
            throw new FormatException("shape " + Arrays.toString(found) + ", expected " + Arrays.toString(shape));
        }
        return values(in, type, shape);
    }

    /**
     * Reads the header of an array of {@code type} whose shape the caller does not know in advance
     * (checked against {@code maxValues} before anything is allocated) and then its values.
     */
    public static INDArray readUpTo(InputStream in, DataType type, long maxValues) throws IOException {
        long[] shape = header(in, type);
        long n = count(shape);
        if (n > maxValues) {
            throw new FormatException("shape " + Arrays.toString(shape) + " holds " + n + " values, more than the "
                    + maxValues + " allowed here");
        }
        return values(in, type, shape);
    }

    private static long[] header(InputStream in, DataType type) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new FormatException("not a .npy array (bad magic)");
        }
        int major = in.read();
        int minor = in.read();
        if (major != 1 || minor != 0) {
            throw new FormatException(".npy version " + major + "." + minor + " (only 1.0 is read)");
        }
        int lo = in.read();
        int hi = in.read();
        if (lo < 0 || hi < 0) {
            throw new FormatException("truncated .npy header");
        }
        int len = lo | (hi << 8);
        if (len > MAX_HEADER) {
            throw new FormatException(".npy header of " + len + " bytes (at most " + MAX_HEADER + ")");
        }
        byte[] h = in.readNBytes(len);
        if (h.length != len) {
            throw new FormatException("truncated .npy header");
        }
        String text = new String(h, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(text);
        if (!m.matches()) {
            throw new FormatException("unreadable .npy header (expected {'descr': ..., 'fortran_order': ..., 'shape': (...)})");
        }
        if (!m.group(1).equals(descr(type))) {
            throw new FormatException("values of type '" + m.group(1) + "', expected '" + descr(type) + "'");
        }
        if (m.group(2).equals("True")) {
            throw new FormatException("Fortran-ordered arrays are not read");
        }
        String dims = m.group(3).trim();
        if (dims.isEmpty()) {
            return new long[0];
        }
        String[] parts = dims.split(",");
        int rank = parts[parts.length - 1].isBlank() ? parts.length - 1 : parts.length;
        if (rank > 8) {
            throw new FormatException("rank " + rank + " (at most 8)");
        }
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++) {
            String p = parts[i].trim();
            if (p.isEmpty() || p.length() > 12) {
                throw new FormatException("bad dimension '" + p + "' in .npy shape");
            }
            shape[i] = Long.parseLong(p);
        }
        return shape;
    }

    private static long count(long[] shape) throws FormatException {
        try {
            long n = 1;
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        } catch (ArithmeticException e) {
            throw new FormatException("shape " + Arrays.toString(shape) + " overflows");
        }
    }

    private static INDArray values(InputStream in, DataType type, long[] shape) throws IOException {
        long total = count(shape);
        if (total > Integer.MAX_VALUE / 8) {
            throw new FormatException("array of " + total + " values is too large");
        }
        int n = (int) total;
        int item = itemSize(type);
        ByteBuffer buf = ByteBuffer.allocate(Math.max(item, Math.min(1 << 16, n * item))).order(ByteOrder.LITTLE_ENDIAN);
        INDArray out = Nd4j.create(type, shape.length == 0 ? new long[0] : shape, 'c');
        // values are put into the array's host buffer (CPU) or set one by one (other backends)
        Buffer host = Nd4j.getEnvironment().isCPU() ? hostView(out) : null;
        int done = 0;
        while (done < n) {
            buf.clear();
            int want = Math.min(buf.capacity() / item, n - done) * item;
            int got = in.readNBytes(buf.array(), 0, want);
            if (got != want) {
                throw new FormatException("truncated .npy data: " + (done + got / item) + " of " + n + " values");
            }
            buf.limit(want);
            int k = want / item;
            if (host != null) {
                switch (type) {
                    case FLOAT -> ((FloatBuffer) host).put(done, buf.asFloatBuffer(), 0, k);
                    case DOUBLE -> ((DoubleBuffer) host).put(done, buf.asDoubleBuffer(), 0, k);
                    case INT -> ((IntBuffer) host).put(done, buf.asIntBuffer(), 0, k);
                    default -> ((LongBuffer) host).put(done, buf.asLongBuffer(), 0, k);
                }
            } else {
                for (int i = 0; i < k; i++) {
                    switch (type) {
                        case FLOAT -> out.putScalar(done + i, buf.getFloat(i * item));
                        case DOUBLE -> out.putScalar(done + i, buf.getDouble(i * item));
                        case INT -> out.putScalar(done + i, buf.getInt(i * item));
                        default -> out.putScalar(done + i, buf.getLong(i * item));
                    }
                }
            }
            done += k;
        }
        if (in.read() != -1) {
            throw new FormatException("more .npy data than its shape " + Arrays.toString(shape) + " holds");
        }
        return out;
    }

    private static Buffer hostView(INDArray a) {
        return switch (a.dataType()) {
            case FLOAT -> a.data().asNioFloat();
            case DOUBLE -> a.data().asNioDouble();
            case INT -> a.data().asNioInt();
            default -> a.data().asNioLong();
        };
    }

    private static String descr(DataType t) {
        return switch (t) {
            case FLOAT -> "<f4";
            case DOUBLE -> "<f8";
            case INT -> "<i4";
            case LONG -> "<i8";
            default -> throw new IllegalArgumentException(".npy arrays of " + t.name().toLowerCase(Locale.ROOT)
                    + " are not supported (float, double, int, long)");
        };
    }

    private static int itemSize(DataType t) {
        return switch (t) {
            case FLOAT, INT -> 4;
            case DOUBLE, LONG -> 8;
            default -> throw new IllegalArgumentException("unsupported type " + t);
        };
    }
}
