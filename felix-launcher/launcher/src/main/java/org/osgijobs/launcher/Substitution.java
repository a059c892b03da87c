package org.osgijobs.launcher;

import java.util.function.UnaryOperator;

/** Replaces {@code ${name}} in property values; an unknown name is an error naming it. */
final class Substitution {

    private Substitution() {
    }

    /**
     * @param value    the text
     * @param lookup   gives a name's value, or {@code null} when it has none
     * @param location where the text comes from, for the error message
     * @return the text with every {@code ${name}} replaced
     * @throws IllegalArgumentException when a name is unknown or a reference is not closed
     */
    static String apply(String value, UnaryOperator<String> lookup, String location) {
        StringBuilder out = new StringBuilder(value.length());
        int from = 0;
        while (true) {
            int start = value.indexOf("${", from);
            if (start < 0) {
                return out.append(value, from, value.length()).toString();
            }
            int end = value.indexOf('}', start + 2);
            if (end < 0) {
                throw new IllegalArgumentException(location + ": '${' without a closing '}' in '" + value + "'");
            }
            String name = value.substring(start + 2, end);
            String replacement = lookup.apply(name);
            if (replacement == null) {
                throw new IllegalArgumentException(location + ": unknown property '${" + name + "}'");
            }
            out.append(value, from, start).append(replacement);
            from = end + 1;
        }
    }
}
