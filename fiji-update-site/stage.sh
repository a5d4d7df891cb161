#!/usr/bin/env bash
# Lays out the two parts of the NativeSeg update site as ImageJ folders, ready for
# nativeseg.site.UpdateSiteTool (docs/update-site.md):
#   OUT/NativeSeg/           plugins/NativeSeg_.jar, lib/linux64/<our JNI library>, models/<id>/…, macros/*.ijm
#   OUT/NativeSeg-runtime/   lib/linux64/*.so: every non-system library the JNI library needs (LibTorch, OpenCV, …)
# Every library gets RUNPATH $ORIGIN (patchelf), so each finds its neighbours in lib/linux64/ and
# nothing has to be installed system-wide. The runtime is a part of its own because Debian's
# LibTorch closure is about 470 MB: users with their own LibTorch (e.g. a CUDA build) skip it.
#
#   fiji-update-site/stage.sh --jar JAR --jni LIB --models DIR --macros DIR --out OUT
set -euo pipefail
JAR= JNI= MODELS= MACROS= OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) JAR="$2"; shift 2 ;;
    --jni) JNI="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    --macros) MACROS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    *) echo "stage.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
for v in JAR JNI OUT; do [ -n "${!v}" ] || { echo "stage.sh: --${v,,} is required" >&2; exit 2; }; done
[ -f "$JAR" ] || { echo "stage.sh: $JAR: no such jar" >&2; exit 1; }
[ -f "$JNI" ] || { echo "stage.sh: $JNI: no such library" >&2; exit 1; }
command -v patchelf >/dev/null || { echo "stage.sh: patchelf is missing (apt-get install patchelf)" >&2; exit 1; }

MAIN="$OUT/NativeSeg"; RUNTIME="$OUT/NativeSeg-runtime"
rm -rf "$MAIN" "$RUNTIME"
mkdir -p "$MAIN/plugins" "$MAIN/lib/linux64" "$RUNTIME/lib/linux64"
cp "$JAR" "$MAIN/plugins/NativeSeg_.jar"
cp "$JNI" "$MAIN/lib/linux64/"
patchelf --set-rpath '$ORIGIN' "$MAIN/lib/linux64/$(basename "$JNI")"

# The C library and the dynamic loader belong to the user's system (glibc must match its kernel
# and loader); everything else comes with us, under the name the libraries ask for (the soname).
SYSTEM='^(linux-vdso|ld-linux-x86-64|libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl)\.so'
ldd "$JNI" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r soname path; do
  if [[ "$soname" =~ $SYSTEM ]]; then continue; fi
  cp -L "$path" "$RUNTIME/lib/linux64/$soname"
  chmod u+w "$RUNTIME/lib/linux64/$soname"
  patchelf --set-rpath '$ORIGIN' "$RUNTIME/lib/linux64/$soname"
done
if ldd "$JNI" | grep -q "not found"; then
  echo "stage.sh: $JNI has unresolved libraries:" >&2; ldd "$JNI" | grep "not found" >&2; exit 1
fi

# nativeseg-libs.txt: the libraries the JNI library links directly, each after the ones it needs,
# for the plugin's loader (it loads them by absolute path before the JNI library). Their own
# dependencies come through RUNPATH $ORIGIN within each load: some Debian libraries are
# underlinked (they use symbols of a library they do not list) and fail when loaded one by one.
direct=$(readelf -d "$JNI" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
declare -A visited=()
order=()
visit() {
  local lib="$1" dep
  [ -n "${visited[$lib]:-}" ] && return
  visited[$lib]=1
  for dep in $(readelf -d "$RUNTIME/lib/linux64/$lib" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -f "$RUNTIME/lib/linux64/$dep" ] && visit "$dep"
  done
  if grep -qx "$lib" <<<"$direct"; then order+=("$lib"); fi
}
for dep in $direct; do
  [ -f "$RUNTIME/lib/linux64/$dep" ] && visit "$dep"
done
{ echo "# Libraries libnativeseg_jni.so links directly, dependencies first (fiji-update-site/stage.sh)"
  printf '%s\n' "${order[@]}"; } > "$RUNTIME/lib/linux64/nativeseg-libs.txt"
[ "${#visited[@]}" -eq "$(ls "$RUNTIME/lib/linux64" | grep -c '\.so')" ] ||
  { echo "stage.sh: the dependency walk misses libraries" >&2; exit 1; }

# The newest glibc symbol version any shipped library needs: the loader names it when the
# user's system is older.
need=$(for f in "$MAIN"/lib/linux64/*.so* "$RUNTIME"/lib/linux64/*.so*; do objdump -T "$f" 2>/dev/null; done |
       grep -o 'GLIBC_[0-9.]*' | sort -t. -k1,1 -k2,2n -k3,3n -u | tail -1)
echo "${need#GLIBC_}" > "$RUNTIME/lib/linux64/nativeseg-runtime-glibc.txt"

if [ -n "$MODELS" ] && [ -d "$MODELS" ]; then
  for m in "$MODELS"/*/; do
    [ -f "$m/rdf.yaml" ] || continue
    mkdir -p "$MAIN/models/$(basename "$m")"
    cp -r "$m". "$MAIN/models/$(basename "$m")/"
  done
fi
if [ -n "$MACROS" ] && [ -d "$MACROS" ]; then
  mkdir -p "$MAIN/macros"
  cp "$MACROS"/*.ijm "$MAIN/macros/" 2>/dev/null || true
fi
printf 'staged %s (%s) and %s (%s, %s libraries, glibc >= %s)\n' "$MAIN" "$(du -sh "$MAIN" | cut -f1)" \
  "$RUNTIME" "$(du -sh "$RUNTIME" | cut -f1)" "$(ls "$RUNTIME/lib/linux64" | grep -c '\.so')" "${need#GLIBC_}"
