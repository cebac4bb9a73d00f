#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# How run/sweep end: SIGINT/SIGTERM leave no results folder and no
# temporary sibling (one line says so), an interrupted plot leaves no
# half-written figure, a gnuplot failure exits non-zero with its log kept,
# --force replaces an earlier results folder whole (no stale figure
# survives) and refuses a folder holding files no run writes, figures for
# workloads that did not run are skipped, not failed.  A stand-in gnuplot on
# PATH makes plotting slow or failing on demand; killed while plotting, it
# must leave no process behind (its own child included: issue 12 found a
# `sleep 60` that outlived make test).
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-exit.XXXXXX)
trap '[ -s "$d/sleep.pid" ] && kill "$(cat "$d/sleep.pid")" 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c 65536 > "$d/c.pages"
head -c 8192 /dev/zero >> "$d/c.pages"

# wait_for TEST...: up to 60 s for a shell test to hold
wait_for() {
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -lt 600 ] || return 1
		sleep 0.1
	done
}

# nothing of a results folder NAME in $d: neither it, nor its temporary sibling, nor its lock
none_left() {
	[ ! -e "$d/$1" ] || fail "$2: left $d/$1: $(ls -a "$d/$1")"
	left=$(ls -a "$d" | grep "^\.$1\.") && fail "$2: left $left"
	return 0
}

# 1. SIGINT while running: nothing is left, one line says so
"$ZPB" run --corpus corpora/default.pages.zst --alloc zbud,z3fold,zsmalloc --codec lz4,zstd:3 \
	--repeat 200 --out "$d/int" --no-plots --quiet 2> "$d/int.err" &
pid=$!
wait_for sh -c "ls -a '$d' | grep -q '^\.int\.tmp\.'" || fail "the run never made its temporary folder"
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
[ $rc -ne 0 ] || fail "interrupted run exited 0"
none_left int "SIGINT"
grep -q "interrupted; no results written to $d/int" "$d/int.err" || fail "no message: $(cat "$d/int.err")"

# a stand-in gnuplot: slow writes a partial figure and waits, broken fails
mkdir "$d/bin"
cat > "$d/bin/gnuplot" <<'GP'
#!/bin/sh
out=$(echo "$2" | sed -n "s/.*out='\([^']*\)'.*/\1/p")
name=$(basename "$3" .gp)
case "$ZPB_FAKE_GNUPLOT" in
slow) printf 'partial' > "$out/$name.png"; sleep 300 & echo $! > "$ZPB_FAKE_SLEEP"; touch "$ZPB_FAKE_READY"; wait ;;
broken) echo "line 12: all points y value undefined!"; exit 1 ;;
esac
GP
chmod +x "$d/bin/gnuplot"

# 2. SIGTERM while plotting: no half-written figure, no temporary folder, no folder
ZPB_FAKE_GNUPLOT=slow ZPB_FAKE_READY="$d/ready" ZPB_FAKE_SLEEP="$d/sleep.pid" PATH="$d/bin:$PATH" \
	"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --out "$d/plot" --quiet 2> "$d/plot.err" &
pid=$!
wait_for test -e "$d/ready" || fail "the stand-in gnuplot never ran"
kill -TERM $pid
wait $pid
none_left plot "SIGTERM while plotting"
grep -q "interrupted; no results written to $d/plot" "$d/plot.err" || fail "no message: $(cat "$d/plot.err")"
# the plotter's whole process group was ended: its child is gone (or a zombie)
sp=$(cat "$d/sleep.pid")
gone() { [ ! -e /proc/$sp ] || [ "$(awk '{ print $3 }' /proc/$sp/stat 2>/dev/null)" = Z ] ||
	! grep -q '^sleep$' /proc/$sp/comm 2>/dev/null; }
wait_for gone || fail "SIGTERM while plotting: the plotter's child (sleep, PID $sp) still runs"

