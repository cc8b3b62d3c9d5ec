package io.github.fastdl4j.common.data;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a data set is made of and where it comes from.
 *
 * @param name     the registry name and folder name, e.g. {@code ml-100k}
 * @param files    files that must be present (relative to the data set's folder)
 * @param sha256   expected SHA-256 of a file's content, by file name; for a {@code .gz} file the
 *                 hash of its uncompressed bytes, since mirrors re-compress the same content.
 *                 Files without an entry are only checked for presence.
 * @param source   how to download it
 * @param homepage where people read about the data set and its licence
 */
public record DatasetSpec(String name, List<String> files, Map<String, String> sha256, Source source, String homepage) {

    public DatasetSpec {
        Objects.requireNonNull(name);
        files = List.copyOf(files);
        sha256 = Map.copyOf(sha256);
        Objects.requireNonNull(source);
    }

    /** Where a data set's files are downloaded from. */
    public sealed interface Source permits PlainFiles, ZipArchive, Manual {
    }

    /** Each file is fetched from {@code baseUrl + fileName}. */
    public record PlainFiles(URI baseUrl) implements Source {
    }

    /** One zip archive; its entries under {@code folderInZip} give the files. */
    public record ZipArchive(URI url, String folderInZip) implements Source {
    }

    /** No download is possible (e.g. a login is needed): {@code howTo} tells the user what to do. */
    public record Manual(String howTo) implements Source {
    }
}
