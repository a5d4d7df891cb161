package org.nativeseg.jni;

/**
 * The native methods (native/jni/nativeseg_jni.cpp). Everything the plugin does natively goes
 * through here; the typed wrappers ({@link Model}, {@link Job}, {@link Video}) own the handles.
 * Every method throws {@link NativeSegException} (never a C++ crash) on failure.
 * JSON arguments and results are described in native/include/nativeseg/pipeline.h.
 */
public final class NativeSeg {
    private NativeSeg() {
    }

    /** Loads the native library if needed ({@link NativeLoader}). */
    public static void ensureLoaded() {
        NativeLoader.load();
    }

    /** Versions of NativeSeg and its libraries (JSON). */
    public static String versions() {
        ensureLoaded();
        return version();
    }

    /** The settings schema (JSON): every parameter with key, type, default, range, choices, help, commands. */
    public static String schema() {
        ensureLoaded();
        return settingsSchema();
    }

    static native String version();
    static native String settingsSchema();
    static native String modelsAndDevices(String[] models, boolean validate);
    static native long modelLoad(String model);
    static native String modelName(long model);
    static native void modelFree(long model);
    static native long jobNew(ProgressListener listener);
    static native void jobCancel(long job);
    static native void jobFree(long job);
    static native String segmentImage(long job, long model, String spec, PlaneSource source, String inputName,
                                      String output, String settings);
    static native String segmentAndTrack(long job, long model, String spec, PlaneSource source, String inputName,
                                         String rawPath, String outDir, String name, String settings);
    static native String segmentImageFile(long job, long model, String input, String output, String settings);
    static native String segmentAndTrackFile(long job, long model, String input, String outDir, String name,
                                             String settings);
    static native String trackLabels(long job, String labelsSpec, PlaneSource labels, String labelsName,
                                     String rawSpec, PlaneSource raw, String rawPath, String outDir, String name,
                                     String settings);
    static native void mergeTracks(long job, String tracksSpec, PlaneSource tracks, String tracksName, String segSpec,
                                   PlaneSource segmentation, String segName, String output);
    static native String evaluate(long job, String gt, String res, String settings);
    static native String trainModel(long job, String settings, String imagesSpec, PlaneSource images,
                                    String imagesName, String labelsSpec, PlaneSource labels, String labelsName,
                                    String pairsDir);
    static native long videoOpen(String path);
    static native String videoSpec(long video);
    static native Object videoReadPlane(long video, long index);
    static native void videoFree(long video);
    static native void raiseForTest(int kind);

    /** Device report and model cards (JSON) for model folders or ids; validate runs their test tensors. */
    public static String describe(String[] models, boolean validate) {
        ensureLoaded();
        return modelsAndDevices(models, validate);
    }

    /** For the boundary's tests: 0 nativeseg::Error, 1 std::runtime_error, 2 cancel, 3 a non-standard throw. */
    public static void raiseNativeErrorForTest(int kind) {
        ensureLoaded();
        raiseForTest(kind);
    }
}
