package dev.llmunit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes the two projects of the generated-suite benchmark ({@code benchmarks/suite-benchmark}):
 * {@code llmunit-suite}, with {@code tests} {@code @LlmTest} tests over as many recorded OpenAI
 * fixtures (one call each), and {@code wiremock-suite}, the same tests and the same fixture files
 * on a plain WireMock server and LangChain4j, the way a team without llmunit would write them (one
 * server for the whole run, a LangChain4j OpenAI model per test). Both are user projects without a
 * parent, built against the llmunit version of the reactor and pinned to the reactor's library and
 * plugin versions, so the only difference between their Surefire times is llmunit.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.llmunit.benchmarks.GeneratedSuite
 * <root pom.xml> <output directory> [tests] [classes]} (defaults 1000 tests in 50 classes).
 */
public final class GeneratedSuite {

    /** The fixture set both projects play, under {@code src/test/resources/llmunit/fixtures/}. */
    static final String FIXTURE_SET = "tickets";
    /** The package of the generated tests. */
    static final String PACKAGE = "com.example.suite";

    private static final List<String> VERSIONS = List.of("version", "langchain4j.version", "wiremock.version", "junit.version",
            "assertj.version", "maven-resources-plugin.version", "maven-compiler-plugin.version", "maven-surefire-plugin.version",
            "maven-jar-plugin.version", "maven-clean-plugin.version", "maven-install-plugin.version");

    private final Map<String, String> versions;
    private final int tests;
    private final int classes;

    private GeneratedSuite(Map<String, String> versions, int tests, int classes) {
        this.versions = versions;
        this.tests = tests;
        this.classes = classes;
    }

    /**
     * Generates both projects.
     *
     * @param args the root pom, the output directory, then optionally the number of tests and of classes
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: GeneratedSuite <root pom.xml> <output directory> [tests] [classes]");
        }
        int tests = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int classes = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        if (tests < 1 || classes < 1 || classes > tests) {
            throw new IllegalArgumentException("tests must be at least 1 and classes between 1 and tests, but were " + tests + " and " + classes);
        }
        GeneratedSuite suite = new GeneratedSuite(versions(Path.of(args[0])), tests, classes);
        Path output = Path.of(args[1]);
        long started = System.nanoTime();
        suite.write(output);
        System.out.printf("suite-benchmark: generated %d tests in %d classes over %d recorded fixtures in %s (%.1f s)%n",
                tests, classes, tests, output, (System.nanoTime() - started) / 1e9);
    }

    /** The reactor's version and the pinned library and plugin versions, read from the root pom's properties. */
    static Map<String, String> versions(Path rootPom) {
        String pom = read(rootPom);
        Map<String, String> found = new LinkedHashMap<>();
        Matcher project = Pattern.compile("<artifactId>llmunit-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        if (!project.find()) {
            throw new IllegalArgumentException(rootPom + " is not llmunit's root pom: no llmunit-parent version");
        }
        found.put("version", project.group(1).trim());
        for (String name : VERSIONS.subList(1, VERSIONS.size())) {
            Matcher property = Pattern.compile("<" + Pattern.quote(name) + ">([^<$]+)</" + Pattern.quote(name) + ">").matcher(pom);
            if (!property.find()) {
                throw new IllegalArgumentException(rootPom + " has no property <" + name + ">");
            }
            found.put(name, property.group(1).trim());
        }
        return found;
    }

