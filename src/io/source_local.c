/*
 * source_local.c — the local-directory source: a recursive, sorted listing of the regular
 * files under an absolute root, and sequential file streams. Keys never escape the root:
 * absolute keys and ".." components are refused, and symbolic links are followed only when
 * they resolve inside the root (directory links that loop back are skipped).
 */
#include "io/source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCAL_MAX_DEPTH		64
#define LOCAL_CANCEL_EVERY	256

typedef struct local_source
{
	ff_source	base;
	char	   *root;			/* the root as given, without trailing '/' */
	char	   *root_real;		/* realpath() of the root */
	size_t		root_real_len;
} local_source;

typedef struct local_stream
{
	ff_stream	base;
	int			fd;
	uint64_t	stored;
	char	   *key;
} local_stream;

typedef struct dir_id
{
	dev_t		dev;
	ino_t		ino;
} dir_id;

typedef struct walk_state
{
	local_source *src;
	ff_listing *out;
	ff_status  *st;
	size_t		seen;			/* entries looked at (for the cancel probe) */
	dir_id		ancestors[LOCAL_MAX_DEPTH + 1];
	int			depth;
	char		rel[PATH_MAX];	/* key prefix of the current directory ("" or "a/b/") */
} walk_state;

/* Is `path` (a realpath) the root itself or inside it? */
static bool
inside_root(const local_source *ls, const char *path)
{
	if (strncmp(path, ls->root_real, ls->root_real_len) != 0)
		return false;
	if (ls->root_real_len == 1)	/* root is "/" */
		return true;
	return path[ls->root_real_len] == '\0' || path[ls->root_real_len] == '/';
}

static ff_code walk_dir(walk_state *w, int dirfd, size_t rel_len);

