/*
 * unit_files.h — file helpers shared by the unit tests that write archives to disk: removing
 * a temporary tree, gzip-compressing a buffer (one member, as the archives do) and finding
 * the real samples (FF_SHARED_DATA, else ../shared/data). Include after defining
 * _GNU_SOURCE; link with zlib.
 */
#ifndef FF_UNIT_FILES_H
#define FF_UNIT_FILES_H

#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

static int
unit_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void) sb;
	(void) flag;
	(void) ftw;
	return remove(path);
}

/* Remove dir and everything under it (links are removed, not followed). */
static inline void
rm_rf(const char *dir)
{
	nftw(dir, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* gzip-compress data into a malloc'ed buffer (one member). */
static inline uint8_t *
gz(const void *data, size_t len, size_t *out_len)
{
	z_stream	z;
	size_t		cap = compressBound(len) + 64;
	uint8_t    *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (Bytef *) data;
	z.avail_in = (uInt) len;
	z.next_out = out;
	z.avail_out = (uInt) cap;
	deflate(&z, Z_FINISH);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* The real samples' folder (resolved) into out; false when it is not there. */
static inline bool
shared_data(char *out, size_t size)
{
	const char *env = getenv("FF_SHARED_DATA");
	char		probe[PATH_MAX];
	struct stat sb;

	if (!realpath(env && *env ? env : "../shared/data", probe) || stat(probe, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return false;
	snprintf(out, size, "%s", probe);
	return true;
}

#endif
