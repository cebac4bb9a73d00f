// SPDX-License-Identifier: GPL-2.0-only
/*
 * feprobe.c - zpb-feprobe, the host side of the zswap rule check
 * (tests/sh/qemu612_zswap_*.sh): the pages a 6.12 guest pushes out to zswap
 * one at a time (bench/kernel/oracle/guest/zswap_probe.c), and what the
 * rules and zpoolbench's zswap front end decide for the same pages.
 *
 *	zpb-feprobe plan PAGE_SIZE SEED PAGES OPS
 *	zpb-feprobe expect ALLOC_SPEC PAGES OPS
 *	zpb-feprobe frontend FRONTEND_SPEC ALLOC_SPEC PAGES OPS
 *
 * plan writes the pages (raw, PAGE_SIZE bytes each) and the op list ("s
 * SLOT PAGE": store page PAGE in slot SLOT; "f SLOT": free the slot): pages
 * chosen to meet every rule (zero pages, byte- and word-filled pages, lengths
 * around zbud's limit and around the page size, incompressible pages), then
 * a seeded churn of stores and frees.  A page of K random bytes followed by
 * zeros (or 0x5a bytes) compresses to about K bytes.
 *
 * expect applies the 6.12 rules as measured (docs/oracle-qemu.md), written
 * out here independently of bench/driver/frontend.c, to the pages' lz4
 * lengths (liblz4's LZ4_compress_default, the kernel's lz4 on these pages):
 * a zero page never reaches zswap; a length over the page size is the
 * compressor's failure; the allocator (the port ALLOC_SPEC) gets exactly the
 * length and may refuse it (compress_poor).  frontend runs the same pages
 * through the front end FRONTEND_SPEC (4 KiB pages only: it reads them as a
 * corpus) over ALLOC_SPEC.  Both print one line per op:
 *	OPINDEX s|f SLOT DECISION POOL_PAGES LENGTH
 * DECISION: stored, zero, fail (compress_fail), poor (compress_poor),
 * limit, alloc (alloc_fail) or free; LENGTH the lz4 length (- for a free).
 */
#include <errno.h>
#include <inttypes.h>
#include <lz4.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus/corpus.h"
#include "driver/codec.h"
#include "driver/frontend.h"
#include "driver/pageset.h"
#include "sha256.h"
#include "util.h"
#include "zpool.h"

#define MAX_PAGE 65536

static int usage(void)
{
	fprintf(stderr, "usage: zpb-feprobe plan PAGE_SIZE SEED PAGES OPS\n"
			"       zpb-feprobe expect ALLOC_SPEC PAGES OPS\n"
			"       zpb-feprobe frontend FRONTEND_SPEC ALLOC_SPEC PAGES OPS\n");
	return 2;
}

static int fail(const char *what)
{
	fprintf(stderr, "zpb-feprobe: %s%s%s\n", what, errno ? ": " : "",
		errno ? strerror(errno) : "");
	return 1;
}

/* ---- plan ------------------------------------------------------------------ */

struct plan {
	FILE *pages, *ops;
	uint32_t ps;
	uint64_t npages, nslots, rng;
	uint64_t *live, nlive, *freed, nfreed;
	uint8_t page[MAX_PAGE];
};

/* K random bytes (seeded by the page's index), then @fill bytes. */
static void random_page(struct plan *p, uint32_t k, int fill)
{
	uint64_t s = 0x51ed270bULL * (p->npages + 1);

	memset(p->page, fill, p->ps);
	for (uint32_t i = 0; i < k; i += 8) {
		uint64_t v = rng_next(&s);

		memcpy(p->page + i, &v, k - i < 8 ? k - i : 8);
	}
}

static void word_page(struct plan *p, uint64_t w)
{
	for (uint32_t i = 0; i < p->ps; i += 8)
		memcpy(p->page + i, &w, 8);
}

