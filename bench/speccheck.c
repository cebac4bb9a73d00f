// SPDX-License-Identifier: GPL-2.0-only
/*
 * speccheck.c - see speccheck.h.
 */
#include "speccheck.h"

int spec_check_all(char (*specs)[ZPOOL_SPEC_MAX], int n, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		struct zpool *zp = zpool_create(specs[i], NULL, err, errlen);

		if (!zp)
			return -1;
		zpool_destroy(zp);
	}
	return 0;
}
