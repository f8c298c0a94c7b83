package dev.llmunit.engine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.jspecify.annotations.Nullable;

/**
 * Finds eval files on the test class path, under {@value #ROOT}, by glob, and says where a line of
 * one lives for an IDE: the project's own {@code src/test/resources} file when the working
 * directory has it (so a click opens the file a person edits, not the build's copy), else the
 * class path resource.
 */
final class EvalFiles {

    /** The class path folder globs are relative to. */
    static final String ROOT = "llmunit";
    /** The folder of eval files inside {@link #ROOT}. */
    static final String EVALS = "evals";
    /** Where Maven and Gradle keep test resources, relative to the module. */
    static final Path TEST_RESOURCES = Path.of("src", "test", "resources");

    private EvalFiles() {}

    /**
     * An eval file found.
     *
     * @param relative its path inside {@value #ROOT}, with {@code /}, such as {@code evals/triage/tickets.yaml}
     * @param location where it was read from
     */
    record Found(String relative, Path location) {

        /** The class path resource name. */
        String resource() {
            return ROOT + "/" + relative;
        }

        String read() {
            try {
                return Files.readString(location, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource() + ": " + e.getMessage(), e);
            }
        }

        /** A file next to this one, by a path relative to its folder. */
        @Nullable String sibling(String path) {
            Path target = location.getParent() == null ? null : location.getParent().resolve(path).normalize();
            if (target == null || !Files.isRegularFile(target)) {
                return null;
            }
            try {
                return Files.readString(target, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /**
     * The eval files matching globs, each once, in path order.
     *
     * @param loader the class loader to search
     * @param globs globs relative to {@value #ROOT}
     * @return the files by relative path
     */
    static List<Found> find(ClassLoader loader, List<String> globs) {
        Map<String, Found> found = new TreeMap<>();
        for (Path root : roots(loader)) {
            for (Path file : files(root)) {
                String relative = relative(root, file);
                if (!EvalFileReader.isEvalFile(relative) || found.containsKey(relative)) {
                    continue;
                }
                for (String glob : globs) {
                    if (matcher(root, glob).matches(root.getFileSystem().getPath(relative))) {
                        found.put(relative, new Found(relative, file));
                        break;
                    }
                }
            }
        }
        return List.copyOf(found.values());
    }

    /**
     * Every eval file under {@value #ROOT}/{@value #EVALS} of one class path root directory.
     *
     * @param classpathRoot a class path root, such as {@code target/test-classes}
     * @return the files' relative paths
     */
    static List<String> evalFilesUnder(Path classpathRoot) {
        Path root = classpathRoot.resolve(ROOT);
        if (!Files.isDirectory(root.resolve(EVALS))) {
            return List.of();
        }
        List<String> relative = new ArrayList<>();
        for (Path file : files(root.resolve(EVALS))) {
            String name = relative(root, file);
            if (EvalFileReader.isEvalFile(name)) {
                relative.add(name);
            }
        }
        Collections.sort(relative);
        return relative;
    }

    /** Whether a relative path matches a glob. */
    static boolean matches(String relative, String glob) {
        return FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(relative));
    }

    /**
     * Where a line of an eval file is, for IDEs and reports.
     *
     * @param resource the class path resource, such as {@code llmunit/evals/triage/tickets.yaml}
     * @param line the line, from 1; 0 for the file
     * @return a file source when the project's {@code src/test/resources} holds the file, else a class path resource source
     */
    static TestSource source(String resource, int line) {
        Optional<FilePosition> position = line > 0 ? Optional.of(FilePosition.from(line)) : Optional.empty();
        Path project = TEST_RESOURCES.resolve(resource);
        if (Files.isRegularFile(project)) {
            return FileSource.from(project.toAbsolutePath().normalize().toFile(), position.orElse(null));
        }
        return ClasspathResourceSource.from(resource, position.orElse(null));
    }

    private static PathMatcher matcher(Path root, String glob) {
        return root.getFileSystem().getPathMatcher("glob:" + glob);
    }

    private static String relative(Path root, Path file) {
        return root.relativize(file).toString().replace(root.getFileSystem().getSeparator(), "/");
    }

    private static List<Path> files(Path directory) {
        try (Stream<Path> walk = Files.walk(directory)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> roots(ClassLoader loader) {
        List<Path> roots = new ArrayList<>();
        Enumeration<URL> urls;
        try {
            urls = loader.getResources(ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot search the class path for " + ROOT + "/: " + e.getMessage(), e);
        }
        while (urls.hasMoreElements()) {
            URL url = urls.nextElement();
            try {
                URI uri = url.toURI();
                if ("jar".equals(uri.getScheme())) {
                    FileSystem jar;
                    try {
                        jar = FileSystems.newFileSystem(uri, Map.of());
                    } catch (FileSystemAlreadyExistsException open) {
                        jar = FileSystems.getFileSystem(uri);
                    }
                    roots.add(jar.provider().getPath(uri));
                } else if ("file".equals(uri.getScheme())) {
                    Path path = Path.of(uri);
                    if (Files.isDirectory(path)) {
                        roots.add(path);
                    }
                }
            } catch (URISyntaxException | IOException e) {
                // A class path entry that cannot be opened holds no eval files we could read.
            }
        }
        return roots;
    }
}
