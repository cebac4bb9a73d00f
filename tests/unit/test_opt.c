// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_opt.c - the option layer (bench/opt.h): every type converts what it
 * should and refuses the rest with the one wording, repeats, operands,
 * required options, "--", "=", -vv, old names, and the tables that live in
 * the library keep the table rules.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "cmd/runcli.h"
#include "kernel/trace/capture_opts.h"
#include "opt.h"

struct t_args {
	int flag, verbose, mode;
	uint64_t n, size;
	double secs;
	const char *s;
	struct opt_strv many, words;
	struct opt_intv counts;
};

#define O(f) offsetof(struct t_args, f)

/* clang-format off */
static const struct zpb_opt t_opts[] = {
	{ .name = "flag", .type = OPT_FLAG, .off = O(flag), .help = "a flag" },
	{ .name = "verbose", .alias = 'v', .type = OPT_FLAG, .flags = OPT_REPEAT, .off = O(verbose) },
	{ .name = "n", .type = OPT_INT, .min = 1, .max = 100, .def = "7", .off = O(n),
	  .old_name = "count" },
	{ .name = "size", .type = OPT_SIZE, .min = 4096, .max = 1ULL << 40, .off = O(size) },
	{ .name = "secs", .alias = 't', .type = OPT_DURATION, .min = 1, .max = 3600000, .off = O(secs) },
	{ .name = "s", .type = OPT_STRING, .flags = OPT_REQUIRED, .off = O(s) },
	{ .name = "many", .type = OPT_STRING, .flags = OPT_REPEAT, .maxn = 3, .off = O(many) },
	{ .name = "mode", .type = OPT_ENUM, .values = "table|csv|json;text=table", .def = "table",
	  .off = O(mode) },
	{ .name = "counts", .type = OPT_INTLIST, .min = 1, .max = 64, .maxn = 4, .def = "1,2",
	  .off = O(counts) },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand t_operand = { .arg = "WORD", .min = 0, .max = 2, .off = O(words) };
static const struct zpb_optset t_set = { .cmd = "t", .opts = t_opts, .operand = &t_operand };

/* Parse the words (argv[0] is added) into *a with stderr captured in @err. */
static int parse(struct t_args *a, char *err, size_t len, const char *const *words)
{
	char *argv[32] = { "t" };
	int argc = 1, ret, saved = dup(2);
	FILE *f = tmpfile();

	for (; words[argc - 1]; argc++)
		argv[argc] = (char *)words[argc - 1];
	memset(a, 0, sizeof(*a));
	fflush(stderr);
	dup2(fileno(f), 2);
	ret = opt_parse(&t_set, argc, argv, a);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	err[0] = '\0';
	if (!fgets(err, (int)len, f))
		err[0] = '\0';
	err[strcspn(err, "\n")] = '\0';
	fclose(f);
	return ret;
}

#define PARSE(a, err, ...) parse(a, err, sizeof(err), (const char *const[]){ __VA_ARGS__, NULL })

TEST(opt_defaults_and_values)
{
	struct t_args a;
	char err[512];

	CHECK_EQ(PARSE(&a, err, "--s", "x"), 0);
	CHECK_EQ(a.n, 7);
	CHECK_EQ(a.mode, 0);
	CHECK_EQ(a.counts.n, 2);
	CHECK_EQ(a.counts.v[1], 2);
	CHECK_EQ(PARSE(&a, err, "--s=y", "--n", "100", "--size", "64K", "--secs", "1.5m", "--mode",
		       "json", "--counts", "4,8,16", "--flag", "-vv", "w1", "--", "--w2"),
		 0);
	CHECK_STR(a.s, "y");
	CHECK_EQ(a.n, 100);
	CHECK_EQ(a.size, 65536);
	CHECK(fabs(a.secs - 90) < 1e-9);
	CHECK_EQ(a.mode, 2);
	CHECK_EQ(a.counts.n, 3);
	CHECK_EQ(a.counts.v[2], 16);
	CHECK_EQ(a.flag, 1);
	CHECK_EQ(a.verbose, 2);
	CHECK_EQ(a.words.n, 2);
	CHECK_STR(a.words.v[1], "--w2");
	/* hidden enum alias, old option name, short option with attached value */
	CHECK_EQ(PARSE(&a, err, "--s", "x", "--mode", "text", "--count", "3", "-t30s"), 0);
	CHECK_EQ(a.mode, 0);
	CHECK_EQ(a.n, 3);
	CHECK(fabs(a.secs - 30) < 1e-9);
	CHECK_EQ(PARSE(&a, err, "--s", "x", "--size", "2G", "--secs", "250ms"), 0);
	CHECK_EQ(a.size, 2ULL << 30);
	CHECK(fabs(a.secs - 0.25) < 1e-9);
}

TEST(opt_repeats)
{
	struct t_args a;
	char err[512];

	CHECK_EQ(PARSE(&a, err, "--s", "x", "--many", "a", "--many", "b"), 0);
	CHECK_EQ(a.many.n, 2);
	CHECK_STR(a.many.v[1], "b");
	CHECK(opt_given(t_opts, "many"));
	CHECK(!opt_given(t_opts, "flag"));
	CHECK_EQ(PARSE(&a, err, "--s", "x", "--many", "a", "--many", "b", "--many", "c", "--many",
		       "d"),
		 2);
	CHECK_STR(err, "zpoolbench: t: --many: given more than 3 times");
	CHECK_EQ(PARSE(&a, err, "--s", "x", "--n", "3", "--n", "4"), 2);
	CHECK_STR(err, "zpoolbench: t: --n given twice; give it once");
	CHECK_EQ(PARSE(&a, err, "--s", "x", "--flag", "--flag"), 2);
	CHECK_STR(err, "zpoolbench: t: --flag given twice; give it once");
}

TEST(opt_errors_one_wording)
{
	static const struct {
		const char *words[6];
		const char *msg;
	} cases[] = {
		{ { "--s", "x", "--bogus" },
		  "zpoolbench: t: unknown option '--bogus'; see 'zpoolbench t --help'" },
		{ { "--s", "x", "-q" },
		  "zpoolbench: t: unknown option '-q'; see 'zpoolbench t --help'" },
		{ { "--s" },
		  "zpoolbench: t: --s needs a value (--s VALUE); see 'zpoolbench t --help'" },
		{ { "--s", "--flag" },
		  "zpoolbench: t: --s needs a value (--s VALUE); see 'zpoolbench t --help'" },
		{ { "--s", "x", "--flag=1" }, "zpoolbench: t: --flag takes no value" },
		{ { "--flag" }, "zpoolbench: t: --s VALUE is required; see 'zpoolbench t --help'" },
		{ { "--s", "x", "a", "b", "c" },
		  "zpoolbench: t: unexpected argument 'c' (at most 2 WORD); see 'zpoolbench t --help'" },
		{ { "--s", "x", "--n", "abc" },
		  "zpoolbench: t: --n: 'abc' is not a number (expected 1..100)" },
		{ { "--s", "x", "--n", "0" },
		  "zpoolbench: t: --n: '0' is out of range (expected 1..100)" },
		{ { "--s", "x", "--n", "-1" },
		  "zpoolbench: t: --n: '-1' is not a number (expected 1..100)" },
		{ { "--s", "x", "--n", "99999999999999999999" },
		  "zpoolbench: t: --n: '99999999999999999999' is out of range (expected 1..100)" },
		{ { "--s", "x", "--size", "12Q" },
		  "zpoolbench: t: --size: '12Q' is not a size (expected bytes, or a number with K, M, G or T; 4096..1099511627776)" },
		{ { "--s", "x", "--size", "1K" },
		  "zpoolbench: t: --size: '1K' is out of range (expected 4096..1099511627776 bytes)" },
		{ { "--s", "x", "--secs", "2d" },
		  "zpoolbench: t: --secs: '2d' is not a duration (expected seconds, or a number with ms, s, m or h)" },
		{ { "--s", "x", "--secs", "2h" },
		  "zpoolbench: t: --secs: '2h' is out of range (expected 0.001..3600 s)" },
		{ { "--s", "x", "--mode", "xml" },
		  "zpoolbench: t: --mode: 'xml' is not one of table, csv, json" },
		{ { "--s", "x", "--counts", "1,x" },
		  "zpoolbench: t: --counts: '1,x' holds 'x', which is not a number (expected 1..64)" },
		{ { "--s", "x", "--counts", "1,2,3,4,5" },
		  "zpoolbench: t: --counts: '1,2,3,4,5' has more than 4 items" },
		{ { "--s", "x", "--counts", "" },
		  "zpoolbench: t: --counts: '' is not a number (expected 1..64)" },
	};
	struct t_args a;
	char err[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse(&a, err, sizeof(err), cases[i].words), 2);
		CHECK_STR(err, cases[i].msg);
	}
}

