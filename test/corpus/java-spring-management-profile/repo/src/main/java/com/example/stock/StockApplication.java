package com.example.stock;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class StockApplication {

	private final Map<String, Integer> levels = new ConcurrentHashMap<>(Map.of("north", 12, "south", 3));

	public static void main(String[] args) {
		SpringApplication.run(StockApplication.class, args);
	}

	@GetMapping("/stock/{warehouse}")
	public Map<String, Object> stock(@PathVariable String warehouse) {
		return Map.of("warehouse", warehouse, "level", levels.getOrDefault(warehouse, 0));
	}
}
