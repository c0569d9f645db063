package com.logisync.billing.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.billing.config.InvoicingConfig;
import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingDocument;
import com.logisync.billing.model.BillingStatus;
import com.logisync.billing.repository.BillingCaseRepository;
import com.logisync.billing.repository.BillingDetailsRepository;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documents of a case after its first invoice request, each created once under the case lock
 * with a deterministic idempotency key and asked of ERP by {@link DocumentWorker}:
 * <ul>
 * <li>the first invoice, recorded as a document once ERP issued it;</li>
 * <li>a <b>supplementary invoice</b> ({@code <shipment>:supplement-<seq>}) for the charges approved
 * after the invoice request, after the hold, all of them together;</li>
 * <li><b>void and rebill</b>: a clerk's credit note ({@code <shipment>:credit-<seq>}) for every invoice
 * of the case not yet credited, then one new invoice ({@code <shipment>:rebill-<seq>}) rating the
 * case afresh with everything approved.</li>
 * </ul>
 */
@ApplicationScoped
public class BillingDocuments {

    private static final Logger LOG = Logger.getLogger(BillingDocuments.class);

    private final BillingCaseRepository cases;
    private final BillingDetailsRepository details;
    private final BillingCaseService billing;
    private final InvoicingConfig config;
    private final ObjectMapper mapper;

    public BillingDocuments(BillingCaseRepository cases, BillingDetailsRepository details, BillingCaseService billing,
            InvoicingConfig config, ObjectMapper mapper) {
        this.cases = cases;
        this.details = details;
        this.billing = billing;
        this.config = config;
        this.mapper = mapper;
    }

