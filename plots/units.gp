# SPDX-License-Identifier: GPL-2.0-only
# units.gp - 4 KiB pages against 16/64 KiB compression units: the
# compression ratio (every page of the corpus, per corpus and codec) and the
# latency of reading one 4 KiB page out of its unit (p50, zram front end, per
# corpus, codec and allocator: zsmalloc, with mp=N above 4 KiB, and malloc; ideal
# reads as malloc does) against the unit size.  Reads units.csv
# (scripts/units.py).
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
cc = dir."/units.csv"
rs = csvlist(cc, "allocator=ideal", "corpus,codec")
ls = csvlist(cc, "allocator=zsmalloc", "corpus,codec,allocator")." ".csvlist(cc, "allocator=malloc", "corpus,codec,allocator")
if (words(rs) == 0) { print "skip: no units.csv"; exit }
f1(p) = p[1:strstrt(p, "|") - 1]
rest(p) = p[strstrt(p, "|") + 1:]
f2(p) = (strstrt(rest(p), "|") ? f1(rest(p)) : rest(p))
f3(p) = rest(rest(p))
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1400, 520 font "sans,10"
	} else {
		set terminal svg size 1400, 520 font "sans,10" dynamic
	}
	set output out."/units.".fmt
	set multiplot layout 1, 2 title "4 KiB pages against 16 and 64 KiB compression units"
	set logscale x 2
	set xtics ("4" 4, "16" 16, "64" 64)
	set xrange [3:80]
	set xlabel "unit (KiB)"
	set title "compression ratio (original / compressed, every page)"
	set ylabel "ratio"
	plot for [k = 1:words(rs)] cc using \
		(strcol("corpus") eq f1(word(rs, k)) && strcol("codec") eq f2(word(rs, k)) && strcol("allocator") eq "ideal" ? column("unit_kib") : NaN):(column("ratio")) \
		with linespoints lw 1.5 lc rgb color(k) dt dash(k) pt ptype(k) title word(rs, k)
	set title "reading one 4 KiB page: map, decompress the unit, copy (p50)"
	set ylabel "ns"
	set logscale y
	plot for [k = 1:words(ls)] cc using \
		(strcol("corpus") eq f1(word(ls, k)) && strcol("codec") eq f2(word(ls, k)) && strcol("allocator") eq f3(word(ls, k)) ? column("unit_kib") : NaN):(column("read_p50_ns")) \
		with linespoints lw 1.5 lc rgb color(k) dt dash(k) pt ptype(k) title word(ls, k)
	unset multiplot
}
