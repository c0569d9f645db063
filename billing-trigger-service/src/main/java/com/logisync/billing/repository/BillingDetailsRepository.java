package com.logisync.billing.repository;

import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingException;
import com.logisync.contracts.masterdata.Contract;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.FlushModeType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A case's accessorials and exceptions, and the customers' contracts. */
@ApplicationScoped
public class BillingDetailsRepository {

    private static final String SAVE_CONTRACT = "insert into billing_contract (customer_id, contract_id, erp_version,"
            + " payload) values (:c, :k, :v, :p) on conflict (customer_id) do update set contract_id = excluded.contract_id,"
            + " erp_version = excluded.erp_version, payload = excluded.payload"
            + " where billing_contract.contract_id <> excluded.contract_id or billing_contract.erp_version < excluded.erp_version";

    private final ObjectMapper mapper;

    public BillingDetailsRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Uni<List<BillingAccessorial>> accessorials(String shipmentId) {
        return Panache.getSession().chain(s -> s.createQuery(
                "from BillingAccessorial a where a.shipmentId = :s order by a.capturedAt, a.accessorialId",
                BillingAccessorial.class).setParameter("s", shipmentId).getResultList());
    }

    public Uni<List<BillingException>> exceptions(String shipmentId) {
        return Panache.getSession().chain(s -> s.createQuery(
                "from BillingException e where e.shipmentId = :s order by e.openedAt, e.exceptionId",
                BillingException.class).setParameter("s", shipmentId).getResultList());
    }

    public Uni<BillingAccessorial> accessorial(String accessorialId) {
        return Panache.getSession().chain(s -> s.find(BillingAccessorial.class, accessorialId));
    }

    public Uni<BillingException> exception(String exceptionId) {
        return Panache.getSession().chain(s -> s.find(BillingException.class, exceptionId));
    }

    public Uni<Void> persist(Object entity) {
        return Panache.getSession().chain(s -> s.persist(entity));
    }

    /** The customer's latest contract (a newer ERP version of it, or another contract, replaces it). */
    /** Keeps the contract (its latest and this version); true when billing did not know this version yet. */
    public Uni<Boolean> saveContract(Contract contract) {
        String payload;
        try {
            payload = mapper.writeValueAsString(contract);
        } catch (Exception e) {
            return Uni.createFrom().failure(e);
        }
        return Panache.getSession().chain(s -> s.createNativeQuery(SAVE_CONTRACT).setParameter("c", contract.customerId())
                .setParameter("k", contract.contractId()).setParameter("v", contract.erpVersion())
                .setParameter("p", payload).executeUpdate()
                .chain(() -> s.createNativeQuery(SAVE_VERSION).setParameter("k", contract.contractId())
                        .setParameter("v", contract.erpVersion()).setParameter("c", contract.customerId())
                        .setParameter("p", payload).executeUpdate())).map(inserted -> inserted > 0);
    }

    private static final String SAVE_VERSION = "insert into billing_contract_version (contract_id, erp_version,"
            + " customer_id, payload) values (:k, :v, :c, :p) on conflict (contract_id, erp_version) do nothing";

    /**
     * Versions of contracts already read: a version never changes once stored (a new ERP version is a new
     * row), so a case's contract is parsed once per process, not once per case and batch. Bounded: cleared
     * when full (a cold read costs one indexed lookup).
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Contract> versions = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int VERSIONS_KEPT = 10_000;

    /** One version of a contract, as ERP sent it; null until it has arrived. */
    public Uni<Contract> contractVersion(String contractId, long version) {
        String key = contractId + "#" + version;
        Contract known = versions.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return readContractVersion(contractId, version).invoke(c -> {
            if (c != null) {
                if (versions.size() >= VERSIONS_KEPT) {
                    versions.clear();
                }
                versions.put(key, c);
            }
        });
    }

