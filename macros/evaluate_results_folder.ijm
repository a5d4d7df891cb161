// NativeSeg: evaluate a folder of results against ground truth.
//
// RESULTS is what segment_and_track_folder.ijm writes: one sub-folder per video holding ctc/.
// For each sub-folder NAME, the ground truth is GT/NAME_GT (the Cell Tracking Challenge naming:
// 01 -> 01_GT) or else GT/NAME. Runs Plugins > NativeSeg > Evaluate (kind=ctc) and collects the
// measures (SEG, DET, TRA, ...) into the table "NativeSeg Evaluation Summary", saved as
// RESULTS/evaluation.csv. A video that fails to evaluate is reported and skipped.
//
//   ImageJ-linux64 --headless --console -batch evaluate_results_folder.ijm "results=[/data/results] gt=[/data/gt]"
// Arguments: results, gt, options (keys of Evaluate, e.g. kind=instance).

arg = getArgument();
results = call("ij.Macro.getValue", arg, "results", "");
gt = call("ij.Macro.getValue", arg, "gt", "");
options = call("ij.Macro.getValue", arg, "options", "kind=ctc");
if (results == "") results = getDirectory("Folder of results");
if (gt == "") gt = getDirectory("Folder of ground truth");
results = stripSlash(results); gt = stripSlash(gt);
setBatchMode(true);
table = "NativeSeg Evaluation Summary";
Table.create(table);
list = getFileList(results);
Array.sort(list);
measures = newArray("SEG", "DET", "TRA", "LNK", "OP_CSB", "OP_CTB");
for (i = 0; i < list.length; i++) {
    if (!endsWith(list[i], "/")) continue;
    name = substring(list[i], 0, lengthOf(list[i]) - 1);
    res = results + "/" + name + "/ctc";
    if (!File.isDirectory(res)) continue;
    truth = gt + "/" + name + "_GT";
    if (!File.isDirectory(truth)) truth = gt + "/" + name;
    run("Evaluate...", "gt=[" + truth + "] res=[" + res + "] " + options);
    err = call("org.nativeseg.fiji.Command.lastError");
    row = Table.size(table);
    Table.set("video", row, name, table);
    Table.set("status", row, "ok", table);
    if (err != "") { Table.set("status", row, "failed", table); print("NativeSeg evaluation: " + name + " FAILED: " + err); }
    for (m = 0; m < measures.length; m++)
        Table.set(measures[m], row, call("org.nativeseg.fiji.Command.lastResult", "report.measures." + measures[m]), table);
    Table.set("error", row, err, table);
}
Table.update(table);
Table.save(results + "/evaluation.csv", table);
print("NativeSeg evaluation: " + Table.size(table) + " video(s); table in " + results + "/evaluation.csv");

function stripSlash(p) {
    while (endsWith(p, "/") || endsWith(p, "\\")) p = substring(p, 0, lengthOf(p) - 1);
    return p;
}
