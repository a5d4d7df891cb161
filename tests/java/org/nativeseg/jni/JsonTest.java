package org.nativeseg.jni;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class JsonTest {
    @Test
    public void parsesNestedValues() {
        Map<String, Object> m = Json.parseObject(
            "{\"a\": [1, 2.5, -3e2], \"b\": {\"c\": true, \"d\": null}, \"s\": \"x\\\"y\\u00e9\\n\"}");
        List<?> a = (List<?>) m.get("a");
        assertEquals(3, a.size());
        assertEquals(-300.0, ((Number) a.get(2)).doubleValue(), 0);
        Map<?, ?> b = (Map<?, ?>) m.get("b");
        assertEquals(Boolean.TRUE, b.get("c"));
        assertTrue(b.containsKey("d"));
        assertNull(b.get("d"));
        assertEquals("x\"y\u00e9\n", m.get("s"));
    }

    @Test
    public void writesWhatItReads() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", "C:\\my data\\\"x\".tif");
        m.put("n", 3);
        m.put("flag", false);
        Map<String, Object> back = Json.parseObject(Json.write(m));
        assertEquals(m.get("path"), back.get("path"));
        assertEquals(3.0, ((Number) back.get("n")).doubleValue(), 0);
        assertEquals(Boolean.FALSE, back.get("flag"));
    }

    @Test
    public void rejectsBrokenText() {
        for (String bad : new String[] {"{\"a\": }", "[1, 2", "{\"a\" 1}", "\"open", "{} x"}) {
            try {
                Json.parse(bad);
                fail("accepted " + bad);
            } catch (NativeSegException e) {
                assertTrue(e.getMessage(), e.getMessage().startsWith("JSON: "));
            }
        }
    }
}
