// NativeSeg: train a model from a folder of training data.
//
// Runs Plugins > NativeSeg > Train Model on DATA (any layout of docs/training.md: image/label
// pairs, a Cell Tracking Challenge sequence with its _GT folder, PNG pairs, ...) and writes the
// model package into OUT (rdf.yaml, TorchScript weights, model card, history.csv and the
// training curve). An interrupted run continues from its checkpoint when run again.
//
//   ImageJ-linux64 --headless --console -batch train_from_folder.ijm \
//     "data=[/data/Fluo-N2DH-GOWT1/01] out=[/models/gowt1] options=[epochs=40 target=three_class batch_norm resume]"
// Arguments: data, out, options (keys of Train Model, see docs/settings.md; checkboxes that are
// on by default, such as batch_norm, resume, augment_flip and augment_rotate90, must be listed
// to stay on).

arg = getArgument();
data = call("ij.Macro.getValue", arg, "data", "");
out = call("ij.Macro.getValue", arg, "out", "");
options = call("ij.Macro.getValue", arg, "options", "batch_norm resume augment_flip augment_rotate90");
if (data == "") data = getDirectory("Training data");
if (out == "") out = getDirectory("Folder for the model");
setBatchMode(true);
run("Train Model...", "image=none labels=none training_data=[" + data + "] out=[" + out + "] " + options);
err = call("org.nativeseg.fiji.Command.lastError");
if (err != "") print("NativeSeg training FAILED: " + err);
else print("NativeSeg training: best epoch " + call("org.nativeseg.fiji.Command.lastResult", "best_epoch")
           + ", " + call("org.nativeseg.fiji.Command.lastResult", "score_name") + " "
           + call("org.nativeseg.fiji.Command.lastResult", "best_score") + "; model in " + out);
