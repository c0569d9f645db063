package com.logisync.billing.service;

import com.logisync.contracts.masterdata.Contract;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Rates a delivered shipment from its contract, as plain Java. Linehaul is the lane's flat rate;
 * a contract discount is its own negative line; the fuel surcharge is the table's percentage for
 * the diesel index of the delivery week, applied to the linehaul after the discount; approved
 * accessorials come from the rate card, detention per started hour beyond the free time and capped
 * at the contract's detention cap. Money is BigDecimal in the lane's currency, every line rounded to
 * the currency's minor unit by {@link Money} (half-up unless the ERP books otherwise); each line says
 * how it was computed, its currency, and whether its rate is money per unit or a percent of linehaul.
 */
public final class RatingEngine {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private RatingEngine() {
    }

    /** An approved accessorial to charge. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "RatingCharge")
    public record Charge(String accessorialId, String chargeCode, BigDecimal quantity, String unit) {
    }

    /** The weekly diesel index the fuel surcharge is looked up with. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record DieselIndex(String isoWeek, BigDecimal pricePerGallon) {
    }

    /**
     * One charge line: {@code rate} is money per {@code unit} ({@code PER_UNIT}) or, for the fuel
     * surcharge, a percentage of the linehaul ({@code PERCENT_OF_LINEHAUL}); amounts in {@code currency}.
     */
    @io.quarkus.runtime.annotations.RegisterForReflection
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "RatingLine")
    public record Line(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
            BigDecimal amount, String basis, String currency, String rateQualifier, String accessorialId) {

        public Line(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
                BigDecimal amount, String basis, String currency, String rateQualifier) {
            this(code, description, quantity, unit, rate, amount, basis, currency, rateQualifier, null);
        }

        public Line(String code, String description, BigDecimal quantity, String unit, BigDecimal rate,
                BigDecimal amount, String basis) {
            this(code, description, quantity, unit, rate, amount, basis, null, null);
        }

        /** The same line with the opposite amount: a credit note's line. */
        public Line negated() {
            return new Line(code, description, quantity, unit, rate, amount.negate(), "credit of: " + basis, currency,
                    rateQualifier, accessorialId);
        }
    }

    /** The accessorials a rating bills (by id). */
    public static List<String> accessorialIds(Rating rating) {
        return rating.lines().stream().map(Line::accessorialId).filter(java.util.Objects::nonNull).toList();
    }

    public static final String PER_UNIT = "PER_UNIT";
    public static final String PERCENT_OF_LINEHAUL = "PERCENT_OF_LINEHAUL";

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
        return rate(contract, lane, index, charges, RoundingMode.HALF_UP);
    }


    /** As {@link #rate(Contract, Contract.Lane, DieselIndex, List)}, rounding as the ERP does. */
    public static Rating rate(Contract contract, Contract.Lane lane, DieselIndex index, List<Charge> charges,
            RoundingMode rounding) {
        String currency = lane.currency();
        Rounding money = value -> Money.round(value, currency, rounding);
        List<Line> lines = new ArrayList<>();

        BigDecimal linehaul = money.round(lane.linehaulRate());
        lines.add(new Line("LHS", "Linehaul " + lane.originRegion() + " → " + lane.destinationRegion(), BigDecimal.ONE,
                "SHIPMENT", linehaul, linehaul, "contract " + contract.contractId() + " v" + contract.erpVersion() + " lane " + lane.originRegion()
                        + "→" + lane.destinationRegion()));
        BigDecimal fuelBase = linehaul;
        BigDecimal discountPct = contract.linehaulDiscountPercent();
        if (discountPct != null && discountPct.signum() > 0) {
            BigDecimal discount = money.round(linehaul.multiply(discountPct).divide(HUNDRED)).negate();
            lines.add(new Line("DSC", "Contract discount on linehaul", BigDecimal.ONE, "SHIPMENT", discount, discount,
                    discountPct.stripTrailingZeros().toPlainString() + "% of " + linehaul));
            fuelBase = linehaul.add(discount);
        }

        lines.add(fuel(contract, index, fuelBase, money));

        return priced(contract, currency, lines, charges, money, rounding);
    }

    /**
     * A supplementary invoice: only the charges captured or approved after the invoice was requested,
     * in the lane's currency, with no linehaul and no fuel (fuel is a percentage of the linehaul already billed).
     */
    public static Rating supplementary(Contract contract, String currency, List<Charge> charges, RoundingMode rounding) {
        Rounding money = value -> Money.round(value, currency, rounding);
        return priced(contract, currency, new ArrayList<>(), charges, money, rounding);
    }

    /** A credit note: every line of the credited document with the opposite amount. */
    public static Rating credit(Rating original) {
        List<Line> lines = original.lines().stream().map(Line::negated).toList();
        return new Rating(original.contractId(), original.currency(), lines, original.total().negate(),
                original.contractVersion());
    }

    private static Rating priced(Contract contract, String currency, List<Line> lines, List<Charge> charges,
            Rounding money, RoundingMode rounding) {
        String chargesCurrency = DetentionTariff.currencyOf(contract);
        if (!charges.isEmpty() && !chargesCurrency.equals(currency)) {
            throw new RatingException("Contract " + contract.contractId() + " prices its accessorials in "
                    + chargesCurrency + " but the lane bills in " + currency);
        }
        for (Charge c : charges) {
            lines.add(accessorial(contract, c, money, currency, rounding));
        }
        List<Line> priced = lines.stream().map(l -> new Line(l.code(), l.description(), l.quantity(), l.unit(), l.rate(),
                l.amount(), l.basis(), currency, "FSC".equals(l.code()) ? PERCENT_OF_LINEHAUL : PER_UNIT,
                l.accessorialId())).toList();
        BigDecimal total = priced.stream().map(Line::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Rating(contract.contractId(), currency, priced, total, contract.erpVersion());
    }

    /** Money rounded to the currency's minor unit as the ERP does ({@link Money}). */
    private interface Rounding {
        BigDecimal round(BigDecimal value);
    }

    private static Line fuel(Contract contract, DieselIndex index, BigDecimal base, Rounding money) {
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
        BigDecimal amount = money.round(base.multiply(band.percentOfLinehaul()).divide(HUNDRED));
        return new Line("FSC", "Fuel surcharge", BigDecimal.ONE, "SHIPMENT", band.percentOfLinehaul(), amount,
                "table " + table.tableVersion() + ", diesel " + price + " in week " + index.isoWeek() + ", band "
                        + band.fromPrice() + "–" + (band.toPrice() == null ? "" : band.toPrice()) + " → " + band.percentOfLinehaul().stripTrailingZeros()
                                .toPlainString() + "% of " + base);
    }

    private static Line accessorial(Contract contract, Charge c, Rounding money, String currency,
            RoundingMode rounding) {
        BigDecimal rate = AccessorialPolicy.rate(contract, c.chargeCode());
        if (rate == null) {
            throw new RatingException(c.chargeCode() + " is not in contract " + contract.contractId()
                    + "'s rate card");
        }
        if (DetentionTariff.isDetention(c.chargeCode())) {
            DetentionTariff.Priced priced = DetentionTariff.price(contract, rate, c.quantity(), currency, rounding);
            String basis = priced.hours() + " started hour(s) × " + rate + " for " + c.quantity().stripTrailingZeros()
                    .toPlainString() + " min beyond " + contract.freeDetentionMinutes() + " free"
                    + (priced.capped() ? ", capped at " + contract.detentionCap() + " per stop" : "");
            return new Line(c.chargeCode(), "Detention", BigDecimal.valueOf(priced.hours()), "HOUR", rate,
                    priced.amount(), basis + " (" + c.accessorialId() + ")", null, null, c.accessorialId());
        }
        BigDecimal amount = money.round(rate.multiply(c.quantity()));
        return new Line(c.chargeCode(), "Accessorial " + c.chargeCode(), c.quantity(), c.unit(), rate, amount,
                c.quantity().stripTrailingZeros().toPlainString() + " × " + rate + " (" + c.accessorialId() + ")", null,
                null, c.accessorialId());
    }

}
