package dev.llmunit.wiremock.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Gzip bodies as recordings of other tools keep them: told by their magic bytes, decompressed whole. */
public final class Gzip {

    private Gzip() {}

    /**
     * Whether bytes start like gzip ({@code 1f 8b}).
     *
     * @param bytes a body or file
     * @return true for gzip
     */
    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /**
     * Decompresses gzip bytes.
     *
     * @param bytes gzip bytes
     * @return the decompressed bytes
     * @throws IOException when they are not valid gzip
     */
    public static byte[] gunzip(byte[] bytes) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }
}
