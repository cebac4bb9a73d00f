#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bench.sh - what `make bench` runs: the figures of docs/performance.md with
# their targets, each measured in one run.
#
#   1. bench: ns per store, load and free of every allocator, ratios to ideal,
#      and the timer (source, resolution, overhead subtracted);
#   2. run and bench on the same objects: the store/ideal and load/ideal
#      ratios of both, which must agree within their spreads;
#   3. replay at scale: a synthetic binary trace of $BENCH_OPS operations,
#      decoded and replayed --sizes-only through every preset (trace bench);
#      then again with a pool within the last-level cache ($BENCH_CACHE_OPS
#      operations, $BENCH_CACHE_LIVE IDs live);
#   4. $BENCH_OBJECTS objects in one pool (run --objects), against a run of
#      $BENCH_SMALL: time per object, peak RSS, pool, metadata, overhead;
#   5. the timer: source, resolution and overhead, against ideal's load p50
#      in run (a copy of about 1.5 KB), which must be well above both;
#   6. where part 3's time goes: the replays under cachegrind, instructions
#      and cache misses per operation against ideal's (needs valgrind).
#
# Knobs (environment or make variables): BENCH_PARTS (default "1 2 3 4 5 6"),
# BENCH_ARGS (more options for part 1), BENCH_OPS (100000000), BENCH_LIVE
# (1000000 IDs live), BENCH_OBJECTS (10000000), BENCH_SMALL (100000),
# BENCH_SCALE_ALLOCS (z3fold,zsmalloc,zblock), BENCH_SCALE_ALONE (zbud: each
# in a run of its own, when MemAvailable holds what its small run scales to;
# two objects to a page, 10 million take 20 GB), BENCH_SCALE_CODEC (zstd:3:
# the smaller objects keep a 10-million-object pool near 10 GB),
# BENCH_CACHE_OPS (4000000), BENCH_CACHE_LIVE (20000),
# BENCH_REPEAT (5), BENCH_DIR (build-bench: the trace, kept between runs).
# BENCH_SIZE=small shrinks everything for a quick look.  Parts 3 and 4 are
# long: minutes to an hour on 2 CPUs, and part 4 needs the memory.
set -u
ZPB=${ZPB:-build/zpoolbench}
PARTS=${BENCH_PARTS:-1 2 3 4 5 6}
OPS=${BENCH_OPS:-100000000}
LIVE=${BENCH_LIVE:-1000000}
OBJECTS=${BENCH_OBJECTS:-10000000}
SMALL=${BENCH_SMALL:-100000}
SCALE_ALLOCS=${BENCH_SCALE_ALLOCS:-z3fold,zsmalloc,zblock}
SCALE_ALONE=${BENCH_SCALE_ALONE:-zbud}
SCALE_CODEC=${BENCH_SCALE_CODEC:-zstd:3}
REPEAT=${BENCH_REPEAT:-5}
CACHE_OPS=${BENCH_CACHE_OPS:-4000000}
CACHE_LIVE=${BENCH_CACHE_LIVE:-20000}
DIR=${BENCH_DIR:-build-bench}
CORPUS=corpora/default.pages.zst
if [ "${BENCH_SIZE:-}" = small ]; then
	OPS=${BENCH_OPS:-1000000}
	LIVE=${BENCH_LIVE:-20000}
	OBJECTS=${BENCH_OBJECTS:-200000}
	SMALL=${BENCH_SMALL:-20000}
	REPEAT=${BENCH_REPEAT:-3}
