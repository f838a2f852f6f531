package com.example.billing;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class BillingApplication {

	private final Map<String, Integer> open = Map.of("acme", 3, "globex", 0);

	public static void main(String[] args) {
		SpringApplication.run(BillingApplication.class, args);
	}

	@GetMapping("/customers/{id}/open-invoices")
	public Map<String, Object> openInvoices(@PathVariable String id) {
		return Map.of("customer", id, "open", open.getOrDefault(id, 0));
	}
}
