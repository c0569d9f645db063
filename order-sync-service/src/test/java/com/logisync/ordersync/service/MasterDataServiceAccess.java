package com.logisync.ordersync.service;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Test access to MasterDataService's package-private content comparison. */
public final class MasterDataServiceAccess {

    private MasterDataServiceAccess() {
    }

    public static boolean sameContent(ObjectMapper mapper, String a, String b) {
        return MasterDataService.sameContent(mapper, a, b);
    }
}
