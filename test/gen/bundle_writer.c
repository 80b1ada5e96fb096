/*
 * bundle_writer.c — writes the <epoch>.zip / .tar.gz / .tgz bundles of the per-epoch layout
 * with libarchive's write API (see bundle_writer.h): entries in key order, each directory
 * before its files, mtime BUNDLE_MTIME, uid/gid 0, mode 0644/0755; zip entries deflated except
 * those a name hash picks to be stored; the gzip filter writes no timestamp, so two runs give
 * the same bytes.
 */
#include "bundle_writer.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "bcs_writer.h"
#include "gen_util.h"

#define BUNDLE_MTIME 1700000000

const char *
bundle_extension(bundle_mode mode, uint64_t epoch)
{
	static const char *const rotation[] = {".zip", ".tar.gz", ".tgz"};

	switch (mode)
	{
		case BUNDLES_ZIP:
			return ".zip";
		case BUNDLES_TAR_GZ:
			return ".tar.gz";
		case BUNDLES_TGZ:
			return ".tgz";
		case BUNDLES_MIXED:
			return rotation[epoch % 3];
		case BUNDLES_NONE:
			break;
	}
	gen_fatal("no bundle mode");
}

/* The epoch of a key "<digits>/...", false for other keys. */
static bool
key_epoch(const char *key, uint64_t *epoch)
{
	const char *p = key;
	uint64_t	value = 0;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		value = value * 10 + (uint64_t) (*p++ - '0');
	if (*p != '/')
		return false;
	*epoch = value;
	return true;
}

char *
bundle_member_key(bundle_mode mode, const char *key)
{
	uint64_t	epoch;

	if (mode == BUNDLES_NONE || !key_epoch(key, &epoch))
		return gen_strdup(key);
	return gen_asprintf("%llu%s/%s", (unsigned long long) epoch, bundle_extension(mode, epoch), key);
}

static int
compare_keys(const void *left, const void *right)
{
	return strcmp(*(const char *const *) left, *(const char *const *) right);
}

static void
check(struct archive *a, int status, const char *what, const char *path)
{
	if (status < ARCHIVE_OK)
		gen_fatal("%s %s: %s", what, path, archive_error_string(a));
}

static uint8_t *
read_whole_file(const char *path, size_t *len)
{
	FILE	   *file = fopen(path, "rb");
	byte_buf	data;
	uint8_t		chunk[65536];
	size_t		got;

	if (file == NULL)
		gen_fatal("cannot open %s: %s", path, strerror(errno));
	buf_init(&data);
	while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0)
		buf_append(&data, chunk, got);
	if (ferror(file))
		gen_fatal("read %s: %s", path, strerror(errno));
	fclose(file);
	buf_append(&data, "", 1);
	data.len--;
	return buf_take(&data, len);
}

