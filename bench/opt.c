// SPDX-License-Identifier: GPL-2.0-only
/*
 * opt.c - see opt.h.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "opt.h"
#include "util.h"
#include "version.h"

#define HELP_COL 24   /* where help text starts in --help */
#define HELP_WIDTH 79 /* and where it wraps */
#define MAX_OPTS 64   /* options per table */

/* How often each option of the last table parsed was given (opt_given). */
static const struct zpb_opt *seen_table;
static int seen[MAX_OPTS];

void opt_err(const char *cmd, const char *opt, const char *fmt, ...)
{
	char msg[3072];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zpb_err("%s: %s: %s", cmd, opt, msg);
}

static void syntax_err(const struct zpb_optset *set, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "CMD: problem; see 'zpoolbench CMD --help'" */
static void syntax_err(const struct zpb_optset *set, const char *fmt, ...)
{
	char msg[3072];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	zpb_err("%s: %s; see 'zpoolbench %s --help'", set->cmd, msg, set->cmd);
}

static const char *arg_of(const struct zpb_opt *o)
{
	static char values[128];

	if (o->arg)
		return o->arg;
	switch (o->type) {
	case OPT_ENUM:
		snprintf(values, sizeof(values), "%.*s", (int)strcspn(o->values, ";"), o->values);
		return values;
	case OPT_INT:
		return "N";
	case OPT_SIZE:
		return "SIZE";
	case OPT_DURATION:
		return "SECONDS";
	case OPT_INTLIST:
		return "N,...";
	case OPT_REAL:
		return "X";
	case OPT_LIST:
		return "LIST";
	default:
		return "VALUE";
	}
}

void opt_err_required(const struct zpb_optset *set, const char *name)
{
	const struct zpb_opt *o = opt_find(set->opts, name);

	if (o && o->type != OPT_FLAG)
		syntax_err(set, "--%s %s is required", name, arg_of(o));
	else
		syntax_err(set, "--%s is required", name);
}

const struct zpb_opt *opt_find(const struct zpb_opt *opts, const char *name)
{
	for (; opts && opts->name; opts++)
		if (!strcmp(opts->name, name) || (opts->old_name && !strcmp(opts->old_name, name)))
			return opts;
	return NULL;
}

bool opt_given(const struct zpb_opt *opts, const char *name)
{
	const struct zpb_opt *o = opt_find(opts, name);

	return o && seen_table == opts && seen[o - opts] > 0;
}

/* ---- values ------------------------------------------------------------- */

static void range_text(char *buf, size_t len, uint64_t min, uint64_t max)
{
	if (max == UINT64_MAX)
		snprintf(buf, len, "%llu or more", (unsigned long long)min);
	else
		snprintf(buf, len, "%llu..%llu", (unsigned long long)min, (unsigned long long)max);
}

int opt_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t len)
{
	char range[64];
	uint64_t v;

	range_text(range, sizeof(range), min, max);
	if (parse_u64(s, 0, UINT64_MAX, &v)) {
		/* all digits but too large is out of range, not "not a number" */
		bool digits = *s && strspn(s, "0123456789") == strlen(s);

		snprintf(why, len, "is %s (expected %s)", digits ? "out of range" : "not a number",
			 range);
		return -1;
	}
	if (v < min || v > max) {
		snprintf(why, len, "is out of range (expected %s)", range);
		return -1;
	}
	*out = v;
	return 0;
}

/* A decimal number (digits, optionally one '.' and more digits) and what follows it. */
static int decimal(const char *s, double *v, const char **rest)
{
	size_t n = strspn(s, "0123456789");
	char *end;

	if (!n)
		return -1;
	if (s[n] == '.' && s[n + 1] >= '0' && s[n + 1] <= '9')
		n += 1 + strspn(s + n + 1, "0123456789");
	errno = 0;
	*v = strtod(s, &end);
	if (errno || end != s + n || !isfinite(*v))
		return -1;
	*rest = s + n;
	return 0;
}

