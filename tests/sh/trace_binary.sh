#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Binary traces end to end: corpora/example.trace converted to binary and
# back gives the same text (plus the provenance line), and the binary one
# replays exactly as the text one through every allocator (the same summary,
# the same trajectory), from a file and from standard input, with and
# without --verify; --sizes-only gives the same pool pages; the trajectory
# of changes is the trajectory of every operation with the repeated lines
# left out; trace info counts both alike; trace synth writes the same
# operations in both encodings.
set -u
ZPB=${ZPB:-build/zpoolbench}
d=$(mktemp -d /tmp/zpb-trace-bin.XXXXXX)
trap 'rm -rf "$d"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
t=corpora/example.trace

# The figures of replay's CSV that depend on the operations only.
figures() {
	grep -v '^#' | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
		{ print $c["pages"], $c["stored"], $c["rejected"], $c["compressed_bytes"],
			$c["pool_pages"], $c["peak_pages"], $c["metadata_bytes"], $c["density"],
			$c["compact_pages_freed"] }'
}

"$ZPB" trace convert --in $t --out "$d/t.bin" --to binary > /dev/null || fail "to binary"
[ "$(head -c 4 "$d/t.bin" | od -An -tx1 | tr -d ' ')" = 895a5042 ] || fail "no binary magic"
"$ZPB" trace convert --in "$d/t.bin" --out "$d/t.txt" --to text > /dev/null || fail "to text"
grep -v '^[[:space:]]*$' $t > "$d/canon"
grep -v '^# provenance: converted from text trace ' "$d/t.txt" > "$d/back"
cmp -s "$d/canon" "$d/back" || fail "text -> binary -> text differs: $(diff "$d/canon" "$d/back" | head -5)"
# binary -> text -> binary: the same bytes
"$ZPB" trace convert --in "$d/t.txt" --out "$d/t2.bin" --to binary > /dev/null || fail "again"
cmp -s "$d/t.bin" "$d/t2.bin" || fail "binary -> text -> binary differs"
# a binary input named like a text trace is still read as binary
cp "$d/t.bin" "$d/named.trace"

# malloc is left out: its footprint is glibc's chunk sizes, which depend on
# what else the process allocated (the readers allocate differently)
allocs=$("$ZPB" list | awk '/^[a-z]/ && $1 != "allocator" && $1 != "malloc" { print $1 }')
[ -n "$allocs" ] || fail "no allocators listed"
for a in $allocs; do
	"$ZPB" replay --trace $t --alloc "$a" --format csv --trajectory "$d/tr.txt" --force \
		| figures > "$d/s.txt" || fail "$a: text replay"
	"$ZPB" replay --trace "$d/named.trace" --alloc "$a" --format csv --trajectory "$d/tr.bin" \
		--force | figures > "$d/s.bin" || fail "$a: binary replay"
	[ "$(wc -w < "$d/s.txt")" -eq 9 ] || fail "$a: figures: $(cat "$d/s.txt")"
	cmp -s "$d/s.txt" "$d/s.bin" || fail "$a: summaries differ"
	cmp -s "$d/tr.txt" "$d/tr.bin" || fail "$a: trajectories differ"
	"$ZPB" replay --trace - --alloc "$a" --format csv < "$d/t.bin" | figures > "$d/s.in" ||
		fail "$a: binary from stdin"
	cmp -s "$d/s.txt" "$d/s.in" || fail "$a: stdin summary differs"
	"$ZPB" replay --trace "$d/t.bin" --alloc "$a" --verify > /dev/null || fail "$a: --verify"
	# sizes only: the same pool pages, objects, rejections
	"$ZPB" replay --trace "$d/t.bin" --alloc "$a" --sizes-only --format csv \
		--trajectory "$d/tr.sz" --force | figures > "$d/s.sz" || fail "$a: sizes only"
	cmp -s "$d/s.txt" "$d/s.sz" || fail "$a: --sizes-only summary differs"
	cmp -s "$d/tr.txt" "$d/tr.sz" || fail "$a: --sizes-only trajectory differs"
	# changes only: the same trajectory with repeats left out, first and last kept
	"$ZPB" replay --trace "$d/t.bin" --alloc "$a" --sizes-only --trajectory "$d/tr.ch" \
		--trajectory-format changes --force > /dev/null || fail "$a: changes"
	awk 'NR == 1 || $2 != prev { print } { prev = $2; last = $0 } END { print last }' \
		"$d/tr.txt" | uniq > "$d/expect.ch"
	grep -v '^#' "$d/tr.ch" > "$d/got.ch"
	cmp -s "$d/expect.ch" "$d/got.ch" || fail "$a: trajectory of changes: $(diff "$d/expect.ch" "$d/got.ch" | head -4)"
	[ "$(head -n 1 "$d/tr.ch" | cut -c1)" = "#" ] || fail "$a: no comment line on the changes"
	echo "ok   $a: text and binary replay alike; sizes only, changes only"
done

"$ZPB" trace info $t --format csv | tail -n 1 | cut -d, -f3-9 > "$d/i.txt"
"$ZPB" trace info "$d/t.bin" --format csv | tail -n 1 | cut -d, -f3-9 > "$d/i.bin"
cmp -s "$d/i.txt" "$d/i.bin" || fail "trace info: $(cat "$d/i.txt") / $(cat "$d/i.bin")"

"$ZPB" trace synth --ops 5000 --live 300 --out "$d/y.bin" > /dev/null || fail "synth binary"
"$ZPB" trace synth --ops 5000 --live 300 --out "$d/y.txt" --to text > /dev/null || fail "synth text"
"$ZPB" trace convert --in "$d/y.bin" --out "$d/y2.txt" --to text > /dev/null || fail "synth convert"
cmp -s "$d/y.txt" "$d/y2.txt" || fail "trace synth: the encodings differ"
[ "$(grep -c '^[afc] ' "$d/y.txt")" -eq 5000 ] || fail "trace synth: not 5000 operations"
echo "ok   trace info, trace synth"

# a comment with a carriage return inside would not stay one line: refused
# with the line named, and no output file left
printf '# zpoolbench-trace v1\n# one\rtwo\na 1 100\n' > "$d/cr.txt"
"$ZPB" trace convert --in "$d/cr.txt" --out "$d/cr.bin" --to binary 2> "$d/cr.err" > /dev/null &&
	fail "CR in a comment: converted"
[ "$(wc -l < "$d/cr.err")" -eq 1 ] && grep -q "cr.txt:2: carriage return inside a comment" "$d/cr.err" ||
	fail "CR in a comment: $(cat "$d/cr.err")"
[ ! -e "$d/cr.bin" ] || fail "CR in a comment: an output file was left"
echo "ok   a comment with a carriage return refused"
