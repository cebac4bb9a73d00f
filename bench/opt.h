/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * opt.h - the one option layer of every zpoolbench command (and of
 * zpb-capture, which `zpoolbench capture` runs).
 *
 * A command describes its options as data: one struct zpb_opt per option,
 * in a table ended by an entry with a NULL name.  Each entry says
 *
 *	name, alias	--name, and a one-letter alias (-V) or 0
 *	type		what the value is, and so where it goes (below)
 *	arg		the value's name in --help ("FILE", "N", "SPEC,...")
 *	min, max	the range of INT, SIZE, DURATION (ms) and INTLIST items
 *	rmin, rmax	the range of REAL
 *	values		ENUM: "a|b|c", optionally ";old=new" hidden aliases;
 *			LIST: the items a list may hold, "a|b|c" (not checked
 *			here: for `help --options`, the completion)
 *	def		the default, written as a user would type it; it goes
 *			through the same conversion as a typed value, and
 *			--help shows it
 *	help		one line (wrapped in --help)
 *	flags		OPT_REQUIRED, OPT_REPEAT, OPT_IN / OPT_OUT (a file the
 *			command reads / writes), OPT_CORPUS (with its manifest),
 *			OPT_OUTDIR (a results folder), OPT_USAGE
 *	off		offsetof() the value in the command's options struct
 *	maxn		INTLIST, repeatable STRING/LIST: how many (<= OPT_MAXN)
 *	check		optional: refuses a value with a reason (spec lists,
 *			NAME=VERSION ...); the parser prints it in the one wording
 *
 * Where a value goes, by type:
 *	OPT_FLAG	int: 1 (with OPT_REPEAT: how many times given, -vv)
 *	OPT_INT		uint64_t, decimal, in min..max
 *	OPT_SIZE	uint64_t bytes: 4096, 64K, 16M, 2G (binary units), in min..max
 *	OPT_DURATION	double seconds: 30, 30s, 1.5m, 2h; min..max in milliseconds
 *	OPT_STRING	const char * (into argv); with OPT_REPEAT a struct opt_strv
 *	OPT_LIST	as OPT_STRING: one comma-separated word the command splits
 *	OPT_ENUM	int: the index of the value in values
 *	OPT_INTLIST	struct opt_intv: comma-separated numbers, each in min..max
 *	OPT_REAL	double: a decimal number (2, 0.05, 12.5), in rmin..rmax
 *
 * Words that are not options are operands (struct zpb_operand): how many
 * are allowed and where they go (a struct opt_strv; it may be the one of a
 * repeatable option: `run --corpus a b c`).  "--" ends the options.
 *
 * Every command also takes -h/--help (the text generated from the table)
 * and -V/--version; they are not in the tables.  The parser's errors, one
 * line each, exit status 2, are worded once, here:
 *
 *	CMD: unknown option '--x'; see 'zpoolbench CMD --help'
 *	CMD: --out needs a value (--out DIR); see ...
 *	CMD: --force takes no value
 *	CMD: --out given twice; give it once
 *	CMD: --alloc SPEC,... is required; see ...
 *	CMD: unexpected argument 'x'; see ...
 *	CMD: --objects: 'abc' is not a number (expected 1..100000000)
 *	CMD: --objects: '0' is out of range (expected 1..100000000)
 *	CMD: --format: 'xml' is not one of table, csv, json
 *	CMD: --alloc: <the check's reason>
 */
#ifndef ZPB_OPT_H
#define ZPB_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum opt_type {
	OPT_FLAG,
	OPT_INT,
	OPT_SIZE,
	OPT_DURATION,
	OPT_STRING,
	OPT_LIST,
	OPT_ENUM,
	OPT_INTLIST,
	OPT_REAL,
};

enum {
	OPT_REQUIRED = 1 << 0, /* the parser refuses a command line without it */
	OPT_REPEAT = 1 << 1,   /* may be given more than once */
	OPT_IN = 1 << 2,       /* names a file the command reads */
	OPT_OUT = 1 << 3,      /* names a file the command writes (see afile.h) */
	OPT_CORPUS = 1 << 4,   /* with IN/OUT: a corpus, whose manifest NAME.json goes with it */
	OPT_OUTDIR = 1 << 5,   /* names a results folder the command writes */
	OPT_USAGE = 1 << 6,    /* shown in the usage line though not always required */
	OPT_HIDDEN = 1 << 7,   /* accepted, not in --help (test hooks) */
};

