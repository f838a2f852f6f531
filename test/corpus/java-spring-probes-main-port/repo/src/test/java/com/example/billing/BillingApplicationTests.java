package com.example.billing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BillingApplicationTests {

	@Test
	void unknownCustomerHasNoOpenInvoices() {
		assertThat(new BillingApplication().openInvoices("initech")).containsEntry("open", 0);
	}
}
