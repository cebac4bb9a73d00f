/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * harness.h - the unit-test harness.  A test is
 *
 *	TEST(zbud_two_per_page) { ... CHECK(x == 2); CHECK_EQ(a, b); ... }
 *
 * in any file under tests/unit/; it registers itself.  CHECK* stop the test at the
 * first failure and print file:line and the values.  SKIP("why") ends a test
 * as skipped with its reason.  The runner prints one line per test and ends
 * with "N passed, N failed, N skipped".  `zpb-tests PATTERN...` runs only tests
 * whose name contains one of the patterns.
 */
#ifndef ZPB_HARNESS_H
#define ZPB_HARNESS_H

#include <stdint.h>
#include <stdio.h>

struct zt_test {
	const char *name;
	void (*fn)(void);
};

void zt_register(const struct zt_test *t);
void zt_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void zt_skip(const char *reason);
int zt_failed(void);

#define TEST(fn_)                                                   \
	static void fn_(void);                                      \
	static const struct zt_test zt_desc_##fn_ = { #fn_, fn_ };  \
	__attribute__((constructor)) static void zt_reg_##fn_(void) \
	{                                                           \
		zt_register(&zt_desc_##fn_);                        \
	}                                                           \
	static void fn_(void)

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			zt_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
			return;                                          \
		}                                                        \
	} while (0)

#define CHECK_EQ(a, b)                                                                       \
	do {                                                                                 \
		long long zt_a_ = (long long)(a), zt_b_ = (long long)(b);                    \
		if (zt_a_ != zt_b_) {                                                        \
			zt_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, zt_a_, \
				zt_b_);                                                      \
			return;                                                              \
		}                                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                                        \
	do {                                                                                   \
		const char *zt_a_ = (a), *zt_b_ = (b);                                         \
		if (strcmp(zt_a_, zt_b_)) {                                                    \
			zt_fail(__FILE__, __LINE__, "%s: \"%s\" != \"%s\"", #a, zt_a_, zt_b_); \
			return;                                                                \
		}                                                                              \
	} while (0)

#define SKIP(reason)             \
	do {                     \
		zt_skip(reason); \
		return;          \
	} while (0)

/* For helpers called from tests: return if the test already failed. */
#define CHECK_OK()               \
	do {                     \
		if (zt_failed()) \
			return;  \
	} while (0)

#endif /* ZPB_HARNESS_H */
