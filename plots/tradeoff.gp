# SPDX-License-Identifier: GPL-2.0-only
# tradeoff.gp - density vs throughput on the trade-off basis (density after
# churn when churn ran, else after fill; throughput the harmonic mean of the
# store, load and free rates; columns tradeoff_density and tput_mops, the
# same on every row of a setting), one point per allocator setting, the
# Pareto front drawn, one panel per corpus and codec.  Each setting has its
# own colour and point type, named in the key; with more than 10 settings
# each point is named beside it too (point_label).  The bars span the min
# and max over repeats.  Reads results.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
csv = dir."/results.csv"
# one row per setting: of the fill workload, else of load or churn
# one panel per corpus, codec and page size
pg = haspage(csv)
pgcol(x) = pg ? column("page_size") : 4096
hw = "fill"
pairs = csvlist(csv, "workload=fill", "corpus,codec,page_size")
if (words(pairs) == 0) { hw = "load"; pairs = csvlist(csv, "workload=load", "corpus,codec,page_size") }
if (words(pairs) == 0) { hw = "churn"; pairs = csvlist(csv, "workload=churn", "corpus,codec,page_size") }
n = words(pairs)
if (n == 0) { print "skip: no fill, load or churn rows (a replay-only run)"; exit }
cols = (n < 3) ? n : 3
rows = int((n + cols - 1) / cols)
# the settings, in the order of the file, collected by gnuplot itself (the
# allocator column may hold quoted commas; the label column never does)
settings = " "
addset(l) = (strstrt(settings, " ".l." ") ? 0 : (settings = settings.l." ", 0))
isideal(a) = (a eq "ideal" || strstrt(a, "ideal:") == 1)
stats csv using (strcol("workload") eq hw && !isideal(strcol("allocator")) ? addset(strcol("label")) : 0) nooutput
nset = words(settings)
isrow(c, k) = strcol("workload") eq hw && strcol("corpus") eq c && strcol("codec") eq k && pgcol(0) == P
keyrows = int((nset + 3 + 2) / 3) * 1.6
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 560 * cols + 260, (440 + 16 * keyrows) * rows font "sans,10"
	} else {
		set terminal svg size 560 * cols + 260, (440 + 16 * keyrows) * rows font "sans,10" dynamic
	}
	set output out."/tradeoff.".fmt
	set multiplot layout rows, cols title "Density vs throughput (allocator path): up and right is better; line = Pareto front"
	do for [i = 1:n] {
		p = word(pairs, i)
		P = pagesz(p)
		set title sprintf("%s, %s%s", corp(p), codec(p), pagenote(P))
		set xlabel "throughput (Mop/s; harmonic mean of store, load and free rates)"
		set ylabel "density (bytes / (pool + metadata); after churn if run)"
		set key below horizontal maxcols 3 font ",8" samplen 1 spacing 1.6
		set bmargin 4 + keyrows
		# the Pareto set, sorted by throughput (smooth unique) to draw the front
		set print $front
		print "x,y"
		unset print
		set table $front append separator comma
		plot csv using (column("tput_mops")):(column("tradeoff_density")) with table \
			if (isrow(corp(p), codec(p)) && column("pareto") == 1)
		unset table
		set offsets graph 0.05, graph 0.25, graph 0.05, graph 0.05
		plot $front using 1:2 smooth unique with lines lw 2 lc rgb "#1b9e77" title "Pareto front", \
		     for [k = 1:nset] csv using (isrow(corp(p), codec(p)) && strcol("label") eq word(settings, k) ? column("tput_mops") : NaN):(column("tradeoff_density")):(column("tput_min")):(column("tput_max")):(column("tradeoff_density_min")):(column("tradeoff_density_max")) \
			with xyerrorbars pt ptype(k) ps 1.5 lc rgb color(k) title word(settings, k), \
		     csv using (nset > 10 && isrow(corp(p), codec(p)) && !isideal(strcol("allocator")) ? column("tput_mops") : NaN):(column("tradeoff_density")):(strcol("point_label")) \
			with labels offset char 0.7, char 0.7 left font ",7" tc rgb "#333333" notitle, \
		     csv using (isrow(corp(p), codec(p)) && column("pareto") == 1 ? column("tput_mops") : NaN):(column("tradeoff_density")) \
			with points pt 6 ps 2.6 lw 2 lc rgb "#1b9e77" title "in the Pareto set", \
		     csv using (isrow(corp(p), codec(p)) && isideal(strcol("allocator")) ? column("tput_mops") : NaN):(column("tradeoff_density")) \
			with points pt 3 ps 2 lw 2 lc rgb "#7570b3" title "ideal (the bound)"
	}
	unset multiplot
}
