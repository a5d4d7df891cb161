package org.nativeseg.jni;

/**
 * Planes of an image the native side reads one at a time, in TZC order (channels fastest,
 * then slices, then frames: the order of an ImageJ hyperstack). Each plane is a byte[]
 * (8-bit), short[] (16-bit), int[] (32-bit integer) or float[] (32-bit float) of width x height.
 */
public interface PlaneSource {
    Object plane(int index);
}