#define OPT_MAXN 64

struct opt_strv {
	int n;
	const char *v[OPT_MAXN];
};

struct opt_intv {
	int n;
	int v[16];
};

struct zpb_opt {
	const char *name;
	char alias;
	enum opt_type type;
	const char *arg;
	uint64_t min, max;
	double rmin, rmax;
	const char *values;
	const char *def;
	const char *help;
	unsigned int flags;
	size_t off;
	int maxn;
	const char *old_name; /* an older name still accepted (documented in help) */
	int (*check)(const char *val, char *why, size_t len);
};

struct zpb_operand {
	const char *arg; /* "FILE", "SPEC" */
	int min, max;
	size_t off;	    /* of a struct opt_strv */
	unsigned int flags; /* OPT_IN, OPT_CORPUS */
	const char *help;
};

/* What the parser and --help need to know about one command. */
struct zpb_optset {
	const char *cmd;		   /* "run", "corpus info" */
	const char *about;		   /* paragraphs after the usage line, or NULL */
	const struct zpb_opt *opts;	   /* the table */
	const struct zpb_operand *operand; /* or NULL: no operands */
	void (*help_extra)(FILE *f);	   /* printed after the options, or NULL */
};

#define OPT_DONE 1 /* opt_parse: --help or --version was printed; exit 0 */

/*
 * Parse argv (argv[0] = the command's name) into @dest, which the caller
 * has zeroed: defaults first, then the words in order, then the required
 * options and operand counts.  0, OPT_DONE, or 2 after one line on stderr.
 */
int opt_parse(const struct zpb_optset *set, int argc, char **argv, void *dest);

/* The generated --help text; the usage line alone ("zpoolbench run --corpus ..."). */
void opt_help(FILE *f, const struct zpb_optset *set);
void opt_usage(const struct zpb_optset *set, char *buf, size_t len);
/*
 * The options of a table as man(7) paragraphs (.TP per option, the same
 * text and facts as --help), for `zpoolbench help --man`; opt_roff() writes
 * @text escaped for roff (backslashes, hyphens as \-, no line that starts
 * like a request).
 */
void opt_man(FILE *f, const struct zpb_optset *set);
void opt_roff(FILE *f, const char *text);

/*
 * The rules every table keeps, checked by `zpoolbench help --options` and
 * the unit tests: names and aliases unique and not help/version/h/V, every
 * default converts (into a scratch struct of @size bytes), no repeatable
 * option has one (the values given would add to it), repeatable strings
 * and lists have room, a table with an output has --force.  0, or
 * -1 with the first broken rule in @why.
 */
int opt_table_check(const struct zpb_optset *set, size_t size, char *why, size_t len);

/* The option of that name in a table, or NULL. */
const struct zpb_opt *opt_find(const struct zpb_opt *opts, const char *name);
/* Was option @name of table @opts given on the command line opt_parse() last read? */
bool opt_given(const struct zpb_opt *opts, const char *name);

/*
 * The converters the parser uses, for values a command reads elsewhere:
 * 0, or -1 with the reason (the part after "'VALUE' ") in @why.
 */
int opt_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t len);
int opt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t len);
int opt_parse_duration(const char *s, uint64_t min_ms, uint64_t max_ms, double *out, char *why,
		       size_t len);
int opt_parse_real(const char *s, double min, double max, double *out, char *why, size_t len);

struct io_check;
/*
 * Add every file the table names to @io: OPT_IN options and operands as
 * inputs, OPT_OUT options as outputs (labelled "--OPT"); for OPT_CORPUS ones
 * also the manifest @manifest() derives from the path ("--OPT (manifest)").
 * "-" (stdin) is no file.
 */
void opt_io(const struct zpb_optset *set, const void *dest, struct io_check *io,
	    void (*manifest)(const char *path, char *out, size_t len));
/* The value of the OPT_FLAG option @name (0 if the table has none). */
int opt_flag(const struct zpb_optset *set, const void *dest, const char *name);

/* "zpoolbench: CMD: --OPT: message" (the one wording of a bad value). */
void opt_err(const char *cmd, const char *opt, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "zpoolbench: CMD: --OPT ARG is required; see 'zpoolbench CMD --help'" */
void opt_err_required(const struct zpb_optset *set, const char *opt);

#endif /* ZPB_OPT_H */