    private void write(Path output) {
        Path llmunit = output.resolve("llmunit-suite");
        Path wiremock = output.resolve("wiremock-suite");
        Path recorded = RecordedOpenAiFixtures.cached(tests);
        for (Path project : List.of(llmunit, wiremock)) {
            Path fixtures = project.resolve("src/test/resources/llmunit/fixtures").resolve(FIXTURE_SET);
            copy(recorded.resolve("mappings"), fixtures.resolve("mappings"));
            copy(recorded.resolve("__files"), fixtures.resolve("__files"));
        }
        write(llmunit.resolve("pom.xml"), pom("llmunit-suite", """
                    <dependency>
                      <groupId>dev.llmunit</groupId>
                      <artifactId>llmunit-junit</artifactId>
                      <version>${llmunit.version}</version>
                      <scope>test</scope>
                    </dependency>
                """));
        write(wiremock.resolve("pom.xml"), pom("wiremock-suite", """
                    <dependency>
                      <groupId>org.wiremock</groupId>
                      <artifactId>wiremock-standalone</artifactId>
                      <version>${wiremock.version}</version>
                      <scope>test</scope>
                    </dependency>
                """));
        Path llmunitTests = llmunit.resolve("src/test/java").resolve(PACKAGE.replace('.', '/'));
        Path wiremockTests = wiremock.resolve("src/test/java").resolve(PACKAGE.replace('.', '/'));
        write(llmunitTests.resolve("Tickets.java"), tickets());
        write(wiremockTests.resolve("Tickets.java"), tickets());
        write(wiremockTests.resolve("SharedWireMock.java"), sharedWireMock());
        for (Path project : List.of(llmunit, wiremock)) {
            write(project.resolve("src/test/java").resolve(PACKAGE.replace('.', '/')).resolve("RunClock.java"), runClock());
            write(project.resolve("src/test/resources/META-INF/services/org.junit.platform.launcher.TestExecutionListener"),
                    PACKAGE + ".RunClock\n");
        }
        int perClass = (tests + classes - 1) / classes;
        for (int c = 0; c * perClass < tests; c++) {
            int from = c * perClass;
            int to = Math.min(tests, from + perClass);
            String name = String.format("Tickets%03dTest", c);
            write(llmunitTests.resolve(name + ".java"), llmunitClass(name, from, to));
            write(wiremockTests.resolve(name + ".java"), wiremockClass(name, from, to));
        }
    }

