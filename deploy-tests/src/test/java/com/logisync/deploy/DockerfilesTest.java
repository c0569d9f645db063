package com.logisync.deploy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each deployable module has a JVM and a native-micro Dockerfile that match what the chart runs:
 * the HTTP port the service listens on, the non-root user the pod runs as, the artifact the build
 * produces, and base images given by name only (no registry host: a mirror is set with a build arg).
 */
class DockerfilesTest {

    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE (\\d+)$");
    private static final Pattern FROM_DEFAULT = Pattern.compile("(?m)^ARG [A-Z_]*IMAGE=(\\S+)$");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"order-sync-service", "milestone-service", "billing-trigger-service",
            "service-view-service", "partner-simulator"})
    void jvmAndNativeDockerfilesExposeTheServicePortAndRunAsTheChartsNonRootUser(String module) throws Exception {
        Path docker = NodeTools.REPO.resolve(module).resolve("src/main/docker");
        int port = Platform.httpPort(module);
        for (String file : List.of("Dockerfile.jvm", "Dockerfile.native-micro")) {
            String text = Files.readString(docker.resolve(file));
            Matcher expose = EXPOSE.matcher(text);
            assertThat(expose.find()).as(module + "/" + file + " EXPOSE").isTrue();
            assertThat(Integer.parseInt(expose.group(1))).as(module + "/" + file + " port").isEqualTo(port);
            // The chart's securityContext runs as 1001 with a read-only root filesystem.
            assertThat(text).as(file).containsPattern("(?m)^USER 1001$").contains("-Djava.io.tmpdir=/tmp");
            Matcher from = FROM_DEFAULT.matcher(text);
            while (from.find()) {
                String image = from.group(1);
                String first = image.split("/")[0];
                assertThat(image.contains("/") && (first.contains(".") || first.contains(":")))
                        .as(file + " base image " + image + " names a registry host").isFalse();
            }
            assertThat(text).as(file).containsPattern("(?m)^FROM \\$\\{BASE_IMAGE}$");
        }
        assertThat(Files.readString(docker.resolve("Dockerfile.jvm"))).contains("target/quarkus-app/")
                .contains("quarkus-run.jar");
        assertThat(Files.readString(docker.resolve("Dockerfile.native-micro"))).contains("target/*-runner");
    }
}
