package io.github.fastdl4j.common.data;

import io.github.fastdl4j.common.io.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Finds a data set like fastai's {@code untar_data}: (1) a local folder given by a command-line
 * flag or the {@code FASTDL4J_DATA} environment variable, (2) the cache
 * ({@code ~/.fastdl4j/data}, or {@code $FASTDL4J_HOME/data}), (3) a download from the data set's
 * public home, checked with SHA-256 and moved into the cache only once complete: a failed or
 * mismatching download leaves nothing behind.
 */
public final class Datasets {

    /** Environment variable naming a folder that holds data sets (one subfolder per data set). */
    public static final String DATA_ENV = "FASTDL4J_DATA";
    /** Environment variable for fastdl4j's home (cache); default {@code ~/.fastdl4j}. */
    public static final String HOME_ENV = "FASTDL4J_HOME";

    private static final Logger log = LoggerFactory.getLogger(Datasets.class);

    private final Map<String, DatasetSpec> registry;
    private final Path cacheDir;
    private final Optional<Path> dataDir;
    private HttpClient http;

    /**
     * @param registry data sets by name
     * @param cacheDir where downloads are kept
     * @param dataDir  a local folder to look in first (flag or environment), if any
     */
    public Datasets(Map<String, DatasetSpec> registry, Path cacheDir, Optional<Path> dataDir) {
        this.registry = Map.copyOf(registry);
        this.cacheDir = cacheDir;
        this.dataDir = dataDir;
    }

