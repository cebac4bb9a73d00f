/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * csv.h - CSV as every zpoolbench command writes and reads it (RFC 4180).
 *
 * Writing: a field is quoted when it holds a comma, a quote, CR or LF (a
 * quote doubled inside); bytes that are not UTF-8 are written as U+FFFD, so
 * that a file name reads the same in the CSV and in the JSON (json.h).
 * Lines starting with '#' are comments (the provenance of results.csv); in
 * them a control character becomes '?', so a comment stays one line.  A value
 * that does not apply to a row is an empty field (csv_num() of NAN).
 *
 * Reading: csv_split() splits one line into fields, unquoting them; the
 * reader skips '#' lines and blank lines (csv_read_line()).
 */
#ifndef ZPB_CSV_H
#define ZPB_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One field. */
void csv_field(FILE *f, const char *s);
/* A number with @decimals, or nothing when @v is NAN (not applicable). */
void csv_num(FILE *f, double v, int decimals);
/* One '# ...' comment line, whatever user text the format quotes. */
void csv_comment(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define CSV_MAX_FIELDS 512

struct csv_line {
	char *buf; /* the unquoted fields, NUL-separated (owned) */
	int n;	   /* fields */
	const char *f[CSV_MAX_FIELDS];
};

/*
 * The next data line of @in (comments and blank lines skipped) split into
 * @out: 1, 0 at the end, -1 with a message in @err (an unterminated quote,
 * too many fields).  A quoted field may span lines.  csv_line_free() frees.
 */
int csv_read_line(FILE *in, struct csv_line *out, char *err, size_t errlen);
void csv_line_free(struct csv_line *l);

#endif /* ZPB_CSV_H */
