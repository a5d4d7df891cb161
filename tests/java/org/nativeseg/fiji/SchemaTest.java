package org.nativeseg.fiji;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;

/**
 * The dialogs' macro keys: for every command, the schema's keys plus the command's own fields
 * must be unique, lower-case, and never the tail of another key after an underscore
 * (ImageJ's Macro.getValue would find "size=" inside "min_size=").
 */
public class SchemaTest {
    static void checkKeys(String command, String... own) {
        List<String> keys = new ArrayList<>();
        for (String k : own) keys.add(k);
        for (Schema.Setting s : Schema.get().forCommand(command)) keys.add(s.key);
        Set<String> seen = new HashSet<>();
        for (String k : keys) {
            assertTrue(command + ": duplicate key " + k, seen.add(k));
            assertEquals(k.toLowerCase(), k);
            assertFalse(k, k.contains(" "));
            for (String other : keys)
                assertFalse(command + ": '" + k + "' is the tail of '" + other + "'",
                            !other.equals(k) && other.endsWith("_" + k));
        }
    }

    @Test
    public void everyCommandHasUsableMacroKeys() {
        checkKeys("segment-video", "model", "out", "name", "treat_z_as_t", "open_in_trackmate");
        checkKeys("predict", "model", "save");
        checkKeys("track", "image", "out", "name", "treat_z_as_t");
        checkKeys("evaluate", "gt", "res");
    }

    @Test
    public void schemaHasTypesTheDialogKnows() {
        Set<String> known = new HashSet<>(java.util.Arrays.asList("int", "float", "bool", "string", "choice", "path"));
        for (Schema.Setting s : Schema.get().all()) {
            assertTrue(s.key + " has type " + s.type, known.contains(s.type));
            if (s.type.equals("choice")) assertTrue(s.key, s.choices.contains(String.valueOf(s.defaultValue)));
        }
    }
}
