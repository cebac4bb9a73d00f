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
# the distinct values of columns of a CSV file, by name, as a list of words:
# csvlist(file, "workload=fill", "corpus,codec") gives "CORPUS|CODEC ..." for
# the fill rows (where: COLUMN=VALUE conditions joined by commas, all of which
# must hold; want: columns joined by commas).  Lines starting with '#' are
# comments; fields may be quoted (RFC 4180: a quoted field may hold commas).
# Values hold no spaces.  The awk program is here, not in a file of its own,
# so that the scripts work wherever they are installed.
csvawk = 'function split_csv(line, out,    n, i, c, q, cur, len) { n = 0; cur = ""; q = 0; len = length(line); for (i = 1; i <= len; i++) { c = substr(line, i, 1); if (q) { if (c == "\"") { if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0 } else cur = cur c } else if (c == "\"") q = 1; else if (c == ",") { out[++n] = cur; cur = "" } else if (c != "\r") cur = cur c } out[++n] = cur; return n } BEGIN { if (sep == "") sep = "|"; nw = split(want, wl, ","); nc = split(where, wc, ",") } /^#/ { next } !hdr { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; hdr = 1; next } { split_csv($0, v); for (i = 1; i <= nc; i++) { eq = index(wc[i], "="); k = substr(wc[i], 1, eq - 1); if (!(k in col) || v[col[k]] != substr(wc[i], eq + 1)) next } s = ""; for (i = 1; i <= nw; i++) s = s (i > 1 ? sep : "") ((wl[i] in col) ? v[col[wl[i]]] : ""); if (!(s in seen)) { seen[s] = 1; print s } }'
csvlist(file, where, want) = system(sprintf("test -f '%s' && awk -v where='%s' -v want='%s' '%s' '%s' | tr '\\n' ' '", file, where, want, csvawk, file))
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
haspage(file) = words(csvlist(file, "", "page_size")) > 0
fld1(p) = substr(p, 1, strstrt(p, "|") - 1)
fldr(p) = substr(p, strstrt(p, "|") + 1, strlen(p))
corp(p) = fld1(p)
codec(p) = (strstrt(fldr(p), "|") ? fld1(fldr(p)) : fldr(p))
pz(x) = (x > 0 ? x : 4096)
num(s) = (strlen(s) > 0 ? s + 0 : 0)
pagesz(p) = pz(strstrt(fldr(p), "|") ? num(fldr(fldr(p))) : 0)
pagenote(pg) = (pg == 4096 ? "" : sprintf(", %d KiB pages", pg / 1024))
kib(pg) = sprintf("%d KiB", pg / 1024)