# 3. a gnuplot failure: non-zero exit, the message points at a log that exists
ZPB_FAKE_GNUPLOT=broken PATH="$d/bin:$PATH" \
	"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --out "$d/broken" --quiet 2> "$d/broken.err"
[ $? -ne 0 ] || fail "a gnuplot failure exited 0"
grep -q "gnuplot failed on .*tradeoff.gp; its output is in $d/broken/gnuplot.log" "$d/broken.err" \
	|| fail "message: $(cat "$d/broken.err")"
grep -q "all points y value undefined" "$d/broken/gnuplot.log" || fail "gnuplot.log not kept"
ls -a "$d/broken" | grep -q '^\.plots' && fail "temporary plot folder left"
[ ! -e "$d/broken/tradeoff.png" ] || fail "half-written tradeoff.png"
[ -s "$d/broken/results.csv" ] && [ -s "$d/broken/report.md" ] || fail "results lost with the plot"

# 4. --force replaces a results folder whole: no stale figure of the earlier run survives
mkdir "$d/f"
echo stale > "$d/f/sweep.png"
echo stale > "$d/f/latency.svg"
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --out "$d/f" --force --no-plots --quiet \
	|| fail "--force run failed"
[ ! -e "$d/f/sweep.png" ] && [ ! -e "$d/f/latency.svg" ] || fail "stale figures kept: $(ls "$d/f")"
[ -s "$d/f/results.csv" ] || fail "--force wrote no results"
ls -a "$d" | grep -q "^\.f\." && fail "--force left $(ls -a "$d" | grep "^\.f\.")"
# ... and refuses a folder with a file no run writes, touching nothing
echo mine > "$d/f/notes.txt"
before=$(ls "$d/f")
"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --out "$d/f" --force --no-plots --quiet \
	2> "$d/f.err" && fail "--force replaced a folder holding notes.txt"
grep -q "holds 'notes.txt', which no zpoolbench run writes" "$d/f.err" || fail "message: $(cat "$d/f.err")"
[ "$(cat "$d/f/notes.txt")" = mine ] && [ "$(ls "$d/f")" = "$before" ] || fail "the refused --force changed $d/f"

# 5. figures of workloads that did not run are skipped, not failed (real gnuplot)
if command -v gnuplot > /dev/null; then
	"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --workload fill --out "$d/fill" \
		--quiet 2> "$d/fill.err" || fail "--workload fill: $(cat "$d/fill.err")"
	[ -s "$d/fill/latency.png" ] || fail "--workload fill: no latency figure"
	grep -q "store (malloc" "$d/fill/latency.svg" || fail "no store panel"
	grep -q "load (map" "$d/fill/latency.svg" && fail "a load panel without a load workload"
	grep -q "fill store Mop/s only" "$d/fill/report.md" || fail "fill-only throughput label"
	"$ZPB" run --corpus "$d/c.pages" --alloc zbud --codec lz4 --workload replay,load \
		--trace corpora/example.trace --out "$d/rl" --quiet 2> "$d/rl.err" || fail "replay,load: $(cat "$d/rl.err")"
	[ -s "$d/rl/tradeoff.png" ] || fail "replay,load: no trade-off figure"
	grep -q "densest after fill:   zbud" "$d/rl/report.md" || fail "replay,load: no winners"
	"$ZPB" run --corpus "$d/c.pages" --alloc zsmalloc --codec lz4 --workload fill --frontend none \
		--out "$d/none" --quiet || fail "--frontend none failed"
	grep -q "huge threshold" "$d/none/sizes.svg" && fail "huge threshold drawn without zram"
	"$ZPB" run --corpus "$d/c.pages" --alloc zbud --trace corpora/example.trace --workload replay \
		--out "$d/rp" --quiet 2> "$d/rp.err" || fail "replay only: $(cat "$d/rp.err")"
	[ ! -e "$d/rp/gnuplot.log" ] || fail "replay only: gnuplot.log left"
else
	echo "part skipped: the figures of workloads that did not run need gnuplot (scripts/deps.sh plot)"
fi
echo "exit paths ok"
