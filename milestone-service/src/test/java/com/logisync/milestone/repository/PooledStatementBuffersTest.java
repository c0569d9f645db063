package com.logisync.milestone.repository;

import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxByteBufAllocator;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch statement's bind message (megabytes: a batch's rows as arrays) is written into a buffer of the
 * connection's pool, not allocated outside it. With Quarkus's default of 64 KiB chunks ({@code maxOrder} 3) every
 * such buffer was a "huge" allocation: a fresh direct buffer, zeroed, for each statement and again at each
 * doubling while it grew. The suite builds with {@code quarkus.netty.allocator-max-order=10} (sync-runtime's shared
 * configuration): 8 MiB chunks.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class PooledStatementBuffersTest {

    @Inject
    Vertx vertx;

    @Test
    void aStatementOfMegabytesIsWrittenIntoPooledChunksOfEightMebibytes() {
        PooledByteBufAllocator pool = (PooledByteBufAllocator) VertxByteBufAllocator.POOLED_ALLOCATOR;
        assertThat(System.getProperty("io.netty.allocator.maxOrder")).isEqualTo("10");
        assertThat(pool.metric().chunkSize()).isEqualTo(8 * 1024 * 1024);

        // Two megabytes of parameters, as a batch of 1,000 milestones and their payloads binds.
        byte[] payload = new byte[2 * 1024 * 1024];
        Arrays.fill(payload, (byte) 'x');
        long hugeBefore = huge(pool);
        for (int round = 0; round < 3; round++) {
            List<Object[]> rows = SafeContext.run(vertx, () -> Panache.withSession(() -> SessionSql.select(
                    "select length($1::bytea)", Buffer.buffer(payload)))).await().atMost(Duration.ofSeconds(30));
            assertThat(((Number) rows.get(0)[0]).intValue()).isEqualTo(payload.length);
        }
        assertThat(huge(pool)).as("allocations outside the pool's chunks").isEqualTo(hugeBefore);
    }

    private static long huge(PooledByteBufAllocator pool) {
        return pool.metric().directArenas().stream().mapToLong(PoolArenaMetric::numHugeAllocations).sum()
                + pool.metric().heapArenas().stream().mapToLong(PoolArenaMetric::numHugeAllocations).sum();
    }
}
