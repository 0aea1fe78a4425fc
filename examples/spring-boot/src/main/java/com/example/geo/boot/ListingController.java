package com.example.geo.boot;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The tenant comes from the request (header {@code X-Tenant-Id} by default), bound by the starter's filter. */
@RestController
@RequestMapping("/listings")
public class ListingController {
    private final ListingService listings;

    public ListingController(ListingService listings) {
        this.listings = listings;
    }

    @PostMapping
    public Map<String, Object> add(@RequestBody Map<String, String> body) {
        Listing saved = listings.add(body.get("title"));
        return Map.of("id", saved.getId(), "title", saved.getTitle());
    }

    @GetMapping
    public List<String> titles() {
        return listings.titles();
    }

    @GetMapping("/jdbc")
    public List<String> titlesByJdbc() {
        return listings.titlesByJdbc();
    }

    @GetMapping("/async")
    public CompletableFuture<List<String>> titlesLater() {
        return listings.titlesLater();
    }

    @GetMapping("/{id}/title")
    public ResponseEntity<String> title(@PathVariable long id) {
        return listings.title(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }
}
