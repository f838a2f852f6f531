package org.acme.orders;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/orders")
public class OrderResource {

    static List<String> open() {
        return List.of("A-100", "A-101");
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<String> list() {
        return open();
    }
}
