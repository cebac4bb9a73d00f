// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_json.c - the JSON writer (read back with jansson), and SHA-256
 * (libcrypto through sha256.h) against the FIPS 180-4 example vectors.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "json.h"
#include "sha256.h"

/* Written by jw, parsed back by jansson (which refuses invalid UTF-8). */
TEST(json_writer_round_trip)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;
	json_error_t je;
	json_t *v, *a;

	jw_init(&w, f, true);
	jw_obj(&w);
	jw_key(&w, "s");
	jw_str(&w, "quote\" back\\ nl\n tab\t ctl\x01");
	jw_key(&w, "n");
	jw_u64(&w, 9223372036854775807ULL);
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
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	CHECK(v != NULL);
	CHECK_STR(json_string_value(json_object_get(v, "s")), "quote\" back\\ nl\n tab\t ctl\x01");
	CHECK(strstr(buf, "\\u0001"));
	CHECK(json_integer_value(json_object_get(v, "n")) == 9223372036854775807LL);
	CHECK(json_real_value(json_object_get(v, "d")) == 0.1);
	CHECK(strstr(buf, "\"f\": 2.65,"));
	CHECK(json_integer_value(json_object_get(v, "i")) == -5);
	a = json_object_get(v, "a");
	CHECK(json_array_size(a) == 4 && json_is_array(json_array_get(a, 2)) &&
	      json_is_object(json_array_get(a, 3)));
	CHECK(strstr(buf, "{\n  \"s\": "));
	json_decref(v);
	free(buf);
}

/*
 * Names in results are user text: bytes that are not UTF-8 come out as
 * U+FFFD (escaped), control characters escaped, valid multi-byte UTF-8 as
 * it is; the document stays valid JSON for a strict parser.
 */
TEST(json_writer_escapes_invalid_utf8)
{
	static const char name[] = "a\xff\"b\nc\xc3\xa9"
				   "d\xe2\x82"
				   "e\xc0\xaf"
				   "z\xed\xa0\x80";
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jw w;
	json_error_t je;
	json_t *v;

	jw_init(&w, f, false);
	jw_obj(&w);
	jw_key(&w, "name");
	jw_str(&w, name);
	jw_key(&w, "k\xfe");
	jw_u64(&w, 1);
	jw_end(&w);
	fclose(f);
	CHECK_STR(buf, "{\"name\":\"a\\ufffd\\\"b\\nc\xc3\xa9"
		       "d\\ufffd\\ufffde\\ufffd\\ufffdz"
		       "\\ufffd\\ufffd\\ufffd\",\"k\\ufffd\":1}");
	v = json_loadb(buf, len, 0, &je);
	CHECK(v != NULL);
	CHECK_STR(json_string_value(json_object_get(v, "name")),
		  "a\xef\xbf\xbd\"b\nc\xc3\xa9"
		  "d\xef\xbf\xbd\xef\xbf\xbd"
		  "e\xef\xbf\xbd\xef\xbf\xbd"
		  "z"
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(v);
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
