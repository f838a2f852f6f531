package com.example.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PriceControllerTest {
  @Test
  void premiumSkusCostMore() {
    assertThat(new PriceController().price("X1").block()).isEqualTo(new BigDecimal("9.99"));
  }
}