/* One directory entry: add a regular file, descend into a directory, resolve a link. */
static ff_code
walk_entry(walk_state *w, int dirfd, size_t rel_len, const char *name)
{
	struct stat sb;
	size_t		name_len = strlen(name);

	if (fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
	{
		if (errno == ENOENT)
			return FF_OK;		/* vanished while listing */
		ff_status_set(w->st, FF_ERR_IO, "cannot stat \"%.*s%s\": %s", (int) rel_len, w->rel, name,
					  strerror(errno));
		return FF_ERR_IO;
	}
	if (S_ISLNK(sb.st_mode))
	{
		char		full[PATH_MAX];
		char		resolved[PATH_MAX];

		if (snprintf(full, sizeof(full), "%s/%.*s%s", w->src->root, (int) rel_len, w->rel, name)
			>= (int) sizeof(full))
			return FF_OK;
		if (!realpath(full, resolved) || !inside_root(w->src, resolved))
			return FF_OK;		/* dangling, or leads outside the root: not listed */
		if (stat(resolved, &sb) != 0)
			return FF_OK;
	}
	if (S_ISREG(sb.st_mode))
	{
		char		key[PATH_MAX];

		if (rel_len + name_len + 1 > sizeof(key))
		{
			ff_status_set(w->st, FF_ERR_LIMIT, "path too long under \"%.*s\"", (int) rel_len, w->rel);
			return FF_ERR_LIMIT;
		}
		memcpy(key, w->rel, rel_len);
		memcpy(key + rel_len, name, name_len + 1);
		if (!ff_listing_add(w->out, key, (uint64_t) sb.st_size, (int64_t) sb.st_mtime))
		{
			ff_status_set(w->st, FF_ERR_NOMEM, "out of memory listing \"%s\"", w->src->base.location);
			return FF_ERR_NOMEM;
		}
		return FF_OK;
	}
	if (S_ISDIR(sb.st_mode))
	{
		int			fd;
		ff_code		code;

		for (int i = 0; i <= w->depth; i++)
			if (w->ancestors[i].dev == sb.st_dev && w->ancestors[i].ino == sb.st_ino)
				return FF_OK;	/* a link back to an enclosing directory */
		if (w->depth >= LOCAL_MAX_DEPTH)
		{
			ff_status_set(w->st, FF_ERR_LIMIT, "directories nested deeper than %d levels at \"%.*s%s\"",
						  LOCAL_MAX_DEPTH, (int) rel_len, w->rel, name);
			return FF_ERR_LIMIT;
		}
		if (rel_len + name_len + 2 > sizeof(w->rel))
		{
			ff_status_set(w->st, FF_ERR_LIMIT, "path too long under \"%.*s\"", (int) rel_len, w->rel);
			return FF_ERR_LIMIT;
		}
		fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
		{
			ff_status_set(w->st, FF_ERR_IO, "cannot open directory \"%.*s%s\": %s", (int) rel_len,
						  w->rel, name, strerror(errno));
			return FF_ERR_IO;
		}
		memcpy(w->rel + rel_len, name, name_len);
		w->rel[rel_len + name_len] = '/';
		w->depth++;
		w->ancestors[w->depth].dev = sb.st_dev;
		w->ancestors[w->depth].ino = sb.st_ino;
		code = walk_dir(w, fd, rel_len + name_len + 1);	/* closes fd */
		w->depth--;
		return code;
	}
	return FF_OK;				/* fifos, sockets, devices: not archive objects */
}

/* List one directory (takes ownership of dirfd). */
static ff_code
walk_dir(walk_state *w, int dirfd, size_t rel_len)
{
	DIR		   *d = fdopendir(dirfd);
	struct dirent *de;
	ff_code		code = FF_OK;

	if (!d)
	{
		close(dirfd);
		ff_status_set(w->st, FF_ERR_IO, "cannot read directory \"%.*s\": %s", (int) rel_len, w->rel,
					  strerror(errno));
		return FF_ERR_IO;
	}
	for (;;)
	{
		errno = 0;
		de = readdir(d);
		if (!de)
		{
			if (errno != 0)
			{
				ff_status_set(w->st, FF_ERR_IO, "cannot read directory \"%.*s\": %s", (int) rel_len,
							  w->rel, strerror(errno));
				code = FF_ERR_IO;
			}
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++w->seen % LOCAL_CANCEL_EVERY == 0 && w->src->base.cancel && w->src->base.cancel())
		{
			ff_status_set(w->st, FF_ERR_CANCELED, "listing canceled");
			code = FF_ERR_CANCELED;
			break;
		}
		code = walk_entry(w, dirfd, rel_len, de->d_name);
		if (code != FF_OK)
			break;
	}
	closedir(d);
	return code;
}

static ff_code
local_list(ff_source *src, ff_listing *out, ff_status *st)
{
	local_source *ls = (local_source *) src;
	walk_state *w;
	struct stat sb;
	int			fd;
	ff_code		code;

	out->items = NULL;
	out->n = out->cap = 0;
	ff_status_clear(st);
	w = calloc(1, sizeof(*w));
	if (!w)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory listing \"%s\"", src->location);
	w->src = ls;
	w->out = out;
	w->st = st;
	fd = open(ls->root[0] ? ls->root : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0)
	{
		int			err = errno;

		if (fd >= 0)
			close(fd);
		free(w);
		return ff_status_set(st, err == ENOENT ? FF_ERR_NOT_FOUND : err == ENOTDIR ? FF_ERR_INVALID : FF_ERR_IO,
							 "cannot open directory \"%s\": %s", src->location, strerror(err));
	}
	w->ancestors[0].dev = sb.st_dev;
	w->ancestors[0].ino = sb.st_ino;
	code = walk_dir(w, fd, 0);
	free(w);
	if (code != FF_OK)
	{
		ff_listing_free(out);
		return code;
	}
	ff_listing_sort(out);
	return FF_OK;
}

static ssize_t
local_read(ff_stream *s, void *buf, size_t n, ff_status *st)
{
	local_stream *ls = (local_stream *) s;

	for (;;)
	{
		ssize_t		got = read(ls->fd, buf, n);

		if (got >= 0)
		{
			ls->stored += (uint64_t) got;
			return got;
		}
		if (errno == EINTR)
			continue;
		ff_status_set(st, FF_ERR_IO, "read failed: %s", strerror(errno));
		ff_status_locate(st, ls->key, -1, (int64_t) ls->stored);
		return -1;
	}
}

static void
local_stream_close(ff_stream *s)
{
	local_stream *ls = (local_stream *) s;

	if (ls->fd >= 0)
		close(ls->fd);
	free(ls->key);
	free(ls);
}

static uint64_t
local_stored_bytes(ff_stream *s)
{
	return ((local_stream *) s)->stored;
}

