package com.enterprisehub.geo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the README's integration snippet called a method that does not exist ({@code secrets.bytes}). Its Java
 * block must be, line for line, the marked region of {@link IntegrationSnippet}, which the build compiles; change
 * both together.
 */
class ReadmeSnippetTest {
    private static final String SECTION = "## Integration in 20 lines";
    private static final String START = "// README snippet start";
    private static final String END = "// README snippet end";
    private static final String INDENT = "        ";

    @Test
    void theReadmesJavaSnippetIsTheCompiledIntegrationSnippet() throws IOException {
        List<String> readme = readmeJavaBlock(Files.readAllLines(repositoryRoot().resolve("README.md")));
        List<String> compiled = markedRegion(Files.readAllLines(Path.of("src/main/java/com/enterprisehub/geo/examples"
                + "/IntegrationSnippet.java")));

        assertThat(readme).as("README.md's Java block under '%s' must equal the marked region of"
                + " IntegrationSnippet.java (without its method indentation)", SECTION).containsExactlyElementsOf(compiled);
    }

    @Test
    void theSnippetKeepsToAboutTwentyLinesAndUsesOnlyRealApi() throws IOException {
        List<String> readme = readmeJavaBlock(Files.readAllLines(repositoryRoot().resolve("README.md")));
        assertThat(readme.size()).isBetween(15, 25);
        assertThat(String.join("\n", readme)).doesNotContain("secrets.bytes(")
                .contains("select(TenantCatalogProvider.class, \"in-memory\")");
    }

    /** The lines of the first {@code ```java} block after the section heading. */
    static List<String> readmeJavaBlock(List<String> lines) {
        int section = lines.indexOf(SECTION);
        assertThat(section).as("README.md has the section '%s'", SECTION).isNotNegative();
        int open = -1;
        for (int i = section + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).equals("```java")) {
                open = i;
                break;
            }
        }
        assertThat(open).as("a ```java block in the section '%s'", SECTION).isNotNegative();
        List<String> block = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            block.add(lines.get(i));
        }
        return block;
    }

    /** The lines between the markers, with the method body's indentation removed. */
    static List<String> markedRegion(List<String> lines) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(START)) {
                start = i;
            } else if (lines.get(i).strip().equals(END)) {
                end = i;
            }
        }
        assertThat(start).as("IntegrationSnippet.java marks its region with '%s'", START).isNotNegative();
        assertThat(end).as("IntegrationSnippet.java marks the end with '%s'", END).isGreaterThan(start);
        List<String> region = new ArrayList<>();
        for (String line : lines.subList(start + 1, end)) {
            if (line.isBlank()) {
                region.add("");
            } else {
                assertThat(line).as("each line of the region is indented as the method body").startsWith(INDENT);
                region.add(line.substring(INDENT.length()));
            }
        }
        return region;
    }

    /** The directory holding README.md: the examples module runs its tests from its own directory. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("README.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("README.md above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
