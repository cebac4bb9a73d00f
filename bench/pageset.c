// SPDX-License-Identifier: GPL-2.0-only
/*
 * pageset.c - see pageset.h.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pageset.h"
#include "util.h"

struct chunk_job {
	struct pageset *ps;
	uint64_t first, last; /* pages [first, last) */
	uint8_t *buf;
	size_t used, cap;
	uint64_t *off;	      /* offset of each page's bytes in buf */
	int failed_page;      /* -1, or a page the codec failed on */
	bool oom;
};

int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

static int reserve(struct chunk_job *j, size_t more)
{
	if (j->used + more > j->cap) {
		size_t cap = j->cap ? j->cap : 1 << 20;
		uint8_t *p;

		while (j->used + more > cap)
			cap *= 2;
		p = realloc(j->buf, cap);
		if (!p)
			return -1;
		j->buf = p;
		j->cap = cap;
	}
	return 0;
}

static void *compress_chunk(void *arg)
{
	struct chunk_job *j = arg;
	struct pageset *ps = j->ps;
	struct codec_ctx *cx = codec_ctx_new(&ps->codec);

	if (!cx) {
		j->oom = true;
		return NULL;
	}
	for (uint64_t i = j->first; i < j->last; i++) {
		struct cpage *p = &ps->pg[i];
		const uint8_t *page = corpus_page(ps->corpus, i);
		uint64_t t0;
		int len;

		if (reserve(j, CODEC_BOUND)) {
			j->oom = true;
			break;
		}
		p->same = page_same_filled(page, &p->word);
		t0 = now_ns();
		len = codec_compress(cx, page, j->buf + j->used);
		p->comp_ns = (uint32_t)(now_ns() - t0);
		if (len < 0) {
			j->failed_page = (int)i;
			break;
		}
		p->len = (uint32_t)len;
		j->off[i - j->first] = j->used;
		j->used += len;
	}
	codec_ctx_free(cx);
	return NULL;
}

int pageset_build(struct pageset *ps, const struct corpus *c, const struct codec *codec,
		  int threads, char *err, size_t errlen)
{
	struct chunk_job *jobs;
	pthread_t *tids;
	uint64_t t0 = now_ns();
	int ret = 0, started = 0;

	memset(ps, 0, sizeof(*ps));
	ps->corpus = c;
	ps->codec = *codec;
	ps->n = c->pages;
	if (threads < 1)
		threads = 1;
	if ((uint64_t)threads > c->pages)
		threads = (int)c->pages;
	ps->pg = calloc(ps->n, sizeof(*ps->pg));
	jobs = calloc(threads, sizeof(*jobs));
	tids = calloc(threads, sizeof(*tids));
	ps->chunks = calloc(threads, sizeof(*ps->chunks));
	if (!ps->pg || !jobs || !tids || !ps->chunks)
		goto oom;
	ps->nchunks = threads;

	for (int t = 0; t < threads; t++) {
		struct chunk_job *j = &jobs[t];

		j->ps = ps;
		j->first = ps->n * t / threads;
		j->last = ps->n * (t + 1) / threads;
		j->failed_page = -1;
		j->off = calloc(j->last - j->first + 1, sizeof(*j->off));
		if (!j->off)
			goto oom_join;
	}
	for (int t = 0; t < threads; t++) {
		if (pthread_create(&tids[t], NULL, compress_chunk, &jobs[t])) {
			/* fall back to doing the rest on this thread */
			for (int u = t; u < threads; u++)
				compress_chunk(&jobs[u]);
			break;
		}
		started++;
	}
oom_join:
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);

	for (int t = 0; t < threads; t++) {
		struct chunk_job *j = &jobs[t];

		if (ret)
			;
		else if (!j->off || j->oom)
			ret = -2;
		else if (j->failed_page >= 0) {
			snprintf(err, errlen, "%s: codec %s failed on page %d", c->path,
				 codec->name, j->failed_page);
			ret = -1;
		}
		if (!ret) {
			for (uint64_t i = j->first; i < j->last; i++) {
				struct cpage *p = &ps->pg[i];

				p->data = j->buf + j->off[i - j->first];
				if (p->same)
					ps->same_pages++;
				else
					ps->compressed_bytes += p->len;
			}
		}
		ps->chunks[t] = j->buf;
		free(j->off);
	}
	free(jobs);
	free(tids);
	ps->wall_ns = now_ns() - t0;
	if (ret == -2) {
		snprintf(err, errlen, "out of memory compressing %s with %s", c->path,
			 codec->name);
		ret = -1;
	}
	if (ret)
		pageset_free(ps);
	return ret;
oom:
	free(jobs);
	free(tids);
	pageset_free(ps);
	snprintf(err, errlen, "out of memory compressing %s", c->path);
	return -1;
}

void pageset_free(struct pageset *ps)
{
	for (int t = 0; t < ps->nchunks; t++)
		free(ps->chunks[t]);
	free(ps->chunks);
	free(ps->pg);
	memset(ps, 0, sizeof(*ps));
}
