# SPDX-License-Identifier: GPL-2.0-only
# latency_cdf.gp - allocator-path latency distributions: the fraction of
# operations at or below each latency (x log scale), one line per allocator
# setting, a store panel (fill) and a load panel, one row per corpus and
# codec.  The timer's overhead is taken off the samples and they are
# dithered within its resolution, so the lines are distributions, not the
# counter's steps.  Reads latency.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
lc = dir."/latency.csv"
pairs = csvlist(lc, "", "corpus,codec")
labels = csvlist(lc, "", "label")
n = words(pairs)
if (n == 0) { print "skip: no latency distributions"; exit }
nl = words(labels)
hasstore = words(csvlist(lc, "kind=store", "kind")) > 0
hasload = words(csvlist(lc, "kind=load", "kind")) > 0
ncol = hasstore + hasload
# the axis from p0.1 to p99.9 of all the series: a preempted vCPU's
# milliseconds would otherwise squeeze the distributions into a corner
stats lc using (column("cdf") >= 0.001 && column("cdf") <= 0.999 && column("ns") > 0 ? column("ns") : NaN) nooutput
xlo = STATS_min / 1.5
xhi = STATS_max * 1.5
corp(p) = p[1:strstrt(p, "|") - 1]
codec(p) = p[strstrt(p, "|") + 1:]
sel(p, k, kind) = strcol("corpus") eq corp(p) && strcol("codec") eq codec(p) && strcol("label") eq word(labels, k) && strcol("kind") eq kind
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 620 * ncol + 300, 420 * n + 60 font "sans,10"
	} else {
		set terminal svg size 620 * ncol + 300, 420 * n + 60 font "sans,10" dynamic
	}
	set output out."/latency_cdf.".fmt
	set multiplot layout n, ncol title "Allocator-path latency distributions (further left is faster)"
	set logscale x
	set xrange [xlo:xhi]
	set xlabel "latency (ns, log scale)"
	set ylabel "fraction of operations at or below"
	set yrange [0:1]
	set key samplen 3
	do for [i = 1:n] {
		p = word(pairs, i)
		do for [kind in "store load"] {
			if ((kind eq "store" && hasstore) || (kind eq "load" && hasload)) {
				set title sprintf("%s, %s: %s", corp(p), codec(p), (kind eq "store" ? "store (malloc + map WO + copy + unmap)" : "load (map RO + copy out + unmap)"))
				plot for [k = 1:nl] lc using (sel(p, k, kind) && column("ns") > 0 ? column("ns") : NaN):(column("cdf")) \
					with lines lw 1.6 lc rgb color(k) dt dash(k) title word(labels, k)
			}
		}
	}
	unset multiplot
}
