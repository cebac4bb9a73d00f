// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_perm.c - the computed permutation the workloads visit slots in:
 * every value of [0, n) exactly once, for sizes at and around powers of
 * two, another order for another seed, and not the identity.
 */
#include <stdlib.h>

#include "../harness.h"
#include "util.h"

TEST(perm_visits_every_value_once)
{
	static const uint64_t sizes[] = { 1,  2,    3,	   4,	  5,	 15,	16,
					  17, 1000, 65535, 65536, 65537, 300001 };

	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		uint64_t n = sizes[k], rng = 7 + k, moved = 0;
		unsigned char *seen = calloc(n, 1);
		struct zpb_perm p;

		CHECK(seen);
		zpb_perm_init(&p, n, &rng);
		for (uint64_t i = 0; i < n; i++) {
			uint64_t v = zpb_perm_at(&p, i);

			CHECK(v < n);
			CHECK(!seen[v]);
			seen[v] = 1;
			moved += v != i;
		}
		if (n >= 16)
			CHECK(moved > n / 2); /* a shuffle, not the identity */
		free(seen);
	}
}

TEST(perm_depends_on_the_seed)
{
	uint64_t a = 1, b = 2, differ = 0;
	struct zpb_perm p, q;

	zpb_perm_init(&p, 100000, &a);
	zpb_perm_init(&q, 100000, &b);
	for (uint64_t i = 0; i < 100000; i++)
		differ += zpb_perm_at(&p, i) != zpb_perm_at(&q, i);
	CHECK(differ > 90000);
}
