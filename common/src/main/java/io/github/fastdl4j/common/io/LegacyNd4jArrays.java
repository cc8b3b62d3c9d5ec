package io.github.fastdl4j.common.io;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads arrays in ND4J's binary format ({@code Nd4j.write}: the shape-information buffer, then the
 * data buffer, each as an allocation-mode name, a length, a type name and big-endian values), the
 * way model zips of fastdl4j 0.1 stored parameters. Written in plain Java and strict, unlike
 * {@code Nd4j.read}: the caller says how many values it expects, and every length is checked
 * before anything is allocated, so an old model loads safely and a crafted one is refused.
 */
public final class LegacyNd4jArrays {

    private LegacyNd4jArrays() {
    }

    /**
     * Reads one array that must hold exactly {@code expectedLength} values of a floating type
     * (FLOAT or DOUBLE, converted to {@code type}); returns it with its stored shape, C order.
     */
    public static INDArray read(byte[] bytes, DataType type, long expectedLength) throws Npy.FormatException {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            mode(in);
            long infoLength = in.readLong();
            if (infoLength < 4 || infoLength > 2 * 8 + 4) {
                throw new Npy.FormatException("shape information of " + infoLength + " values");
            }
            String infoType = in.readUTF();
            if (!infoType.equals("LONG") && !infoType.equals("INT")) {
                throw new Npy.FormatException("shape information of type " + infoType);
            }
            long[] info = new long[(int) infoLength];
            for (int i = 0; i < info.length; i++) {
                info[i] = infoType.equals("LONG") ? in.readLong() : in.readInt();
            }
            int rank = (int) info[0];
            if (rank < 0 || rank > 8 || infoLength != 2L * rank + 4) {
                throw new Npy.FormatException("rank " + info[0] + " with " + infoLength + " shape values");
            }
            long[] shape = Arrays.copyOfRange(info, 1, 1 + rank);
            long[] stride = Arrays.copyOfRange(info, 1 + rank, 1 + 2 * rank);
            char order = (char) info[info.length - 1];
            long n = 1;
            for (long d : shape) {
                if (d < 0) {
                    throw new Npy.FormatException("negative dimension in " + Arrays.toString(shape));
                }
                n = Math.multiplyExact(n, d);
            }
            if (n != expectedLength) {
                throw new Npy.FormatException("holds " + n + " values " + Arrays.toString(shape) + ", expected "
                        + expectedLength);
            }
            if (!contiguousC(shape, stride) && !vector(shape)) {
                throw new Npy.FormatException("array in '" + order + "' order with strides " + Arrays.toString(stride)
                        + " (only contiguous row-major arrays are read)");
            }
            mode(in);
            long length = in.readLong();
            String dataType = in.readUTF();
            if (length != n) {
                throw new Npy.FormatException("data buffer of " + length + " values for a shape of " + n);
            }
            if (!dataType.equals("FLOAT") && !dataType.equals("DOUBLE")) {
                throw new Npy.FormatException("values of type " + dataType + " (FLOAT or DOUBLE expected)");
            }
            int itemSize = dataType.equals("FLOAT") ? 4 : 8;
            if (in.available() != n * itemSize) {
                throw new Npy.FormatException("data of " + in.available() + " bytes for " + n + " " + dataType
                        + " values");
            }
            if (itemSize == 4) {
                float[] v = new float[(int) n];
                for (int i = 0; i < v.length; i++) {
                    v[i] = in.readFloat();
                }
                return Nd4j.create(v, shape, 'c').castTo(type);
            }
            double[] v = new double[(int) n];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readDouble();
            }
            return Nd4j.create(v, shape, 'c').castTo(type);
        } catch (EOFException e) {
            throw new Npy.FormatException("truncated array");
        } catch (ArithmeticException e) {
            throw new Npy.FormatException("array shape overflows");
        } catch (IOException e) {
            throw new Npy.FormatException("unreadable array: " + e.getMessage());
        }
    }

    private static void mode(DataInputStream in) throws IOException {
        String mode = in.readUTF();
        if (mode.length() > 32 || !mode.matches("[A-Z_]+")) {
            throw new Npy.FormatException("not an ND4J array (allocation mode '" + mode + "')");
        }
    }

    private static boolean vector(long[] shape) {
        int big = 0;
        for (long d : shape) {
            big += d > 1 ? 1 : 0;
        }
        return big <= 1;
    }

    private static boolean contiguousC(long[] shape, long[] stride) {
        long expect = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] > 1 && stride[i] != expect) {
                return false;
            }
            expect *= shape[i];
        }
        return true;
    }
}
