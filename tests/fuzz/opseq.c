// SPDX-License-Identifier: GPL-2.0-only
/*
 * opseq.c - see opseq.h.
 */
#include "opseq.h"
#include "util.h"

const struct opmix opmix_fuzz = {
	.malloc = 30000,
	.free = 50000,
	.access = 61000,
	.compact = 62000,
	.shrink = 63000,
	.limit = 64500,
};

/* about 1 compaction in 40,000 ops, 1 reclaim in 40,000, 1 limit change in 65,536 */
const struct opmix opmix_soak = {
	.malloc = 33000,
	.free = 63600,
	.access = 65530,
	.compact = 65532,
	.shrink = 65534,
	.limit = 65535,
};

static bool src_empty(const struct opsrc *s)
{
	return !s->random && s->n == 0;
}

static uint8_t src_u8(struct opsrc *s)
{
	if (s->random)
		return (uint8_t)rng_next(&s->rng);
	if (!s->n)
		return 0;
	s->n--;
	return *s->p++;
}

static uint16_t src_u16(struct opsrc *s)
{
	if (s->random)
		return (uint16_t)rng_next(&s->rng);
	return src_u8(s) | (uint16_t)src_u8(s) << 8;
}

/*
 * 0..page + 1: every valid size, 0 and the first size above a page.  For a
 * pool that takes objects larger than a page (zsmalloc:mp), one in two
 * draws (bit 1 of the extra byte) covers 0..max + 1 instead.
 */
static size_t malloc_size(struct opsrc *s, size_t page, size_t max)
{
	uint32_t v = src_u16(s);
	size_t lim = page;

	if (max > page) {
		uint8_t b = src_u8(s);

		v |= (uint32_t)(b & 1) << 16;
		if (b & 2)
			lim = max;
	} else if (page + 2 > 0x10000) {
		v |= (uint32_t)(src_u8(s) & 1) << 16;
	}
	return v % (lim + 2);
}

uint64_t opseq_run(struct zcheck *zc, struct opsrc *src, const struct opmix *mix, uint64_t max_ops,
		   size_t max_live)
{
	uint64_t ops = 0;

	while (!src_empty(src) && (!max_ops || ops < max_ops)) {
		uint16_t sel = src_u16(src);
		size_t live = zcheck_live(zc);
		unsigned long h;
		unsigned int got;

		ops++;
		if (sel < mix->malloc && live < max_live) {
			zcheck_malloc(zc,
				      malloc_size(src, zpool_page_size(zcheck_pool(zc)),
						  zpool_max_size(zcheck_pool(zc))),
				      &h);
		} else if (sel < mix->free) {
			uint16_t i = src_u16(src);

			if (live)
				zcheck_free(zc, zcheck_handle(zc, i % live));
		} else if (sel < mix->access) {
			uint16_t i = src_u16(src);
			uint8_t mm = src_u8(src) % 3;

			if (live)
				zcheck_access(zc, zcheck_handle(zc, i % live),
					      (enum zpool_mapmode)mm);
		} else if (sel < mix->compact) {
			zcheck_compact(zc);
		} else if (sel < mix->shrink) {
			zcheck_shrink(zc, 1 + src_u8(src) % 8, &got);
		} else if (sel < mix->limit) {
			uint8_t b = src_u8(src);

			zcheck_set_limit(zc,
					 b & 1 ? 0 : zpool_total_pages(zcheck_pool(zc)) + b / 2 % 8);
		} else {
			zcheck_set_evict_fail(zc, src_u8(src) % 4);
		}
	}
	return ops;
}
