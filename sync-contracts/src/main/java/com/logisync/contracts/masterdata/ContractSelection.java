package com.logisync.contracts.masterdata;

import com.logisync.contracts.model.ContractTerms;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one rule for "which contract and lane price this order", used by order release (which decides
 * it once and puts it on the order's events) and by billing only for orders released before the rule
 * existed. Among the customer's contracts valid on the planned pickup day (a newer ERP version of a
 * contract id supersedes an older one), the contract with the latest {@code validFrom} that carries
 * the route with the order's service level wins; within it, the most specific lane (a region before
 * a whole country, the origin weighing more than the destination) that carries the service level.
 */
public final class ContractSelection {

    /** Why no contract applies, in the order the checks are made. */
    public enum Refusal {
        NO_CONTRACT, LANE_NOT_COVERED, SERVICE_LEVEL_NOT_COVERED
    }

    /** The contract and lane chosen, or why none. */
    public record Result(Contract contract, Contract.Lane lane, Refusal refusal) {

        public Optional<ContractTerms> terms(String serviceLevel) {
            return contract == null ? Optional.empty() : Optional.of(new ContractTerms(contract.contractId(),
                    contract.erpVersion(), lane.originRegion(), lane.destinationRegion(), serviceLevel));
        }
    }

    private ContractSelection() {
    }

    public static Result select(List<Contract> contracts, LocalDate pickupDay, String origin, String destination,
            String serviceLevel) {
        List<Contract> valid = latestVersions(contracts).stream().filter(c -> c.validOn(pickupDay))
                .sorted(Comparator.comparing(Contract::validFrom).reversed().thenComparing(Contract::contractId))
                .toList();
        if (valid.isEmpty()) {
            return new Result(null, null, Refusal.NO_CONTRACT);
        }
        boolean routeCovered = false;
        for (Contract c : valid) {
            Optional<Contract.Lane> lane = c.lanes().stream().filter(l -> l.covers(origin, destination))
                    .filter(l -> l.serviceLevels().contains(serviceLevel))
                    .max(Comparator.comparingInt(ContractSelection::specificity));
            routeCovered |= c.lanes().stream().anyMatch(l -> l.covers(origin, destination));
            if (lane.isPresent()) {
                return new Result(c, lane.get(), null);
            }
        }
        return new Result(null, null, routeCovered ? Refusal.SERVICE_LEVEL_NOT_COVERED : Refusal.LANE_NOT_COVERED);
    }

    /** The lane of a contract the terms name: same regions, carrying the service level. */
    public static Optional<Contract.Lane> lane(Contract contract, ContractTerms terms) {
        return contract.lanes().stream().filter(l -> l.originRegion().equals(terms.originRegion())
                        && l.destinationRegion().equals(terms.destinationRegion())
                        && (terms.serviceLevel() == null || l.serviceLevels().contains(terms.serviceLevel())))
                .findFirst();
    }

    /** US-TX → US-TX before US-TX → US before US → US-TX before US → US. */
    static int specificity(Contract.Lane lane) {
        return (lane.originRegion().contains("-") ? 2 : 0) + (lane.destinationRegion().contains("-") ? 1 : 0);
    }

    /** Each contract id at its highest ERP version. */
    static List<Contract> latestVersions(List<Contract> contracts) {
        Map<String, Contract> latest = new HashMap<>();
        for (Contract c : contracts) {
            latest.merge(c.contractId(), c, (a, b) -> a.erpVersion() >= b.erpVersion() ? a : b);
        }
        return new ArrayList<>(latest.values());
    }
}
