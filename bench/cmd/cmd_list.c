// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_list.c - `zpoolbench list`: the allocators and the keys of their specs.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "output/results.h"
#include "util.h"
#include "zpool.h"

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

struct list_args {
	int format;
	int check;
	int table;
	struct opt_strv specs;
};

#define O(f) offsetof(struct list_args, f)

/* clang-format off */
static const struct zpb_opt list_opts[] = {
	{ .name = "format", .type = OPT_ENUM, .values = "table|csv|json", .def = "table",
	  .off = O(format),
	  .help = "the allocators as a table, or as CSV (allocator,key,values,default,help: a "
		  "row with an empty key for each allocator, then one per key) or JSON" },
	{ .name = "check", .type = OPT_FLAG, .off = O(check),
	  .help = "check each SPEC as run and sweep do (parse, then create a pool) and print it "
		  "normalised; the first bad one is a one-line error, exit 2" },
	{ .name = "table", .type = OPT_FLAG, .off = O(table),
	  .help = "as --check, then print the allocator's size table for each SPEC (chunks, "
		  "classes or block types; e.g. zsmalloc:page=16384)" },
	{ .name = NULL },
};
/* clang-format on */

static const struct zpb_operand list_operand = {
	.arg = "SPEC",
	.min = 0,
	.max = OPT_MAXN,
	.off = O(specs),
	.help = "allocator specs, with --check or --table",
};

static int check_specs(const struct list_args *a)
{
	char err[512];

	for (int i = 0; i < a->specs.n; i++) {
		struct zpool_config cfg;
		struct zpool *zp;

		if (zpool_parse_spec(a->specs.v[i], &cfg, err, sizeof(err)) ||
		    !(zp = zpool_create(a->specs.v[i], NULL, err, sizeof(err)))) {
			zpb_err("list: %s: %s", a->table ? "--table" : "--check", err);
			return 2;
		}
		printf("%s\n", cfg.spec);
		if (a->table && zp->drv->size_table)
			zp->drv->size_table(zp->pool, stdout);
		else if (a->table)
			printf("(%s has no size table)\n", zp->drv->name);
		zpool_destroy(zp);
	}
	return 0;
}

/* "0|1" or "1..16": the values a key takes. */
static void valid_values(const struct zpool_param *p, char *buf, size_t len)
{
	if (p->values)
		snprintf(buf, len, "%s", p->values);
	else
		snprintf(buf, len, "%ld..%ld", p->min, p->max);
}

static void csv_row(const char *alloc, const char *key, const char *values, const char *def,
		    const char *help)
{
	csv_field(stdout, alloc);
	putchar(',');
	csv_field(stdout, key);
	putchar(',');
	csv_field(stdout, values);
	putchar(',');
	csv_field(stdout, def);
	putchar(',');
	csv_field(stdout, help);
	putchar('\n');
}

static void json_key(struct jw *w, const struct zpool_param *p)
{
	jw_obj(w);
	jw_key(w, "key");
	jw_str(w, p->key);
	jw_key(w, "values");
	if (p->values) {
		const char *v = p->values;

		jw_arr(w);
		for (;;) {
			size_t n = strcspn(v, "|");

			jw_strn(w, v, n);
			if (!v[n])
				break;
			v += n + 1;
		}
		jw_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "min"); /* a range, for keys without a list of values */
	if (p->values)
		jw_null(w);
	else
		jw_i64(w, p->min);
	jw_key(w, "max");
	if (p->values)
		jw_null(w);
	else
		jw_i64(w, p->max);
	jw_key(w, "default");
	jw_str(w, p->def);
	jw_key(w, "help");
	jw_str(w, p->help);
	jw_end(w);
}

/* The registry for programs (the bash completion is generated from the CSV). */
static int print_machine(bool json, const struct zpool_driver *const *drv, int n)
{
	char valid[128];
	struct jw w;

	if (json) {
		jw_init(&w, stdout, true);
		jw_obj(&w);
		jw_key(&w, "allocators");
		jw_arr(&w);
	} else {
		printf("allocator,key,values,default,help\n");
	}
	for (int i = 0; i < n; i++) {
		if (json) {
			jw_obj(&w);
			jw_key(&w, "name");
			jw_str(&w, drv[i]->name);
			jw_key(&w, "summary");
			jw_str(&w, drv[i]->summary);
			jw_key(&w, "keys");
			jw_arr(&w);
		} else {
			csv_row(drv[i]->name, "", "", "", drv[i]->summary);
		}
		for (const struct zpool_param *p = drv[i]->params; p && p->key; p++) {
			valid_values(p, valid, sizeof(valid));
			if (json)
				json_key(&w, p);
			else
				csv_row(drv[i]->name, p->key, valid, p->def, p->help);
		}
		if (json) {
			jw_end(&w);
			jw_end(&w);
		}
	}
	if (json) {
		jw_end(&w);
		jw_end(&w);
		jw_finish(&w);
	}
	return 0;
}

