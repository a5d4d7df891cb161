#!/usr/bin/env bash
# expect.sh CODE REGEX -- COMMAND...
# Runs COMMAND, checks its exit code is CODE ("nonzero" for any failure) and that its
# output matches the extended regular expression REGEX. A failing command must print
# exactly one line on stderr (our error contract).
set -u
want="$1"; regex="$2"; shift 2
[ "$1" = "--" ] && shift
errf=$(mktemp); outf=$(mktemp)
"$@" >"$outf" 2>"$errf"
code=$?
cat "$outf" "$errf"
fail() { echo "EXPECT FAILED: $*"; rm -f "$errf" "$outf"; exit 1; }
if [ "$want" = "nonzero" ]; then
  [ "$code" -ne 0 ] || fail "expected a non-zero exit code, got 0"
  [ "$(wc -l <"$errf")" -eq 1 ] || fail "expected a one-line error on stderr, got $(wc -l <"$errf") lines"
else
  [ "$code" -eq "$want" ] || fail "expected exit code $want, got $code"
fi
cat "$outf" "$errf" | grep -Eq -- "$regex" || fail "output does not match /$regex/"
rm -f "$errf" "$outf"
echo "EXPECT OK"
