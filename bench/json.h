/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * json.h - a small JSON reader (a tree of values) and a streaming writer.
 *
 * Reader: json_parse() takes a whole document (RFC 8259: objects, arrays,
 * strings with every escape incl. \uXXXX surrogate pairs, numbers, true,
 * false, null), nests at most JSON_MAX_DEPTH deep, and on error fills @err
 * with "line L, column C: problem".  Numbers keep their text so integers up
 * to 2^64-1 are exact (json_u64/json_i64).  Object keys keep their order;
 * json_get() returns the last value of a repeated key.
 *
 * Writer: struct jw emits well-formed JSON to a FILE, pretty-printed (two
 * spaces per level) or compact; it tracks commas itself:
 *
 *	jw_init(&w, f, true); jw_obj(&w); jw_key(&w, "pages"); jw_u64(&w, 6000);
 *	jw_end(&w); jw_finish(&w);
 */
#ifndef ZPB_JSON_H
#define ZPB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 64

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct json {
	enum json_type type;
	bool b;		     /* JSON_BOOL */
	double num;	     /* JSON_NUMBER */
	char *str;	     /* JSON_STRING (UTF-8, NUL-terminated; may hold \0 if escaped),
			      * JSON_NUMBER (its text) */
	size_t len;	     /* JSON_STRING: bytes in str */
	size_t n;	     /* JSON_ARRAY / JSON_OBJECT: number of items */
	struct json *items;  /* the items */
	char **keys;	     /* JSON_OBJECT: the key of each item */
};

struct json *json_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a whole file; errors are "PATH: problem". */
struct json *json_parse_file(const char *path, char *err, size_t errlen);
void json_free(struct json *v);

/* Member of an object (NULL if absent or @obj is no object). */
const struct json *json_get(const struct json *obj, const char *key);
/* The string, or NULL if @v is no string. */
const char *json_str(const struct json *v);
/* True with the value if @v is an integer number in range. */
bool json_u64(const struct json *v, uint64_t *out);
bool json_i64(const struct json *v, int64_t *out);
/* "null", "boolean", ... for messages. */
const char *json_type_name(enum json_type t);

/* Writer. */
struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool in_obj[JSON_MAX_DEPTH + 1];
	bool after_key;
};

void jw_init(struct jw *w, FILE *f, bool pretty);
void jw_obj(struct jw *w);		 /* { */
void jw_arr(struct jw *w);		 /* [ */
void jw_end(struct jw *w);		 /* } or ] */
void jw_key(struct jw *w, const char *key);
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t len);
void jw_u64(struct jw *w, uint64_t v);
void jw_i64(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v); /* %.17g-exact, shortest that round-trips; NaN/inf -> null */
void jw_fixed(struct jw *w, double v, int decimals); /* e.g. 3 -> 2.654 */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
/* A whole parsed value (e.g. a source's manifest embedded in another). */
void jw_value(struct jw *w, const struct json *v);
void jw_finish(struct jw *w);		 /* final newline */
/* The escaped, quoted form of @s (no writer state). */
void json_write_string(FILE *f, const char *s, size_t len);

#endif /* ZPB_JSON_H */
