package org.nativeseg.jni;

/** A job stopped because it was cancelled (Esc in Fiji, or {@link Job#cancel()}). */
public class CancelledException extends NativeSegException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(message);
    }
}
