#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Progress: with --progress and standard error not a terminal, progress
# lines in the documented format that advance within one pool (not only
# between allocators) and a last line; without --progress nothing; on a
# terminal (a pty from script(1)) a bar with the share, the rate, the time
# left and the phase, cleared at the end.  ZPB_PROGRESS_INTERVAL=0 makes an
# update of every batch of 1024 operations, so nothing here depends on timing.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-progress.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

zstd -qdc corpora/default.pages.zst | head -c 4096000 > "$d/c.pages"
R="--corpus $d/c.pages --alloc zbud --codec lz4 --objects 20000 --ccache off --format csv"

# 1. not a terminal, --progress: lines
ZPB_PROGRESS_INTERVAL=0 "$ZPB" run $R --progress > "$d/out.csv" 2> "$d/err" || fail "run --progress: $(tail -n 3 "$d/err")"
line='^zpoolbench: run: progress [0-9]{1,2}% \([0-9]+ of [0-9]+ operations\), [0-9.]+[kMG]? op/s, elapsed [0-9]+:[0-9]{2}, left ([0-9]+:[0-9]{2}|\?): '
grep -Eq "${line}c lz4:1 zbud fill$" "$d/err" || fail "no progress line of the zbud fill: $(head -n 5 "$d/err")"
# within one pool: several lines of the same phase, with different counts
n=$(grep -E "${line}c lz4:1 zbud churn$" "$d/err" | sed 's/.*(\([0-9]*\) of.*/\1/' | sort -u | wc -l)
[ "$n" -ge 3 ] || fail "the display did not advance within the zbud churn ($n distinct counts)"
# the share never goes back, and the total is the same on every line
awk -F'[ %(]+' '/progress [0-9]/ { if ($4 < last) exit 1; last = $4 }' "$d/err" ||
	fail "the share went back: $(grep -n progress "$d/err" | head)"
[ "$(grep -E "$line" "$d/err" | sed 's/.* of \([0-9]*\) operations.*/\1/' | sort -u | wc -l)" -eq 1 ] ||
	fail "the total changed during the run"
tail -n 2 "$d/err" | grep -Eq '^zpoolbench: run: progress done: [0-9]+ operations in [0-9]+:[0-9]{2}, [0-9.]+[kMG]? op/s$' ||
	fail "no last line: $(tail -n 2 "$d/err")"
grep -vE "$line|progress done|no --out" "$d/err" && fail "other lines on stderr"
grep -q '^corpus,codec,allocator,workload,' "$d/out.csv" || fail "the CSV on stdout is broken"
tr -d '\r' < "$d/err" | cmp -s - "$d/err" || fail "a bar's carriage return in the non-terminal lines"

# 2. not a terminal, no --progress: nothing
"$ZPB" run $R > /dev/null 2> "$d/err2" || fail "run: $(cat "$d/err2")"
grep -q progress "$d/err2" && fail "progress without --progress on a non-terminal: $(cat "$d/err2")"

# 3. the other commands that take --progress
zstd -qdc corpora/default.pages.zst | head -c 409600 > "$d/s.pages"
ZPB_PROGRESS_INTERVAL=0 "$ZPB" sweep --corpus "$d/s.pages" --alloc 'zsmalloc:chain={4,8}' --codec lz4 \
	--ccache off --format csv --progress > /dev/null 2> "$d/sweep.err" || fail "sweep --progress"
grep -Eq '^zpoolbench: sweep: progress [0-9]+% .*zsmalloc:chain=4 (warm-up|fill|load|churn)$' "$d/sweep.err" ||
	fail "sweep: $(head -n 3 "$d/sweep.err")"
ZPB_PROGRESS_INTERVAL=0 "$ZPB" replay --trace corpora/example.trace --alloc zbud --progress \
	> /dev/null 2> "$d/replay.err" || fail "replay --progress"
grep -Eq '^zpoolbench: replay: progress [0-9]+% \([0-9]+ of [0-9]+ operations\).*: zbud$' "$d/replay.err" ||
	fail "replay: $(cat "$d/replay.err")"
# a trace on a pipe: no total, a count
ZPB_PROGRESS_INTERVAL=0 "$ZPB" replay --trace - --alloc zbud --progress < corpora/example.trace \
	> /dev/null 2> "$d/pipe.err" || fail "replay --trace - --progress"
grep -Eq '^zpoolbench: replay: progress [0-9]+ operations, .* op/s, elapsed [0-9:]+: zbud$' "$d/pipe.err" ||
	fail "replay from a pipe: $(cat "$d/pipe.err")"
ZPB_PROGRESS_INTERVAL=0 "$ZPB" scale --corpus "$d/s.pages" --alloc zbud --threads 1 --repeat 1 \
	--ccache off --progress > /dev/null 2> "$d/scale.err" || fail "scale --progress"
grep -Eq '^zpoolbench: scale: progress [0-9]+% .*: zbud, 1 thread \(repeat 1 of 1\)$' "$d/scale.err" ||
	fail "scale: $(head -n 3 "$d/scale.err")"
ZPB_PROGRESS_INTERVAL=0 "$ZPB" bench --quick --corpus "$d/s.pages" --alloc zbud --progress > /dev/null 2> "$d/bench.err" ||
	fail "bench --progress"
grep -Eq '^zpoolbench: bench: progress [0-9]+% .*: repetition 1 of 3: ' "$d/bench.err" ||
	fail "bench: $(head -n 3 "$d/bench.err")"

# 4. a terminal: the bar (script(1) gives the command a pty)
if command -v script > /dev/null; then
	ZPB_PROGRESS_INTERVAL=0 script -qfec "'$ZPB' run $R > '$d/tty.csv'" /dev/null > "$d/tty" 2>&1 ||
		fail "run on a terminal: $(tail -c 300 "$d/tty")"
	tr '\r' '\n' < "$d/tty" > "$d/frames"
	bar='^\[[#.]{30}\] +[0-9]{1,3}%  [0-9.]+[kMG]? op/s  ETA ([0-9]+:[0-9]{2}|\?)  '
	grep -Eq "${bar}c lz4:1 zbud fill" "$d/frames" || fail "no bar: $(head -c 400 "$d/tty" | od -c | head)"
	n=$(grep -E "${bar}c lz4:1 zbud churn" "$d/frames" | sed 's/^\[\([#.]*\)\] *\([0-9]*\)%.*/\1 \2/' | sort -u | wc -l)
	[ "$n" -ge 2 ] || fail "the bar did not advance within the zbud churn"
	# cleared at the end: the last frame is followed by a carriage return and erase-line
	tail -c 200 "$d/tty" | grep -q "$(printf '\r\033\\[K')" || fail "the bar is not cleared at the end"
	grep -q '^corpus,codec,allocator,workload,' "$d/tty.csv" || fail "stdout on a terminal run is broken"
else
	echo "note: no script(1): the terminal form is not checked"
fi
echo "progress ok"
