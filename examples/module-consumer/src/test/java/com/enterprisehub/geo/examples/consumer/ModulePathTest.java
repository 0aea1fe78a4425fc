package com.enterprisehub.geo.examples.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SDK on the module path, as a host written as a named module meets it: the consumer runs there (providers found
 * through the modules' {@code provides}, resources read inside their modules), and a module that imports an SDK
 * {@code internal} package does not compile.
 */
class ModulePathTest {

    /** The module path: this module's classes and its dependencies, without the test tools. */
    private static String modulePath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("test-classes"))
                .filter(entry -> !entry.matches(".*(junit|opentest4j|apiguardian|assertj|surefire|byte-buddy).*"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void theConsumerRunsOnTheModulePathWithEveryProviderFound() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = Files.createTempFile("module-consumer", ".log");
        Process process = new ProcessBuilder(java.toString(), "--module-path", modulePath(), "--module",
                "com.enterprisehub.geo.examples.consumer/com.enterprisehub.geo.examples.consumer.ModuleConsumer")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = process.waitFor(2, TimeUnit.MINUTES);   // the output goes to a file, so this can time out
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertThat(ended).as(output).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output.lines()
                .filter(l -> l.matches("(module|catalogs|clouds|calculators|models|markets|bound|cloud|sdlt|price|term) .*"))
                .toList()).containsExactly(
                "module com.enterprisehub.geo.examples.consumer named=true",
                "catalogs [jdbc, in-memory]",
                "clouds [local]",
                "calculators [au, ca, gb, us]",
                "models [onnx, xgboost]",
                "markets 12 gb=United Kingdom",
                "bound thames-estates",
                "cloud regions 6",
                "sdlt GBP 7500",
                "price £450,000.00",
                "term estate agent");
    }

    @Test
    void aModuleThatImportsOnlyTheApiCompiles(@TempDir Path dir) throws IOException {
        assertThat(compile(dir, "com.enterprisehub.geo.spi.Providers")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"com.enterprisehub.geo.core.internal.CatalogParser",
            "com.enterprisehub.geo.isolation.internal.SessionSql", "com.enterprisehub.geo.platform.internal.Journal",
            "com.enterprisehub.geo.localization.tax.internal.UkCalculator",
            "com.enterprisehub.geo.analytics.internal.Normal", "com.enterprisehub.geo.models.internal.OnnxModel"})
    void aModuleThatImportsAnInternalPackageDoesNotCompile(String internal, @TempDir Path dir) throws IOException {
        String packageName = internal.substring(0, internal.lastIndexOf('.'));
        assertThat(compile(dir, internal)).contains("package " + packageName + " is not visible");
    }

    /** Compiles a named module that imports {@code type}; returns javac's errors (empty when it compiled). */
    private static String compile(Path dir, String type) throws IOException {
        Path source = dir.resolve("src/probe");
        Files.createDirectories(source.resolve("probe"));
        Files.writeString(source.resolve("module-info.java"), "module probe { requires com.enterprisehub.geo.platform;"
                + " requires com.enterprisehub.geo.analytics; }");
        Files.writeString(source.resolve("probe/Probe.java"), "package probe; import " + type + ";"
                + " public class Probe { }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        List<String> options = List.of("--release", "17", "-d", dir.resolve("out").toString(), "--module-path",
                modulePath());
        try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(errors, files, null, options, null, files.getJavaFileObjects(
                    source.resolve("module-info.java"), source.resolve("probe/Probe.java"))).call();
            return ok ? "" : errors.toString();
        }
    }
}
