// SPDX-License-Identifier: GPL-2.0-only
/*
 * json.c - see json.h.  A recursive-descent reader over a buffer and a
 * writer that keeps one "comma needed" flag per nesting level.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct parser {
	const char *p, *start, *end;
	char *err;
	size_t errlen;
	bool failed;
};

static void perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void perr(struct parser *ps, const char *fmt, ...)
{
	char msg[256];
	unsigned long line = 1, col = 1;
	va_list ap;

	if (ps->failed)
		return;
	ps->failed = true;
	for (const char *q = ps->start; q < ps->p && q < ps->end; q++) {
		if (*q == '\n')
			line++, col = 1;
		else
			col++;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->err && ps->errlen)
		snprintf(ps->err, ps->errlen, "line %lu, column %lu: %s", line, col, msg);
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static bool lit(struct parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, word, n)) {
		ps->p += n;
		return true;
	}
	return false;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool hex4(struct parser *ps, unsigned int *out)
{
	unsigned int v = 0;

	if (ps->end - ps->p < 4) {
		perr(ps, "truncated \\u escape");
		return false;
	}
	for (int i = 0; i < 4; i++) {
		int h = hexval(ps->p[i]);

		if (h < 0) {
			perr(ps, "bad \\u escape");
			return false;
		}
		v = v * 16 + h;
	}
	ps->p += 4;
	*out = v;
	return true;
}

static size_t put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		o[0] = cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = 0xc0 | cp >> 6;
		o[1] = 0x80 | (cp & 0x3f);
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = 0xe0 | cp >> 12;
		o[1] = 0x80 | ((cp >> 6) & 0x3f);
		o[2] = 0x80 | (cp & 0x3f);
		return 3;
	}
	o[0] = 0xf0 | cp >> 18;
	o[1] = 0x80 | ((cp >> 12) & 0x3f);
	o[2] = 0x80 | ((cp >> 6) & 0x3f);
	o[3] = 0x80 | (cp & 0x3f);
	return 4;
}

/* At the opening quote; returns a malloc'd string (escapes resolved). */
static char *parse_string(struct parser *ps, size_t *lenp)
{
	const char *q;
	char *out, *o;

	ps->p++; /* the quote */
	/* the decoded string is never longer than the source */
	for (q = ps->p; q < ps->end && *q != '"'; q++)
		if (*q == '\\')
			q++;
	if (q >= ps->end) {
		perr(ps, "unterminated string");
		return NULL;
	}
	out = o = malloc(q - ps->p + 1);
	if (!out) {
		perr(ps, "out of memory");
		return NULL;
	}
	while (*ps->p != '"') {
		unsigned char c = *ps->p;

		if (c < 0x20) {
			perr(ps, "control character in string");
			goto fail;
		}
		if (c != '\\') {
			*o++ = c;
			ps->p++;
			continue;
		}
		ps->p++;
		switch (*ps->p++) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '/': *o++ = '/'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u': {
			unsigned int cp, lo;

			if (!hex4(ps, &cp))
				goto fail;
			if (cp >= 0xd800 && cp < 0xdc00) {
				if (!lit(ps, "\\u") || !hex4(ps, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					perr(ps, "unpaired surrogate in \\u escape");
					goto fail;
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				perr(ps, "unpaired surrogate in \\u escape");
				goto fail;
			}
			/* 6 source bytes never decode to more than 4 */
			o += put_utf8(o, cp);
			break;
		}
		default:
			ps->p--;
			perr(ps, "bad escape in string");
			goto fail;
		}
	}
	ps->p++;
	*o = 0;
	*lenp = o - out;
	return out;
fail:
	free(out);
	return NULL;
}

static bool parse_number(struct parser *ps, struct json *v)
{
	const char *s = ps->p;
	char *end;

	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0') {
		ps->p++;
	} else if (ps->p < ps->end && *ps->p >= '1' && *ps->p <= '9') {
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	} else {
		perr(ps, "bad number");
		return false;
	}
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
			perr(ps, "bad number");
			return false;
		}
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (ps->p >= ps->end || *ps->p < '0' || *ps->p > '9') {
			perr(ps, "bad number");
			return false;
		}
		while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
			ps->p++;
	}
	v->type = JSON_NUMBER;
	v->str = strndup(s, ps->p - s);
	if (!v->str) {
		perr(ps, "out of memory");
		return false;
	}
	v->len = ps->p - s;
	v->num = strtod(v->str, &end);
	return true;
}

static bool parse_value(struct parser *ps, struct json *v, int depth);

