package com.logisync.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation a newcomer reads: README.md stays a front door (at most about 12,000 characters),
 * every relative link in it and in docs/ leads to a file that exists (and to a heading that exists, when
 * it names one), and every command of README's fenced bash blocks is one that {@code ./logisync} or
 * {@code mvn} really accepts.
 */
class DocumentationTest {

    static final Path REPO = NodeTools.REPO;
    private static final Pattern LINK = Pattern.compile("(?<!!)\\[[^\\]]*]\\(([^)\\s]+)\\)");

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>();
        docs.add(REPO.resolve("README.md"));
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** The text outside fenced code blocks (a link in a code sample is not a link). */
    static String prose(String markdown) {
        StringBuilder out = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    /** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    static Set<String> anchors(Path doc) throws IOException {
        Set<String> found = new HashSet<>();
        for (String line : prose(Files.readString(doc)).split("\n")) {
            Matcher m = Pattern.compile("^#{1,6} (.+)$").matcher(line);
            if (m.matches()) {
                found.add(anchor(m.group(1)));
            }
        }
        return found;
    }

    @Test
    void theReadmeIsAFrontDoorOfAtMostTwelveThousandCharacters() throws IOException {
        String readme = Files.readString(REPO.resolve("README.md"));
        assertThat(readme.length()).isLessThanOrEqualTo(12_500);
        assertThat(readme).contains("./logisync up").contains("mvn -B verify").contains("```mermaid");
        for (String reader : List.of("architecture", "api-guide", "channels", "billing", "operations", "deploy",
                "benchmarks", "reliability")) {
            assertThat(REPO.resolve("docs/" + reader + ".md")).exists();
            assertThat(readme).as("README links docs/%s.md", reader).contains("(docs/" + reader + ".md");
        }
    }

    @Test
    void everyRelativeLinkInTheReadmeAndDocsResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(prose(Files.readString(doc)));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not ours to check offline
                }
                checked++;
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String fragment = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path resolved = file.isEmpty() ? doc : doc.getParent().resolve(file).normalize();
                String where = REPO.relativize(doc) + " -> " + target;
                if (!Files.exists(resolved)) {
                    broken.add(where + ": no such file");
                } else if (fragment != null && resolved.toString().endsWith(".md")
                        && !anchors(resolved).contains(fragment)) {
                    broken.add(where + ": no such heading in " + REPO.relativize(resolved));
                }
            }
        }
        assertThat(broken).isEmpty();
        assertThat(checked).as("relative links checked").isGreaterThan(30);
    }

    @Test
    void everyCommandOfTheReadmesBashBlocksIsOneLogisyncOrMavenAccepts() throws Exception {
        Set<String> logisync = logisyncCommands();
        assertThat(logisync).contains("up", "down", "status", "journey", "token", "bench", "chaos");
        String mavenHelp = run(List.of("mvn", "--help"));
        Set<String> modules = modules();
        List<String> wrong = new ArrayList<>();
        List<String> commands = readmeBashCommands();
        assertThat(commands).contains("./logisync up", "mvn -B verify");
        for (String command : commands) {
            List<String> words = List.of(command.trim().split("\\s+"));
            switch (words.get(0)) {
                case "./logisync" -> {
                    if (words.size() < 2 || !logisync.contains(words.get(1))) {
                        wrong.add(command + ": ./logisync has no command " + (words.size() < 2 ? "" : words.get(1)));
                    }
                }
                case "mvn" -> wrong.addAll(mavenProblems(command, words, mavenHelp, modules));
                case "curl" -> wrong.addAll(curlProblems(command, logisync));
                default -> wrong.add(command + ": neither ./logisync, mvn nor curl");
            }
        }
        assertThat(wrong).isEmpty();
    }

    /**
     * A curl example must call an operation the local suite serves: {@code localhost:<port>} of a service
     * (its {@code quarkus.http.port}), a path of that service's committed OpenAPI document with that method,
     * and a token from {@code ./logisync token <roles>}.
     */
    static List<String> curlProblems(String command, Set<String> logisync) throws IOException {
        List<String> wrong = new ArrayList<>();
        Matcher url = Pattern.compile("localhost:(\\d+)(/[^\\s'\"?]*)").matcher(command);
        if (!url.find()) {
            return List.of(command + ": curl calls no localhost URL");
        }
        String service = null;
        for (String s : List.of("order-sync-service", "milestone-service", "billing-trigger-service", "service-view-service")) {
            if (Files.readString(REPO.resolve(s).resolve("src/main/resources/application.properties"))
                    .contains("quarkus.http.port=" + url.group(1) + "\n")) {
                service = s;
            }
        }
        if (service == null) {
            return List.of(command + ": no service serves port " + url.group(1));
        }
        Matcher method = Pattern.compile("-X\\s+([A-Z]+)").matcher(command);
        String verb = (method.find() ? method.group(1) : command.contains(" -d ") ? "POST" : "GET").toLowerCase(Locale.ROOT);
        String contract = Files.readString(REPO.resolve(service).resolve("src/main/openapi/openapi.yaml"));
        boolean found = false;
        Matcher paths = Pattern.compile("(?m)^  (/\\S+):\\n((?:    .*\\n|\\s*\\n)*)").matcher(contract);
        while (paths.find()) {
            String template = paths.group(1).replaceAll("\\{[^}]+}", "[^/]+");
            if (url.group(2).matches(template) && ("\n" + paths.group(2)).contains("\n    " + verb + ":")) {
                found = true;
            }
        }
        if (!found) {
            wrong.add(command + ": " + service + " has no " + verb.toUpperCase(Locale.ROOT) + " " + url.group(2));
        }
        Matcher token = Pattern.compile("\\$\\(\\./logisync (\\S+) ([a-z,-]+)\\)").matcher(command);
        if (!token.find() || !logisync.contains(token.group(1)) || !token.group(1).equals("token")) {
            wrong.add(command + ": the token does not come from ./logisync token <roles>");
        }
        return wrong;
    }

    /** The commands of README's fenced bash blocks, one per line (continuation lines joined), comments dropped. */
    static List<String> readmeBashCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        boolean bash = false;
        String pending = "";
        for (String raw : Files.readString(REPO.resolve("README.md")).split("\n")) {
            if (raw.endsWith("\\") && bash) {
                pending += raw.substring(0, raw.length() - 1) + " ";
                continue;
            }
            String line = pending + raw;
            pending = "";
            if (line.startsWith("```")) {
                bash = !bash && line.trim().equals("```bash");
                continue;
            }
            String command = line.replaceAll("\\s+#.*$", "").trim();
            if (bash && !command.isEmpty() && !command.startsWith("#")) {
                for (String part : command.split("\\s*(&&|;)\\s*")) {
                    commands.add(part);
                }
            }
        }
        return commands;
    }

