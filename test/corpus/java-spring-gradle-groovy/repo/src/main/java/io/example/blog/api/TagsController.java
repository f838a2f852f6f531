package io.example.blog.api;

import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "tags")
public class TagsController {
  @GetMapping
  public ResponseEntity<Map<String, List<String>>> getTags() {
    return ResponseEntity.ok(Map.of("tags", List.of("java", "spring")));
  }
}
