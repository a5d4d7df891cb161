// NativeSeg: segment and track every video in a folder.
//
// For each video in INPUT (.tif/.tiff files, and sub-folders of frames in the Cell Tracking
// Challenge layout, t000.tif ...), runs Plugins > NativeSeg > Segment and Track Video and
// writes OUTPUT/<video name>/ (labels.tif, tracks.tif, <video name>.xml for TrackMate, ctc/,
// report.json). A video that fails is reported and the macro goes on with the next one.
// At the end OUTPUT/summary.csv (also shown as the table "NativeSeg Summary") has one row per
// video: file, status, frames, objects, tracks, divisions, seconds, error.
//
// Run overnight without a display, e.g.
//   ImageJ-linux64 --headless --console -batch segment_and_track_folder.ijm \
//     "input=[/data/videos] output=[/data/results] model=nuclei-fluo options=[gap_fill=temporal max_gap=2 fill_holes divisions]"
// or from Fiji (Plugins > Macros > Run...), which asks for the folders.
// Arguments: input, output (folders), model (folder or id; default nuclei-fluo), options (any
// keys of Segment and Track Video, see docs/settings.md; checkboxes that are on by default,
// such as fill_holes and divisions, must be listed to stay on).

arg = getArgument();
input = call("ij.Macro.getValue", arg, "input", "");
output = call("ij.Macro.getValue", arg, "output", "");
model = call("ij.Macro.getValue", arg, "model", "nuclei-fluo");
options = call("ij.Macro.getValue", arg, "options", "fill_holes divisions");
if (input == "") input = getDirectory("Folder of videos");
if (output == "") output = getDirectory("Folder for the results");
input = stripSlash(input); output = stripSlash(output);
File.makeDirectory(output);

setBatchMode(true);
table = "NativeSeg Summary";
Table.create(table);
list = getFileList(input);
Array.sort(list);
failed = 0; done = 0;
for (i = 0; i < list.length; i++) {
    entry = list[i];
    isFolder = endsWith(entry, "/");
    if (!isFolder && !endsWith(toLowerCase(entry), ".tif") && !endsWith(toLowerCase(entry), ".tiff")) continue;
    name = entry;
    if (isFolder) name = substring(entry, 0, lengthOf(entry) - 1);
    else name = File.getNameWithoutExtension(entry);
    path = input + "/" + name; if (!isFolder) path = input + "/" + entry;
    t0 = getTime();
    print("NativeSeg batch: " + name + " ...");
    run("Segment and Track Video...", "input=[" + path + "] model=[" + model + "] out=[" + output + "/" + name + "] name=[" + name + "] " + options);
    err = call("org.nativeseg.fiji.Command.lastError");
    row = Table.size(table);
    Table.set("file", row, entry, table);
    if (err == "") {
        Table.set("status", row, "ok", table);
        Table.set("frames", row, call("org.nativeseg.fiji.Command.lastResult", "input.frames"), table);
        Table.set("objects", row, call("org.nativeseg.fiji.Command.lastResult", "counts.spots"), table);
        Table.set("tracks", row, call("org.nativeseg.fiji.Command.lastResult", "counts.tracks"), table);
        Table.set("divisions", row, call("org.nativeseg.fiji.Command.lastResult", "counts.divisions"), table);
        Table.set("error", row, "", table);
        done++;
    } else {
        Table.set("status", row, "failed", table);
        Table.set("error", row, err, table);
        print("NativeSeg batch: " + name + " FAILED: " + err);
        failed++;
    }
    Table.set("seconds", row, d2s((getTime() - t0) / 1000, 1), table);
    close("*");  // the label video each run opens
}
Table.update(table);
Table.save(output + "/summary.csv", table);
print("NativeSeg batch: " + done + " video(s) done, " + failed + " failed; summary in " + output + "/summary.csv");

function stripSlash(p) {
    while (endsWith(p, "/") || endsWith(p, "\\")) p = substring(p, 0, lengthOf(p) - 1);
    return p;
}