/* A key is a relative '/'-separated path with no "..": anything else could escape. */
static bool
key_is_safe(const char *key)
{
	const char *p = key;

	if (!key || !*key || *key == '/')
		return false;
	while (*p)
	{
		const char *slash = strchr(p, '/');
		size_t		len = slash ? (size_t) (slash - p) : strlen(p);

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return false;
		if (!slash)
			break;
		p = slash + 1;
	}
	return true;
}

static ff_code
local_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	local_source *ls = (local_source *) src;
	char		path[PATH_MAX];
	char		resolved[PATH_MAX];
	local_stream *s;
	struct stat sb;
	int			fd;

	*out = NULL;
	ff_status_clear(st);
	ff_status_locate(st, key ? key : "", -1, -1);
	if (!key_is_safe(key))
		return ff_status_set(st, FF_ERR_INVALID, "object key must be a relative path without \"..\"");
	if (snprintf(path, sizeof(path), "%s/%s", ls->root, key) >= (int) sizeof(path))
		return ff_status_set(st, FF_ERR_INVALID, "object key too long");
	if (!realpath(path, resolved))
	{
		int			err = errno;

		return ff_status_set(st, (err == ENOENT || err == ENOTDIR) ? FF_ERR_NOT_FOUND : FF_ERR_IO,
							 "cannot open: %s", strerror(err));
	}
	if (!inside_root(ls, resolved))
		return ff_status_set(st, FF_ERR_INVALID, "object resolves outside the location");
	fd = open(resolved, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
	{
		int			err = errno;

		return ff_status_set(st, err == ENOENT ? FF_ERR_NOT_FOUND : FF_ERR_IO, "cannot open: %s",
							 strerror(err));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
	{
		close(fd);
		return ff_status_set(st, FF_ERR_INVALID, "not a regular file");
	}
	if (offset > 0 && lseek(fd, (off_t) offset, SEEK_SET) == (off_t) -1)
	{
		int			err = errno;

		close(fd);
		return ff_status_set(st, FF_ERR_IO, "cannot seek to %" PRIu64 ": %s", offset, strerror(err));
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->key = strdup(key);
	if (!s || !s->key)
	{
		close(fd);
		free(s);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory opening an object");
	}
	s->fd = fd;
	s->base.read = local_read;
	s->base.close = local_stream_close;
	s->base.stored_bytes = local_stored_bytes;
	*out = &s->base;
	return FF_OK;
}

static void
local_destroy(ff_source *src)
{
	local_source *ls = (local_source *) src;

	free(ls->root);
	free(ls->root_real);
	free(ls->base.location);
	free(ls);
}

static const ff_source_ops local_ops = {
	.list = local_list,
	.open = local_open,
	.destroy = local_destroy,
};

ff_code
ff_source_local_new(const char *root, ff_cancel_fn cancel, ff_source **out, ff_status *st)
{
	local_source *ls;
	struct stat sb;
	size_t		len;
	char		resolved[PATH_MAX];

	*out = NULL;
	ff_status_clear(st);
	if (!root || root[0] != '/')
		return ff_status_set(st, FF_ERR_INVALID, "location \"%s\" is not an absolute path", root ? root : "");
	if (stat(root, &sb) != 0)
	{
		int			err = errno;

		return ff_status_set(st, (err == ENOENT || err == ENOTDIR) ? FF_ERR_NOT_FOUND : FF_ERR_IO,
							 "location \"%s\": %s", root, strerror(err));
	}
	if (!S_ISDIR(sb.st_mode))
		return ff_status_set(st, FF_ERR_INVALID, "location \"%s\" is not a directory", root);
	if (!realpath(root, resolved))
		return ff_status_set(st, FF_ERR_IO, "location \"%s\": %s", root, strerror(errno));

	ls = calloc(1, sizeof(*ls));
	if (!ls)
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	len = strlen(root);
	while (len > 1 && root[len - 1] == '/')
		len--;
	ls->root = strndup(root, len);
	ls->root_real = strdup(resolved);
	ls->base.location = strdup(root);
	if (!ls->root || !ls->root_real || !ls->base.location)
	{
		local_destroy(&ls->base);
		return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}
	if (len == 1)
		ls->root[0] = '\0';		/* root "/" — paths are built as root + "/" + key */
	ls->root_real_len = strlen(ls->root_real);
	ls->base.ops = &local_ops;
	ls->base.cancel = cancel;
	*out = &ls->base;
	return FF_OK;
}
