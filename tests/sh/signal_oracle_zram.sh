#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# signal_oracle_zram: SIGINT or SIGTERM during `oracle zram` restores the
# device (disksize 0, the compressor it had) and leaves no output or
# temporary file.  Needs root, the 'oracle zram' command and an unused zram0.
set -u
ZPB=${ZPB:-build/zpoolbench}
skip() { echo "$*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
"$ZPB" help | grep -q '^  oracle zram  ' || skip "needs the 'oracle zram' command, not in this build"
[ "$(id -u)" = 0 ] || skip "needs root"
z=/sys/block/zram0
[ -r $z/disksize ] || skip "needs /dev/zram0 (modprobe zram)"
[ "$(cat $z/disksize)" = 0 ] || skip "zram0 is in use by someone else"
. "$(dirname "$0")/../../scripts/swaps.inc"
zpb_is_swap zram0 && skip "zram0 is in use as swap"
algo_before=$(cat $z/comp_algorithm)
d=$(mktemp -d /tmp/zpb-signal-zram.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$d"' EXIT
signum() { case $1 in INT) echo 2 ;; TERM) echo 15 ;; esac; }

# 1024 pages, half text-like and half zero-filled, cycled over many slots
awk 'BEGIN { for (p = 0; p < 1024; p++) for (l = 0; l < 64; l++)
	if (p % 2) printf "%063d\n", 0; else printf "%-63s\n", "page " p " line " l " " (p * l) % 977 }' > "$d/c.pages"
for sig in INT TERM; do
	rm -f "$d"/out*
	"$ZPB" oracle zram --corpus "$d/c.pages" --trace "$d/out.trace" --trajectory "$d/out.traj" \
		--pages 2000000 > /dev/null 2>&1 &
	pid=$!
	i=0
	while [ "$(cat $z/disksize)" = 0 ] && [ $i -lt 400 ] && kill -0 $pid 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	[ "$(cat $z/disksize)" != 0 ] || fail "SIG$sig: the oracle never configured zram0"
	kill -s $sig $pid
	wait $pid
	rc=$?
	pid=
	[ $rc -eq $((128 + $(signum $sig))) ] || fail "SIG$sig: exit status $rc, expected death by the signal"
	[ "$(cat $z/disksize)" = 0 ] || fail "SIG$sig: zram0 left configured (disksize $(cat $z/disksize))"
	[ "$(cat $z/comp_algorithm)" = "$algo_before" ] || fail "SIG$sig: compressor not restored"
	left=$(ls "$d" | grep -v '^c.pages$')
	[ -z "$left" ] || fail "SIG$sig: left behind: $left"
	echo "ok SIG$sig"
done
exit 0
