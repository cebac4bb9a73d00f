#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# runner.sh - tests/run.sh itself, on stand-in tests in a temporary folder:
# a Ctrl-C (SIGINT to its process group) stops the suite (the running test
# ends through its own exit path, the next one never starts, status 130;
# before, the runner deleted its log folder and went on); a test whose check
# rests on a command that is not installed fails although it exits 0 (issue
# 12: `! pgrep ...` without procps could never fail); a part a test skipped
# is shown.
set -u
cd "$(dirname "$0")/../.."
fail() { echo "FAIL: $*"; exit 1; }

d=$(mktemp -d /tmp/zpb-runner.XXXXXX) || exit 1
pid=
trap '[ -n "$pid" ] && kill -KILL "-$pid" 2>/dev/null; rm -rf "$d"' EXIT
trap 'exit 130' INT TERM HUP

cat >"$d/a.sh" <<EOF
trap 'touch "$d/a.cleaned"; exit 130' INT
touch "$d/a.started"
i=0
while [ \$i -lt 600 ]; do sleep 0.1; i=\$((i + 1)); done
EOF
echo "touch '$d/b.ran'" >"$d/b.sh"
cat >"$d/c.sh" <<'EOF'
! zpb-no-such-command-7c1e >/dev/null || { echo "still running"; exit 1; }
echo "nothing left running"
EOF
printf 'echo "part skipped: the frobnicator is missing"\n' >"$d/p.sh"

# 1. SIGINT to the process group while a.sh runs
setsid env --default-signal=INT tests/run.sh "$d/a.sh" "$d/b.sh" >"$d/out" 2>&1 &
pid=$!
i=0
until [ -e "$d/a.started" ]; do
	i=$((i + 1))
	[ $i -lt 300 ] || fail "the stand-in test never started: $(cat "$d/out")"
	sleep 0.1
done
kill -INT "-$pid"
wait $pid
rc=$?
pid=
[ $rc = 130 ] || fail "interrupted runner: exit $rc, want 130: $(cat "$d/out")"
[ -e "$d/a.cleaned" ] || fail "the running test did not get to its exit path"
[ ! -e "$d/b.ran" ] || fail "the runner went on to the next test after SIGINT"
grep -q passed "$d/out" && fail "an interrupted runner printed a summary: $(cat "$d/out")"
echo "SIGINT: exit 130, the next test never started"

# 2. a check built on a missing command fails the test
tests/run.sh "$d/c.sh" >"$d/out" 2>&1 && fail "a test using a missing command passed: $(cat "$d/out")"
grep -q '^FAIL c: uses a command that is not installed' "$d/out" || fail "message: $(cat "$d/out")"
grep -q 'zpb-no-such-command-7c1e: not found' "$d/out" || fail "the shell's line is not shown: $(cat "$d/out")"
echo "a missing command fails the test"

# 3. a part skipped is shown under the test's ok line
tests/run.sh "$d/p.sh" >"$d/out" 2>&1 || fail "p.sh failed: $(cat "$d/out")"
grep -q '^     part skipped: the frobnicator is missing$' "$d/out" || fail "part skip not shown: $(cat "$d/out")"
echo "runner ok"
