// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_codec.c - page codecs: spec parsing, round trips on varied pages for
 * every codec at several levels, same-filled detection.
 */
#include <string.h>

#include "../harness.h"
#include "driver/codec.h"
#include "util.h"

enum { P_ZERO, P_SAME, P_RANDOM, P_TEXT, P_HALF, P_PTRS, P_NKINDS };

static void make_page(unsigned char *p, int kind, uint64_t seed)
{
	static const char *const words[] = { "the ",	    "quick ",	 "brown ",  "fox ",
					     "jumps ",	    "over ",	 "lazy ",   "dog, ",
					     "memory ",	    "pool ",	 "stores ", "pages; ",
					     "compressed ", "zsmalloc\n" };
	uint64_t s = seed;

	switch (kind) {
	case P_ZERO:
		memset(p, 0, CODEC_PAGE);
		break;
	case P_SAME:
		for (int i = 0; i < CODEC_PAGE; i += 8)
			memcpy(p + i, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
		break;
	case P_RANDOM:
		pattern_fill(p, CODEC_PAGE, seed);
		break;
	case P_TEXT:
		for (int i = 0; i < CODEC_PAGE;) {
			const char *w = words[rng_below(&s, 14)];

			while (*w && i < CODEC_PAGE)
				p[i++] = *w++;
		}
		break;
	case P_HALF:
		memset(p, 0, CODEC_PAGE);
		pattern_fill(p + 1024, 2048, seed);
		break;
	case P_PTRS: /* a heap page full of nearby pointers and small integers */
		for (int i = 0; i < CODEC_PAGE; i += 16) {
			uint64_t ptr = 0x7f3a12000000ULL + rng_below(&s, 1 << 20) * 16;
			uint64_t small = rng_below(&s, 100);

			memcpy(p + i, &ptr, 8);
			memcpy(p + i + 8, &small, 8);
		}
		break;
	}
}

static const char *const specs[] = { "lz4",	"lz4:1",    "lz4:8",   "lz4:100", "lz4hc:1",
				     "lz4hc:9", "lz4hc:12", "zstd:-5", "zstd:-1", "zstd:1",
				     "zstd:3",	"zstd:9",   "zstd:19", "lzo" };

TEST(codec_roundtrip_all_codecs_and_levels)
{
	static unsigned char page[CODEC_PAGE], out[CODEC_BOUND], back[CODEC_PAGE];
	char err[256];

	for (size_t s = 0; s < sizeof(specs) / sizeof(specs[0]); s++) {
		struct codec c;
		struct codec_ctx *x;

		CHECK_EQ(codec_parse(specs[s], &c, err, sizeof(err)), 0);
		x = codec_ctx_new(&c);
		CHECK(x != NULL);
		for (int kind = 0; kind < P_NKINDS; kind++) {
			for (uint64_t seed = 1; seed <= 3; seed++) {
				int n;

				make_page(page, kind, seed);
				n = codec_compress(x, page, out);
				CHECK(n > 0 && n <= CODEC_BOUND);
				if (kind == P_ZERO || kind == P_SAME)
					CHECK(n < 300);
				if (kind == P_RANDOM)
					CHECK(n > 4000); /* incompressible: about a page or more */
				if (kind == P_TEXT && !(c.kind == CODEC_LZ4 && c.level >= 100))
					CHECK(n < 3000);
				memset(back, 0xa5, sizeof(back));
				CHECK_EQ(codec_decompress(x, out, n, back), 0);
				CHECK(!memcmp(back, page, CODEC_PAGE));
				CHECK(codec_verify(x, out, n, page));
				/* a cut stream never yields the page */
				CHECK(!codec_verify(x, out, n / 2, page));
			}
		}
		codec_ctx_free(x);
	}
}

TEST(codec_incompressible_may_exceed_page)
{
	static unsigned char page[CODEC_PAGE], out[CODEC_BOUND];
	const char *exceed[] = { "lz4", "zstd:3", "lzo" };
	char err[256];

	make_page(page, P_RANDOM, 42);
	for (int i = 0; i < 3; i++) {
		struct codec c;
		struct codec_ctx *x;
		int n;

		CHECK_EQ(codec_parse(exceed[i], &c, err, sizeof(err)), 0);
		x = codec_ctx_new(&c);
		CHECK(x != NULL);
		n = codec_compress(x, page, out);
		CHECK(n > CODEC_PAGE);
		CHECK(codec_verify(x, out, n, page));
		codec_ctx_free(x);
	}
}

TEST(codec_levels_change_output)
{
	static unsigned char page[CODEC_PAGE], out[CODEC_BOUND];
	struct codec c;
	struct codec_ctx *x;
	char err[256];
	int fast, strong;

	make_page(page, P_PTRS, 7);
	CHECK_EQ(codec_parse("zstd:-5", &c, err, sizeof(err)), 0);
	x = codec_ctx_new(&c);
	fast = codec_compress(x, page, out);
	codec_ctx_free(x);
	CHECK_EQ(codec_parse("zstd:19", &c, err, sizeof(err)), 0);
	x = codec_ctx_new(&c);
	strong = codec_compress(x, page, out);
	codec_ctx_free(x);
	CHECK(fast > 0 && strong > 0);
	CHECK(strong < fast);
}

TEST(codec_spec_canonical_names)
{
	struct {
		const char *spec, *name;
		int kind, level;
	} t[] = {
		{ "lz4", "lz4:1", CODEC_LZ4, 1 },
		{ "lz4:1", "lz4:1", CODEC_LZ4, 1 },
		{ "lz4:17", "lz4:17", CODEC_LZ4, 17 },
		{ "lz4hc", "lz4hc:9", CODEC_LZ4HC, 9 },
		{ "lz4hc:12", "lz4hc:12", CODEC_LZ4HC, 12 },
		{ "zstd", "zstd:3", CODEC_ZSTD, 3 },
		{ "zstd:3", "zstd:3", CODEC_ZSTD, 3 },
		{ "zstd:-5", "zstd:-5", CODEC_ZSTD, -5 },
		{ "zstd:19", "zstd:19", CODEC_ZSTD, 19 },
		{ "lzo", "lzo", CODEC_LZO, 0 },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct codec c;

		CHECK_EQ(codec_parse(t[i].spec, &c, err, sizeof(err)), 0);
		CHECK_STR(c.name, t[i].name);
		CHECK_EQ(c.kind, t[i].kind);
		CHECK_EQ(c.level, t[i].level);
	}
}

TEST(codec_bad_specs_rejected_with_valid_list)
{
	const char *bad[] = { "lz5",   "",	"zstd:0",    "zstd:23",	 "zstd:abc",
			      "zstd:", "lz4:0", "lz4:65538", "lz4hc:13", "lz4hc:0",
			      "lzo:1", "LZ4",	"zstd:3x",   "lz4 " };
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct codec c;

		err[0] = 0;
		CHECK_EQ(codec_parse(bad[i], &c, err, sizeof(err)), -1);
		CHECK(strstr(err, "valid: lz4[:ACCEL 1..65537], lz4hc[:LEVEL 1..12], zstd[:LEVEL "));
		CHECK(strstr(err, bad[i]));
		CHECK(!strchr(err, '\n'));
	}
	{
		struct codec c;

		codec_parse("lz5", &c, err, sizeof(err));
		CHECK(!strncmp(err, "unknown codec 'lz5'; valid: ", 28));
		codec_parse("zstd:23", &c, err, sizeof(err));
		CHECK(!strncmp(err, "codec 'zstd:23': bad level '23'; valid: ", 40));
	}
}

