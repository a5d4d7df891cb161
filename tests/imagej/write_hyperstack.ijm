// Writes a calibrated 16-bit hyperstack (2 channels, 3 slices, 5 frames) the way a Fiji
// user saves one, with one marked pixel. Argument: output path.
path = getArgument();
newImage("hs", "16-bit ramp", 40, 30, 2, 3, 5);
run("Properties...", "channels=2 slices=3 frames=5 unit=micron pixel_width=0.5 pixel_height=0.5 voxel_depth=2 frame=[3 sec]");
Stack.setPosition(2, 3, 4);
setPixel(5, 6, 1234);
saveAs("Tiff", path);
close();
print("SAVED " + path);
