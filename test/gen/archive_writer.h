/*
 * archive_writer.h — writes the files of a synthetic archive under a root
 * directory: creates parent folders, applies the compression mode (gzip with
 * or without a ".gz" suffix, plain, or a deterministic per-file mix), checks
 * every write and keeps the list of objects written (key, kind, stored size,
 * compression) for objects.csv.
 */
#ifndef FIXTUREGEN_ARCHIVE_WRITER_H
#define FIXTUREGEN_ARCHIVE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum compression_mode
{
	COMPRESSION_GZIP,			/* gzip data, name unchanged (like the real sample) */
	COMPRESSION_GZIP_SUFFIX,	/* gzip data, ".gz" appended to the name */
	COMPRESSION_PLAIN,
	COMPRESSION_MIXED			/* one of the three above per file, from (seed, name) */
} compression_mode;

/* What a file is, as the objects table names it. */
typedef enum object_kind
{
	OBJECT_TRANSACTION,			/* transaction chunk */
	OBJECT_EPOCH_ENDING,		/* epoch-ending chunk */
	OBJECT_STATE_SNAPSHOT,		/* state snapshot chunk */
	OBJECT_MANIFEST,
	OBJECT_METADATA,			/* .meta file */
	OBJECT_PROOF,
	OBJECT_OTHER,
	OBJECT_BUNDLE,				/* <epoch>.zip / .tar.gz / .tgz */
	OBJECT_KIND_COUNT
} object_kind;

typedef struct written_object
{
	char	   *key;			/* relative to the root, as named on disk */
	object_kind kind;
	size_t		size;			/* bytes on disk */
	bool		gzip;
} written_object;

typedef struct archive_writer
{
	char	   *root;
	compression_mode mode;
	uint64_t	seed;
	size_t		files_written;
	size_t		gzip_files;
	size_t		bytes_written;
	written_object *objects;	/* files_written entries, in write order */
} archive_writer;

const char *object_kind_name(object_kind kind);

void		archive_writer_init(archive_writer *writer, const char *root, compression_mode mode, uint64_t seed);
void		archive_writer_free(archive_writer *writer);

/*
 * Writes data to relpath (relative to the root) with the writer's mode and
 * returns the relative name actually written (malloc'ed; relpath + ".gz"
 * when the mode adds a suffix).
 */
char	   *archive_write(archive_writer *writer, object_kind kind, const char *relpath, const uint8_t *data,
						  size_t len);
/* Same with an explicit encoding: compression must not be COMPRESSION_MIXED. */
char	   *archive_write_as(archive_writer *writer, object_kind kind, const char *relpath, const uint8_t *data,
							 size_t len, compression_mode encoding);
/* Creates root/relpath as a directory tree (mkdir -p). */
void		archive_make_dirs(const char *path);

#endif
