package org.nativeseg.fiji;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;

import org.nativeseg.jni.Installation;
import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeLoader;
import org.nativeseg.jni.NativeSeg;

/**
 * Plugins › NativeSeg › Models and Devices…: which device device=auto will use and why (CUDA
 * found or not, and what to do about it), where the native library was loaded from, and the
 * installed models (Fiji's models/ folder, $NATIVESEG_MODELS, plus the one named in the
 * "model" field) with their cards and, with "validate", whether their test tensors reproduce.
 * The models go to the Results table "NativeSeg Models".
 */
public class ModelsAndDevices extends Command {
    public static final String TABLE = "NativeSeg Models";

    @Override
    protected String title() {
        return "Models and Devices";
    }

    @Override
    protected void execute(String arg) {
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        gd.addStringField("model (folder or id; optional)", "", 30);
        gd.addCheckbox("cards (print each model's card)", false);
        gd.addCheckbox("validate (run each model's test tensors)", false);
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String model = gd.getNextString().trim();
        boolean cards = gd.getNextBoolean();
        boolean validate = gd.getNextBoolean();

        // File checks first: they explain a library that cannot load, which the next call would report.
        for (String line : Installation.report(NativeLoader.fijiDirectory(), NativeLoader.platform(),
                                               NativeLoader.nvidiaGpuVisible()))
            IJ.log("NativeSeg installation: " + line);
        List<String> models = installedModels();
        if (!model.isEmpty()) models.add(resolveModel(model));
        Map<String, Object> r = Json.parseObject(NativeSeg.describe(models.toArray(new String[0]), validate));
        @SuppressWarnings("unchecked")
        Map<String, Object> dev = (Map<String, Object>) r.get("devices");
        IJ.log("NativeSeg native library: " + NativeLoader.loadedFrom());
        IJ.log("NativeSeg device: " + dev.get("auto_device") + " (" + dev.get("why") + ")");
        IJ.log("NativeSeg LibTorch " + dev.get("libtorch") + ", CUDA built: " + dev.get("cuda_built")
               + ", CUDA available: " + dev.get("cuda_available") + ", CPU threads: " + count(dev, "cpu_threads"));
        ResultsTable rt = new ResultsTable();
        for (Object o : (List<?>) r.get("models")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) o;
            rt.incrementCounter();
            rt.addValue("model", String.valueOf(m.get("model")));
            rt.addValue("name", m.get("name") == null ? "" : (String) m.get("name"));
            rt.addValue("status", m.get("error") != null ? (String) m.get("error")
                                  : m.get("valid") == null ? "ok" : Boolean.TRUE.equals(m.get("valid")) ? "valid"
                                  : "validation failed");
            if (m.get("validation") != null) IJ.log("NativeSeg model " + m.get("model") + ": " + m.get("validation"));
            if (cards && m.get("card") != null) IJ.log((String) m.get("card"));
            if (m.get("error") != null) IJ.log("NativeSeg model " + m.get("model") + ": " + m.get("error"));
        }
        rt.show(TABLE);
        IJ.log("NativeSeg: " + rt.size() + " model(s) listed");
    }

    /** Model folders in Fiji's models/ and in $NATIVESEG_MODELS. */
    static List<String> installedModels() {
        List<File> roots = new ArrayList<>();
        String ij = IJ.getDirectory("imagej");
        if (ij != null) roots.add(new File(ij, "models"));
        String env = System.getenv("NATIVESEG_MODELS");
        if (env != null) for (String p : env.split(File.pathSeparator)) if (!p.isEmpty()) roots.add(new File(p));
        List<String> out = new ArrayList<>();
        for (File root : roots) {
            File[] dirs = root.listFiles(File::isDirectory);
            if (dirs == null) continue;
            java.util.Arrays.sort(dirs);
            for (File d : dirs)
                if (new File(d, "rdf.yaml").isFile() || new File(d, "bioimageio.yaml").isFile())
                    out.add(d.getAbsolutePath());
        }
        return out;
    }
}
