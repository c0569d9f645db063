package com.logisync.billing.repository;

import com.logisync.billing.model.BillingCase;
import com.logisync.runtime.repository.ShipmentRows;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class BillingCaseRepository implements PanacheRepositoryBase<BillingCase, String> {

    private static final String INSERT_IF_ABSENT = "insert into billing_case (shipment_id, status, updated_at)"
            + " values (:shipmentId, 'OPEN', now()) on conflict (shipment_id) do nothing";

    /** The shipment's case, created if missing, locked for this transaction. */
    public Uni<BillingCase> lockOrCreate(String shipmentId) {
        return ShipmentRows.lockOrCreate(shipmentId, INSERT_IF_ABSENT, this::findById);
    }

    /** Cases whose invoice call is due and that no worker holds, oldest first. */
    public Uni<java.util.List<String>> dueForInvoicing(java.time.Instant now, int limit) {
        return find("select b.shipmentId from BillingCase b where b.nextInvoiceAt <= ?1"
                + " and (b.claimedUntil is null or b.claimedUntil <= ?1) order by b.nextInvoiceAt", now)
                .project(String.class).page(0, limit).list();
    }

    /**
     * Takes the ERP conversation about one case until {@code leaseUntil}: only one caller (worker of
     * any replica) wins, and the lease lets another try if the winner dies mid-call. The token fences
     * the holder's later writes: a worker that stalled past its lease finds another token and writes nothing.
     */
    public Uni<Boolean> claim(String shipmentId, java.time.Instant now, java.time.Instant leaseUntil, String token) {
        return update("claimedUntil = ?1, claimToken = ?4 where shipmentId = ?2 and nextInvoiceAt <= ?3"
                + " and (claimedUntil is null or claimedUntil <= ?3)", leaseUntil, shipmentId, now, token).map(n -> n == 1);
    }

    /** Cases whose late charges are due on a supplementary invoice. */
    public Uni<java.util.List<String>> dueForSupplement(java.time.Instant now, int limit) {
        return find("select b.shipmentId from BillingCase b where b.supplementDueAt <= ?1 order by b.supplementDueAt", now)
                .project(String.class).page(0, limit).list();
    }

    public Uni<BillingCase> lock(String shipmentId) {
        return findById(shipmentId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
    }

    /** The customer's cases a contract change may concern: not yet asked of ERP (open, or eligible and unrated). */
    public Uni<java.util.List<String>> notYetInvoiced(String customerId) {
        return find("select b.shipmentId from BillingCase b where b.customerId = ?1 and (b.status = ?2"
                + " or (b.status = ?3 and b.ratingJson is null)) order by b.shipmentId", customerId,
                com.logisync.billing.model.BillingStatus.OPEN, com.logisync.billing.model.BillingStatus.ELIGIBLE)
                .project(String.class).list();
    }

    /** A new diesel index may make cases waiting for it ratable: look at them again now. */
    public Uni<Integer> wakeUnrated(java.time.Instant now) {
        // The rows are locked in shipment id order, as every writer that locks several cases does (a contract
        // change looking at a customer's cases): an unordered bulk update deadlocked with it.
        return getSession().chain(s -> s.createNativeQuery("update billing_case set next_invoice_at = :now"
                + " where shipment_id in (select shipment_id from billing_case where status = 'ELIGIBLE'"
                + " and rating_json is null and next_invoice_at > :now order by shipment_id for update)")
                .setParameter("now", now.atOffset(java.time.ZoneOffset.UTC)).executeUpdate());
    }
}
