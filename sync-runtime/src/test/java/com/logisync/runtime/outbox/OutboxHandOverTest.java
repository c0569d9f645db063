package com.logisync.runtime.outbox;

import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class OutboxHandOverTest {

    private static final long HOUR = 3_600_000_000_000L;

    private static List<LogRow> rows(long txid, int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> new LogRow(i, txid, i % 16, "ce-" + i, "topic",
                "SHP-" + i, "type", "{}", null, OffsetDateTime.of(2026, 12, 5, 20, 0, 0, 0, ZoneOffset.UTC))).toList();
    }

    @Test
    void aTransactionsRowsAreTakenOnlyWhenAllItsCommitCountedWereHandedOver() {
        OutboxHandOver handOver = new OutboxHandOver(100, HOUR);
        handOver.written(7, rows(7, 0, 3));
        // Its commit counted a fourth row (an outbox row, a statement not handed over): read from the database.
        assertThat(handOver.committed(7, 4)).isNull();
        assertThat(handOver.committed(7, 3)).extracting(LogRow::seq).containsExactly(0L, 1L, 2L);
        // A second statement of the same transaction adds to its rows.
        handOver.written(7, rows(7, 3, 1));
        assertThat(handOver.committed(7, 4)).extracting(LogRow::seq).containsExactly(0L, 1L, 2L, 3L);
        assertThat(handOver.committed(8, 1)).isNull();
        assertThat(handOver.rowsKept()).isEqualTo(4);
        handOver.forget(List.of(7L, 8L));
        assertThat(handOver.committed(7, 4)).isNull();
        assertThat(handOver.rowsKept()).isZero();
    }

    @Test
    void rowsPastTheLimitAreNotKeptAndTheirTransactionIsReadFromTheDatabase() {
        OutboxHandOver handOver = new OutboxHandOver(5, HOUR);
        handOver.written(1, rows(1, 0, 4));
        handOver.written(2, rows(2, 4, 2));
        handOver.written(1, rows(1, 6, 2));
        assertThat(handOver.committed(1, 4)).hasSize(4);
        assertThat(handOver.committed(2, 2)).isNull();
        // Transaction 1 wrote 6 rows; 2 of them were not kept, so its commit's count (6) does not match.
        assertThat(handOver.committed(1, 6)).isNull();
        assertThat(handOver.rowsKept()).isEqualTo(4);
        assertThat(handOver.rowsNotKept()).isEqualTo(4);
        handOver.forget(List.of(1L));
        handOver.written(3, rows(3, 8, 5));
        assertThat(handOver.committed(3, 5)).hasSize(5);
    }

    @Test
    void theRowsOfATransactionNobodyAskedForAreDroppedOnceOld() throws InterruptedException {
        OutboxHandOver handOver = new OutboxHandOver(100, 20_000_000L);
        handOver.written(1, rows(1, 0, 2));
        Thread.sleep(40);
        handOver.written(2, rows(2, 2, 1));
        assertThat(handOver.committed(1, 2)).isNull();
        assertThat(handOver.committed(2, 1)).hasSize(1);
        assertThat(handOver.rowsKept()).isEqualTo(1);
    }

    @Test
    void noRowIsKeptWhenTheHandOverIsOff() {
        OutboxHandOver handOver = new OutboxHandOver(0, HOUR);
        handOver.written(1, rows(1, 0, 2));
        assertThat(handOver.committed(1, 2)).isNull();
        assertThat(handOver.rowsKept()).isZero();
    }
}