fi
mkdir -p "$DIR" || exit 1
tmp=$(mktemp -d /tmp/zpb-bench.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
[ -r "$CORPUS" ] || { echo "bench: no $CORPUS"; exit 1; }

say() { printf '\n== %s (load average %s)\n\n' "$1" "$(cut -d' ' -f1-3 /proc/loadavg)"; }

# The value of column @2 in CSV lines on stdin (the first non-comment line is the header).
csvcol() {
	awk -F, -v want="$1" '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
		{ print $c[want] }'
}

part1() {
	say "1. allocator operations: bench (ns per operation, ratios to ideal)"
	# shellcheck disable=SC2086
	"$ZPB" bench --corpus "$CORPUS" --repeat "$REPEAT" ${BENCH_ARGS:-}
}

# Ratios to ideal of the fill's stores and the loads, from run (mean ns up to
# p99.9: 1e3 / Mop/s) and from bench (the same mean, each operation timed the
# same way), over $REPEAT runs each, taken in turn; agreement = the ranges
# of the two overlap, or the medians are within 10 %.
part2() {
	allocs=zbud,z3fold,zsmalloc,zblock
	say "2. run and bench: the same ratios to ideal ($REPEAT runs of each, in turn)"
	: > "$tmp/run.txt"
	: > "$tmp/bench.txt"
	i=0
	while [ $i -lt "$REPEAT" ]; do
		"$ZPB" run --corpus "$CORPUS" --alloc $allocs --codec lz4:1 --workload fill,load \
			--format csv 2> /dev/null > "$tmp/r.csv" || { echo "run failed"; return 1; }
		awk -F, '/^#/ { next } !h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
			$c["workload"] == "fill" { s[$c["allocator"]] = 1e3 / $c["store_mops"] }
			$c["workload"] == "load" { l[$c["allocator"]] = 1e3 / $c["load_mops"] }
			END { for (a in s) if (a != "ideal") print a, s[a] / s["ideal"], l[a] / l["ideal"] }' \
			"$tmp/r.csv" >> "$tmp/run.txt"
		"$ZPB" bench --corpus "$CORPUS" --alloc $allocs --repeat 3 --format csv 2> /dev/null |
			awk -F, '!h { for (i = 1; i <= NF; i++) c[$i] = i; h = 1; next }
				$c["allocator"] != "ideal" { print $c["allocator"], $c["store_vs_ideal"],
					$c["load_vs_ideal"] }' >> "$tmp/bench.txt"
		i=$((i + 1))
	done
	awk 'FNR == 1 { f++ } { a = $1; n[f, a]++; s[f, a, n[f, a]] = $2; l[f, a, n[f, a]] = $3; names[a] = 1 }
	function med(f, a, x,    k, i, j, t, v) { k = n[f, a]; for (i = 1; i <= k; i++) v[i] = (x == "s" ? s[f, a, i] : l[f, a, i]);
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		lo = v[1]; hi = v[k]; return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
	function show(what, x, a,    rm, rl, rh, bm, bl, bh, ok) {
		rm = med(1, a, x); rl = lo; rh = hi; bm = med(2, a, x); bl = lo; bh = hi
		ok = (rl <= bh && bl <= rh) || (rm / bm < 1.1 && bm / rm < 1.1)
		printf "%-10s %-6s run %.2f (%.2f-%.2f)   bench %.2f (%.2f-%.2f)   %s\n", a, what, rm, rl, rh, bm, bl, bh,
			ok ? "agree" : "DISAGREE" }
	END { printf "%-10s %-6s %-27s %-27s\n", "allocator", "ratio", "run: median (min-max)", "bench: median (min-max)"
		for (a in names) { show("store", "s", a); show("load", "l", a) } }' "$tmp/run.txt" "$tmp/bench.txt"
	echo
	echo "run: --workload fill,load, each operation timed with the TSC (overhead off), ratio of means up to p99.9"
	echo "bench: --timing op (the same timer, run's untimed work around each operation), 3 repetitions per run"
	echo "target: agree (ranges overlap, or medians within 10 %)"
}

# The synthetic trace of @1 operations with @2 IDs live, in $t: made the
# first time (its line on stdout), then kept in $DIR.
synth() {
	t="$DIR/synth-$1-$2.zpbt"
	[ -s "$t" ] || "$ZPB" trace synth --ops "$1" --live "$2" --out "$t"
}

part3() {
	say "3. replay at scale: $OPS operations, $LIVE IDs live, --sizes-only (trace bench)"
	synth "$OPS" "$LIVE" || return 1
	"$ZPB" trace info "$t" | sed -n '1,5p'
	echo
	"$ZPB" trace bench --trace "$t"
	# The same with a pool that fits in the last-level cache: what is left
	# of the ratios when the design's metadata misses are gone (part 6).
	[ "$CACHE_LIVE" -lt "$LIVE" ] || return 0
	say "3b. the same, the pool within the cache: $CACHE_OPS operations, $CACHE_LIVE IDs live"
	synth "$CACHE_OPS" "$CACHE_LIVE" || return 1
	"$ZPB" trace info "$t" | sed -n 's/^live IDs */live IDs  /p'
	echo
	"$ZPB" trace bench --trace "$t" --repeat "$REPEAT"
}

# One scale run: allocators @1, @2 objects, @3 repeats, into folder @4.
scale_run() {
	"$ZPB" run --corpus "$CORPUS" --alloc "$1" --codec "$SCALE_CODEC" \
		--objects "$2" --repeat "$3" --no-plots --quiet --force --out "$4"
}

# The header and the rows of allocator @1 of the results in folder @2.
own_rows() {
	grep -v '^#' "$2/results.csv" | awk -F, -v a="$1" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; print; next }
		$c["allocator"] == a'
}

# The kernel's MemAvailable in bytes.
mem_available() {
	awk '$1 == "MemAvailable:" { printf "%.0f\n", $2 * 1024 }' /proc/meminfo
}

part4() {
	say "4. $OBJECTS objects in one pool (run --objects, $SCALE_CODEC), against $SMALL"
	scale_run "$SCALE_ALLOCS" "$SMALL" 3 "$tmp/small" || return 1
	scale_run "$SCALE_ALLOCS" "$OBJECTS" 1 "$tmp/big" || return 1
	smalls="$tmp/small.csv" bigs="$tmp/big.csv"
	for f in small big; do
		grep -v '^#' "$tmp/$f/results.csv" > "$tmp/$f.csv"
	done
	# Each of $SCALE_ALONE in a run of its own, when the machine has the
	# memory its small run scales to, else a line why not.
	for a in $(echo "$SCALE_ALONE" | tr ',' ' '); do
		scale_run "$a" "$SMALL" 3 "$tmp/small-$a" || return 1
		own_rows "$a" "$tmp/small-$a" > "$tmp/small-$a.csv"
		# pool pages and their descriptors scaled, 12-byte slots, 64 MiB for the rest; 5 % to spare
		p=$(csvcol peak_pages < "$tmp/small-$a.csv" | sort -n | tail -n 1)
		need=$(awk -v p="${p:-0}" -v k="$OBJECTS" -v n="$SMALL" \
			'BEGIN { printf "%.0f\n", (p * (4096 + 64) * k / n + k * 12 + 2^26) * 1.05 }')
		have=$(mem_available)
		if [ "$need" -gt "$have" ]; then
			awk -v a="$a" -v k="$OBJECTS" -v need="$need" -v have="$have" 'BEGIN {
				printf "not run   %s at %d objects: needs about %.1f GiB, %.1f GiB available\n",
					a, k, need / 2^30, have / 2^30 }'
			continue
		fi
		scale_run "$a" "$OBJECTS" 1 "$tmp/big-$a" || return 1
		own_rows "$a" "$tmp/big-$a" > "$tmp/big-$a.csv"
		smalls="$smalls $tmp/small-$a.csv" bigs="$bigs $tmp/big-$a.csv"
	done
	# shellcheck disable=SC2086
	awk -F, 'FNR == 1 { delete c; for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ a = $c["allocator"]; names[a] = 1; if ($c["workload"] == "fill") o[f, a] = $c["pages"]
		  w[f, a] += $c["phase_ms"] / 1e3; u[f, a] += $c["cpu_ms"] / 1e3
		  if ($c["peak_rss_bytes"] > r[f, a]) r[f, a] = $c["peak_rss_bytes"]
		  if ($c["peak_pages"] * 4096 > p[f, a]) p[f, a] = $c["peak_pages"] * 4096
		  if ($c["metadata_bytes"] > m[f, a]) m[f, a] = $c["metadata_bytes"]
		  if ($c["peak_pages"] > pg[f, a]) pg[f, a] = $c["peak_pages"] }
	END { MB = 1048576
		printf "%-9s %10s %8s %8s %9s %9s %8s %9s %8s %8s %9s %9s\n", "allocator", "objects", "wall s", "CPU s",
			"RSS MB", "pool MB", "meta MB", "overh MB", "desc MB", "slots MB", "rest MB", "us/obj"
		for (a in names) for (f = 1; f <= 2; f++) {
			ov = r[f, a] - p[f, a] - m[f, a]; d = pg[f, a] * 64; sl = o[f, a] * 12
			printf "%-9s %10d %8.1f %8.1f %9.0f %9.0f %8.1f %9.1f %8.1f %8.1f %9.1f %9.2f\n", a, o[f, a], w[f, a], u[f, a],
				r[f, a] / MB, p[f, a] / MB, m[f, a] / MB, ov / MB, d / MB, sl / MB, (ov - d - sl) / MB, w[f, a] * 1e6 / o[f, a] }
		print ""
		for (a in names) {
			if (a == "ideal") continue
			tw = (w[2, a] / o[2, a]) / (w[1, a] / o[1, a]); tc = (u[2, a] / o[2, a]) / (u[1, a] / o[1, a])
			ov = (r[2, a] - p[2, a] - m[2, a]) / MB; d = pg[2, a] * 64 / MB; sl = o[2, a] * 12 / MB
			printf "target    %-9s time per object within 1.2 x of %d objects: wall %.2f x, CPU %.2f x, %s\n", a,
				o[1, a], tw, tc, tc <= 1.2 ? "met (CPU)" : "NOT met"
			printf "target    %-9s peak RSS <= pool + metadata + 64 MiB: overhead %.0f MiB, %s", a, ov,
				ov <= 64 ? "met\n" : "NOT met"
			if (ov > 64)
				printf " (page descriptors %.0f, slot records %.0f, the rest %.0f MiB)\n", d, sl, ov - d - sl
			# where the bound stops holding: overhead linear in the objects between the two runs
			ov1 = (r[1, a] - p[1, a] - m[1, a]) / MB
			if (ov > 64 && ov1 < 64 && o[2, a] > o[1, a])
				printf "          %-9s the bound holds up to about %.1f million objects (linear between the runs: %.1f B an object)\n",
					a, (o[1, a] + (64 - ov1) / (ov - ov1) * (o[2, a] - o[1, a])) / 1e6,
					(ov - ov1) * MB / (o[2, a] - o[1, a])
		}
	}' f=1 $smalls f=2 $bigs
	echo
	echo "overhead = peak RSS - peak pool pages x 4096 - allocator metadata: the page descriptors (64 B a"
	echo "pool page), the front end's slot records (12 B an object) and the rest of the process count in it."
	echo "ideal reports the packing bound as its pool, not the memory it holds: its overhead is no figure."
	grep -h '^# host' "$tmp/small/results.csv" "$tmp/big/results.csv" | sed 's/^# /run: /'
}

