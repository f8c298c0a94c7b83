package dev.llmunit.wiremock.internal;

import com.github.tomakehurst.wiremock.common.ClasspathFileSource;
import com.github.tomakehurst.wiremock.common.FileSource;
import com.github.tomakehurst.wiremock.common.Json;
import com.github.tomakehurst.wiremock.common.SingleRootFileSource;
import com.github.tomakehurst.wiremock.common.TextFile;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import dev.llmunit.wiremock.FixtureException;
import dev.llmunit.wiremock.FixtureMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
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
     * What loading a fixture set gave: the stubs to serve, the mapping file each came from, and
     * notes on what llmunit changed to serve a recording that would otherwise break clients.
     *
     * @param stubs the stubs, in file-name order
     * @param mappingFiles each stub's mapping file, relative to {@code mappings/}, by stub id
     * @param notes one line per change made, naming the file and what to fix in it
     * @param fixtureNames each stub's fixture name, by stub id: see {@link #fixtureName(String, int, int)}
     */
    public record Loaded(List<StubMapping> stubs, Map<UUID, String> mappingFiles, List<String> notes, Map<UUID, String> fixtureNames) {
        /** Copies the collections. */
        public Loaded {
            stubs = List.copyOf(stubs);
            mappingFiles = Map.copyOf(mappingFiles);
            notes = List.copyOf(notes);
            fixtureNames = Map.copyOf(fixtureNames);
        }
    }

    /**
     * The name a loaded stub goes by in the call ledger, the report and {@code usedFixture(..)}: its
     * mapping file's path below {@code mappings/} without the {@code .json}, which a user can see in
     * the fixture set, plus {@code #n} (1-based) when the file holds several stubs.
     *
     * @param relativeFile the mapping file, relative to {@code mappings/}, such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e.json}
     * @param index the stub's index in the file, from 0
     * @param stubsInFile how many stubs the file holds
     * @return such as {@code openai-gpt-4o-mini-3f9a1c0b7d2e} or {@code chat-fixtures#2}
     */
    public static String fixtureName(String relativeFile, int index, int stubsInFile) {
        String base = relativeFile.regionMatches(true, Math.max(0, relativeFile.length() - 5), ".json", 0, 5)
                ? relativeFile.substring(0, relativeFile.length() - 5)
                : relativeFile;
        return stubsInFile > 1 ? base + "#" + (index + 1) : base;
    }

    /**
     * Loads every stub mapping file under {@code mappings/} (recursively; a file holds one mapping
     * or {@code {"mappings": [...]}}; {@code .json} in any case), in file-name order, and checks
     * each the way WireMock would only find out when serving it: ids unique across files,
     * {@code metadata.llmunit} well typed, body files inside the set and present, and JSON and
     * event-stream bodies well formed (see {@link FixtureBodies}).
     *
     * @return the stubs, their files and the notes
     * @throws FixtureException naming the file (and for a body, its line) when a check fails
     */
    public Loaded load() {
        List<StubMapping> stubs = new ArrayList<>();
        Map<UUID, String> files = new LinkedHashMap<>();
        Map<UUID, String> names = new HashMap<>();
        Map<UUID, String> described = new HashMap<>();
        List<String> notes = new ArrayList<>();
        for (MappingFile file : mappingFiles()) {
            List<StubMapping> parsed = parse(file);
            for (int index = 0; index < parsed.size(); index++) {
                StubMapping stub = parsed.get(index);
                String where = file.name + (parsed.size() > 1 ? " (mappings[" + index + "])" : "");
                String earlier = described.putIfAbsent(stub.getId(), where);
                if (earlier != null) {
                    throw new FixtureException("Fixture mapping files " + earlier + " and " + where + " both hold the stub id "
                            + stub.getId() + "; WireMock serves each id once. Give one of them a new \"id\" (and \"uuid\"),"
                            + " or delete the copy");
                }
                try {
                    FixtureMetadata.from(stub);
                } catch (IllegalArgumentException wrongType) {
                    throw new FixtureException("Fixture mapping file " + where + " has bad llmunit metadata: "
                            + wrongType.getMessage() + "; fix the value or delete the field", wrongType);
                }
                stubs.add(FixtureBodies.checked(stub, where, this, notes));
                files.put(stub.getId(), file.relative);
                names.put(stub.getId(), fixtureName(file.relative, index, parsed.size()));
            }
        }
        return new Loaded(stubs, files, notes, names);
    }

    /**
     * Loads the stubs alone; see {@link #load()}.
     *
     * @return the stubs
     * @throws FixtureException naming the file when a check fails
     */
    public List<StubMapping> loadStubs() {
        return load().stubs();
    }

    /**
     * The bytes of a body file named by a mapping's {@code bodyFileName}, which must lie inside
     * this set's {@code __files/}.
     *
     * @param name the body file name as the mapping gives it
     * @param mappingFile the mapping file naming it, for messages
     * @return the file's bytes
     * @throws FixtureException when the name leads outside {@code __files/} or the file is missing
     */
    byte[] bodyFile(String name, String mappingFile) {
        String how = "; body files are paths inside " + describe() + "/" + FILES + ", such as 'openai-gpt-4o-mini-3f9a1c0b7d2e.json'";
        boolean escapes = name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")
                || Arrays.asList(name.replace('\\', '/').split("/")).contains("..");
        if (escapes) {
            throw new FixtureException("Fixture mapping file " + mappingFile + " names the body file '" + name
                    + "', which is outside the fixture set" + how);
        }
        try {
            if (directory != null) {
                Path files = directory.resolve(FILES).normalize();
                Path file = files.resolve(name).normalize();
                if (!file.startsWith(files)) {
                    throw new FixtureException("Fixture mapping file " + mappingFile + " names the body file '" + name
                            + "', which is outside the fixture set" + how);
                }
                if (Files.isRegularFile(file)) {
                    return Files.readAllBytes(file);
                }
            } else {
                try (InputStream in = classLoader.getResourceAsStream(classpath + "/" + FILES + "/" + name)) {
                    if (in != null) {
                        return in.readAllBytes();
                    }
                }
            }
        } catch (IOException e) {
            throw new FixtureException("Could not read the body file '" + name + "' named by fixture mapping file " + mappingFile
                    + ": " + e, e);
        }
        throw new FixtureException("Fixture mapping file " + mappingFile + " names the body file '" + name
                + "', which does not exist in " + describe() + "/" + FILES
                + "; restore the file or record the fixture again (-Dllmunit.mode=record)");
    }

    /**
     * Where a body file is, for messages.
     *
     * @param name the body file name as the mapping gives it
     * @return the file's path, or its classpath location
     */
    String describeBodyFile(String name) {
        return directory != null ? directory.resolve(FILES).resolve(name).toString() : "classpath:" + classpath + "/" + FILES + "/" + name;
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

    /** A mapping file: how messages name it, its path below {@code mappings/}, and its text. */
    private record MappingFile(String name, String relative, String content) {}

    private List<MappingFile> mappingFiles() {
        List<MappingFile> files = new ArrayList<>();
        if (directory != null) {
            Path mappings = directory.resolve(MAPPINGS);
            if (!Files.isDirectory(mappings)) {
                return files;
            }
            try (Stream<Path> paths = Files.walk(mappings)) {
                for (Path path : paths.filter(Files::isRegularFile).filter(FixtureLocation::isJson).sorted().toList()) {
                    files.add(new MappingFile(path.toString(), mappings.relativize(path).toString().replace('\\', '/'),
                            Files.readString(path)));
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
            if (isJson(file.name())) {
                String relative = relativeName(file, mappings);
                files.add(new MappingFile("classpath:" + mappings + "/" + relative, relative, file.readContentsAsString()));
            }
        }
        return files;
    }

    /** A classpath file's name below {@code mappings/}: its path, in a directory or a jar, ends with the location. */
    private static String relativeName(TextFile file, String mappings) {
        String path = file.getPath();
        int at = path.lastIndexOf(mappings + "/");
        return at >= 0 ? path.substring(at + mappings.length() + 1) : path.substring(path.lastIndexOf('/') + 1);
    }

    // Any case: recordings copied from Windows tools come as .JSON, and WireMock itself loads those.
    private static boolean isJson(Path path) {
        return isJson(path.getFileName().toString());
    }

    private static boolean isJson(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".json");
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
