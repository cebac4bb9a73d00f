# SPDX-License-Identifier: GPL-2.0-only
# sizes.gp - compressed-size histogram of each corpus at each page size (one
# line per codec), and under it, in a strip of its own with the same size
# axis, one row per allocator of that page size: its class boundaries (|),
# the largest object it takes (x) and, with the zram front end only, its huge
# threshold (triangle: stored raw, a whole page, from there).  16 KiB pages
# have their own panel, axis and allocators (page=16384): their classes are
# 64 bytes apart for zsmalloc, 256 for the chunks of zbud and z3fold, and
# zblock's slots are its own.  Reads sizes.csv, bounds.csv and the front end
# from results.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
sz = dir."/sizes.csv"
bd = dir."/bounds.csv"
pgs = haspage(sz)
pgb = haspage(bd)
# panels: "CORPUS|PAGE" (older files: "CORPUS|", 4 KiB)
panels = csvlist(sz, "", "corpus,page_size")
codecs = csvlist(sz, "", "codec")
n = words(panels)
if (n == 0) { print "skip: no compressed sizes"; exit }
pcorp(p) = fld1(p)
ppage(p) = pz(num(fldr(p)))
szpage(x) = pgs ? column("page_size") : 4096
bdpage(x) = pgb ? column("page_size") : 4096
# the allocators of a page size (their index counts within it) and their labels in index order
nbof(P) = words(csvlist(bd, pgb ? sprintf("page_size=%d", P) : "", "index"))
labelsof(P) = csvlist(bd, pgb ? sprintf("page_size=%d", P) : "", "label")
fe = word(csvlist(dir."/results.csv", "", "frontend")." none", 1)
zram = (strstrt(fe, "zram") == 1)
nbmax = 0
do for [i = 1:n] { k = nbof(ppage(word(panels, i))); if (k > nbmax) { nbmax = k } }
# pixel heights: histogram panel, strip (one row per allocator), key
hh = 360
sh = (nbmax > 0) ? 60 + 20 * nbmax : 0
ph = hh + sh + 40
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200, ph * n + 40 font "sans,10"
	} else {
		set terminal svg size 1200, ph * n + 40 font "sans,10" dynamic
	}
	set output out."/sizes.".fmt
	set multiplot title "Compressed page sizes, and where the allocators' size classes fall"
	set lmargin at screen 0.2
	set rmargin at screen 0.96
	set mxtics 4
	do for [i = 1:n] {
		c = pcorp(word(panels, i))
		P = ppage(word(panels, i))
		nb = nbof(P)
		labels = (nb > 0) ? labelsof(P) : ""
		set xrange [0:P * 1.025]
		set xtics 0, P / 8, P
		top = 1 - (40.0 + (i - 1) * ph) / (ph * n + 40)
		# the histogram
		set tmargin at screen top - 30.0 / (ph * n + 40)
		set bmargin at screen top - (hh * 1.0) / (ph * n + 40)
		set title sprintf("corpus %s%s (same-filled pages left out; %d-byte buckets)", c, pagenote(P), P / 128)
		set xlabel ""
		set format x ""
		set ylabel sprintf("pages per %d-byte bucket", P / 128)
		set yrange [0:*]
		set ytics auto
		set key inside top right font ",9"
		# the strip's markers are named in this key too (NaN: key entries only)
		plot for [k = 1:words(codecs)] sz using \
			(strcol("corpus") eq c && szpage(0) == P && strcol("codec") eq word(codecs, k) ? (column("size_lo") + P / 256) : NaN):(column("pages")) \
			with steps lw 1.5 lc rgb color(k) title "codec ".word(codecs, k), \
		     (nb > 0 ? 1/0 : NaN) with points pt "|" ps 0.9 lc rgb "#555555" title (nb > 0 ? "class boundary (strip below)" : ""), \
		     (nb > 0 ? 1/0 : NaN) with points pt 2 ps 1.4 lw 2 lc rgb "#d62728" title (nb > 0 ? "largest object taken" : ""), \
		     (nb > 0 && zram ? 1/0 : NaN) with points pt 9 ps 1.5 lc rgb "#7570b3" title (nb > 0 && zram ? "zram huge threshold (stored raw from here)" : "")
		# the strip: one row per allocator of this page size, its own axis
		if (nb > 0) {
			set tmargin at screen top - (hh + 4.0) / (ph * n + 40)
			set bmargin at screen top - (hh + 20 * nb + 24.0) / (ph * n + 40)
			set title ""
			set format x "%g"
			set xlabel "compressed size (bytes)"
			set ylabel ""
			set yrange [0.5:nb + 0.5]
			set ytics () font ",8"
			do for [k = 1:nb] { set ytics add (word(labels, k) (nb + 1 - k)) }
			unset key
			plot bd using (bdpage(0) == P && strcol("kind") eq "class" ? column("size") : NaN):(nb + 1 - column("index")) \
				with points pt "|" ps 0.9 lc rgb "#555555", \
			     bd using (bdpage(0) == P && strcol("kind") eq "max" ? column("size") : NaN):(nb + 1 - column("index")) \
				with points pt 2 ps 1.4 lw 2 lc rgb "#d62728", \
			     bd using (zram && bdpage(0) == P && strcol("kind") eq "huge" ? column("size") : NaN):(nb + 1 - column("index")) \
				with points pt 9 ps 1.5 lc rgb "#7570b3"
			set ytics auto
		}
	}
	unset multiplot
}
