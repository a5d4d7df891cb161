package org.nativeseg.jni;

import java.lang.ref.Cleaner;

/** A loaded model package (folder or id), kept across calls. Close it when done. */
public final class Model implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;

    private static final class Handle implements Runnable {
        volatile long value;

        Handle(long value) {
            this.value = value;
        }

        @Override
        public void run() {  // safety net for a model that was never closed
            long v = value;
            value = 0;
            if (v != 0) NativeSeg.modelFree(v);
        }
    }

    public Model(String folderOrId) {
        NativeSeg.ensureLoaded();
        handle = new Handle(NativeSeg.modelLoad(folderOrId));
        cleanable = CLEANER.register(this, handle);
    }

    long handle() {
        if (handle.value == 0) throw new NativeSegException("the model is closed");
        return handle.value;
    }

    public String name() {
        return NativeSeg.modelName(handle());
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
