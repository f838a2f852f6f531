package com.example.pricing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class PricingApplication {

	private final Map<String, Integer> prices = new ConcurrentHashMap<>(Map.of("books", 12, "games", 30));

	public static void main(String[] args) {
		SpringApplication.run(PricingApplication.class, args);
	}

	@GetMapping("/prices/{catalogue}")
	public Map<String, Object> price(@PathVariable String catalogue) {
		return Map.of("catalogue", catalogue, "price", prices.getOrDefault(catalogue, 0));
	}
}
