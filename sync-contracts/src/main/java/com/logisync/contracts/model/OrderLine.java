package com.logisync.contracts.model;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;

@RegisterForReflection
public record OrderLine(int pieces, BigDecimal weightKg, boolean hazmat, String description) {
}
