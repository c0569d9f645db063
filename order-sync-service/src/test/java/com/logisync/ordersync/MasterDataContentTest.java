package com.logisync.ordersync;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static com.logisync.ordersync.service.MasterDataServiceAccess.sameContent;
import static org.assertj.core.api.Assertions.assertThat;

/** ERP resending the same version is recognised even when the stored copy predates a new optional field. */
class MasterDataContentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aFieldAddedSinceTheStoredCopyAndNullIsTheSameContent() {
        String stored = "{\"contractId\":\"CTR-1\",\"lanes\":[{\"rate\":1450.00,\"note\":null}],\"erpVersion\":1}";
        String resent = "{\"contractId\":\"CTR-1\",\"lanes\":[{\"rate\":1450.00}],\"erpVersion\":1,"
                + "\"linehaulDiscountPercent\":null}";
        assertThat(sameContent(JSON, resent, stored)).isTrue();
    }

    @Test
    void aChangedValueIsNotTheSameContent() {
        assertThat(sameContent(JSON, "{\"contractId\":\"CTR-1\",\"linehaulDiscountPercent\":5}",
                "{\"contractId\":\"CTR-1\"}")).isFalse();
        assertThat(sameContent(JSON, "{\"lanes\":[{\"rate\":1450.00}]}", "{\"lanes\":[{\"rate\":1500.00}]}")).isFalse();
    }
}
