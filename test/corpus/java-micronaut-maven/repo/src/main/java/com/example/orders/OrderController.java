package com.example.orders;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;

@Controller("/orders")
public class OrderController {
    @Get
    public List<String> list() {
        return List.of();
    }
}