    /** Made on the first download only: an HttpClient starts a selector thread. */
    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .connectTimeout(Duration.ofSeconds(20))
                    .build();
        }
        return http;
    }

    /** The standard registry, cache and {@code FASTDL4J_DATA}, with an optional {@code --data-dir} that wins. */
    public static Datasets standard(Path dataDirFlag) {
        Optional<Path> dir = Optional.ofNullable(dataDirFlag)
                .or(() -> Optional.ofNullable(System.getenv(DATA_ENV)).filter(s -> !s.isBlank()).map(Path::of));
        return new Datasets(registered(), defaultCache(), dir);
    }

    /** Resolves a registered data set with the standard settings; see {@link #get(String)}. */
    public static Path resolve(String name) {
        return standard(null).get(name);
    }

    /** Resolves with a {@code --data-dir} folder (may be null) looked at first. */
    public static Path resolve(String name, Path dataDirFlag) {
        return standard(dataDirFlag).get(name);
    }

    /**
     * The cache folder: {@code $FASTDL4J_HOME/data}, else {@code $HOME/.fastdl4j/data} (as other
     * command-line tools honour {@code HOME}), else the JVM's {@code user.home}.
     */
    public static Path defaultCache() {
        return defaultCache(System.getenv(HOME_ENV), System.getenv("HOME"), System.getProperty("user.home"));
    }

    static Path defaultCache(String fastdl4jHome, String home, String userHome) {
        Path base = fastdl4jHome != null && !fastdl4jHome.isBlank() ? Path.of(fastdl4jHome)
                : Path.of(home != null && !home.isBlank() ? home : userHome, ".fastdl4j");
        return base.resolve("data");
    }

    /** The data sets fastdl4j knows. */
    public static Map<String, DatasetSpec> registered() {
        Map<String, DatasetSpec> m = new LinkedHashMap<>();
        // Hashes of u.data and u.user are those of the files of the 1998 release; u.item is only
        // checked for presence, because copies differ in how they encode its accented titles.
        m.put("ml-100k", new DatasetSpec("ml-100k", List.of("u.data", "u.item", "u.user"),
                Map.of("u.data", "06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490",
                        "u.user", "f120e114da2e8cf314fd28f99417c94ae9ddf1cb6db8ce0e4b5995d40e90e62c"),
                new DatasetSpec.ZipArchive(URI.create("https://files.grouplens.org/datasets/movielens/ml-100k.zip"), "ml-100k/"),
                "https://grouplens.org/datasets/movielens/100k/"));
        // MNIST: hashes of the uncompressed (canonical) IDX bytes, so any faithful gzip mirror works.
        m.put("mnist", new DatasetSpec("mnist",
                List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
                Map.of("train-images-idx3-ubyte.gz", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                        "train-labels-idx1-ubyte.gz", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                        "t10k-images-idx3-ubyte.gz", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                        "t10k-labels-idx1-ubyte.gz", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
                new DatasetSpec.PlainFiles(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/")),
                "http://yann.lecun.com/exdb/mnist/"));
        m.put("rossmann", new DatasetSpec("rossmann", List.of("train.csv", "store.csv"), Map.of(),
                new DatasetSpec.Manual("the Rossmann Store Sales files need a Kaggle login: download train.csv and "
                        + "store.csv (and optionally store_states.csv) from the competition's data page and put them in "
                        + "a folder named 'rossmann' under $" + DATA_ENV + " or --data-dir"),
                "https://www.kaggle.com/c/rossmann-store-sales"));
        return m;
    }

    /**
     * The folder holding the named data set's files, found or downloaded.
     *
     * @throws BadInputException with one line saying where it looked and how to provide the data
     */
    public Path get(String name) {
        DatasetSpec spec = registry.get(name);
        if (spec == null) {
            throw new BadInputException("unknown data set '" + name + "': known are " + registry.keySet());
        }
        List<String> looked = new ArrayList<>();
        if (dataDir.isPresent()) {
            Path d = dataDir.get();
            for (Path candidate : List.of(d.resolve(name), d)) {
                if (complete(spec, candidate)) {
                    log.debug("{} found in {}", name, candidate);
                    return candidate;
                }
            }
            looked.add(d.resolve(name).toString());
        }
        Path cached = cacheDir.resolve(name);
        if (complete(spec, cached)) {
            log.debug("{} found in cache {}", name, cached);
            return cached;
        }
        looked.add(cached.toString());
        String where = "looked in " + String.join(" and ", looked);
        if (spec.source() instanceof DatasetSpec.Manual manual) {
            throw new BadInputException(name + " not found (" + where + "; need " + spec.files() + "): " + manual.howTo());
        }
        try {
            return download(spec);
        } catch (IOException | UncheckedIOException | BadInputException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new BadInputException(name + " not found (" + where + ") and its download failed: " + why
                    + ". Offline? Put " + spec.files() + " in a folder '" + name + "' under $" + DATA_ENV
                    + " or --data-dir.", e);
        }
    }

    private static boolean complete(DatasetSpec spec, Path dir) {
        return Files.isDirectory(dir) && spec.files().stream().allMatch(f -> Files.isRegularFile(dir.resolve(f)));
    }

    private Path download(DatasetSpec spec) throws IOException {
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, "." + spec.name() + "-");
        try {
            if (spec.source() instanceof DatasetSpec.PlainFiles plain) {
                for (String f : spec.files()) {
                    fetch(plain.baseUrl().resolve(f), staging.resolve(f));
                }
            } else if (spec.source() instanceof DatasetSpec.ZipArchive zip) {
                Path archive = staging.resolve(".archive.zip");
                fetch(zip.url(), archive);
                extract(archive, zip.folderInZip(), spec.files(), staging);
                Files.delete(archive);
            } else {
                throw new IllegalStateException("no download for " + spec.name());
            }
            for (String f : spec.files()) {
                Path p = staging.resolve(f);
                if (!Files.isRegularFile(p)) {
                    throw new BadInputException("the download lacks " + f);
                }
                String want = spec.sha256().get(f);
                if (want != null) {
                    String got = sha256(p, f.endsWith(".gz"));
                    if (!got.equalsIgnoreCase(want)) {
                        throw new BadInputException("checksum mismatch for " + f + ": SHA-256 " + got + ", expected " + want);
                    }
                }
            }
            Path target = cacheDir.resolve(spec.name());
            try {
                Files.move(staging, target);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // An incomplete folder by that name (e.g. files removed by hand): replace it.
                deleteTree(target);
                Files.move(staging, target);
            }
            log.info("{} downloaded to {}", spec.name(), target);
            return target;
        } finally {
            deleteTree(staging);
        }
    }

    private void fetch(URI url, Path target) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build();
        HttpResponse<InputStream> resp;
        try {
            resp = http().send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        try (InputStream body = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException(url + " answered HTTP " + resp.statusCode());
            }
            // said once the server answers: offline, the error is the only line
            System.out.println("Downloading " + url);
            AtomicFiles.write(target, body::transferTo);
        }
    }

    private static void extract(Path archive, String folder, List<String> wanted, Path dir) throws IOException {
        try (ZipInputStream zin = new ZipInputStream(new BufferedInputStream(Files.newInputStream(archive)))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory() || !e.getName().startsWith(folder)) {
                    continue;
                }
                String rel = e.getName().substring(folder.length());
                if (wanted.contains(rel)) {
                    try (OutputStream out = Files.newOutputStream(dir.resolve(rel))) {
                        zin.transferTo(out);
                    }
                }
            }
        }
    }

    /** Hex SHA-256 of a file's bytes, or of its gunzipped bytes when {@code gunzip} is set. */
    public static String sha256(Path file, boolean gunzip) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             InputStream in = new DigestInputStream(gunzip ? new GZIPInputStream(raw) : raw, md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
