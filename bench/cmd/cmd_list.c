// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_list.c - `zpoolbench list`: the allocators and the keys of their specs.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "zpool.h"

static int list_main(int argc, char **argv)
{
	const struct zpool_driver *drv[32];
	int n = zpool_drivers(drv, 32);

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: zpoolbench list [--check SPEC...]\n\nLists the allocators, the keys of "
		       "their specs, the valid values\nand the defaults.  A spec is "
		       "NAME[:key=value,...].\n\n"
		       "  --check SPEC...  check each spec as run and sweep do (parse, then create a\n"
		       "                   pool) and print it normalised; the first bad one is a\n"
		       "                   one-line error, exit 2\n");
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "--check")) {
		char err[512];

		if (argc < 3) {
			zpb_err("list --check: give one or more allocator specs");
			return 2;
		}
		for (int i = 2; i < argc; i++) {
			struct zpool_config cfg;
			struct zpool *zp;

			if (zpool_parse_spec(argv[i], &cfg, err, sizeof(err)) ||
			    !(zp = zpool_create(argv[i], NULL, err, sizeof(err)))) {
				zpb_err("%s", err);
				return 2;
			}
			zpool_destroy(zp);
			printf("%s\n", cfg.spec);
		}
		return 0;
	}
	if (argc > 1) {
		zpb_err("list: takes no arguments ('%s' given)", argv[1]);
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
	return 0;
}

static const struct zpb_cmd list_cmd = {
	.name = "list",
	.usage = "",
	.summary = "list the allocators and the parameters of their specs",
	.run = list_main,
	.order = 90,
};

ZPB_COMMAND(list_cmd)
