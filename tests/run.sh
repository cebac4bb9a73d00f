#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh - the whole test suite: the unit-test binary, then every
# tests/sh/*.sh (exit 0 = pass, 77 = skipped with the reason on its last line,
# anything else = fail), then the golden command-line tests if present.
# Ends with one line "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
export ZPB="$PWD/$BUILD/zpoolbench"
passed=0 failed=0 skipped=0
log=$(mktemp -d /tmp/zpb-tests.XXXXXX)
trap 'rm -rf "$log"' EXIT INT TERM

"$BUILD/zpb-tests" > "$log/unit.out" 2>&1
status=$?
grep -v '^ok ' "$log/unit.out"
last=$(tail -n 1 "$log/unit.out")
case "$last" in
unit:*passed*)
	set -- $last
	passed=$((passed + $2)); failed=$((failed + $4)); skipped=$((skipped + $6)) ;;
*)
	echo "FAIL unit tests did not finish (exit $status)"; failed=$((failed + 1)) ;;
esac
[ $status -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

for t in tests/sh/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	sh "$t" > "$log/$name.out" 2>&1
	rc=$?
	case $rc in
	0) echo "ok   $name"; passed=$((passed + 1)) ;;
	77) echo "skip $name: $(tail -n 1 "$log/$name.out")"; skipped=$((skipped + 1)) ;;
	*) echo "FAIL $name (exit $rc)"; sed 's/^/  /' "$log/$name.out" | tail -n 30
	   failed=$((failed + 1)) ;;
	esac
done

if [ -x tests/cli/run.sh ]; then
	tests/cli/run.sh > "$log/cli.out" 2>&1
	rc=$?
	grep -v '^ok ' "$log/cli.out"
	last=$(tail -n 1 "$log/cli.out")
	case "$last" in
	cli:*passed*)
		set -- $last
		passed=$((passed + $2)); failed=$((failed + $4)); skipped=$((skipped + $6)) ;;
	*) echo "FAIL golden CLI tests did not finish (exit $rc)"; failed=$((failed + 1)) ;;
	esac
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
