#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# corpus_snapshot: the command line of `corpus snapshot` on a live process
# (root): output and manifest appear, the target runs on, errors leave no
# file behind.  The page-exact checks are in tests/unit/test_snapshot.c.
set -u
: "${ZPB:?}"
if [ "$(id -u)" != 0 ]; then
	echo "skipped: corpus snapshot needs root"
	exit 77
fi
T=/tmp/zpb-test-corpus-snapshot.$$
rm -rf "$T"
mkdir -p "$T"
pid=""
trap '[ -n "$pid" ] && kill -CONT $pid 2>/dev/null; [ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$T"' EXIT INT TERM
fail() { echo "FAIL: $*"; exit 1; }

python3 -c 'import time; b = bytearray(b"zpoolbench-snapshot-test" * 100000); print("R", flush=True); time.sleep(60)' > "$T/log" &
pid=$!
i=0
until grep -q R "$T/log"; do
	i=$((i + 1))
	[ $i -gt 100 ] && fail "test process did not start"
	sleep 0.1
done
"$ZPB" corpus snapshot --pid "$pid" --out "$T/s.pages" --workload t --package a=1 2> "$T/err" ||
	fail "snapshot: $(cat "$T/err")"
grep -q "^zpoolbench: $T/s.pages: [0-9]* pages (0 shared) from [0-9]* mappings of python3" "$T/err" ||
	fail "summary line: $(cat "$T/err")"
state=$(awk '/^State:/ { print $2 }' /proc/$pid/status)
[ "$state" = T ] && fail "target left stopped"
grep -caF "zpoolbench-snapshot-testzpoolbench-snapshot-test" "$T/s.pages" >/dev/null || fail "known content missing"
"$ZPB" corpus info "$T/s.pages" --codec lz4 >/dev/null || fail "manifest does not check out"
python3 - "$T/s.json" <<'PY' || fail "manifest fields"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["source"] == "process" and m["workload"] == "t" and m["process"].startswith("python3")
assert m["packages"] == {"a": "1"} and m["pages"] > 600
for k in ("kernel", "arch", "date", "thp", "selection"):
    assert m[k], k
PY
err=$("$ZPB" corpus snapshot --pid 12x --out "$T/n.pages" 2>&1)
[ $? -ne 0 ] || fail "bad pid accepted"
[ "$err" = "zpoolbench: corpus snapshot: --pid: '12x' is not a number (expected 2..1073741824)" ] ||
	fail "bad pid message: $err"
err=$("$ZPB" corpus snapshot --pid 4194000 --out "$T/n.pages" 2>&1)
[ "$err" = "zpoolbench: corpus snapshot: pid 4194000: no such process" ] || fail "no process: $err"
[ -e "$T/n.pages" ] || [ -e "$T/n.json" ] && fail "output left after an error"
ls "$T" | grep -q tmp && fail "temporary file left"
# an existing output is refused without --force (s.pages was written above)
size=$(stat -c %s "$T/s.pages")
err=$("$ZPB" corpus snapshot --pid $$ --out "$T/s.pages" 2>&1)
[ $? -eq 1 ] && [ "$err" = "zpoolbench: corpus snapshot: --out $T/s.pages: exists; use --force to replace it, or choose another path" ] \
	|| fail "overwrite: $err"
[ "$(stat -c %s "$T/s.pages")" = "$size" ] || fail "the refused snapshot changed s.pages"
echo "corpus snapshot ok"
