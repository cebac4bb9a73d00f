# SPDX-License-Identifier: GPL-2.0-only
# csvcols.awk - the distinct values of some columns of a zpoolbench CSV
# file, the columns named by their header, for the figure scripts:
#
#	awk -v want=corpus,codec -v where=workload=fill -f csvcols.awk FILE
#
# prints "CORPUS|CODEC" once per distinct pair among the rows whose
# workload is fill, in the order of the file.  want: columns joined with
# sep (default "|"); where: conditions COLUMN=VALUE joined by commas, all
# of which must hold (none: every row).  Lines starting with '#' are
# comments; fields may be quoted (RFC 4180: a quoted field may hold commas).
function split_csv(line, out,    n, i, c, q, cur, len) {
	n = 0; cur = ""; q = 0; len = length(line)
	for (i = 1; i <= len; i++) {
		c = substr(line, i, 1)
		if (q) {
			if (c == "\"") {
				if (substr(line, i + 1, 1) == "\"") { cur = cur "\""; i++ } else q = 0
			} else cur = cur c
		} else if (c == "\"") q = 1
		else if (c == ",") { out[++n] = cur; cur = "" }
		else if (c != "\r") cur = cur c
	}
	out[++n] = cur
	return n
}
BEGIN { if (sep == "") sep = "|"; nw = split(want, wl, ","); nc = split(where, wc, ",") }
/^#/ { next }
!hdr { n = split_csv($0, h); for (i = 1; i <= n; i++) col[h[i]] = i; hdr = 1; next }
{
	split_csv($0, v)
	for (i = 1; i <= nc; i++) {
		eq = index(wc[i], "=")
		k = substr(wc[i], 1, eq - 1)
		if (!(k in col) || v[col[k]] != substr(wc[i], eq + 1)) next
	}
	s = ""
	for (i = 1; i <= nw; i++) s = s (i > 1 ? sep : "") ((wl[i] in col) ? v[col[wl[i]]] : "")
	if (!(s in seen)) { seen[s] = 1; print s }
}
