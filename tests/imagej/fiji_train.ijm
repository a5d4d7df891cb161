// Train Model from an open video and its label video (the simulator's ground truth opened as
// an image sequence), then use the trained package with Segment Image.
// Argument: "sim folder|output folder".
args = split(getArgument(), "|");
sim = args[0]; out = args[1];
open(sim + "/video.tif");
run("Image Sequence...", "open=[" + sim + "/01_GT/SEG/] sort");
rename("gt");
run("Train Model...", "image=video.tif labels=gt out=[" + out + "] model_name=fiji-test epochs=2 steps_per_epoch=2 batch_size=2 patch_size=32 depth=2 base_filters=4 batch_norm");
print("TRAIN error=[" + call("org.nativeseg.fiji.Command.lastError") + "] title=" + getTitle());
selectImage("video.tif");
run("Segment Image...", "model=[" + out + "] output_type=mask");
print("USE error=[" + call("org.nativeseg.fiji.Command.lastError") + "] title=" + getTitle() + " bits=" + bitDepth());
run("Train Model...", "image=video.tif labels=none out=[" + out + "/never]");
print("BAD train: " + call("org.nativeseg.fiji.Command.lastError"));
print("OK fiji-train");
