#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# bpf_capture.sh - zpb-capture follows a known write stream to zram0:
# 2,000 non-same-filled pages written with O_DIRECT come back byte-identical
# with zero drops; the sizes it reports add up to zram's compr_data_size; its
# zspage page count equals mem_used_total/4096; rewrites, discards and a
# same-filled page become the right trace operations; the trace is valid v1
# and replays with `zpoolbench replay` to zram's live objects and bytes.
set -u
cd "$(dirname "$0")/../.."
. tests/sh/bpf_lib.inc
need_capture
command -v python3 >/dev/null || skip "needs python3 to make the test pages"
command -v blkdiscard >/dev/null || skip "needs blkdiscard (util-linux)"

# 2,000 pages: k random bytes then zeros, k in [16, 4000]; 100 more for rewrites
python3 - "$TMP" <<'PY' || fail "cannot make the test pages"
import random, sys
r = random.Random(7)
def page():
    k = r.randint(16, 4000)
    return bytes(r.getrandbits(8) for _ in range(k)) + bytes(4096 - k)
with open(sys.argv[1] + "/known.bin", "wb") as f:
    for _ in range(2000): f.write(page())
with open(sys.argv[1] + "/rewrite.bin", "wb") as f:
    for _ in range(100): f.write(page())
with open(sys.argv[1] + "/same.bin", "wb") as f:
    f.write(b"\xab" * 4096)
PY

zram_claim lz4 64M
start_capture --trace "$TMP/t.trace" --pages "$TMP/t.pages" --pool "$TMP/t.pool"
dd if="$TMP/known.bin" of=/dev/zram0 bs=4096 oflag=direct status=none || fail "dd"
dd if="$TMP/rewrite.bin" of=/dev/zram0 bs=4096 seek=100 oflag=direct conv=notrunc status=none ||
	fail "dd rewrite"
blkdiscard -o $((500 * 4096)) -l $((100 * 4096)) /dev/zram0 || fail "blkdiscard"
dd if="$TMP/same.bin" of=/dev/zram0 bs=4096 seek=1000 oflag=direct conv=notrunc status=none ||
	fail "dd same"
set -- $(cat $ZRAM/mm_stat)
compr=$2 used_pages=$(($3 / 4096))
stop_capture

# the bytes: every page written, in order
cat "$TMP/known.bin" "$TMP/rewrite.bin" "$TMP/same.bin" > "$TMP/expect.pages"
cmp "$TMP/t.pages" "$TMP/expect.pages" || fail "captured pages differ from what was written"
[ "$(field drops: 1)" = 0 ] || fail "drops: $(field drops: 1)"
[ "$(field 'bios:' 2)" = 2101 ] || fail "write bios $(field 'bios:' 2), expected 2101"
[ "$(field 'bios:' 6)" = 1 ] || fail "discard bios $(field 'bios:' 6), expected 1"

# trace: 2,100 stores, 100 frees by rewrite + 100 by discard + 1 by the same page
[ "$(field 'trace:' 2)" = 2100 ] || fail "a count $(field 'trace:' 2)"
[ "$(field 'trace:' 4)" = 201 ] || fail "f count $(field 'trace:' 4)"
[ "$(field 'trace:' 6)" = 1 ] || fail "same-filled $(field 'trace:' 6)"
grep -q '^# same 1000$' "$TMP/t.trace" || fail "no '# same 1000' in the trace"
live=$(check_trace "$TMP/t.trace") || fail "invalid trace: $live"
set -- $live
[ "$1" = 1899 ] || fail "live objects $1, expected 1899"
[ "$2" = "$compr" ] || fail "live bytes $2 != compr_data_size $compr"
[ "$(field 'pool pages:' 1)" = "$used_pages" ] ||
	fail "pool pages $(field 'pool pages:' 1) != mem_used_total/4096 $used_pages"
[ "$(tail -n 1 "$TMP/t.pool" | cut -d' ' -f2)" = "$used_pages" ] || fail "pool series ends wrong"

# detached: none of the tracer's programs is left in the kernel
bpftool=$(command -v bpftool || echo /usr/sbin/bpftool)
if [ -x "$bpftool" ]; then
	"$bpftool" prog show > "$TMP/progs" || fail "bpftool prog show failed"
	! grep -qE 'name (bio_queue|bio_complete|page_alloc|page_free)  ' "$TMP/progs" ||
		fail "tracer programs still loaded after exit"
fi
# --duration ends it by itself, through 'zpoolbench capture'
"$ZPB" capture --device zram0 --duration 1 > "$TMP/dur.out" 2>&1 || fail "--duration run failed"
grep -q '^drops: 0 ' "$TMP/dur.out" || fail "--duration run: no summary"

# the trace replays; the allocator ends with zram's live bytes
"$ZPB" replay --trace "$TMP/t.trace" --alloc zbud > "$TMP/replay.out" 2>&1 ||
	{ cat "$TMP/replay.out"; fail "replay --alloc zbud failed"; }
"$ZPB" replay --trace "$TMP/t.trace" --alloc ideal > "$TMP/replay.out" 2>&1 ||
	{ cat "$TMP/replay.out"; fail "replay --alloc ideal failed"; }
grep -q "^objects *1899 live, $compr bytes" "$TMP/replay.out" ||
	{ cat "$TMP/replay.out"; fail "replay does not end with zram's 1899 objects, $compr bytes"; }
echo "captured 2,101 writes, 1 discard byte-identically; sizes and pool pages match mm_stat"
