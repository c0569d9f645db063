package com.logisync.contracts.model;

public enum StopType {
    PICKUP, DELIVERY, INTERMEDIATE, TERMINAL
}