    /** The first invoice, as ERP issued it, becomes the case's first document (in the caller's transaction). */
    public Uni<Void> recordFirstInvoice(BillingCase b) {
        return Panache.getSession().chain(s -> s.find(BillingDocument.class, b.invoiceKey()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            BillingDocument d = document(b, b.invoiceKey(), BillingDocument.INVOICE, b.ratingJson, b.invoiceCurrency,
                    b.invoiceTotal, null, "AUTO", "first invoice");
            d.state = BillingDocument.ISSUED;
            d.erpDocumentId = b.invoiceId;
            d.issuedAt = b.invoicedAt;
            d.nextAttemptAt = null;
            return s.persist(d);
        }));
    }

    /**
     * The late charges of a case whose supplementary invoice is due go on one supplementary invoice,
     * marked billed by it in the same transaction.
     */
    public Uni<Void> freezeSupplement(String shipmentId) {
        return Panache.withTransaction(() -> cases.lock(shipmentId).chain(b -> {
            if (b.supplementDueAt == null || b.supplementDueAt.isAfter(Instant.now())) {
                return Uni.createFrom().voidItem();
            }
            MDC.put("shipmentId", shipmentId);
            b.supplementDueAt = null;
            if (b.status != BillingStatus.INVOICE_REQUESTED && b.status != BillingStatus.INVOICED) {
                return Uni.createFrom().voidItem(); // a re-invoice rates every approved charge anyway
            }
            return details.unbilledApproved(shipmentId).chain(late -> late.isEmpty() ? Uni.createFrom().voidItem()
                    : billing.contractFor(b).chain(contract -> {
                        RatingEngine.Rating rating;
                        try {
                            if (contract == null) {
                                throw new RatingEngine.RatingException("the order's contract is not known");
                            }
                            rating = RatingEngine.supplementary(contract, b.invoiceCurrency, charges(late),
                                    config.rounding());
                        } catch (RatingEngine.RatingException e) {
                            b.invoiceError = truncate("late charges not ratable: " + e.getMessage());
                            LOG.errorf("Shipment %s: %s", shipmentId, b.invoiceError);
                            return Uni.createFrom().voidItem();
                        }
                        String key = shipmentId + ":supplement-" + (b.documentSeq + 1);
                        BillingDocument d = document(b, key, BillingDocument.SUPPLEMENTARY_INVOICE, json(rating),
                                rating.currency(), rating.total(), b.invoiceKey(), "AUTO",
                                late.size() + " charge(s) after the invoice request");
                        LOG.infof("Shipment %s: supplementary invoice %s for %s %s (%s)", shipmentId, key,
                                rating.total(), rating.currency(), String.join(", ", late.stream()
                                        .map(a -> a.accessorialId).toList()));
                        return details.persist(d)
                                .chain(() -> details.markBilled(shipmentId, RatingEngine.accessorialIds(rating), key))
                                .chain(() -> billing.republish(b));
                    }));
        }));
    }

    /**
     * A clerk voids the case's invoices and rebills it: one credit note per invoice not credited yet,
     * then one new invoice with today's rating. Refused while a document is still being asked for.
     */
    public Uni<BillingCaseService.CaseDetails> voidAndRebill(String shipmentId, String clerk, String reason) {
        return billing.find(shipmentId).invoke(d -> notInvoiced(d.billingCase()))
                .chain(() -> billing.rateAfresh(shipmentId)).chain(rating -> Panache.withTransaction(() -> cases.findById(shipmentId,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("Billing case", shipmentId))
                .chain(b -> {
                    notInvoiced(b);
                    return recordFirstInvoice(b).chain(() -> details.documents(shipmentId)).chain(documents -> {
                        List<String> pending = documents.stream()
                                .filter(d -> BillingDocument.REQUESTED.equals(d.state)).map(d -> d.idempotencyKey)
                                .toList();
                        if (!pending.isEmpty()) {
                            return Uni.createFrom().failure(ProblemException.conflict("documents-pending",
                                    "Shipment " + shipmentId + " has documents ERP has not issued yet: " + pending
                                            + "; void and rebill once they are issued", Map.of("pending", pending)));
                        }
                        MDC.put("shipmentId", shipmentId);
                        List<BillingDocument> created = new ArrayList<>();
                        for (BillingDocument invoice : documents) {
                            if (!invoice.isInvoice() || !BillingDocument.ISSUED.equals(invoice.state)
                                    || invoice.creditedBy != null) {
                                continue;
                            }
                            RatingEngine.Rating credit = RatingEngine.credit(read(invoice.ratingJson));
                            String key = shipmentId + ":credit-" + (b.documentSeq + 1);
                            created.add(document(b, key, BillingDocument.CREDIT_NOTE, json(credit), credit.currency(),
                                    credit.total(), invoice.idempotencyKey, clerk, reason));
                            invoice.creditedBy = key;
                        }
                        String key = shipmentId + ":rebill-" + (b.documentSeq + 1);
                        created.add(document(b, key, BillingDocument.INVOICE, json(rating), rating.currency(),
                                rating.total(), b.invoiceKey(), clerk, reason));
                        b.supplementDueAt = null; // everything approved is on the rebill
                        LOG.infof("Shipment %s voided and rebilled by %s (%s): %d credit note(s), new invoice %s of %s %s",
                                shipmentId, clerk, reason, created.size() - 1, key, rating.total(), rating.currency());
                        return Panache.getSession().chain(s -> s.persistAll(created.toArray()))
                                .chain(() -> details.markBilled(shipmentId, RatingEngine.accessorialIds(rating), key))
                                .chain(() -> billing.republish(b));
                    });
                }))).chain(() -> billing.find(shipmentId));
    }

    private static void notInvoiced(BillingCase b) {
        if (b.status != BillingStatus.INVOICED) {
            throw ProblemException.conflict("not-invoiced", "Shipment " + b.shipmentId + " is " + b.status
                    + ": only an invoiced case can be voided and rebilled", Map.of("caseStatus", b.status.name()));
        }
    }

    private BillingDocument document(BillingCase b, String key, String kind, String ratingJson, String currency,
            java.math.BigDecimal total, String originalKey, String by, String reason) {
        BillingDocument d = new BillingDocument();
        d.idempotencyKey = key;
        d.shipmentId = b.shipmentId;
        d.seq = ++b.documentSeq;
        d.kind = kind;
        d.state = BillingDocument.REQUESTED;
        d.ratingJson = ratingJson;
        d.currency = currency;
        d.total = total;
        d.originalKey = originalKey;
        d.requestedBy = by;
        d.reason = truncate(reason);
        d.requestedAt = Instant.now();
        d.nextAttemptAt = d.requestedAt;
        return d;
    }

    private static List<RatingEngine.Charge> charges(List<BillingAccessorial> accessorials) {
        return accessorials.stream().map(a -> new RatingEngine.Charge(a.accessorialId, a.chargeCode, a.quantity, a.unit))
                .toList();
    }

    RatingEngine.Rating read(String json) {
        try {
            return mapper.readValue(json, RatingEngine.Rating.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored rating is unreadable", e);
        }
    }

    private String json(RatingEngine.Rating rating) {
        try {
            return mapper.writeValueAsString(rating);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store the rating", e);
        }
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
    }
}
