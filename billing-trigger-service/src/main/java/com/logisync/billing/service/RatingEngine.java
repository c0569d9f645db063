package com.logisync.billing.service;

import com.logisync.contracts.masterdata.Contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

/**
 * Rates a delivered shipment from its contract, as plain Java. Linehaul is the lane's flat rate;
 * a contract discount is its own negative line; the fuel surcharge is the table's percentage for
 * the diesel index of the delivery week, applied to the linehaul after the discount; approved
 * accessorials come from the rate card, detention per started hour beyond the free time and capped
 * at the contract's detention cap. Money is BigDecimal in the lane's currency, every line rounded
 * half-up to the currency's minor unit; each line says how it was computed.
 */
public final class RatingEngine {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private RatingEngine() {
    }

    /** An approved accessorial to charge. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Charge(String accessorialId, String chargeCode, BigDecimal quantity, String unit) {
    }

    /** The weekly diesel index the fuel surcharge is looked up with. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record DieselIndex(String isoWeek, BigDecimal pricePerGallon) {
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Line(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
            BigDecimal amount, String basis) {
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Rating(String contractId, String currency, List<Line> lines, BigDecimal total, Long contractVersion) {

        public Rating(String contractId, String currency, List<Line> lines, BigDecimal total) {
            this(contractId, currency, lines, total, null);
        }
    }

    /** The shipment cannot be rated (no lane, no index for the week, no band for the price …). */
    public static class RatingException extends RuntimeException {
        public RatingException(String message) {
            super(message);
        }
    }

    /** Rated on the first lane of the contract that covers the route (orders released before contract terms). */
    public static Rating rate(Contract contract, String originRegion, String destinationRegion, DieselIndex index,
            List<Charge> charges) {
        Contract.Lane lane = contract.lanes().stream().filter(l -> l.covers(originRegion, destinationRegion))
                .findFirst().orElseThrow(() -> new RatingException("Contract " + contract.contractId()
                        + " has no lane from " + originRegion + " to " + destinationRegion));
        return rate(contract, lane, index, charges);
    }

    /** Rated on this lane of this contract version: the one order release chose. */
    public static Rating rate(Contract contract, Contract.Lane lane, DieselIndex index, List<Charge> charges) {
        String currency = lane.currency();
        int scale = Currency.getInstance(currency).getDefaultFractionDigits();
        List<Line> lines = new ArrayList<>();

        BigDecimal linehaul = money(lane.linehaulRate(), scale);
        lines.add(new Line("LHS", "Linehaul " + lane.originRegion() + " → " + lane.destinationRegion(), BigDecimal.ONE,
                "SHIPMENT", linehaul, linehaul, "contract " + contract.contractId() + " v" + contract.erpVersion() + " lane " + lane.originRegion()
                        + "→" + lane.destinationRegion()));
        BigDecimal fuelBase = linehaul;
        BigDecimal discountPct = contract.linehaulDiscountPercent();
        if (discountPct != null && discountPct.signum() > 0) {
            BigDecimal discount = money(linehaul.multiply(discountPct).divide(HUNDRED), scale).negate();
            lines.add(new Line("DSC", "Contract discount on linehaul", BigDecimal.ONE, "SHIPMENT", discount, discount,
                    discountPct.stripTrailingZeros().toPlainString() + "% of " + linehaul));
            fuelBase = linehaul.add(discount);
        }

        lines.add(fuel(contract, index, fuelBase, scale));

        for (Charge c : charges) {
            lines.add(accessorial(contract, c, scale));
        }
        BigDecimal total = lines.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Rating(contract.contractId(), currency, List.copyOf(lines), total, contract.erpVersion());
    }

    private static Line fuel(Contract contract, DieselIndex index, BigDecimal base, int scale) {
        Contract.FuelSurchargeTable table = contract.fuelSurcharge();
        if (table == null || table.bands().isEmpty()) {
            throw new RatingException("Contract " + contract.contractId() + " has no fuel surcharge table");
        }
        if (index == null || index.pricePerGallon() == null) {
            throw new RatingException("No diesel index for the delivery week");
        }
        BigDecimal price = index.pricePerGallon();
        Contract.FuelSurchargeTable.Band band = table.bands().stream()
                .filter(b -> price.compareTo(b.fromPrice()) >= 0 && (b.toPrice() == null || price.compareTo(b.toPrice()) < 0))
                .findFirst().orElseThrow(() -> new RatingException("Diesel price " + price + " of week "
                        + index.isoWeek() + " is in no band of fuel table " + table.tableVersion()));
        BigDecimal amount = money(base.multiply(band.percentOfLinehaul()).divide(HUNDRED), scale);
        return new Line("FSC", "Fuel surcharge", BigDecimal.ONE, "SHIPMENT", band.percentOfLinehaul(), amount,
                "table " + table.tableVersion() + ", diesel " + price + " in week " + index.isoWeek() + ", band "
                        + band.fromPrice() + "–" + (band.toPrice() == null ? "" : band.toPrice()) + " → " + band.percentOfLinehaul().stripTrailingZeros()
                                .toPlainString() + "% of " + base);
    }

    private static Line accessorial(Contract contract, Charge c, int scale) {
        BigDecimal rate = AccessorialPolicy.rate(contract, c.chargeCode());
        if (rate == null) {
            throw new RatingException(c.chargeCode() + " is not in contract " + contract.contractId()
                    + "'s rate card");
        }
        if (c.chargeCode().startsWith("DT") || "DET".equals(c.chargeCode())) {
            long hours = AccessorialPolicy.startedHours(c.quantity());
            BigDecimal amount = money(rate.multiply(BigDecimal.valueOf(hours)), scale);
            String basis = hours + " started hour(s) × " + rate + " for " + c.quantity().stripTrailingZeros()
                    .toPlainString() + " min beyond " + contract.freeDetentionMinutes() + " free";
            if (contract.detentionCap() != null && amount.compareTo(contract.detentionCap()) > 0) {
                basis += ", capped at " + contract.detentionCap();
                amount = money(contract.detentionCap(), scale);
            }
            return new Line(c.chargeCode(), "Detention", BigDecimal.valueOf(hours), "HOUR", rate, amount,
                    basis + " (" + c.accessorialId() + ")");
        }
        BigDecimal amount = money(rate.multiply(c.quantity()), scale);
        return new Line(c.chargeCode(), "Accessorial " + c.chargeCode(), c.quantity(), c.unit(), rate, amount,
                c.quantity().stripTrailingZeros().toPlainString() + " × " + rate + " (" + c.accessorialId() + ")");
    }

    private static BigDecimal money(BigDecimal value, int scale) {
        return value.setScale(scale, RoundingMode.HALF_UP);
    }
}
