package com.logisync.contracts.masterdata;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A customer's transport contract: which lanes and service levels it covers and at what rates.
 * Regions are {@code COUNTRY-REGION} (for example {@code US-TX}) or a whole country ({@code US}).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Contract(String contractId, String customerId, LocalDate validFrom, LocalDate validTo, List<Lane> lanes,
        Map<String, BigDecimal> accessorialRates, int freeDetentionMinutes, BigDecimal detentionCap,
        FuelSurchargeTable fuelSurcharge, boolean hazmatAllowed, long erpVersion, BigDecimal linehaulDiscountPercent,
        Boolean podDocumentMayFollow, String chargesCurrency, Boolean podWithInvoice) {

    /**
     * The currency of {@code accessorialRates} and {@code detentionCap}; absent, the lanes' currency.
     * A charge is only ever billed in its lane's currency: a mismatch is not ratable.
     */
    public String chargesCurrency() {
        return chargesCurrency;
    }

    /** Whether the shipper wants the POD document with the invoice: the invoice waits for it and carries it. */
    public boolean wantsPodWithInvoice() {
        return Boolean.TRUE.equals(podWithInvoice);
    }

    /** A contract whose charges are in the lanes' currency and whose invoice goes without the POD document. */
    public Contract(String contractId, String customerId, LocalDate validFrom, LocalDate validTo, List<Lane> lanes,
            Map<String, BigDecimal> accessorialRates, int freeDetentionMinutes, BigDecimal detentionCap,
            FuelSurchargeTable fuelSurcharge, boolean hazmatAllowed, long erpVersion, BigDecimal linehaulDiscountPercent,
            Boolean podDocumentMayFollow) {
        this(contractId, customerId, validFrom, validTo, lanes, accessorialRates, freeDetentionMinutes, detentionCap,
                fuelSurcharge, hazmatAllowed, erpVersion, linehaulDiscountPercent, podDocumentMayFollow, null, null);
    }

    /**
     * Whether a delivery the dispatched carrier reports without a signer (an EDI D1, say) is billable,
     * the POD document following later. Absent: a signed POD is required.
     */
    public boolean podMayFollow() {
        return Boolean.TRUE.equals(podDocumentMayFollow);
    }

    /** A contract that requires a signed POD. */
    public Contract(String contractId, String customerId, LocalDate validFrom, LocalDate validTo, List<Lane> lanes,
            Map<String, BigDecimal> accessorialRates, int freeDetentionMinutes, BigDecimal detentionCap,
            FuelSurchargeTable fuelSurcharge, boolean hazmatAllowed, long erpVersion, BigDecimal linehaulDiscountPercent) {
        this(contractId, customerId, validFrom, validTo, lanes, accessorialRates, freeDetentionMinutes, detentionCap,
                fuelSurcharge, hazmatAllowed, erpVersion, linehaulDiscountPercent, null);
    }

    /** A contract without a linehaul discount. */
    public Contract(String contractId, String customerId, LocalDate validFrom, LocalDate validTo, List<Lane> lanes,
            Map<String, BigDecimal> accessorialRates, int freeDetentionMinutes, BigDecimal detentionCap,
            FuelSurchargeTable fuelSurcharge, boolean hazmatAllowed, long erpVersion) {
        this(contractId, customerId, validFrom, validTo, lanes, accessorialRates, freeDetentionMinutes, detentionCap,
                fuelSurcharge, hazmatAllowed, erpVersion, null);
    }

    public Contract {
        lanes = lanes == null ? List.of() : List.copyOf(lanes);
        accessorialRates = accessorialRates == null ? Map.of() : Map.copyOf(accessorialRates);
    }

    /** One lane: origin and destination region, the linehaul rate, service levels and limits. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ContractLane")
    public record Lane(String originRegion, String destinationRegion, BigDecimal linehaulRate, String currency,
            List<String> serviceLevels, int minDeliveryWindowMinutes, BigDecimal maxWeightKg) {

        public Lane {
            serviceLevels = serviceLevels == null ? List.of() : List.copyOf(serviceLevels);
        }

        public boolean covers(String origin, String destination) {
            return matches(originRegion, origin) && matches(destinationRegion, destination);
        }

        /** {@code US} covers {@code US-TX}; {@code US-TX} covers only itself. */
        private static boolean matches(String laneRegion, String stopRegion) {
            return stopRegion.equals(laneRegion) || stopRegion.startsWith(laneRegion + "-");
        }
    }

    /**
     * Diesel price bands, each giving a percentage of linehaul, with the table's version, and which
     * day's week the diesel index is taken from: {@code SHIP_DATE} (the planned pickup day in the pickup
     * stop's zone, the default) or {@code DELIVERY_DATE} (the delivery day in the delivery stop's zone).
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FuelSurchargeTable(String tableVersion, List<Band> bands, String weekBasis) {
        public FuelSurchargeTable {
            bands = bands == null ? List.of() : List.copyOf(bands);
        }

        public FuelSurchargeTable(String tableVersion, List<Band> bands) {
            this(tableVersion, bands, null);
        }

        public boolean byDeliveryDate() {
            return "DELIVERY_DATE".equals(weekBasis);
        }

        @RegisterForReflection
        @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "FuelSurchargeBand")
        public record Band(BigDecimal fromPrice, BigDecimal toPrice, BigDecimal percentOfLinehaul) {
        }
    }

    public boolean validOn(LocalDate day) {
        return !day.isBefore(validFrom) && (validTo == null || !day.isAfter(validTo));
    }
}
