package com.example.ledger;

import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class LedgerApplication {

	private final Map<String, List<Integer>> entries = Map.of("acme", List.of(120, -40));

	public static void main(String[] args) {
		SpringApplication.run(LedgerApplication.class, args);
	}

	@GetMapping("/accounts/{id}/balance")
	public Map<String, Object> balance(@PathVariable String id) {
		int sum = entries.getOrDefault(id, List.of()).stream().mapToInt(Integer::intValue).sum();
		return Map.of("account", id, "balance", sum);
	}
}
