package com.logisync.milestone.repository;

import com.logisync.runtime.repository.SessionSql;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * The interchanges received, per sender and ISA13, and the acknowledgements' own control numbers
 * (one sequence per partner). Runs in the caller's session.
 */
@ApplicationScoped
public class X12InterchangeLog {

    /** A stored interchange: its content digest and the control number its acknowledgement got. */
    public record Received(String contentSha256, String ackControl) {
    }

    private static final String FIND = "select content_sha256, ack_control from x12_interchange"
            + " where sender_id = $1 and control_number = $2";
    private static final String NEXT_ACK = "insert into x12_ack_control (partner_id, last_number) values ($1, 1)"
            + " on conflict (partner_id) do update set last_number = x12_ack_control.last_number + 1 returning last_number";
    private static final String REMEMBER = "insert into x12_interchange (partner_id, sender_id, control_number,"
            + " content_sha256, test, ack_control, received_at) values ($1, $2, $3, $4, $5, $6, $7)"
            + " on conflict (sender_id, control_number) do nothing";

    public Uni<Received> find(String senderId, String controlNumber) {
        return SessionSql.select(FIND, senderId, controlNumber)
                .map(rows -> rows.isEmpty() ? null : new Received((String) rows.get(0)[0], (String) rows.get(0)[1]));
    }

    /** The next acknowledgement control number for the partner (1 to 999,999,999, then round again). */
    public Uni<String> nextAckControl(String partnerId) {
        return SessionSql.select(NEXT_ACK, partnerId)
                .map(rows -> String.valueOf((((Number) rows.get(0)[0]).longValue() - 1) % 999_999_999 + 1));
    }

    public Uni<Void> remember(String partnerId, String senderId, String controlNumber, String sha256, boolean test,
            String ackControl, Instant at) {
        return SessionSql.update(REMEMBER, partnerId, senderId, controlNumber, sha256, test, ackControl,
                SessionSql.utc(at)).replaceWithVoid();
    }
}
