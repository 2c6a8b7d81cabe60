package io.storefrontsync.sandbox.facebook;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed Graph {@code fields} parameter, e.g. {@code name,picture.type(large){url,width},location{city}}.
 * Graph's syntax nests: braces select sub-fields, dotted calls are modifiers ({@code .limit(5)}). Modifiers are
 * parsed so they don't break a request but are not applied.
 */
record FieldSelection(String name, List<FieldSelection> subfields) {

    boolean hasSubfields() {
        return subfields != null;
    }

    static List<FieldSelection> parse(String fields) {
        Cursor cursor = new Cursor(fields.trim());
        List<FieldSelection> parsed = parseList(cursor);
        if (cursor.pos != cursor.text.length()) {
            throw GraphErrors.invalidParameter("Syntax error \"Expected end of string instead of \""
                    + cursor.text.charAt(cursor.pos) + "\".\" at character " + cursor.pos + ": " + fields);
        }
        return parsed;
    }

    private static List<FieldSelection> parseList(Cursor cursor) {
        List<FieldSelection> list = new ArrayList<>();
        while (cursor.pos < cursor.text.length()) {
            int start = cursor.pos;
            while (cursor.pos < cursor.text.length() && "{},.(".indexOf(cursor.peek()) < 0) {
                cursor.pos++;
            }
            String name = cursor.text.substring(start, cursor.pos).trim();
            while (cursor.pos < cursor.text.length() && cursor.peek() == '.') {
                skipModifier(cursor);
            }
            List<FieldSelection> sub = null;
            if (cursor.pos < cursor.text.length() && cursor.peek() == '{') {
                cursor.pos++;
                sub = parseList(cursor);
                cursor.expect('}');
            }
            if (!name.isEmpty()) {
                list.add(new FieldSelection(name, sub));
            }
            if (cursor.pos < cursor.text.length() && cursor.peek() == ',') {
                cursor.pos++;
            } else {
                break;
            }
        }
        return list;
    }

    private static void skipModifier(Cursor cursor) {
        cursor.pos++; // '.'
        while (cursor.pos < cursor.text.length() && cursor.peek() != '(') {
            cursor.pos++;
        }
        cursor.expect('(');
        while (cursor.pos < cursor.text.length() && cursor.peek() != ')') {
            cursor.pos++;
        }
        cursor.expect(')');
    }

    private static final class Cursor {
        final String text;
        int pos;

        Cursor(String text) {
            this.text = text;
        }

        char peek() {
            return text.charAt(pos);
        }

        void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw GraphErrors.invalidParameter("Syntax error \"Expected \"" + c + "\".\" at character " + pos
                        + ": " + text);
            }
            pos++;
        }
    }
}
