#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# the zram oracle given a device that is already in use: refused, untouched
. "$CLI/common.sh"
need_cmd "oracle zram"
need_root
page > c.pages
dev=
for d in /sys/block/zram*; do
	[ -r "$d/disksize" ] && [ "$(cat "$d/disksize")" != 0 ] && { dev=${d##*/}; break; }
done
if [ -z "$dev" ]; then
	# none in use: put zram0 in use ourselves (1 MiB, no swap), reset on exit
	[ -w /sys/block/zram0/disksize ] || skip "needs a zram device (modprobe zram)"
	[ "$(cat /sys/block/zram0/disksize)" = 0 ] || skip "zram0 changed under us"
	trap 'echo 1 > /sys/block/zram0/reset 2>/dev/null' EXIT INT TERM
	echo 1M > /sys/block/zram0/disksize || skip "cannot set up zram0"
	dev=zram0
fi
"$ZPB" oracle zram --corpus c.pages --trace out.trace --trajectory out.traj --device "$dev"
