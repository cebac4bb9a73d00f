# SPDX-License-Identifier: GPL-2.0-only
# sizes.gp - compressed-size histogram of each corpus (one line per codec),
# with each allocator's class boundaries (ticks in a band per allocator),
# the largest object it takes (x) and the zram huge threshold (|).
# Reads sizes.csv and bounds.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
sz = dir."/sizes.csv"
bd = dir."/bounds.csv"
corpora = csvlist(sz, "1", "$1")
codecs = csvlist(sz, "1", "$2")
nb = system(sprintf("test -f '%s' && grep -v '^#' '%s' | awk -F, 'NR>1 {print $(NF-2)}' | sort -n | tail -1 || echo 0", bd, bd)) + 0
labels = (nb > 0) ? csvlist(bd, "1", "$(NF-3)") : ""
n = words(corpora)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1200, (460 + 22 * nb) * n font "sans,10"
	} else {
		set terminal svg size 1200, (460 + 22 * nb) * n font "sans,10" dynamic
	}
	set output dir."/sizes.".fmt
	set multiplot layout n, 1 title "Compressed page sizes, and where the allocators' size classes fall"
	do for [i = 1:n] {
		c = word(corpora, i)
		set title sprintf("corpus %s (same-filled pages left out; 32-byte buckets)", c)
		set xlabel "compressed size (bytes)"
		set ylabel "pages per 32-byte bucket"
		set xrange [0:4200]
		set xtics 0, 512, 4096
		set mxtics 4
		set yrange [0:*]
		set offsets 0, 0, graph 0.05 + 0.06 * nb, 0
		set y2range [0:(nb + 1) / (0.06 * nb + 0.05) * 1.05 + 0.001]
		set y2tics () font ",8"
		do for [k = 1:nb] {
			set y2tics add (word(labels, k) (nb + 1 - k) + ((nb + 1) / (0.06 * nb + 0.05) * 1.05 - nb - 1))
		}
		set key below horizontal font ",9" height 1
		set bmargin 6
		base = (nb + 1) / (0.06 * nb + 0.05) * 1.05 - nb - 1
		plot for [k = 1:words(codecs)] sz using \
			(strcol("corpus") eq c && strcol("codec") eq word(codecs, k) ? (column("size_lo") + 16) : NaN):(column("pages")) \
			with steps lw 1.5 lc rgb color(k) title "codec ".word(codecs, k), \
		     (nb > 0 ? bd : NaN) using (strcol("kind") eq "class" ? column("size") : NaN):(base + nb + 1 - column("index")) axes x1y2 \
			with points pt "|" ps 0.8 lc rgb "#555555" title "class boundary", \
		     (nb > 0 ? bd : NaN) using (strcol("kind") eq "max" ? column("size") : NaN):(base + nb + 1 - column("index")) axes x1y2 \
			with points pt 2 ps 1.5 lw 2 lc rgb "#d62728" title "largest object", \
		     (nb > 0 ? bd : NaN) using (strcol("kind") eq "huge" ? column("size") : NaN):(base + nb + 1 - column("index")) axes x1y2 \
			with points pt 9 ps 1.6 lc rgb "#7570b3" title "zram huge threshold"
	}
	unset multiplot
}
