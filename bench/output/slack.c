// SPDX-License-Identifier: GPL-2.0-only
/*
 * slack.c - see slack.h.
 */
#include <stdlib.h>
#include <string.h>

#include "output/slack.h"
#include "zpool.h"

#define MAX_CLASSES 512

int slack_estimate(const char *spec, const struct run_sizes *sz, bool zram, struct slack *out)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));
	static uint64_t cls[ZPOOL_PAGE_SIZE_MAX + 1], unit[ZPOOL_PAGE_SIZE_MAX + 1];
	static bool used[ZPOOL_PAGE_SIZE_MAX + 1];
	uint64_t prev = 0;
	int nclasses = 0;
	uint32_t huge, page, bucket;

	memset(out, 0, sizeof(*out));
	if (!zp)
		return -1;
	page = (uint32_t)zpool_page_size(zp);
	bucket = sz->bucket ? sz->bucket : SIZE_BUCKET;
	if (page > ZPOOL_PAGE_SIZE_MAX || (sz->page_size && sz->page_size != page)) {
		zpool_destroy(zp);
		return -1;
	}
	memset(used, 0, sizeof(used));
	huge = zram ? (uint32_t)zpool_huge_size(zp) : 0;
	if (zram && (!huge || huge > page))
		huge = page;
	for (uint32_t s = 1; s <= page; s++) {
		struct zpool_stats st;
		unsigned long h;

		cls[s] = unit[s] = 0;
		if (zpool_malloc(zp, s, &h))
			continue;
		zpool_get_stats(zp, &st);
		unit[s] = zpool_total_pages(zp);
		zpool_free(zp, h);
		cls[s] = st.alloc_bytes;
		if (st.alloc_bytes != prev)
			nclasses++;
		prev = st.alloc_bytes;
	}
	zpool_destroy(zp);
	if (nclasses > MAX_CLASSES)
		return -1;
	for (int b = 0; b < SIZE_NBUCKETS; b++) {
		uint32_t s = b == SIZE_NBUCKETS - 1 ? page : (uint32_t)(b + 1) * bucket - 1;

		if (!sz->count[b])
			continue;
		if (huge && s >= huge)
			s = page;
		if (!cls[s] || unit[s] * page < 2 * cls[s])
			continue; /* refused, or one object per unit: nothing partly filled */
		/* one unit per distinct class: mark the class by its first size */
		while (s > 1 && cls[s - 1] == cls[s])
			s--;
		if (!used[s]) {
			used[s] = true;
			out->classes++;
			out->pages += unit[s];
		}
	}
	return 0;
}
