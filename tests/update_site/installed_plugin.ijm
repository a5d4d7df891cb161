// Runs in an ImageJ folder made only from our update site: the plugin must load its JNI library
// and LibTorch from that folder's lib/linux64/, find the shipped model in its models/ and
// segment and track a simulated video. Argument: "video|model id|out".
args = split(getArgument(), "|");
open(args[0]);
run("Segment and Track Video...", "model=[" + args[1] + "] out=[" + args[2] + "] name=video fill_holes divisions gap_fill=temporal");
err = call("org.nativeseg.fiji.Command.lastError");
if (err != "") { print("FAILED: " + err); exit; }
Stack.getDimensions(w, h, c, z, t);
Stack.getStatistics(n, mean, min, max);
print("RESULT frames=" + t + " max=" + max);
print("LOADED " + call("org.nativeseg.jni.NativeLoader.loadedFrom"));
// Every mapped LibTorch and JNI library file, as the process sees it.
maps = split(File.openAsString("/proc/self/maps"), "\n");
for (i = 0; i < maps.length; i++) {
  if (indexOf(maps[i], "libtorch_cpu") >= 0 || indexOf(maps[i], "libnativeseg_jni") >= 0 || indexOf(maps[i], "libopencv_core") >= 0) {
    parts = split(maps[i], " ");
    print("MAPPED " + parts[parts.length - 1]);
  }
}
run("Models and Devices...", "model=nuclei-fluo");
print("OK installed plugin");