/* Store the page in p->page in a free slot. */
static int store(struct plan *p)
{
	uint64_t slot = p->nfreed ? p->freed[--p->nfreed] : p->nslots++;

	if (fwrite(p->page, p->ps, 1, p->pages) != 1)
		return -1;
	fprintf(p->ops, "s %" PRIu64 " %" PRIu64 "\n", slot, p->npages++);
	p->live[p->nlive++] = slot;
	return 0;
}

static void free_at(struct plan *p, uint64_t i)
{
	uint64_t slot = p->live[i];

	p->live[i] = p->live[--p->nlive];
	fprintf(p->ops, "f %" PRIu64 "\n", slot);
	p->freed[p->nfreed++] = slot;
}

/* A churn page: the mix of tests/sh's traces (lz4-like lengths), scaled to the page. */
static int churn_page(struct plan *p)
{
	uint32_t f = p->ps / 4096, r = (uint32_t)rng_below(&p->rng, 1000), k;

	if (r < 20) {
		memset(p->page, 0, p->ps);
		return store(p);
	}
	if (r < 30) {
		memset(p->page, 1 + (int)rng_below(&p->rng, 255), p->ps);
		return store(p);
	}
	if (r < 330)
		k = 100 * f + (uint32_t)rng_below(&p->rng, 900 * f);
	else if (r < 730)
		k = 1000 * f + (uint32_t)rng_below(&p->rng, 1500 * f);
	else if (r < 960)
		k = 2500 * f + (uint32_t)rng_below(&p->rng, p->ps - 2628 * f);
	else if (r < 990)
		k = p->ps - 128 * f + (uint32_t)rng_below(&p->rng, 128 * f);
	else
		k = p->ps;
	random_page(p, k, 0);
	return store(p);
}

/*
 * Pages of other than 4096 bytes need the manifest that says so (a corpus
 * without one has 4 KiB pages): NAME.json beside NAME.pages.
 */
static int plan_manifest(const char *pages, uint32_t ps)
{
	char mpath[4096], hex[65];
	uint8_t buf[65536], digest[32];
	struct sha256 h;
	uint64_t bytes = 0;
	size_t n, len = strlen(pages);
	FILE *f;

	if (ps == 4096)
		return 0;
	if (len < 6 || strcmp(pages + len - 6, ".pages") || len - 6 + 6 >= sizeof(mpath)) {
		fprintf(stderr, "zpb-feprobe: %s: pages of %u bytes need a NAME.pages path\n",
			pages, ps);
		return 1;
	}
	snprintf(mpath, sizeof(mpath), "%.*s.json", (int)(len - 6), pages);
	f = fopen(pages, "r");
	if (!f)
		return fail(pages);
	sha256_init(&h);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		sha256_update(&h, buf, n);
		bytes += n;
	}
	sha256_final(&h, digest);
	if (ferror(f) | fclose(f))
		return fail(pages);
	sha256_hex(digest, hex);
	if (corpus_write_manifest(mpath, ps, bytes / ps, hex, false, NULL, NULL))
		return fail(mpath);
	return 0;
}

