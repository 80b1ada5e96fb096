/*
 * test_range_set.c — unit tests for archive/range_set.c: union with merging of overlapping
 * and adjacent ranges, intersection, membership and the edges at 0 and UINT64_MAX.
 */
#include "archive/range_set.h"
#include "unit.h"

static bool
is(const ff_range_set *s, size_t n, const uint64_t *pairs)
{
	if (s->n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s->r[i].lo != pairs[2 * i] || s->r[i].hi != pairs[2 * i + 1])
			return false;
	return true;
}

static void
test_add_merge(void)
{
	ff_range_set s;

	ff_range_set_init_empty(&s);
	CHECK(ff_range_set_is_empty(&s));
	CHECK(ff_range_set_add(&s, 10, 20));
	CHECK(ff_range_set_add(&s, 30, 40));
	CHECK(ff_range_set_add(&s, 5, 3));	/* ignored */
	CHECK(is(&s, 2, (uint64_t[]) {10, 20, 30, 40}));
	CHECK(ff_range_set_add(&s, 21, 29));	/* adjacent on both sides: one range */
	CHECK(is(&s, 1, (uint64_t[]) {10, 40}));
	CHECK(ff_range_set_add(&s, 50, 60));
	CHECK(ff_range_set_add(&s, 0, 0));
	CHECK(ff_range_set_add(&s, 2, 2));
	CHECK(is(&s, 4, (uint64_t[]) {0, 0, 2, 2, 10, 40, 50, 60}));
	CHECK(ff_range_set_add(&s, 1, 1));	/* joins 0 and 2 */
	CHECK(is(&s, 3, (uint64_t[]) {0, 2, 10, 40, 50, 60}));
	CHECK(ff_range_set_add(&s, 3, 55));	/* swallows the middle */
	CHECK(is(&s, 1, (uint64_t[]) {0, 60}));
	CHECK(ff_range_set_add(&s, 62, 70));
	CHECK(ff_range_set_add(&s, 61, 61));
	CHECK(is(&s, 1, (uint64_t[]) {0, 70}));
	ff_range_set_free(&s);
	CHECK(s.n == 0 && s.r == NULL);

	/* insertion in front and in between, in any order */
	ff_range_set_init_empty(&s);
	CHECK(ff_range_set_add(&s, 100, 110));
	CHECK(ff_range_set_add(&s, 50, 60));
	CHECK(ff_range_set_add(&s, 80, 90));
	CHECK(ff_range_set_add(&s, 1, 2));
	CHECK(is(&s, 4, (uint64_t[]) {1, 2, 50, 60, 80, 90, 100, 110}));
	CHECK(ff_range_set_add(&s, 55, 85));
	CHECK(is(&s, 3, (uint64_t[]) {1, 2, 50, 90, 100, 110}));
	for (uint64_t v = 200; v < 300; v += 2)
		CHECK(ff_range_set_add(&s, v, v));
	CHECK(s.n == 53);
	for (uint64_t v = 201; v < 300; v += 2)
		CHECK(ff_range_set_add(&s, v, v));
	CHECK(is(&s, 4, (uint64_t[]) {1, 2, 50, 90, 100, 110, 200, 299}));
	ff_range_set_free(&s);
}

static void
test_edges(void)
{
	ff_range_set s;
	uint64_t	lo,
				hi;

	CHECK(ff_range_set_init_all(&s));
	CHECK(ff_range_set_is_all(&s));
	CHECK(ff_range_set_contains(&s, 0));
	CHECK(ff_range_set_contains(&s, UINT64_MAX));
	CHECK(ff_range_set_add(&s, UINT64_MAX, UINT64_MAX));
	CHECK(ff_range_set_add(&s, 0, UINT64_MAX));
	CHECK(ff_range_set_is_all(&s));
	ff_range_set_free(&s);

	ff_range_set_init_empty(&s);
	CHECK(!ff_range_set_bounds(&s, &lo, &hi));
	CHECK(ff_range_set_add(&s, UINT64_MAX, UINT64_MAX));
	CHECK(ff_range_set_add(&s, UINT64_MAX - 2, UINT64_MAX - 2));
	CHECK(is(&s, 2, (uint64_t[]) {UINT64_MAX - 2, UINT64_MAX - 2, UINT64_MAX, UINT64_MAX}));
	CHECK(ff_range_set_add(&s, UINT64_MAX - 1, UINT64_MAX - 1));	/* adjacency at the top */
	CHECK(is(&s, 1, (uint64_t[]) {UINT64_MAX - 2, UINT64_MAX}));
	CHECK(ff_range_set_add(&s, 0, 0));
	CHECK(ff_range_set_add(&s, 1, UINT64_MAX - 3));
	CHECK(ff_range_set_is_all(&s));
	CHECK(ff_range_set_bounds(&s, &lo, &hi) && lo == 0 && hi == UINT64_MAX);
	ff_range_set_free(&s);

	/* a range ending at UINT64_MAX next to one starting at 0 is not adjacent (no wrap) */
	ff_range_set_init_empty(&s);
	CHECK(ff_range_set_add(&s, 5, UINT64_MAX));
	CHECK(ff_range_set_add(&s, 0, 3));
	CHECK(is(&s, 2, (uint64_t[]) {0, 3, 5, UINT64_MAX}));
	CHECK(!ff_range_set_contains(&s, 4));
	CHECK(ff_range_set_overlaps(&s, 4, 5));
	CHECK(!ff_range_set_overlaps(&s, 4, 4));
	CHECK(!ff_range_set_overlaps(&s, 9, 8));
	CHECK(!ff_range_set_is_all(&s));
	ff_range_set_free(&s);
}

