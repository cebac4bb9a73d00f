/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json.h - a small streaming JSON writer.  Manifests are read with jansson
 * (corpus.h); writing stays here because the results files need a fixed key
 * order, fixed decimals and a pretty layout that jansson's dump does not
 * give in fewer lines.
 *
 * struct jw emits well-formed JSON to a FILE, pretty-printed (two spaces per
 * level) or compact; it tracks commas itself:
 *
 *	jw_init(&w, f, true); jw_obj(&w); jw_key(&w, "pages"); jw_u64(&w, 6000);
 *	jw_end(&w); jw_finish(&w);
 *
 * Strings are escaped per RFC 8259 (control characters as \uXXXX) and
 * bytes that are not UTF-8 (a file name with byte 0xff) come out as
 * U+FFFD, escaped "\ufffd", one per byte: the output is always valid UTF-8
 * JSON, whatever names it quotes.
 */
#ifndef ZPB_JSON_H
#define ZPB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64

struct json_t; /* jansson's value */

/* Writer. */
struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool in_obj[JSON_MAX_DEPTH + 1];
	bool after_key;
	bool flat[JSON_MAX_DEPTH + 1]; /* on one line, even when pretty */
};

void jw_init(struct jw *w, FILE *f, bool pretty);
void jw_obj(struct jw *w);	/* { */
void jw_arr(struct jw *w);	/* [ */
void jw_arr_flat(struct jw *w); /* [ whose values stay on one line (long number lists) */
void jw_end(struct jw *w);	/* } or ] */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t len);
void jw_u64(struct jw *w, uint64_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v); /* %.17g-exact, shortest that round-trips; NaN/inf -> null */
void jw_fixed(struct jw *w, double v, int decimals); /* e.g. 3 -> 2.654 */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* A whole jansson value (e.g. a source's manifest embedded in another). */
void jw_value(struct jw *w, const struct json_t *v);
void jw_finish(struct jw *w); /* final newline */
/* The escaped, quoted form of @s (no writer state). */
void json_write_string(FILE *f, const char *s, size_t len);
/*
 * The length of the valid UTF-8 sequence at @s (1..4; 1 for ASCII), or 0 if
 * the bytes there are not UTF-8 (overlong forms and surrogates included).
 */
size_t utf8_valid_prefix(const unsigned char *s, size_t len);

#endif /* ZPB_JSON_H */
