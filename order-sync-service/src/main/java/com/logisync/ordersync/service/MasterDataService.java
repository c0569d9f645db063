package com.logisync.ordersync.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.event.ContractUpdated;
import com.logisync.contracts.event.CustomerUpdated;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.masterdata.Customer;
import com.logisync.ordersync.model.ContractRecord;
import com.logisync.ordersync.model.CustomerRecord;
import com.logisync.ordersync.model.MasterDataRecord;
import com.logisync.ordersync.repository.ContractRepository;
import com.logisync.ordersync.repository.CustomerRepository;
import com.logisync.runtime.outbox.Outbox;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The governed copy of ERP's customers and contracts. An upsert carries ERP's version: a newer
 * version replaces the copy and is published; the same version with the same content is a no-op;
 * an older version (or the same version with other content) never overwrites and is a 409 naming
 * the current version.
 */
@ApplicationScoped
public class MasterDataService {

    /** What an upsert did. */
    public enum Outcome {
        CREATED, UPDATED, UNCHANGED
    }

    public record Upserted<T>(T value, Outcome outcome) {
    }

    private final CustomerRepository customers;
    private final ContractRepository contracts;
    private final Outbox outbox;
    private final ObjectMapper mapper;

    public MasterDataService(CustomerRepository customers, ContractRepository contracts, Outbox outbox,
            ObjectMapper mapper) {
        this.customers = customers;
        this.contracts = contracts;
        this.outbox = outbox;
        this.mapper = mapper;
    }

    @WithTransaction
    public Uni<Upserted<Customer>> upsert(Customer customer) {
        return customers.findById(customer.customerId(), LockModeType.PESSIMISTIC_WRITE)
                .chain(existing -> upsert("Customer " + customer.customerId(), existing, customer, customer.erpVersion(),
                        () -> {
                            CustomerRecord r = new CustomerRecord();
                            r.customerId = customer.customerId();
                            return r;
                        }, customers::persist, new CustomerUpdated(customer)));
    }

    private static final String REMEMBER_CONTRACT = "insert into contract_history (contract_id, erp_version, payload,"
            + " received_at, received_by) values ($1, $2, $3, $4, $5) on conflict (contract_id, erp_version) do nothing";
    private static final String CONTRACT_HISTORY = "select erp_version, payload, received_at, received_by"
            + " from contract_history where contract_id = $1 order by erp_version";

    /** One version of a contract as ERP sent it, by whom and when. */
    public record ContractVersion(long erpVersion, Contract contract, java.time.Instant receivedAt, String receivedBy) {
    }

    /** Every version of a contract received, oldest first (empty for an unknown contract). */
    @WithSession
    public Uni<List<ContractVersion>> contractHistory(String contractId) {
        return com.logisync.runtime.repository.SessionSql.select(CONTRACT_HISTORY, contractId)
                .map(rows -> rows.stream().map(r -> new ContractVersion(((Number) r[0]).longValue(),
                        read((String) r[1], Contract.class), ((java.time.OffsetDateTime) r[2]).toInstant(),
                        (String) r[3])).toList());
    }

    /** As {@link #upsert(Contract)}, remembering the version with who sent it. */
    @WithTransaction
    public Uni<Upserted<Contract>> upsert(Contract contract, String sentBy) {
        return upsertContract(contract).call(u -> u.outcome() == Outcome.UNCHANGED ? Uni.createFrom().voidItem()
                : com.logisync.runtime.repository.SessionSql.update(REMEMBER_CONTRACT, contract.contractId(),
                        contract.erpVersion(), json(contract), com.logisync.runtime.repository.SessionSql.utc(
                                java.time.Instant.now()), sentBy).replaceWithVoid());
    }

    @WithTransaction
    public Uni<Upserted<Contract>> upsert(Contract contract) {
        return upsertContract(contract);
    }

