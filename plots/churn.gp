# SPDX-License-Identifier: GPL-2.0-only
# churn.gp - pool pages over time during churn (free a random fraction of the
# pages, store new ones, repeat), one line per allocator, one panel per corpus,
# codec and page size (pool pages are pages of that size), its key naming
# the settings it has; the last step of
# each line is the closing compaction.  Each
# setting has its own colour, dash type and marker, the markers at offsets
# of their own, so that identical curves (z3fold's compaction levels can
# coincide) still show as several.  Reads churn.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
cc = dir."/churn.csv"
pg = haspage(cc)
pgcol(x) = pg ? column("page_size") : 4096
pairs = csvlist(cc, "", "corpus,codec,page_size")
labels = csvlist(cc, "", "label")
n = words(pairs)
if (n == 0) { print "skip: no churn curves"; exit }
nl = words(labels)
cols = (n < 2) ? n : 2
rows = int((n + cols - 1) / cols)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 700 * cols + 320, 460 * rows font "sans,10"
	} else {
		set terminal svg size 700 * cols + 320, 460 * rows font "sans,10" dynamic
	}
	set output out."/churn.".fmt
	set multiplot layout rows, cols title "Pool pages during churn (lower is better; last step: compaction)"
	do for [i = 1:n] {
		p = word(pairs, i)
		P = pagesz(p)
		set title sprintf("%s, %s%s", corp(p), codec(p), pagenote(P))
		# the key names only the settings this panel has (a run of both
		# page sizes has each label in the panels of one size only)
		here = " ".csvlist(cc, sprintf("corpus=%s,codec=%s%s", corp(p), codec(p), \
			pg ? sprintf(",page_size=%d", P) : ""), "label")." "
		set xlabel "operations since churn began (frees + stores)"
		set ylabel sprintf("pool pages (%s)", kib(P))
		set format x "%.0s%c"
		set key samplen 4
		plot for [k = 1:nl] cc using \
			(strcol("corpus") eq corp(p) && strcol("codec") eq codec(p) && pgcol(0) == P && strcol("label") eq word(labels, k) ? column("op") : NaN):(column("pool_pages")) \
			with linespoints lw 1.5 lc rgb color(k) dt dash(k) pt ptype(k) ps 0.9 pi (37 + 7 * k) title (strstrt(here, " ".word(labels, k)." ") ? word(labels, k) : "")
	}
	unset multiplot
}
