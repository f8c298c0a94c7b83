package dev.llmunit.wiremock.internal;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The one way llmunit writes a file other processes may read while it is written (recorded
 * fixtures, the report, the baseline): next to the target, then moved into place, so a reader
 * never sees half a file. Used by the fixture recorder and the JUnit extension's report.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /**
     * Writes a file atomically, creating its directory.
     *
     * @param file the file to (re)write
     * @param content its whole content
     * @throws IOException when the directory or the file cannot be written
     */
    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Not createTempFile: its owner-only permissions would stay on the moved file, and recorded
        // fixtures, reports and baselines are read by other users and CI artifact stores.
        Path temp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + ".tmp");
        try {
            Files.write(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
