package org.nativeseg.fiji;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ij.gui.GenericDialog;

/**
 * GenericDialog fields generated from the schema. Each field's label is the setting's key, so
 * the macro recorder writes that key (ImageJ takes the first word of a label, lower-cased) and
 * a macro's {@code key=value} reaches it. Headless (macro options given) the same calls read
 * the options instead of showing anything.
 */
public final class SchemaDialog {
    private final List<Schema.Setting> settings;

    public SchemaDialog(List<Schema.Setting> settings) {
        this.settings = settings;
    }

    /** Adds one field per setting, grouped under the schema's group headings. */
    public void addFields(GenericDialog gd) {
        String group = null;
        for (Schema.Setting s : settings) {
            if (!s.group.equals(group)) {
                gd.addMessage(s.group.substring(0, 1).toUpperCase() + s.group.substring(1));
                group = s.group;
            }
            switch (s.type) {
            case "int":
                gd.addNumericField(s.key, ((Number) s.defaultValue).doubleValue(), 0, 8, s.unit);
                break;
            case "float":
                gd.addNumericField(s.key, ((Number) s.defaultValue).doubleValue(), decimals(s), 8, s.unit);
                break;
            case "bool":
                gd.addCheckbox(s.key, (Boolean) s.defaultValue);
                break;
            case "choice":
                gd.addChoice(s.key, s.choices.toArray(new String[0]), String.valueOf(s.defaultValue));
                break;
            default:
                gd.addStringField(s.key, String.valueOf(s.defaultValue), 20);
            }
        }
    }

    /** A help page listing every setting (the dialog's Help button). */
    public String helpHtml(String title) {
        StringBuilder b = new StringBuilder("<html><h2>").append(title).append("</h2><dl>");
        for (Schema.Setting s : settings)
            b.append("<dt><b>").append(s.key).append("</b> (").append(s.type)
             .append(s.unit.isEmpty() ? "" : ", " + s.unit).append(")</dt><dd>").append(s.help).append("</dd>");
        return b.append("</dl></html>").toString();
    }

    /**
     * Reads the fields in the order they were added and returns the settings that differ from
     * their defaults, as text (the core applies its own defaults, and for some settings, such
     * as threshold, "not given" means "the model's suggestion").
     */
    public Map<String, Object> readFields(GenericDialog gd) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Schema.Setting s : settings) {
            switch (s.type) {
            case "int": {
                double v = gd.getNextNumber();
                if (Double.isNaN(v)) throw new IllegalArgumentException(s.key + ": expected a whole number");
                if (v != ((Number) s.defaultValue).doubleValue()) values.put(s.key, Long.toString(Math.round(v)));
                break;
            }
            case "float": {
                double v = gd.getNextNumber();
                if (Double.isNaN(v)) throw new IllegalArgumentException(s.key + ": expected a number");
                if (v != ((Number) s.defaultValue).doubleValue()) values.put(s.key, Double.toString(v));
                break;
            }
            case "bool": {
                boolean v = gd.getNextBoolean();
                if (v != (Boolean) s.defaultValue) values.put(s.key, v ? "true" : "false");
                break;
            }
            case "choice": {
                String v = gd.getNextChoice();
                if (!v.equals(s.defaultValue)) values.put(s.key, v);
                break;
            }
            default: {
                String v = gd.getNextString().trim();
                if (!v.equals(s.defaultValue)) values.put(s.key, v);
            }
            }
        }
        return values;
    }

    private static int decimals(Schema.Setting s) {
        double d = ((Number) s.defaultValue).doubleValue();
        return d == Math.rint(d) ? 1 : 3;
    }
}
