# SPDX-License-Identifier: GPL-2.0-only
# sweep.gp - the tuning figure of a sweep: space gained vs throughput lost by
# each setting relative to the baseline (for z3fold: compaction=middle), one
# panel per corpus and codec; space is measured after churn.  The shaded box is the 2016 claim for z3fold's
# extra compaction: 5-10 % space for 10-30 % throughput.  Labels of
# neighbouring rows are staggered upwards so that clustered points stay
# readable.  Reads sweep.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
sw = dir."/sweep.csv"
pairs = csvlist(sw, "1", "$1 \"|\" $2")
base = word(csvlist(sw, "$(NF-1)==1", "$4"), 1)
n = words(pairs)
cols = (n < 2) ? n : 2
rows = int((n + cols - 1) / cols)
corp(p) = p[1:strstrt(p, "|") - 1]
codec(p) = p[strstrt(p, "|") + 1:]
sel(p) = strcol("corpus") eq corp(p) && strcol("codec") eq codec(p)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 760 * cols + 100, 560 * rows font "sans,10"
	} else {
		set terminal svg size 760 * cols + 100, 560 * rows font "sans,10" dynamic
	}
	set output dir."/sweep.".fmt
	set multiplot layout rows, cols title sprintf("Space gained vs throughput lost, relative to %s (up and left is better)", base)
	do for [i = 1:n] {
		p = word(pairs, i)
		set title sprintf("%s, %s", corp(p), codec(p))
		set xlabel "throughput lost vs baseline (%; churn store, free and load)"
		set ylabel "space gained vs baseline (%; pool + metadata bytes after churn)"
		set xzeroaxis lt 1 lc rgb "#888888"
		set yzeroaxis lt 1 lc rgb "#888888"
		set object 1 rect from 10, 5 to 30, 10 fc rgb "#cfe2f3" fs solid 0.5 noborder behind
		set label 1 "2016 claim:\n5-10% space\nfor 10-30% throughput" at 20, 7.5 center font ",8" tc rgb "#3d6e99" front
		set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
		set xrange [*<-5:40<*]
		set yrange [*<-2:12<*]
		set key inside bottom right box opaque font ",8"
		plot sw using (sel(p) ? column("tput_loss_pct") : NaN):(column("space_gain_pct")) \
			with points pt 7 ps 1.3 lc rgb "#d95f02" title "setting", \
		     sw using (sel(p) && column("pareto") == 1 ? column("tput_loss_pct") : NaN):(column("space_gain_pct")) \
			with points pt 6 ps 2.3 lw 2 lc rgb "#1b9e77" title "Pareto set", \
		     sw using (sel(p) && column("recommended") == 1 ? column("tput_loss_pct") : NaN):(column("space_gain_pct")) \
			with points pt 4 ps 2.8 lw 2 lc rgb "#7570b3" title "recommended", \
		     sw using (sel(p) ? column("tput_loss_pct") : NaN):(column("space_gain_pct") + (int(column(0)) % 4) * 0.5):(strcol("label")) \
			with labels left offset 0.9, 0.5 font ",7" notitle
		unset object 1
		unset label 1
	}
	unset multiplot
}
