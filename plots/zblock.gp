# SPDX-License-Identifier: GPL-2.0-only
# zblock.gp - zblock against zsmalloc over a long churn: pool pages at the
# end of each round divided by the packing bound (1 = perfect packing), zsmalloc
# compacted only after the churn and after every round, zblock (no
# compaction) with both tables; one panel per corpus, page size and codec.
# Reads zblock-churn.csv (scripts/zblock-claims.py).
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
cc = dir."/zblock-churn.csv"
cells = csvlist(cc, "", "corpus,page,codec")
series = csvlist(cc, "", "series")
n = words(cells)
if (n == 0) { print "skip: no zblock-churn.csv"; exit }
ns = words(series)
cols = (n < 2) ? n : 2
rows = int((n + cols - 1) / cols)
f1(p) = p[1:strstrt(p, "|") - 1]
rest(p) = p[strstrt(p, "|") + 1:]
f2(p) = f1(rest(p))
f3(p) = rest(rest(p))
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 640 * cols + 360, 380 * rows font "sans,10"
	} else {
		set terminal svg size 640 * cols + 360, 380 * rows font "sans,10" dynamic
	}
	set output out."/zblock.".fmt
	set multiplot layout rows, cols title "zblock against zsmalloc: pool pages / packing bound at the end of each churn round (lower is better)"
	do for [i = 1:n] {
		p = word(cells, i)
		set title sprintf("%s, %d KiB pages, %s", f1(p), int(f2(p)) / 1024, f3(p))
		set xlabel "churn rounds done (each frees 30 % of the pages and stores as many; 0: after the fill)"
		set ylabel "pool pages / bound"
		set key samplen 4
		plot for [k = 1:ns] cc using \
			(strcol("corpus") eq f1(p) && strcol("page") eq f2(p) && strcol("codec") eq f3(p) && strcol("series") eq word(series, k) ? column("round") : NaN):(column("vs_bound")) \
			with linespoints lw 1.5 lc rgb color(k) dt dash(k) pt ptype(k) ps 0.8 pi (29 + 7 * k) title word(series, k)
	}
	unset multiplot
}
