# SPDX-License-Identifier: GPL-2.0-only
# common.gp - shared set-up of the zpoolbench figures (loaded by the others).
# Every figure script is run as   gnuplot -e "dir='RESULTS'" plots/NAME.gp
# and regenerates RESULTS/NAME.png and RESULTS/NAME.svg from the CSV files
# in RESULTS alone.
if (!exists("dir")) dir = "."
set datafile separator comma
set datafile columnheaders
set datafile missing "nan"
set grid lc rgb "#dddddd"
set key outside right top box opaque samplen 2 font ",9"
set style line 1 lc rgb "#1b9e77" pt 7 ps 1.2
# fields of a CSV column that hold neither commas nor quotes, for lists
csvlist(file, cond, field) = system(sprintf("grep -v '^#' '%s' | awk -F, 'NR>1 && %s {print %s}' | awk '!seen[$0]++' | tr '\\n' ' '", file, cond, field))
color(i) = word("#1b9e77 #d95f02 #7570b3 #e7298a #66a61e #e6ab02 #a6761d #666666 #1f78b4 #b2df8a #fb9a99 #cab2d6 #ff7f00 #6a3d9a #b15928 #a6cee3", (int(i) - 1) % 16 + 1)
