// Segment and Track Video on a simulated video, as a batch macro would run it; prints what
// the shell test checks. Argument: "video|model|out".
args = split(getArgument(), "|");
open(args[0]);
input = getImageID();
inputTitle = getTitle();
getStatistics(area, inputMean);
run("Segment and Track Video...", "model=[" + args[1] + "] out=[" + args[2] + "] name=video fill_holes divisions gap_fill=temporal");
err = call("org.nativeseg.fiji.Command.lastError");
if (err != "") { print("FAILED: " + err); exit; }
Stack.getDimensions(w, h, c, z, t);
Stack.getStatistics(n, mean, min, max);
getPixelSize(unit, pw, ph);
print("RESULT title=" + getTitle() + " frames=" + t + " slices=" + z + " bits=" + bitDepth() + " max=" + max + " unit=" + unit + " pw=" + pw);
selectImage(input);
getStatistics(area, meanAfter);
print("INPUT title=" + getTitle() + " unchanged=" + (meanAfter == inputMean));
print("OK segment-and-track");