    /** What {@code ./logisync} lists in its own usage (an unknown command prints it and exits 2). */
    static Set<String> logisyncCommands() throws Exception {
        Set<String> found = new LinkedHashSet<>();
        for (String line : run(List.of("bash", REPO.resolve("logisync").toString(), "help")).split("\n")) {
            Matcher m = Pattern.compile("^  ([a-z][a-z-]*)\\b").matcher(line);
            if (m.find()) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    static final Set<String> PHASES = Set.of("validate", "initialize", "generate-sources", "process-sources",
            "generate-resources", "process-resources", "compile", "process-classes", "generate-test-sources",
            "process-test-sources", "generate-test-resources", "process-test-resources", "test-compile",
            "process-test-classes", "test", "prepare-package", "package", "pre-integration-test",
            "integration-test", "post-integration-test", "verify", "install", "deploy", "clean", "pre-clean",
            "post-clean", "site");

    static List<String> mavenProblems(String command, List<String> words, String help, Set<String> modules) {
        List<String> wrong = new ArrayList<>();
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.startsWith("-D") || w.startsWith("-P")) {
                continue;
            }
            if (w.startsWith("-")) {
                if (!Pattern.compile("(^|\\s|,)" + Pattern.quote(w) + "(,|\\s|$)", Pattern.MULTILINE).matcher(help).find()) {
                    wrong.add(command + ": mvn has no option " + w);
                }
                if ((w.equals("-pl") || w.equals("--projects")) && i + 1 < words.size()) {
                    for (String module : words.get(++i).split(",")) {
                        if (!modules.contains(module)) {
                            wrong.add(command + ": no module " + module);
                        }
                    }
                }
            } else if (!PHASES.contains(w) && !w.matches("[\\w.-]+:[\\w.-]+(:[\\w.-]+)*")) {
                wrong.add(command + ": " + w + " is neither a lifecycle phase nor a goal");
            }
        }
        return wrong;
    }

    static Set<String> modules() throws IOException {
        Set<String> modules = new HashSet<>();
        Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(Files.readString(REPO.resolve("pom.xml")));
        while (m.find()) {
            modules.add(m.group(1));
        }
        return modules;
    }

    static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
