package org.nativeseg.jni;

/** Called by a running job on the thread that started it. */
public interface ProgressListener {
    /** {@code done} of {@code total} units of {@code stage} are finished (total 0: unknown). */
    void report(String stage, long done, long total, String message);

    /** A note for the user (which device is used, what was assumed about the input). */
    void log(String note);
}
