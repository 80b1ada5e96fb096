/*
 * range_set.h — sets of u64 values kept as sorted, disjoint, inclusive ranges. Pushed-down
 * predicates on version and epoch become range sets (AND = intersect, IN = union of points),
 * and pruning keeps the objects whose range overlaps the set.
 */
#ifndef FF_ARCHIVE_RANGE_SET_H
#define FF_ARCHIVE_RANGE_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ff_range
{
	uint64_t	lo;				/* inclusive */
	uint64_t	hi;				/* inclusive */
} ff_range;

typedef struct ff_range_set
{
	ff_range   *r;				/* malloc'ed; sorted by lo, disjoint, not adjacent */
	size_t		n;
	size_t		cap;
} ff_range_set;

/* All functions returning bool return false only when malloc fails. */
void		ff_range_set_init_empty(ff_range_set *s);
bool		ff_range_set_init_all(ff_range_set *s);		/* [0, UINT64_MAX] */
void		ff_range_set_free(ff_range_set *s);
bool		ff_range_set_copy(ff_range_set *dst, const ff_range_set *src);
/* Union with [lo, hi] (ignored when lo > hi); merges overlapping and adjacent ranges. */
bool		ff_range_set_add(ff_range_set *s, uint64_t lo, uint64_t hi);
/* Intersect with [lo, hi] (lo > hi empties the set). */
bool		ff_range_set_intersect_range(ff_range_set *s, uint64_t lo, uint64_t hi);
/* s := s ∩ other */
bool		ff_range_set_intersect(ff_range_set *s, const ff_range_set *other);
bool		ff_range_set_is_empty(const ff_range_set *s);
bool		ff_range_set_is_all(const ff_range_set *s);
bool		ff_range_set_contains(const ff_range_set *s, uint64_t v);
bool		ff_range_set_overlaps(const ff_range_set *s, uint64_t lo, uint64_t hi);
/* Smallest and largest member; false when empty. */
bool		ff_range_set_bounds(const ff_range_set *s, uint64_t *lo, uint64_t *hi);

#endif
