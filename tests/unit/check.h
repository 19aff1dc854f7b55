/* A minimal test harness: CHECK records a failure with file:line and goes
 * on, so one run shows every broken expectation. check_summary() prints the
 * "N passed, N failed" line CI reads and returns the exit status. */
#ifndef CD_TEST_CHECK_H
#define CD_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                \
	do {                                                                       \
		if (cond) {                                                        \
			check_passed++;                                            \
		} else {                                                           \
			check_failed++;                                            \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                            \
	do {                                                                       \
		const char *a_ = (a), *b_ = (b);                                   \
		if (a_ && b_ && strcmp(a_, b_) == 0) {                             \
			check_passed++;                                            \
		} else {                                                           \
			check_failed++;                                            \
			fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", expected \"%s\"\n", \
				__FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		}                                                                  \
	} while (0)

static inline int check_summary(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
