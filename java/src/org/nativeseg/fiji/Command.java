package org.nativeseg.fiji;

import java.io.File;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.plugin.PlugIn;

import org.nativeseg.jni.CancelledException;
import org.nativeseg.jni.NativeSegException;

/**
 * What every NativeSeg menu command shares: parameters are read on the calling thread (the
 * macro options live there), errors become an ImageJ error message (a log line in batch mode
 * or when a macro runs, so nothing waits for a click), never a stack trace, and the last
 * outcome is kept for macros: {@code call("org.nativeseg.fiji.Command.lastError")} is "" after
 * a success and the message after a failure.
 */
public abstract class Command implements PlugIn {
    private static volatile String lastError = "";
    private static volatile java.util.Map<String, Object> lastReport = new java.util.HashMap<>();

    /** The command's menu name, for messages. */
    protected abstract String title();

    /** Reads the parameters and runs; throws NativeSegException for anything the user must fix. */
    protected abstract void execute(String arg);

    @Override
    public final void run(String arg) {
        lastError = "";
        lastReport = new java.util.HashMap<>();
        try {
            execute(arg);
        } catch (CancelledException e) {
            fail("cancelled; no output was written under its final name");
        } catch (NativeSegException | IllegalArgumentException e) {
            fail(e.getMessage());
        } catch (OutOfMemoryError e) {
            fail("Java ran out of memory (" + e.getMessage() + "); give ImageJ more in Edit > Options > Memory & "
                 + "Threads, or use input= so that the core reads the file instead of ImageJ");
        } catch (LinkageError e) {  // a native library or class that does not fit this installation
            fail(e.toString());
        } catch (RuntimeException e) {  // a bug of ours: still a message, not a frozen dialog
            fail("unexpected error: " + e);
        }
    }

    /** The last command's error ("" after a success), for macros: call("org.nativeseg.fiji.Command.lastError"). */
    public static String lastError() {
        return lastError;
    }

    /**
     * A value of the last command's report ("" when absent), for macros:
     * call("org.nativeseg.fiji.Command.lastResult", "counts.tracks"). Whole numbers come without ".0".
     */
    public static String lastResult(String dottedKey) {
        Object v = lastReport;
        for (String k : dottedKey.split("\\.")) {
            if (!(v instanceof java.util.Map)) return "";
            v = ((java.util.Map<?, ?>) v).get(k);
        }
        if (v == null || v instanceof java.util.Map || v instanceof java.util.List) return "";
        if (v instanceof Double && (Double) v == Math.rint((Double) v) && Math.abs((Double) v) < 1e15)
            return Long.toString(((Double) v).longValue());
        return String.valueOf(v);
    }

    /** Keeps a job's report (JSON) for lastResult and returns it parsed. */
    protected static java.util.Map<String, Object> keepReport(String json) {
        java.util.Map<String, Object> r = org.nativeseg.jni.Json.parseObject(json);
        lastReport = r;
        return r;
    }

    private void fail(String message) {
        lastError = message == null ? "error" : message;
        IJ.showStatus("");
        IJ.showProgress(1.0);
        if (JobProgress.batch() || Macro.getOptions() != null) IJ.log(title() + " error: " + lastError);
        else IJ.error("NativeSeg › " + title(), lastError);
    }

    /**
     * A file or folder field with a Browse button; a plain text field when there is no display
     * (Fiji's headless dialog reads the same key from the macro options and has no buttons).
     */
    protected static void addPathField(ij.gui.GenericDialog gd, String label, String value, boolean folder) {
        if (java.awt.GraphicsEnvironment.isHeadless()) gd.addStringField(label, value, 30);
        else if (folder) gd.addDirectoryField(label, value);
        else gd.addFileField(label, value);
    }

    /** "/data/cells.tif" or "/data/01/" → "cells" / "01" */
    protected static String fileBase(String path) {
        return baseName(new File(path).getName());
    }

    /** The current image, or an error saying that one is needed. */
    protected static ImagePlus currentImage(String what) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) throw new NativeSegException("no image is open; open " + what + " first");
        ImagePlanes.checkSupported(imp);
        return imp;
    }

    /** A whole number from a report's JSON (numbers arrive as Double). */
    protected static long count(java.util.Map<String, Object> map, String key) {
        Object v = map.get(key);
        return v instanceof Number ? ((Number) v).longValue() : -1;
    }

    /** "cells.tif" → "cells" */
    protected static String baseName(String title) {
        int dot = title.lastIndexOf('.');
        return dot > 0 ? title.substring(0, dot) : title;
    }

    /** A model id is looked up in Fiji's models/ folder first, then by the core ($NATIVESEG_MODELS, ...). */
    protected static String resolveModel(String model) {
        if (model.isEmpty()) throw new NativeSegException("model: no model given (a model folder or a model id)");
        if (model.contains("/") || model.contains(File.separator)) return model;
        String ij = IJ.getDirectory("imagej");
        if (ij != null) {
            File f = new File(new File(ij, "models"), model);
            if (f.isDirectory()) return f.getAbsolutePath();
        }
        return model;
    }

    /** A fresh temporary folder for outputs read back into ImageJ. */
    protected static File tempFolder() {
        try {
            File f = java.nio.file.Files.createTempDirectory("nativeseg-").toFile();
            f.deleteOnExit();
            return f;
        } catch (java.io.IOException e) {
            throw new NativeSegException("cannot create a temporary folder: " + e.getMessage());
        }
    }

    protected static void deleteTree(File f) {
        File[] children = f.listFiles();
        if (children != null) for (File c : children) deleteTree(c);
        f.delete();
    }

    /** Shows (or in batch mode registers) an output and makes it the current image. */
    protected static void showOutput(ImagePlus out) {
        out.show();
        if (JobProgress.batch()) WindowManager.setTempCurrentImage(out);
    }
}
