// SPDX-License-Identifier: GPL-2.0-only
/*
 * frontend.c - see frontend.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/frontend.h"
#include "util.h"

/* the calling thread's counter shard */
static __thread unsigned int fe_shard;
/* the calling thread's codec context (for the original of a raw page), or NULL */
static __thread struct codec_ctx *fe_cx;

/* per-thread buffer: the staged compressed bytes (or the raw page), of any page size */
static __thread uint8_t fe_stage[CODEC_BOUND_MAX] __attribute__((aligned(64)));

#define ADD(fe, field, v) __atomic_add_fetch(&(fe)->cs[fe_shard].c.field, (v), __ATOMIC_RELAXED)
#define SUB(fe, field, v) __atomic_sub_fetch(&(fe)->cs[fe_shard].c.field, (v), __ATOMIC_RELAXED)

/* Sum of a counter over the shards (each may have wrapped below zero alone). */
#define GET(fe, field)                                                                 \
	({                                                                             \
		uint64_t sum_ = 0;                                                     \
		for (int k_ = 0; k_ < FE_SHARDS; k_++)                                 \
			sum_ += __atomic_load_n(&(fe)->cs[k_].c.field, __ATOMIC_RELAXED); \
		sum_;                                                                  \
	})

void fe_bind_thread(unsigned int idx)
{
	fe_shard = idx % FE_SHARDS;
}

void fe_bind_codec(struct codec_ctx *cx)
{
	fe_cx = cx;
}

#define ZSWAP_HEADER 8	/* the swap entry in front of the data (LRU-era zswap) */
#define SHRINK_RETRIES 16

/* "64M" -> bytes; -1 on anything else */
static int parse_bytes(const char *s, uint64_t *out)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1, v;

	if (n == 0 || n >= sizeof(num))
		return -1;
	switch (s[n - 1]) {
	case 'K': case 'k': mult = 1ULL << 10; n--; break;
	case 'M': case 'm': mult = 1ULL << 20; n--; break;
	case 'G': case 'g': mult = 1ULL << 30; n--; break;
	}
	memcpy(num, s, n);
	num[n] = '\0';
	if (parse_u64(num, 0, UINT64_MAX / mult, &v))
		return -1;
	*out = v * mult;
	return 0;
}

static int fe_param(struct fe_config *cfg, const char *key, const char *val, char *err,
		    size_t errlen)
{
	uint64_t v;

	if (cfg->kind == FE_ZRAM && !strcmp(key, "mem_limit")) {
		if (parse_bytes(val, &v))
			goto bad;
		cfg->mem_limit_bytes = v;
		cfg->mem_limit_pages = (v + METRICS_PAGE - 1) / METRICS_PAGE;
		return 0;
	}
	if (cfg->kind == FE_ZSWAP && !strcmp(key, "ram")) {
		if (parse_bytes(val, &v) || v < METRICS_PAGE)
			goto bad;
		cfg->ram_bytes = v;
		cfg->ram_pages = v / METRICS_PAGE;
		return 0;
	}
	if (cfg->kind == FE_ZSWAP && !strcmp(key, "max_pool_percent")) {
		if (parse_u64(val, 1, 100, &v))
			goto bad;
		cfg->max_pool_percent = (unsigned int)v;
		return 0;
	}
	if (cfg->kind == FE_ZSWAP && !strcmp(key, "accept_threshold_percent")) {
		if (parse_u64(val, 1, 100, &v))
			goto bad;
		cfg->accept_threshold_percent = (unsigned int)v;
		return 0;
	}
	snprintf(err, errlen, "front end: unknown key '%s' (valid: %s)", key, FE_VALID);
	return -1;
bad:
	snprintf(err, errlen, "front end: bad value '%s' for %s (valid: %s)", val, key, FE_VALID);
	return -1;
}