int opt_parse_size(const char *s, uint64_t min, uint64_t max, uint64_t *out, char *why, size_t len)
{
	static const char units[] = "KMGT";
	char range[64];
	const char *rest;
	double v, mul = 1;

	range_text(range, sizeof(range), min, max);
	if (decimal(s, &v, &rest))
		goto bad;
	if (*rest) {
		const char *u = strchr(units, rest[0] & ~0x20);

		if (!u || !rest[0])
			goto bad;
		mul = (double)(1ULL << (10 * (u - units + 1)));
		rest++;
		if (*rest == 'i')
			rest++;
		if ((*rest & ~0x20) == 'B')
			rest++;
		if (*rest)
			goto bad;
	}
	v *= mul;
	if (v != floor(v) || v < (double)min || v > (double)max || v >= 18446744073709551616.0) {
		snprintf(why, len, "is out of range (expected %s bytes)", range);
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
bad:
	snprintf(why, len, "is not a size (expected bytes, or a number with K, M, G or T; %s)",
		 range);
	return -1;
}

int opt_parse_duration(const char *s, uint64_t min_ms, uint64_t max_ms, double *out, char *why,
		       size_t len)
{
	const char *rest;
	double v;

	if (decimal(s, &v, &rest))
		goto bad;
	if (!strcmp(rest, "ms"))
		v /= 1000;
	else if (!strcmp(rest, "m"))
		v *= 60;
	else if (!strcmp(rest, "h"))
		v *= 3600;
	else if (*rest && strcmp(rest, "s"))
		goto bad;
	if (v * 1000 < (double)min_ms || v * 1000 > (double)max_ms) {
		snprintf(why, len, "is out of range (expected %g..%g s)", min_ms / 1000.0,
			 max_ms / 1000.0);
		return -1;
	}
	*out = v;
	return 0;
bad:
	snprintf(why, len, "is not a duration (expected seconds, or a number with ms, s, m or h)");
	return -1;
}

int opt_parse_real(const char *s, double min, double max, double *out, char *why, size_t len)
{
	const char *rest;
	double v;

	if (decimal(s, &v, &rest) || *rest) {
		snprintf(why, len, "is not a number (expected %g..%g)", min, max);
		return -1;
	}
	if (v < min || v > max) {
		snprintf(why, len, "is out of range (expected %g..%g)", min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* The index of @s among "a|b|c;old=new", or -1. */
static int enum_index(const char *values, const char *s)
{
	const char *p = values, *semi = strchr(values, ';');
	size_t n = strlen(s);
	int i = 0;

	for (;;) {
		size_t w = strcspn(p, "|;");

		if (w == n && !strncmp(p, s, n))
			return i;
		i++;
		if (p[w] != '|')
			break;
		p += w + 1;
	}
	/* hidden aliases: ";old=new,old2=new2" */
	for (p = semi ? semi + 1 : NULL; p && *p;) {
		size_t w = strcspn(p, "=");
		const char *to = p + w + 1;
		size_t tw = strcspn(to, ",");
		char name[64];

		if (!p[w])
			break;
		if (w == n && !strncmp(p, s, n) && tw < sizeof(name)) {
			snprintf(name, sizeof(name), "%.*s", (int)tw, to);
			return enum_index(values, name);
		}
		p = to + tw + (to[tw] == ',');
	}
	return -1;
}

/* "a, b, c" of "a|b|c;..." */
static void enum_list(const char *values, char *buf, size_t len)
{
	size_t off = 0;

	for (const char *p = values; *p && *p != ';' && off < len; p++)
		off += snprintf(buf + off, len - off, "%s", *p == '|' ? ", " : (char[]){ *p, 0 });
}

static int intlist(const struct zpb_opt *o, const char *s, struct opt_intv *out, char *why,
		   size_t len)
{
	int max = o->maxn ? o->maxn : (int)(sizeof(out->v) / sizeof(out->v[0]));
	const char *p = s;

	out->n = 0;
	for (;;) {
		size_t w = strcspn(p, ",");
		char item[32], r[256];
		uint64_t v;

		if (out->n == max) {
			snprintf(why, len, "has more than %d item%s", max, max == 1 ? "" : "s");
			return -1;
		}
		if (w >= sizeof(item)) {
			snprintf(why, len, "is not a list of numbers");
			return -1;
		}
		snprintf(item, sizeof(item), "%.*s", (int)w, p);
		if (opt_parse_uint(item, o->min, o->max, &v, r, sizeof(r))) {
			if (strchr(s, ','))
				snprintf(why, len, "holds '%s', which %s", item, r);
			else
				snprintf(why, len, "%s", r);
			return -1;
		}
		out->v[out->n++] = (int)v;
		if (!p[w])
			return 0;
		p += w + 1;
	}
}

/* Store @val for @o into @dest: 0, or -1 with the reason in @why. */
static int convert(const struct zpb_opt *o, const char *val, void *dest, char *why, size_t len)
{
	char *at = (char *)dest + o->off;

	switch (o->type) {
	case OPT_FLAG:
		(*(int *)at)++;
		return 0;
	case OPT_INT:
		return opt_parse_uint(val, o->min, o->max, (uint64_t *)at, why, len);
	case OPT_SIZE:
		return opt_parse_size(val, o->min, o->max, (uint64_t *)at, why, len);
	case OPT_DURATION:
		return opt_parse_duration(val, o->min, o->max, (double *)at, why, len);
	case OPT_STRING:
	case OPT_LIST:
		if (o->flags & OPT_REPEAT) {
			struct opt_strv *sv = (struct opt_strv *)at;

			sv->v[sv->n++] = val; /* take() checked the room */
		} else {
			*(const char **)at = val;
		}
		return 0;
	case OPT_ENUM: {
		int i = enum_index(o->values, val);
		char list[256];

		if (i < 0) {
			enum_list(o->values, list, sizeof(list));
			snprintf(why, len, "is not one of %s", list);
			return -1;
		}
		*(int *)at = i;
		return 0;
	}
	case OPT_INTLIST:
		return intlist(o, val, (struct opt_intv *)at, why, len);
	case OPT_REAL:
		return opt_parse_real(val, o->rmin, o->rmax, (double *)at, why, len);
	}
	return -1;
}

/* ---- parsing ----------------------------------------------------------- */

static void print_version(void)
{
	printf("zpoolbench %s (%s)\n", ZPB_VERSION, ZPB_GIT);
}

static bool is_help(const char *a)
{
	return !strcmp(a, "--help") || !strcmp(a, "-h");
}

static bool is_version(const char *a)
{
	return !strcmp(a, "--version") || !strcmp(a, "-V");
}

static const struct zpb_opt *find_short(const struct zpb_opt *opts, char c)
{
	for (; opts->name; opts++)
		if (opts->alias == c)
			return opts;
	return NULL;
}

/* A word that would be taken for a value but is an option of this command. */
static bool looks_like_option(const struct zpb_optset *set, const char *w)
{
	char name[128];

	if (w[0] != '-' || !w[1])
		return false;
	if (w[1] != '-')
		return find_short(set->opts, w[1]) || is_help(w) || is_version(w);
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(w + 2, "="), w + 2);
	return opt_find(set->opts, name) || is_help(w) || is_version(w);
}

/* Room for one more value of a repeatable string option? */
static bool full(const struct zpb_opt *o, const void *dest)
{
	const struct opt_strv *sv = (const struct opt_strv *)((const char *)dest + o->off);
	int max = o->maxn ? o->maxn : OPT_MAXN;

	return (o->type == OPT_STRING || o->type == OPT_LIST) && (o->flags & OPT_REPEAT) &&
	       sv->n >= max;
}

/* One option with its value (NULL for a flag): 0 or 2 after one line. */
static int take(const struct zpb_optset *set, const struct zpb_opt *o, const char *val, void *dest)
{
	char why[2048], shown[80], label[80];
	int k = (int)(o - set->opts);

	snprintf(label, sizeof(label), "--%s", o->name);
	if (seen[k]++ && !(o->flags & OPT_REPEAT)) {
		zpb_err("%s: %s given twice; give it once", set->cmd, label);
		return 2;
	}
	if (full(o, dest)) {
		opt_err(set->cmd, label, "given more than %d times", o->maxn ? o->maxn : OPT_MAXN);
		return 2;
	}
	if (o->check && o->check(val, why, sizeof(why))) {
		opt_err(set->cmd, label, "%s", why); /* the check's own sentence */
		return 2;
	}
	if (convert(o, val, dest, why, sizeof(why))) {
		/* long values are cut: the message stays one readable line */
		snprintf(shown, sizeof(shown), "%s", val);
		opt_err(set->cmd, label, "'%s%s' %s", shown,
			strlen(val) >= sizeof(shown) ? "..." : "", why);
		return 2;
	}
	return 0;
}

static int operand(const struct zpb_optset *set, const char *w, void *dest)
{
	const struct zpb_operand *op = set->operand;
	struct opt_strv *sv;

	if (!op || op->max == 0) {
		syntax_err(set, "unexpected argument '%s'", w);
		return 2;
	}
	sv = (struct opt_strv *)((char *)dest + op->off);
	if (sv->n >= op->max || sv->n >= OPT_MAXN) {
		if (op->max == 1)
			syntax_err(set, "unexpected argument '%s' (one %s only)", w, op->arg);
		else
			syntax_err(set, "unexpected argument '%s' (at most %d %s)", w, op->max,
				   op->arg);
		return 2;
	}
	sv->v[sv->n++] = w;
	return 0;
}

static int defaults(const struct zpb_optset *set, void *dest)
{
	char why[512];

	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if (!o->def)
			continue;
		if (convert(o, o->def, dest, why, sizeof(why))) {
			/* a table bug: tests/unit/test_opt.c parses every default */
			zpb_err("%s: --%s: the default '%s' %s", set->cmd, o->name, o->def, why);
			return 2;
		}
	}
	return 0;
}

/* -abc: flags, the last one may take a value (the rest of the word or the next word). */
static int shorts(const struct zpb_optset *set, int argc, char **argv, int *i, void *dest)
{
	const char *w = argv[*i];

	for (const char *p = w + 1; *p; p++) {
		const struct zpb_opt *o = find_short(set->opts, *p);
		int r;

		if (!o) {
			syntax_err(set, "unknown option '-%c'", *p);
			return 2;
		}
		if (o->type == OPT_FLAG) {
			if ((r = take(set, o, NULL, dest)))
				return r;
			continue;
		}
		if (p[1])
			return take(set, o, p + 1, dest);
		if (*i + 1 >= argc || looks_like_option(set, argv[*i + 1])) {
			syntax_err(set, "-%c needs a value (-%c %s)", *p, *p, arg_of(o));
			return 2;
		}
		return take(set, o, argv[++*i], dest);
	}
	return 0;
}

static int longopt(const struct zpb_optset *set, int argc, char **argv, int *i, void *dest)
{
	const char *w = argv[*i] + 2, *eq = strchr(w, '=');
	char name[128];
	const struct zpb_opt *o;

	snprintf(name, sizeof(name), "%.*s", (int)(eq ? (size_t)(eq - w) : strlen(w)), w);
	o = opt_find(set->opts, name);
	if (!o || (o->flags & OPT_HIDDEN && strcmp(o->name, name))) {
		syntax_err(set, "unknown option '--%s'", name);
		return 2;
	}
	if (o->type == OPT_FLAG) {
		if (eq) {
			zpb_err("%s: --%s takes no value", set->cmd, o->name);
			return 2;
		}
		return take(set, o, NULL, dest);
	}
	if (eq)
		return take(set, o, eq + 1, dest);
	if (*i + 1 >= argc || looks_like_option(set, argv[*i + 1])) {
		syntax_err(set, "--%s needs a value (--%s %s)", o->name, o->name, arg_of(o));
		return 2;
	}
	return take(set, o, argv[++*i], dest);
}

static int finish(const struct zpb_optset *set, const void *dest)
{
	const struct zpb_operand *op = set->operand;

	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if ((o->flags & OPT_REQUIRED) && !seen[o - set->opts]) {
			opt_err_required(set, o->name);
			return 2;
		}
	}
	if (op && ((const struct opt_strv *)((const char *)dest + op->off))->n < op->min) {
		if (op->min == 1 && op->max == 1)
			syntax_err(set, "give one %s", op->arg);
		else if (op->min == op->max)
			syntax_err(set, "give %s", op->arg);
		else
			syntax_err(set, "give at least %d %s", op->min, op->arg);
		return 2;
	}
	return 0;
}

int opt_parse(const struct zpb_optset *set, int argc, char **argv, void *dest)
{
	bool dashdash = false;
	int r, n = 0;

	while (set->opts[n].name)
		n++;
	if (n > MAX_OPTS)
		abort(); /* a table bug */
	memset(seen, 0, sizeof(seen));
	seen_table = set->opts;
	/* --help and --version win over everything else on the line */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		if (is_help(argv[i])) {
			opt_help(stdout, set);
			return OPT_DONE;
		}
		if (is_version(argv[i])) {
			print_version();
			return OPT_DONE;
		}
	}
	if ((r = defaults(set, dest)))
		return r;
	memset(seen, 0, sizeof(seen));
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (dashdash || w[0] != '-' || !w[1])
			r = operand(set, w, dest);
		else if (!strcmp(w, "--"))
			dashdash = true, r = 0;
		else if (w[1] == '-')
			r = longopt(set, argc, argv, &i, dest);
		else
			r = shorts(set, argc, argv, &i, dest);
		if (r)
			return r;
	}
	return finish(set, dest);
}

