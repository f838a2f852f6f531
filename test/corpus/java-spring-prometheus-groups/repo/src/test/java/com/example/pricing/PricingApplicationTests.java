package com.example.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PricingApplicationTests {

	@Test
	void unknownCatalogueHasNoPrice() {
		assertThat(new PricingApplication().price("east")).containsEntry("price", 0);
	}
}
