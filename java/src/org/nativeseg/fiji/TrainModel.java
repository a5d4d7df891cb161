package org.nativeseg.fiji;

import java.awt.Color;
import java.io.File;
import java.util.List;
import java.util.Map;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.Plot;
import ij.gui.PlotWindow;
import ij.measure.ResultsTable;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.Json;
import org.nativeseg.jni.NativeSegException;

/**
 * Plugins › NativeSeg › Train Model…: trains a network on folders (training_data) and/or on an
 * open image video and its label video (image, labels), and writes a model package into out.
 * Progress shows in the status bar; the loss curve is an ImageJ plot, redrawn after every epoch
 * and left open as "&lt;model_name&gt; training curve". Macro keys: image, labels and the
 * schema's "train" settings (training_data, out, epochs, ...).
 */
public class TrainModel extends Command {
    @Override
    protected String title() {
        return "Train Model";
    }

    @Override
    protected void execute(String arg) {
        SchemaDialog fields = new SchemaDialog(Schema.get().forCommand("train"));
        String[] titles = TrackLabelVideo.imageTitles();
        GenericDialog gd = new GenericDialog("NativeSeg: " + title());
        gd.addChoice("image (open image or video to train on)", titles, "none");
        gd.addChoice("labels (its label image: one integer per object)", titles, "none");
        fields.addFields(gd);
        gd.addHelp(fields.helpHtml(title()));
        gd.showDialog();
        if (gd.wasCanceled()) return;
        ImagePlus image = image(gd.getNextChoice(), "image");
        ImagePlus labels = image(gd.getNextChoice(), "labels");
        Map<String, Object> settings = fields.readFields(gd);
        String out = (String) settings.get("out");
        if (out == null || out.isEmpty()) throw new NativeSegException("out: no output folder given");
        if ((image == null) != (labels == null))
            throw new NativeSegException("give both image and labels, or neither (then training_data)");
        if (image == null && !settings.containsKey("training_data"))
            throw new NativeSegException("training_data: no training data (a folder, or image and labels)");
        String name = settings.containsKey("model_name") ? (String) settings.get("model_name") : "nativeseg-model";

        final File history = new File(out, "history.csv");
        final Plot[] live = {null};
        JobProgress progress = new JobProgress(title()) {
            @Override
            public void log(String note) {
                super.log(note);
                if (note.startsWith("epoch ") && !JobProgress.batch()) live[0] = showCurve(history, name, live[0]);
            }
        };
        String report;
        try (Job job = new Job(progress)) {
            progress.attach(job);
            boolean pairs = image != null;
            report = job.train(Json.write(settings), pairs ? ImagePlanes.spec(image, zOnly(image)) : null,
                               pairs ? ImagePlanes.source(image) : null, pairs ? image.getTitle() : null,
                               pairs ? ImagePlanes.spec(labels, zOnly(labels)) : null,
                               pairs ? ImagePlanes.source(labels) : null, pairs ? labels.getTitle() : null,
                               new File(out, "training-pairs").getPath());
        }
        progress.done();
        Map<String, Object> r = keepReport(report);
        IJ.log(title() + ": " + ((List<?>) r.get("history")).size() + " epoch(s) on " + r.get("device") + ", best epoch "
               + count(r, "best_epoch") + " (" + r.get("score_name") + " " + r.get("best_score") + ")"
               + (Boolean.TRUE.equals(r.get("finished")) ? "; model package in " + out
                                                        : "; time budget reached, run again to continue"));
        Plot plot = curve((List<?>) r.get("history"), name);
        if (live[0] != null && WindowManager.getWindow(name + " training curve") instanceof PlotWindow)
            ((PlotWindow) WindowManager.getWindow(name + " training curve")).drawPlot(plot);
        else showOutput(plot.getImagePlus());
    }

    private static boolean zOnly(ImagePlus imp) {
        return imp.getNFrames() == 1 && imp.getNSlices() > 1;
    }

    private static ImagePlus image(String title, String key) {
        if (title.equals("none")) return null;
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) throw new NativeSegException(key + ": no open image '" + title + "'");
        ImagePlanes.checkSupported(imp);
        return imp;
    }

    /** The curve from history.csv (rewritten by the trainer after every epoch), shown or redrawn. */
    private static Plot showCurve(File history, String name, Plot previous) {
        if (!history.isFile()) return previous;
        try {
            ResultsTable t = ResultsTable.open(history.getPath());
            Plot p = plot(name, t.getColumn("epoch"), column(t, "train_loss"), column(t, "val_loss"),
                          column(t, "val_iou"));
            java.awt.Window w = WindowManager.getWindow(name + " training curve");
            if (w instanceof PlotWindow) ((PlotWindow) w).drawPlot(p);
            else p.show();
            return p;
        } catch (java.io.IOException | RuntimeException e) {
            return previous;  // a half-written file: the next epoch redraws
        }
    }

    private static double[] column(ResultsTable t, String name) {
        return t.columnExists(name) ? t.getColumn(name) : null;
    }

    private static Plot curve(List<?> history, String name) {
        int n = history.size();
        double[] e = new double[n], tl = new double[n], vl = new double[n], iou = new double[n];
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = (Map<String, Object>) history.get(i);
            e[i] = ((Number) r.get("epoch")).doubleValue();
            tl[i] = ((Number) r.get("train_loss")).doubleValue();
            vl[i] = ((Number) r.get("val_loss")).doubleValue();
            iou[i] = ((Number) r.get("val_iou")).doubleValue();
        }
        return plot(name, e, tl, vl, iou);
    }

    private static Plot plot(String name, double[] epochs, double[] trainLoss, double[] valLoss, double[] valIou) {
        Plot p = new Plot(name + " training curve", "epoch", "loss / IoU");
        p.setColor(Color.blue);
        p.addPoints(epochs, trainLoss, Plot.CONNECTED_CIRCLES);
        StringBuilder legend = new StringBuilder("train loss");
        if (valLoss != null) {
            p.setColor(Color.red);
            p.addPoints(epochs, valLoss, Plot.CONNECTED_CIRCLES);
            legend.append("\tvalidation loss");
        }
        if (valIou != null) {
            p.setColor(new Color(0, 140, 0));
            p.addPoints(epochs, valIou, Plot.CONNECTED_CIRCLES);
            legend.append("\tvalidation IoU");
        }
        p.addLegend(legend.toString());
        p.setLimitsToFit(false);
        return p;
    }
}