static void
write_entry_header(struct archive *a, const char *name, bool directory, size_t size, const char *bundle)
{
	struct archive_entry *entry = archive_entry_new();

	archive_entry_set_pathname(entry, name);
	archive_entry_set_filetype(entry, directory ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(entry, directory ? 0755 : 0644);
	archive_entry_set_size(entry, directory ? 0 : (la_int64_t) size);
	archive_entry_set_mtime(entry, BUNDLE_MTIME, 0);
	archive_entry_set_uid(entry, 0);
	archive_entry_set_gid(entry, 0);
	check(a, archive_write_header(a, entry), "bundle entry header", bundle);
	archive_entry_free(entry);
}

/* One bundle of the files keys[0..count-1] (sorted, all under "<epoch>/"). */
static void
write_bundle(archive_writer *writer, const char *bundle_key, const char *ext, char **keys, size_t count)
{
	struct archive *a = archive_write_new();
	char	   *path = gen_asprintf("%s/%s", writer->root, bundle_key);
	char	  **dirs = NULL;
	size_t		dir_count = 0;
	bool		zip = strcmp(ext, ".zip") == 0;
	struct stat st;
	written_object *object;

	if (a == NULL)
		gen_fatal("archive_write_new failed");
	if (zip)
		check(a, archive_write_set_format_zip(a), "zip format", path);
	else
	{
		check(a, archive_write_set_format_ustar(a), "tar format", path);
		check(a, archive_write_add_filter_gzip(a), "gzip filter", path);
		check(a, archive_write_set_options(a, "gzip:!timestamp"), "gzip options", path);
	}
	check(a, archive_write_open_filename(a, path), "open", path);
	for (size_t i = 0; i < count; i++)
	{
		char	   *full = gen_asprintf("%s/%s", writer->root, keys[i]);
		size_t		len;
		uint8_t    *data;

		/* every ancestor folder not written yet, outermost first */
		for (char *slash = strchr(keys[i], '/'); slash != NULL; slash = strchr(slash + 1, '/'))
		{
			char	   *dir = gen_asprintf("%.*s/", (int) (slash - keys[i]), keys[i]);
			bool		seen = false;

			for (size_t d = 0; d < dir_count && !seen; d++)
				seen = strcmp(dirs[d], dir) == 0;
			if (seen)
			{
				free(dir);
				continue;
			}
			if (zip)
				check(a, archive_write_zip_set_compression_store(a), "zip store", path);
			write_entry_header(a, dir, true, 0, path);
			*GEN_PUSH(dirs, dir_count) = dir;
		}
		data = read_whole_file(full, &len);
		if (zip)
			check(a, gen_name_hash(writer->seed, keys[i]) % 5 == 0 ? archive_write_zip_set_compression_store(a)
				  : archive_write_zip_set_compression_deflate(a), "zip compression", path);
		write_entry_header(a, keys[i], false, len, path);
		if (len > 0 && archive_write_data(a, data, len) != (la_ssize_t) len)
			gen_fatal("bundle %s: writing %s: %s", path, keys[i], archive_error_string(a));
		free(data);
		free(full);
	}
	check(a, archive_write_close(a), "close", path);
	archive_write_free(a);
	for (size_t d = 0; d < dir_count; d++)
		free(dirs[d]);
	free(dirs);

	if (stat(path, &st) != 0)
		gen_fatal("stat %s: %s", path, strerror(errno));
	object = GEN_PUSH(writer->objects, writer->files_written);
	object->key = gen_strdup(bundle_key);
	object->kind = OBJECT_BUNDLE;
	object->size = (size_t) st.st_size;
	object->gzip = !zip;
	writer->bytes_written += object->size;
	if (!zip)
		writer->gzip_files++;
	free(path);
}

/* rm -r of a folder the generator wrote (files and subfolders only) */
static void
remove_tree(const char *path)
{
	{
		struct stat st;

		if (lstat(path, &st) != 0)
			gen_fatal("stat %s: %s", path, strerror(errno));
		if (S_ISDIR(st.st_mode))
		{
			DIR		   *dir = opendir(path);
			struct dirent *entry;

			if (dir == NULL)
				gen_fatal("opendir %s: %s", path, strerror(errno));
			while ((entry = readdir(dir)) != NULL)
			{
				char	   *child;

				if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
					continue;
				child = gen_asprintf("%s/%s", path, entry->d_name);
				remove_tree(child);
				free(child);
			}
			closedir(dir);
			if (rmdir(path) != 0)
				gen_fatal("rmdir %s: %s", path, strerror(errno));
		}
		else if (unlink(path) != 0)
			gen_fatal("unlink %s: %s", path, strerror(errno));
	}
}

void
bundle_write_all(archive_writer *writer, bundle_mode mode, uint64_t last_epoch, bool remove_folders)
{
	size_t		original = writer->files_written;

	for (uint64_t epoch = 0; epoch <= last_epoch; epoch++)
	{
		char	  **keys = NULL;
		size_t		count = 0;
		const char *ext = bundle_extension(mode, epoch);
		char	   *bundle_key = gen_asprintf("%llu%s", (unsigned long long) epoch, ext);
		uint64_t	key_epoch_value;

		for (size_t i = 0; i < original; i++)
			if (key_epoch(writer->objects[i].key, &key_epoch_value) && key_epoch_value == epoch)
				*GEN_PUSH(keys, count) = writer->objects[i].key;
		if (count > 0)
		{
			qsort(keys, count, sizeof(char *), compare_keys);
			write_bundle(writer, bundle_key, ext, keys, count);
			if (remove_folders)
			{
				char	   *folder = gen_asprintf("%s/%llu", writer->root, (unsigned long long) epoch);

				remove_tree(folder);
				free(folder);
			}
		}
		free(keys);
		free(bundle_key);
	}
	if (remove_folders)
	{
		size_t		kept = 0;
		uint64_t	epoch;

		for (size_t i = 0; i < writer->files_written; i++)
		{
			if (writer->objects[i].kind != OBJECT_BUNDLE && key_epoch(writer->objects[i].key, &epoch))
			{
				writer->bytes_written -= writer->objects[i].size;
				writer->gzip_files -= writer->objects[i].gzip;
				free(writer->objects[i].key);
				continue;
			}
			writer->objects[kept++] = writer->objects[i];
		}
		writer->files_written = kept;
	}
}
