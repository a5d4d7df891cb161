package org.nativeseg.fiji;

import java.io.File;

import org.nativeseg.jni.Model;

/**
 * The last model a command loaded stays loaded, so that a macro running a command on many
 * files (macros/segment_and_track_folder.ijm) loads the network once. A different model, or
 * the same folder with newer files (retrained in place), replaces it; a replaced model is
 * closed when the last command using it finishes.
 */
final class ModelCache {
    private static final class Entry {
        final Model model;
        final String key;
        int users;
        boolean retired;

        Entry(Model model, String key) {
            this.model = model;
            this.key = key;
        }

        void closeIfUnused() {
            if (retired && users == 0) model.close();
        }
    }

    /** A model in use by one command; close() when the command is done with it. */
    static final class Lease implements AutoCloseable {
        private final Entry entry;

        Lease(Entry entry) {
            this.entry = entry;
        }

        Model model() {
            return entry.model;
        }

        @Override
        public void close() {
            synchronized (ModelCache.class) {
                entry.users--;
                entry.closeIfUnused();
            }
        }
    }

    private static Entry current;

    private ModelCache() {
    }

    /** The model for a folder or id, loaded now or kept from an earlier command. */
    static synchronized Lease acquire(String folderOrId) {
        String key = folderOrId + "@" + newestFile(new File(folderOrId));
        if (current == null || !current.key.equals(key)) {
            Model loaded = new Model(folderOrId);  // a model that fails to load leaves the cache as it was
            if (current != null) {
                current.retired = true;
                current.closeIfUnused();
            }
            current = new Entry(loaded, key);
        }
        current.users++;
        return new Lease(current);
    }

    private static long newestFile(File dir) {
        long newest = dir.lastModified();
        File[] files = dir.listFiles();
        if (files != null) for (File f : files) newest = Math.max(newest, f.lastModified());
        return newest;
    }
}
