// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_spec.c - the allocator-spec parser and zpool_split_specs (zpool.h).
 *
 * Any input is refused with one line, or parses to a configuration whose
 * normalised spec parses again to itself with the same values; every spec of
 * a list split from the input is non-empty and within ZPOOL_SPEC_MAX; a spec
 * that parses makes a pool that stores, reads back and frees an object under
 * the checker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "zpool.h"

static void check_msg(const char *err, size_t errlen)
{
	size_t len = strnlen(err, errlen);

	if (len == 0 || len == errlen || strpbrk(err, "\n\r\t\x1b")) {
		fprintf(stderr, "bad message: '%s'\n", err);
		abort();
	}
}

static void check_spec(const char *s)
{
	struct zpool_config cfg, again;
	char err[512];
	struct zcheck *zc;
	unsigned long h;

	if (zpool_parse_spec(s, &cfg, err, sizeof(err))) {
		check_msg(err, sizeof(err));
		return;
	}
	if (zpool_parse_spec(cfg.spec, &again, err, sizeof(err)) || strcmp(cfg.spec, again.spec) ||
	    cfg.drv != again.drv || cfg.nparams != again.nparams)
		abort();
	for (int i = 0; i < cfg.nparams; i++) {
		if (cfg.v[i].ival != again.v[i].ival || strcmp(cfg.v[i].text, again.v[i].text) ||
		    zpool_cfg_int(&cfg, cfg.v[i].param->key) != cfg.v[i].ival)
			abort();
	}
	if (!cfg.drv->create)
		return;
	zc = zcheck_create(cfg.spec, 0, err, sizeof(err));
	if (!zc) {
		/* a valid spec may still be refused by the allocator, with one line */
		check_msg(err, sizeof(err));
		return;
	}
	if (zcheck_malloc(zc, 100, &h) == 0)
		zcheck_free(zc, h);
	zcheck_destroy(zc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[1024], out[8][ZPOOL_SPEC_MAX], err[512];
	int n;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_spec(s);

	n = zpool_split_specs(s, out, 8, err, sizeof(err));
	if (n < 0) {
		check_msg(err, sizeof(err));
		return 0;
	}
	if (n == 0 || n > 8)
		abort();
	for (int i = 0; i < n; i++) {
		size_t len = strnlen(out[i], ZPOOL_SPEC_MAX);

		if (len == 0 || len == ZPOOL_SPEC_MAX)
			abort();
		check_spec(out[i]);
	}
	return 0;
}