static int plan(uint32_t ps, uint64_t seed, const char *pages, const char *ops)
{
	static struct plan p;
	uint32_t f = ps / 4096, chunk = ps / 64;
	int ret = 1;

	p.ps = ps;
	p.rng = seed;
	p.pages = fopen(pages, "w");
	p.ops = fopen(ops, "w");
	p.live = calloc(1 << 16, sizeof(*p.live));
	p.freed = calloc(1 << 16, sizeof(*p.freed));
	if (!p.pages || !p.ops || !p.live || !p.freed)
		return fail("plan");
	/* the rules: zero pages, same-filled pages that are not zero, a tiny page */
	memset(p.page, 0, ps);
	if (store(&p) || store(&p))
		goto out;
	memset(p.page, 65, ps);
	if (store(&p))
		goto out;
	word_page(&p, 0x0123456789abcdefULL);
	if (store(&p))
		goto out;
	random_page(&p, 8 * f, 0x5a);
	if (store(&p))
		goto out;
	random_page(&p, 1, 0);
	if (store(&p))
		goto out;
	/* lengths across zbud's limit (page - 2 chunks) and across the page size */
	for (uint32_t k = ps - 2 * chunk - 60 * f; k < ps - 2 * chunk + 20 * f; k += f) {
		random_page(&p, k, 0);
		if (store(&p))
			goto out;
	}
	for (uint32_t k = ps - 40 * f; k <= ps; k += f) {
		random_page(&p, k, 0);
		if (store(&p))
			goto out;
	}
	while (p.nlive)
		free_at(&p, 0);
	/* churn: stores, and frees of random live pages once there are some */
	for (int i = 0; i < 1200; i++) {
		if (p.nlive > 50 && rng_below(&p.rng, 100) < 40)
			free_at(&p, rng_below(&p.rng, p.nlive));
		if (churn_page(&p))
			goto out;
	}
	for (uint64_t n = p.nlive / 3; n; n--)
		free_at(&p, rng_below(&p.rng, p.nlive));
	ret = 0;
out:
	if (fclose(p.pages) | fclose(p.ops) || ret)
		return fail("plan: writing the pages or the ops");
	return plan_manifest(pages, ps);
}

/* ---- the rules, and the front end ------------------------------------------- */

struct probe {
	FILE *pages, *ops;
	uint32_t ps;
	unsigned long *handle; /* per slot, 0: none */
	uint8_t page[MAX_PAGE], out[2 * MAX_PAGE];
};

static int read_page(struct probe *pr, uint64_t i)
{
	return fseeko(pr->pages, (off_t)(i * pr->ps), SEEK_SET) ||
			       fread(pr->page, pr->ps, 1, pr->pages) != 1
		       ? -1
		       : 0;
}

static bool is_zero(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* One op line: 's' with slot and page, 'f' with slot; 0 at the end, -1 on a bad line. */
static int next_op(FILE *f, char *op, uint64_t *slot, uint64_t *page)
{
	char line[128];

	if (!fgets(line, sizeof(line), f))
		return 0;
	*op = line[0];
	if (*op == 's' && sscanf(line + 1, "%" SCNu64 " %" SCNu64, slot, page) == 2)
		return 1;
	if (*op == 'f' && sscanf(line + 1, "%" SCNu64, slot) == 1 && *slot < (1 << 16))
		return 1;
	return -1;
}

static int expect(const char *spec, const char *pages, const char *ops)
{
	static struct probe pr;
	char err[512], op;
	uint64_t slot, page = 0, i = 0;
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));
	int n;

	if (!zp) {
		fprintf(stderr, "zpb-feprobe: %s\n", err);
		return 1;
	}
	pr.ps = (uint32_t)zpool_page_size(zp);
	pr.pages = fopen(pages, "r");
	pr.ops = fopen(ops, "r");
	pr.handle = calloc(1 << 16, sizeof(*pr.handle));
	if (!pr.pages || !pr.ops || !pr.handle)
		return fail("expect");
	while ((n = next_op(pr.ops, &op, &slot, &page)) == 1) {
		const char *d = "free";
		int len = 0;

		if (op == 's') {
			if (slot >= (1 << 16) || read_page(&pr, page))
				return fail("expect: a page beyond the pages file");
			len = LZ4_compress_default((const char *)pr.page, (char *)pr.out,
						   (int)pr.ps, (int)sizeof(pr.out));
			if (is_zero(pr.page, pr.ps))
				d = "zero"; /* the swap core's zero map: zswap never sees it */
			else if (len > (int)pr.ps)
				d = "fail"; /* the compressor's output buffer is one page */
			else {
				int r = zpool_malloc(zp, (size_t)len, &pr.handle[slot]);

				d = !r ? "stored" : r == -ENOSPC ? "poor" : "alloc";
				if (r)
					pr.handle[slot] = 0;
			}
		} else if (pr.handle[slot]) {
			zpool_free(zp, pr.handle[slot]);
			pr.handle[slot] = 0;
		}
		if (op == 's')
			printf("%" PRIu64 " s %" PRIu64 " %s %" PRIu64 " %d\n", i++, slot, d,
			       zpool_total_pages(zp), len);
		else
			printf("%" PRIu64 " f %" PRIu64 " %s %" PRIu64 " -\n", i++, slot, d,
			       zpool_total_pages(zp));
	}
	if (n < 0)
		return fail("expect: a bad op line");
	for (slot = 0; slot < (1 << 16); slot++)
		if (pr.handle[slot])
			zpool_free(zp, pr.handle[slot]);
	zpool_destroy(zp);
	return 0;
}

