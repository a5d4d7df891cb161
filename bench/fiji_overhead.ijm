// Benchmark helper for bench/fiji_overhead.sh: opens the video, runs Segment and Track Video once
// (mode "image": the open image streamed plane by plane through JNI; mode "file": input= read by
// the core) and prints the times in ms. Argument: "video|model|out|mode".
args = split(getArgument(), "|");
t0 = getTime();
open(args[0]);
t1 = getTime();
opts = "model=[" + args[1] + "] out=[" + args[2] + "] name=bench fill_holes divisions";
if (args[3] == "file") opts = "input=[" + args[0] + "] " + opts;
run("Segment and Track Video...", opts);
t2 = getTime();
err = call("org.nativeseg.fiji.Command.lastError");
if (err != "") print("BENCH FAILED " + err);
print("BENCH open_ms=" + (t1 - t0) + " command_ms=" + (t2 - t1) + " title=" + getTitle());
