package io.github.fastdl4j.common.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Text files as they come in the wild: a UTF-8 byte-order mark is skipped, bytes that are not
 * valid in the expected encoding are an error naming the file, line and byte offset (never
 * silently replaced), and a file that may be either UTF-8 or Latin-1 (MovieLens' u.item has been
 * published in both) is read in the one it is valid in.
 */
public final class TextFiles {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private TextFiles() {
    }

    /**
     * A reader of {@code file} in {@code cs} that reports bytes invalid in {@code cs} (as a
     * {@link java.nio.charset.MalformedInputException} from its reads: see {@link #invalidBytes}) and
     * skips a leading UTF-8 byte-order mark.
     */
    public static Reader reader(Path file, Charset cs) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(3);
        byte[] head = in.readNBytes(3);
        if (!Arrays.equals(head, UTF8_BOM)) {
            in.reset();
        }
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return new InputStreamReader(in, d);
    }

    /**
     * UTF-8 if the whole file is valid UTF-8, else {@code fallback} (e.g. ISO-8859-1, in which
     * every byte is a character).
     */
    public static Charset utf8Or(Path file, Charset fallback) {
        return firstInvalid(file, StandardCharsets.UTF_8) == null ? StandardCharsets.UTF_8 : fallback;
    }

    /**
     * The first bytes of {@code file} that are not valid {@code cs}, as an error naming the file,
     * the line and the byte offset, or null if the whole file is valid.
     */
    public static BadInputException invalidBytes(Path file, Charset cs) {
        Position p = firstInvalid(file, cs);
        if (p == null) {
            return null;
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : p.bytes) {
            hex.append(hex.length() > 0 ? " " : "").append(String.format("0x%02X", b & 0xff));
        }
        return new BadInputException(file + ":" + p.line + ": byte offset " + p.offset + ": " + hex + " is not valid "
                + cs.displayName() + " text" + (cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII)
                ? " (save the file as UTF-8)" : ""));
    }

    private record Position(long line, long offset, byte[] bytes) {
    }

    private static Position firstInvalid(Path file, Charset cs) {
        if ((cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII) || cs.equals(StandardCharsets.ISO_8859_1))
                && ascii(file)) {
            return null; // bytes below 0x80 are valid in each of these: no need to decode a large file
        }
        CharsetDecoder d = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (InputStream in = Files.newInputStream(file)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 16); // write mode: position = bytes held
            CharBuffer chars = CharBuffer.allocate(1 << 16);
            long consumed = 0;
            byte[] head = in.readNBytes(3);
            if (Arrays.equals(head, UTF8_BOM)) {
                consumed = 3; // skipped, as reader() skips it
            } else {
                buf.put(head);
            }
            long line = 1;
            boolean eof = false;
            while (true) {
                if (!eof && buf.hasRemaining()) {
                    int n = in.read(buf.array(), buf.position(), buf.remaining());
                    if (n < 0) {
                        eof = true;
                    } else {
                        buf.position(buf.position() + n);
                    }
                }
                buf.flip();
                int start = buf.position();
                CoderResult r = d.decode(buf, chars, eof);
                consumed += buf.position() - start;
                line += countNewlines(chars);
                chars.clear();
                if (r.isError()) {
                    byte[] bad = new byte[Math.min(r.length(), buf.remaining())];
                    buf.get(buf.position(), bad);
                    return new Position(line, consumed, bad);
                }
                if (eof && r.isUnderflow()) {
                    return null;
                }
                buf.compact();
            }
        } catch (NoSuchFileException e) {
            throw BadInputException.inFile(file, "file not found");
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read (" + BadInputException.reason(e) + ")");
        }
    }

    /** Whether every byte of the file is below 0x80 (a UTF-8 byte-order mark aside). */
    private static boolean ascii(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            boolean first = true;
            int n;
            while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                int from = first && n >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF ? 3 : 0;
                first = false;
                for (int i = from; i < n; i++) {
                    if (buf[i] < 0) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false; // the decoding pass reports it
        }
    }

    private static long countNewlines(CharBuffer chars) {
        long n = 0;
        for (int i = 0; i < chars.position(); i++) {
            if (chars.get(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
