package org.osgijobs.core.internal;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Checks of a pipeline configuration's keys that no single option's parser can make. */
final class ConfiguredOptions {
    /** The driver shown for a configuration that names none: it never gets one. */
    static final String NO_DRIVER = "(none)";

    private ConfiguredOptions() {
    }

    /**
     * @return why the keys are unusable (two keys that differ only in case, such as {@code priority} and
     *         {@code Priority}: which one is meant cannot be told), or {@code null}
     */
    static String problem(Map<String, ?> options) {
        Map<String, String> byLowerCase = new TreeMap<>();
        for (String key : options.keySet()) {
            String other = byLowerCase.putIfAbsent(key.toLowerCase(Locale.ROOT), key);
            if (other != null) {
                String first = other.compareTo(key) < 0 ? other : key;
                String second = other.compareTo(key) < 0 ? key : other;
                return "pipeline '" + options.get(org.osgijobs.api.PipelineAdmin.OPTION_NAME) + "': options '" + first + "' and '"
                        + second + "' differ only in case; keep one";
            }
        }
        return null;
    }
}
