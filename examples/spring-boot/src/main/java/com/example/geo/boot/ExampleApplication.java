package com.example.geo.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * A plain Boot application: Spring Data JPA, JdbcTemplate, Flyway, {@code @Async} and {@code @Cacheable}, with
 * no tenancy code of its own. The geo starter makes every data access the current request's tenant's.
 */
@SpringBootApplication
@EnableAsync
@EnableCaching
public class ExampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
