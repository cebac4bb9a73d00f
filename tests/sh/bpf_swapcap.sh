#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bpf_swapcap.sh - corpora/swap-capture.sh builds a corpus from the pages a
# Python workload swaps to zram0: the manifest is valid JSON whose page count
# and sha256 match the pages file, the capture dropped nothing, the trace is
# valid v1 and ends with no live object (every swap free found), the caller's
# environment is not in the pages; and afterwards, also after a SIGINT in the
# middle, no swap, memory cgroup or zram state is left behind.  The whole run
# has its first attempt OOM-killed on purpose (ZPB_SWAPCAP_FORCE_OOM=1): the
# builder must throw it away and capture again from a clean zram0 (with three
# more attempts, as the default run has, against a real OOM kill).  Every
# page's place is captured (the manifest's address extents, in a file beside
# it for a capture this large), and 16 KiB pages are built from them.
set -u
cd "$(dirname "$0")/../.."
. tests/sh/bpf_lib.inc
need_capture
[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3 (the workload)"
[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] || skip "no cgroup-v1 memory controller"
zram_is_free || skip "zram0 is in use (disksize $(cat $ZRAM/disksize)); not touching it"

machine_clean() {
	! zpb_is_swap zram0 || fail "$1: zram0 still swap"
	[ "$(cat $ZRAM/disksize)" = 0 ] || fail "$1: zram0 disksize $(cat $ZRAM/disksize)"
	! ls -d /sys/fs/cgroup/memory/zpb-swapcap.* 2>/dev/null || fail "$1: memory cgroup left"
	! running "$CAPTURE" || fail "$1: zpb-capture still running"
}

# 1. interrupted in the middle: nothing left, no output
mkdir "$TMP/int"
# a script's background job starts with SIGINT ignored: give it back
env --default-signal=INT corpora/swap-capture.sh --out "$TMP/int" --name int > "$TMP/int.log" 2>&1 &
pid=$!
i=0
until [ "$(zpb_swap_used zram0)" -gt 1000 ] 2>/dev/null; do
	kill -0 $pid 2>/dev/null || { cat "$TMP/int.log"; fail "builder ended before swapping"; }
	i=$((i + 1))
	[ $i -lt 600 ] || fail "no swapping after 60 s"
	sleep 0.1
done
kill -INT $pid
wait $pid
rc=$?
cat "$TMP/int.log"
[ $rc != 0 ] || fail "interrupted builder exited 0"
[ -z "$(ls "$TMP/int")" ] || fail "interrupted builder left files: $(ls "$TMP/int")"
machine_clean "after SIGINT"
grep -q "interrupted; machine restored" "$TMP/int.log" || fail "no 'machine restored' after SIGINT"
echo "SIGINT in the middle: exit $rc, machine restored"

# 2. a whole run; a canary in our environment must not reach the pages
zram_is_free || skip "zram0 became busy; not touching it"
mkdir "$TMP/out"
ZPB_SWAPCAP_FORCE_OOM=1 ZPB_CANARY=zpb-canary-7f3a9c corpora/swap-capture.sh --out "$TMP/out" --attempts 4 > "$TMP/run.log" 2>&1 ||
	{ cat "$TMP/run.log"; machine_clean "after a failed run"; fail "builder failed"; }
cat "$TMP/run.log"
machine_clean "after a run"
n=swap-python-dicts
for f in $n.pages $n.json $n.trace; do [ -s "$TMP/out/$f" ] || fail "missing $f"; done
python3 - "$TMP/out/$n.json" "$TMP/out/$n.pages" <<'PY' || fail "manifest does not match the pages"
import hashlib, json, os, sys
m = json.load(open(sys.argv[1]))
size = os.path.getsize(sys.argv[2])
h = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert m["format_version"] == 1 and m["page_size"] == 4096, "format"
assert size % 4096 == 0 and m["pages"] == size // 4096, "page count"
assert m["sha256"] == h, "sha256"
assert m["capture_drops"] == 0, "drops"
assert m["workload_oom_kills"] == 0, "oom"
assert 2 <= m["attempts"] <= 4, "attempts %d: the forced OOM was not retried" % m["attempts"]
assert isinstance(m["packages"], dict) and m["packages"], "packages"
for k in ("source", "workload", "command", "kernel", "arch", "date", "selection"):
    assert m[k], k
print("manifest ok: %d pages" % m["pages"])
PY
pages=$(($(stat -c %s "$TMP/out/$n.pages") / 4096))
[ $pages -gt 10000 ] || fail "only $pages pages swapped"
! grep -q zpb-canary-7f3a9c "$TMP/out/$n.pages" || fail "the caller's environment is in the pages"
live=$(check_trace "$TMP/out/$n.trace") || fail "invalid trace: $live"
set -- $live
[ "$1" = 0 ] || fail "$1 objects still live at the end of the trace (swap frees missed)"
grep -q 'OOM-killed (attempt 1 of 4); starting again' "$TMP/run.log" || fail "the forced OOM was not reported"
grep -q '^drops: 0 ' "$TMP/run.log" || fail "the capture dropped events"
"$ZPB" corpus info "$TMP/out/$n.pages" > "$TMP/info.out" 2>&1 ||
	{ cat "$TMP/info.out"; fail "'zpoolbench corpus info' rejects the corpus"; }
"$ZPB" replay --trace "$TMP/out/$n.trace" --alloc zbud > "$TMP/replay.out" 2>&1 ||
	{ cat "$TMP/replay.out"; fail "'zpoolbench replay' rejects the trace"; }
grep -E '^pool pages' "$TMP/replay.out"
echo "corpus: $pages pages; trace balanced"

# where the pages were: every page placed, 16 KiB pages built from complete groups
python3 - "$TMP/out/$n.json" <<'PY' || fail "the capture's addresses"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["addresses_known"] == m["pages"], (m["addresses_known"], m["pages"])
assert m["address_extents_count"] > 16384 and m["address_extents_file"] == "swap-python-dicts.extents"
assert 1 <= m["address_spaces"] < 100, m["address_spaces"]
PY
"$ZPB" corpus regroup --from "$TMP/out/$n.pages" --page 16K --out "$TMP/out/$n-16k.pages" 2> "$TMP/rg.err" ||
	{ cat "$TMP/rg.err"; fail "the capture does not regroup into 16 KiB pages"; }
cat "$TMP/rg.err"
python3 - "$TMP/rg.err" "$pages" <<'PY' || fail "too few 16 KiB pages: $(cat "$TMP/rg.err")"
import re, sys
m = re.search(r": (\d+) pages of 16384 bytes from (\d+) of the (\d+) pages", open(sys.argv[1]).read())
pages16, grouped, total = map(int, m.groups())
assert total == int(sys.argv[2]) and grouped == 4 * pages16
# most pages the workload swapped belong to complete, aligned groups of four
assert grouped > total / 2, (grouped, total)
PY
"$ZPB" corpus info "$TMP/out/$n-16k.pages" --codec lz4 > /dev/null || fail "the 16 KiB swap corpus does not open"
