// A Fiji whose native library cannot load: the command says what was tried and how to fix it,
// and ImageJ keeps running (the next macro line runs).
newImage("video", "16-bit black", 64, 64, 1, 1, 5);
run("Segment and Track Video...", "model=nuclei-fluo out=[" + getArgument() + "]");
print("NOLIB " + call("org.nativeseg.fiji.Command.lastError"));
print("OK still running");
