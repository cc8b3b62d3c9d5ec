package io.github.fastdl4j.common.dl4j;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.LegacyNd4jArrays;
import io.github.fastdl4j.common.io.Npy;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The {@code network.zip} entry of fastdl4j 0.1's model zips: a network in DL4J's
 * ModelSerializer format. Only the parameters ({@code coefficients.bin}) and the updater state
 * ({@code updaterState.bin}) are read, with the lengths the rebuilt network expects; the
 * configuration is not needed (the network is rebuilt from the model's spec), and any entry that
 * ModelSerializer would hand to Java deserialization ({@code preprocessor.bin}, {@code objects/...})
 * or that we do not know refuses the file: loading a model never runs code from it.
 */
final class LegacyNetworkZip {

    private LegacyNetworkZip() {
    }

    /** Returns {parameters, updater state or null}, each as a flat array of the expected length. */
    static INDArray[] read(Path file, byte[] zipBytes, INDArray params, INDArray state) {
        INDArray p = null;
        INDArray s = null;
        Set<String> seen = new HashSet<>();
        long[] skipped = {0};
        try (ZipInputStream zin = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                String name = e.getName();
                if (!seen.add(name) || seen.size() > 8) {
                    throw BadInputException.inFile(file, "refused: its DL4J network.zip repeats '" + name
                            + "' or holds more entries than a network has");
                }
                switch (name) {
                    case "configuration.json", "noParams.marker" -> skip(zin, skipped);
                    case "coefficients.bin" -> p = array(file, name, zin, params);
                    case "updaterState.bin" -> s = state == null ? null : array(file, name, zin, state);
                    default -> throw BadInputException.inFile(file, "refused: its DL4J network holds '" + name
                            + "', which DL4J reads by Java deserialization (it could run code); fastdl4j never loads"
                            + " such entries: retrain the model to get a safe model.zip");
                }
            }
        } catch (IOException e) {
            throw BadInputException.inFile(file, "entry network.zip is not a readable zip: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (p == null) {
            throw BadInputException.inFile(file, "entry network.zip holds no coefficients.bin");
        }
        return new INDArray[]{p, s};
    }

    private static INDArray array(Path file, String name, ZipInputStream zin, INDArray like) throws IOException {
        // the array's own header is checked against the expected length before its values are read;
        // the bytes read here are bounded by what that many values take, plus the header
        long limit = like.length() * 8 + 4096;
        byte[] b = zin.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, limit + 1));
        if (b.length > limit) {
            throw BadInputException.inFile(file, "network.zip/" + name + " is larger than the network's "
                    + like.length() + " values");
        }
        try {
            return LegacyNd4jArrays.read(b, like.dataType(), like.length());
        } catch (Npy.FormatException e) {
            throw BadInputException.inFile(file, "network.zip/" + name + ": " + e.getMessage());
        }
    }

    private static void skip(ZipInputStream zin, long[] total) throws IOException {
        // read and drop, but bounded: a configuration is a few hundred kilobytes at most
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = zin.read(buf)) > 0) {
            total[0] += n;
            if (total[0] > 16L << 20) {
                throw new IOException("configuration larger than 16 MB");
            }
        }
    }
}