/* ---- the rules of a table ---------------------------------------------- */

static int rule(const struct zpb_optset *set, const struct zpb_opt *o, char *why, size_t len,
		const char *what)
{
	snprintf(why, len, "%s: --%s: %s", set->cmd, o ? o->name : "?", what);
	return -1;
}

int opt_table_check(const struct zpb_optset *set, size_t size, char *why, size_t len)
{
	bool output = false;
	char *scratch = calloc(1, size ? size : 1);
	int n = 0;

	if (!scratch)
		return rule(set, NULL, why, len, "out of memory");
	for (const struct zpb_opt *o = set->opts; o->name; o++, n++) {
		char r[256];

		if (!strcmp(o->name, "help") || !strcmp(o->name, "version") || o->alias == 'h' ||
		    o->alias == 'V')
			return free(scratch),
			       rule(set, o, why, len, "help and version are built in");
		for (const struct zpb_opt *p = set->opts; p < o; p++)
			if (!strcmp(p->name, o->name) || (o->alias && p->alias == o->alias) ||
			    (o->old_name && p->old_name && !strcmp(p->old_name, o->old_name)))
				return free(scratch), rule(set, o, why, len, "name or alias twice");
		if (o->off + sizeof(struct opt_strv) > size && o->flags & OPT_REPEAT &&
		    o->type != OPT_FLAG)
			return free(scratch),
			       rule(set, o, why, len, "its value lies outside the struct");
		if (o->off >= size)
			return free(scratch),
			       rule(set, o, why, len, "its value lies outside the struct");
		if (o->maxn > OPT_MAXN || (o->type == OPT_INTLIST && o->maxn > 16))
			return free(scratch), rule(set, o, why, len, "maxn is larger than the room");
		if (o->def && (o->flags & OPT_REPEAT) && o->type != OPT_FLAG)
			return free(scratch),
			       rule(set, o, why, len, "a repeatable option with a default");
		if (o->type == OPT_ENUM && !o->values)
			return free(scratch), rule(set, o, why, len, "an enum without values");
		if (o->def && convert(o, o->def, scratch, r, sizeof(r)))
			return free(scratch), rule(set, o, why, len, "the default does not convert");
		output |= (o->flags & (OPT_OUT | OPT_OUTDIR)) != 0;
	}
	free(scratch);
	if (n > MAX_OPTS)
		return rule(set, NULL, why, len, "more options than the parser counts");
	if (output && !opt_find(set->opts, "force"))
		return rule(set, NULL, why, len, "writes files but has no --force");
	return 0;
}

