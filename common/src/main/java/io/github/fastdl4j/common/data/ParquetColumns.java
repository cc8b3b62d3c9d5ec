package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.data.ParquetTable.Column;
import io.github.fastdl4j.common.data.ParquetTable.Kind;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading a Parquet file's columns into {@link ParquetTable}'s primitive arrays, row group after
 * row group, through parquet-java's column readers (no record objects): the decoding half of
 * {@link ParquetTable}, which finds the files, checks them and describes the result.
 */
final class ParquetColumns {

    private ParquetColumns() {
    }

    static void readFile(Path f, ParquetFileReader r, List<Builder> builders, int offset) throws IOException {
        long expected = r.getRecordCount();
        int start = offset;
        MessageType schema = r.getFooter().getFileMetaData().getSchema();
        String createdBy = r.getFooter().getFileMetaData().getCreatedBy();
        List<Type> fields = new ArrayList<>();
        for (Builder b : builders) {
            fields.add(schema.getType(b.name));
        }
        MessageType projection = new MessageType(schema.getName(), fields);
        r.setRequestedSchema(projection);
        PageReadStore pages;
        while ((pages = r.readNextRowGroup()) != null) {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages, new GroupRecordConverter(projection).getRootConverter(),
                    projection, createdBy);
            int count = Math.toIntExact(pages.getRowCount());
            if (offset - start + (long) count > expected) {
                throw new IOException("row groups hold more rows than the footer's " + expected);
            }
            for (Builder b : builders) {
                ColumnDescriptor d = projection.getColumnDescription(new String[]{b.name});
                b.read(store.getColumnReader(d), d.getMaxDefinitionLevel(), offset, count);
            }
            offset += count;
        }
        if (offset - start != expected) {
            throw new IOException("row groups hold " + (offset - start) + " rows, the footer says " + expected);
        }
    }

    /** One column being filled, row group after row group. */
    static final class Builder {
        final String name;
        final PrimitiveType type;
        final Kind kind;
        final int[] ints;
        final long[] longs;
        final float[] floats;
        final double[] doubles;
        final String[] texts;
        final BitSet nulls = new BitSet();
        // one String per distinct value while there are few (categories), as CsvColumn does
        private Map<Binary, String> distinct = new HashMap<>();

        Builder(String name, PrimitiveType type, int n) {
            this.name = name;
            this.type = type;
            this.kind = kind(type);
            ints = kind == Kind.INT || kind == Kind.BOOLEAN || kind == Kind.DATE ? new int[n] : null;
            longs = kind == Kind.LONG || kind == Kind.TIMESTAMP ? new long[n] : null;
            floats = kind == Kind.FLOAT ? new float[n] : null;
            doubles = kind == Kind.DOUBLE ? new double[n] : null;
            texts = kind == Kind.TEXT ? new String[n] : null;
        }

        void read(ColumnReader c, int maxDef, int offset, int count) {
            LogicalTypeAnnotation l = type.getLogicalTypeAnnotation();
            PrimitiveType.PrimitiveTypeName physical = type.getPrimitiveTypeName();
            int scale = l instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d ? d.getScale() : 0;
            long perSecond = l instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t ? switch (t.getUnit()) {
                case MILLIS -> 1_000L;
                case MICROS -> 1_000_000L;
                case NANOS -> 1_000_000_000L;
            } : 1;
            int end = offset + count;
            // the common kinds each get a loop of their own (the JIT compiles a small loop per kind, soon), the rare ones share one
            if (kind == Kind.INT || kind == Kind.DATE) {
                for (int i = offset; i < end; i++) {
                    if (present(c, maxDef, i)) {
                        ints[i] = c.getInteger();
                        c.consume();
                    }
                }
            } else if (kind == Kind.LONG && physical == PrimitiveType.PrimitiveTypeName.INT64) {
                for (int i = offset; i < end; i++) {
                    if (present(c, maxDef, i)) {
                        longs[i] = c.getLong();
                        c.consume();
                    }
                }
            } else if (kind == Kind.FLOAT) {
                for (int i = offset; i < end; i++) {
                    if (present(c, maxDef, i)) {
                        floats[i] = c.getFloat();
                        c.consume();
                    }
                }
            } else if (kind == Kind.DOUBLE && l == null) {
                for (int i = offset; i < end; i++) {
                    if (present(c, maxDef, i)) {
                        doubles[i] = c.getDouble();
                        c.consume();
                    }
                }
            } else if (kind == Kind.TEXT) {
                for (int i = offset; i < end; i++) {
                    if (present(c, maxDef, i)) {
                        texts[i] = text(c.getBinary());
                        c.consume();
                    }
                }
            } else {
                for (int i = offset; i < end; i++) {
                    if (!present(c, maxDef, i)) {
                        continue;
                    }
                    switch (kind) {
                        case BOOLEAN -> ints[i] = c.getBoolean() ? 1 : 0;
                        case LONG -> longs[i] = Integer.toUnsignedLong(c.getInteger());
                        case TIMESTAMP -> longs[i] = physical == PrimitiveType.PrimitiveTypeName.INT96 ? int96Seconds(c.getBinary())
                                : Math.floorDiv(c.getLong(), perSecond);
                        case DOUBLE -> doubles[i] = decimal(c, physical, scale);
                        default -> throw new IllegalStateException(kind.name());
                    }
                    c.consume();
                }
            }
        }

        /** Whether row {@code i} has a value; a null is marked and passed over. */
        private boolean present(ColumnReader c, int maxDef, int i) {
            if (maxDef > 0 && c.getCurrentDefinitionLevel() < maxDef) {
                nulls.set(i);
                c.consume();
                return false;
            }
            return true;
        }

        private String text(Binary b) {
            if (distinct == null) {
                return b.toStringUsingUTF8();
            }
            String s = distinct.get(b);
            if (s == null) {
                s = b.toStringUsingUTF8();
                distinct.put(b.copy(), s);
                if (distinct.size() > 100_000) {
                    distinct = null; // ids, names, comments: interning would only cost
                }
            }
            return s;
        }

        private static double decimal(ColumnReader c, PrimitiveType.PrimitiveTypeName physical, int scale) {
            BigInteger unscaled = switch (physical) {
                case INT32 -> BigInteger.valueOf(c.getInteger());
                case INT64 -> BigInteger.valueOf(c.getLong());
                default -> new BigInteger(c.getBinary().getBytes());
            };
            return new BigDecimal(unscaled, scale).doubleValue();
        }

        /** INT96: nanoseconds of the day (8 bytes) then the Julian day (4 bytes), little-endian. */
        private static long int96Seconds(Binary b) {
            ByteBuffer buf = b.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long nanos = buf.getLong();
            int julianDay = buf.getInt();
            return (julianDay - 2_440_588L) * 86_400L + Math.floorDiv(nanos, 1_000_000_000L);
        }

        Column build() {
            return new Column(name, kind, describe(type), ints, longs, floats, doubles, texts, nulls);
        }
    }

    /** Why a top-level field is not read, or null when it is. */
    static String unreadable(Type t) {
        if (!t.isPrimitive()) {
            LogicalTypeAnnotation l = t.getLogicalTypeAnnotation();
            return l instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation ? "a list"
                    : l instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation ? "a map" : "a struct (nested columns)";
        }
        if (t.isRepetition(Type.Repetition.REPEATED)) {
            return "a repeated field (a list)";
        }
        return kind(t.asPrimitiveType()) == null ? "type " + describe(t.asPrimitiveType()) : null;
    }

    static String describe(PrimitiveType p) {
        LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
        return p.getPrimitiveTypeName() + (l == null ? "" : " (" + l + ")");
    }

    /** The kind a primitive column is read as, or null for a type not read. */
    static Kind kind(PrimitiveType p) {
        LogicalTypeAnnotation l = p.getLogicalTypeAnnotation();
        if (l instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) {
            return Kind.DOUBLE;
        }
        return switch (p.getPrimitiveTypeName()) {
            case BOOLEAN -> l == null ? Kind.BOOLEAN : null;
            case INT32 -> l == null ? Kind.INT
                    : l instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation ? Kind.DATE
                    : l instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i ? (i.isSigned() ? Kind.INT : Kind.LONG) : null;
            case INT64 -> l == null ? Kind.LONG
                    : l instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ? Kind.TIMESTAMP
                    : l instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation i && i.isSigned() ? Kind.LONG : null;
            case INT96 -> Kind.TIMESTAMP; // Spark's and Impala's legacy timestamps
            case FLOAT -> l == null ? Kind.FLOAT : null;
            case DOUBLE -> l == null ? Kind.DOUBLE : null;
            case BINARY -> l == null || l instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                    || l instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                    || l instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation ? Kind.TEXT : null;
            default -> null;
        };
    }
}
