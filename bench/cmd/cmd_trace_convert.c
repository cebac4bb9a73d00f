// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_trace_convert.c - `zpoolbench trace convert --in FILE --out FILE
 * --to binary|text`: a size trace from one encoding into the other (or the
 * same one, canonical), losslessly: every operation, the page size and
 * every comment (trace.h says exactly what is kept).
 *
 * Provenance: a binary trace's header carries one line saying where it
 * comes from.  To text, it becomes the first comment, '# provenance: X'.
 * To binary, a first comment of that form (before any operation) becomes
 * the header's line again, so binary -> text -> binary gives the same file;
 * otherwise the line says "converted from text trace NAME by zpoolbench".
 */
#include <inttypes.h>
#include <string.h>

#include "cmd.h"
#include "driver/trace.h"
#include "util.h"
#include "version.h"

struct convert_args {
	const char *in, *out;
	int to, force;
};

#define O(f) offsetof(struct convert_args, f)

/* clang-format off */
static const struct zpb_opt convert_opts[] = {
	{ .name = "in", .type = OPT_STRING, .arg = "FILE", .off = O(in),
	  .flags = OPT_REQUIRED | OPT_IN,
	  .help = "the trace, text or binary (told apart by the first bytes); '-': standard input" },
	{ .name = "out", .type = OPT_STRING, .arg = "FILE", .off = O(out),
	  .flags = OPT_REQUIRED | OPT_OUT, .help = "the converted trace" },
	{ .name = "to", .type = OPT_ENUM, .values = "binary|text", .off = O(to),
	  .flags = OPT_REQUIRED, .help = "the encoding to write" },
	{ .name = "force", .type = OPT_FLAG, .off = O(force), .help = "replace an existing --out" },
	{ .name = NULL },
};
/* clang-format on */

/* "provenance: X" (the text after '#'), X into @out: the binary's line in its text form. */
static bool provenance_comment(const char *comment, char *out, size_t len)
{
	const char *p = TRACE_PROVENANCE + 1; /* without the '#' */

	if (strncmp(comment, p, strlen(p)))
		return false;
	snprintf(out, len, "%s", comment + strlen(p));
	return true;
}

struct conv {
	struct trace_reader r;
	struct trace_writer w;
	struct afile af;
	enum trace_format to;
	char prov[TRACE_LINE_MAX];
	uint64_t ops, comments;
	char err[1024];
};

static int put(struct conv *c, const struct trace_op *op)
{
	if (op->op == '#') {
		c->comments++;
		return trace_writer_comment(&c->w, c->r.comment);
	}
	c->ops++;
	return trace_writer_op(&c->w, op);
}

/*
 * The first item decides the provenance of a binary output: a provenance
 * comment before any operation is taken as it, anything else is written
 * once the writer is open.
 */
static int open_writer(struct conv *c, const char *in, const struct trace_op *first)
{
	bool pending = first != NULL;

	if (c->r.format == TRACE_BINARY)
		snprintf(c->prov, sizeof(c->prov), "%s", c->r.provenance);
	else if (c->to == TRACE_BINARY && first && first->op == '#' &&
		 provenance_comment(c->r.comment, c->prov, sizeof(c->prov)))
		pending = false;
	else if (c->to == TRACE_BINARY)
		snprintf(c->prov, sizeof(c->prov),
			 "converted from text trace %.200s by zpoolbench %s (%s)", in, ZPB_VERSION,
			 ZPB_GIT);
	if (trace_writer_open(&c->w, c->af.f, c->to, c->r.page_size, c->prov))
		return -1;
	return pending ? put(c, first) : 0;
}

static int convert(struct conv *c, const char *in)
{
	struct trace_op op;
	int n = trace_next(&c->r, &op, c->err, sizeof(c->err));

	if (n < 0)
		return -1;
	if (open_writer(c, in, n == 1 ? &op : NULL))
		goto werr;
	while (n == 1 && (n = trace_next(&c->r, &op, c->err, sizeof(c->err))) == 1)
		if (put(c, &op))
			goto werr;
	if (n < 0)
		return -1;
	if (trace_writer_close(&c->w))
		goto werr;
	return 0;
werr:
	snprintf(c->err, sizeof(c->err), "trace convert: --out %.400s: %.500s", c->af.path,
		 c->w.err);
	trace_writer_abort(&c->w);
	return -1;
}

static int convert_main(void *opts, int argc, char **argv)
{
	const struct convert_args *a = opts;
	static struct conv c;
	int ret = 1;

	(void)argc;
	(void)argv;
	memset(&c, 0, sizeof(c));
	c.to = a->to == 0 ? TRACE_BINARY : TRACE_TEXT;
	if (trace_open(&c.r, a->in, c.err, sizeof(c.err))) {
		zpb_err("%s", c.err);
		return 1;
	}
	/* every comment comes along; a binary input's IDs are checked as text would be */
	trace_want_comments(&c.r);
	trace_set_strict(&c.r);
	if (afile_create(&c.af, "trace convert: --out", a->out, a->force))
		goto out;
	if (convert(&c, a->in)) {
		zpb_err("%s", c.err);
		afile_abort(&c.af);
		goto out;
	}
	if (afile_commit(&c.af))
		goto out;
	printf("%s (%s) -> %s (%s): %" PRIu64 " operations, %" PRIu64 " comments, page size %u\n",
	       a->in, trace_format_name(c.r.format), a->out, trace_format_name(c.to), c.ops,
	       c.comments, c.r.page_size);
	ret = 0;
out:
	trace_close(&c.r);
	return ret;
}

static const struct zpb_cmd trace_convert_cmd = {
	.name = "trace convert",
	.summary = "a size trace from text to binary or back, losslessly",
	.about = "Converts a size trace between the text format v1 and the binary format\n"
		 "(zstd-framed records, a header with the page size, the counts and a\n"
		 "provenance line).  Every operation, the page size and every comment are\n"
		 "kept; blank lines and spacing are not (docs/driver.md, \"Traces\").\n",
	.opts = convert_opts,
	.size = sizeof(struct convert_args),
	.run = convert_main,
	.order = 22,
};

ZPB_COMMAND(trace_convert_cmd)
