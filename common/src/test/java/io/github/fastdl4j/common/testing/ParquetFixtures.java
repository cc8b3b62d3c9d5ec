package io.github.fastdl4j.common.testing;

import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes small Parquet files for tests, with parquet-java's example writer (so no binary fixture
 * is committed): a schema in Parquet's text form and rows of values in its field order, null for
 * a null (an optional field), Integer/Long/Float/Double/Boolean/String/byte[] for the physical types.
 */
public final class ParquetFixtures {

    private ParquetFixtures() {
    }

    /** Writes {@code rows} to {@code file} (snappy, as Spark and pandas write by default); row groups of {@code rowGroupRows} rows at most. */
    public static Path write(Path file, String schema, List<Object[]> rows) {
        return write(file, schema, rows, CompressionCodecName.SNAPPY, 0);
    }

    public static Path write(Path file, String schema, List<Object[]> rows, CompressionCodecName codec, int rowGroupBytes) {
        return write(file, schema, rows, codec, rowGroupBytes, false);
    }

    /** {@code pageV2}: data pages of Parquet's format 2 (levels uncompressed before the values), as Spark can be set to write. */
    public static Path write(Path file, String schema, List<Object[]> rows, CompressionCodecName codec, int rowGroupBytes,
                             boolean pageV2) {
        MessageType s = MessageTypeParser.parseMessageType(schema);
        SimpleGroupFactory f = new SimpleGroupFactory(s);
        try {
            Files.deleteIfExists(file);
            ExampleParquetWriter.Builder b = ExampleParquetWriter.builder(new LocalOutputFile(file))
                    .withConf(new PlainParquetConfiguration()).withType(s).withCompressionCodec(codec)
                    .withWriterVersion(pageV2 ? ParquetProperties.WriterVersion.PARQUET_2_0
                            : ParquetProperties.WriterVersion.PARQUET_1_0);
            if (rowGroupBytes > 0) {
                b = b.withRowGroupSize((long) rowGroupBytes).withPageSize(Math.min(rowGroupBytes, 1024)).withMinRowCountForPageSizeCheck(1);
            }
            try (ParquetWriter<Group> w = b.build()) {
                for (Object[] row : rows) {
                    Group g = f.newGroup();
                    for (int j = 0; j < row.length; j++) {
                        String name = s.getFieldName(j);
                        Object v = row[j];
                        if (v == null) {
                            continue;
                        } else if (v instanceof Integer i) {
                            g.append(name, i);
                        } else if (v instanceof Long l) {
                            g.append(name, l);
                        } else if (v instanceof Float x) {
                            g.append(name, x);
                        } else if (v instanceof Double d) {
                            g.append(name, d);
                        } else if (v instanceof Boolean z) {
                            g.append(name, z);
                        } else if (v instanceof String t) {
                            g.append(name, t);
                        } else if (v instanceof byte[] bytes) {
                            g.append(name, Binary.fromConstantByteArray(bytes));
                        } else {
                            throw new IllegalArgumentException("no Parquet value for " + v.getClass());
                        }
                    }
                    w.write(g);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