    private String pom(String artifactId, String dependency) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
                  <modelVersion>4.0.0</modelVersion>
                  <!-- Generated by llmunit's benchmarks/suite-benchmark: a user's project, no parent. -->
                  <groupId>com.example</groupId>
                  <artifactId>%s</artifactId>
                  <version>1.0.0-SNAPSHOT</version>
                  <properties>
                    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
                    <maven.compiler.release>17</maven.compiler.release>
                    <llmunit.version>%s</llmunit.version>
                    <wiremock.version>%s</wiremock.version>
                  </properties>
                  <dependencies>
                    <dependency>
                      <groupId>dev.langchain4j</groupId>
                      <artifactId>langchain4j-open-ai</artifactId>
                      <version>%s</version>
                    </dependency>
                %s
                    <dependency>
                      <groupId>org.junit.jupiter</groupId>
                      <artifactId>junit-jupiter</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.junit.platform</groupId>
                      <artifactId>junit-platform-launcher</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                    <dependency>
                      <groupId>org.assertj</groupId>
                      <artifactId>assertj-core</artifactId>
                      <version>%s</version>
                      <scope>test</scope>
                    </dependency>
                  </dependencies>
                  <build>
                    <plugins>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-clean-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-jar-plugin</artifactId><version>%s</version></plugin>
                      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-install-plugin</artifactId><version>%s</version></plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(artifactId, versions.get("version"), versions.get("wiremock.version"), versions.get("langchain4j.version"),
                dependency.stripTrailing(), versions.get("junit.version"), platformVersion(versions.get("junit.version")),
                versions.get("assertj.version"),
                versions.get("maven-clean-plugin.version"), versions.get("maven-resources-plugin.version"),
                versions.get("maven-compiler-plugin.version"), versions.get("maven-surefire-plugin.version"),
                versions.get("maven-jar-plugin.version"), versions.get("maven-install-plugin.version"));
    }

    /** JUnit 5.x.y's platform is 1.x.y; from JUnit 6 on they share one version. */
    static String platformVersion(String jupiter) {
        return jupiter.startsWith("5.") ? "1." + jupiter.substring(2) : jupiter;
    }

    /**
     * A JUnit Platform listener, the same in both projects, writing the test plan's wall time and the
     * test JVM's CPU time (all threads: tests, WireMock's Jetty, the HTTP client) to
     * {@code target/suite-benchmark-clock.txt}: on a busy machine CPU time says more than wall time.
     */
    private static String runClock() {
        return """
                package %s;

                import java.io.IOException;
                import java.io.UncheckedIOException;
                import java.lang.management.ManagementFactory;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import org.junit.platform.launcher.TestExecutionListener;
                import org.junit.platform.launcher.TestPlan;

                /** Writes the test plan's wall and CPU milliseconds to target/suite-benchmark-clock.txt. */
                public final class RunClock implements TestExecutionListener {
                    private long wallStart;
                    private long cpuStart;

                    @Override
                    public void testPlanExecutionStarted(TestPlan plan) {
                        wallStart = System.nanoTime();
                        cpuStart = cpu();
                    }

                    @Override
                    public void testPlanExecutionFinished(TestPlan plan) {
                        String line = "wallMs=" + (System.nanoTime() - wallStart) / 1_000_000 + " cpuMs=" + (cpu() - cpuStart) / 1_000_000 + "\\n";
                        try {
                            Files.writeString(Path.of("target", "suite-benchmark-clock.txt"), line);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }

                    private static long cpu() {
                        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
                    }
                }
                """.formatted(PACKAGE);
    }

    /** The prompts, the same code in both projects (a copy of {@link RecordedOpenAiFixtures}' requests). */
    private static String tickets() {
        return """
                package %s;

                import dev.langchain4j.data.message.SystemMessage;
                import dev.langchain4j.data.message.UserMessage;
                import dev.langchain4j.model.chat.request.ChatRequest;

                /** The ticket requests the fixtures were recorded for. */
                final class Tickets {
                    private Tickets() {}

                    static ChatRequest request(int i) {
                        return ChatRequest.builder()
                                .messages(SystemMessage.from("%s"),
                                        UserMessage.from("Ticket " + i + ": the export of report " + (7919L * i %% 100_003) + " stops at row "
                                                + (1000 + i) + " and the dashboard shows error E" + (i %% 97) + "."))
                                .build();
                    }
                }
                """.formatted(PACKAGE, RecordedOpenAiFixtures.SYSTEM_PROMPT.replace("\"", "\\\""));
    }

    private static String sharedWireMock() {
        return """
                package %s;

                import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

                import com.github.tomakehurst.wiremock.WireMockServer;

                /** One WireMock server for the whole run, serving the recorded fixtures, stopped when the JVM exits. */
                final class SharedWireMock {
                    static final WireMockServer SERVER = start();

                    private SharedWireMock() {}

                    private static WireMockServer start() {
                        WireMockServer server = new WireMockServer(wireMockConfig()
                                .bindAddress("127.0.0.1")
                                .dynamicPort()
                                .usingFilesUnderClasspath("llmunit/fixtures/%s")
                                .maxRequestJournalEntries(1000));
                        server.start();
                        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
                        return server;
                    }
                }
                """.formatted(PACKAGE, FIXTURE_SET);
    }

    private static String llmunitClass(String name, int from, int to) {
        StringBuilder methods = new StringBuilder();
        for (int i = from; i < to; i++) {
            methods.append("""

                        @Test
                        void ticket%1$d(ChatModel model, LlmCalls calls) {
                            assertThat(model.chat(Tickets.request(%1$d)).aiMessage().text()).isEqualTo("%2$s");
                            assertThat(calls).hasSize(1).servedFromFixtures();
                        }
                    """.formatted(i, RecordedOpenAiFixtures.answer(i)));
        }
        return """
                package %s;

                import static dev.llmunit.assertj.LlmAssertions.assertThat;
                import static org.assertj.core.api.Assertions.assertThat;

                import dev.langchain4j.model.chat.ChatModel;
                import dev.llmunit.junit.LlmCalls;
                import dev.llmunit.junit.LlmTest;
                import org.junit.jupiter.api.Test;

                @LlmTest(fixtures = "%s")
                class %s {
                %s}
                """.formatted(PACKAGE, FIXTURE_SET, name, methods);
    }

    private static String wiremockClass(String name, int from, int to) {
        StringBuilder methods = new StringBuilder();
        for (int i = from; i < to; i++) {
            methods.append("""

                        @Test
                        void ticket%1$d() {
                            assertThat(model.chat(Tickets.request(%1$d)).aiMessage().text()).isEqualTo("%2$s");
                        }
                    """.formatted(i, RecordedOpenAiFixtures.answer(i)));
        }
        return """
                package %s;

                import static org.assertj.core.api.Assertions.assertThat;

                import dev.langchain4j.model.chat.ChatModel;
                import dev.langchain4j.model.openai.OpenAiChatModel;
                import org.junit.jupiter.api.BeforeEach;
                import org.junit.jupiter.api.Test;

                class %s {

                    private ChatModel model;

                    @BeforeEach
                    void model() {
                        model = OpenAiChatModel.builder()
                                .baseUrl(SharedWireMock.SERVER.baseUrl() + "/openai/v1")
                                .apiKey("test-key")
                                .modelName("%s")
                                .maxRetries(0)
                                .build();
                    }
                %s}
                """.formatted(PACKAGE, name, RecordedOpenAiFixtures.MODEL, methods);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
