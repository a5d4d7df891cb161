#!/usr/bin/env bash
# The update site end to end: build it (target update-site), install both parts into an empty
# ImageJ folder by reading db.xml.gz as the updater does (checksums verified), then run the
# plugin headless from that folder alone — no build tree, no system LibTorch path, no
# NATIVESEG_* variables — on a simulated video with the shipped nuclei-fluo model.
# Also: a corrupted download is refused with the file named, and nothing is installed.
set -euo pipefail
BUILD="$1"; NS="$2"; TOOLS="$3"; IJ_JAR="$4"; HERE="$5"; DIR="$6"
die() { echo "FAILED: $*"; exit 1; }
rm -rf "$DIR"; mkdir -p "$DIR"
cmake --build "$BUILD" --target update-site >"$DIR/build.log" 2>&1 || { tail -20 "$DIR/build.log"; die "update-site target failed"; }
SITE="$BUILD/update-site"
site() { java -cp "$TOOLS" nativeseg.site.UpdateSiteTool "$@"; }

# The index records what the ImageJ updater computes: SHA-1 of the path followed by the bytes.
rec=$(zcat "$SITE/NativeSeg/db.xml.gz" | grep -A1 'filename="models/nuclei-fluo/rdf.yaml"' | sed -n 's/.*checksum="\([0-9a-f]*\)".*/\1/p')
want=$( (printf '%s' models/nuclei-fluo/rdf.yaml; cat "$BUILD/update-site/staging/NativeSeg/models/nuclei-fluo/rdf.yaml") | sha1sum | cut -d' ' -f1)
[ -n "$rec" ] && [ "$rec" = "$want" ] || die "db.xml.gz checksum of models/nuclei-fluo/rdf.yaml is '$rec', expected $want"
tagged=$(zcat "$SITE/NativeSeg-runtime/db.xml.gz" | grep -c '<platform>linux64</platform>' || true)
files=$(zcat "$SITE/NativeSeg-runtime/db.xml.gz" | grep -c '<plugin ' || true)
[ "$tagged" -gt 0 ] && [ "$tagged" -eq "$files" ] || die "$tagged of $files runtime files tagged linux64"

# A corrupted file on the site: the install stops, names it, and leaves nothing behind.
cp -r "$SITE/NativeSeg" "$DIR/bad-site"
for stored in "$DIR"/bad-site/plugins/NativeSeg_.jar-*; do printf 'x' >> "$stored"; done
mkdir -p "$DIR/bad-ij"
if out=$(site install "$DIR/bad-site" "$DIR/bad-ij" 2>&1); then die "a corrupted download was installed"; fi
[[ "$out" == *"plugins/NativeSeg_.jar: corrupt download"* ]] || die "unexpected message: $out"
[ -z "$(find "$DIR/bad-ij" -type f)" ] || die "files left after a failed install"

# A fresh ImageJ folder: ij.jar only, then our two update-site parts.
IJ="$DIR/ImageJ"; mkdir -p "$IJ"; cp "$IJ_JAR" "$IJ/ij.jar"
site install "$SITE/NativeSeg-runtime" "$IJ" || die "runtime install failed"
site install "$SITE/NativeSeg" "$IJ" || die "plugin install failed"
for f in plugins/NativeSeg_.jar lib/linux64/libnativeseg_jni.so lib/linux64/libtorch_cpu.so.1.13 \
         lib/linux64/nativeseg-libs.txt models/nuclei-fluo/rdf.yaml; do
  [ -e "$IJ/$f" ] || die "not installed: $f"
done

"$NS" simulate --out "$DIR/sim" --frames 8 --width 160 --height 160 --cells 6 --seed 5 >/dev/null
mkdir -p "$DIR/run"; cp "$DIR/sim/video.tif" "$DIR/run/video.tif"
# Only what a user's machine has: no LD_LIBRARY_PATH, no NATIVESEG_* variables, another folder.
(cd "$DIR/run" && env -i PATH=/usr/bin:/bin HOME="$DIR/run" \
   timeout 400 xvfb-run -a java -jar "$IJ/ij.jar" -ijpath "$IJ" -batch "$HERE/installed_plugin.ijm" \
   "$DIR/run/video.tif|nuclei-fluo|$DIR/run/out" 2>&1) | tee "$DIR/log.txt"
grep -q "^OK installed plugin" "$DIR/log.txt" || die "macro did not finish"
grep -q "^RESULT frames=8 " "$DIR/log.txt" || die "wrong result"
max=$(sed -n 's/^RESULT .* max=\([0-9]*\).*/\1/p' "$DIR/log.txt")
[ "${max:-0}" -ge 3 ] || die "expected several tracks, max label ${max:-none}"
grep -q "^LOADED Fiji's $IJ/lib/linux64" "$DIR/log.txt" || die "JNI library not loaded from the installed lib/linux64"
for lib in libtorch_cpu libnativeseg_jni libopencv_core; do
  mapped=$(grep "^MAPPED .*$lib" "$DIR/log.txt" | head -1 | sed 's/^MAPPED //')
  [[ "$mapped" == "$IJ/lib/linux64/"* ]] || die "$lib mapped from ${mapped:-nowhere}, not from the installation"
done
grep -q "NativeSeg installation: runtime libraries: complete" "$DIR/log.txt" || die "Models and Devices: runtime not reported complete"
grep -q "NativeSeg installation: glibc: " "$DIR/log.txt" || die "Models and Devices: glibc need not reported"
grep -q "nuclei-fluo" "$DIR/log.txt" || die "Models and Devices: the installed model is not listed"
[ -f "$DIR/run/out/video.xml" ] && [ -f "$DIR/run/out/tracks.tif" ] || die "outputs missing"
echo "runtime $(du -sh "$SITE/NativeSeg-runtime" | cut -f1), plugin $(du -sh "$SITE/NativeSeg" | cut -f1)"
echo "UPDATE SITE INSTALL OK"
