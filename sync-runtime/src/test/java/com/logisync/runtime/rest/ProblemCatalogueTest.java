package com.logisync.runtime.rest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problem-type catalogue the contracts are written from ({@link ProblemType}) holds every type the
 * code of the four services and the runtime emits, and no type's members overwrite RFC 9457's own.
 */
class ProblemCatalogueTest {

    /** Where the code names a problem type: a literal slug passed to a ProblemException or a helper. */
    private static final Pattern EMITTED = Pattern.compile("(?:ProblemException\\(\\d{3}, |conflict\\(|retryLater\\(\\d{3}, "
            + "|unauthorized\\(|forbidden\\(|TYPE_PREFIX \\+ )\"([a-z0-9]+(?:-[a-z0-9]+)*)\"");

    @Test
    void everyProblemTypeTheCodeEmitsIsInTheCatalogue() throws IOException {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Set<String> emitted = new TreeSet<>();
        for (String module : new String[] {"sync-runtime", "order-sync-service", "milestone-service",
                "billing-trigger-service", "service-view-service"}) {
            try (Stream<Path> files = Files.walk(repo.resolve(module).resolve("src/main/java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = EMITTED.matcher(Files.readString(f));
                    while (m.find()) {
                        emitted.add(m.group(1));
                    }
                }
            }
        }
        // The slugs made from a variable: the replay's two refusals and the HTTP layer's http-<status>.
        emitted.add("topics-incomplete");
        emitted.add("snapshot-too-old");
        emitted.remove("http");
        assertThat(emitted).as("problem types found in the code").hasSizeGreaterThan(35);
        Set<String> missing = new TreeSet<>(emitted);
        for (ProblemType t : ProblemType.values()) {
            missing.remove(t.slug);
        }
        assertThat(missing).as("problem types the code emits that ProblemType does not list").isEmpty();
    }

    @Test
    void noProblemTypeCarriesAMemberThatWouldOverwriteAStandardOne() {
        Set<String> standard = Set.of("type", "title", "status", "detail", "instance", "traceId", "errors");
        for (ProblemType t : ProblemType.values()) {
            assertThat(t.members.keySet()).as(t.slug).doesNotContainAnyElementsOf(standard);
            assertThat(t.type()).isEqualTo("urn:logisync:problem:" + t.slug);
            assertThat(t.status).isBetween(400, 599);
        }
    }
}
