#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bpf_swapcap_signals.sh - corpora/swap-capture.sh interrupted at the points
# where it changes kernel state: a Ctrl-C (SIGINT to its process group)
# while mkswap runs (zram0 sized), just after swapon made zram0 swap (before
# issue 12's fix the script had not recorded it yet, printed "machine
# restored" and left zram0 as swap with 1 GiB), and while the last swapoff
# runs (after the workload).  Each time the machine must be restored and
# say so.  And when the restore fails (a swapoff that fails), the script
# must say the machine is NOT restored, name what is left and exit non-zero;
# this test then restores zram0 itself.  Stand-ins for mkswap, swapon and
# swapoff on PATH run the real program and wait at the point, so that the
# signal lands there every time.
set -u
cd "$(dirname "$0")/../.."
. tests/sh/bpf_lib.inc
need_capture
[ -x /usr/bin/python3 ] || skip "needs /usr/bin/python3 (the workload)"
[ -f /sys/fs/cgroup/memory/memory.limit_in_bytes ] || skip "no cgroup-v1 memory controller"
zram_is_free || skip "zram0 is in use (disksize $(cat $ZRAM/disksize)); not touching it"

machine_clean() {
	! zpb_is_swap zram0 || fail "$1: zram0 still swap"
	[ "$(cat $ZRAM/disksize)" = 0 ] || fail "$1: zram0 disksize $(cat $ZRAM/disksize)"
	! ls -d /sys/fs/cgroup/memory/zpb-swapcap.* 2>/dev/null || fail "$1: memory cgroup left"
	! running "$CAPTURE" || fail "$1: zpb-capture still running"
}

# stand_in PROG WHEN: a PROG on PATH that runs the real one and waits there
# ("after" it, or "before" it on its first call only), or fails ("fail")
stand_in() {
	real=$(command -v "$1") || skip "no $1 (util-linux)"
	cat >"$TMP/bin/$1" <<EOF
#!/bin/sh
case $2 in
after) "$real" "\$@"; rc=\$?; touch "$TMP/at-point"; sleep 60; exit \$rc ;;
before) if [ ! -e "$TMP/at-point" ]; then touch "$TMP/at-point"; sleep 60; fi; exec "$real" "\$@" ;;
fail) echo "$1: refused by the test" >&2; exit 1 ;;
esac
EOF
	chmod +x "$TMP/bin/$1"
}

# interrupt NAME: swap-capture with the stand-ins, SIGINT to its process
# group once a stand-in is at its point; exit status in $rc, output in $TMP/NAME.log
interrupt() {
	mkdir "$TMP/$1"
	rm -f "$TMP/at-point"
	# the device is claimed by swap-capture under this test: if anything is
	# left, this test's exit path restores it
	CLAIMED=1
	PATH="$TMP/bin:$PATH" setsid env --default-signal=INT corpora/swap-capture.sh \
		--out "$TMP/$1" --name "$1" >"$TMP/$1.log" 2>&1 &
	pid=$!
	i=0
	until [ -e "$TMP/at-point" ]; do
		kill -0 $pid 2>/dev/null || { cat "$TMP/$1.log"; fail "$1: swap-capture ended before the point"; }
		i=$((i + 1))
		[ $i -lt 1200 ] || fail "$1: the point was not reached in 120 s"
		sleep 0.1
	done
	kill -INT "-$pid"
	wait $pid
	rc=$?
	cat "$TMP/$1.log"
	[ -z "$(ls "$TMP/$1")" ] || fail "$1: files left: $(ls "$TMP/$1")"
}

restored() { # NAME
	[ $rc = 130 ] || fail "$1: exit $rc, want 130"
	machine_clean "$1"
	grep -q "interrupted; machine restored" "$TMP/$1.log" || fail "$1: no 'machine restored'"
	grep -q "NOT restored" "$TMP/$1.log" && fail "$1: says NOT restored"
	CLAIMED=0
	echo "== $1: exit 130, machine restored"
}

mkdir "$TMP/bin"
stand_in mkswap after
interrupt during-mkswap
restored during-mkswap

rm -f "$TMP/bin/"*
stand_in swapon after
interrupt after-swapon
restored after-swapon

rm -f "$TMP/bin/"*
stand_in swapoff before
interrupt during-last-swapoff
grep -q "running python-dicts" "$TMP/during-last-swapoff.log" || fail "the workload did not run"
restored during-last-swapoff

# a restore that fails is said, and is not called a restore
rm -f "$TMP/bin/"*
stand_in swapon after
stand_in swapoff fail
interrupt restore-fails
[ $rc != 0 ] || fail "restore-fails: exit 0"
grep -q "machine restored" "$TMP/restore-fails.log" && fail "restore-fails: says 'machine restored'"
grep -q "zram0 is still swap" "$TMP/restore-fails.log" || fail "restore-fails: does not name what is left"
grep -q "the machine is NOT restored" "$TMP/restore-fails.log" || fail "restore-fails: no 'NOT restored'"
zpb_is_swap zram0 || fail "restore-fails: zram0 is not swap, so the stand-in did not fail anything"
swapoff /dev/zram0 || fail "cannot turn swap off on zram0 after restore-fails"
echo 1 >$ZRAM/reset || fail "cannot reset zram0 after restore-fails"
machine_clean "after restoring by hand"
CLAIMED=0
echo "== restore-fails: exit $rc, NOT restored said, zram0 restored by this test"
