#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# qemu612_small.sh - zbud and zsmalloc of Linux 6.12 on x86-64 (4 KiB pages)
# and on arm64 with 16 KiB pages, booted under qemu, on small traces whose
# pool sizes follow from the rules at that page size, worked out by hand:
# zbud's chunk (PAGE/64), its limit (PAGE - 2 chunks), two buddies of at most
# 63 chunks a page, LIFO unbuddied lists; zsmalloc's huge threshold (3625 /
# 14553), its largest class below it (8 pages, 9 objects), the class step
# (PAGE/256: 40-byte objects, 48 with the handle, go to class 48 at 4 KiB, 3
# pages for 256 objects, and to class 96 at 16 KiB, 3 pages for 512), the
# release of an empty zspage, and a compaction that empties a zspage.  The
# kernel and the port must both give exactly those sizes.  Skips (77) when
# qemu cannot run.
. bench/kernel/oracle/testlib.sh

# run KERNEL NAME: the trace is $qt_tmp/NAME.trace, expected pages $qt_tmp/NAME.want
run() {
	k=$1 a=${2%%-*}
	awk '{ print NR - 1, $1 }' "$qt_tmp/$2.want" >"$qt_tmp/$2.expect"
	cp "$qt_tmp/$2.trace" "$qt_tmp/trace" # for qt_compare's operation line
	if [ -z "$qt_skip" ]; then
		qt612_boot oracle qemu --kernel "$k" --alloc "$a" --trace "$qt_tmp/$2.trace" \
			--trajectory "$qt_tmp/$2.got"
		case $? in
		0) qt_compare "$qt_tmp/$2.expect" "$qt_tmp/$2.got" "kernel $k $a vs hand-worked sizes" ||
			qt_fail "kernel $k $a differs from the hand-worked trajectory" ;;
		2) qt_note_skip "qemu oracle cannot fetch its kernel: $qt_why" ;;
		*) qt_fail "zpoolbench oracle qemu --kernel $k --alloc $a failed" ;;
		esac
	fi
	qt612_port_equal "$a:kernel=6.12$qt_pagekey" "$qt_tmp/$2.expect" "the hand-worked $k $a sizes"
}

for k in 6.12 6.12-arm64-16k; do
	qt612_kernel "$k"
	P=$qt_page C=$((qt_page / 64))
	blocker=$(qt_qemu_blocker "$k")
	[ -n "$blocker" ] && [ -z "$qt_skip" ] && qt_note_skip "qemu cannot run ($k): $blocker"
	hdr="# zpoolbench-trace v1"
	[ "$P" != 4096 ] && hdr="$hdr
# page_size $P"

	# zbud, C = PAGE/64: 62 chunks is the largest object; two buddies share a
	# page when their chunks add up to 63 at most; a page with one buddy
	# freed goes on unbuddied[free chunks], newest first.
	cat >"$qt_tmp/zbud-$k.trace" <<T
$hdr
a 0 $((P - 2 * C))
a 1 $((P - 2 * C + 1))
a 2 $C
a 3 $((C + 1))
a 4 $((61 * C))
a 5 $((61 * C + 1))
a 6 1
a 7 $((31 * C))
a 8 $((32 * C))
a 9 $((31 * C + 1))
a 10 $((32 * C))
f 0
f 2
f 3
f 9
a 0 $((2 * C))
a 2 $((31 * C))
f 7
f 8
f 5
f 6
a 3 $((10 * C))
a 5 $((10 * C))
a 6 $((10 * C))
f 3
a 3 $((50 * C))
c
T
	# 62 chunks: a page; 1 over: refused; 1 chunk joins it (63); 2 chunks:
	# new; 61 joins (63); 62: new; 1 joins; 31: new; 32 joins; 32 (31 C + 1):
	# new; 32 + 32 > 63: new.  Frees: ID 2 releases the page of 0 and 2, ID 9
	# its page; 2 chunks join ID 4 (2 free), 31 join ID 10 (31 free); 8 and
	# 6 release pages; three of 10 chunks: a third buddy needs a new page;
	# 50 joins the page of ID 6.
	printf '%s\n' 1 1 1 2 2 3 3 4 4 5 6 6 5 5 4 4 4 4 3 3 2 3 3 4 4 4 4 >"$qt_tmp/zbud-$k.want"
	run "$k" "zbud-$k"

	# zsmalloc: huge threshold H; H - 1 (+ 8 bytes of handle) is the largest
	# class below it: 8 pages, 9 objects.  Then 600 objects of 40 bytes: 256
	# (4 KiB) or 512 (16 KiB) to a zspage of 3 pages.  Free the first 200 of
	# them and compact: the emptiest zspage moves into the fullest and is freed.
	# 40 + 8 bytes: class 48 (4 KiB, 3 pages = 256 objects) or 96 (16 KiB,
	# 3 pages = 512 objects)
	if [ "$P" = 4096 ]; then H=3625 per=256; else H=14553 per=512; fi
	{
		echo "$hdr"
		echo "a 1 $P"
		echo "a 2 $H"
		i=3
		while [ $i -le 12 ]; do echo "a $i $((H - 1))"; i=$((i + 1)); done
		printf 'f 12\nf 3\nf 4\nc\nf 1\nf 2\n'
		i=20
		while [ $i -lt 620 ]; do echo "a $i 40"; i=$((i + 1)); done
		i=5
		while [ $i -le 11 ]; do echo "f $i"; i=$((i + 1)); done
		i=20
		while [ $i -lt 220 ]; do echo "f $i"; i=$((i + 1)); done
		echo c
	} >"$qt_tmp/zsmalloc-$k.trace"
	{
		# P, H: a page each; 9 x (H - 1): 8 pages; the 10th: 8 more; freed again
		printf '%s\n' 1 2 10 10 10 10 10 10 10 10 10 18 10 10 10 10 9 8
		# 600 x 40 bytes: 3 pages per $per objects
		i=1
		while [ $i -le 600 ]; do echo $((8 + 3 * ((i + per - 1) / per))); i=$((i + 1)); done
		small=$((3 * ((600 + per - 1) / per)))
		# the seven other objects of the 8-page zspage: freed with the last
		printf '%s\n' $((8 + small)) $((8 + small)) $((8 + small)) $((8 + small)) \
			$((8 + small)) $((8 + small)) $small
		# 200 frees empty no zspage; compaction frees one (3 pages)
		i=0
		while [ $i -lt 200 ]; do echo $small; i=$((i + 1)); done
		echo $((small - 3))
	} >"$qt_tmp/zsmalloc-$k.want"
	run "$k" "zsmalloc-$k"
done
qt_finish