    private Uni<Contract> readContractVersion(String contractId, long version) {
        // A plain statement, not Hibernate's native query: that flushes the session first, and a consumer batch's
        // session holds hundreds of cases (a contract is read for every case a batch evaluates).
        return com.logisync.runtime.repository.SessionSql.select(
                        "select payload from billing_contract_version where contract_id = $1 and erp_version = $2",
                        contractId, version)
                .map(rows -> rows.isEmpty() ? null : (String) rows.get(0)[0])
                .map(json -> {
                    try {
                        return json == null ? null : mapper.readValue(json, Contract.class);
                    } catch (Exception e) {
                        throw new IllegalStateException("Stored contract " + contractId + " v" + version + " is unreadable", e);
                    }
                });
    }

    public Uni<Contract> contractOf(String customerId) {
        if (customerId == null) {
            return Uni.createFrom().nullItem();
        }
        // A plain statement, as readContractVersion.
        return com.logisync.runtime.repository.SessionSql.select("select payload from billing_contract where customer_id = $1",
                        customerId)
                .map(rows -> rows.isEmpty() ? null : (String) rows.get(0)[0])
                .map(json -> {
                    try {
                        return json == null ? null : mapper.readValue(json, Contract.class);
                    } catch (Exception e) {
                        throw new IllegalStateException("Stored contract of " + customerId + " is unreadable", e);
                    }
                });
    }

