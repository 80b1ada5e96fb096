/*
 * archive_writer.h — writes the files of a synthetic archive under a root
 * directory: creates parent folders, applies the compression mode (gzip with
 * or without a ".gz" suffix, plain, or a deterministic per-file mix) and
 * checks every write.
 */
#ifndef FIXTUREGEN_ARCHIVE_WRITER_H
#define FIXTUREGEN_ARCHIVE_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef enum compression_mode
{
	COMPRESSION_GZIP,			/* gzip data, name unchanged (like the real sample) */
	COMPRESSION_GZIP_SUFFIX,	/* gzip data, ".gz" appended to the name */
	COMPRESSION_PLAIN,
	COMPRESSION_MIXED			/* one of the three above per file, from (seed, name) */
} compression_mode;

typedef struct archive_writer
{
	char	   *root;
	compression_mode mode;
	uint64_t	seed;
	size_t		files_written;
	size_t		gzip_files;
	size_t		bytes_written;
} archive_writer;

void		archive_writer_init(archive_writer *writer, const char *root, compression_mode mode, uint64_t seed);
void		archive_writer_free(archive_writer *writer);

/*
 * Writes data to relpath (relative to the root) with the writer's mode and
 * returns the relative name actually written (malloc'ed; relpath + ".gz"
 * when the mode adds a suffix).
 */
char	   *archive_write(archive_writer *writer, const char *relpath, const uint8_t *data, size_t len);
/* Same with an explicit encoding: compression must not be COMPRESSION_MIXED. */
char	   *archive_write_as(archive_writer *writer, const char *relpath, const uint8_t *data, size_t len,
							 compression_mode encoding);
/* Creates root/relpath as a directory tree (mkdir -p). */
void		archive_make_dirs(const char *path);

#endif
