# SPDX-License-Identifier: GPL-2.0-only
# common.gp - shared set-up of the zpoolbench figures (loaded by the others).
# Every figure script is run as   gnuplot -e "dir='RESULTS'" plots/NAME.gp
# and regenerates RESULTS/NAME.png and RESULTS/NAME.svg from the CSV files
# in RESULTS alone; with -e "dir='RESULTS'; out='TMP'" it writes into TMP
# instead (zpoolbench draws into a temporary folder and renames).  A script
# with nothing to draw prints "skip: REASON" and writes no file.
if (!exists("dir")) dir = "."
if (!exists("out")) out = dir
set datafile separator comma
set datafile columnheaders
set datafile missing "nan"
set grid lc rgb "#dddddd"
set key outside right top box opaque samplen 2 font ",9"
set style line 1 lc rgb "#1b9e77" pt 7 ps 1.2
# the distinct values of columns of a CSV file, by name (csvcols.awk), as a
# list of words: csvlist(file, "workload=fill", "corpus,codec") gives
# "CORPUS|CODEC ..." for the fill rows; values hold no spaces
plotdir = system("dirname '".ARG0."'")
csvlist(file, where, want) = system(sprintf("test -f '%s' && awk -v where='%s' -v want='%s' -f '%s/csvcols.awk' '%s' | tr '\\n' ' '", file, where, want, plotdir, file))
# series styles: colours that stay apart (no yellow next to light green),
# and with them a dash type and a point type, so that any two series differ
# in two ways and overlapping ones stay visible
color(i) = word("#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #7f7f7f #bcbd22 #393b79 #843c39 #637939 #7b4173 #3182bd #000000", (int(i) - 1) % 16 + 1)
dash(i) = (int(i) - 1) % 5 + 1
ptype(i) = int(word("7 5 9 11 13 15 6 4 8 10 12 14 1 2 3", (int(i) - 1) % 15 + 1))
