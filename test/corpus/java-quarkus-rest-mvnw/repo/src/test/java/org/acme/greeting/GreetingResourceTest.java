package org.acme.greeting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GreetingResourceTest {

    @Test
    void greetsByName() {
        assertEquals("hi ada", GreetingResource.greet("ada"));
    }
}
