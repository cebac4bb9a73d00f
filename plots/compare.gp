# SPDX-License-Identifier: GPL-2.0-only
# compare.gp - the before/after figure of `zpoolbench compare`: for every
# allocator setting in both folders, its change of density (up: denser)
# against its change of throughput (right: faster), both on the trade-off
# basis, with the bootstrap 95 % interval of the throughput change as a
# horizontal bar; the colour is the throughput verdict, each point is
# named.  One panel per corpus and codec.  Reads compare_settings.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
cs = dir."/compare_settings.csv"
pairs = csvlist(cs, "", "corpus,codec")
n = words(pairs)
if (n == 0) { print "skip: no allocator setting in both folders"; exit }
cols = (n < 2) ? n : 2
rows = int((n + cols - 1) / cols)
corp(p) = p[1:strstrt(p, "|") - 1]
codec(p) = p[strstrt(p, "|") + 1:]
sel(p) = strcol("corpus") eq corp(p) && strcol("codec") eq codec(p)
vcol(v) = (v eq "better") ? "#1a9850" : (v eq "worse") ? "#d73027" : (v eq "noise") ? "#fc8d59" : "#777777"
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 760 * cols + 80, 560 * rows font "sans,10"
	} else {
		set terminal svg size 760 * cols + 80, 560 * rows font "sans,10" dynamic
	}
	set output out."/compare.".fmt
	set multiplot layout rows, cols title "NEW against BASE: density change vs throughput change per setting (up and right is better; bar: 95% interval)"
	do for [i = 1:n] {
		p = word(pairs, i)
		set title sprintf("%s, %s", corp(p), codec(p))
		set xlabel "throughput change (%; trade-off basis)"
		set ylabel "density change (%; exact)"
		set xzeroaxis lt 1 lc rgb "#888888"
		set yzeroaxis lt 1 lc rgb "#888888"
		set xrange [*<-1:1<*]
		set yrange [*<-1:1<*]
		set offsets graph 0.15, graph 0.15, graph 0.15, graph 0.15
		set bmargin 6
		set key below horizontal font ",9"
		plot for [v in "better worse noise same"] cs using \
			(sel(p) && strcol("tput_verdict") eq v ? column("tput_change_pct") : NaN):(column("density_change_pct")):(column("tput_ci_lo_pct")):(column("tput_ci_hi_pct")) \
			with xerrorbars pt 7 ps 1.3 lc rgb vcol(v) title "throughput ".v, \
		     cs using (sel(p) ? column("tput_change_pct") : NaN):(column("density_change_pct")):(strcol("label")) \
			with labels offset char 0.8, char 0.8 left font ",8" notitle
	}
	unset multiplot
}
