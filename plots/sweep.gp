# SPDX-License-Identifier: GPL-2.0-only
# sweep.gp - the tuning figure of a sweep: space gained vs throughput lost by
# each setting relative to the baseline, one panel per corpus and codec, on
# the trade-off basis (space: pool + metadata bytes after churn when churn
# ran; throughput: harmonic mean of the store, load and free rates).  Each
# setting has its own colour and point type, named in the key (with more
# than 10 settings also beside the point); rings mark the Pareto set, a
# square the recommendation; bars span the min and max over repeats.  For z3fold compaction
# sweeps the shaded box is the 2016 claim for its extra compaction: 5-10 %
# space for 10-30 % throughput.  Reads sweep.csv.
load sprintf("%s/common.gp", system("dirname '".ARG0."'"))
sw = dir."/sweep.csv"
pairs = csvlist(sw, "", "corpus,codec")
n = words(pairs)
if (n == 0) { print "skip: no sweep rows"; exit }
base = word(csvlist(sw, "baseline=1", "label"), 1)
z3comp = system(sprintf("grep -v '^#' '%s' | grep -c 'z3fold:[^,]*compaction=' || true", sw)) + 0
settings = " "
addset(l) = (strstrt(settings, " ".l." ") ? 0 : (settings = settings.l." ", 0))
stats sw using (addset(strcol("label"))) nooutput
nset = words(settings)
cols = (n < 2) ? n : 2
rows = int((n + cols - 1) / cols)
keyrows = int((nset + 2 + 2) / 3) * 1.6
sel(p) = strcol("corpus") eq corp(p) && strcol("codec") eq codec(p)
do for [fmt in "png svg"] {
	if (fmt eq "png") {
		set terminal pngcairo size 760 * cols + 100, (480 + 16 * keyrows) * rows font "sans,10"
	} else {
		set terminal svg size 760 * cols + 100, (480 + 16 * keyrows) * rows font "sans,10" dynamic
	}
	set output out."/sweep.".fmt
	set multiplot layout rows, cols title sprintf("Space gained vs throughput lost, relative to %s (up and left is better)", base)
	do for [i = 1:n] {
		p = word(pairs, i)
		set title sprintf("%s, %s", corp(p), codec(p))
		set xlabel "throughput lost vs baseline (%; store, load and free rates)"
		set ylabel "space gained vs baseline (%; pool + metadata bytes)"
		set xzeroaxis lt 1 lc rgb "#888888"
		set yzeroaxis lt 1 lc rgb "#888888"
		if (z3comp > 0) {
			set object 1 rect from 10, 5 to 30, 10 fc rgb "#cfe2f3" fs solid 0.5 noborder behind
			set label 1 "2016 claim:\n5-10% space\nfor 10-30% throughput" at 20, 7.5 center font ",8" tc rgb "#3d6e99" front
			set xrange [*<-5:40<*]
			set yrange [*<-2:12<*]
		} else {
			set xrange [*:*]
			set yrange [*:*]
		}
		set offsets graph 0.08, graph 0.08, graph 0.08, graph 0.08
		set key below horizontal maxcols 3 font ",8" samplen 1 spacing 1.6
		set bmargin 4 + keyrows
		plot for [k = 1:nset] sw using (sel(p) && strcol("label") eq word(settings, k) ? column("tput_loss_pct") : NaN):(column("space_gain_pct")):(column("tput_loss_min")):(column("tput_loss_max")):(column("space_gain_min")):(column("space_gain_max")) \
			with xyerrorbars pt ptype(k) ps 1.5 lc rgb color(k) title word(settings, k), \
		     sw using (nset > 10 && sel(p) ? column("tput_loss_pct") : NaN):(column("space_gain_pct")):(strcol("point_label")) \
			with labels offset char 0.7, char 0.7 left font ",7" tc rgb "#333333" notitle, \
		     sw using (sel(p) && column("pareto") == 1 ? column("tput_loss_pct") : NaN):(column("space_gain_pct")) \
			with points pt 6 ps 2.6 lw 2 lc rgb "#1b9e77" title "Pareto set", \
		     sw using (sel(p) && column("recommended") == 1 ? column("tput_loss_pct") : NaN):(column("space_gain_pct")) \
			with points pt 4 ps 3.0 lw 2 lc rgb "#7570b3" title "recommended"
		unset object 1
		unset label 1
	}
	unset multiplot
}
