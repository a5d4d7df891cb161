package org.nativeseg.jni;

/** A NativeSeg error: bad input, a model that cannot be loaded, a C++ error. The message says what. */
public class NativeSegException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NativeSegException(String message) {
        super(message);
    }

    public NativeSegException(String message, Throwable cause) {
        super(message, cause);
    }
}
