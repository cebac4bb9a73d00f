#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# run.sh [CASE...] - the golden command-line tests, in the manner of zstd's
# tests/cli-tests.  Each case is tests/cli/CASE.sh (see common.sh) with
# beside it:
#   CASE.exit          the expected exit status
#   CASE.stderr.exact  the expected stderr, byte for byte, or
#   CASE.stderr.glob   one line: a shell pattern stderr's single line must match
# and, for every case that fails (non-zero status), the runner also asserts:
# stderr is exactly one line, the process was not killed by a signal (no
# crash, no core dump), no temporary file (*.tmp.*) and no output (out*) is
# left in the case's folder.  A case that exits 77 before running its
# command is skipped, with the reason on its last stdout line.
# Last line: "cli: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")"
CLI=$PWD
ZPB=${ZPB:-$CLI/../../build/zpoolbench}
case $ZPB in /*) ;; *) ZPB=$PWD/$ZPB ;; esac
export ZPB CLI
passed=0 failed=0 skipped=0
tmp=$(mktemp -d /tmp/zpb-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -gt 0 ]; then cases=$*; else cases=$(ls *.sh | grep -v -e '^run\.sh$' -e '^common\.sh$'); fi

check() { # name work rc -> prints the first problem, returns 1 if any
	name=$1 work=$2 rc=$3
	want=$(cat "$name.exit" 2>/dev/null) || { echo "no $name.exit"; return 1; }
	if [ "$rc" -gt 128 ]; then
		echo "killed by signal $((rc - 128)) (a crash)"
		return 1
	fi
	[ "$rc" = "$want" ] || { echo "exit status $rc, expected $want"; return 1; }
	if [ -f "$name.stderr.exact" ]; then
		if ! cmp -s "$name.stderr.exact" "$tmp/stderr"; then
			echo "stderr differs:"
			diff "$name.stderr.exact" "$tmp/stderr" | sed 's/^/    /'
			return 1
		fi
	elif [ -f "$name.stderr.glob" ]; then
		pat=$(cat "$name.stderr.glob")
		got=$(cat "$tmp/stderr")
		# shellcheck disable=SC2254
		case $got in
		$pat) ;;
		*) echo "stderr '$got' does not match '$pat'"; return 1 ;;
		esac
	else
		echo "no $name.stderr.exact or $name.stderr.glob"
		return 1
	fi
	if [ "$rc" -ne 0 ]; then
		lines=$(wc -l < "$tmp/stderr")
		[ "$lines" -eq 1 ] || { echo "stderr has $lines lines, expected one"; return 1; }
		left=$(cd "$work" && find . -name '*.tmp.*' -o -name 'out*' | head -n 3)
		[ -z "$left" ] || { echo "left behind after failing: $left"; return 1; }
		[ ! -e "$work/core" ] || { echo "core dump"; return 1; }
	fi
	return 0
}

for c in $cases; do
	name=${c%.sh}
	work=$tmp/$name
	mkdir -p "$work"
	chmod 755 "$tmp" "$work"
	(cd "$work" && ulimit -c 0 2>/dev/null; exec sh "$CLI/$name.sh") > "$tmp/stdout" 2> "$tmp/stderr"
	rc=$?
	if [ $rc -eq 77 ]; then
		echo "skip $name: $(tail -n 1 "$tmp/stdout")"
		skipped=$((skipped + 1))
	elif why=$(check "$name" "$work" $rc); then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name: $why"
		failed=$((failed + 1))
	fi
	rm -rf "$work"
done
echo "cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
