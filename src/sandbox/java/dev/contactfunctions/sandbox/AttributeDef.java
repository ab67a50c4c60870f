package dev.contactfunctions.sandbox;

import java.util.List;

/**
 * A data attribute. Standard ones ({@code custom == false}) have no id; custom ones are written through
 * {@code custom_attributes.<name>}.
 */
record AttributeDef(Long id, String model, String name, String label, String description, String dataType,
        List<String> options, boolean custom, boolean apiWritable, long createdAt) {

    static final String CONTACT = "contact";
    static final String COMPANY = "company";

    String fullName() {
        return custom ? "custom_attributes." + name : name;
    }
}
