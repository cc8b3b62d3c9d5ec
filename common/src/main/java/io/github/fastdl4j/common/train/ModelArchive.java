package io.github.fastdl4j.common.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.AtomicFiles;
import io.github.fastdl4j.common.io.Npy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * A saved model: one zip holding the model's own entries (a module's parameters as
 * {@code parameters/<name>.npy}, a DL4J network's as {@code network/params.npy}; see each
 * {@link Trainable}) and JSON entries ({@code <key>.json}) with what a job needs to predict from raw
 * inputs: vocabularies, normalisation statistics, config, provenance.
 *
 * <p>Reading never runs anything from the file: values are NumPy arrays of the shapes the model
 * expects and JSON bound to plain records, never Java serialization. A zip is read against limits
 * before anything is kept (entry count, names, each entry's declared and actual size, the total
 * against the file's size, so a small zip cannot unpack into gigabytes), and each loader then
 * {@linkplain #allowOnly refuses} any entry it does not know.
 */
public final class ModelArchive {

    /** Shared JSON settings for archive entries and run reports. */
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** At most this many entries. */
    static final int MAX_ENTRIES = 10_000;
    /** An entry holds at most this many bytes (a Java array's limit is 2 GiB). */
    static final long MAX_ENTRY_BYTES = 1L << 30;
    /**
     * All entries together unpack to at most this many times the zip's size, plus {@link #SLACK}:
     * parameters compress to ~90% and JSON to 10-30%, while a zip bomb's ratio is in the hundreds.
     */
    static final long MAX_RATIO = 50;
    static final long SLACK = 16L << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,120}(/[A-Za-z0-9_.-]{1,120}){0,3}");

    private final Path file;
    private final Map<String, Long> sizes;
    private final Map<String, byte[]> cache = new HashMap<>();

    private ModelArchive(Path file, Map<String, Long> sizes) {
        this.file = file;
        this.sizes = sizes;
    }

    /** Writes a model zip atomically: the model's entries, then each metadata value as {@code <key>.json}. */
    public static void write(Path file, Trainable model, Map<String, ?> metadata) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new Writer(out);
            model.save(w);
            for (Map.Entry<String, ?> e : metadata.entrySet()) {
                w.json(e.getKey(), e.getValue());
            }
            w.finish();
        });
    }

    /**
     * Writes a checkpoint atomically: the model's entries, its optimiser's state and the metadata
     * (which includes the fit's {@link FitState} under {@code fit}).
     */
    public static void writeCheckpoint(Path file, Trainable model, Map<String, ?> metadata) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new Writer(out);
            model.save(w);
            model.saveOptimizer(w);
            for (Map.Entry<String, ?> e : metadata.entrySet()) {
                w.json(e.getKey(), e.getValue());
            }
            w.finish();
        });
    }

    /**
     * Reads a checkpoint written by {@link #writeCheckpoint} into a freshly built {@code model}
     * (weights and optimiser state) and returns where the fit stood.
     */
    public FitState resumeInto(Trainable model, Set<String> metadataKeys) {
        Set<String> keys = new HashSet<>(metadataKeys);
        keys.add("fit");
        loadInto(model, keys);
        model.loadOptimizer(this);
        FitState f = json("fit", FitState.class);
        if (f.epochsDone() < 1 || f.iteration() < 0 || f.epochs() == null || f.epochs().size() != f.epochsDone()
                || f.batchLosses() == null || f.batchLrs() == null) {
            throw BadInputException.inFile(file, "entry fit.json does not describe a fit in progress");
        }
        return f;
    }

    /** Writes the entries of a model zip. */
    public static final class Writer {
        private final ZipOutputStream zip;
        private final Set<String> written = new TreeSet<>();

        Writer(OutputStream out) {
            this.zip = new ZipOutputStream(out);
        }

        /** A metadata entry {@code <key>.json}. */
        public void json(String key, Object value) throws IOException {
            // written straight into the zip: a 30M-rating collab model's seen.json is 200 MB, which as one
            // byte array (and the builder's copies of it) grew the heap at save time by half a gigabyte
            begin(key + ".json");
            JSON.writeValue(new FilterOutputStream(zip) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush(); // the entry ends with closeEntry, the zip with finish
                }
            }, value);
            zip.closeEntry();
        }

        /** An array as a NumPy {@code .npy} entry. */
        public void npy(String name, INDArray value) throws IOException {
            begin(name);
            Npy.write(value, zip);
            zip.closeEntry();
        }

        /** Any bytes (e.g. a DL4J configuration for DL4J users; never read back as code). */
        public void bytes(String name, byte[] content) throws IOException {
            begin(name);
            zip.write(content);
            zip.closeEntry();
        }

        private void begin(String name) throws IOException {
            if (!NAME.matcher(name).matches() || !written.add(name)) {
                throw new IllegalArgumentException("bad or repeated model zip entry name '" + name + "'");
            }
            zip.putNextEntry(new ZipEntry(name));
        }

        void finish() throws IOException {
            zip.finish();
        }
    }

    /**
     * Opens a model zip within the limits above, reading only its directory: the entry names are
     * checked, and the sizes the entries declare must fit the budget, which is computed from the
     * entries' packed sizes (not the file's, which a sparse file can inflate for free). An entry's
     * bytes are read when a loader asks for it, never more than it declares, so an entry no loader
     * knows is refused ({@link #allowOnly}) without being unpacked. Every failure (missing file, not
     * a zip, a name that could escape a folder, sizes beyond the limits) is one
     * {@link BadInputException} naming the file.
     */
    public static ModelArchive open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw BadInputException.inFile(file, Files.exists(file) ? "not a regular file (a model zip is needed)"
                    : "model file not found");
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            if (zip.size() > MAX_ENTRIES) {
                throw BadInputException.inFile(file, "not a fastdl4j model zip: " + zip.size() + " entries");
            }
            long declaredTotal = 0;
            long packedTotal = 0;
            String largest = null;
            long largestSize = -1;
            Enumeration<? extends ZipEntry> all = zip.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                String name = e.getName();
                if (!NAME.matcher(name).matches() || name.contains("..")) {
                    throw BadInputException.inFile(file, "refused: entry name '" + printable(name)
                            + "' is not a plain relative name (a zip-slip or foreign archive)");
                }
                if (sizes.containsKey(name)) {
                    throw BadInputException.inFile(file, "refused: entry '" + name + "' appears twice");
                }
                long declared = e.getSize();
                if (declared < 0 || declared > MAX_ENTRY_BYTES) {
                    throw BadInputException.inFile(file, "refused: entry '" + name + "' declares " + declared
                            + " bytes (at most " + MAX_ENTRY_BYTES + ")");
                }
                declaredTotal += declared;
                packedTotal += Math.max(0, e.getCompressedSize());
                if (declared > largestSize) {
                    largestSize = declared;
                    largest = name;
                }
                sizes.put(name, declared);
            }
            long budget = packedTotal * MAX_RATIO + SLACK;
            if (declaredTotal > budget) {
                throw BadInputException.inFile(file, "refused: its entries would unpack to " + declaredTotal + " bytes from "
                        + packedTotal + " packed (the largest, '" + largest + "', " + largestSize + "), beyond the limit of "
                        + budget + " (a zip bomb?)");
            }
        } catch (ZipException e) {
            throw BadInputException.inFile(file, "not a readable model zip: " + String.valueOf(e.getMessage()));
        } catch (IOException e) {
            throw BadInputException.inFile(file, "not a readable model zip: " + reason(e));
        }
        if (sizes.isEmpty()) {
            throw BadInputException.inFile(file, "not a fastdl4j model zip (no entries)");
        }
        return new ModelArchive(file, sizes);
    }

    /** An entry's bytes, read on first use (exactly the size it declares), or null when absent. */
    private byte[] read(String name) {
        if (!sizes.containsKey(name)) {
            return null;
        }
        return cache.computeIfAbsent(name, n -> {
            long declared = sizes.get(n);
            try (ZipFile zip = new ZipFile(file.toFile())) {
                ZipEntry e = zip.getEntry(n);
                if (e == null) {
                    throw BadInputException.inFile(file, "entry '" + n + "' disappeared while reading (the file changed)");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] b = in.readNBytes((int) declared);
                    if (b.length != declared || in.read() != -1) {
                        throw BadInputException.inFile(file, "refused: entry '" + n + "' does not hold the " + declared
                                + " bytes its header declares");
                    }
                    return b;
                }
            } catch (ZipException ex) {
                throw BadInputException.inFile(file, "entry '" + n + "' is damaged: " + String.valueOf(ex.getMessage()));
            } catch (IOException ex) {
                throw BadInputException.inFile(file, "entry '" + n + "' is unreadable: " + reason(ex));
            }
        });
    }

    private static String reason(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName()
                .replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
                + ": " + e.getMessage();
    }

    /** The unpacked size of all entries together: a bound on what the model it holds can be. */
    public long totalBytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The file this archive was read from. */
    public Path file() {
        return file;
    }

    public Set<String> entryNames() {
        return sizes.keySet();
    }

    /** Whether the metadata entry {@code <key>.json} is present. */
    public boolean has(String key) {
        return sizes.containsKey(key + ".json");
    }

    /** Whether an entry of this exact name is present. */
    public boolean hasEntry(String name) {
        return sizes.containsKey(name);
    }

    /**
     * Refuses the archive if it holds any entry outside {@code metadataKeys}' JSON entries and the
     * names {@code modelEntries} accepts: a loader knows every entry it reads, so anything else
     * (a serialized object, a file planted beside the weights) is a sign of a foreign or crafted zip.
     */
    public void allowOnly(Set<String> metadataKeys, Predicate<String> modelEntries) {
        for (String name : sizes.keySet()) {
            boolean meta = name.endsWith(".json") && metadataKeys.contains(name.substring(0, name.length() - 5));
            if (!meta && !modelEntries.test(name)) {
                throw BadInputException.inFile(file, "refused: unexpected entry '" + name + "' (a " + kindText()
                        + " holds only its parameters and " + new TreeSet<>(metadataKeys) + " JSON entries)");
            }
        }
    }

    /**
     * Reads the model's own entries into {@code model}, after {@link #allowOnly checking} that the
     * zip holds nothing else.
     */
    public <T extends Trainable> T loadInto(T model, Set<String> metadataKeys) {
        allowOnly(metadataKeys, model::ownsEntry);
        model.load(this);
        return model;
    }

    /** A JSON entry as a tree. */
    public JsonNode json(String key) {
        return json(key, JsonNode.class);
    }

    /** A JSON entry bound to a type. */
    public <T> T json(String key, Class<T> type) {
        byte[] b = read(key + ".json");
        if (b == null) {
            throw BadInputException.inFile(file, "model zip lacks entry " + key + ".json");
        }
        try {
            T value = JSON.readValue(b, type);
            if (value == null) {
                throw BadInputException.inFile(file, "entry " + key + ".json is empty (null)");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException d) {
                throw d;
            }
            throw BadInputException.inFile(file, "entry " + key + ".json is not valid: " + firstLine(e.getMessage()));
        }
    }

    /** A JSON entry bound to a generic type, e.g. {@code new TypeReference<List<String>>() {}}. */
    public <T> T json(String key, TypeReference<T> type) {
        try {
            return JSON.convertValue(json(key), JSON.getTypeFactory().constructType(type));
        } catch (IllegalArgumentException e) {
            throw BadInputException.inFile(file, "entry " + key + ".json is not valid: " + firstLine(e.getMessage()));
        }
    }

    /** An entry's raw bytes, or null when absent. */
    public byte[] bytes(String name) {
        return read(name);
    }

    /** A {@code .npy} entry that must have exactly this type and shape. */
    public INDArray npy(String name, DataType type, long... shape) {
        byte[] b = read(name);
        if (b == null) {
            throw BadInputException.inFile(file, "model zip lacks entry " + name);
        }
        try {
            INDArray a = Npy.read(new ByteArrayInputStream(b), type, shape);
            // a trained model holds finite numbers (training stops at the first NaN): anything else is damage
            if (a.length() > 0 && !Double.isFinite(a.sumNumber().doubleValue())) {
                throw BadInputException.inFile(file, "entry " + name + " holds values that are not finite numbers");
            }
            return a;
        } catch (IOException e) {
            throw BadInputException.inFile(file, "entry " + name + ": " + e.getMessage());
        }
    }

    /** What kind of fastdl4j model this is, from its provenance or its spec entries (for messages). */
    public String kindText() {
        if (has("provenance")) {
            try {
                JsonNode p = JSON.readTree(new String(read("provenance.json"), StandardCharsets.UTF_8));
                if (p.path("job").isTextual()) {
                    return p.path("job").asText() + " model (" + p.path("model").asText("?") + ")";
                }
            } catch (IOException | RuntimeException ignored) {
                // fall through to the entries
            }
        }
        for (String job : new String[]{"collab", "vision"}) {
            if (has(job)) {
                return job + " model";
            }
        }
        return has("pipeline") ? "tabular model" : "model zip";
    }

    /**
     * Refuses the archive unless it is a model of {@code job}, naming what it is instead (a vision
     * model given to {@code collab similar} says so).
     */
    public void requireJob(String job, String specKey) {
        if (!has(specKey)) {
            throw BadInputException.inFile(file, "this is a " + kindText() + ", not a " + job + " model");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.length() > 80 ? b.substring(0, 80) + "..." : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
