package com.logisync.contracts.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Address(String line1, String city, String region, String postalCode, String country) {

    /**
     * The region contract lanes are written in: {@code COUNTRY-REGION} ({@code US-TX}), or just the
     * country when the address has no region. Null without a country.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String regionCode() {
        if (country == null || country.isBlank()) {
            return null;
        }
        String c = country.trim().toUpperCase();
        return region == null || region.isBlank() ? c : c + "-" + region.trim().toUpperCase();
    }
}
