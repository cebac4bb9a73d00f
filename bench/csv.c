// SPDX-License-Identifier: GPL-2.0-only
/*
 * csv.c - see csv.h.
 */
#define _GNU_SOURCE /* vasprintf, getline */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "json.h"

/*
 * User text (file names, specs, the command line): bytes that are not
 * UTF-8 become U+FFFD; in a '#' line (@comment) a control character becomes
 * '?'; in a quoted field (@quoted) a quote is doubled.
 */
static void put_text(FILE *f, const char *s, bool comment, bool quoted)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s);

	for (size_t i = 0; i < len;) {
		size_t n = utf8_valid_prefix(u + i, len - i);

		if (n == 0) {
			fputs("\xef\xbf\xbd", f);
			i++;
			continue;
		}
		if (n == 1 && comment && (u[i] < 0x20 || u[i] == 0x7f))
			fputc('?', f);
		else if (n == 1 && quoted && u[i] == '"')
			fputs("\"\"", f);
		else
			fwrite(u + i, 1, n, f);
		i += n;
	}
}

void csv_field(FILE *f, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	put_text(f, s, false, quote);
	if (quote)
		fputc('"', f);
}

void csv_num(FILE *f, double v, int decimals)
{
	if (isfinite(v))
		fprintf(f, "%.*f", decimals, v);
}

void csv_comment(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *line = NULL;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	fputs("# ", f);
	if (line)
		put_text(f, line, true, false);
	fputc('\n', f);
	free(line);
}

void csv_line_free(struct csv_line *l)
{
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

/* Append @n bytes of @s to the growing buffer. */
static int grow(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t c = (*cap ? *cap * 2 : 256) + n;
		char *b = realloc(*buf, c);

		if (!b)
			return -1;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

/* A whole record: lines joined while a quote is open. */
static int record(FILE *in, char **rec, size_t *rlen, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0, rcap = 0;
	ssize_t n;
	bool open = false;

	*rec = NULL;
	*rlen = 0;
	while ((n = getline(&line, &cap, in)) > 0) {
		if (!*rlen && !open &&
		    (line[0] == '#' || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n')))
			continue;
		if (grow(rec, rlen, &rcap, line, (size_t)n))
			goto oom;
		for (ssize_t i = 0; i < n; i++)
			if (line[i] == '"')
				open = !open;
		if (!open)
			break;
	}
	free(line);
	if (open) {
		snprintf(err, errlen, "a quoted field is not closed");
		return -1;
	}
	return *rlen ? 1 : 0;
oom:
	free(line);
	snprintf(err, errlen, "out of memory");
	return -1;
}

int csv_read_line(FILE *in, struct csv_line *out, char *err, size_t errlen)
{
	char *rec, *w;
	size_t len;
	int r = record(in, &rec, &len, err, errlen);

	memset(out, 0, sizeof(*out));
	if (r <= 0) {
		free(rec);
		return r;
	}
	while (len && (rec[len - 1] == '\n' || rec[len - 1] == '\r'))
		rec[--len] = '\0';
	/* unquote in place: the output never outgrows the input */
	out->buf = rec;
	w = rec;
	for (size_t i = 0; i <= len;) {
		if (out->n == CSV_MAX_FIELDS) {
			snprintf(err, errlen, "more than %d fields", CSV_MAX_FIELDS);
			csv_line_free(out);
			return -1;
		}
		out->f[out->n++] = w;
		if (rec[i] == '"') {
			for (i++; i < len; i++) {
				if (rec[i] == '"' && rec[i + 1] == '"')
					*w++ = rec[i++];
				else if (rec[i] == '"')
					break;
				else
					*w++ = rec[i];
			}
			i++; /* the closing quote */
		}
		while (i < len && rec[i] != ',')
			*w++ = rec[i++];
		*w++ = '\0';
		i++; /* the comma, or past the end */
	}
	return 1;
}
