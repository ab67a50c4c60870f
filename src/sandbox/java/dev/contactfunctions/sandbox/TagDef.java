package dev.contactfunctions.sandbox;

/** A workspace tag; its id is a string of digits, as in Intercom. */
final class TagDef {
    final String id;
    String name;

    TagDef(String id, String name) {
        this.id = id;
        this.name = name;
    }
}
