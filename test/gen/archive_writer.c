/*
 * archive_writer.c — file output for the synthetic archive: mkdir -p,
 * deterministic gzip (zlib, no name, mtime 0, OS unix: the header the
 * `gzip -c` adapter of the real archive produces), checked writes and the
 * list of objects written.
 */
#include "archive_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <zlib.h>

#include "bcs_writer.h"
#include "gen_util.h"

void
archive_writer_init(archive_writer *writer, const char *root, compression_mode mode, uint64_t seed)
{
	memset(writer, 0, sizeof(*writer));
	writer->root = gen_strdup(root);
	writer->mode = mode;
	writer->seed = seed;
}

void
archive_writer_free(archive_writer *writer)
{
	for (size_t i = 0; i < writer->files_written; i++)
		free(writer->objects[i].key);
	free(writer->objects);
	free(writer->root);
	writer->root = NULL;
	writer->objects = NULL;
}

const char *
object_kind_name(object_kind kind)
{
	static const char *const names[] = {
		[OBJECT_TRANSACTION] = "transaction", [OBJECT_EPOCH_ENDING] = "epoch_ending",
		[OBJECT_STATE_SNAPSHOT] = "state_snapshot", [OBJECT_MANIFEST] = "manifest",
		[OBJECT_METADATA] = "metadata", [OBJECT_PROOF] = "proof", [OBJECT_OTHER] = "other",
		[OBJECT_BUNDLE] = "bundle"
	};

	return kind < OBJECT_KIND_COUNT ? names[kind] : "?";
}

void
archive_make_dirs(const char *path)
{
	char	   *copy = gen_strdup(path);

	for (char *p = copy + 1; *p; p++)
	{
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST)
			gen_fatal("mkdir %s: %s", copy, strerror(errno));
		*p = '/';
	}
	if (mkdir(copy, 0755) != 0 && errno != EEXIST)
		gen_fatal("mkdir %s: %s", copy, strerror(errno));
	free(copy);
}

/* One gzip member: 1f 8b 08 00 00000000 00 03 + deflate + crc32 + isize. */
static void
gzip_compress(const uint8_t *data, size_t len, byte_buf *out)
{
	z_stream	stream;
	uint8_t		chunk[16384];
	int			status;

	memset(&stream, 0, sizeof(stream));
	if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		gen_fatal("deflateInit2 failed");
	stream.next_in = (Bytef *) data;
	stream.avail_in = (uInt) len;
	if ((size_t) stream.avail_in != len)
		gen_fatal("file too large to gzip in one call");
	do
	{
		stream.next_out = chunk;
		stream.avail_out = sizeof(chunk);
		status = deflate(&stream, Z_FINISH);
		if (status == Z_STREAM_ERROR)
			gen_fatal("deflate failed");
		buf_append(out, chunk, sizeof(chunk) - stream.avail_out);
	} while (status != Z_STREAM_END);
	deflateEnd(&stream);
}

static void
write_whole_file(const char *path, const uint8_t *data, size_t len)
{
	FILE	   *file = fopen(path, "wb");

	if (file == NULL)
		gen_fatal("cannot create %s: %s", path, strerror(errno));
	if (len > 0 && fwrite(data, 1, len, file) != len)
		gen_fatal("write %s: %s", path, strerror(errno));
	if (fclose(file) != 0)
		gen_fatal("close %s: %s", path, strerror(errno));
}

char *
archive_write_as(archive_writer *writer, object_kind kind, const char *relpath, const uint8_t *data, size_t len,
				 compression_mode encoding)
{
	written_object *object;
	char	   *written_name;
	char	   *full_path;
	char	   *slash;
	byte_buf	compressed;

	if (encoding == COMPRESSION_MIXED)
		gen_fatal("archive_write_as needs a concrete encoding");
	written_name = encoding == COMPRESSION_GZIP_SUFFIX ? gen_asprintf("%s.gz", relpath) : gen_strdup(relpath);
	full_path = gen_asprintf("%s/%s", writer->root, written_name);
	slash = strrchr(full_path, '/');
	*slash = '\0';
	archive_make_dirs(full_path);
	*slash = '/';

	buf_init(&compressed);
	if (encoding == COMPRESSION_PLAIN)
		write_whole_file(full_path, data, len);
	else
	{
		gzip_compress(data, len, &compressed);
		write_whole_file(full_path, compressed.data, compressed.len);
		writer->gzip_files++;
	}
	object = GEN_PUSH(writer->objects, writer->files_written);
	object->key = gen_strdup(written_name);
	object->kind = kind;
	object->size = encoding == COMPRESSION_PLAIN ? len : compressed.len;
	object->gzip = encoding != COMPRESSION_PLAIN;
	writer->bytes_written += object->size;
	buf_free(&compressed);
	free(full_path);
	return written_name;
}

char *
archive_write(archive_writer *writer, object_kind kind, const char *relpath, const uint8_t *data, size_t len)
{
	compression_mode encoding = writer->mode;

	if (encoding == COMPRESSION_MIXED)
	{
		static const compression_mode choices[] = {
			COMPRESSION_GZIP, COMPRESSION_GZIP_SUFFIX, COMPRESSION_PLAIN
		};

		encoding = choices[gen_name_hash(writer->seed, relpath) % 3];
	}
	return archive_write_as(writer, kind, relpath, data, len, encoding);
}
