package io.github.fastdl4j.common.io;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {

    private static byte[] write(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(a, out);
        return out.toByteArray();
    }

    @Test
    void roundTripsEveryTypeExactly() throws IOException {
        for (DataType t : new DataType[]{DataType.FLOAT, DataType.DOUBLE, DataType.INT, DataType.LONG}) {
            INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 4, 5).muli(1000).castTo(t);
            INDArray b = Npy.read(new ByteArrayInputStream(write(a)), t, 3, 4, 5);
            assertEquals(a, b, t.toString());
        }
        INDArray scalar = Nd4j.scalar(2.5f);
        assertEquals(2.5f, Npy.read(new ByteArrayInputStream(write(scalar)), DataType.FLOAT).getFloat(0));
    }

    @Test
    void viewsAndFortranOrderAreWrittenInCOrder() throws IOException {
        INDArray big = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 4, 6);
        INDArray view = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5));
        assertEquals(view, Npy.read(new ByteArrayInputStream(write(view)), DataType.FLOAT, 2, 3));
        INDArray f = big.dup('f');
        assertEquals(big, Npy.read(new ByteArrayInputStream(write(f)), DataType.FLOAT, 4, 6));
    }

    @Test
    void headerIsNumpysFormat() throws IOException {
        byte[] b = write(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {4, 5, 6}}));
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "numpy pads the header to a multiple of 64 bytes");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertEquals(10 + headerLen + 6 * 4, b.length);
        // little-endian 1.0f right after the header
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3f}, Arrays.copyOfRange(b, 10 + headerLen, 14 + headerLen));
    }

    @Test
    void readsAFileWrittenByNumpy() throws IOException {
        // np.save of np.array([[1.5, -2.0]], dtype='<f8'): the 1.0 format with numpy's own spacing
        ByteBuffer v = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        v.putDouble(1.5).putDouble(-2.0);
        byte[] file = raw("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }", v.array());
        INDArray a = Npy.read(new ByteArrayInputStream(file), DataType.DOUBLE, 1, 2);
        assertEquals(Nd4j.createFromArray(new double[][]{{1.5, -2.0}}), a);
    }

    @Test
    void refusesWhatTheCallerDidNotExpectBeforeReadingValues() throws IOException {
        byte[] b = write(Nd4j.rand(DataType.FLOAT, 2, 3));
        assertTrue(thrown(b, DataType.FLOAT, 3, 2).contains("shape [2, 3], expected [3, 2]"));
        assertTrue(thrown(b, DataType.DOUBLE, 2, 3).contains("'<f4', expected '<f8'"));
        assertTrue(thrown(Arrays.copyOf(b, b.length - 1), DataType.FLOAT, 2, 3).contains("truncated"));
        byte[] longer = Arrays.copyOf(b, b.length + 4);
        assertTrue(thrown(longer, DataType.FLOAT, 2, 3).contains("more .npy data"));
        assertTrue(thrown("not an array".getBytes(StandardCharsets.US_ASCII), DataType.FLOAT, 1).contains("bad magic"));
        byte[] fortran = raw("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", new byte[24]);
        assertTrue(thrown(fortran, DataType.FLOAT, 2, 3).contains("Fortran"));
        byte[] bigEndian = raw("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", new byte[24]);
        assertTrue(thrown(bigEndian, DataType.FLOAT, 2, 3).contains("'>f4'"));
        byte[] code = raw("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertTrue(thrown(code, DataType.FLOAT, 1).contains("unreadable .npy header"), "pickled objects are never read");
        // a shape that would need gigabytes is refused by its header alone
        byte[] huge = raw("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999, 99), }", new byte[24]);
        assertTrue(thrown(huge, DataType.FLOAT, 2, 3).contains("expected [2, 3]"));
        assertTrue(assertThrows(Npy.FormatException.class, () -> Npy.readUpTo(new ByteArrayInputStream(huge), DataType.FLOAT,
                1000)).getMessage().contains("more than the 1000 allowed"));
    }

    /** A .npy file with this header dictionary and these data bytes. */
    private static byte[] raw(String dict, byte[] data) throws IOException {
        String header = dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        return out.toByteArray();
    }

    private static String thrown(byte[] b, DataType t, long... shape) {
        return assertThrows(Npy.FormatException.class, () -> Npy.read(new ByteArrayInputStream(b), t, shape)).getMessage();
    }
}
