package com.example.pricing;

import java.math.BigDecimal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
public class PriceController {
  @GetMapping("/prices/{sku}")
  public Mono<BigDecimal> price(@PathVariable String sku) {
    return Mono.just(sku.startsWith("X") ? new BigDecimal("9.99") : new BigDecimal("4.50"));
  }
}