# ideal's load p50 in run against the timer: at least TIMER_TIMES times the
# overhead taken off each timed region and the resolution, so the figure
# measures the copy, not the clock.
TIMER_TIMES=5
part5() {
	say "5. the timer against ideal's load ($REPEAT runs of run --workload fill,load)"
	: > "$tmp/p50.txt"
	i=0
	while [ $i -lt "$REPEAT" ]; do
		"$ZPB" run --corpus "$CORPUS" --alloc ideal --codec lz4:1 --workload fill,load \
			--format csv 2> /dev/null > "$tmp/t.csv" || { echo "run failed"; return 1; }
		csvcol load_ns_p50 < "$tmp/t.csv" | grep -v '^$' >> "$tmp/p50.txt"
		i=$((i + 1))
	done
	timer=$(sed -n 's/^# timer: //p' "$tmp/t.csv")
	echo "timer     $timer"
	sort -n "$tmp/p50.txt" | awk -v times=$TIMER_TIMES -v timer="$timer" '
		{ v[NR] = $1 }
		END { if (!NR) { print "no load p50 measured"; exit 1 }
			p = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			ov = ""; res = ""
			if (match(timer, /overhead [0-9.]+ ns/)) ov = substr(timer, RSTART + 9, RLENGTH - 12) + 0
			if (match(timer, /resolution [0-9.]+ ns/)) res = substr(timer, RSTART + 11, RLENGTH - 14) + 0
			printf "ideal     load p50 %.0f ns (median of %d runs, %.0f-%.0f)\n", p, NR, v[1], v[NR]
			if (ov == "") { print "target    overhead: not stated by the timer, NOT met"; exit 1 }
			printf "target    ideal load p50 >= %d x the timer overhead (%.1f ns): %.1f x, %s\n", times, ov,
				p / ov, (p >= times * ov) ? "met" : "NOT met"
			if (res != "")
				printf "target    ideal load p50 >= %d x the resolution (%.1f ns): %.1f x, %s\n", times, res,
					p / res, (p >= times * res) ? "met" : "NOT met"
			exit !(p >= times * ov && (res == "" || p >= times * res)) }'
}

