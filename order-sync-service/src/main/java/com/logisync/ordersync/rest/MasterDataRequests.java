package com.logisync.ordersync.rest;

import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.masterdata.Customer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** ERP's master-data payloads, as received, with their shape checked before the rules run. */
public final class MasterDataRequests {

    private static final String REGION = "^[A-Z]{2}(-[A-Z0-9]{1,3})?$";

    private MasterDataRequests() {
    }

    @Schema(description = "A customer account as ERP sends it")
    public record CustomerRequest(
            @NotBlank @Size(max = 200) String name,
            @NotNull Customer.AccountStatus status,
            boolean creditHold,
            @NotBlank @IanaZone String timeZone,
            @Valid Preferences servicePreferences,
            @Schema(description = "ERP's version of this record; a lower one never overwrites a higher one")
            @NotNull @PositiveOrZero Long erpVersion) {

        public Customer toCustomer(String customerId) {
            Preferences p = servicePreferences == null ? new Preferences(60, List.of()) : servicePreferences;
            return new Customer(customerId, name, status, creditHold, timeZone,
                    new Customer.ServicePreferences(p.delayThresholdMinutes(), p.notificationContacts()), erpVersion);
        }
    }

    public record Preferences(@PositiveOrZero int delayThresholdMinutes,
            List<@NotBlank @Size(max = 200) String> notificationContacts) {
    }

    @Schema(description = "A customer's transport contract as ERP sends it")
    public record ContractRequest(
            @NotBlank @Size(max = 64) String customerId,
            @NotNull LocalDate validFrom,
            LocalDate validTo,
            @NotEmpty @Size(max = 500) List<@Valid @NotNull LaneRequest> lanes,
            Map<@Pattern(regexp = "^[A-Z]{3}$") String, @NotNull @DecimalMin("0") BigDecimal> accessorialRates,
            @PositiveOrZero int freeDetentionMinutes,
            @DecimalMin("0") BigDecimal detentionCap,
            @Valid FuelTable fuelSurcharge,
            boolean hazmatAllowed,
            @NotNull @PositiveOrZero Long erpVersion,
            @Schema(description = "Discount on the linehaul in percent; the fuel surcharge applies after it",
                    example = "7.5")
            @DecimalMin("0") @jakarta.validation.constraints.DecimalMax("100") BigDecimal linehaulDiscountPercent,
            @Schema(description = "A delivery the dispatched carrier reports without a POD signer (an EDI D1) is"
                    + " billable, the POD document following later. Default false: a signed POD is required.")
            Boolean podDocumentMayFollow,
            @Schema(description = "Currency of accessorialRates and detentionCap; absent: the lanes' currency",
                    example = "USD")
            @Pattern(regexp = "^[A-Z]{3}$") String chargesCurrency,
            @Schema(description = "The shipper wants the POD document with the invoice: the invoice waits until the"
                    + " document is uploaded to the billing case and carries it. Default false.")
            Boolean podWithInvoice) {

        public Contract toContract(String contractId) {
            return new Contract(contractId, customerId, validFrom, validTo,
                    lanes.stream().map(l -> new Contract.Lane(l.originRegion(), l.destinationRegion(), l.linehaulRate(),
                            l.currency(), l.serviceLevels(), l.minDeliveryWindowMinutes(), l.maxWeightKg())).toList(),
                    accessorialRates, freeDetentionMinutes, detentionCap,
                    fuelSurcharge == null ? null : new Contract.FuelSurchargeTable(fuelSurcharge.tableVersion(),
                            fuelSurcharge.bands().stream().map(b -> new Contract.FuelSurchargeTable.Band(b.fromPrice(),
                                    b.toPrice(), b.percentOfLinehaul())).toList(), fuelSurcharge.weekBasis()),
                    hazmatAllowed, erpVersion, linehaulDiscountPercent, podDocumentMayFollow, chargesCurrency,
                    podWithInvoice);
        }
    }

    public record LaneRequest(
            @Schema(example = "US-TX") @NotBlank @Pattern(regexp = REGION) String originRegion,
            @Schema(example = "US") @NotBlank @Pattern(regexp = REGION) String destinationRegion,
            @NotNull @DecimalMin("0") BigDecimal linehaulRate,
            @NotBlank @Pattern(regexp = "^[A-Z]{3}$") String currency,
            @NotEmpty List<@NotBlank String> serviceLevels,
            @PositiveOrZero int minDeliveryWindowMinutes,
            @NotNull @DecimalMin(value = "0", inclusive = false) BigDecimal maxWeightKg) {
    }

    /**
     * Diesel price bands. Checked on upload so that every price rates: ordered by price, each band
     * starting where the one before ends (no gap, no overlap), each ending above its start; only the top
     * band may be open-ended ({@code toPrice} absent: every price from its start up).
     */
    public record FuelTable(@NotBlank String tableVersion, @NotEmpty List<@Valid @NotNull FuelBand> bands,
            @Schema(description = "Which day's week the diesel index is taken from: SHIP_DATE (the planned pickup day"
                    + " in the pickup stop's zone, the default) or DELIVERY_DATE (the delivery day in its stop's zone)",
                    enumeration = {"SHIP_DATE", "DELIVERY_DATE"})
            @jakarta.validation.constraints.Pattern(regexp = "SHIP_DATE|DELIVERY_DATE") String weekBasis) {

        @jakarta.validation.constraints.AssertTrue(message = "bands must be ordered by price, each from where the one"
                + " before ends to above its start, only the last may leave toPrice open")
        @Schema(hidden = true)
        public boolean isContiguous() {
            if (bands == null || bands.stream().anyMatch(b -> b == null || b.fromPrice() == null)) {
                return true; // reported by the field constraints
            }
            for (int i = 0; i < bands.size(); i++) {
                FuelBand b = bands.get(i);
                boolean last = i == bands.size() - 1;
                if (b.toPrice() == null ? !last : b.toPrice().compareTo(b.fromPrice()) <= 0) {
                    return false;
                }
                if (i > 0 && bands.get(i - 1).toPrice() != null
                        && bands.get(i - 1).toPrice().compareTo(b.fromPrice()) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    public record FuelBand(@NotNull @DecimalMin("0") BigDecimal fromPrice,
            @Schema(description = "Exclusive upper bound; absent on the top band: every price from fromPrice up")
            BigDecimal toPrice,
            @NotNull @DecimalMin("0") BigDecimal percentOfLinehaul) {
    }
}
