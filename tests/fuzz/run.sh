#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh FUZZ_BUILD SECONDS - run every libFuzzer target in FUZZ_BUILD/fuzz/
# for SECONDS each: fuzz_ops once per allocator and preset (ZPB_FUZZ_ALLOC),
# the others once.  Working corpora grow in FUZZ_BUILD/corpus/NAME (seeded
# from tests/fuzz/corpus/NAME), crashes land in FUZZ_BUILD/artifacts/.
# Prints one line per run with the executions reached; exits 1 if any
# target crashed, printing the reproducer's path.
set -u
cd "$(dirname "$0")/../.."
B=${1:-build-fuzz}
T=${2:-60}
logs=$B/fuzz-logs
mkdir -p "$logs" "$B/artifacts"
crashed=0 runs=0

run() { # name label [env assignment]
	name=$1 label=$2
	shift 2
	seeds=tests/fuzz/corpus/${name#fuzz_}
	work=$B/corpus/$label
	mkdir -p "$work"
	log=$logs/$label.log
	# the target's own temporary files, removed even when libFuzzer ends it
	# without running its exit handlers
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/zpb-fz.XXXXXX") || exit 1
	env TMPDIR="$tmp" "$@" "$B/fuzz/$name" -max_total_time="$T" -print_final_stats=1 -timeout=20 \
		-artifact_prefix="$B/artifacts/$label-" "$work" "$seeds" > "$log" 2>&1
	rc=$?
	rm -rf "$tmp"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	runs=$((runs + 1))
	if [ $rc -ne 0 ]; then
		crashed=$((crashed + 1))
		art=$(sed -n 's/.*Test unit written to //p' "$log" | head -n 1)
		echo "CRASH $label after ${execs:-?} executions: reproducer $art (log $log)"
		grep -m 3 -E '^(zcheck|bad message|==[0-9]+==ERROR|SUMMARY)' "$log" | sed 's/^/  /'
	else
		echo "ok    $label: ${execs:-?} executions in ${T} s, $(ls "$work" | wc -l) corpus inputs"
	fi
}

for bin in "$B"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
	if [ "$name" = fuzz_ops ]; then
		for spec in $(ZPB_FUZZ_LIST=1 "$bin" 2>/dev/null); do
			run "$name" "ops-$(echo "$spec" | tr ':,=' '_._')" ZPB_FUZZ_ALLOC="$spec"
		done
	else
		run "$name" "${name#fuzz_}"
	fi
done
echo "fuzz: $runs runs of $T s, $crashed crashed"
[ "$crashed" -eq 0 ]
