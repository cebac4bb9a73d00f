// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_capture.c - zscapture: what zram did to its slots becomes the right
 * size-trace operations (bench/kernel/trace/zscapture.c).
 */
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "kernel/trace/zscapture.h"
#include "kernel/trace/zstrace.h"

/* The operations @ops leads to, as a text trace without its header line. */
static char *run(void (*ops)(struct zs_capture *), struct zs_capture *c)
{
	static struct trace_writer w;
	char *buf = NULL, *body;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	trace_writer_open(&w, f, TRACE_TEXT, ZS_PAGE_SIZE, NULL);
	zs_capture_init(c, &w);
	ops(c);
	trace_writer_close(&w);
	fclose(f);
	if (strncmp(buf, TRACE_HEADER "\n", strlen(TRACE_HEADER) + 1))
		return buf;
	body = strdup(buf + strlen(TRACE_HEADER) + 1);
	free(buf);
	return body;
}

static void ops_rewrite(struct zs_capture *c)
{
	zs_capture_write(c, 5, 100);
	zs_capture_write(c, 5, 200);	      /* rewrite: f then a */
	zs_capture_write(c, 6, ZS_SLOT_SAME); /* no allocation */
	zs_capture_write(c, 6, 4096);	      /* same -> object: no f */
	zs_capture_write(c, 6, ZS_SLOT_SAME); /* object -> same: f */
	zs_capture_write(c, 7, ZS_SLOT_EMPTY);
}

TEST(capture_rewrite_and_same)
{
	struct zs_capture c;
	char *out = run(ops_rewrite, &c);

	CHECK_STR(out, "a 5 100\nf 5\na 5 200\n# same 6\na 6 4096\nf 6\n# same 6\n"
		       "# nothing stored 7\n");
	CHECK_EQ(c.stores, 3);
	CHECK_EQ(c.frees, 2);
	CHECK_EQ(c.same, 2);
	CHECK_EQ(c.huge, 1);
	CHECK_EQ(c.failed, 1);
	CHECK_EQ(c.live, 1);
	CHECK_EQ(c.live_bytes, 200);
	free(out);
	zs_capture_release(&c);
}

static void ops_discard(struct zs_capture *c)
{
	for (int i = 0; i < 6; i++)
		zs_capture_write(c, i, 10 + i);
	zs_capture_write(c, 9000, 50); /* grows the slot table */
	/* sectors 12..36: slot 1 is partly covered (kept), 2..3 whole, 4 partly */
	zs_capture_discard(c, 12, 24 * 512);
	zs_capture_vanish(c, 5);
	zs_capture_vanish(c, 5);      /* already empty: nothing */
	zs_capture_vanish(c, 123456); /* never seen: nothing */
}

TEST(capture_discard_whole_slots_only)
{
	struct zs_capture c;
	char *out = run(ops_discard, &c);

	CHECK_STR(out, "a 0 10\na 1 11\na 2 12\na 3 13\na 4 14\na 5 15\na 9000 50\n"
		       "f 2\nf 3\nf 5\n");
	CHECK_EQ(c.discarded, 2);
	CHECK_EQ(c.vanished, 1);
	CHECK_EQ(c.live, 4);
	CHECK_EQ(c.live_bytes, 10 + 11 + 14 + 50);
	free(out);
	zs_capture_release(&c);
}
