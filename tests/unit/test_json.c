// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_json.c - the JSON reader and writer, and SHA-256 against the FIPS
 * 180-4 example vectors.
 */
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "json.h"
#include "sha256.h"

static struct json *parse(const char *s, char *err, size_t errlen)
{
	return json_parse(s, strlen(s), err, errlen);
}

TEST(json_parse_values)
{
	char err[256];
	const char *doc = " {\"a\": 1, \"b\": [true, false, null, -2.5e3, \"x\\ny\"],\n"
			  "  \"big\": 18446744073709551615, \"neg\": -42, \"u\": \"\\u00e9\\ud83d\\ude00\","
			  "  \"o\": {}, \"e\": [], \"a\": 7} ";
	struct json *v = parse(doc, err, sizeof(err));
	const struct json *b;
	uint64_t u;
	int64_t i;

	CHECK(v != NULL);
	CHECK_EQ(v->type, JSON_OBJECT);
	CHECK(json_u64(json_get(v, "a"), &u));
	CHECK_EQ(u, 7); /* the last of a repeated key */
	CHECK(json_u64(json_get(v, "big"), &u));
	CHECK(u == UINT64_MAX);
	CHECK(!json_u64(json_get(v, "neg"), &u));
	CHECK(json_i64(json_get(v, "neg"), &i));
	CHECK_EQ(i, -42);
	b = json_get(v, "b");
	CHECK(b && b->type == JSON_ARRAY && b->n == 5);
	CHECK(b->items[0].type == JSON_BOOL && b->items[0].b);
	CHECK(b->items[1].type == JSON_BOOL && !b->items[1].b);
	CHECK_EQ(b->items[2].type, JSON_NULL);
	CHECK(b->items[3].type == JSON_NUMBER && b->items[3].num == -2500.0);
	CHECK(!json_u64(&b->items[3], &u));
	CHECK_STR(json_str(&b->items[4]), "x\ny");
	CHECK_STR(json_str(json_get(v, "u")), "\xc3\xa9\xf0\x9f\x98\x80");
	CHECK_EQ(json_get(v, "o")->n, 0);
	CHECK_EQ(json_get(v, "e")->type, JSON_ARRAY);
	CHECK(json_get(v, "missing") == NULL);
	CHECK(json_str(json_get(v, "a")) == NULL);
	json_free(v);
}

TEST(json_parse_errors)
{
	struct { const char *doc, *err; } t[] = {
		{ "", "line 1, column 1: unexpected end of input" },
		{ "{\"a\" 1}", "line 1, column 6: expected ':' after key" },
		{ "{\"a\": 1,\n \"b\": }", "line 2, column 7: unexpected character '}'" },
		{ "[1, 2", "line 1, column 6: expected ',' or ']'" },
		{ "[1] x", "line 1, column 5: unexpected text after the value" },
		{ "\"abc", "line 1, column 2: unterminated string" },
		{ "\"a\\qb\"", "line 1, column 4: bad escape in string" },
		{ "\"\\ud800\"", "line 1, column 8: unpaired surrogate in \\u escape" },
		{ "01", "line 1, column 2: unexpected text after the value" },
		{ "-", "line 1, column 2: bad number" },
		{ "1.", "line 1, column 3: bad number" },
		{ "tru", "line 1, column 1: unexpected character 't'" },
		{ "{1: 2}", "line 1, column 2: expected a string key" },
	};
	char err[256];

	for (size_t k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
		err[0] = 0;
		CHECK(parse(t[k].doc, err, sizeof(err)) == NULL);
		CHECK_STR(err, t[k].err);
	}
}

TEST(json_depth_limit)
{
	char doc[2 * (JSON_MAX_DEPTH + 2) + 1], err[256];
	int n = JSON_MAX_DEPTH + 2;
	struct json *v;

	for (int i = 0; i < n; i++)
		doc[i] = '[', doc[2 * n - 1 - i] = ']';
	doc[2 * n] = 0;
	CHECK(parse(doc, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "nested deeper than 64 levels"));
	doc[n - 2] = ']'; /* now depth is below the limit... rebuild properly */
	n = JSON_MAX_DEPTH;
	for (int i = 0; i < n; i++)
		doc[i] = '[', doc[2 * n - 1 - i] = ']';
	doc[2 * n] = 0;
	v = parse(doc, err, sizeof(err));
	CHECK(v != NULL);
	json_free(v);
}

TEST(json_writer_round_trip)
{
	char *buf = NULL, err[256];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;
	struct json *v;
	const struct json *a;

	jw_init(&w, f, true);
	jw_obj(&w);
	jw_key(&w, "s");
	jw_str(&w, "quote\" back\\ nl\n tab\t ctl\x01");
	jw_key(&w, "n");
	jw_u64(&w, 18446744073709551615ULL);
	jw_key(&w, "i");
	jw_i64(&w, -5);
	jw_key(&w, "d");
	jw_double(&w, 0.1);
	jw_key(&w, "f");
	jw_fixed(&w, 2.65432, 2);
	jw_key(&w, "a");
	jw_arr(&w);
	jw_bool(&w, true);
	jw_null(&w);
	jw_arr(&w);
	jw_end(&w);
	jw_obj(&w);
	jw_end(&w);
	jw_end(&w);
	jw_key(&w, "empty");
	jw_obj(&w);
	jw_end(&w);
	jw_end(&w);
	jw_finish(&w);
	fclose(f);
	v = json_parse(buf, len, err, sizeof(err));
	CHECK(v != NULL);
	CHECK_STR(json_str(json_get(v, "s")), "quote\" back\\ nl\n tab\t ctl\x01");
	CHECK(strstr(buf, "\\u0001"));
	CHECK(json_get(v, "d")->num == 0.1);
	CHECK_STR(json_get(v, "f")->str, "2.65");
	CHECK_STR(json_get(v, "i")->str, "-5");
	a = json_get(v, "a");
	CHECK(a && a->n == 4 && a->items[2].type == JSON_ARRAY && a->items[3].type == JSON_OBJECT);
	CHECK(strstr(buf, "{\n  \"s\": "));
	json_free(v);
	free(buf);
}

TEST(sha256_vectors)
{
	char hex[65];
	char *m = malloc(1000000);

	sha256_buf_hex("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	sha256_buf_hex("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_buf_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(m, 'a', 1000000);
	sha256_buf_hex(m, 1000000, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	/* the same data fed in odd pieces */
	{
		struct sha256 s;
		uint8_t d[32];
		size_t off = 0, step = 1;

		sha256_init(&s);
		while (off < 1000000) {
			size_t n = step < 1000000 - off ? step : 1000000 - off;

			sha256_update(&s, m + off, n);
			off += n;
			step = step * 3 % 1000 + 1;
		}
		sha256_final(&s, d);
		sha256_hex(d, hex);
		CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	}
	free(m);
}
