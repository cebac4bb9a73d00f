// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_list.c - `zpoolbench list`: the allocators and the keys of their specs.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "zpool.h"

struct list_args {
	int check;
	int table;
	struct opt_strv specs;
};

#define O(f) offsetof(struct list_args, f)

static const struct zpb_opt list_opts[] = {
	{ .name = "check", .type = OPT_FLAG, .off = O(check),
	  .help = "check each SPEC as run and sweep do (parse, then create a pool) and print it "
		  "normalised; the first bad one is a one-line error, exit 2" },
	{ .name = "table", .type = OPT_FLAG, .off = O(table),
	  .help = "as --check, then print the allocator's size table for each SPEC (chunks, "
		  "classes or block types; e.g. zsmalloc:page=16384)" },
	{ .name = NULL },
};

static const struct zpb_operand list_operand = {
	.arg = "SPEC", .min = 0, .max = OPT_MAXN, .off = O(specs),
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
			"'zpoolbench list --help'", a->specs.v[0]);
		return 2;
	}
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
