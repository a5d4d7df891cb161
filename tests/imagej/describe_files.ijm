// Opens every .tif in a folder (sorted) and prints what ImageJ sees: dimensions, pixel
// type, calibration and one calibrated pixel value at (channel 1, last slice, frame 4, x 10, y 12)
// or the last frame when there are fewer. Argument: folder.
dir = getArgument();
list = getFileList(dir);
Array.sort(list);
for (i = 0; i < list.length; i++) {
    if (!endsWith(list[i], ".tif")) continue;
    open(dir + "/" + list[i]);
    getDimensions(w, h, c, s, f);
    getPixelSize(unit, pw, ph);
    t = minOf(4, f);
    Stack.setPosition(1, s, t);
    v = calibrate(getPixel(10, 12));
    print("IJ " + list[i] + " w=" + w + " h=" + h + " c=" + c + " z=" + s + " t=" + f + " bits=" + bitDepth()
          + " unit=" + unit + " pw=" + pw + " fi=" + Stack.getFrameInterval() + " v=" + v);
    close();
}
print("IJ DONE");
