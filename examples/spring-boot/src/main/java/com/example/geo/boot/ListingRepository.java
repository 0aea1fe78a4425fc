package com.example.geo.boot;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** An ordinary Spring Data repository. */
public interface ListingRepository extends JpaRepository<Listing, Long> {
    List<Listing> findAllByOrderByIdAsc();
}