/* ---- files ------------------------------------------------------------- */

static void io_add(struct io_check *io, unsigned int flags, const char *label, const char *path,
		   void (*manifest)(const char *, char *, size_t))
{
	char m[4096], ml[64];

	if (!path || !strcmp(path, "-"))
		return;
	if (flags & OPT_OUT)
		io_output(io, label, path);
	else
		io_input(io, label, path);
	if ((flags & OPT_CORPUS) && manifest) {
		size_t n;

		manifest(path, m, sizeof(m));
		snprintf(ml, sizeof(ml), "%s (manifest)", label);
		if (flags & OPT_OUT)
			io_output(io, ml, m);
		else
			io_input(io, ml, m);
		/* a corpus written may have its address extents in NAME.extents beside NAME.json */
		n = strlen(m);
		if ((flags & OPT_OUT) && n > 5 && !strcmp(m + n - 5, ".json") && n + 3 < sizeof(m)) {
			strcpy(m + n - 5, ".extents");
			snprintf(ml, sizeof(ml), "%s (address extents)", label);
			io_output(io, ml, m);
		}
	}
}

void opt_io(const struct zpb_optset *set, const void *dest, struct io_check *io,
	    void (*manifest)(const char *path, char *out, size_t len))
{
	const struct zpb_operand *op = set->operand;
	const char *base = dest;
	char label[64];

	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if (!(o->flags & (OPT_IN | OPT_OUT)) ||
		    (o->type != OPT_STRING && o->type != OPT_LIST))
			continue;
		snprintf(label, sizeof(label), "--%s", o->name);
		if (o->flags & OPT_REPEAT) {
			const struct opt_strv *sv = (const struct opt_strv *)(base + o->off);

			for (int i = 0; i < sv->n; i++)
				io_add(io, o->flags, label, sv->v[i], manifest);
		} else {
			io_add(io, o->flags, label, *(const char *const *)(base + o->off), manifest);
		}
	}
	if (op && (op->flags & OPT_IN)) {
		const struct opt_strv *sv = (const struct opt_strv *)(base + op->off);

		/* an operand list shared with an option was added above */
		for (const struct zpb_opt *o = set->opts; o->name; o++)
			if (o->off == op->off && (o->flags & OPT_REPEAT) && (o->flags & OPT_IN))
				return;
		for (int i = 0; i < sv->n; i++)
			io_add(io, op->flags, op->arg, sv->v[i], manifest);
	}
}

