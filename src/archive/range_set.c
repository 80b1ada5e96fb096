/*
 * range_set.c — sets of u64 values as sorted, disjoint, non-adjacent inclusive ranges.
 * Adjacency tests are written as hi + 1 == lo only after checking hi < UINT64_MAX, so
 * nothing overflows at the top edge.
 */
#include "archive/range_set.h"

#include <stdlib.h>
#include <string.h>

void
ff_range_set_init_empty(ff_range_set *s)
{
	s->r = NULL;
	s->n = 0;
	s->cap = 0;
}

void
ff_range_set_free(ff_range_set *s)
{
	free(s->r);
	ff_range_set_init_empty(s);
}

static bool
rs_reserve(ff_range_set *s, size_t need)
{
	ff_range   *p;
	size_t		cap;

	if (need <= s->cap)
		return true;
	cap = s->cap ? s->cap : 4;
	while (cap < need)
		cap *= 2;
	p = realloc(s->r, cap * sizeof(*p));
	if (!p)
		return false;
	s->r = p;
	s->cap = cap;
	return true;
}

bool
ff_range_set_init_all(ff_range_set *s)
{
	ff_range_set_init_empty(s);
	if (!rs_reserve(s, 1))
		return false;
	s->r[0].lo = 0;
	s->r[0].hi = UINT64_MAX;
	s->n = 1;
	return true;
}

bool
ff_range_set_copy(ff_range_set *dst, const ff_range_set *src)
{
	ff_range_set_init_empty(dst);
	if (src->n == 0)
		return true;
	if (!rs_reserve(dst, src->n))
		return false;
	memcpy(dst->r, src->r, src->n * sizeof(*src->r));
	dst->n = src->n;
	return true;
}

/* Do [a_lo, a_hi] and [b_lo, b_hi] (a before or at b) overlap or touch? */
static inline bool
touches(uint64_t a_hi, uint64_t b_lo)
{
	return b_lo <= a_hi || (a_hi < UINT64_MAX && a_hi + 1 == b_lo);
}

bool
ff_range_set_add(ff_range_set *s, uint64_t lo, uint64_t hi)
{
	size_t		first;
	size_t		last;

	if (lo > hi)
		return true;
	/* first range that ends at or after lo - 1 (i.e. may touch [lo, hi]) */
	first = 0;
	{
		size_t		a = 0,
					b = s->n;

		while (a < b)
		{
			size_t		m = a + (b - a) / 2;

			if (touches(s->r[m].hi, lo))
				b = m;
			else
				a = m + 1;
		}
		first = a;
	}
	/* ranges first..last-1 touch [lo, hi] and merge with it */
	last = first;
	while (last < s->n && touches(hi, s->r[last].lo))
		last++;
	if (first == last)
	{
		if (!rs_reserve(s, s->n + 1))
			return false;
		memmove(&s->r[first + 1], &s->r[first], (s->n - first) * sizeof(*s->r));
		s->r[first].lo = lo;
		s->r[first].hi = hi;
		s->n++;
		return true;
	}
	if (s->r[first].lo < lo)
		lo = s->r[first].lo;
	if (s->r[last - 1].hi > hi)
		hi = s->r[last - 1].hi;
	s->r[first].lo = lo;
	s->r[first].hi = hi;
	memmove(&s->r[first + 1], &s->r[last], (s->n - last) * sizeof(*s->r));
	s->n -= last - first - 1;
	return true;
}

bool
ff_range_set_intersect_range(ff_range_set *s, uint64_t lo, uint64_t hi)
{
	size_t		out = 0;

	if (lo > hi)
	{
		s->n = 0;
		return true;
	}
	for (size_t i = 0; i < s->n; i++)
	{
		uint64_t	a = s->r[i].lo > lo ? s->r[i].lo : lo;
		uint64_t	b = s->r[i].hi < hi ? s->r[i].hi : hi;

		if (a <= b)
		{
			s->r[out].lo = a;
			s->r[out].hi = b;
			out++;
		}
	}
	s->n = out;
	return true;
}

bool
ff_range_set_intersect(ff_range_set *s, const ff_range_set *other)
{
	ff_range_set res;
	size_t		i = 0,
				j = 0;

	ff_range_set_init_empty(&res);
	while (i < s->n && j < other->n)
	{
		uint64_t	a = s->r[i].lo > other->r[j].lo ? s->r[i].lo : other->r[j].lo;
		uint64_t	b = s->r[i].hi < other->r[j].hi ? s->r[i].hi : other->r[j].hi;

		if (a <= b)
		{
			if (!rs_reserve(&res, res.n + 1))
			{
				ff_range_set_free(&res);
				return false;
			}
			res.r[res.n].lo = a;
			res.r[res.n].hi = b;
			res.n++;
		}
		if (s->r[i].hi < other->r[j].hi)
			i++;
		else
			j++;
	}
	ff_range_set_free(s);
	*s = res;
	return true;
}

bool
ff_range_set_is_empty(const ff_range_set *s)
{
	return s->n == 0;
}

bool
ff_range_set_is_all(const ff_range_set *s)
{
	return s->n == 1 && s->r[0].lo == 0 && s->r[0].hi == UINT64_MAX;
}

/* Index of the first range with hi >= v (s->n if none). */
static size_t
first_ending_at_or_after(const ff_range_set *s, uint64_t v)
{
	size_t		a = 0,
				b = s->n;

	while (a < b)
	{
		size_t		m = a + (b - a) / 2;

		if (s->r[m].hi >= v)
			b = m;
		else
			a = m + 1;
	}
	return a;
}

bool
ff_range_set_contains(const ff_range_set *s, uint64_t v)
{
	size_t		i = first_ending_at_or_after(s, v);

	return i < s->n && s->r[i].lo <= v;
}

bool
ff_range_set_overlaps(const ff_range_set *s, uint64_t lo, uint64_t hi)
{
	size_t		i;

	if (lo > hi)
		return false;
	i = first_ending_at_or_after(s, lo);
	return i < s->n && s->r[i].lo <= hi;
}

bool
ff_range_set_bounds(const ff_range_set *s, uint64_t *lo, uint64_t *hi)
{
	if (s->n == 0)
		return false;
	*lo = s->r[0].lo;
	*hi = s->r[s->n - 1].hi;
	return true;
}
