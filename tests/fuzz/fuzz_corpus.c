// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_corpus.c - the corpus reader and its manifest (bench/corpus/corpus.h).
 *
 * The first input byte picks what the rest is (modulo 4):
 *   0  a raw page file, NAME.pages
 *   1  a zstd page file, NAME.pages.zst (plain, multi-frame, cut, corrupt)
 *   2  the manifest NAME.json beside a valid one-page NAME.pages
 *   3  a JSON document for corpus_parse_manifest() (jansson) and
 *      corpus_check_manifest() directly
 * Any input is refused with one line (no control character) naming the
 * file, or opens with at least one page, all of them readable, the raw file's
 * bytes exactly.  Files live in a private directory under /tmp for the
 * duration of one input; the directory is removed at exit.
 */
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "json.h"
#include "sha256.h"
#include "util.h"

static char dir[512];
static char pages_path[600], zst_path[600], one_path[600], json_path[600];
static uint8_t one_page[CORPUS_PAGE_SIZE];
static char one_sha[65];

static void cleanup(void)
{
	unlink(pages_path);
	unlink(zst_path);
	unlink(one_path);
	unlink(json_path);
	rmdir(dir);
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		abort();
	close(fd);
}

static void check_msg(const char *err)
{
	if (!*err || strlen(err) >= 1023)
		goto bad;
	for (const char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			goto bad;
	if (strncmp(err, dir, strlen(dir)) && strncmp(err, "fuzz.json", 9))
		goto bad;
	return;
bad:
	fprintf(stderr, "bad message: '%s'\n", err);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sha256 s;
	uint8_t d[32];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/zpb-fuzz-corpus.XXXXXX", tmp_dir());
	if (!mkdtemp(dir))
		abort();
	snprintf(pages_path, sizeof(pages_path), "%s/c.pages", dir);
	snprintf(zst_path, sizeof(zst_path), "%s/z.pages.zst", dir);
	snprintf(one_path, sizeof(one_path), "%s/m.pages", dir);
	snprintf(json_path, sizeof(json_path), "%s/m.json", dir);
	atexit(cleanup);
	for (int i = 0; i < CORPUS_PAGE_SIZE; i++)
		one_page[i] = (uint8_t)i;
	sha256_init(&s);
	sha256_update(&s, one_page, sizeof(one_page));
	sha256_final(&s, d);
	for (int i = 0; i < 32; i++)
		snprintf(one_sha + 2 * i, 3, "%02x", d[i]);
	return 0;
}

static void try_open(const char *path, const uint8_t *raw, size_t rawlen)
{
	struct corpus c;
	struct corpus_stream st;
	static uint8_t buf[8 * CORPUS_PAGE_SIZE];
	char err[1024];
	uint64_t at = 0;
	int64_t n;

	if (corpus_open(&c, path, err, sizeof(err))) {
		check_msg(err);
		return;
	}
	if (c.pages == 0 || c.fd < 0 || strlen(c.sha256) != 64)
		abort();
	/* every page readable again through a stream, the raw file's bytes exactly */
	if (corpus_stream_open(&st, &c, err, sizeof(err)))
		abort();
	while ((n = corpus_stream_read(&st, buf, 8, err, sizeof(err))) > 0) {
		if (raw && ((at + n) * CORPUS_PAGE_SIZE > rawlen ||
			    memcmp(buf, raw + at * CORPUS_PAGE_SIZE, n * CORPUS_PAGE_SIZE)))
			abort();
		at += n;
	}
	if (n < 0 || at != c.pages || corpus_stream_finish(&st, err, sizeof(err)))
		abort();
	if (raw && at * CORPUS_PAGE_SIZE != rawlen)
		abort();
	corpus_stream_close(&st);
	corpus_close(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_t *m;
	char err[1024];

	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		write_file(pages_path, data + 1, size - 1);
		try_open(pages_path, data + 1, size - 1);
		unlink(pages_path);
		break;
	case 1:
		write_file(zst_path, data + 1, size - 1);
		try_open(zst_path, NULL, 0);
		unlink(zst_path);
		break;
	case 2:
		write_file(one_path, one_page, sizeof(one_page));
		write_file(json_path, data + 1, size - 1);
		try_open(one_path, one_page, sizeof(one_page));
		unlink(one_path);
		unlink(json_path);
		break;
	case 3:
		m = corpus_parse_manifest("fuzz.json", data + 1, size - 1, err, sizeof(err));
		if (!m) {
			check_msg(err);
			break;
		}
		if (corpus_check_manifest(m, "fuzz.json", 1, one_sha, err, sizeof(err)))
			check_msg(err);
		json_decref(m);
		break;
	}
	return 0;
}