static void
test_intersect(void)
{
	ff_range_set a,
				b,
				c;

	ff_range_set_init_empty(&a);
	ff_range_set_init_empty(&b);
	CHECK(ff_range_set_add(&a, 0, 10));
	CHECK(ff_range_set_add(&a, 20, 30));
	CHECK(ff_range_set_add(&a, 40, UINT64_MAX));
	CHECK(ff_range_set_add(&b, 5, 25));
	CHECK(ff_range_set_add(&b, 35, 45));
	CHECK(ff_range_set_add(&b, UINT64_MAX, UINT64_MAX));
	CHECK(ff_range_set_copy(&c, &a));
	CHECK(ff_range_set_intersect(&c, &b));
	CHECK(is(&c, 4, (uint64_t[]) {5, 10, 20, 25, 40, 45, UINT64_MAX, UINT64_MAX}));
	ff_range_set_free(&c);

	CHECK(ff_range_set_copy(&c, &a));
	CHECK(ff_range_set_intersect_range(&c, 8, 41));
	CHECK(is(&c, 3, (uint64_t[]) {8, 10, 20, 30, 40, 41}));
	CHECK(ff_range_set_intersect_range(&c, 11, 19));
	CHECK(ff_range_set_is_empty(&c));
	ff_range_set_free(&c);

	CHECK(ff_range_set_copy(&c, &a));
	CHECK(ff_range_set_intersect_range(&c, 3, 2));	/* lo > hi empties */
	CHECK(ff_range_set_is_empty(&c));
	ff_range_set_free(&c);

	/* intersect with the full set is the identity; with the empty set is empty */
	CHECK(ff_range_set_init_all(&c));
	CHECK(ff_range_set_intersect(&c, &a));
	CHECK(is(&c, 3, (uint64_t[]) {0, 10, 20, 30, 40, UINT64_MAX}));
	ff_range_set_free(&c);
	ff_range_set_init_empty(&c);
	CHECK(ff_range_set_intersect(&a, &c));
	CHECK(ff_range_set_is_empty(&a));

	/* copy of an empty set */
	CHECK(ff_range_set_copy(&c, &a));
	CHECK(ff_range_set_is_empty(&c));
	ff_range_set_free(&a);
	ff_range_set_free(&b);
	ff_range_set_free(&c);
}

static void
test_membership(void)
{
	ff_range_set s;
	uint64_t	lo,
				hi;

	ff_range_set_init_empty(&s);
	CHECK(!ff_range_set_contains(&s, 0));
	CHECK(!ff_range_set_overlaps(&s, 0, UINT64_MAX));
	for (uint64_t v = 10; v <= 100; v += 10)
		CHECK(ff_range_set_add(&s, v, v + 4));
	CHECK(ff_range_set_contains(&s, 10));
	CHECK(ff_range_set_contains(&s, 14));
	CHECK(!ff_range_set_contains(&s, 15));
	CHECK(!ff_range_set_contains(&s, 9));
	CHECK(ff_range_set_contains(&s, 104));
	CHECK(!ff_range_set_contains(&s, 105));
	CHECK(ff_range_set_overlaps(&s, 0, 10));
	CHECK(!ff_range_set_overlaps(&s, 0, 9));
	CHECK(ff_range_set_overlaps(&s, 104, UINT64_MAX));
	CHECK(!ff_range_set_overlaps(&s, 105, UINT64_MAX));
	CHECK(!ff_range_set_overlaps(&s, 45, 49));
	CHECK(ff_range_set_overlaps(&s, 45, 50));
	CHECK(ff_range_set_bounds(&s, &lo, &hi) && lo == 10 && hi == 104);
	ff_range_set_free(&s);
}

int
main(void)
{
	RUN(test_add_merge);
	RUN(test_edges);
	RUN(test_intersect);
	RUN(test_membership);
	return unit_summary("range_set");
}
