// Every NativeSeg command from a batch macro, and the bad input each must refuse with a
// message (never a stack trace or a hang). Prints lines the shell test checks.
// Argument: "sim folder|model|output folder".
args = split(getArgument(), "|");
sim = args[0]; model = args[1]; out = args[2];
function lastError() { return call("org.nativeseg.fiji.Command.lastError"); }
function describe(tag) {
    Stack.getDimensions(w, h, c, z, t);
    Stack.getStatistics(n, mean, min, max);
    print(tag + " title=" + getTitle() + " frames=" + t + " slices=" + z + " bits=" + bitDepth() + " max=" + max);
}
video = " fill_holes divisions gap_fill=temporal";

// --- bad input ---
run("Segment and Track Video...", "model=[" + model + "] out=[" + out + "/never]" + video);
print("BAD no_image: " + lastError());
newImage("rgb", "RGB black", 64, 64, 1);
run("Segment Image...", "model=[" + model + "]");
print("BAD rgb: " + lastError());
close();
newImage("single", "16-bit black", 64, 64, 1);
run("Segment and Track Video...", "model=[" + model + "] out=[" + out + "/never]" + video);
print("BAD single_frame: " + lastError());
close();
open(sim + "/video.tif");
run("Segment Image...", "model=/no/such/model");
print("BAD missing_model: " + lastError());
run("Properties...", "channels=1 slices=12 frames=1");
run("Segment and Track Video...", "model=[" + model + "] out=[" + out + "/never]" + video);
print("BAD z_for_t: " + lastError());
run("Segment and Track Video...", "model=[" + model + "] out=[" + out + "/z_as_t] name=zt treat_z_as_t" + video);
print("ZT error=[" + lastError() + "]");
describe("ZT");
close("video.tif");
close("video-tracks");

// --- the commands ---
open(sim + "/video.tif");
run("Segment Image...", "model=[" + model + "] output_type=labels");
print("SEGMENT error=[" + lastError() + "]");
describe("SEGMENT");
selectImage("video.tif");
run("Segment Image...", "model=[" + model + "] output_type=probability save=[" + out + "/probability.tif]");
describe("PROBABILITY");
selectImage("video.tif");
run("Segment and Track Video...", "model=[" + model + "] out=[" + out + "/video] name=video" + video);
describe("VIDEO");
open(out + "/video/labels.tif");
run("Track Label Video...", "image=video.tif out=[" + out + "/track] name=relabelled max_gap=2 divisions");
print("TRACK error=[" + lastError() + "]");
describe("TRACK");
run("Merge Tracks with Segmentation...", "tracks=labels-tracks segmentation=video-labels");
print("MERGE error=[" + lastError() + "]");
describe("MERGE");
run("Evaluate...", "gt=[" + sim + "/01_GT] res=[" + out + "/video/ctc] kind=ctc");
print("EVALUATE error=[" + lastError() + "]");
for (i = 0; i < Table.size("NativeSeg Evaluation"); i++)
    print("MEASURE " + Table.getString("measure", i, "NativeSeg Evaluation") + "=" + Table.get("value", i, "NativeSeg Evaluation"));
run("Models and Devices...", "model=[" + model + "] cards validate");
print("MODELS error=[" + lastError() + "] rows=" + Table.size("NativeSeg Models") + " status=" + Table.getString("status", 0, "NativeSeg Models"));
print("OK fiji-commands");