static int frontend(const char *fespec, const char *spec, const char *pages, const char *ops)
{
	static struct corpus c;
	static struct pageset ps;
	struct fe_config cfg;
	struct codec codec;
	struct frontend *fe;
	struct fe_lat lat;
	char err[1024], op;
	uint64_t slot, page = 0, i = 0;
	FILE *f = fopen(ops, "r");
	int n;

	if (!f)
		return fail(ops);
	if (corpus_open(&c, pages, err, sizeof(err)) ||
	    codec_parse("lz4:1", &codec, err, sizeof(err)) ||
	    pageset_open(&ps, &c, &codec, 1, "off", err, sizeof(err)) ||
	    fe_parse(fespec, &cfg, err, sizeof(err))) {
		fprintf(stderr, "zpb-feprobe: %s\n", err);
		return 1;
	}
	fe = fe_create(&cfg, spec, &ps, 1 << 16, err, sizeof(err));
	if (!fe) {
		fprintf(stderr, "zpb-feprobe: %s\n", err);
		return 1;
	}
	fe_bind_thread(0);
	while ((n = next_op(f, &op, &slot, &page)) == 1) {
		struct fe_counters before, after;
		const char *d = "free";

		if (op == 's' && (slot >= (1 << 16) || page >= ps.n))
			return fail("frontend: a page beyond the pages file");
		fe_counters_sum(fe, &before);
		if (op == 's') {
			int st = fe_store(fe, slot, (uint32_t)page, &lat);

			fe_counters_sum(fe, &after);
			d = st == SLOT_OBJ			  ? "stored"
			    : st == SLOT_SAME			  ? "zero"
			    : after.rej_fail != before.rej_fail	  ? "fail"
			    : after.rej_poor != before.rej_poor	  ? "poor"
			    : after.rej_limit != before.rej_limit ? "limit"
								  : "alloc";
			printf("%" PRIu64 " s %" PRIu64 " %s %" PRIu64 " %u\n", i++, slot, d,
			       zpool_total_pages(fe->zp), (unsigned)ps.pg[page].len);
		} else {
			fe_free(fe, slot, &lat);
			printf("%" PRIu64 " f %" PRIu64 " %s %" PRIu64 " -\n", i++, slot, d,
			       zpool_total_pages(fe->zp));
		}
	}
	fclose(f);
	if (n < 0)
		return fail("frontend: a bad op line");
	if (fe->failed) {
		fprintf(stderr, "zpb-feprobe: %s\n", fe->err);
		return 1;
	}
	fe_destroy(fe);
	pageset_free(&ps);
	corpus_close(&c);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t ps, seed;

	if (argc == 6 && !strcmp(argv[1], "plan")) {
		if (parse_u64(argv[2], 4096, MAX_PAGE, &ps) || (ps & (ps - 1)) ||
		    parse_u64(argv[3], 0, UINT64_MAX, &seed))
			return usage();
		return plan((uint32_t)ps, seed, argv[4], argv[5]);
	}
	if (argc == 5 && !strcmp(argv[1], "expect"))
		return expect(argv[2], argv[3], argv[4]);
	if (argc == 6 && !strcmp(argv[1], "frontend"))
		return frontend(argv[2], argv[3], argv[4], argv[5]);
	return usage();
}
