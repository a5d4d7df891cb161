package org.nativeseg.jni;

/**
 * One run of a job: progress goes to the listener, {@link #cancel()} (from any thread) stops it
 * between frames and tiles with a {@link CancelledException}. Each method returns the job's
 * report as JSON. Close the job when done.
 */
public final class Job implements AutoCloseable {
    private long handle;

    public Job(ProgressListener listener) {
        NativeSeg.ensureLoaded();
        handle = NativeSeg.jobNew(listener);
    }

    private long handle() {
        if (handle == 0) throw new NativeSegException("the job is closed");
        return handle;
    }

    public synchronized void cancel() {
        long h = handle;
        if (h != 0) NativeSeg.jobCancel(h);
    }

    public String segmentImage(Model model, String spec, PlaneSource source, String inputName, String output,
                               String settings) {
        return NativeSeg.segmentImage(handle(), model.handle(), spec, source, inputName, output, settings);
    }

    public String segmentAndTrack(Model model, String spec, PlaneSource source, String inputName, String rawPath,
                                  String outDir, String name, String settings) {
        return NativeSeg.segmentAndTrack(handle(), model.handle(), spec, source, inputName, rawPath, outDir, name,
                                         settings);
    }

    /** Segment Image on a file or folder of frames (read by the core, not by ImageJ). */
    public String segmentImageFile(Model model, String input, String output, String settings) {
        return NativeSeg.segmentImageFile(handle(), model.handle(), input, output, settings);
    }

    /** Segment and Track Video on a file or folder of frames (read by the core, not by ImageJ). */
    public String segmentAndTrackFile(Model model, String input, String outDir, String name, String settings) {
        return NativeSeg.segmentAndTrackFile(handle(), model.handle(), input, outDir, name, settings);
    }

    public String trackLabels(String labelsSpec, PlaneSource labels, String labelsName, String rawSpec,
                              PlaneSource raw, String rawPath, String outDir, String name, String settings) {
        return NativeSeg.trackLabels(handle(), labelsSpec, labels, labelsName, rawSpec, raw, rawPath, outDir, name,
                                     settings);
    }

    public void mergeTracks(String tracksSpec, PlaneSource tracks, String tracksName, String segSpec,
                            PlaneSource segmentation, String segName, String output) {
        NativeSeg.mergeTracks(handle(), tracksSpec, tracks, tracksName, segSpec, segmentation, segName, output);
    }

    /** Trains with the "train" settings; with images and labels (may be null) written first as pairs in pairsDir. */
    public String train(String settings, String imagesSpec, PlaneSource images, String imagesName, String labelsSpec,
                        PlaneSource labels, String labelsName, String pairsDir) {
        return NativeSeg.trainModel(handle(), settings, imagesSpec, images, imagesName, labelsSpec, labels, labelsName,
                                    pairsDir);
    }

    public String evaluate(String gt, String res, String settings) {
        return NativeSeg.evaluate(handle(), gt, res, settings);
    }

    @Override
    public synchronized void close() {
        if (handle != 0) NativeSeg.jobFree(handle);
        handle = 0;
    }
}
