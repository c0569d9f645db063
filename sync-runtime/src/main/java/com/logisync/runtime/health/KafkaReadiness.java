package com.logisync.runtime.health;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Readiness is DOWN within about two seconds when the broker is unreachable. (Quarkus' own Kafka
 * check waits for the admin client's 60-second API timeout, far beyond any probe's timeout.) It
 * uses the service's own Kafka client settings, security included.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofMillis(2000);

    private final Map<String, Object> clientConfig;
    private volatile Admin admin;

    public KafkaReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> c = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                c.put(k, v);
            }
        });
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "logisync-readiness");
        this.clientConfig = c;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom().completionStage(() -> admin()
                .describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                .nodes().toCompletionStage())
                .map(nodes -> nodes.isEmpty()
                        ? HealthCheckResponse.named("Kafka broker").down().withData("reason", "no broker nodes").build()
                        : HealthCheckResponse.named("Kafka broker").up().withData("nodes", nodes.size()).build())
                .ifNoItem().after(TIMEOUT.plusMillis(500)).fail()
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("Kafka broker").down()
                        .withData("reason", String.valueOf(e.getMessage())).build());
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    admin = Admin.create(clientConfig);
                }
                a = admin;
            }
        }
        return a;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
