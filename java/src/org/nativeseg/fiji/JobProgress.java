package org.nativeseg.fiji;

import ij.IJ;
import ij.macro.Interpreter;

import org.nativeseg.jni.Job;
import org.nativeseg.jni.ProgressListener;

/**
 * A job's progress in ImageJ's status bar and progress bar; in batch mode (where those show
 * nothing) a log line per stage and per quarter. Esc cancels the job: the key is polled at every
 * report, and the core checks the cancel token between tiles and frames.
 */
class JobProgress implements ProgressListener {
    private final String command;
    private Job job;
    private String stage = "";
    private long lastQuarter = -1;

    JobProgress(String command) {
        this.command = command;
        IJ.resetEscape();
    }

    void attach(Job job) {
        this.job = job;
    }

    @Override
    public void report(String stage, long done, long total, String message) {
        if (IJ.escapePressed() && job != null) job.cancel();
        String text = command + ": " + stage + (total > 0 ? " " + done + "/" + total : "")
                      + (message == null || message.isEmpty() ? "" : " (" + message + ")");
        IJ.showStatus(text);
        if (total > 0) IJ.showProgress((double) done / total);
        if (batch()) {  // coarse: when a stage starts, at each quarter, and when it ends
            long quarter = total > 0 ? done * 4 / total : 0;
            if (!stage.equals(this.stage) || quarter != lastQuarter) IJ.log(text);
            lastQuarter = quarter;
        }
        this.stage = stage;
    }

    @Override
    public void log(String note) {
        IJ.log(command + ": " + note);
    }

    void done() {
        IJ.showProgress(1.0);
    }

    static boolean batch() {
        return Interpreter.isBatchMode() || java.awt.GraphicsEnvironment.isHeadless();
    }
}
