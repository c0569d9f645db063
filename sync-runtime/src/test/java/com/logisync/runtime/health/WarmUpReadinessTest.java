package com.logisync.runtime.health;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class WarmUpReadinessTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    /** A warm-up the test ends by hand, recording the order the warm-ups started in. */
    private static WarmUp held(String name, List<String> started, AtomicReference<UniEmitter<? super String>> end) {
        return new WarmUp() {
            public String name() {
                return name;
            }

            public Uni<String> run() {
                return Uni.createFrom().emitter(em -> {
                    synchronized (started) {
                        started.add(name + (io.vertx.core.Context.isOnVertxThread() ? " on a Vert.x thread" : ""));
                    }
                    end.set(em);
                });
            }
        };
    }

    private static WarmUp answering(String name, Uni<String> answer) {
        return new WarmUp() {
            public String name() {
                return name;
            }

            public Uni<String> run() {
                return answer;
            }
        };
    }

    @Test
    void downUntilEveryWarmUpHasRunOneAfterTheOtherThenUpWithWhatEachDid() {
        List<String> started = new ArrayList<>();
        AtomicReference<UniEmitter<? super String>> first = new AtomicReference<>();
        AtomicReference<UniEmitter<? super String>> second = new AtomicReference<>();
        WarmUpReadiness check = new WarmUpReadiness(List.of(held("case view", started, first),
                held("order view", started, second)), vertx, Duration.ofSeconds(30), true);

        check.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> first.get() != null);
        HealthCheckResponse during = check.call();
        assertThat(during.getName()).isEqualTo("Warm-up");
        assertThat(during.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(during.getData().orElseThrow()).containsEntry("running", "case view");
        // The second has not started while the first runs.
        assertThat(started).containsExactly("case view on a Vert.x thread");

        first.get().complete("SHP-1");
        await().atMost(Duration.ofSeconds(5)).until(() -> second.get() != null);
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(check.call().getData().orElseThrow()).containsEntry("running", "order view");
        second.get().complete("nothing to read yet");

        await().atMost(Duration.ofSeconds(5)).until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
        var data = check.call().getData().orElseThrow();
        assertThat(data).doesNotContainKey("running");
        assertThat((String) data.get("case view")).matches("\\d+ ms, SHP-1");
        assertThat((String) data.get("order view")).matches("\\d+ ms, nothing to read yet");
        assertThat(started).containsExactly("case view on a Vert.x thread", "order view on a Vert.x thread");
    }

    @Test
    void aWarmUpThatFailsOrHangsIsPassedOverAndTheServiceBecomesReady() {
        WarmUpReadiness check = new WarmUpReadiness(List.of(
                answering("case view", Uni.createFrom().failure(new IllegalStateException("connection refused"))),
                answering("order view", Uni.createFrom().nothing()),
                answering("task list", Uni.createFrom().item("12 tasks"))), vertx, Duration.ofMillis(300), true);

        check.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> check.call().getStatus() == HealthCheckResponse.Status.UP);
        var data = check.call().getData().orElseThrow();
        assertThat((String) data.get("case view")).matches("failed after \\d+ ms: connection refused");
        assertThat((String) data.get("order view")).matches("failed after \\d+ ms: not done after 300 ms");
        // The one after the hanging warm-up still ran.
        assertThat((String) data.get("task list")).matches("\\d+ ms, 12 tasks");
    }

    @Test
    void withoutWarmUpsOrSwitchedOffItIsUpAtOnce() {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        WarmUpReadiness off = new WarmUpReadiness(List.of(answering("case view",
                Uni.createFrom().item(() -> {
                    ran.complete(true);
                    return "read";
                }))), vertx, Duration.ofSeconds(30), false);
        off.start();
        assertThat(off.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(ran).isNotDone();

        WarmUpReadiness none = new WarmUpReadiness(List.of(), vertx, Duration.ofSeconds(30), true);
        none.start();
        assertThat(none.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
