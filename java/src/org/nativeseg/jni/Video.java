package org.nativeseg.jni;

import java.lang.ref.Cleaner;
import java.util.Map;

/** A video or image file (TIFF, folder of frames, PNG) read plane by plane through the core. */
public final class Video implements AutoCloseable {
    private final long[] handle;
    private final Cleaner.Cleanable cleanable;
    private final Map<String, Object> spec;

    public Video(String path) {
        NativeSeg.ensureLoaded();
        final long[] h = {NativeSeg.videoOpen(path)};
        handle = h;
        cleanable = Model.CLEANER.register(this, () -> {
            if (h[0] != 0) NativeSeg.videoFree(h[0]);
            h[0] = 0;
        });
        spec = Json.parseObject(NativeSeg.videoSpec(h[0]));
    }

    /** {"t","z","c","y","x","dtype","calibration":{...}} */
    public Map<String, Object> spec() {
        return spec;
    }

    public int dim(String axis) {
        return ((Number) spec.get(axis)).intValue();
    }

    public String dtype() {
        return (String) spec.get("dtype");
    }

    /** Plane {@code index} in TZC order: byte[], short[], int[] or float[]. */
    public Object plane(long index) {
        if (handle[0] == 0) throw new NativeSegException("the video is closed");
        return NativeSeg.videoReadPlane(handle[0], index);
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