/* The largest object of a default pool of @spec (0: none created); *own: a multi-page design. */
static size_t max_object(const char *spec, bool *own)
{
	char err[256];
	struct zpool *zp = zpool_create(spec, NULL, err, sizeof(err));
	size_t max;

	if (!zp)
		return 0;
	max = zpool_max_size(zp);
	*own = max > zpool_page_size(zp) && zpool_huge_size_unit(zp, max);
	zpool_destroy(zp);
	return max;
}

/*
 * What `run --unit` can give @d at 4 KiB pages: the largest object of its
 * default pool, and the multi-page units it holds (with mp=N where the
 * design has them).
 */
static void print_units(const struct zpool_driver *d)
{
	bool own = false, mp = false;
	size_t max = max_object(d->name, &own);
	char spec[64];

	for (const struct zpool_param *p = d->params; p && p->key; p++)
		mp |= !strcmp(p->key, "mp");
	if (mp) {
		printf("  %-18s 4k; 16k with mp=2, 64k with mp=4 (objects up to the unit: the "
		       "multi-page RFC; no other unit is held)\n",
		       "--unit");
		for (int n = 2; n <= 4; n += 2) {
			snprintf(spec, sizeof(spec), "%s:mp=%d", d->name, n);
			if (max_object(spec, &own) != (size_t)ZPOOL_PAGE_SIZE << n || !own)
				printf("  (%s does not hold its unit)\n", spec);
		}
		return;
	}
	if (max >= 65536)
		printf("  %-18s 4k, 16k, 64k (objects up to %zu B; not a kernel design)\n",
		       "--unit", max);
	else
		printf("  %-18s 4k only: objects up to %zu B at 4 KiB pages, no multi-page design; "
		       "--unit 16k/64k is refused\n",
		       "--unit", max);
}

static int list_main(void *opts, int argc, char **argv)
{
	const struct list_args *a = opts;
	const struct zpool_driver *drv[32];
	int n = zpool_drivers(drv, 32);

	(void)argc;
	(void)argv;
	if ((a->check || a->table) && !a->specs.n) {
		zpb_err("list: %s: give one or more allocator specs; see 'zpoolbench list --help'",
			a->table ? "--table" : "--check");
		return 2;
	}
	if (a->check || a->table)
		return check_specs(a);
	if (a->specs.n) {
		zpb_err("list: unexpected argument '%s' (specs go with --check or --table); see "
			"'zpoolbench list --help'",
			a->specs.v[0]);
		return 2;
	}
	if (a->format != FMT_TABLE)
		return print_machine(a->format == FMT_JSON, drv, n);
	printf("allocator specs: NAME[:key=value,...]\n\n");
	for (int i = 0; i < n; i++) {
		printf("%-10s %s\n", drv[i]->name, drv[i]->summary);
		for (const struct zpool_param *p = drv[i]->params; p && p->key; p++) {
			char valid[128];

			if (p->values)
				snprintf(valid, sizeof(valid), "%s", p->values);
			else
				snprintf(valid, sizeof(valid), "%ld..%ld", p->min, p->max);
			printf("  %-18s %-26s default %-7s %s\n", p->key, valid, p->def, p->help);
		}
		print_units(drv[i]);
	}
	printf("\n(size tables: zpoolbench list --table SPEC, e.g. zsmalloc:page=16384 or "
	       "zblock:table=pow2)\n");
	return 0;
}

static const struct zpb_cmd list_cmd = {
	.name = "list",
	.summary = "list the allocators and the parameters of their specs",
	.about = "Lists the allocators, the keys of their specs, the valid values and the\n"
		 "defaults.  A spec is NAME[:key=value,...].\n",
	.opts = list_opts,
	.operand = &list_operand,
	.size = sizeof(struct list_args),
	.run = list_main,
	.order = 90,
};

ZPB_COMMAND(list_cmd)
