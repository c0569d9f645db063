package com.logisync.billing.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * The one place money is rounded: to the currency's minor unit (cents for USD, none for JPY), with the
 * rounding the ERP books with ({@code logisync.invoicing.rounding}, half-up by default), so that what
 * LogiSync sends adds up exactly as ERP adds it.
 */
public final class Money {

    private Money() {
    }

    public static BigDecimal round(BigDecimal value, String currency, RoundingMode mode) {
        return value.setScale(Currency.getInstance(currency).getDefaultFractionDigits(), mode);
    }
}
