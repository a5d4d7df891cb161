package org.nativeseg.fiji;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeSeg;

/** The settings schema exported by the core: dialogs and macro keys are generated from it. */
public final class Schema {
    /** One parameter: key (= macro key), type (int, float, bool, string, choice, path), default, range. */
    public static final class Setting {
        public String key, type, unit = "", help = "", group = "";
        public Object defaultValue;
        public Double min, max;
        public List<String> choices = new ArrayList<>();
        public List<String> commands = new ArrayList<>();
    }

    private final List<Setting> settings = new ArrayList<>();
    private static Schema cached;

    /** The schema of the loaded native library (read once). */
    public static synchronized Schema get() {
        if (cached == null) cached = parse(NativeSeg.schema());
        return cached;
    }

    @SuppressWarnings("unchecked")
    public static Schema parse(String json) {
        Schema schema = new Schema();
        Map<String, Object> root = Json.parseObject(json);
        for (Object o : (List<Object>) root.get("settings")) {
            Map<String, Object> m = (Map<String, Object>) o;
            Setting s = new Setting();
            s.key = (String) m.get("key");
            s.type = (String) m.get("type");
            s.defaultValue = m.get("default");
            s.min = (Double) m.get("min");
            s.max = (Double) m.get("max");
            if (m.get("unit") != null) s.unit = (String) m.get("unit");
            if (m.get("help") != null) s.help = (String) m.get("help");
            if (m.get("group") != null) s.group = (String) m.get("group");
            if (m.get("choices") != null) for (Object c : (List<Object>) m.get("choices")) s.choices.add((String) c);
            for (Object c : (List<Object>) m.get("commands")) s.commands.add((String) c);
            schema.settings.add(s);
        }
        return schema;
    }

    public List<Setting> all() {
        return settings;
    }

    /** The settings of a core command ("predict", "segment-video", "track", "evaluate"), in display order. */
    public List<Setting> forCommand(String command) {
        List<Setting> out = new ArrayList<>();
        for (Setting s : settings)
            if (s.commands.contains(command)) out.add(s);
        return out;
    }
}