    /** The diesel index of an ISO week, or null when not set. */
    public Uni<java.math.BigDecimal> dieselPrice(String isoWeek) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                        "select price_per_gallon from fuel_index where iso_week = :w", java.math.BigDecimal.class)
                .setParameter("w", isoWeek).getSingleResultOrNull());
    }

    /** Approved accessorials no document has billed yet. */
    public Uni<List<BillingAccessorial>> unbilledApproved(String shipmentId) {
        return Panache.getSession().chain(s -> s.createQuery("from BillingAccessorial a where a.shipmentId = :s"
                + " and a.status = 'APPROVED' and a.billedIn is null order by a.capturedAt, a.accessorialId",
                BillingAccessorial.class).setParameter("s", shipmentId).getResultList());
    }

    /** Marks the accessorials a document bills. */
    public Uni<Integer> markBilled(String shipmentId, List<String> accessorialIds, String documentKey) {
        if (accessorialIds.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(s -> s.createMutationQuery("update BillingAccessorial a set a.billedIn = :k"
                + " where a.shipmentId = :s and a.accessorialId in (:ids)").setParameter("k", documentKey)
                .setParameter("s", shipmentId).setParameter("ids", accessorialIds).executeUpdate());
    }

    /** What a refused revision billed is not billed after all (a re-invoice bills it again). */
    public Uni<Void> unbill(String shipmentId, String documentKey) {
        if (documentKey == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(s -> s.createMutationQuery("update BillingAccessorial a set a.billedIn = null"
                + " where a.shipmentId = :s and a.billedIn = :k").setParameter("s", shipmentId)
                .setParameter("k", documentKey).executeUpdate()).replaceWithVoid();
    }

    /** What is known of the case's POD document (not its content), or null. */
    public Uni<com.logisync.billing.model.PodDocumentInfo> podDocument(String shipmentId) {
        return Panache.getSession().chain(s -> s.createQuery("select new " + "com.logisync.billing.model.PodDocumentInfo"
                + "(d.fileName, d.contentType, d.sizeBytes, d.sha256, d.uploadedBy, d.uploadedAt)"
                + " from BillingPodDocument d where d.shipmentId = :s", com.logisync.billing.model.PodDocumentInfo.class)
                .setParameter("s", shipmentId).getSingleResultOrNull());
    }

    /** The case's POD document with its content, or null. */
    public Uni<com.logisync.billing.model.BillingPodDocument> podDocumentWithContent(String shipmentId) {
        return Panache.getSession().chain(s -> s.find(com.logisync.billing.model.BillingPodDocument.class, shipmentId));
    }

    /** The details of many cases, read in one statement per kind (a consumed batch's cases). */
    public record Batch(Map<String, List<BillingAccessorial>> accessorials, Map<String, List<BillingException>> exceptions,
            Map<String, com.logisync.billing.model.PodDocumentInfo> pods,
            Map<String, List<com.logisync.billing.model.BillingDocument>> documents) {

        public List<BillingAccessorial> accessorialsOf(String shipmentId) {
            return accessorials.getOrDefault(shipmentId, List.of());
        }

        public List<BillingException> exceptionsOf(String shipmentId) {
            return exceptions.getOrDefault(shipmentId, List.of());
        }

        public List<com.logisync.billing.model.BillingDocument> documentsOf(String shipmentId) {
            return documents.getOrDefault(shipmentId, List.of());
        }
    }

    /**
     * Accessorials, exceptions, POD documents and ERP documents of the given cases: four statements,
     * whatever the number of cases, each list in the order the per-case reads give it.
     *
     * <p>The session is flushed once, first, and the four queries do not flush again. By default each query
     * would flush the session before it runs (Hibernate's auto-flush), and every flush walks every entity the
     * session holds, the batch's hundreds of locked cases among them: 6.6 % of billing's CPU on the benchmark's
     * lifecycle mix went to those four walks, which found nothing to write (async-profiler, 2026-12-04).
     */
    public Uni<Batch> ofCases(java.util.Collection<String> shipmentIds) {
        if (shipmentIds.isEmpty()) {
            return Uni.createFrom().item(new Batch(Map.of(), Map.of(), Map.of(), Map.of()));
        }
        List<String> ids = List.copyOf(shipmentIds);
        return Panache.getSession().chain(s -> s.flush().chain(() -> s.createQuery(
                        "from BillingAccessorial a where a.shipmentId in (:s)"
                        + " order by a.capturedAt, a.accessorialId", BillingAccessorial.class).setParameter("s", ids)
                .setFlushMode(FlushModeType.COMMIT).getResultList())
                .chain(accessorials -> s.createQuery("from BillingException e where e.shipmentId in (:s)"
                                + " order by e.openedAt, e.exceptionId", BillingException.class).setParameter("s", ids)
                        .setFlushMode(FlushModeType.COMMIT).getResultList()
                        .chain(exceptions -> s.createQuery("select d.shipmentId, new com.logisync.billing.model"
                                        + ".PodDocumentInfo(d.fileName, d.contentType, d.sizeBytes, d.sha256, d.uploadedBy,"
                                        + " d.uploadedAt) from BillingPodDocument d where d.shipmentId in (:s)", Object[].class)
                                .setParameter("s", ids).setFlushMode(FlushModeType.COMMIT).getResultList()
                                .chain(pods -> s.createQuery("from BillingDocument d where d.shipmentId in (:s)"
                                                + " order by d.seq", com.logisync.billing.model.BillingDocument.class)
                                        .setParameter("s", ids).setFlushMode(FlushModeType.COMMIT).getResultList()
                                        .map(documents -> {
                                            Map<String, com.logisync.billing.model.PodDocumentInfo> podOf = new HashMap<>();
                                            pods.forEach(row -> podOf.put((String) row[0],
                                                    (com.logisync.billing.model.PodDocumentInfo) row[1]));
                                            return new Batch(
                                                    byShipment(accessorials, a -> a.shipmentId),
                                                    byShipment(exceptions, e -> e.shipmentId), podOf,
                                                    byShipment(documents, d -> d.shipmentId));
                                        })))));
    }

    private static <T> Map<String, List<T>> byShipment(List<T> rows, java.util.function.Function<T, String> shipment) {
        Map<String, List<T>> grouped = new HashMap<>();
        rows.forEach(row -> grouped.computeIfAbsent(shipment.apply(row), k -> new java.util.ArrayList<>()).add(row));
        return grouped;
    }

    /** The case's documents at ERP, in the order they were asked for. */
    public Uni<List<com.logisync.billing.model.BillingDocument>> documents(String shipmentId) {
        return Panache.getSession().chain(s -> s.createQuery("from BillingDocument d where d.shipmentId = :s"
                + " order by d.seq", com.logisync.billing.model.BillingDocument.class).setParameter("s", shipmentId)
                .getResultList());
    }
}
