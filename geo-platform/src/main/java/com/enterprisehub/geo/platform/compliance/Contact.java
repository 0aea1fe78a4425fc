package com.enterprisehub.geo.platform.compliance;

import com.enterprisehub.geo.core.GeoValidationException;
import java.util.regex.Pattern;

/**
 * A person or office to reach about privacy or a breach.
 *
 * @param name a person's or office's name, 1 to 200 characters
 * @param email where to reach them
 */
public record Contact(String name, String email) {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public Contact {
        if (name == null || name.isBlank() || name.strip().length() > 200) {
            throw new GeoValidationException("A contact needs a name of 1 to 200 characters; got '" + name + "'.");
        }
        name = name.strip();
        if (email == null || email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw new GeoValidationException("Contact '" + name + "' needs an e-mail address like"
                    + " privacy@example.com; got '" + email + "'.");
        }
    }
}
