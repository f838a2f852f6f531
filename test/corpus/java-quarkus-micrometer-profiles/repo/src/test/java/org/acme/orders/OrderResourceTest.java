package org.acme.orders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OrderResourceTest {

    @Test
    void listsTheOpenOrders() {
        assertEquals(2, OrderResource.open().size());
    }
}
