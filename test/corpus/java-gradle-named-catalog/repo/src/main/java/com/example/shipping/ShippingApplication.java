package com.example.shipping;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
@RestController
public class ShippingApplication {

	public static void main(String[] args) {
		SpringApplication.run(ShippingApplication.class, args);
	}

	@GetMapping("/quotes/{zone}")
	public Map<String, Object> quote(@PathVariable String zone) {
		return Map.of("zone", zone, "days", zone.startsWith("eu") ? 2 : 5);
	}
}
