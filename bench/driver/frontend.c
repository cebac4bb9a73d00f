// SPDX-License-Identifier: GPL-2.0-only
/*
 * frontend.c - see frontend.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "driver/frontend.h"
#include "timer.h"
#include "util.h"

/* the calling thread's counter shard */
static __thread unsigned int fe_shard;
/* the calling thread's codec context (for the original of a raw page), or NULL */
static __thread struct codec_ctx *fe_cx;

/* per-thread buffer: the staged compressed bytes (or the raw page), of any page size */
static __thread uint8_t fe_stage[CODEC_BOUND_MAX] __attribute__((aligned(64)));
/* per-thread buffer: what a load copies out of the pool */
static __thread uint8_t fe_copy[CODEC_BOUND_MAX] __attribute__((aligned(64)));

#define ADD(fe, field, v) __atomic_add_fetch(&(fe)->cs[fe_shard].c.field, (v), __ATOMIC_RELAXED)
#define SUB(fe, field, v) __atomic_sub_fetch(&(fe)->cs[fe_shard].c.field, (v), __ATOMIC_RELAXED)

/* Sum of a counter over the shards (each may have wrapped below zero alone). */
#define GET(fe, field)                                                                    \
	({                                                                                \
		uint64_t sum_ = 0;                                                        \
		for (int k_ = 0; k_ < FE_SHARDS; k_++)                                    \
			sum_ += __atomic_load_n(&(fe)->cs[k_].c.field, __ATOMIC_RELAXED); \
		sum_;                                                                     \
	})

void fe_bind_thread(unsigned int idx)
{
	fe_shard = idx % FE_SHARDS;
}

void fe_bind_codec(struct codec_ctx *cx)
{
	fe_cx = cx;
}

