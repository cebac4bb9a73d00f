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
# fields of a CSV column that hold neither commas nor quotes, for lists
csvlist(file, cond, field) = system(sprintf("test -f '%s' && grep -v '^#' '%s' | awk -F, 'NR>1 && %s {print %s}' | awk '!seen[$0]++' | tr '\\n' ' '", file, file, cond, field))
# series styles: colours that stay apart (no yellow next to light green),
# and with them a dash type and a point type, so that any two series differ
# in two ways and overlapping ones stay visible
color(i) = word("#1f77b4 #d62728 #2ca02c #ff7f0e #9467bd #8c564b #e377c2 #17becf #7f7f7f #bcbd22 #393b79 #843c39 #637939 #7b4173 #3182bd #000000", (int(i) - 1) % 16 + 1)
dash(i) = (int(i) - 1) % 5 + 1
ptype(i) = int(word("7 5 9 11 13 15 6 4 8 10 12 14 1 2 3", (int(i) - 1) % 15 + 1))
# Page sizes: results files since the 16 KiB driver end in a page_size
# column (results.csv, sizes.csv, bounds.csv, churn.csv); older ones hold
# 4 KiB pages only.  A panel is one corpus, codec and page size, named
# "CORPUS|CODEC|PAGE" in the lists below.
haspage(file) = system(sprintf("test -f '%s' && awk '!/^#/ { print (/,page_size\r?$/ ? 1 : 0); exit }' '%s' || echo 0", file, file)) + 0
fld1(p) = substr(p, 1, strstrt(p, "|") - 1)
fldr(p) = substr(p, strstrt(p, "|") + 1, strlen(p))
corp(p) = fld1(p)
codec(p) = (strstrt(fldr(p), "|") ? fld1(fldr(p)) : fldr(p))
pagesz(p) = (strstrt(fldr(p), "|") ? fldr(fldr(p)) + 0 : 4096)
pagenote(pg) = (pg == 4096 ? "" : sprintf(", %d KiB pages", pg / 1024))
kib(pg) = sprintf("%d KiB", pg / 1024)
