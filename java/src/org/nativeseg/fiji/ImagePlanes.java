package org.nativeseg.fiji;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileInfo;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;

import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeSegException;
import org.nativeseg.jni.PlaneSource;
import org.nativeseg.jni.Video;

/**
 * ImagePlus ↔ the planes the core reads and writes. Planes cross one at a time (never one
 * array for a whole stack), in the hyperstack order ImageJ itself uses (C, then Z, then T).
 * The image's own pixel arrays are handed over read-only: the input is never modified.
 */
public final class ImagePlanes {
    private ImagePlanes() {
    }

    /** Error for images the core cannot take (RGB); the message says what to do. */
    public static void checkSupported(ImagePlus imp) {
        if (imp.getType() == ImagePlus.COLOR_RGB || imp.getType() == ImagePlus.COLOR_256)
            throw new NativeSegException("'" + imp.getTitle() + "' is an RGB/colour image; NativeSeg takes 8-, 16- or "
                    + "32-bit greyscale. Convert it (Image > Type > 8-bit) or split its channels "
                    + "(Image > Color > Split Channels) first.");
    }

    /** The image description the core expects; {@code zAsT} swaps a single-frame Z stack to T. */
    public static String spec(ImagePlus imp, boolean zAsT) {
        checkSupported(imp);
        int c = imp.getNChannels(), z = imp.getNSlices(), t = imp.getNFrames();
        if (zAsT) {
            t = z;
            z = 1;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", t);
        m.put("z", z);
        m.put("c", c);
        m.put("y", imp.getHeight());
        m.put("x", imp.getWidth());
        m.put("dtype", imp.getBitDepth() == 8 ? "uint8" : imp.getBitDepth() == 16 ? "uint16" : "float32");
        Calibration cal = imp.getCalibration();
        StringBuilder b = new StringBuilder(Json.write(m));
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("pixel_width", cal.pixelWidth);
        cm.put("pixel_height", cal.pixelHeight);
        cm.put("voxel_depth", cal.pixelDepth);
        cm.put("unit", cal.getUnit());
        cm.put("frame_interval", cal.frameInterval);
        cm.put("time_unit", cal.getTimeUnit());
        b.setLength(b.length() - 1);
        return b.append(",\"calibration\":").append(Json.write(cm)).append('}').toString();
    }

    /** The image's planes; stack index = plane index + 1 in ImageJ's CZT order. */
    public static PlaneSource source(ImagePlus imp) {
        final ImageStack stack = imp.getStack();
        return index -> stack.getProcessor(index + 1).getPixels();
    }

    /** The image's TIFF file when it is unchanged on disk (TrackMate can then point at it), else "". */
    public static String unchangedTiffFile(ImagePlus imp) {
        FileInfo fi = imp.getOriginalFileInfo();
        if (fi == null || imp.changes || fi.directory == null || fi.fileName == null) return "";
        File f = new File(fi.directory, fi.fileName);
        String n = f.getName().toLowerCase();
        return f.isFile() && (n.endsWith(".tif") || n.endsWith(".tiff")) ? f.getAbsolutePath() : "";
    }

    /** Reads a file written by the core into a hyperstack titled {@code title}, with its calibration. */
    public static ImagePlus read(String path, String title) {
        try (Video v = new Video(path)) {
            int w = v.dim("x"), h = v.dim("y");
            int planes = v.dim("t") * v.dim("z") * v.dim("c");
            ImageStack stack = new ImageStack(w, h);
            for (int i = 0; i < planes; i++) stack.addSlice(null, processor(v.plane(i), w, h));
            ImagePlus imp = new ImagePlus(title, stack);
            imp.setDimensions(v.dim("c"), v.dim("z"), v.dim("t"));
            if (v.dim("c") > 1 || v.dim("z") > 1 && v.dim("t") > 1) imp.setOpenAsHyperStack(true);
            @SuppressWarnings("unchecked")
            Map<String, Object> c = (Map<String, Object>) v.spec().get("calibration");
            Calibration cal = imp.getCalibration();
            cal.pixelWidth = ((Number) c.get("pixel_width")).doubleValue();
            cal.pixelHeight = ((Number) c.get("pixel_height")).doubleValue();
            cal.pixelDepth = ((Number) c.get("voxel_depth")).doubleValue();
            cal.setUnit((String) c.get("unit"));
            cal.frameInterval = ((Number) c.get("frame_interval")).doubleValue();
            cal.setTimeUnit((String) c.get("time_unit"));
            return imp;
        }
    }

    private static ImageProcessor processor(Object pixels, int w, int h) {
        if (pixels instanceof byte[]) return new ByteProcessor(w, h, (byte[]) pixels);
        if (pixels instanceof short[]) return new ShortProcessor(w, h, (short[]) pixels, null);
        if (pixels instanceof float[]) return new FloatProcessor(w, h, (float[]) pixels);
        int[] ints = (int[]) pixels;  // 32-bit labels: ImageJ has no 32-bit integer type
        float[] f = new float[ints.length];
        for (int i = 0; i < ints.length; i++) f[i] = ints[i];
        return new FloatProcessor(w, h, f);
    }

    /** A label LUT: 0 black, every other value a distinct bright colour. */
    public static void applyLabelLut(ImagePlus imp) {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 1; i < 256; i++) {
            java.awt.Color c = java.awt.Color.getHSBColor((float) ((i * 0.618033988749895) % 1.0), 0.85f,
                                                           0.6f + 0.4f * ((i * 7) % 5) / 4f);
            r[i] = (byte) c.getRed();
            g[i] = (byte) c.getGreen();
            b[i] = (byte) c.getBlue();
        }
        imp.getProcessor().setColorModel(new java.awt.image.IndexColorModel(8, 256, r, g, b));
        if (imp.getBitDepth() != 8) {
            imp.setDisplayRange(0, Math.max(255, maxValue(imp)));
        }
    }

    private static double maxValue(ImagePlus imp) {
        double max = 0;
        ImageStack s = imp.getStack();
        for (int i = 1; i <= s.getSize(); i++) max = Math.max(max, s.getProcessor(i).getStatistics().max);
        return max;
    }
}