#define ZSWAP_HEADER 8 /* the swap entry in front of the data (LRU-era zswap) */
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
	case 'K':
	case 'k':
		mult = 1ULL << 10;
		n--;
		break;
	case 'M':
	case 'm':
		mult = 1ULL << 20;
		n--;
		break;
	case 'G':
	case 'g':
		mult = 1ULL << 30;
		n--;
		break;
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
	if (cfg->kind == FE_ZSWAP && !strcmp(key, "kernel")) {
		if (!strcmp(val, "6.1"))
			cfg->zswap_kernel = FE_ZSWAP_61;
		else if (!strcmp(val, "6.12"))
			cfg->zswap_kernel = FE_ZSWAP_612;
		else
			goto bad;
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
				snprintf(err, errlen, "front end: key '%s' given twice in '%s'",
					 tok, spec);
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

/* Was page @page stored raw (zram's huge rule)?  The same every time it is stored. */
static bool fe_raw(const struct frontend *fe, uint32_t page)
{
	return fe->cfg.kind == FE_ZRAM && fe->ps->pg[page].len >= fe->huge;
}

/* The bytes handed to the allocator for page @page: raw page or compressed bytes, + header. */
static size_t fe_len(const struct frontend *fe, uint32_t page)
{
	return (fe_raw(fe, page) ? fe->page : fe->ps->pg[page].len) + fe->hlen;
}

static pthread_mutex_t *slot_lock(struct frontend *fe, uint64_t slot)
{
	return &fe->stripe[slot % FE_STRIPES].m;
}

static void fe_fail(struct frontend *fe, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
	uint32_t page = fe_slot_page(s);
	const struct cpage *cp = &fe->ps->pg[page];

	if (fe_raw(fe, page))
		return pageset_is_page(fe->ps, page, src + fe->hlen);
	return !pageset_data(fe->ps, page, fe_stage) && !memcmp(src + fe->hlen, fe_stage, cp->len);
}

/*
 * The object of @slot, its bytes checked (@ok), leaves the pool for the
 * backing device: what both zswap versions' writeback do.  Under the
 * slot's lock.
 */
static void written_back(struct frontend *fe, uint64_t slot, bool ok)
{
	struct fe_slot *s = &fe->slots[slot];

	if (!ok)
		fe_fail(fe, "data mismatch: slot %llu (corpus page %u) read back wrong at writeback",
			(unsigned long long)slot, fe_slot_page(s));
	zpool_free(fe->zp, s->handle);
	fe_slot_set(s, fe_slot_page(s), SLOT_WRITTEN_BACK);
	s->handle = 0;
	SUB(fe, stored, 1);
	SUB(fe, compressed_bytes, codec_bytes(fe, fe_slot_page(s)));
	ADD(fe, written_back, 1);
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
	if (fe_slot_state(s) != SLOT_OBJ || s->handle != handle) {
		pthread_mutex_unlock(slot_lock(fe, id));
		zpool_unmap(fe->zp, handle);
		return -ENOENT;
	}
	ok = content_ok(fe, s, src);
	zpool_unmap(fe->zp, handle);
	written_back(fe, id, ok);
	pthread_mutex_unlock(slot_lock(fe, id));
	return 0;
}

/* ---- zswap as in Linux 6.12 ------------------------------------------------ */

static int reject(struct frontend *fe, struct fe_slot *s, int why);

/*
 * The rules this block implements are in frontend.h; each was measured in
 * a 6.12 guest (docs/oracle-qemu.md, "zswap in 6.12").  With a pool limit
 * the stored slots sit on an LRU list (the kernel's zswap_list_lru): a
 * store goes to the head with its referenced bit set; the shrink worker
 * looks at the tail: a referenced page loses the bit and moves to the head
 * (its second chance), any other is written back.
 */
#define Z612_NIL UINT64_MAX
#define Z612_RETRIES 16 /* the kernel's MAX_RECLAIM_RETRIES */

struct fe_lru {
	uint64_t prev, next; /* towards the head / the tail */
	bool linked, referenced;
};

static bool z612(const struct frontend *fe)
{
	return fe->cfg.kind == FE_ZSWAP && fe->cfg.zswap_kernel == FE_ZSWAP_612;
}

static bool z612_zero_page(const struct cpage *cp)
{
	return cp->same && cp->sum == 0; /* a same-filled page's record holds its word */
}

/* Under lru_lock. */
static void z612_unlink(struct frontend *fe, uint64_t slot)
{
	struct fe_lru *e = &fe->lru[slot];

	if (!e->linked)
		return;
	if (e->prev != Z612_NIL)
		fe->lru[e->prev].next = e->next;
	else
		fe->lru_head = e->next;
	if (e->next != Z612_NIL)
		fe->lru[e->next].prev = e->prev;
	else
		fe->lru_tail = e->prev;
	e->linked = false;
}

/* Under lru_lock. */
static void z612_push_head(struct frontend *fe, uint64_t slot, bool referenced)
{
	struct fe_lru *e = &fe->lru[slot];

	e->prev = Z612_NIL;
	e->next = fe->lru_head;
	if (fe->lru_head != Z612_NIL)
		fe->lru[fe->lru_head].prev = slot;
	else
		fe->lru_tail = slot;
	fe->lru_head = slot;
	e->linked = true;
	e->referenced = referenced;
}

static uint64_t z612_max_pages(const struct frontend *fe)
{
	return fe->cfg.ram_pages * fe->cfg.max_pool_percent / 100;
}

static uint64_t z612_accept_pages(const struct frontend *fe)
{
	return z612_max_pages(fe) * fe->cfg.accept_threshold_percent / 100;
}

/* zswap_check_limits(): true if the pool is full (stores are refused). */
static bool z612_full(struct frontend *fe)
{
	uint64_t cur = zpool_total_pages(fe->zp);

	if (cur >= z612_max_pages(fe)) {
		ADD(fe, pool_limit_hit, 1);
		__atomic_store_n(&fe->reached_full, 1, __ATOMIC_RELAXED);
	} else if (__atomic_load_n(&fe->reached_full, __ATOMIC_RELAXED) &&
		   cur <= z612_accept_pages(fe)) {
		__atomic_store_n(&fe->reached_full, 0, __ATOMIC_RELAXED);
	}
	return __atomic_load_n(&fe->reached_full, __ATOMIC_RELAXED);
}

/*
 * Write back the object of @slot, just taken off the LRU, unless it was
 * freed (and maybe stored again) meanwhile: 0, or -1 if there was none.
 */
static int z612_writeback(struct frontend *fe, uint64_t slot)
{
	struct fe_slot *s = &fe->slots[slot];
	const uint8_t *src;
	bool ok, gone;

	pthread_mutex_lock(slot_lock(fe, slot));
	pthread_mutex_lock(&fe->lru_lock);
	gone = fe_slot_state(s) != SLOT_OBJ || fe->lru[slot].linked;
	pthread_mutex_unlock(&fe->lru_lock);
	if (gone) {
		pthread_mutex_unlock(slot_lock(fe, slot));
		return -1;
	}
	/* "written to swap": its bytes are checked against what was stored */
	src = zpool_map(fe->zp, s->handle, ZPOOL_MM_RO);
	ok = content_ok(fe, s, src);
	zpool_unmap(fe->zp, s->handle);
	written_back(fe, slot, ok);
	pthread_mutex_unlock(slot_lock(fe, slot));
	return 0;
}

/*
 * shrink_worker(): until the pool is at or below the accept threshold, look
 * at the LRU's tail; a look that writes nothing back (a second chance, an
 * empty list) is a failure, and Z612_RETRIES of them end the work.
 */
static void z612_shrink(struct frontend *fe)
{
	int failures = 0;

	if (pthread_mutex_trylock(&fe->shrink_lock))
		return; /* the kernel runs one worker at a time */
	while (zpool_total_pages(fe->zp) > z612_accept_pages(fe) && !zpb_interrupted) {
		uint64_t slot;
		bool second_chance;

		pthread_mutex_lock(&fe->lru_lock);
		slot = fe->lru_tail;
		second_chance = slot != Z612_NIL && fe->lru[slot].referenced;
		if (slot != Z612_NIL) {
			z612_unlink(fe, slot);
			if (second_chance)
				z612_push_head(fe, slot, false);
		}
		pthread_mutex_unlock(&fe->lru_lock);
		if (slot == Z612_NIL || second_chance || z612_writeback(fe, slot)) {
			ADD(fe, reclaim_fail, 1);
			if (++failures == Z612_RETRIES)
				break;
		}
	}
	pthread_mutex_unlock(&fe->shrink_lock);
}

/*
 * The part of a store the 6.12 rules decide before the allocator: the
 * slot's state when they decide it (a zero page, a refusal), or -1 when the
 * page goes on to the allocator.
 */
static int z612_admit(struct frontend *fe, uint64_t slot, const struct cpage *cp)
{
	struct fe_slot *s = &fe->slots[slot];

	if (z612_zero_page(cp)) {
		ADD(fe, same_filled, 1);
		pthread_mutex_lock(slot_lock(fe, slot));
		s->handle = 0; /* the word */
		fe_slot_set(s, fe_slot_page(s), SLOT_SAME);
		pthread_mutex_unlock(slot_lock(fe, slot));
		return SLOT_SAME;
	}
	if (fe->cfg.ram_pages && z612_full(fe)) {
		z612_shrink(fe);
		return reject(fe, s, -EBUSY);
	}
	if (cp->len > zpool_page_size(fe->zp)) {
		ADD(fe, rej_fail, 1);
		return reject(fe, s, -ENOSPC);
	}
	return -1;
}

/* A stored object joins the LRU (with a pool limit only). */
static void z612_stored(struct frontend *fe, uint64_t slot)
{
	if (!fe->lru)
		return;
	pthread_mutex_lock(&fe->lru_lock);
	z612_push_head(fe, slot, true);
	pthread_mutex_unlock(&fe->lru_lock);
}

/* An object leaves the pool other than by writeback. */
static void z612_gone(struct frontend *fe, uint64_t slot)
{
	if (!fe->lru)
		return;
	pthread_mutex_lock(&fe->lru_lock);
	z612_unlink(fe, slot);
	pthread_mutex_unlock(&fe->lru_lock);
}

/* ---- creating and using a front end ----------------------------------------- */

struct frontend *fe_create(const struct fe_config *cfg, const char *alloc_spec,
			   const struct pageset *ps, uint64_t nslots, char *err, size_t errlen)
{
	size_t size = (sizeof(struct frontend) + 63) / 64 * 64;
	struct frontend *fe = aligned_alloc(64, size);
	struct zpool_evict_ops ops;

	if (fe)
		memset(fe, 0, size);
	if (ps->n > FE_MAX_PAGES) {
		free(fe);
		snprintf(err, errlen, "%s: %llu pages; a slot names at most %u", ps->corpus->name,
			 (unsigned long long)ps->n, FE_MAX_PAGES);
		return NULL;
	}
	if (!fe || !(fe->slots = table_alloc(nslots * sizeof(*fe->slots)))) {
		free(fe);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fe->cfg = *cfg;
	fe->model_clock = getenv("ZPB_TEST_MODEL_CLOCK") != NULL;
	fe->ps = ps;
	fe->nslots = nslots;
	timer_init(); /* before any thread takes a timestamp */
	for (int i = 0; i < FE_STRIPES; i++)
		pthread_mutex_init(&fe->stripe[i].m, NULL);
	pthread_mutex_init(&fe->shrink_lock, NULL);
	pthread_mutex_init(&fe->err_lock, NULL);
	pthread_mutex_init(&fe->lru_lock, NULL);
	fe->lru_head = fe->lru_tail = Z612_NIL;
	ops.evict = fe_evict;
	ops.ctx = fe;
	/* 6.12's zswap writes back from its own LRU: no allocator reclaim */
	fe->zp = zpool_create(alloc_spec, cfg->kind == FE_ZSWAP && !z612(fe) ? &ops : NULL, err,
			      errlen);
	/* a pool stores the pages of its own size (or units it can hold): others are refused */
	if (fe->zp && cfg->unit && (ps->page != cfg->unit || zpool_max_size(fe->zp) < cfg->unit)) {
		snprintf(err, errlen,
			 "%s holds objects up to %zu B; --unit of %u B needs one that "
			 "holds %u B",
			 fe->zp->cfg.spec, zpool_max_size(fe->zp), cfg->unit, cfg->unit);
		zpool_destroy(fe->zp);
		fe->zp = NULL;
	} else if (fe->zp && !cfg->unit && zpool_page_size(fe->zp) != ps->page) {
		snprintf(err, errlen,
			 "%s: a pool of %zu-byte pages, but the pages of %s are %u bytes",
			 fe->zp->cfg.spec, zpool_page_size(fe->zp), ps->corpus->name, ps->page);
		zpool_destroy(fe->zp);
		fe->zp = NULL;
	}
	if (fe->zp && z612(fe) && cfg->ram_pages) {
		fe->lru = table_alloc(nslots * sizeof(*fe->lru));
		if (!fe->lru) {
			snprintf(err, errlen, "out of memory");
			zpool_destroy(fe->zp);
			fe->zp = NULL;
		}
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
	/* 6.1: the header only for pools that can evict (zpool_evictable); 6.12: none */
	if (cfg->kind == FE_ZSWAP && !z612(fe) && zpool_can_shrink(fe->zp))
		fe->hlen = ZSWAP_HEADER;
	return fe;
}

void fe_destroy(struct frontend *fe)
{
	if (!fe)
		return;
	for (uint64_t i = 0; i < fe->nslots; i++)
		if (fe_slot_state(&fe->slots[i]) == SLOT_OBJ)
			zpool_free(fe->zp, fe->slots[i].handle);
	zpool_destroy(fe->zp);
	for (int i = 0; i < FE_STRIPES; i++)
		pthread_mutex_destroy(&fe->stripe[i].m);
	pthread_mutex_destroy(&fe->shrink_lock);
	pthread_mutex_destroy(&fe->lru_lock);
	pthread_mutex_destroy(&fe->err_lock);
	if (fe->lru)
		table_free(fe->lru, fe->nslots * sizeof(*fe->lru));
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
	fe_slot_set(s, fe_slot_page(s), SLOT_REJECTED);
	return SLOT_REJECTED;
}

/*
 * Bring what a store of @cp will copy into the per-thread buffer: the raw
 * page for zram's huge pages, else the compressed bytes; the word of a
 * same-filled page into *word.  0, or -1 on an I/O error.
 */
static int stage(struct frontend *fe, const struct cpage *cp, uint32_t page, uint64_t *word)
{
	/* 6.12's zswap compresses same-filled pages; only zero pages stay out */
	if (fe->cfg.kind != FE_NONE && cp->same && (!z612(fe) || z612_zero_page(cp))) {
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
	lat->timed = false;
	if (stage(fe, cp, page, &word)) {
		fe_fail(fe, "cannot read page %u of %s (%s) back from %s: %s", page,
			fe->ps->corpus->name, fe->ps->codec.name,
			fe->ps->cache_path[0] ? fe->ps->cache_path : "the temporary file",
			strerror(errno));
		fe_slot_set(s, page, SLOT_EMPTY);
		return SLOT_EMPTY;
	}
	t0 = timer_ticks();
	ADD(fe, pages, 1);
	fe_slot_set(s, page, SLOT_EMPTY);
	s->handle = 0;
	if (z612(fe)) {
		int st = z612_admit(fe, slot, cp);

		if (st >= 0)
			return st;
	} else if (fe->cfg.kind == FE_ZSWAP && !zswap_gate(fe)) {
		return reject(fe, s, -EBUSY);
	}
	if (fe->cfg.kind != FE_NONE && cp->same && !z612(fe)) {
		ADD(fe, same_filled, 1);
		pthread_mutex_lock(slot_lock(fe, slot));
		s->handle = (unsigned long)word;
		fe_slot_set(s, page, SLOT_SAME);
		pthread_mutex_unlock(slot_lock(fe, slot));
		return SLOT_SAME;
	}
	raw = fe_raw(fe, page); /* the same rule fe_len() applies */
	if (raw)
		len = fe->page;
	else if (len > fe->page)
		return reject(fe, s, -ENOSPC);

	if (fe->model_clock)
		pages0 = zpool_total_pages(fe->zp);
	t1 = timer_ticks();
	ret = zpool_malloc(fe->zp, len + fe->hlen, &handle);
	if (ret)
		return reject(fe, s, ret == -ENOSPC ? -ENOSPC : -ENOMEM);
	dst = zpool_map(fe->zp, handle, ZPOOL_MM_WO);
	if (fe->hlen)
		memcpy(dst, &slot, sizeof(slot));
	memcpy(dst + fe->hlen, fe_stage, len);
	zpool_unmap(fe->zp, handle);
	t2 = timer_ticks();

	if (fe->cfg.kind == FE_ZRAM && fe->cfg.mem_limit_pages &&
	    zpool_total_pages(fe->zp) > fe->cfg.mem_limit_pages) {
		zpool_free(fe->zp, handle);
		ADD(fe, pool_limit_hit, 1); /* zram found the pool full, as zswap counts it */
		return reject(fe, s, -EBUSY);
	}
	pthread_mutex_lock(slot_lock(fe, slot));
	s->handle = handle;
	fe_slot_set(s, page, SLOT_OBJ);
	pthread_mutex_unlock(slot_lock(fe, slot));
	if (z612(fe))
		z612_stored(fe, slot);
	ADD(fe, stored, 1);
	ADD(fe, compressed_bytes, codec_bytes(fe, page));
	if (raw)
		ADD(fe, huge, 1);
	lat->alloc_ns = timer_sample_ns(t1, t2);
	lat->e2e_ns = timer_sample_ns(t0, timer_ticks()) + cp->comp_ns;
	lat->timed = true;
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
	uint32_t page = fe_slot_page(s);
	size_t off = (slot % (fe->page / fe->pool_page)) * fe->pool_page, len = fe_len(fe, page);
	bool raw = fe_raw(fe, page);
	uint64_t t0, t1, t2, t3, t4;
	const uint8_t *src;

	t0 = timer_ticks();
	src = zpool_map(fe->zp, s->handle, ZPOOL_MM_RO);
	t1 = timer_ticks();
	if (raw) {
		memcpy(out, src + fe->hlen + off, fe->pool_page);
		t2 = timer_ticks();
		memcpy(buf, src + fe->hlen, fe->page);
	} else {
		*dret = codec_decompress_buf(cx, src + fe->hlen, len - fe->hlen, buf, fe->page);
		memcpy(out, buf + off, fe->pool_page);
		t2 = timer_ticks();
	}
	t3 = timer_ticks();
	zpool_unmap(fe->zp, s->handle);
	t4 = timer_ticks();
	/* two timed regions, each with the timer's overhead taken off */
	lat->alloc_ns = timer_sample_ns(t0, t1) + timer_sample_ns(t3, t4);
	lat->e2e_ns = timer_sample_ns(t0, t2) + timer_sample_ns(t3, t4);
	lat->timed = true;
	if (!*dret && memcmp(out, buf + off, fe->pool_page))
		*dret = -1;
	if (fe->model_clock) {
		lat->alloc_ns = model_ns(len / 4, 0, 0);
		lat->e2e_ns = lat->alloc_ns + (raw ? fe->pool_page : fe->page);
	}
}

int fe_load(struct frontend *fe, uint64_t slot, struct codec_ctx *cx, uint8_t *buf,
	    struct fe_lat *lat)
{
	struct fe_slot *s = &fe->slots[slot];
	const uint8_t *src;
	uint64_t t0, t1, t2;
	uint64_t hdr = slot, word;
	uint32_t page;
	size_t len;
	int dret = 0;

	lat->alloc_ns = lat->e2e_ns = 0;
	lat->timed = false;
	pthread_mutex_lock(slot_lock(fe, slot));
	page = fe_slot_page(s);
	if (fe_slot_state(s) == SLOT_SAME) {
		word = s->handle;
		pthread_mutex_unlock(slot_lock(fe, slot));
		if (word != fe->ps->pg[page].sum)
			goto mismatch;
		return 0;
	}
	if (fe_slot_state(s) != SLOT_OBJ) {
		/* rejected or written back: the page lives on the backing device */
		pthread_mutex_unlock(slot_lock(fe, slot));
		return 0;
	}
	if (fe->page > fe->pool_page) {
		unit_read(fe, s, slot, cx, buf, &dret, lat);
		pthread_mutex_unlock(slot_lock(fe, slot));
		goto check;
	}
	len = fe_len(fe, page);
	/*
	 * The allocator path, as `bench` times it: map RO, copy the object
	 * out, unmap; then the page comes back from the copy (decompressed,
	 * or the raw page as it is), which the end-to-end figure adds.
	 */
	t0 = timer_ticks();
	src = zpool_map(fe->zp, s->handle, ZPOOL_MM_RO);
	memcpy(fe_copy, src, len);
	zpool_unmap(fe->zp, s->handle);
	t1 = timer_ticks();
	pthread_mutex_unlock(slot_lock(fe, slot));
	if (fe->hlen)
		memcpy(&hdr, fe_copy, sizeof(hdr));
	if (fe_raw(fe, page))
		memcpy(buf, fe_copy + fe->hlen, fe->page);
	else
		dret = codec_decompress_buf(cx, fe_copy + fe->hlen, len - fe->hlen, buf, fe->page);
	t2 = timer_ticks();
	lat->alloc_ns = timer_sample_ns(t0, t1);
	lat->e2e_ns = timer_sample_ns(t0, t2);
	lat->timed = true;
	if (fe->model_clock) {
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
	lat->timed = false;
	pthread_mutex_lock(slot_lock(fe, slot));
	if (fe_slot_state(s) == SLOT_OBJ) {
		handle = s->handle;
		len = codec_bytes(fe, fe_slot_page(s));
		if (fe_raw(fe, fe_slot_page(s)))
			SUB(fe, huge, 1);
		z612_gone(fe, slot);
	} else if (fe_slot_state(s) == SLOT_SAME) {
		SUB(fe, same_filled, 1);
	}
	fe_slot_set(s, fe_slot_page(s), SLOT_EMPTY);
	s->handle = 0;
	pthread_mutex_unlock(slot_lock(fe, slot));
	if (!handle)
		return;
	lat->timed = true;
	if (fe->model_clock) {
		uint64_t pages0 = zpool_total_pages(fe->zp);

		zpool_free(fe->zp, handle);
		lat->alloc_ns = lat->e2e_ns = model_ns(0, pages0, zpool_total_pages(fe->zp));
	} else {
		t0 = timer_ticks();
		zpool_free(fe->zp, handle);
		lat->alloc_ns = lat->e2e_ns = timer_sample_ns(t0, timer_ticks());
	}
	SUB(fe, stored, 1);
	SUB(fe, compressed_bytes, len);
}

void fe_counters_sum(struct frontend *fe, struct fe_counters *c)
{
	c->pages = GET(fe, pages);
	c->same_filled = GET(fe, same_filled);
	c->stored = GET(fe, stored);
	c->huge = GET(fe, huge);
	c->compressed_bytes = GET(fe, compressed_bytes);
	c->rejected = GET(fe, rejected);
	c->rej_poor = GET(fe, rej_poor);
	c->rej_limit = GET(fe, rej_limit);
	c->rej_alloc = GET(fe, rej_alloc);
	c->written_back = GET(fe, written_back);
	c->pool_limit_hit = GET(fe, pool_limit_hit);
	c->reclaim_fail = GET(fe, reclaim_fail);
	c->rej_fail = GET(fe, rej_fail);
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
