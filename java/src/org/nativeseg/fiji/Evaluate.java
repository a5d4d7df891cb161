package org.nativeseg.fiji;

import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeSegException;

/**
 * Plugins › NativeSeg › Evaluate…: a result (CTC 01_RES folder, folder of frames or image file)
 * against ground truth; the measures go to the Results table "NativeSeg Evaluation" (one row
 * per measure) and the full table to the log. Macro keys: gt, res, and the schema's
 * "evaluate" settings (kind, iou_thresholds, ...).
 */
public class Evaluate extends Command {
    public static final String TABLE = "NativeSeg Evaluation";

    @Override
    protected String title() {
        return "Evaluate";
    }

    @Override
    protected void execute(String arg) {
        SchemaDialog fields = new SchemaDialog(Schema.get().forCommand("evaluate"));
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        addPathField(gd, "gt (ground truth: CTC 01_GT, folder of frames or file)", "", true);
        addPathField(gd, "res (result: CTC 01_RES, folder of frames or file)", "", true);
        fields.addFields(gd);
        gd.addHelp(fields.helpHtml(title()));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        String gt = gd.getNextString().trim();
        String res = gd.getNextString().trim();
        Map<String, Object> settings = fields.readFields(gd);
        if (gt.isEmpty()) throw new NativeSegException("gt: no ground truth given");
        if (res.isEmpty()) throw new NativeSegException("res: no result given");

        JobProgress progress = new JobProgress(title());
        String json;
        try (Job job = new Job(progress)) {
            progress.attach(job);
            json = job.evaluate(gt, res, Json.write(settings));
        }
        progress.done();
        Map<String, Object> r = keepReport(json);
        ResultsTable rt = new ResultsTable();
        @SuppressWarnings("unchecked")
        List<Object> rows = (List<Object>) r.get("rows");
        for (Object o : rows) {
            List<?> row = (List<?>) o;
            rt.incrementCounter();
            rt.addValue("measure", (String) row.get(0));
            rt.addValue("value", ((Number) row.get(1)).doubleValue());
        }
        rt.show(TABLE);
        IJ.log((String) r.get("table"));
        for (Object p : (List<?>) r.get("problems")) IJ.log(title() + ": problem: " + p);
    }
}
