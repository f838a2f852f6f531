package com.example.billing;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

@Controller("/invoices")
public class InvoiceController {
    @Get
    public List<String> list() {
        return List.of();
    }
}