int opt_flag(const struct zpb_optset *set, const void *dest, const char *name)
{
	const struct zpb_opt *o = opt_find(set->opts, name);

	return o && o->type == OPT_FLAG ? *(const int *)((const char *)dest + o->off) : 0;
}

/* ---- help ---------------------------------------------------------------- */

/* @text at column @col (the cursor is at @at), wrapped at HELP_WIDTH. */
static void wrap(FILE *f, const char *text, int col, int at)
{
	const char *p = text;

	if (!*text) {
		fputc('\n', f);
		return;
	}
	if (at >= col) { /* no room for a space: the text goes on the next line */
		fputc('\n', f);
		at = 0;
	}
	fprintf(f, "%*s", col - at, "");
	at = col;
	while (*p) {
		size_t w = strcspn(p, " ");

		if (at > col && at + 1 + (int)w > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", (int)w, p);
		at += (int)w;
		p += w;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/* "(1..1000; default 5; repeatable)" from the table's facts. */
static void facts(const struct zpb_opt *o, char *buf, size_t len)
{
	size_t off = 0;
	char r[64];

#define ADD(...) (off += snprintf(buf + off, off < len ? len - off : 0, __VA_ARGS__))
	buf[0] = '\0';
	if (o->type == OPT_INT || o->type == OPT_INTLIST || o->type == OPT_SIZE) {
		range_text(r, sizeof(r), o->min, o->max);
		ADD("%s%s", r, o->type == OPT_SIZE ? " bytes" : "");
	}
	if (o->type == OPT_DURATION)
		ADD("%g..%g s", o->min / 1000.0, o->max / 1000.0);
	if (o->type == OPT_REAL)
		ADD("%g..%g", o->rmin, o->rmax);
	if (o->def)
		ADD("%sdefault %s", off ? "; " : "", o->def);
	if (o->flags & OPT_REPEAT && o->type != OPT_FLAG)
		ADD("%srepeatable", off ? "; " : "");
	if (o->old_name)
		ADD("%s--%s is the same, for one release", off ? "; " : "", o->old_name);
#undef ADD
}

/* "  -V, --version" or "  --out DIR"; the columns written. */
static int left(FILE *f, const struct zpb_opt *o)
{
	char alias[8] = "", arg[160] = "";

	if (o->alias)
		snprintf(alias, sizeof(alias), "-%c, ", o->alias);
	if (o->type != OPT_FLAG)
		snprintf(arg, sizeof(arg), " %s", arg_of(o));
	return fprintf(f, "  %s--%s%s", alias, o->name, arg);
}

void opt_usage(const struct zpb_optset *set, char *buf, size_t len)
{
	const struct zpb_operand *op = set->operand;
	size_t off = snprintf(buf, len, "zpoolbench %s", set->cmd);
	bool more = false;

#define ADD(...) (off += snprintf(buf + off, off < len ? len - off : 0, __VA_ARGS__))
	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if (!(o->flags & (OPT_REQUIRED | OPT_USAGE))) {
			more |= !(o->flags & OPT_HIDDEN);
			continue;
		}
		if (o->type == OPT_FLAG)
			ADD(" --%s", o->name);
		else
			ADD(" --%s %s%s", o->name, arg_of(o),
			    o->flags & OPT_REPEAT && !strstr(arg_of(o), "...") ? "..." : "");
	}
	if (more)
		ADD(" [OPTION]...");
	/* operands that are more values of an option (run's corpora) go without saying */
	for (const struct zpb_opt *o = set->opts; op && o->name; o++)
		if (o->off == op->off && (o->flags & OPT_REPEAT))
			op = NULL;
	if (op && op->max > 0) {
		if (op->min == 0)
			ADD(" [%s]%s", op->arg, op->max > 1 ? "..." : "");
		else
			ADD(" %s%s", op->arg, op->max > op->min ? "..." : "");
	}
#undef ADD
}

void opt_help(FILE *f, const struct zpb_optset *set)
{
	/* clang-format off */
	static const struct zpb_opt builtin[] = {
		{ .name = "help", .alias = 'h', .type = OPT_FLAG, .help = "this help" },
		{ .name = "version", .alias = 'V', .type = OPT_FLAG,
		  .help = "the program's version and git commit" },
	};
	/* clang-format on */
	char usage[1024], fx[512], text[2048];

	opt_usage(set, usage, sizeof(usage));
	fprintf(f, "usage: %s\n", usage);
	if (set->about)
		fprintf(f, "\n%s", set->about);
	fprintf(f, "\noptions:\n");
	if (set->operand && set->operand->help) {
		int n = fprintf(f, "  %s", set->operand->arg);

		wrap(f, set->operand->help, HELP_COL, n);
	}
	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if (o->flags & OPT_HIDDEN)
			continue;
		facts(o, fx, sizeof(fx));
		snprintf(text, sizeof(text), "%s%s%s%s", o->help ? o->help : "", fx[0] ? " (" : "",
			 fx, fx[0] ? ")" : "");
		wrap(f, text, HELP_COL, left(f, o));
	}
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		wrap(f, builtin[i].help, HELP_COL, left(f, &builtin[i]));
	if (set->help_extra)
		set->help_extra(f);
}

/* ---- the manual page ----------------------------------------------------- */

void opt_roff(FILE *f, const char *text)
{
	bool bol = true; /* at the beginning of an output line */

	for (const char *p = text; *p; p++) {
		if (bol && (*p == '.' || *p == '\''))
			fputs("\\&", f); /* not a request */
		bol = false;
		switch (*p) {
		case '\\':
			fputs("\\e", f);
			break;
		case '-':
			fputs("\\-", f);
			break; /* options stay typeable: ASCII hyphen-minus */
		case ',':
			fputs(",\\:", f);
			break; /* a line may break after a comma of a long list */
		case '\n':
			fputc('\n', f);
			bol = true;
			break;
		default:
			fputc(*p, f);
		}
	}
}

/* "\fB\-v\fR, \fB\-\-verbose\fR \fIN\fR" */
static void man_left(FILE *f, const struct zpb_opt *o)
{
	char name[160];

	if (o->alias)
		fprintf(f, "\\fB\\-%c\\fR, ", o->alias);
	snprintf(name, sizeof(name), "--%s", o->name);
	fputs("\\fB", f);
	opt_roff(f, name);
	fputs("\\fR", f);
	if (o->type != OPT_FLAG) {
		fputs(" \\fI", f);
		opt_roff(f, arg_of(o));
		fputs("\\fR", f);
	}
	fputc('\n', f);
}

void opt_man(FILE *f, const struct zpb_optset *set)
{
	char fx[512];

	if (set->operand && set->operand->help) {
		fputs(".TP\n\\fI", f);
		opt_roff(f, set->operand->arg);
		fputs("\\fR\n", f);
		opt_roff(f, set->operand->help);
		fputc('\n', f);
	}
	for (const struct zpb_opt *o = set->opts; o->name; o++) {
		if (o->flags & OPT_HIDDEN)
			continue;
		facts(o, fx, sizeof(fx));
		fputs(".TP\n", f);
		man_left(f, o);
		opt_roff(f, o->help ? o->help : "");
		if (fx[0]) {
			fputs(" (", f);
			opt_roff(f, fx);
			fputc(')', f);
		}
		fputc('\n', f);
	}
}
