package com.logisync.contracts.milestone;

public enum SourceSystem {
    X12_214, EDIFACT_IFTSTA, DCSA_TNT, TMS_WEBHOOK, TELEMATICS, DRIVER_APP, MANUAL, REST_API
}
