package com.example.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LedgerApplicationTests {

	@Test
	void unknownAccountHasZeroBalance() {
		assertThat(new LedgerApplication().balance("nobody")).containsEntry("balance", 0);
	}
}
