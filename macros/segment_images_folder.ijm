// NativeSeg: segment every image in a folder.
//
// For each .tif/.tiff/.png image in INPUT, runs Plugins > NativeSeg > Segment Image and saves
// OUTPUT/<name>.tif (probabilities, classes, a mask or instance labels, as output_type says),
// with the input's calibration. A file that fails is reported and the macro goes on; the table
// "NativeSeg Summary" (saved as OUTPUT/summary.csv) has one row per file.
//
//   ImageJ-linux64 --headless --console -batch segment_images_folder.ijm \
//     "input=[/data/images] output=[/data/masks] model=[/models/my-model] options=[output_type=labels]"
// Arguments: input, output, model, options (keys of Segment Image: output_type, threshold,
// tile, device, ... see docs/settings.md).

arg = getArgument();
input = call("ij.Macro.getValue", arg, "input", "");
output = call("ij.Macro.getValue", arg, "output", "");
model = call("ij.Macro.getValue", arg, "model", "nuclei-fluo");
options = call("ij.Macro.getValue", arg, "options", "output_type=mask");
if (input == "") input = getDirectory("Folder of images");
if (output == "") output = getDirectory("Folder for the results");
input = stripSlash(input); output = stripSlash(output);
File.makeDirectory(output);

setBatchMode(true);
table = "NativeSeg Summary";
Table.create(table);
list = getFileList(input);
Array.sort(list);
failed = 0;
for (i = 0; i < list.length; i++) {
    f = list[i];
    lower = toLowerCase(f);
    if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff") && !endsWith(lower, ".png")) continue;
    name = File.getNameWithoutExtension(f);
    run("Segment Image...", "input=[" + input + "/" + f + "] model=[" + model + "] save=[" + output + "/" + name + ".tif] " + options);
    err = call("org.nativeseg.fiji.Command.lastError");
    row = Table.size(table);
    Table.set("file", row, f, table);
    Table.set("status", row, "ok", table);
    if (err != "") { Table.set("status", row, "failed", table); failed++; print("NativeSeg batch: " + f + " FAILED: " + err); }
    Table.set("error", row, err, table);
    close("*");
}
Table.update(table);
Table.save(output + "/summary.csv", table);
print("NativeSeg batch: " + Table.size(table) + " image(s), " + failed + " failed; summary in " + output + "/summary.csv");

function stripSlash(p) {
    while (endsWith(p, "/") || endsWith(p, "\\")) p = substring(p, 0, lengthOf(p) - 1);
    return p;
}
