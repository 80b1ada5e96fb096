/*
 * catalog_private.h — the parts of the catalog build that live outside catalog.c:
 * listing a location with the members of its bundles (catalog_bundles.c) and telling the
 * archive's era (catalog_era.c). Not for use outside src/archive.
 */
#ifndef FF_ARCHIVE_CATALOG_PRIVATE_H
#define FF_ARCHIVE_CATALOG_PRIVATE_H

#include <string.h>

#include "archive/catalog.h"

/* The last component of a key. */
static inline const char *
ff_key_base(const char *key)
{
	const char *slash = strrchr(key, '/');

	return slash ? slash + 1 : key;
}

static inline bool
ff_key_ends_with(const char *s, const char *suffix)
{
	size_t		ls = strlen(s),
				lx = strlen(suffix);

	return ls >= lx && memcmp(s + ls - lx, suffix, lx) == 0;
}

/* A bundle named "<digits>.tar.gz", "<digits>.tgz" or "<digits>.zip": true with the epoch. */
bool		ff_catalog_bundle_epoch(const char *key, uint64_t *epoch);

/*
 * List the source into *out; when it is a bundle source, index the bundles the options ask
 * for first, then drop from the listing what the bundle mode hides (bundles 'only': the
 * unpacked folders beside bundles; 'ignore': bundle members). *bundles describes every
 * bundle of the listing, keys pointing into *out. A bundle that cannot be read is marked
 * FF_BUNDLE_FAILED (not an error of the build) unless the failure is the storage's own
 * (cancel, credentials, unavailable), which fails the listing.
 */
ff_code		ff_catalog_list_with_bundles(ff_source *src, const ff_catalog_options *opts,
										 ff_listing *out, ff_catalog_bundle **bundles,
										 size_t *n_bundles, ff_status *st);

/* Is a key a member of a bundle of the listing ("<bundle key>/...")? */
bool		ff_catalog_is_member_key(const ff_listing *l, const char *key);

/*
 * The archive's era, from the options or from what planning may read: snapshot folder
 * names and manifests, JSON rescue files, and the first record of the lowest and highest
 * epoch-ending chunk (checked against the manifests' waypoints). Sets c->era,
 * c->era_evidence and c->era_conflict. A chunk the previous build probed (same key and
 * size) is not read again. Fails only on cancel, storage failure or out of memory; an
 * unreadable probe leaves the era to the scans.
 */
ff_code		ff_catalog_detect_era(ff_catalog *c, const ff_catalog *previous, ff_source *src,
								  const ff_catalog_options *opts, ff_status *st);

/* "v5 JSON rescue dump": a key whose name ends in .json or .json.gz. */
bool		ff_catalog_is_rescue_key(const char *key);

#endif