int fe_parse(const char *spec, struct fe_config *cfg, char *err, size_t errlen)
{
	char buf[sizeof(cfg->spec)], *params, *tok, *save;
	size_t off;

	memset(cfg, 0, sizeof(*cfg));
	cfg->max_pool_percent = 20;
	cfg->accept_threshold_percent = 90;
	if (!spec || strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "front end: bad spec (valid: %s)", FE_VALID);
		return -1;
	}
	strcpy(buf, spec);
	params = strchr(buf, ':');
	if (params)
		*params++ = '\0';
	if (!strcmp(buf, "zram"))
		cfg->kind = FE_ZRAM;
	else if (!strcmp(buf, "zswap"))
		cfg->kind = FE_ZSWAP;
	else if (!strcmp(buf, "none"))
		cfg->kind = FE_NONE;
	else {
		snprintf(err, errlen, "unknown front end '%s' (valid: %s)", buf, FE_VALID);
		return -1;
	}
	off = snprintf(cfg->spec, sizeof(cfg->spec), "%s", buf);
	if (!params)
		return 0;
	if (!*params) {
		snprintf(err, errlen, "front end: empty parameter list after ':' (valid: %s)",
			 FE_VALID);
		return -1;
	}
	for (tok = strtok_r(params, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), seen[sizeof(cfg->spec) + 2];

		if (!eq) {
			snprintf(err, errlen, "front end: '%s' needs a value: KEY=VALUE (valid: %s)",
				 tok, FE_VALID);
			return -1;
		}
		*eq = '\0';
		/* a repeated key is refused, as in allocator specs ("KEY=" in what came before) */
		snprintf(seen, sizeof(seen), "%s=", tok);
		for (const char *k = cfg->spec; (k = strstr(k, seen)); k++) {
			if (k[-1] == ':' || k[-1] == ',') {
				snprintf(err, errlen, "front end: key '%s' given twice in '%s'", tok,
					 spec);
				return -1;
			}
		}
		if (fe_param(cfg, tok, eq + 1, err, errlen))
			return -1;
		off += snprintf(cfg->spec + off, sizeof(cfg->spec) - off, "%c%s=%s",
				off == strlen(buf) ? ':' : ',', tok, eq + 1);
		if (off >= sizeof(cfg->spec))
			off = sizeof(cfg->spec) - 1;
	}
	return 0;
}

/*
 * What a stored page counts in compressed_bytes: the codec's output, at most
 * a page (a page that does not compress is a page whoever stores it), never
 * the raw copy or zswap's header the allocator was handed (its overhead).
 */
static uint32_t codec_bytes(const struct frontend *fe, uint32_t page)
{
	uint32_t len = fe->ps->pg[page].len;

	return len < fe->page ? len : (uint32_t)fe->page;
}

/* The bytes a slot's object holds: header, then the compressed or the raw page. */
static size_t slot_len(const struct frontend *fe, const struct fe_slot *s)
{
	return fe->hlen + (s->raw ? fe->page : fe->ps->pg[s->page].len);
}

static pthread_mutex_t *slot_lock(struct frontend *fe, uint64_t slot)
{
	return &fe->stripe[slot % FE_STRIPES].m;
}