    private Uni<Upserted<Contract>> upsertContract(Contract contract) {
        return customers.findById(contract.customerId()).chain(customer -> {
            if (customer == null) {
                return Uni.createFrom().failure(ProblemException.unprocessable(
                        "Contract " + contract.contractId() + " names customer " + contract.customerId()
                                + ", which ERP has not sent yet",
                        List.of(new com.logisync.runtime.rest.Problem.FieldError("customerId", "CUSTOMER_UNKNOWN",
                                "send the customer first"))));
            }
            return contracts.findById(contract.contractId(), LockModeType.PESSIMISTIC_WRITE)
                    .chain(existing -> upsert("Contract " + contract.contractId(), existing, contract,
                            contract.erpVersion(), () -> {
                                ContractRecord r = new ContractRecord();
                                r.contractId = contract.contractId();
                                r.customerId = contract.customerId();
                                return r;
                            }, contracts::persist, new ContractUpdated(contract)));
        });
    }

    /**
     * The one versioned upsert of every master-data record: decide by ERP version, write the copy
     * (a new record is persisted, an existing one is managed), and publish the change.
     */
    private <R extends MasterDataRecord, T> Uni<Upserted<T>> upsert(String what, R existing, T value, long version,
            java.util.function.Supplier<R> newRecord, java.util.function.Function<R, Uni<R>> persist,
            com.logisync.contracts.LogiSyncEvent changed) {
        String json = json(value);
        Outcome outcome = decide(what, existing, version, json, mapper);
        if (outcome == Outcome.UNCHANGED) {
            return Uni.createFrom().item(new Upserted<>(value, outcome));
        }
        R r = existing != null ? existing : newRecord.get();
        write(r, version, json);
        return (existing == null ? persist.apply(r) : Uni.createFrom().item(r))
                .chain(() -> outbox.enqueue(changed))
                .replaceWith(new Upserted<>(value, outcome));
    }

    @WithSession
    public Uni<Customer> customer(String customerId) {
        return customers.findById(customerId).map(r -> r == null ? null : read(r.payload, Customer.class))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Customer", customerId));
    }

    @WithSession
    public Uni<Contract> contract(String contractId) {
        return contracts.findById(contractId).map(r -> r == null ? null : read(r.payload, Contract.class))
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Contract", contractId));
    }

    /** The customer (or null) and its contracts, in the caller's session: what release validation needs. */
    public Uni<ReleaseContext> releaseContext(String customerId) {
        return customers.findById(customerId).chain(c -> contracts.ofCustomer(customerId).map(list -> new ReleaseContext(
                c == null ? null : read(c.payload, Customer.class),
                list.stream().map(r -> read(r.payload, Contract.class)).toList())));
    }

    /** What ERP's master data says about an order's customer. */
    /**
     * The same master data, whatever the serialised form: a field added to the record since the stored
     * copy was written (absent there, null here) does not make ERP's unchanged resend a conflict.
     */
    static boolean sameContent(ObjectMapper mapper, String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return withoutNulls(mapper.readTree(a)).equals(withoutNulls(mapper.readTree(b)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return false;
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode withoutNulls(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isObject()) {
            var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) node).deepCopy();
            var names = new java.util.ArrayList<String>();
            copy.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (copy.get(name).isNull()) {
                    copy.remove(name);
                } else {
                    copy.set(name, withoutNulls(copy.get(name)));
                }
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = ((com.fasterxml.jackson.databind.node.ArrayNode) node).deepCopy();
            for (int i = 0; i < copy.size(); i++) {
                copy.set(i, withoutNulls(copy.get(i)));
            }
            return copy;
        }
        return node;
    }

    public record ReleaseContext(Customer customer, List<Contract> contracts) {
    }

    private static Outcome decide(String what, MasterDataRecord existing, long version, String json,
            ObjectMapper mapper) {
        if (existing == null) {
            return Outcome.CREATED;
        }
        if (version > existing.erpVersion) {
            return Outcome.UPDATED;
        }
        if (version == existing.erpVersion && sameContent(mapper, json, existing.payload)) {
            return Outcome.UNCHANGED;
        }
        throw ProblemException.conflict("stale-erp-version",
                what + " is at ERP version " + existing.erpVersion + "; version " + version
                        + (version == existing.erpVersion ? " was already applied with different content"
                                : " is older and does not overwrite it"),
                Map.of("currentVersion", existing.erpVersion));
    }

    private static void write(MasterDataRecord r, long version, String json) {
        r.erpVersion = version;
        r.payload = json;
        r.updatedAt = Instant.now();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored " + type.getSimpleName() + " is unreadable", e);
        }
    }
}
