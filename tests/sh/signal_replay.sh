#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# signal_replay: SIGINT or SIGTERM during `replay --trajectory OUT` leaves
# neither OUT nor OUT.tmp.*, and the process dies of the signal.
#  1. deterministic: the trace comes on standard input (--trace -) from a
#     FIFO we hold open, so replay is stopped mid-way (its temporary file
#     exists, ops are still coming) when killed;
#  2. a large generated trace killed while it runs: whenever the signal
#     lands, either the run finished (OUT complete, one line per op) or
#     nothing is left; never a half-written OUT nor a temporary file.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-signal.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Wait (bounded) until a file matching the glob $1 exists.
wait_for() {
	i=0
	while [ $i -lt 200 ]; do
		for f in $1; do [ -e "$f" ] && return 0; done
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

signum() { case $1 in INT) echo 2 ;; TERM) echo 15 ;; esac; }

for sig in INT TERM; do
	rm -f "$d/fifo" "$d"/out*
	mkfifo "$d/fifo"
	"$ZPB" replay --trace - --alloc zbud --trajectory "$d/out.traj" < "$d/fifo" > /dev/null 2>&1 &
	pid=$!
	exec 3> "$d/fifo"
	{
		echo "# zpoolbench-trace v1"
		awk 'BEGIN { for (i = 0; i < 20000; i++) printf "a %d %d\n", i, 1 + i % 4000 }'
	} >&3
	wait_for "$d/out.traj.tmp.*" || fail "SIG$sig: no temporary trajectory file appeared"
	kill -s $sig $pid
	wait $pid
	rc=$?
	pid=
	exec 3>&-
	want=$((128 + $(signum $sig)))
	[ $rc -eq $want ] || fail "SIG$sig: exit status $rc, expected $want (death by the signal)"
	[ ! -e "$d/out.traj" ] || fail "SIG$sig: a trajectory was written"
	ls "$d" | grep -q 'tmp' && fail "SIG$sig: temporary file left: $(ls "$d")"
	echo "ok fifo SIG$sig"
done

# a large trace: 2,000,000 stores and frees
ops=2000000
awk -v n=$ops 'BEGIN {
	print "# zpoolbench-trace v1"
	for (i = 0; i < n / 2; i++) { printf "a %d %d\n", i, 1 + (i * 7919) % 3968; printf "f %d\n", i }
}' > "$d/big.trace"
for sig in INT TERM; do
	rm -f "$d"/out*
	"$ZPB" replay --trace "$d/big.trace" --alloc zbud --trajectory "$d/out.traj" > /dev/null 2>&1 &
	pid=$!
	wait_for "$d/out.traj.tmp.*" || wait_for "$d/out.traj" || fail "big SIG$sig: replay did not start"
	kill -s $sig $pid 2>/dev/null
	wait $pid
	rc=$?
	pid=
	ls "$d" | grep -q 'tmp' && fail "big SIG$sig: temporary file left: $(ls "$d")"
	if [ -e "$d/out.traj" ]; then
		[ $rc -eq 0 ] || fail "big SIG$sig: exit $rc with a trajectory written"
		[ "$(wc -l < "$d/out.traj")" -eq $ops ] || fail "big SIG$sig: trajectory incomplete"
		echo "ok big SIG$sig (finished before the signal: complete trajectory)"
	else
		[ $rc -eq $((128 + $(signum $sig))) ] || fail "big SIG$sig: exit status $rc"
		echo "ok big SIG$sig (killed mid-way: nothing left)"
	fi
done
exit 0
