#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# zram_refuse.sh - `zpoolbench oracle zram` on bad input and in bad
# situations: one line on stderr, a non-zero exit, no output files, and the
# device left exactly as it was found (a device someone else configured is
# never reset; a device we configured is reset even when interrupted).
set -u
. "$(dirname "$0")/zram.lib"

tmp=$(mktemp -d /tmp/zpb-zram-refuse.XXXXXX)
chmod 755 "$tmp"
cleanup() {
	# only a device this test configured itself (marked by the file) is reset
	[ -f "$tmp/ours" ] && echo 1 > /sys/block/zram0/reset
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_refusal NAME STATUS PATTERN -- command...: exit STATUS, exactly one
# stderr line matching PATTERN, no output files
expect_refusal() {
	name=$1 want=$2 pat=$3
	shift 4
	"$@" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	[ $rc -eq "$want" ] || fail "$name: exit $rc, expected $want ($(cat "$tmp/err"))"
	[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$name: expected one stderr line, got: $(cat "$tmp/err")"
	grep -q -- "$pat" "$tmp/err" || fail "$name: message '$(cat "$tmp/err")' lacks '$pat'"
	ls "$tmp"/k.trace* "$tmp"/k.traj* > /dev/null 2>&1 && fail "$name: left an output file"
	echo "ok: $name: $(cat "$tmp/err")"
}

head -c 40960 /dev/zero > "$tmp/c.pages"
head -c 4000 /dev/zero > "$tmp/odd.pages"
O="--trace $tmp/k.trace --trajectory $tmp/k.traj"

# usage errors need no root and no device
expect_refusal "missing --corpus" 2 "corpus FILE is required" -- "$ZPB" oracle zram $O
expect_refusal "bad --churn" 2 "oracle zram: --churn: 'x' is not a number (expected 0..1000)" -- \
	"$ZPB" oracle zram --corpus "$tmp/c.pages" $O --churn x
expect_refusal "bad device name" 2 "bad zram device name" -- \
	"$ZPB" oracle zram --corpus "$tmp/c.pages" $O --device sda

[ "$(id -u)" = 0 ] || zram_skip "the remaining checks need root (usage errors checked)"

# not root: one clear line
if command -v setpriv > /dev/null; then
	expect_refusal "not root" 1 "needs root" -- setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$ZPB" oracle zram --corpus "$tmp/c.pages" $O
else
	echo "part skipped: the not-root case needs setpriv (util-linux)"
fi
expect_refusal "odd corpus size" 1 "not a whole number of 4096-byte pages" -- \
	"$ZPB" oracle zram --corpus "$tmp/odd.pages" $O
expect_refusal "missing corpus" 1 "no such corpus file" -- \
	"$ZPB" oracle zram --corpus "$tmp/none.pages" $O

zram_usable zram0
expect_refusal "unknown codec" 1 "no compressor 'nosuch'" -- \
	"$ZPB" oracle zram --corpus "$tmp/c.pages" $O --codec nosuch
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || fail "unknown codec: zram0 was left configured"

# a device in use is refused and left alone
touch "$tmp/ours"
echo 16M > /sys/block/zram0/disksize || fail "cannot configure zram0 for the busy case"
expect_refusal "busy device" 1 "zram0 is in use" -- "$ZPB" oracle zram --corpus "$tmp/c.pages" $O
[ "$(cat /sys/block/zram0/disksize)" = 16777216 ] || fail "busy device: the oracle changed zram0"
echo 1 > /sys/block/zram0/reset || fail "cannot reset zram0"
rm -f "$tmp/ours"

# interrupted: the device is reset and no output appears
"$ZPB" oracle zram --corpus "$tmp/c.pages" --pages 2000000 --churn 3 $O > /dev/null 2>&1 &
pid=$!
i=0
while [ "$(cat /sys/block/zram0/disksize)" = 0 ]; do
	i=$((i + 1))
	[ $i -lt 500 ] || { kill $pid; fail "the oracle never configured zram0"; }
	kill -0 $pid 2> /dev/null || fail "the oracle ended before configuring zram0"
	sleep 0.02
done
kill -INT $pid
wait $pid
rc=$?
[ $rc -eq 130 ] || fail "interrupted oracle: exit $rc, expected 130 (SIGINT)"
[ "$(cat /sys/block/zram0/disksize)" = 0 ] || fail "interrupted oracle left zram0 configured"
ls "$tmp"/k.trace* "$tmp"/k.traj* > /dev/null 2>&1 && fail "interrupted oracle left output files"
echo "ok: SIGINT: zram0 reset, no output files"