# Why part 3's ports are slower than ideal: the same --sizes-only replays
# under valgrind's cachegrind (a simulated 32 KiB D1 and 32 MiB LL, this
# machine's), per operation: instructions and last-level misses, each
# against ideal's.  Instructions are what the harness or a port's code could
# save; LL misses are where the design keeps its metadata (in the pool's
# pages or beside them) meeting a pool larger than the cache.
# trace bench's default specs but ideal: every allocator at each value of its
# kernel key, else by its name.
presets() {
	"$ZPB" list --format csv | awk -F, 'NR == 1 { next } $2 == "" { if (n) print n; n = $1; next }
		$2 == "kernel" { k = split($3, v, "|"); for (i = 1; i <= k; i++) print n ":kernel=" v[i]; n = "" }
		END { if (n) print n }' | grep -v '^ideal$'
}

MISS_OPS=${BENCH_MISS_OPS:-2000000}
MISS_LIVE=${BENCH_MISS_LIVE:-200000}
part6() {
	say "6. where part 3's time goes: cachegrind, $MISS_OPS operations, $MISS_LIVE IDs live"
	if ! command -v valgrind > /dev/null; then
		echo "not run   valgrind is not installed (Debian package valgrind)"
		return 0
	fi
	synth "$MISS_OPS" "$MISS_LIVE" > /dev/null || return 1
	"$ZPB" trace info "$t" | sed -n 's/^live IDs */live IDs  /p'
	: > "$tmp/cg.txt"
	for a in ideal $(presets); do
		valgrind --tool=cachegrind --cache-sim=yes --D1=32768,8,64 --LL=33554432,16,64 \
			--cachegrind-out-file="$tmp/cg.out" "$ZPB" replay --trace "$t" --alloc "$a" --sizes-only \
			> /dev/null 2> "$tmp/cg.err" || { echo "$a: replay under cachegrind failed"; return 1; }
		# summary: Ir I1mr ILmr Dr D1mr DLmr Dw D1mw DLmw
		echo "$a $(sed -n 's/^summary: //p' "$tmp/cg.out")" >> "$tmp/cg.txt"
	done
	awk -v ops="$MISS_OPS" '$1 == "ideal" { ir0 = $2; d10 = $6 + $9; ll0 = $7 + $10 }
		{ a[NR] = $1; ir[NR] = $2; d1[NR] = $6 + $9; ll[NR] = $7 + $10 }
		END { printf "%-26s %9s %9s %10s %9s %10s %9s\n", "allocator", "instr/op", "vs ideal",
				"D1 miss/op", "D1 extra", "LL miss/op", "LL extra"
			for (i = 1; i <= NR; i++)
				printf "%-26s %9.0f %9.2f %10.2f %9.2f %10.2f %9.2f\n", a[i], ir[i] / ops, ir[i] / ir0,
					d1[i] / ops, (d1[i] - d10) / ops, ll[i] / ops, (ll[i] - ll0) / ops }' "$tmp/cg.txt"
	echo
	echo "instructions include the harness (decoding, the slot table), the same for all; extra = misses an"
	echo "operation beyond ideal's. A D1 miss served by L2/L3 costs about 4-15 ns, an LL miss (DRAM) about"
	echo "100 ns here: one extra LL miss an operation costs more than ideal's whole operation in part 3."
}

status=0
for p in $PARTS; do
	part$p || status=1
done
exit $status
