/*
 * unit.h — the smallest test harness: CHECK macros that count, and a summary line
 * "N passed, N failed" that the test runner (and CI) reads. One binary per layer file.
 */
#ifndef FF_TEST_UNIT_H
#define FF_TEST_UNIT_H

#include <stdio.h>
#include <string.h>
#include <inttypes.h>

static int	unit_passed;
static int	unit_failed;

#define CHECK(cond) do { \
	if (cond) unit_passed++; \
	else { unit_failed++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_EQ_U64(a, b) do { \
	uint64_t _a = (uint64_t) (a), _b = (uint64_t) (b); \
	if (_a == _b) unit_passed++; \
	else { unit_failed++; fprintf(stderr, "%s:%d: %s == %s failed: %" PRIu64 " != %" PRIu64 "\n", \
								  __FILE__, __LINE__, #a, #b, _a, _b); } \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *_a = (a), *_b = (b); \
	if (_a && _b && strcmp(_a, _b) == 0) unit_passed++; \
	else { unit_failed++; fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" != \"%s\"\n", \
								  __FILE__, __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)"); } \
} while (0)

/* Runs a test function and names it on failure. */
#define RUN(fn) do { int _f = unit_failed; fn(); if (unit_failed != _f) fprintf(stderr, "  in %s\n", #fn); } while (0)

/* Prints the summary; returns the process exit status. */
static inline int
unit_summary(const char *suite)
{
	printf("%s: %d passed, %d failed\n", suite, unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}

#endif
