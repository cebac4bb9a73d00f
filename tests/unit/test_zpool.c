// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_zpool.c - the registry, the spec parser and the page provider.
 */
#include <errno.h>
#include <string.h>

#include "../harness.h"
#include "page.h"
#include "zpool.h"

TEST(spec_plain_name)
{
	struct zpool_config cfg;
	char err[256];

	CHECK_EQ(zpool_parse_spec("zbud", &cfg, err, sizeof(err)), 0);
	CHECK_STR(cfg.drv->name, "zbud");
	CHECK_STR(cfg.spec, "zbud");
	CHECK_EQ(zpool_cfg_int(&cfg, "lru"), 1); /* default */
	CHECK(!zpool_cfg_isset(&cfg, "lru"));
}

TEST(spec_key_value)
{
	struct zpool_config cfg;
	char err[256];

	CHECK_EQ(zpool_parse_spec("zbud:lru=0", &cfg, err, sizeof(err)), 0);
	CHECK_EQ(zpool_cfg_int(&cfg, "lru"), 0);
	CHECK(zpool_cfg_isset(&cfg, "lru"));
	CHECK_STR(zpool_cfg_str(&cfg, "lru"), "0");
	CHECK_STR(cfg.spec, "zbud:lru=0");
}

TEST(spec_errors_list_valid_choices)
{
	struct zpool_config cfg;
	char err[256];

	CHECK_EQ(zpool_parse_spec("nosuch", &cfg, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "unknown allocator 'nosuch' (valid: ") != NULL);
	CHECK(strstr(err, "zbud") != NULL);
	CHECK(strstr(err, "ideal") != NULL);

	CHECK_EQ(zpool_parse_spec("zbud:foo=1", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: unknown key 'foo' (valid keys: kernel, lru, page)");

	CHECK_EQ(zpool_parse_spec("zbud:lru=2", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: bad value '2' for lru (valid: 0|1)");

	CHECK_EQ(zpool_parse_spec("zbud:lru", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: key 'lru' needs a value: lru=VALUE (valid: 0|1)");

	CHECK_EQ(zpool_parse_spec("zbud:lru=1,lru=0", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: key 'lru' given twice");

	CHECK_EQ(zpool_parse_spec("zbud:", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: empty parameter list after ':' (valid keys: kernel, lru, page)");

	CHECK_EQ(zpool_parse_spec("zbud:lru=1,", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "zbud: trailing ',' in spec");

	CHECK_EQ(zpool_parse_spec("ideal:x=1", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "ideal: unknown key 'x' (valid keys: page)");

	CHECK_EQ(zpool_parse_spec("", &cfg, err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "empty allocator spec") != NULL);
}

/* an integer-valued key: a private test driver declaring one */
/* clang-format off */
static const struct zpool_param tdrv_params[] = {
	{ "n", NULL, 1, 16, "8", "an integer" },
	{ "mode", "a|bb|c", 0, 0, "bb", "a word" },
	{ NULL, NULL, 0, 0, NULL, NULL },
};
/* clang-format on */
static const struct zpool_driver tdrv = { .name = "testdrv", .params = tdrv_params, .order = 999 };
ZPOOL_DRIVER_REGISTER(tdrv)

TEST(spec_integer_ranges_and_words)
{
	struct zpool_config cfg;
	char err[256];

	CHECK_EQ(zpool_parse_spec("testdrv", &cfg, err, sizeof(err)), 0);
	CHECK_EQ(zpool_cfg_int(&cfg, "n"), 8);
	CHECK_EQ(zpool_cfg_int(&cfg, "mode"), 1);
	CHECK_EQ(zpool_parse_spec("testdrv:mode=c,n=16", &cfg, err, sizeof(err)), 0);
	CHECK_EQ(zpool_cfg_int(&cfg, "n"), 16);
	CHECK_STR(zpool_cfg_str(&cfg, "mode"), "c");
	/* normalised in declaration order */
	CHECK_STR(cfg.spec, "testdrv:n=16,mode=c");
	CHECK_EQ(zpool_parse_spec("testdrv:n=17", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "testdrv: bad value '17' for n (valid: 1..16)");
	CHECK_EQ(zpool_parse_spec("testdrv:n=0x4", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_EQ(zpool_parse_spec("testdrv:n=", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_EQ(zpool_parse_spec("testdrv:mode=b", &cfg, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "testdrv: bad value 'b' for mode (valid: a|bb|c)");
}

TEST(spec_list_split)
{
	char out[8][ZPOOL_SPEC_MAX], err[256];

	CHECK_EQ(zpool_split_specs("zbud,testdrv:n=2,mode=a,ideal", out, 8, err, sizeof(err)), 3);
	CHECK_STR(out[0], "zbud");
	CHECK_STR(out[1], "testdrv:n=2,mode=a");
	CHECK_STR(out[2], "ideal");
	CHECK_EQ(zpool_split_specs("n=2,zbud", out, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(zpool_split_specs("zbud,,ideal", out, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(zpool_split_specs("zbud,", out, 8, err, sizeof(err)), -EINVAL);
	CHECK_EQ(zpool_split_specs("a,b,c", out, 2, err, sizeof(err)), -EINVAL);
}

TEST(registry_lists_in_order)
{
	const struct zpool_driver *d[32];
	int n = zpool_drivers(d, 32);

	CHECK(n >= 2);
	for (int i = 1; i < n; i++)
		CHECK(d[i - 1]->order <= d[i]->order);
	CHECK(zpool_find_driver("zbud") != NULL);
	CHECK(zpool_find_driver("ideal") != NULL);
	CHECK(zpool_find_driver("zbudx") == NULL);
}

TEST(page_provider_alignment_descriptors_accounting)
{
	struct page_provider *pp = pp_create(1024);
	void *a, *b, *c;

	CHECK(pp);
	a = pp_alloc(pp);
	b = pp_alloc(pp);
	CHECK(a && b);
	CHECK_EQ(page_offset_of(a), 0);
	CHECK_EQ(page_offset_of(b), 0);
	CHECK_EQ(pp_pages(pp), 2);
	/* any address inside the page finds the same descriptor */
	CHECK(pp_desc(pp, (char *)a + 4095) == pp_desc(pp, a));
	CHECK(pp_desc(pp, b) != pp_desc(pp, a));
	CHECK(pp_page_addr(pp, pp_desc(pp, (char *)b + 100)) == b);
	pp_desc(pp, a)->private = 42;
	CHECK(pp_owns(pp, (char *)a + 7));
	pp_free(pp, a);
	CHECK(!pp_owns(pp, a));
	CHECK_EQ(pp_pages(pp), 1);
	CHECK_EQ(pp_peak(pp), 2);
	/* LIFO reuse, and a cleared descriptor */
	c = pp_alloc(pp);
	CHECK(c == a);
	CHECK_EQ(pp_desc(pp, c)->private, 0);
	/* a limit makes allocation fail */
	pp_set_limit(pp, 2);
	CHECK(pp_alloc(pp) == NULL);
	pp_set_limit(pp, 0);
	pp_free(pp, b);
	pp_free(pp, c);
	CHECK_EQ(pp_pages(pp), 0);
	pp_destroy(pp);
}

TEST(page_provider_capacity_exhausted)
{
	struct page_provider *pp = pp_create(4);
	void *p[4];

	CHECK(pp);
	for (int i = 0; i < 4; i++)
		CHECK((p[i] = pp_alloc(pp)) != NULL);
	CHECK(pp_alloc(pp) == NULL);
	for (int i = 0; i < 4; i++)
		pp_free(pp, p[i]);
	pp_destroy(pp);
}

TEST(page_provider_16k_pages_and_runs)
{
	struct page_provider *pp = pp_create_sized(64, 14);
	char *a, *b, *run, *r2;

	CHECK(pp);
	CHECK_EQ(pp_page_size(pp), 16384);
	CHECK_EQ(pp_page_shift(pp), 14);
	a = pp_alloc(pp);
	b = pp_alloc(pp);
	CHECK(a && b);
	/* aligned to 16 KiB, and every byte of the page finds its descriptor */
	CHECK_EQ(page_offset_sized(a, 16384), 0);
	CHECK_EQ(page_offset_sized(b, 16384), 0);
	CHECK(pp_desc(pp, a + 16383) == pp_desc(pp, a));
	CHECK(pp_desc(pp, a + 16384) != pp_desc(pp, a));
	CHECK(pp_page_addr(pp, pp_desc(pp, b + 9000)) == b);
	a[16383] = 1; /* the whole page is usable */
	/* a run of 3 contiguous pages: 3 pages in use, each owned */
	run = pp_alloc_run(pp, 3);
	CHECK(run);
	CHECK_EQ(page_offset_sized(run, 16384), 0);
	CHECK_EQ(pp_pages(pp), 5);
	for (int i = 0; i < 3; i++) {
		CHECK(pp_owns(pp, run + i * 16384 + 5));
		CHECK(pp_page_addr(pp, pp_desc(pp, run + i * 16384)) == run + i * 16384);
	}
	memset(run, 0x5a, 3 * 16384);
	pp_free_run(pp, run, 3);
	CHECK_EQ(pp_pages(pp), 2);
	CHECK(!pp_owns(pp, run + 16384));
	/* a freed run is handed out again for a run of the same length */
	r2 = pp_alloc_run(pp, 3);
	CHECK(r2 == run);
	/* a limit counts every page of a run */
	pp_set_limit(pp, 6);
	CHECK(pp_alloc_run(pp, 2) == NULL);
	CHECK(pp_alloc(pp) != NULL);
	pp_set_limit(pp, 0);
	CHECK(pp_alloc_run(pp, 0) == NULL);
	CHECK(pp_alloc_run(pp, PP_RUN_MAX + 1) == NULL);
	CHECK_EQ(pp_peak(pp), 6);
	pp_destroy(pp);
	/* only 4 KiB .. 64 KiB pages */
	CHECK(pp_create_sized(4, 11) == NULL);
	CHECK(pp_create_sized(4, 17) == NULL);
}

TEST(page_provider_runs_exhaust_the_reservation)
{
	struct page_provider *pp = pp_create_sized(8, 16);
	void *r, *p;

	CHECK(pp);
	CHECK_EQ(page_offset_sized(r = pp_alloc_run(pp, 6), 65536), 0);
	CHECK(pp_alloc_run(pp, 3) == NULL); /* 6 + 3 > 8 */
	CHECK((p = pp_alloc_run(pp, 2)) != NULL);
	CHECK(pp_alloc(pp) == NULL);
	pp_free_run(pp, r, 6);
	pp_free_run(pp, p, 2);
	CHECK_EQ(pp_pages(pp), 0);
	pp_destroy(pp);
}

TEST(zpool_page_size_of_specs)
{
	static const struct {
		const char *spec;
		size_t page, max; /* max: the largest object, 0: the page */
	} cases[] = {
		{ "zbud", 4096, 3968 },
		{ "zbud:page=16384", 16384, 15872 },
		{ "zsmalloc:page=65536", 65536, 0 },
		{ "z3fold:kernel=6.1,page=16384", 16384, 0 },
		{ "ideal:page=16384", 16384, 65536 },
		{ "malloc:page=65536", 65536, 65536 },
		{ "zblock:page=16384", 16384, 16359 },
		{ "zblock", 4096, 4079 },
		{ "zblock:table=pow2", 4096, 0 },
		{ "zsmalloc:mp=2", 4096, 16384 },
		{ "zsmalloc:mp=4", 4096, 65536 },
	};
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct zpool *zp = zpool_create(cases[i].spec, NULL, err, sizeof(err));
		unsigned long h;

		CHECK(zp);
		CHECK_EQ(zpool_page_size(zp), cases[i].page);
		CHECK_EQ(zpool_cfg_page_size(&zp->cfg), cases[i].page);
		CHECK(zpool_cfg_page_set(&zp->cfg) == (cases[i].page != 4096));
		/*
		 * at most a page is the largest request a kernel design takes
		 * (zbud: the page less two chunks; zblock's later table: its
		 * largest slot less one); zsmalloc:mp takes its unit; the
		 * references take 64 KiB at any page size; above max_size(),
		 * -ENOSPC
		 */
		CHECK_EQ(zpool_max_size(zp), cases[i].max ? cases[i].max : cases[i].page);
		CHECK_EQ(zpool_malloc(zp, zpool_max_size(zp) + 1, &h), -ENOSPC);
		zpool_destroy(zp);
	}
	/* only the page sizes kernels build with */
	CHECK(zpool_create("zbud:page=8192", NULL, err, sizeof(err)) == NULL);
	CHECK_STR(err, "zbud: bad value '8192' for page (valid: 4096|16384|65536)");
}
