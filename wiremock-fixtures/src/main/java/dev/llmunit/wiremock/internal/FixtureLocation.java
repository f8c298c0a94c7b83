package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.common.ClasspathFileSource;
import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.common.SingleRootFileSource;
import com.github.tomakehurst.wiremock.common.TextFile;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import wiremock.com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a fixture set lives: a directory (readable and writable) or a classpath location
 * (read-only), each holding WireMock's {@code mappings/} and {@code __files/}. Loads and checks
 * the mapping files, naming the file in every error.
 */
public final class FixtureLocation {

    /** The folder of stub mapping files. */
    public static final String MAPPINGS = "mappings";
    /** The folder of response body files. */
    public static final String FILES = "__files";

    private final @Nullable Path directory;
    private final @Nullable String classpath;
    private final ClassLoader classLoader;

    private FixtureLocation(@Nullable Path directory, @Nullable String classpath, ClassLoader classLoader) {
        this.directory = directory;
        this.classpath = classpath;
        this.classLoader = classLoader;
    }

    /**
     * A fixture directory.
     *
     * @param directory the directory holding {@code mappings/} and {@code __files/}
     * @return the location
     */
    public static FixtureLocation directory(Path directory) {
        return new FixtureLocation(directory.toAbsolutePath().normalize(), null, FixtureLocation.class.getClassLoader());
    }

    /**
     * A classpath location.
     *
     * @param location a resource path such as {@code llmunit/fixtures/triage}, without leading slash
     * @param classLoader the class loader to search
     * @return the location
     */
    public static FixtureLocation classpath(String location, ClassLoader classLoader) {
        return new FixtureLocation(null, stripSlashes(location), classLoader);
    }

    /**
     * The directory, when this location is one.
     *
     * @return the absolute directory, or null for a classpath location
     */
    public @Nullable Path directory() {
        return directory;
    }

    /**
     * Whether the location exists.
     *
     * @return true when the directory or the classpath resource is there
     */
    public boolean exists() {
        return directory != null ? Files.isDirectory(directory) : classLoader.getResource(Objects.requireNonNull(classpath)) != null;
    }

    /**
     * WireMock's file source for this location, so {@code bodyFileName} resolves under {@code __files/}.
     *
     * @return the file source
     */
    public FileSource fileSource() {
        return directory != null
                ? new SingleRootFileSource(directory.toString())
                : new ClasspathFileSource(classLoader, Objects.requireNonNull(classpath));
    }

    /**
     * Loads every stub mapping file under {@code mappings/} (recursively; a file holds one
     * mapping or {@code {"mappings": [...]}}), in file-name order, and checks that every body file
     * they name exists.
     *
     * @return the stubs
     * @throws FixtureException naming the file when a mapping is malformed or names a missing body file
     */
    public List<StubMapping> loadStubs() {
        List<StubMapping> stubs = new ArrayList<>();
        for (MappingFile file : mappingFiles()) {
            for (StubMapping stub : parse(file)) {
                String bodyFile = stub.getResponse().getBodyFileName();
                if (bodyFile != null && !hasBodyFile(bodyFile)) {
                    throw new FixtureException("Fixture mapping file " + file.name + " names the body file '" + bodyFile
                            + "', which does not exist in " + describe() + "/" + FILES
                            + "; restore the file or record the fixture again (-Dllmunit.mode=record)");
                }
                stubs.add(stub);
            }
        }
        return stubs;
    }

    /**
     * How errors and messages name this location.
     *
     * @return the absolute directory, or {@code classpath:<location>}
     */
    public String describe() {
        return directory != null ? directory.toString() : "classpath:" + classpath;
    }

    @Override
    public String toString() {
        return describe();
    }

    private record MappingFile(String name, String content) {}

    private List<MappingFile> mappingFiles() {
        List<MappingFile> files = new ArrayList<>();
        if (directory != null) {
            Path mappings = directory.resolve(MAPPINGS);
            if (!Files.isDirectory(mappings)) {
                return files;
            }
            try (Stream<Path> paths = Files.walk(mappings)) {
                for (Path path : paths.filter(Files::isRegularFile).filter(FixtureLocation::isJson).sorted().toList()) {
                    files.add(new MappingFile(path.toString(), Files.readString(path)));
                }
            } catch (IOException e) {
                throw new FixtureException("Could not read the fixture mappings in " + mappings + ": " + e, e);
            }
            return files;
        }
        String mappings = classpath + "/" + MAPPINGS;
        if (classLoader.getResource(mappings) == null) {
            return files;
        }
        List<TextFile> textFiles = new ArrayList<>(new ClasspathFileSource(classLoader, mappings).listFilesRecursively());
        textFiles.sort(Comparator.comparing(TextFile::getPath));
        for (TextFile file : textFiles) {
            if (file.getPath().endsWith(".json")) {
                files.add(new MappingFile("classpath:" + mappings + "/" + file.name(), file.readContentsAsString()));
            }
        }
        return files;
    }

    private static boolean isJson(Path path) {
        return path.getFileName().toString().endsWith(".json");
    }

    private static List<StubMapping> parse(MappingFile file) {
        List<StubMapping> stubs = new ArrayList<>();
        try {
            JsonNode root = Json.node(file.content);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("the file must hold a JSON object, a stub mapping or {\"mappings\": [...]}");
            }
            if (root.has("mappings")) {
                int index = 0;
                for (JsonNode mapping : root.get("mappings")) {
                    stubs.add(read(mapping, "mappings[" + index++ + "]"));
                }
            } else {
                stubs.add(read(root, "the mapping"));
            }
        } catch (RuntimeException e) {
            throw new FixtureException("Malformed fixture mapping file " + file.name + ": " + flatten(e)
                    + "; fix the file or delete it and record again (-Dllmunit.mode=auto)", e);
        }
        return stubs;
    }

    private static StubMapping read(JsonNode mapping, String where) {
        for (String part : new String[] {"request", "response"}) {
            if (!mapping.path(part).isObject()) {
                throw new IllegalArgumentException(where + " has no \"" + part + "\" object");
            }
        }
        return Json.read(mapping.toString(), StubMapping.class);
    }

    private static String flatten(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !text.toString().contains(message)) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        String flat = text.toString().replaceAll("\\s+", " ").trim();
        return flat.length() <= 500 ? flat : flat.substring(0, 500) + "…";
    }

    private boolean hasBodyFile(String name) {
        if (directory != null) {
            return Files.isRegularFile(directory.resolve(FILES).resolve(name));
        }
        return classLoader.getResource(classpath + "/" + FILES + "/" + name) != null;
    }

    private static String stripSlashes(String location) {
        String trimmed = location.trim();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
