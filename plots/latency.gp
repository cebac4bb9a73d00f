# SPDX-License-Identifier: GPL-2.0-only
# latency.gp - allocator-path latency percentiles (p50, p90, p99, p99.9) per
# allocator setting, store (fill) and load, for the first corpus and codec of
# the run (log scale).  Reads results.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
csv = dir."/results.csv"
first = word(csvlist(csv, "$4==\"fill\"", "$1 \"|\" $2"), 1)
corp = first[1:strstrt(first, "|") - 1]
codec = first[strstrt(first, "|") + 1:]
labels = csvlist(csv, "$4==\"fill\"", "$NF")
# the label is the next-to-last field; the last is the front end
labels = csvlist(csv, "$4==\"fill\"", "$(NF-1)")
na = words(labels)
pcts = "p50 p90 p99 p999"
pname(j) = word("p50 p90 p99 p99.9", j)
sel(wl, k) = strcol("workload") eq wl && strcol("corpus") eq corp && strcol("codec") eq codec && strcol("label") eq word(labels, k)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 1300, 560 font "sans,10"
	} else {
		set terminal svg size 1300, 560 font "sans,10" dynamic
	}
	set output dir."/latency.".fmt
	set multiplot layout 1, 2 title sprintf("Allocator-path latency percentiles (%s, %s); lower is better", corp, codec)
	set logscale y
	set xrange [0.5:na + 0.5]
	set xtics () rotate by -30 font ",8"
	do for [k = 1:na] { set xtics add (word(labels, k) k) }
	set ylabel "latency (ns, log scale)"
	set key inside top left font ",9"
	do for [w in "store load"] {
		set title (w eq "store" ? "store: malloc + map WO + copy + unmap" : "load: map RO + unmap")
		wl = (w eq "store") ? "fill" : "load"
		plot for [j = 1:4] for [k = 1:na] csv using \
			(sel(wl, k) ? k + (j - 2.5) * 0.12 : NaN):(column(w."_ns_".word(pcts, j)) > 0 ? column(w."_ns_".word(pcts, j)) : NaN) \
			with points pt (4 + 2 * j) ps 1.4 lc rgb color(j) title (k == 1 ? pname(j) : "")
	}
	unset multiplot
}
