#!/usr/bin/env bash
# The plugin without a loadable native library (the classes-only jar, nothing in the Fiji
# folder, a wrong -Dnativeseg.library.path): a message listing every place tried, no crash.
set -euo pipefail
CLASSES_JAR="$1"; IJ_JAR="$2"; HERE="$3"; DIR="$4"
rm -rf "$DIR"; mkdir -p "$DIR/ij/plugins"
cp "$CLASSES_JAR" "$DIR/ij/plugins/NativeSeg_.jar"
timeout 120 xvfb-run -a java -Djava.awt.headless=false -Dnativeseg.library.path=/no/such/libnativeseg_jni.so \
  -Dij.dir="$DIR/ij" -jar "$IJ_JAR" -ijpath "$DIR/ij" -batch "$HERE/fiji_no_library.ijm" "$DIR/out" 2>&1 | tee "$DIR/log.txt"
die() { echo "FAILED: $*"; exit 1; }
grep -q "^OK still running" "$DIR/log.txt" || die "ImageJ did not go on"
line=$(sed -n '/^NOLIB /,/^OK still running/p' "$DIR/log.txt")
for part in "could not load its native library" "system property nativeseg.library.path=/no/such/libnativeseg_jni.so" \
            "$DIR/ij/lib/linux64" "the copy inside the plugin jar" "To fix"; do
  grep -qF "$part" <<<"$line" || die "the message lacks '$part': $line"
done
! grep -q "at org\.nativeseg" "$DIR/log.txt" || die "a stack trace reached the user"
echo "FIJI NO LIBRARY OK"
