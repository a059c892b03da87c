package org.osgijobs.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command file into Gogo statements: one per line, except that a line continues while a brace,
 * bracket or parenthesis is open (closures spanning lines) or when it ends with a backslash. Blank lines and
 * lines starting with {@code #} between statements are skipped.
 */
final class ScriptReader {

    /**
     * One statement of a script.
     *
     * @param line the line it starts on, from 1
     * @param text the statement
     */
    record Statement(int line, String text) {
    }

    private ScriptReader() {
    }

    /**
     * @param source the script's name, for error messages
     * @param text   the script
     * @return its statements in order
     * @throws IllegalArgumentException when the script ends inside an open block or quote, naming where it opened
     */
    static List<Statement> statements(String source, String text) {
        List<Statement> statements = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        StringBuilder current = new StringBuilder();
        int startLine = 0;
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (current.length() == 0) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                startLine = i + 1;
            }
            boolean continued = false;
            for (int c = 0; c < line.length(); c++) {
                char ch = line.charAt(c);
                if (ch == '\\' && c + 1 < line.length()) {
                    c++;
                } else if (quote != 0) {
                    if (ch == quote) {
                        quote = 0;
                    }
                } else if (ch == '\'' || ch == '"') {
                    quote = ch;
                } else if (ch == '{' || ch == '(' || ch == '[') {
                    depth++;
                } else if (ch == '}' || ch == ')' || ch == ']') {
                    depth--;
                    if (depth < 0) {
                        throw new IllegalArgumentException(source + ":" + (i + 1) + ": '" + ch
                                + "' closes nothing");
                    }
                }
            }
            String kept = line;
            if (quote == 0 && line.endsWith("\\") && !line.endsWith("\\\\")) {
                continued = true;
                kept = line.substring(0, line.length() - 1);
            }
            current.append(current.length() == 0 ? kept.stripLeading() : kept);
            if (depth == 0 && quote == 0 && !continued) {
                statements.add(new Statement(startLine, current.toString().strip()));
                current.setLength(0);
            } else {
                current.append(continued ? ' ' : '\n');
            }
        }
        if (current.length() > 0) {
            throw new IllegalArgumentException(source + ":" + startLine + ": statement not closed at the end of "
                    + "the script (" + (quote != 0 ? "open quote " + quote : depth + " open block(s)") + ")");
        }
        return statements;
    }
}
