#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [TEST.sh...] - the whole test suite: the unit-test binary, then every
# tests/sh/*.sh (exit 0 = pass, 77 = skipped with the reason on its last line,
# anything else = fail), then the golden command-line tests if present.
# Given test scripts, runs only those.  Ends with one line "N passed, N
# failed, N skipped".
#
# A test that passed but skipped part of itself says so in a line starting
# "part skipped: " (shown after its "ok" line).  A test whose output has the
# shell's "CMD: not found" fails whatever its status: a check built on a
# command that is not installed (`! pgrep ...`) cannot fail, and every
# command a test uses must come from scripts/deps.sh's groups.
#
# SIGINT, SIGTERM or SIGHUP stop the suite: the running test ends through its
# own exit path, no later test starts, and the status is 128 + the signal.
# ZPB_TEST_LOGS=DIR keeps each test's output there (DIR/NAME.out).
set -u
here=$PWD
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export BUILD
export ZPB="$PWD/$BUILD/zpoolbench"
passed=0 failed=0 skipped=0
log=$(mktemp -d /tmp/zpb-tests.XXXXXX) || exit 1
trap 'rm -rf "$log"' EXIT
trap 'echo "interrupted"; exit 130' INT
trap 'echo "terminated"; exit 143' TERM
trap 'exit 129' HUP

# the shell's own "not found" (dash: "FILE: LINE: CMD: not found", bash:
# "FILE: line LINE: CMD: command not found")
not_found() {
	grep -E '^[^ ]+: (line )?[0-9]+: [^ ]+: (command )?not found$' "$1" | head -n 3
}

run_one() {
	t=$1
	name=$(basename "$t" .sh)
	sh "$t" > "$log/$name.out" 2>&1
	rc=$?
	[ -z "${ZPB_TEST_LOGS:-}" ] || cp "$log/$name.out" "$ZPB_TEST_LOGS/$name.out"
	nf=$(not_found "$log/$name.out")
	if [ -n "$nf" ] && { [ $rc = 0 ] || [ $rc = 77 ]; }; then
		echo "FAIL $name: uses a command that is not installed (add its package to scripts/deps.sh test):"
		echo "$nf" | sed 's/^/  /'
		failed=$((failed + 1))
		return
	fi
	case $rc in
	0) echo "ok   $name"; passed=$((passed + 1))
	   grep '^part skipped: ' "$log/$name.out" | sed 's/^/     /' ;;
	77) echo "skip $name: $(tail -n 1 "$log/$name.out")"; skipped=$((skipped + 1)) ;;
	*) echo "FAIL $name (exit $rc)"; sed 's/^/  /' "$log/$name.out" | tail -n 30
	   failed=$((failed + 1)) ;;
	esac
}

if [ -n "${ZPB_TEST_LOGS:-}" ]; then
	mkdir -p "$ZPB_TEST_LOGS" || exit 1
fi

if [ $# -gt 0 ]; then
	for t in "$@"; do
		case $t in /*) ;; *) t=$here/$t ;; esac
		[ -f "$t" ] || { echo "tests/run.sh: no test '$t'"; exit 2; }
		run_one "$t"
	done
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
	exit
fi

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
	run_one "$t"
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
