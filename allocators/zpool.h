/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * zpool.h - the one interface every allocator port implements.
 *
 * It mirrors the kernel's zpool_driver of the LRU era (v4.x - v6.4): a
 * front end (zswap, zram, or zpoolbench's driver) never knows which
 * allocator it talks to.  Each allocator fills one struct zpool_driver and
 * registers it with ZPOOL_DRIVER_REGISTER(); nothing outside allocators/
 * contains allocator-specific code.
 *
 * Allocator specs are strings "NAME[:key=value,...]", e.g. "zbud",
 * "z3fold:compaction=extra", "zsmalloc:chain=4".  Every driver declares the
 * keys it accepts in a table of struct zpool_param; zpool_create() parses
 * and validates the spec against that table (unknown names, keys and values
 * are refused with a message listing the valid ones) before the driver's
 * create() sees a fully resolved struct zpool_config.
 *
 * Return conventions follow the kernel: malloc returns 0 and a handle, or
 * -EINVAL (size 0), -ENOSPC (size can never fit this allocator), -ENOMEM (no
 * page could be had).  Handles are opaque unsigned longs, never 0.
 */
#ifndef ZPB_ZPOOL_H
#define ZPB_ZPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Page sizes.  Every allocator takes "page=4096|16384[|65536]" in its spec
 * (the kernel's PAGE_SIZE, arm64 and ppc64 build with 16 KiB and 64 KiB
 * pages); 4096 is the default everywhere, and ZPOOL_PAGE_SIZE names it.
 * Sizes up to a page are valid requests; pool pages are counted in the
 * pool's own pages (zpool_page_size() converts).
 */
#define ZPOOL_PAGE_SHIFT 12
#define ZPOOL_PAGE_SIZE (1UL << ZPOOL_PAGE_SHIFT)
#define ZPOOL_PAGE_SHIFT_MAX 16
#define ZPOOL_PAGE_SIZE_MAX (1UL << ZPOOL_PAGE_SHIFT_MAX)
/*
 * The largest object any allocator accepts: a page of the largest size, or
 * a multi-page unit (zsmalloc:mp=N, objects compressed from 2^N pages) of
 * at most 64 KiB.  An allocator's own limit is zpool_max_size().
 */
#define ZPOOL_OBJ_SIZE_MAX ZPOOL_PAGE_SIZE_MAX

enum zpool_mapmode {
	ZPOOL_MM_RW = 0, /* copy in on map, copy out on unmap (the default) */
	ZPOOL_MM_RO,	 /* no copy out on unmap */
	ZPOOL_MM_WO,	 /* no copy in on map */
};

/*
 * What an allocator reports about itself.  Counters an allocator does not
 * have stay 0.  pool_pages is the same number total_pages() returns, in
 * pages of the pool's own size (zpool_page_size(): 16 KiB for page=16384); the
 * kernel's figures (zs_get_total_pages, pages_nr) exclude metadata kept
 * outside pool pages, which is reported separately in metadata_bytes.
 */
struct zpool_stats {
	uint64_t objects;	 /* live objects */
	uint64_t alloc_bytes;	 /* bytes reserved for them, in the allocator's granules */
	uint64_t pool_pages;	 /* pages owned now */
	uint64_t peak_pages;	 /* most pages owned at once */
	uint64_t metadata_bytes; /* memory outside pool pages: handles, zspage structs, slots */
	uint64_t compactions;	 /* compact() calls plus in-page compactions done */
	uint64_t compact_pages_freed; /* pages freed by compaction, cumulative */
	uint64_t moves;		      /* objects moved (in-page or between pages) */
	uint64_t move_bytes;	      /* bytes moved by those moves */
	uint64_t straddling;	      /* live objects crossing a page boundary (zsmalloc) */
	uint64_t copy_bytes;	      /* bytes copied by map/unmap of straddling objects */
	uint64_t evictions;	      /* objects written back through the evict callback */
};

/* The front end's writeback hook of the LRU era (zswap's zpool_ops.evict). */
struct zpool_evict_ops {
	/* Write @handle back and zpool_free() it; 0 on success. */
	int (*evict)(void *ctx, unsigned long handle);
	void *ctx;
};

/*
 * One accepted key of a spec.  @values is either a '|' separated list of
 * the accepted words ("none|middle|extra|gated"), or NULL for an integer in
 * [@min, @max].  @def is the default as text.
 */
struct zpool_param {
	const char *key;
	const char *values;
	long min, max;
	const char *def;
	const char *help;
};

/* A piece of an object in pool memory (see zpool_driver.locate). */
struct zpool_extent {
	void *addr;
	size_t len;
};

struct page_provider;

#define ZPOOL_MAX_PARAMS 16
#define ZPOOL_SPEC_MAX 256

struct zpool_config {
	const struct zpool_driver *drv;
	int nparams;
	struct zpool_config_value {
		const struct zpool_param *param;
		char text[32]; /* value as given (or the default) */
		long ival;     /* integer value, or the word's index in @values */
		bool set;      /* given explicitly in the spec */
	} v[ZPOOL_MAX_PARAMS];
	char spec[ZPOOL_SPEC_MAX]; /* normalised spec: name + explicit keys */
};

struct zpool_driver {
	const char *name;
	const char *summary;
	const struct zpool_param *params; /* terminated by a NULL key; may be NULL */
	int order;			  /* position in listings */

	/* Returns the pool, or NULL with a message in @err. */
	void *(*create)(const struct zpool_config *cfg, const struct zpool_evict_ops *ops,
			char *err, size_t errlen);
	void (*destroy)(void *pool);
	int (*malloc)(void *pool, size_t size, unsigned long *handle);
	void (*free)(void *pool, unsigned long handle);
	void *(*map)(void *pool, unsigned long handle, enum zpool_mapmode mm);
	void (*unmap)(void *pool, unsigned long handle);
	/* Pages freed; may be NULL for allocators that never move objects. */
	unsigned long (*compact)(void *pool);
	/* Reclaim of the LRU era: evict until @pages pages are freed. NULL: no reclaim. */
	int (*shrink)(void *pool, unsigned int pages, unsigned int *reclaimed);
	uint64_t (*total_pages)(void *pool);
	void (*stats)(void *pool, struct zpool_stats *st);
	/*
	 * Optional.  Smallest compressed length that a zram front end stores
	 * raw (zsmalloc's huge_class_size); 0 or NULL: no such rule.
	 */
	size_t (*huge_size)(void *pool);
	/*
	 * Optional.  The largest object malloc() accepts (a larger one is
	 * -ENOSPC); NULL: the page size.  Above a page only for designs that
	 * hold objects compressed from several pages (zsmalloc:mp=N).
	 */
	size_t (*max_size)(void *pool);
	/*
	 * Optional.  The huge threshold for an object compressed from a
	 * @unit-byte unit of several pages (zsmalloc:mp's second
	 * huge_class_size): a compressed unit at least this long is stored raw
	 * at @unit bytes by a zram front end.  0 or NULL: no such rule.
	 */
	size_t (*huge_size_unit)(void *pool, size_t unit);
	/* Optional: per-class table in the manner of debugfs (zsmalloc). */
	void (*class_stats)(void *pool, FILE *out);
	/*
	 * Optional: the design's size table for this pool's parameters (chunk
	 * arithmetic, class or block-type table, largest object), as
	 * `zpoolbench list --table SPEC` prints it.
	 */
	void (*size_table)(void *pool, FILE *out);

	/*
	 * Optional, for the integrity checker (check.h).  The page provider
	 * the pool's pages come from; NULL (or no op): the allocator has none
	 * (ideal), and the checker cannot check that objects lie in pool pages.
	 */
	struct page_provider *(*provider)(void *pool);
	/*
	 * Optional, for the checker.  Where the bytes map() shows for @handle
	 * really live: up to @max pieces in pool pages, in object order, their
	 * lengths adding up to at least the object's size (a size class's slot
	 * may be longer: the object is its first bytes); returns the number.
	 * Needed when map() may return a copy (a zsmalloc object straddling two
	 * pages); NULL: map() always returns the object in place.
	 */
	int (*locate)(void *pool, unsigned long handle, struct zpool_extent *ext, int max);
	/*
	 * Optional: specs the checker, the fuzzers and the soak run should
	 * cover beyond those derived from @params (zcheck_specs()), e.g. a
	 * value between an integer key's minimum and maximum, or a key at
	 * another page size.  NULL-terminated.
	 */
	const char *const *check_specs;
};

/* Registration: ZPOOL_DRIVER_REGISTER(zbud_driver) at file scope. */
void zpool_register_driver(const struct zpool_driver *drv);
#define ZPOOL_DRIVER_REGISTER(drv)                                          \
	__attribute__((constructor)) static void zpool_register_##drv(void) \
	{                                                                   \
		zpool_register_driver(&(drv));                              \
	}

const struct zpool_driver *zpool_find_driver(const char *name);
/* Registered drivers in listing order; returns the count. */
int zpool_drivers(const struct zpool_driver **out, int max);
/* "zbud, z3fold, zsmalloc, ideal" into @buf. */
void zpool_driver_names(char *buf, size_t len);

/* Parse and validate @spec.  0, or -EINVAL with one line in @err. */
int zpool_parse_spec(const char *spec, struct zpool_config *cfg, char *err, size_t errlen);
long zpool_cfg_int(const struct zpool_config *cfg, const char *key);
const char *zpool_cfg_str(const struct zpool_config *cfg, const char *key);
bool zpool_cfg_isset(const struct zpool_config *cfg, const char *key);
/*
 * The page size a spec asks for: the value of its "page" key, or 4096 if
 * the driver declares none (a test driver).
 */
size_t zpool_cfg_page_size(const struct zpool_config *cfg);
/* True if the spec gives "page" explicitly. */
bool zpool_cfg_page_set(const struct zpool_config *cfg);

/*
 * Split a comma separated list of specs: "zbud,z3fold:compaction=extra,gap=2"
 * is two specs, since a token with '=' and no ':' continues the previous one.
 * Returns the number of specs written to @out (each ZPOOL_SPEC_MAX bytes), or
 * -EINVAL with a message.
 */
int zpool_split_specs(const char *list, char (*out)[ZPOOL_SPEC_MAX], int max, char *err,
		      size_t errlen);

/* A pool behind the interface. */
struct zpool {
	const struct zpool_driver *drv;
	void *pool;
	struct zpool_config cfg;
	size_t page_size; /* bytes per pool page (zpool_cfg_page_size) */
};

struct zpool *zpool_create(const char *spec, const struct zpool_evict_ops *ops, char *err,
			   size_t errlen);
void zpool_destroy(struct zpool *zp);

static inline int zpool_malloc(struct zpool *zp, size_t size, unsigned long *handle)
{
	return zp->drv->malloc(zp->pool, size, handle);
}

static inline void zpool_free(struct zpool *zp, unsigned long handle)
{
	zp->drv->free(zp->pool, handle);
}

static inline void *zpool_map(struct zpool *zp, unsigned long handle, enum zpool_mapmode mm)
{
	return zp->drv->map(zp->pool, handle, mm);
}

static inline void zpool_unmap(struct zpool *zp, unsigned long handle)
{
	zp->drv->unmap(zp->pool, handle);
}

static inline unsigned long zpool_compact(struct zpool *zp)
{
	return zp->drv->compact ? zp->drv->compact(zp->pool) : 0;
}

static inline bool zpool_can_shrink(const struct zpool *zp)
{
	return zp->drv->shrink != NULL;
}

static inline int zpool_shrink(struct zpool *zp, unsigned int pages, unsigned int *reclaimed)
{
	if (!zp->drv->shrink)
		return -22; /* -EINVAL, as zsmalloc's zpool shrink */
	return zp->drv->shrink(zp->pool, pages, reclaimed);
}

static inline uint64_t zpool_total_pages(struct zpool *zp)
{
	return zp->drv->total_pages(zp->pool);
}

/* Bytes per page of the pool: pool_pages and total_pages() count these. */
static inline size_t zpool_page_size(const struct zpool *zp)
{
	return zp->page_size ? zp->page_size : ZPOOL_PAGE_SIZE;
}

static inline size_t zpool_huge_size(struct zpool *zp)
{
	return zp->drv->huge_size ? zp->drv->huge_size(zp->pool) : 0;
}

/* The largest object malloc() accepts: the driver's max_size, or a page. */
static inline size_t zpool_max_size(const struct zpool *zp)
{
	return zp->drv->max_size ? zp->drv->max_size(zp->pool) : zpool_page_size(zp);
}

/*
 * The zram huge threshold for objects compressed from @unit bytes: the
 * page's (zpool_huge_size) for a unit of one page, the driver's
 * huge_size_unit otherwise; 0: none.
 */
static inline size_t zpool_huge_size_unit(struct zpool *zp, size_t unit)
{
	if (unit == zpool_page_size(zp))
		return zpool_huge_size(zp);
	return zp->drv->huge_size_unit ? zp->drv->huge_size_unit(zp->pool, unit) : 0;
}

void zpool_get_stats(struct zpool *zp, struct zpool_stats *st);

#endif /* ZPB_ZPOOL_H */