TEST(codec_list_parsing)
{
	struct codec c[4];
	char err[512];

	CHECK_EQ(codec_parse_list("lz4,zstd:3,lzo", c, 4, err, sizeof(err)), 3);
	CHECK_STR(c[0].name, "lz4:1");
	CHECK_STR(c[1].name, "zstd:3");
	CHECK_STR(c[2].name, "lzo");
	CHECK_EQ(codec_parse_list("lz4,,lzo", c, 4, err, sizeof(err)), -1);
	CHECK(strstr(err, "empty item"));
	CHECK_EQ(codec_parse_list("lz4,zstd:99", c, 4, err, sizeof(err)), -1);
	CHECK(strstr(err, "'zstd:99'"));
	CHECK_EQ(codec_parse_list("lz4,lz4,lz4,lz4,lz4", c, 4, err, sizeof(err)), -1);
	CHECK_EQ(codec_parse_list("", c, 4, err, sizeof(err)), -1);
}

TEST(same_filled_detection)
{
	static unsigned char page[CODEC_PAGE];
	uint64_t w = 1, want;

	memset(page, 0, sizeof(page));
	CHECK(page_same_filled(page, &w));
	CHECK_EQ(w, 0);

	make_page(page, P_SAME, 0);
	CHECK(page_same_filled(page, &w));
	memcpy(&want, "\x11\x22\x33\x44\x55\x66\x77\x88", 8);
	CHECK(w == want);

	memset(page, 0xff, sizeof(page)); /* byte-filled is word-filled */
	CHECK(page_same_filled(page, &w));
	CHECK(w == ~0ULL);

	/* one differing byte anywhere breaks it: first, middle and last word */
	for (int pos = 0; pos < CODEC_PAGE; pos += 1021) {
		memset(page, 0xff, sizeof(page));
		page[pos] ^= 1;
		CHECK(!page_same_filled(page, NULL));
	}
	memset(page, 0xff, sizeof(page));
	page[CODEC_PAGE - 1] = 0;
	CHECK(!page_same_filled(page, NULL));

	/* a 3-byte period is not a repeated 8-byte word */
	for (int i = 0; i < CODEC_PAGE; i++)
		page[i] = "abc"[i % 3];
	CHECK(!page_same_filled(page, NULL));
	/* a 4-byte period is */
	for (int i = 0; i < CODEC_PAGE; i++)
		page[i] = "abcd"[i % 4];
	CHECK(page_same_filled(page, &w));
	CHECK(!memcmp(&w, "abcdabcd", 8));
}
