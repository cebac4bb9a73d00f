#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zram_swap_names.sh - zram0 in use as swap is found whatever path
# /proc/swaps gives it (scripts/swaps.inc).  A swap enabled from a chroot
# shows outside it as /ROOT/dev/zram0, which the former checks
# ('^/dev/zram0 ' in /proc/swaps) missed (issue 12, F8): here zram0 is made
# swap through a node of the same device at TMP/root/dev/zram0, exactly the
# name such a swap has, and then through no existing path at all (the node
# deleted).  And no other script reads /proc/swaps by itself.  Needs root and an unused zram0, which it sizes to 16 MiB, makes
# swap and restores (swapoff, reset) on every exit path.
set -u
. "$(dirname "$0")/zram.lib"
fail() { echo "FAIL: $*"; exit 1; }
# the class: no other script reads /proc/swaps by itself
others=$(grep -rln '/proc/swaps' --include='*.sh' --include='*.inc' --include='*.lib' --include='*.mk' \
	"$(dirname "$0")/../.." 2>/dev/null | grep -v -e '/scripts/swaps\.inc$' -e '/tests/sh/zram_swap_names\.sh$' \
	-e '/build[^/]*/')
[ -z "$others" ] || fail "these read /proc/swaps themselves; use scripts/swaps.inc: $others"

zram_usable zram0
Z=/sys/block/zram0

d=$(mktemp -d /tmp/zpb-swapnames.XXXXXX) || exit 1
claimed=0 swapped=0
restore() {
	r=0
	# (by the record, not by the helper under test; a swapoff of a device
	# that is not swap changes nothing)
	if [ $swapped = 1 ]; then
		swapoff /dev/zram0 2>/dev/null
		grep -q '^[^ ]*zram0' /proc/swaps && { echo "FAIL: cannot turn swap off on zram0"; r=1; }
	fi
	if [ $claimed = 1 ] && [ $r = 0 ]; then
		i=0
		until echo 1 >$Z/reset 2>/dev/null && [ "$(cat $Z/disksize)" = 0 ]; do
			i=$((i + 1))
			[ $i -lt 50 ] || { echo "FAIL: cannot reset zram0"; r=1; break; }
			sleep 0.1
		done
	fi
	rm -rf "$d"
	return $r
}
trap 'restore || exit 1' EXIT
trap 'exit 130' INT TERM HUP

# claim zram0: the write and its record with signals held
held=
trap 'held=130' INT TERM HUP
echo 16M >$Z/disksize 2>/dev/null && claimed=1
trap 'exit 130' INT TERM HUP
[ -z "$held" ] || exit "$held"
[ $claimed = 1 ] || zram_skip "zram0 became busy"

set -- $(tr ':' ' ' <$Z/dev)
mkdir -p "$d/root/dev"
mknod -m 600 "$d/root/dev/zram0" b "$1" "$2" || fail "mknod"
mkswap "$d/root/dev/zram0" >/dev/null || fail "mkswap"
swapped=1
swapon "$d/root/dev/zram0" || fail "swapon through $d/root/dev/zram0"

grep -q "^$d/root/dev/zram0[[:space:]]" /proc/swaps || fail "/proc/swaps: $(cat /proc/swaps)"
grep -q '^/dev/zram0[[:space:]]' /proc/swaps && fail "the swap is listed as /dev/zram0: this test shows nothing"
zpb_is_swap zram0 || fail "zpb_is_swap misses zram0 listed as $d/root/dev/zram0"
used=$(zpb_swap_used zram0)
case $used in '' | *[!0-9]*) fail "zpb_swap_used: '$used'" ;; esac
zpb_is_swap zram1 && fail "zpb_is_swap takes zram0 for zram1"
echo "found as $(zpb_swap_line zram0 | cut -d' ' -f1)"

# a path that no longer exists (the node deleted): matched by its name
rm "$d/root/dev/zram0"
zpb_is_swap zram0 || fail "zpb_is_swap misses zram0 whose node was deleted: $(cat /proc/swaps)"
used=$(zpb_swap_used zram0)
case $used in '' | *[!0-9]*) fail "zpb_swap_used of a deleted node: '$used'" ;; esac
echo "found as $(zpb_swap_line zram0 | cut -d' ' -f1-2)"

# swapoff through /dev/zram0 ends it, and then nothing is found
swapoff /dev/zram0 || fail "swapoff /dev/zram0"
! zpb_is_swap zram0 || fail "zram0 still found as swap after swapoff: $(cat /proc/swaps)"

echo "swap names ok"
