// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - see json.h.  A writer that keeps one "comma needed" flag per
 * nesting level; strings are escaped per RFC 8259 and always come out as
 * valid UTF-8.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

size_t utf8_valid_prefix(const unsigned char *s, size_t len)
{
	unsigned char c = s[0];
	size_t n;
	unsigned int cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_write_string(FILE *f, const char *str, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;

	putc('"', f);
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = utf8_valid_prefix(s + i, len - i);

		if (n == 0) { /* not UTF-8: the replacement character, one per byte */
			fputs("\\ufffd", f);
			i++;
			continue;
		}
		if (n > 1) {
			fwrite(s + i, 1, n, f);
			i += n;
			continue;
		}
		i++;
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			else
				putc(c, f);
		}
	}
	putc('"', f);
}

void jw_init(struct jw *w, FILE *f, bool pretty)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->pretty = pretty;
}

static void newline(struct jw *w)
{
	if (!w->pretty || w->flat[w->depth])
		return;
	putc('\n', w->f);
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
}

/* Before any value: the comma and indentation it needs. */
static void before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth == 0)
		return;
	if (w->need_comma[w->depth])
		fputs(w->pretty && w->flat[w->depth] ? ", " : ",", w->f);
	newline(w);
	w->need_comma[w->depth] = true;
}

static void jw_open(struct jw *w, char c, bool obj)
{
	before_value(w);
	putc(c, w->f);
	if (w->depth < JSON_MAX_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
	w->in_obj[w->depth] = obj;
	w->flat[w->depth] = w->flat[w->depth - 1];
}

void jw_obj(struct jw *w)
{
	jw_open(w, '{', true);
}

void jw_arr(struct jw *w)
{
	jw_open(w, '[', false);
}

void jw_arr_flat(struct jw *w)
{
	jw_open(w, '[', false);
	w->flat[w->depth] = true;
}

void jw_end(struct jw *w)
{
	bool obj = w->in_obj[w->depth], had = w->need_comma[w->depth];
	bool flat = w->flat[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had && !flat)
		newline(w);
	putc(obj ? '}' : ']', w->f);
}

void jw_key(struct jw *w, const char *key)
{
	before_value(w);
	json_write_string(w->f, key, strlen(key));
	fputs(w->pretty ? ": " : ":", w->f);
	w->after_key = true;
}

void jw_strn(struct jw *w, const char *s, size_t len)
{
	before_value(w);
	json_write_string(w->f, s, len);
}

void jw_str(struct jw *w, const char *s)
{
	if (!s) {
		jw_null(w);
		return;
	}
	jw_strn(w, s, strlen(s));
}

void jw_u64(struct jw *w, uint64_t v)
{
	before_value(w);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void jw_i64(struct jw *w, int64_t v)
{
	before_value(w);
	fprintf(w->f, "%lld", (long long)v);
}

void jw_double(struct jw *w, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	before_value(w);
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, w->f);
}

void jw_fixed(struct jw *w, double v, int decimals)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	before_value(w);
	fprintf(w->f, "%.*f", decimals, v);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w)
{
	before_value(w);
	fputs("null", w->f);
}

void jw_finish(struct jw *w)
{
	putc('\n', w->f);
}

void jw_value(struct jw *w, const json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_NULL:
		jw_null(w);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		jw_bool(w, json_is_true(v));
		break;
	case JSON_INTEGER:
		jw_i64(w, json_integer_value(v));
		break;
	case JSON_REAL:
		jw_double(w, json_real_value(v));
		break;
	case JSON_STRING:
		jw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_ARRAY:
		jw_arr(w);
		json_array_foreach(v, i, item) jw_value(w, item);
		jw_end(w);
		break;
	case JSON_OBJECT:
		jw_obj(w);
		json_object_foreach((json_t *)v, key, item)
		{
			jw_key(w, key);
			jw_value(w, item);
		}
		jw_end(w);
		break;
	}
}
