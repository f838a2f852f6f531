package com.example.stock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StockApplicationTests {

	@Test
	void unknownWarehouseHasNoStock() {
		assertThat(new StockApplication().stock("east")).containsEntry("level", 0);
	}
}