static bool grow(struct parser *ps, struct json *v, size_t *cap, bool keys)
{
	if (v->n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 4;
	struct json *ni = realloc(v->items, nc * sizeof(*ni));

	if (!ni) {
		perr(ps, "out of memory");
		return false;
	}
	v->items = ni;
	if (keys) {
		char **nk = realloc(v->keys, nc * sizeof(*nk));

		if (!nk) {
			perr(ps, "out of memory");
			return false;
		}
		v->keys = nk;
	}
	*cap = nc;
	return true;
}

static bool parse_container(struct parser *ps, struct json *v, int depth, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	v->type = obj ? JSON_OBJECT : JSON_ARRAY;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;

		skip_ws(ps);
		if (obj) {
			if (ps->p >= ps->end || *ps->p != '"') {
				perr(ps, "expected a string key");
				return false;
			}
			key = parse_string(ps, &klen);
			if (!key)
				return false;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				perr(ps, "expected ':' after key");
				return false;
			}
			ps->p++;
		}
		if (!grow(ps, v, &cap, obj)) {
			free(key);
			return false;
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (!parse_value(ps, &v->items[v->n - 1], depth + 1))
			return false;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return true;
		}
		perr(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		return false;
	}
}

static bool parse_value(struct parser *ps, struct json *v, int depth)
{
	if (depth > JSON_MAX_DEPTH) {
		perr(ps, "nested deeper than %d levels", JSON_MAX_DEPTH);
		return false;
	}
	skip_ws(ps);
	if (ps->p >= ps->end) {
		perr(ps, "unexpected end of input");
		return false;
	}
	switch (*ps->p) {
	case '{':
		return parse_container(ps, v, depth, true);
	case '[':
		return parse_container(ps, v, depth, false);
	case '"':
		v->type = JSON_STRING;
		v->str = parse_string(ps, &v->len);
		return v->str != NULL;
	case 't':
	case 'f':
	case 'n':
		if (lit(ps, "true")) {
			v->type = JSON_BOOL;
			v->b = true;
		} else if (lit(ps, "false")) {
			v->type = JSON_BOOL;
		} else if (lit(ps, "null")) {
			v->type = JSON_NULL;
		} else {
			perr(ps, "unexpected character '%c'", *ps->p);
			return false;
		}
		return true;
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, v);
		if ((unsigned char)*ps->p >= 0x20 && (unsigned char)*ps->p < 0x7f)
			perr(ps, "unexpected character '%c'", *ps->p);
		else
			perr(ps, "unexpected byte 0x%02x", (unsigned char)*ps->p);
		return false;
	}
}

static void free_value(struct json *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_value(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

void json_free(struct json *v)
{
	if (!v)
		return;
	free_value(v);
	free(v);
}

struct json *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser ps = { text, text, text + len, err, errlen, false };
	struct json *v = calloc(1, sizeof(*v));

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (parse_value(&ps, v, 0)) {
		skip_ws(&ps);
		if (ps.p == ps.end)
			return v;
		perr(&ps, "unexpected text after the value");
	}
	json_free(v);
	return NULL;
}

struct json *json_parse_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL, msg[256];
	size_t len = 0, cap = 0, n;
	struct json *v;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	v = json_parse(buf, len, msg, sizeof(msg));
	if (!v)
		snprintf(err, errlen, "%s: %s", path, msg);
	free(buf);
	return v;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = obj->n; i-- > 0;)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

const char *json_str(const struct json *v)
{
	return v && v->type == JSON_STRING ? v->str : NULL;
}

bool json_u64(const struct json *v, uint64_t *out)
{
	char *end;
	unsigned long long x;

	if (!v || v->type != JSON_NUMBER || v->str[0] == '-' || strpbrk(v->str, ".eE"))
		return false;
	errno = 0;
	x = strtoull(v->str, &end, 10);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

bool json_i64(const struct json *v, int64_t *out)
{
	char *end;
	long long x;

	if (!v || v->type != JSON_NUMBER || strpbrk(v->str, ".eE"))
		return false;
	errno = 0;
	x = strtoll(v->str, &end, 10);
	if (errno || *end)
		return false;
	*out = x;
	return true;
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array",
					     "object" };

	return (unsigned int)t < 6 ? names[t] : "?";
}

/* Writer. */

void json_write_string(FILE *f, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	putc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
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
	if (!w->pretty)
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
		putc(',', w->f);
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
}

void jw_obj(struct jw *w)
{
	jw_open(w, '{', true);
}

void jw_arr(struct jw *w)
{
	jw_open(w, '[', false);
}

void jw_end(struct jw *w)
{
	bool obj = w->in_obj[w->depth], had = w->need_comma[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (had)
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

void jw_value(struct jw *w, const struct json *v)
{
	switch (v->type) {
	case JSON_NULL:
		jw_null(w);
		break;
	case JSON_BOOL:
		jw_bool(w, v->b);
		break;
	case JSON_NUMBER: /* its text, exactly as read */
		before_value(w);
		fputs(v->str, w->f);
		break;
	case JSON_STRING:
		jw_strn(w, v->str, v->len);
		break;
	case JSON_ARRAY:
	case JSON_OBJECT:
		if (v->type == JSON_OBJECT)
			jw_obj(w);
		else
			jw_arr(w);
		for (size_t i = 0; i < v->n; i++) {
			if (v->type == JSON_OBJECT)
				jw_key(w, v->keys[i]);
			jw_value(w, &v->items[i]);
		}
		jw_end(w);
		break;
	}
}
