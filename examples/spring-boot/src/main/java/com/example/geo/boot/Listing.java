package com.example.geo.boot;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A listing. No tenant column is mapped: at BASIC the shared table's {@code tenant_id} defaults to the bound
 * tenant and row-level security filters it; at ENHANCED the table lives in the tenant's own schema.
 */
@Entity
@Table(name = "listings")
public class Listing {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String title;

    protected Listing() {
    }

    public Listing(String title) {
        this.title = title;
    }

    public Long getId() {
        return id;
    }

    public String getTitle() {
        return title;
    }
}
