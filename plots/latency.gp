# SPDX-License-Identifier: GPL-2.0-only
# latency.gp - allocator-path latency percentiles (p50, p90, p99, p99.9) per
# allocator setting (log scale): one row of panels per corpus, codec and page size, a
# store panel (fill) and a load panel when those workloads ran.  Reads
# results.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
csv = dir."/results.csv"
hasfill = words(csvlist(csv, "workload=fill", "workload")) > 0
hasload = words(csvlist(csv, "workload=load", "workload")) > 0
if (!hasfill && !hasload) { print "skip: neither fill nor load ran"; exit }
hw = hasfill ? "fill" : "load"
pg = haspage(csv)
pgcol(x) = pg ? column("page_size") : 4096
pairs = csvlist(csv, "workload=".hw, "corpus,codec,page_size")
labels = csvlist(csv, "workload=".hw, "label")
n = words(pairs)
na = words(labels)
ncol = hasfill + hasload
# the top of the axis above the largest p99.9 (log scale: a factor), so that
# no point sits on the border or under the key
ymax = 1
do for [w in "store_ns_p999 load_ns_p999"] {
	vals = csvlist(csv, "", w)
	do for [k = 1:words(vals)] { v = word(vals, k) + 0; if (v > ymax) { ymax = v } }
}
pcts = "p50 p90 p99 p999"
pname(j) = word("p50 p90 p99 p99.9", j)
sel(wl, p, k) = strcol("workload") eq wl && strcol("corpus") eq corp(p) && strcol("codec") eq codec(p) && pgcol(0) == pagesz(p) && strcol("label") eq word(labels, k)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 650 * ncol + 100, 440 * n + 60 font "sans,10"
	} else {
		set terminal svg size 650 * ncol + 100, 440 * n + 60 font "sans,10" dynamic
	}
	set output out."/latency.".fmt
	set multiplot layout n, ncol title "Allocator-path latency percentiles; lower is better"
	set logscale y
	set yrange [*:ymax * 4]
	set xrange [0.5:na + 0.5]
	set xtics () rotate by -30 font ",8"
	do for [k = 1:na] { set xtics add (word(labels, k) k) }
	set ylabel "latency (ns, log scale)"
	set key inside top left horizontal font ",9"
	set bmargin 7
	do for [i = 1:n] {
		p = word(pairs, i)
		do for [w in "store load"] {
			wl = (w eq "store") ? "fill" : "load"
			if ((w eq "store" && hasfill) || (w eq "load" && hasload)) {
				set title sprintf("%s, %s%s: %s", corp(p), codec(p), pagenote(pagesz(p)), (w eq "store" ? "store (malloc + map WO + copy + unmap)" : "load (map RO + unmap)"))
				plot for [j = 1:4] for [k = 1:na] csv using \
					(sel(wl, p, k) ? k + (j - 2.5) * 0.12 : NaN):(column(w."_ns_".word(pcts, j)) > 0 ? column(w."_ns_".word(pcts, j)) : NaN) \
					with points pt (4 + 2 * j) ps 1.4 lc rgb color(j) title (k == 1 ? pname(j) : "")
			}
		}
	}
	unset multiplot
}
