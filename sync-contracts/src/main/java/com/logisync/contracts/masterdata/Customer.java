package com.logisync.contracts.masterdata;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.List;

/** A customer account as ERP (the authority) defines it; {@code erpVersion} orders the changes. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Customer(String customerId, String name, AccountStatus status, boolean creditHold, String timeZone,
        ServicePreferences servicePreferences, long erpVersion) {

    public enum AccountStatus {
        ACTIVE, ON_HOLD, CLOSED
    }

    /** How proactive service treats this customer. */
    @RegisterForReflection
    public record ServicePreferences(int delayThresholdMinutes, List<String> notificationContacts) {
        public ServicePreferences {
            notificationContacts = notificationContacts == null ? List.of() : List.copyOf(notificationContacts);
        }
    }
}
