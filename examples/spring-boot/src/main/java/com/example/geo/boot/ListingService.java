package com.example.geo.boot;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Listings through JPA, JdbcTemplate, {@code @Async} and {@code @Cacheable}: none of it mentions a tenant. */
@Service
public class ListingService {
    private final ListingRepository repository;
    private final JdbcTemplate jdbc;

    public ListingService(ListingRepository repository, JdbcTemplate jdbc) {
        this.repository = repository;
        this.jdbc = jdbc;
    }

    @Transactional
    public Listing add(String title) {
        return repository.save(new Listing(title));
    }

    @Transactional(readOnly = true)
    public List<String> titles() {
        return repository.findAllByOrderByIdAsc().stream().map(Listing::getTitle).toList();
    }

    public List<String> titlesByJdbc() {
        return jdbc.queryForList("SELECT title FROM listings ORDER BY id", String.class);
    }

    @Async
    public CompletableFuture<List<String>> titlesLater() {
        return CompletableFuture.completedFuture(titlesByJdbc());
    }

    @Cacheable("listing-titles")
    public Optional<String> title(long id) {
        return repository.findById(id).map(Listing::getTitle);
    }
}
