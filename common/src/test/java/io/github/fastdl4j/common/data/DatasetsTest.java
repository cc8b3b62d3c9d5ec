package io.github.fastdl4j.common.data;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resolution order and the download path, against a local HTTP server on 127.0.0.1. */
class DatasetsTest {

    private static final byte[] A = "alpha\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] B = "beta\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = served.get(ex.getRequestURI().getPath());
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/files/");
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(b);
        }
        return bo.toByteArray();
    }

    private DatasetSpec plainSpec(String hashA) throws Exception {
        return new DatasetSpec("toy", List.of("a.txt", "b.txt.gz"), Map.of("a.txt", hashA, "b.txt.gz", sha(B)),
                new DatasetSpec.PlainFiles(base()), "test");
    }

    private Datasets datasets(DatasetSpec spec, Path dataDir) {
        return new Datasets(Map.of(spec.name(), spec), tmp.resolve("cache"), Optional.ofNullable(dataDir));
    }

    @Test
    void downloadCachesAndSecondCallDoesNotDownload() throws Exception {
        served.put("/files/a.txt", A);
        served.put("/files/b.txt.gz", gzip(B)); // the hash is of the uncompressed content
        Datasets ds = datasets(plainSpec(sha(A)), null);
        Path dir = ds.get("toy");
        assertEquals(tmp.resolve("cache/toy"), dir);
        assertEquals("alpha\n", Files.readString(dir.resolve("a.txt")));
        int after = requests.get();
        assertEquals(2, after);
        assertEquals(dir, ds.get("toy"));
        assertEquals(after, requests.get(), "a cached data set is not downloaded again");
        assertEquals(List.of("toy"), listCache());
    }

    @Test
    void checksumMismatchFailsAndLeavesNothing() throws Exception {
        served.put("/files/a.txt", "tampered\n".getBytes(StandardCharsets.US_ASCII));
        served.put("/files/b.txt.gz", gzip(B));
        Datasets ds = datasets(plainSpec(sha(A)), null);
        BadInputException e = assertThrows(BadInputException.class, () -> ds.get("toy"));
        assertTrue(e.getMessage().contains("checksum mismatch for a.txt"), e.getMessage());
        assertEquals(List.of(), listCache(), "no half or bad files are left in the cache");
    }

    @Test
    void failedDownloadLeavesNothingAndSaysHowToProvideData() throws Exception {
        served.put("/files/a.txt", A); // b.txt.gz missing: HTTP 404
        Datasets ds = datasets(plainSpec(sha(A)), null);
        BadInputException e = assertThrows(BadInputException.class, () -> ds.get("toy"));
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("FASTDL4J_DATA"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertEquals(List.of(), listCache());
    }

    @Test
    void unreachableServerGivesOneClearLine() throws Exception {
        DatasetSpec spec = new DatasetSpec("toy", List.of("a.txt"), Map.of(),
                new DatasetSpec.PlainFiles(URI.create("http://127.0.0.1:1/")), "test");
        BadInputException e = assertThrows(BadInputException.class, () -> datasets(spec, null).get("toy"));
        assertTrue(e.getMessage().startsWith("toy not found (looked in "), e.getMessage());
        assertTrue(e.getMessage().contains("Offline?"), e.getMessage());
    }

    @Test
    void offlineAMissingDataSetIsOneLineInAll() throws Exception {
        DatasetSpec spec = new DatasetSpec("toy", List.of("a.txt"), Map.of(),
                new DatasetSpec.PlainFiles(URI.create("http://127.0.0.1:1/")), "test");
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true));
        try {
            assertThrows(BadInputException.class, () -> datasets(spec, null).get("toy"));
        } finally {
            System.setOut(out);
        }
        assertEquals("", printed.toString(), "no 'Downloading' line before the error: the error is the one line");
    }

    @Test
    void theCacheHonoursHomeAsOtherToolsDo() {
        assertEquals(Path.of("/h/.fastdl4j/data"), Datasets.defaultCache(null, "/h", "/jvm"));
        assertEquals(Path.of("/f/data"), Datasets.defaultCache("/f", "/h", "/jvm"));
        assertEquals(Path.of("/jvm/.fastdl4j/data"), Datasets.defaultCache(null, "", "/jvm"));
        assertEquals(Path.of("/jvm/.fastdl4j/data"), Datasets.defaultCache(" ", null, "/jvm"));
    }

    @Test
    void localFolderComesFirst() throws Exception {
        Path local = tmp.resolve("local/toy");
        Files.createDirectories(local);
        Files.write(local.resolve("a.txt"), A);
        Files.write(local.resolve("b.txt.gz"), gzip(B));
        Path dir = datasets(plainSpec(sha(A)), tmp.resolve("local")).get("toy");
        assertEquals(local, dir);
        assertEquals(0, requests.get());
        // the folder may also be the data set's own folder
        assertEquals(local, datasets(plainSpec(sha(A)), local).get("toy"));
    }

    @Test
    void zipArchiveIsExtracted() throws Exception {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bo)) {
            for (String[] e : new String[][]{{"toy/a.txt", "alpha\n"}, {"toy/readme", "x"}, {"other/a.txt", "no"}}) {
                zip.putNextEntry(new ZipEntry(e[0]));
                zip.write(e[1].getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        served.put("/files/toy.zip", bo.toByteArray());
        DatasetSpec spec = new DatasetSpec("toy", List.of("a.txt"), Map.of("a.txt", sha(A)),
                new DatasetSpec.ZipArchive(base().resolve("toy.zip"), "toy/"), "test");
        Path dir = datasets(spec, null).get("toy");
        assertEquals("alpha\n", Files.readString(dir.resolve("a.txt")));
        assertFalse(Files.exists(dir.resolve(".archive.zip")));
    }

    @Test
    void manualDataSetExplainsWhereToPutFiles() {
        Datasets ds = new Datasets(Datasets.registered(), tmp.resolve("cache"), Optional.of(tmp));
        BadInputException e = assertThrows(BadInputException.class, () -> ds.get("rossmann"));
        assertTrue(e.getMessage().contains("Kaggle"), e.getMessage());
        assertTrue(e.getMessage().contains("train.csv"), e.getMessage());
    }

    @Test
    void unknownNameListsKnownOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> Datasets.standard(tmp).get("imagenet"));
        assertTrue(e.getMessage().contains("ml-100k"), e.getMessage());
    }

    private List<String> listCache() throws IOException {
        Path cache = tmp.resolve("cache");
        if (!Files.exists(cache)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cache)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