TEST(opt_help_is_generated)
{
	char usage[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	opt_usage(&t_set, usage, sizeof(usage));
	CHECK_STR(usage, "zpoolbench t --s VALUE [OPTION]... [WORD]...");
	opt_help(f, &t_set);
	fclose(f);
	CHECK(strstr(buf, "  --n N                 (1..100; default 7; --count is the same, for one\n"
			  "                        release)\n"));
	CHECK(strstr(buf, "  -v, --verbose\n"));
	CHECK(strstr(buf, "  --mode table|csv|json (default table)\n"));
	CHECK(strstr(buf, "  -V, --version "));
	CHECK(!strstr(buf, "text"));
	free(buf);
}

TEST(opt_tables_keep_the_rules)
{
	const struct zpb_optset sets[] = {
		{ .cmd = "t", .opts = t_opts },
		{ .cmd = "run", .opts = runcli_run_opts, .operand = &runcli_operand },
		{ .cmd = "sweep", .opts = runcli_sweep_opts, .operand = &runcli_operand },
		{ .cmd = "capture", .opts = capture_opt_table },
	};
	const size_t sizes[] = { sizeof(struct t_args), sizeof(struct runcli_args),
				 sizeof(struct runcli_args), sizeof(struct capture_opts) };
	/* clang-format off */
	static const struct zpb_opt bad_default[] = {
		{ .name = "n", .type = OPT_INT, .min = 1, .max = 3, .def = "4" },
		{ .name = NULL },
	};
	/* clang-format on */
	/* clang-format off */
	static const struct zpb_opt no_force[] = {
		{ .name = "out", .type = OPT_STRING, .flags = OPT_OUT },
		{ .name = NULL },
	};
	/* clang-format on */
	char why[512];

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		int r = opt_table_check(&sets[i], sizes[i], why, sizeof(why));

		if (r)
			fprintf(stderr, "%s\n", why);
		CHECK_EQ(r, 0);
	}
	CHECK_EQ(opt_table_check(&(struct zpb_optset){ .cmd = "x", .opts = bad_default }, 64, why,
				 sizeof(why)),
		 -1);
	CHECK_STR(why, "x: --n: the default does not convert");
	CHECK_EQ(opt_table_check(&(struct zpb_optset){ .cmd = "x", .opts = no_force }, 64, why,
				 sizeof(why)),
		 -1);
	CHECK_STR(why, "x: --?: writes files but has no --force");
}