static void fe_fail(struct frontend *fe, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fe_fail(struct frontend *fe, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&fe->err_lock);
	if (!fe->failed) {
		va_start(ap, fmt);
		vsnprintf(fe->err, sizeof(fe->err), fmt, ap);
		va_end(ap);
		__atomic_store_n(&fe->failed, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&fe->err_lock);
}

/* The stored bytes of a slot read back right? @src is the mapped object. */
static bool content_ok(const struct frontend *fe, const struct fe_slot *s, const uint8_t *src)
{
	const struct cpage *cp = &fe->ps->pg[s->page];

	if (s->raw)
		return pageset_is_page(fe->ps, s->page, src + fe->hlen);
	return !pageset_data(fe->ps, s->page, fe_stage) && !memcmp(src + fe->hlen, fe_stage, cp->len);
}

/*
 * zswap's writeback of the LRU era: the header names the swap slot; the
 * object is "written to swap" (its bytes checked against what was stored)
 * and freed.  -ENOENT when the slot no longer holds this object (it was
 * freed or is being stored right now), as zswap finds no tree entry.
 */
static int fe_evict(void *ctx, unsigned long handle)
{
	struct frontend *fe = ctx;
	const uint8_t *src;
	struct fe_slot *s;
	uint64_t id;
	bool ok;

	if (!fe->hlen)
		return -EINVAL;
	src = zpool_map(fe->zp, handle, ZPOOL_MM_RO);
	memcpy(&id, src, sizeof(id));
	if (id >= fe->nslots) {
		zpool_unmap(fe->zp, handle);
		return -ENOENT;
	}
	pthread_mutex_lock(slot_lock(fe, id));
	s = &fe->slots[id];
	if (s->state != SLOT_OBJ || s->handle != handle) {
		pthread_mutex_unlock(slot_lock(fe, id));
		zpool_unmap(fe->zp, handle);
		return -ENOENT;
	}
	ok = content_ok(fe, s, src);
	zpool_unmap(fe->zp, handle);
	if (!ok)
		fe_fail(fe, "data mismatch: slot %llu (corpus page %u) read back wrong at writeback",
			(unsigned long long)id, s->page);
	zpool_free(fe->zp, handle);
	s->state = SLOT_WRITTEN_BACK;
	s->handle = 0;
	SUB(fe, stored, 1);
	SUB(fe, compressed_bytes, codec_bytes(fe, s->page));
	ADD(fe, written_back, 1);
	pthread_mutex_unlock(slot_lock(fe, id));
	return 0;
}

struct frontend *fe_create(const struct fe_config *cfg, const char *alloc_spec,
			   const struct pageset *ps, uint64_t nslots, char *err, size_t errlen)
{
	size_t size = (sizeof(struct frontend) + 63) / 64 * 64;
	struct frontend *fe = aligned_alloc(64, size);
	struct zpool_evict_ops ops;

	if (fe)
		memset(fe, 0, size);
	if (!fe || !(fe->slots = table_alloc(nslots * sizeof(*fe->slots)))) {
		free(fe);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fe->cfg = *cfg;
	fe->model_clock = getenv("ZPB_TEST_MODEL_CLOCK") != NULL;
	fe->ps = ps;
	fe->nslots = nslots;
	for (int i = 0; i < FE_STRIPES; i++)
		pthread_mutex_init(&fe->stripe[i].m, NULL);
	pthread_mutex_init(&fe->shrink_lock, NULL);
	pthread_mutex_init(&fe->err_lock, NULL);
	ops.evict = fe_evict;
	ops.ctx = fe;
	fe->zp = zpool_create(alloc_spec, cfg->kind == FE_ZSWAP ? &ops : NULL, err, errlen);
	/* a pool stores the pages of its own size (or units it can hold): others are refused */
	if (fe->zp && cfg->unit && (ps->page != cfg->unit || zpool_max_size(fe->zp) < cfg->unit)) {
		snprintf(err, errlen, "%s holds objects up to %zu B; --unit of %u B needs one that "
			 "holds %u B", fe->zp->cfg.spec, zpool_max_size(fe->zp), cfg->unit, cfg->unit);
		zpool_destroy(fe->zp);
		fe->zp = NULL;
	} else if (fe->zp && !cfg->unit && zpool_page_size(fe->zp) != ps->page) {
		snprintf(err, errlen, "%s: a pool of %zu-byte pages, but the pages of %s are %u bytes",
			 fe->zp->cfg.spec, zpool_page_size(fe->zp), ps->corpus->name, ps->page);
		zpool_destroy(fe->zp);
		fe->zp = NULL;
	}
	if (!fe->zp) {
		table_free(fe->slots, fe->nslots * sizeof(*fe->slots));
		free(fe);
		return NULL;
	}
	fe->pool_page = zpool_page_size(fe->zp);
	fe->page = cfg->unit ? cfg->unit : fe->pool_page;
	fe->cfg.mem_limit_pages = (cfg->mem_limit_bytes + fe->pool_page - 1) / fe->pool_page;
	fe->cfg.ram_pages = cfg->ram_bytes / fe->pool_page;
	if (cfg->ram_bytes && !fe->cfg.ram_pages)
		fe->cfg.ram_pages = 1; /* less RAM than a page: a limit of one page, not none */
	if (cfg->kind == FE_ZRAM) {
		fe->huge = fe->page > fe->pool_page ? zpool_huge_size_unit(fe->zp, fe->page)
						    : zpool_huge_size(fe->zp);
		if (!fe->huge || fe->huge > fe->page)
			fe->huge = fe->page;
	}
	/* 6.1: the header only for pools that can evict (zpool_evictable) */
	if (cfg->kind == FE_ZSWAP && zpool_can_shrink(fe->zp))
		fe->hlen = ZSWAP_HEADER;
	return fe;
}

void fe_destroy(struct frontend *fe)
{
	if (!fe)
		return;
	for (uint64_t i = 0; i < fe->nslots; i++)
		if (fe->slots[i].state == SLOT_OBJ)
			zpool_free(fe->zp, fe->slots[i].handle);
	zpool_destroy(fe->zp);
	for (int i = 0; i < FE_STRIPES; i++)
		pthread_mutex_destroy(&fe->stripe[i].m);
	pthread_mutex_destroy(&fe->shrink_lock);
	pthread_mutex_destroy(&fe->err_lock);
	table_free(fe->slots, fe->nslots * sizeof(*fe->slots));
	free(fe);
}

static uint64_t zswap_limit_pages(const struct frontend *fe)
{
	return fe->cfg.ram_pages * fe->cfg.max_pool_percent / 100;
}

static bool zswap_is_full(struct frontend *fe)
{
	return zswap_limit_pages(fe) < zpool_total_pages(fe->zp);
}

static bool zswap_can_accept(struct frontend *fe)
{
	return zpool_total_pages(fe->zp) <
	       zswap_limit_pages(fe) * fe->cfg.accept_threshold_percent / 100;
}

/* The 6.1 shrink worker, run synchronously: evict a page at a time. */
static void zswap_shrink_worker(struct frontend *fe)
{
	int failures = 0;

	if (!zpool_can_shrink(fe->zp) || pthread_mutex_trylock(&fe->shrink_lock))
		return;
	do {
		int ret = zpool_shrink(fe->zp, 1, NULL);

		if (ret) {
			ADD(fe, reclaim_fail, 1);
			if (ret != -EAGAIN || ++failures == SHRINK_RETRIES)
				break;
		}
	} while (!zswap_can_accept(fe) && !zpb_interrupted);
	pthread_mutex_unlock(&fe->shrink_lock);
}

/* zswap's pool-limit gate: true if the store may go on. */
static bool zswap_gate(struct frontend *fe)
{
	if (!fe->cfg.ram_pages)
		return true;
	if (zswap_is_full(fe)) {
		ADD(fe, pool_limit_hit, 1);
		__atomic_store_n(&fe->reached_full, 1, __ATOMIC_RELAXED);
		goto shrink;
	}
	if (__atomic_load_n(&fe->reached_full, __ATOMIC_RELAXED)) {
		if (!zswap_can_accept(fe))
			goto shrink;
		__atomic_store_n(&fe->reached_full, 0, __ATOMIC_RELAXED);
	}
	return true;
shrink:
	zswap_shrink_worker(fe);
	return false;
}

static int reject(struct frontend *fe, struct fe_slot *s, int why)
{
	ADD(fe, rejected, 1);
	if (why == -ENOSPC)
		ADD(fe, rej_poor, 1);
	else if (why == -EBUSY)
		ADD(fe, rej_limit, 1);
	else
		ADD(fe, rej_alloc, 1);
	s->state = SLOT_REJECTED;
	return SLOT_REJECTED;
}

/*
 * Bring what a store of @cp will copy into the per-thread buffer: the raw
 * page for zram's huge pages, else the compressed bytes; the word of a
 * same-filled page into *word.  0, or -1 on an I/O error.
 */
static int stage(struct frontend *fe, const struct cpage *cp, uint32_t page, uint64_t *word)
{
	if (fe->cfg.kind != FE_NONE && cp->same) {
		*word = cp->sum; /* a same-filled page's record holds its word */
		return 0;
	}
	if (fe->cfg.kind == FE_ZRAM && cp->len >= fe->huge) {
		if (pageset_page(fe->ps, page, fe_cx, fe_stage)) {
			if (!errno)
				errno = EIO;
			return -1;
		}
		return 0;
	}
	if (cp->len > fe->page)
		return 0; /* refused below, never copied */
	return pageset_data(fe->ps, page, fe_stage);
}

/* The model clock's cost of an operation on @len bytes that changed the pool by @dpages. */
static uint64_t model_ns(size_t len, uint64_t before, uint64_t after)
{
	uint64_t d = after > before ? after - before : before - after;

	return 60 + len / 16 + 900 * d;
}

int fe_store(struct frontend *fe, uint64_t slot, uint32_t page, struct fe_lat *lat)
{
	const struct cpage *cp = &fe->ps->pg[page];
	struct fe_slot *s = &fe->slots[slot];
	uint64_t t0, t1, t2, word = 0, pages0 = 0;
	size_t len = cp->len;
	unsigned long handle;
	uint8_t *dst;
	bool raw = false;
	int ret;

	lat->alloc_ns = lat->e2e_ns = 0;
	if (stage(fe, cp, page, &word)) {
		fe_fail(fe, "cannot read page %u of %s (%s) back from %s: %s", page,
			fe->ps->corpus->name, fe->ps->codec.name,
			fe->ps->cache_path[0] ? fe->ps->cache_path : "the temporary file",
			strerror(errno));
		s->state = SLOT_EMPTY;
		return SLOT_EMPTY;
	}
	t0 = now_ns();
	ADD(fe, pages, 1);
	s->page = page;
	s->handle = 0;
	if (fe->cfg.kind == FE_ZSWAP && !zswap_gate(fe))
		return reject(fe, s, -EBUSY);
	if (fe->cfg.kind != FE_NONE && cp->same) {
		ADD(fe, same_filled, 1);
		pthread_mutex_lock(slot_lock(fe, slot));
		s->handle = (unsigned long)word;
		s->state = SLOT_SAME;
		pthread_mutex_unlock(slot_lock(fe, slot));
		return SLOT_SAME;
	}
	if (fe->cfg.kind == FE_ZRAM && len >= fe->huge) {
		raw = true;
		len = fe->page;
	} else if (len > fe->page) {
		return reject(fe, s, -ENOSPC);
	}

	if (fe->model_clock)
		pages0 = zpool_total_pages(fe->zp);
	t1 = now_ns();
	ret = zpool_malloc(fe->zp, len + fe->hlen, &handle);
	if (ret)
		return reject(fe, s, ret == -ENOSPC ? -ENOSPC : -ENOMEM);
	dst = zpool_map(fe->zp, handle, ZPOOL_MM_WO);
	if (fe->hlen)
		memcpy(dst, &slot, sizeof(slot));
	memcpy(dst + fe->hlen, fe_stage, len);
	zpool_unmap(fe->zp, handle);
	t2 = now_ns();

	if (fe->cfg.kind == FE_ZRAM && fe->cfg.mem_limit_pages &&
	    zpool_total_pages(fe->zp) > fe->cfg.mem_limit_pages) {
		zpool_free(fe->zp, handle);
		ADD(fe, pool_limit_hit, 1); /* zram found the pool full, as zswap counts it */
		return reject(fe, s, -EBUSY);
	}
	pthread_mutex_lock(slot_lock(fe, slot));
	s->handle = handle;
	s->raw = raw;
	s->state = SLOT_OBJ;
	pthread_mutex_unlock(slot_lock(fe, slot));
	ADD(fe, stored, 1);
	ADD(fe, compressed_bytes, codec_bytes(fe, page));
	if (raw)
		ADD(fe, huge, 1);
	lat->alloc_ns = t2 - t1;
	lat->e2e_ns = now_ns() - t0 + cp->comp_ns;
	if (fe->model_clock) {
		lat->alloc_ns = model_ns(len, pages0, zpool_total_pages(fe->zp));
		lat->e2e_ns = lat->alloc_ns + len;
	}
	return SLOT_OBJ;
}

/*
 * A read of one pool page out of the unit in @s (the page at @slot modulo
 * the pages per unit), under the slot's lock: map, decompress the whole
 * unit into @buf (zram's partial read of a multi-page object), copy the
 * page out, unmap; of a raw unit only the page is copied on the clock, the
 * rest of it after (for the check).  @buf ends up holding the whole unit.
 */
static void unit_read(struct frontend *fe, const struct fe_slot *s, uint64_t slot,
		      struct codec_ctx *cx, uint8_t *buf, int *dret, struct fe_lat *lat)
{
	static __thread uint8_t out[ZPOOL_PAGE_SIZE_MAX];
	size_t off = (slot % (fe->page / fe->pool_page)) * fe->pool_page;
	uint64_t t0, t1, t2, t3, t4;
	const uint8_t *src;

	t0 = now_ns();
	src = zpool_map(fe->zp, s->handle, ZPOOL_MM_RO);
	t1 = now_ns();
	if (s->raw) {
		memcpy(out, src + fe->hlen + off, fe->pool_page);
		t2 = now_ns();
		memcpy(buf, src + fe->hlen, fe->page);
	} else {
		*dret = codec_decompress_buf(cx, src + fe->hlen, slot_len(fe, s) - fe->hlen, buf,
					     fe->page);
		memcpy(out, buf + off, fe->pool_page);
		t2 = now_ns();
	}
	t3 = now_ns();
	zpool_unmap(fe->zp, s->handle);
	t4 = now_ns();
	lat->alloc_ns = (t1 - t0) + (t4 - t3);
	lat->e2e_ns = (t2 - t0) + (t4 - t3);
	if (!*dret && memcmp(out, buf + off, fe->pool_page))
		*dret = -1;
	if (fe->model_clock) {
		lat->alloc_ns = model_ns(slot_len(fe, s) / 4, 0, 0);
		lat->e2e_ns = lat->alloc_ns + (s->raw ? fe->pool_page : fe->page);
	}
}

int fe_load(struct frontend *fe, uint64_t slot, struct codec_ctx *cx, uint8_t *buf,
	    struct fe_lat *lat)
{
	struct fe_slot *s = &fe->slots[slot];
	const uint8_t *src;
	uint64_t t0, t1, t2, t3;
	uint64_t hdr = slot, word;
	uint32_t page;
	int dret = 0;

	lat->alloc_ns = lat->e2e_ns = 0;
	pthread_mutex_lock(slot_lock(fe, slot));
	page = s->page;
	if (s->state == SLOT_SAME) {
		word = s->handle;
		pthread_mutex_unlock(slot_lock(fe, slot));
		if (word != fe->ps->pg[page].sum)
			goto mismatch;
		return 0;
	}
	if (s->state != SLOT_OBJ) {
		/* rejected or written back: the page lives on the backing device */
		pthread_mutex_unlock(slot_lock(fe, slot));
		return 0;
	}
	if (fe->page > fe->pool_page) {
		unit_read(fe, s, slot, cx, buf, &dret, lat);
		pthread_mutex_unlock(slot_lock(fe, slot));
		goto check;
	}
	t0 = now_ns();
	src = zpool_map(fe->zp, s->handle, ZPOOL_MM_RO);
	t1 = now_ns();
	if (fe->hlen)
		memcpy(&hdr, src, sizeof(hdr));
	if (s->raw)
		memcpy(buf, src + fe->hlen, fe->page);
	else
		dret = codec_decompress_buf(cx, src + fe->hlen, slot_len(fe, s) - fe->hlen, buf,
					    fe->page);
	t2 = now_ns();
	zpool_unmap(fe->zp, s->handle);
	t3 = now_ns();
	pthread_mutex_unlock(slot_lock(fe, slot));
	lat->alloc_ns = (t1 - t0) + (t3 - t2);
	lat->e2e_ns = t3 - t0;
	if (fe->model_clock) {
		size_t len = slot_len(fe, s);

		lat->alloc_ns = model_ns(len / 4, 0, 0);
		lat->e2e_ns = lat->alloc_ns + len;
	}
check:
	/* the check, off the clock: the original page's record (its XXH3-64) */
	if (dret || hdr != slot || !pageset_is_page(fe->ps, page, buf))
		goto mismatch;
	return 0;
mismatch:
	fe_fail(fe, "data mismatch: slot %llu (corpus page %u of %s, %s, %s) read back wrong",
		(unsigned long long)slot, page, fe->ps->corpus->name, fe->ps->codec.name,
		fe->zp->cfg.spec);
	return -1;
}

void fe_free(struct frontend *fe, uint64_t slot, struct fe_lat *lat)
{
	struct fe_slot *s = &fe->slots[slot];
	unsigned long handle = 0;
	uint32_t len = 0;
	uint64_t t0;

	lat->alloc_ns = lat->e2e_ns = 0;
	pthread_mutex_lock(slot_lock(fe, slot));
	if (s->state == SLOT_OBJ) {
		handle = s->handle;
		len = codec_bytes(fe, s->page);
		if (s->raw)
			SUB(fe, huge, 1);
	} else if (s->state == SLOT_SAME) {
		SUB(fe, same_filled, 1);
	}
	s->state = SLOT_EMPTY;
	s->handle = 0;
	pthread_mutex_unlock(slot_lock(fe, slot));
	if (!handle)
		return;
	if (fe->model_clock) {
		uint64_t pages0 = zpool_total_pages(fe->zp);

		zpool_free(fe->zp, handle);
		lat->alloc_ns = lat->e2e_ns = model_ns(0, pages0, zpool_total_pages(fe->zp));
	} else {
		t0 = now_ns();
		zpool_free(fe->zp, handle);
		lat->alloc_ns = lat->e2e_ns = now_ns() - t0;
	}
	SUB(fe, stored, 1);
	SUB(fe, compressed_bytes, len);
}

void fe_reset_counters(struct frontend *fe)
{
	struct zpool_stats st;

	memset(fe->cs, 0, sizeof(fe->cs));
	__atomic_store_n(&fe->reached_full, 0, __ATOMIC_RELAXED);
	zpool_get_stats(fe->zp, &st);
	fe->copy_base = st.copy_bytes;
	fe->moves_base = st.moves;
}

void fe_snapshot(struct frontend *fe, struct raw_counts *r)
{
	struct zpool_stats st;

	r->pages = GET(fe, pages);
	r->same_filled = GET(fe, same_filled);
	r->stored = GET(fe, stored);
	r->huge = GET(fe, huge);
	r->compressed_bytes = GET(fe, compressed_bytes);
	r->rejected = GET(fe, rejected);
	r->rej_poor = GET(fe, rej_poor);
	r->rej_limit = GET(fe, rej_limit);
	r->rej_alloc = GET(fe, rej_alloc);
	r->written_back = GET(fe, written_back);
	r->pool_limit_hit = GET(fe, pool_limit_hit);
	zpool_get_stats(fe->zp, &st);
	r->pool_pages = zpool_total_pages(fe->zp);
	r->page_size = zpool_page_size(fe->zp);
	r->unit_bytes = fe->page > fe->pool_page ? fe->page : 0;
	r->peak_pages = st.peak_pages > r->pool_pages ? st.peak_pages : r->pool_pages;
	r->metadata_bytes = st.metadata_bytes;
	r->straddling = st.straddling;
	r->copy_bytes = st.copy_bytes - fe->copy_base;
	r->moves = st.moves - fe->moves_base;
}
