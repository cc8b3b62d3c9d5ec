package io.github.fastdl4j.serve.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.train.ModelArchive;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The models the server answers with, by id. Each {@code --runs} folder is scanned for run
 * folders (a {@code .fastdl4j-run} marker and a {@code model.zip}); each {@code --model-file} is one
 * model. {@link #scan()} (called every ~2 s) loads what appeared or changed (by the model file's
 * identity, size and time: runs are renamed into place whole) and drops what went away; a model
 * that fails to load is logged in one line and skipped, and tried again only when its file changes.
 * Entries are immutable and swapped whole, so a request that took one finishes on it.
 * Requests name models only by id (the run folder's name, suffixed {@code -2}, {@code -3} ... when
 * two folders share a name), never by path.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    /**
     * One loaded model and what the API says about it.
     *
     * @param id         the id requests use
     * @param served     the model
     * @param metrics    the run's final metrics (metrics.json's {@code final}), or an empty object
     * @param provenance the provenance saved in the zip, or an empty object
     * @param loadedAt   when this version was loaded
     * @param report     the run's whole metrics.json (epochs, config), or an empty object
     * @param summary    the run's summary.txt, or null
     * @param runDir     the folder holding the model zip (its charts are listed from it on request)
     */
    public record Entry(String id, Served served, JsonNode metrics, JsonNode provenance, Instant loadedAt, JsonNode report,
                        String summary, Path runDir) {

        /**
         * The run's pictures by name: {@code charts/*.png} as {@code name.png} (loss, lr, the module's
         * charts) and {@code interpret/*.png} as {@code interpret-name.png} (what {@code interpret}
         * wrote later: vision's confusion matrix and top losses). Listed now, so later ones show.
         */
        public Map<String, Path> charts() {
            Map<String, Path> out = new TreeMap<>();
            list(runDir.resolve("charts"), "", out);
            list(runDir.resolve("interpret"), "interpret-", out);
            return out;
        }

        private static void list(Path dir, String prefix, Map<String, Path> out) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path c : ds) {
                    String name = c.getFileName().toString();
                    if (CHART.matcher(name).matches() && Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS)) {
                        out.put(prefix + name, c);
                    }
                }
            } catch (IOException e) {
                // a run being replaced: no pictures this time
            }
        }
    }

    /** Chart file names served (a request names one of these exactly, never a path). */
    private static final Pattern CHART = Pattern.compile("[A-Za-z0-9_.-]{1,100}\\.png");

    /** Loads a model zip into what the server answers with. */
    @FunctionalInterface
    public interface Loader {
        Served load(String id, Path modelZip, ModelArchive archive);
    }

    /** Publishes a freshly loaded entry (a hook to do it under another lock, e.g. the feedback log's). */
    @FunctionalInterface
    public interface Publisher {
        void publish(Entry entry, Runnable put);
    }

    private record Source(Path file, boolean runFolder) {
    }

    private record Signature(Object key, long size, long modified, long markerModified) {
    }

    private final List<Path> runDirs;
    private final List<Path> modelFiles;
    private final Map<String, Loader> loaders;
    private final Publisher publisher;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<Path, String> idOf = new HashMap<>();
    private final Map<Path, Signature> seen = new HashMap<>();
    private final Map<String, String> skipped = new ConcurrentHashMap<>();

    /**
     * @param loaders by module name (collab, tabular, vision): the module's own safe loader
     */
    public ModelRegistry(List<Path> runDirs, List<Path> modelFiles, Map<String, Loader> loaders, Publisher publisher) {
        this.runDirs = List.copyOf(runDirs);
        this.modelFiles = List.copyOf(modelFiles);
        this.loaders = Map.copyOf(loaders);
        this.publisher = publisher;
    }

    public Entry get(String id) {
        return id == null ? null : byId.get(id);
    }

    /** Every entry, by id. */
    public List<Entry> all() {
        List<Entry> l = new ArrayList<>(byId.values());
        l.sort(Comparator.comparing(Entry::id));
        return l;
    }

    /** Runs that failed to load, by id: why, in one line (without server paths). */
    public Map<String, String> skipped() {
        return new TreeMap<>(skipped);
    }

    public int size() {
        return byId.size();
    }

    /** Loads new and changed models, drops removed ones; returns how many entries changed. */
    public synchronized int scan() {
        Map<Path, Source> now = new LinkedHashMap<>();
        for (Path f : modelFiles) {
            now.put(f.toAbsolutePath().normalize(), new Source(f.toAbsolutePath().normalize(), false));
        }
        for (Path dir : runDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(children::add);
            } catch (IOException e) {
                LOG.warn("cannot list {}: {}", dir, BadInputException.reason(e));
                continue;
            }
            children.sort(Comparator.naturalOrder());
            for (Path c : children) {
                String name = c.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)
                        || !Files.isRegularFile(c.resolve(RunFolder.MARKER), LinkOption.NOFOLLOW_LINKS)
                        || !Files.isRegularFile(c.resolve("model.zip"), LinkOption.NOFOLLOW_LINKS)) {
                    continue; // a partial folder (hidden until its rename), or no model
                }
                Path zip = c.resolve("model.zip").toAbsolutePath().normalize();
                now.put(zip, new Source(zip, true));
            }
        }
        int changed = 0;
        for (Path gone : new ArrayList<>(seen.keySet())) {
            if (!now.containsKey(gone)) {
                seen.remove(gone);
                String id = idOf.remove(gone);
                if (id != null) {
                    skipped.remove(id);
                }
                Entry e = id == null ? null : byId.remove(id);
                if (e != null) {
                    LOG.info("model {} removed ({} is gone)", id, gone.getParent().getFileName());
                    e.served().retire();
                    changed++;
                }
            }
        }
        for (Source s : now.values()) {
            Signature sig = signature(s);
            if (sig == null || sig.equals(seen.get(s.file()))) {
                continue;
            }
            seen.put(s.file(), sig);
            String id = idOf.computeIfAbsent(s.file(), f -> uniqueId(baseId(s)));
            Entry entry = load(id, s);
            if (entry == null) {
                Entry stale = byId.remove(id);
                if (stale != null) {
                    stale.served().retire(); // replaced by a run that does not load: not the old model under its name
                    changed++;
                }
                continue;
            }
            skipped.remove(id);
            Entry[] old = new Entry[1];
            publisher.publish(entry, () -> old[0] = byId.put(id, entry));
            if (old[0] != null) {
                old[0].served().retire();
            }
            LOG.info("model {} loaded ({} {}){}", id, entry.served().module(), entry.served().kind(), old[0] != null ? ", replacing the previous one" : "");
            changed++;
        }
        return changed;
    }

    private static String baseId(Source s) {
        Path f = s.file();
        if (s.runFolder() || f.getFileName().toString().equals("model.zip")) {
            return f.getParent().getFileName().toString();
        }
        String name = f.getFileName().toString();
        return name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    }

    private String uniqueId(String base) {
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "_");
        if (clean.isEmpty() || clean.startsWith(".")) {
            clean = "model" + clean;
        }
        String id = clean;
        for (int n = 2; idOf.containsValue(id); n++) {
            id = clean + "-" + n;
        }
        return id;
    }

    private static Signature signature(Source s) {
        try {
            BasicFileAttributes a = Files.readAttributes(s.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile()) {
                return null;
            }
            long marker = 0;
            Path m = s.file().getParent().resolve(RunFolder.MARKER);
            if (s.runFolder() && Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
                marker = Files.getLastModifiedTime(m, LinkOption.NOFOLLOW_LINKS).toMillis();
            }
            return new Signature(Objects.requireNonNullElse(a.fileKey(), ""), a.size(), a.lastModifiedTime().toMillis(), marker);
        } catch (IOException e) {
            return null; // vanished while scanning: the next scan sees what is there
        }
    }

    private Entry load(String id, Source s) {
        Path zip = s.file();
        try {
            ModelArchive a = ModelArchive.open(zip);
            String module = a.has("collab") ? "collab" : a.has("pipeline") ? "tabular" : a.has("vision") ? "vision" : null;
            Loader loader = module == null ? null : loaders.get(module);
            if (loader == null) {
                throw BadInputException.inFile(zip, "a " + a.kindText() + ", which serve does not serve");
            }
            Served served = loader.load(id, zip, a);
            JsonNode provenance = a.has("provenance") ? a.json("provenance") : JsonNodeFactory.instance.objectNode();
            JsonNode report = JsonNodeFactory.instance.objectNode();
            Path metrics = zip.getParent().resolve("metrics.json");
            if (Files.isRegularFile(metrics, LinkOption.NOFOLLOW_LINKS) && Files.size(metrics) < 16 << 20) {
                try {
                    report = ModelArchive.JSON.readTree(metrics.toFile());
                } catch (IOException e) {
                    LOG.warn("model {}: unreadable metrics.json ({})", id, BadInputException.oneLine(String.valueOf(e.getMessage())));
                }
            }
            JsonNode fin = report.has("final") ? report.get("final") : JsonNodeFactory.instance.objectNode();
            String summary = null;
            Path sum = zip.getParent().resolve("summary.txt");
            if (Files.isRegularFile(sum, LinkOption.NOFOLLOW_LINKS) && Files.size(sum) < 256 << 10) {
                summary = Files.readString(sum, StandardCharsets.UTF_8);
            }
            return new Entry(id, served, fin, provenance, Instant.now(), report, summary, zip.getParent());
        } catch (RuntimeException | IOException | OutOfMemoryError e) {
            String why = BadInputException.oneLine(String.valueOf(e.getMessage())).replace(zip.toString(), "model.zip");
            LOG.warn("model {} not loaded: {}", id, why);
            skipped.put(id, why);
            return null;
        }
    }

    /** All entries' ids (for logs). */
    public Collection<String> ids() {
        return all().stream().map(Entry::id).toList();
    }
}
