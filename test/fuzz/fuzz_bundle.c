/*
 * fuzz_bundle.c — libFuzzer harness of the bundle reader (io/bundle.h): the input is a
 * bundle held by an in-memory ff_source written here (open at an offset, ranged opens that
 * end after their length), named .zip, .tar.gz or .tgz by the first byte; the index is read
 * (capturing the small members) and a few members are opened and read (capped).
 */
#include "fuzz.h"

#include "io/bundle.h"

#define MEMBER_CAP (1u << 20)

typedef struct mem_source
{
	ff_source	base;
	const uint8_t *data;
	size_t		len;
} mem_source;

static ff_code
mem_list(ff_source *src, ff_listing *out, ff_status *st)
{
	(void) src;
	(void) out;
	return ff_status_set(st, FF_ERR_UNSUPPORTED, "no listing in the fuzz source");
}

static ff_code
mem_open_range(ff_source *src, const char *key, uint64_t offset, uint64_t length,
			   ff_stream **out, ff_status *st)
{
	mem_source *m = (mem_source *) src;
	size_t		start,
				n;

	(void) key;
	if (offset > m->len)
		return ff_status_set(st, FF_ERR_INVALID, "offset %llu past the end",
							 (unsigned long long) offset);
	start = (size_t) offset;
	n = m->len - start;
	if (length < n)
		n = (size_t) length;
	*out = fuzz_memory_stream(m->data + start, n);
	return FF_OK;
}

static ff_code
mem_open(ff_source *src, const char *key, uint64_t offset, ff_stream **out, ff_status *st)
{
	return mem_open_range(src, key, offset, UINT64_MAX, out, st);
}

static void
mem_destroy(ff_source *src)
{
	(void) src;
}

static const ff_source_ops mem_ops = {
	.list = mem_list,
	.open = mem_open,
	.destroy = mem_destroy,
};

static const ff_source_ops mem_ranged_ops = {
	.list = mem_list,
	.open = mem_open,
	.open_range = mem_open_range,
	.destroy = mem_destroy,
};

static bool
want_small(const char *path, uint64_t size, void *arg)
{
	(void) arg;
	(void) strlen(path);
	return size <= 4096;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char location[] = "fuzz";
	static char *const names[3] = {"0.zip", "0.tar.gz", "0.TGZ"};
	uint8_t		sel = fuzz_byte(&data, &size);
	mem_source	src = {
		.base = {.ops = (sel & 4) ? &mem_ranged_ops : &mem_ops, .location = location, .cancel = NULL},
		.data = data,
		.len = size,
	};
	ff_object_info info = {.key = names[(sel & 3) % 3], .size = size, .mtime = 0, .etag = NULL};
	ff_bundle_index *ix = NULL;
	ff_status	st;

	ff_status_clear(&st);
	if (ff_bundle_format_of(info.key) == FF_BUNDLE_NONE)
		abort();
	if (ff_bundle_index_read(&src.base, &info, (sel & 8) ? NULL : want_small, NULL,
							 (sel & 16) ? 0 : 4096, 0, &ix, &st) == FF_OK)
	{
		for (size_t i = 0; i < ix->n; i++)
		{
			const ff_bundle_member *m = &ix->members[i];

			(void) strlen(m->path);
			if (m->data)
				fuzz_touch(m->data, m->size);
			if (ff_bundle_index_find(ix, m->path) == NULL)
				abort();
		}
		/* open the first members (and one that is not there), read each to a cap */
		for (size_t i = 0; i <= ix->n && i < 4; i++)
		{
			const char *path = i < ix->n ? ix->members[i].path : "no/such/member";
			ff_stream  *s = NULL;
			size_t		got;

			if (ff_bundle_open_member(&src.base, &info, path, &s, &st) != FF_OK)
				continue;
			got = fuzz_drain(s, MEMBER_CAP, sel >> 5);
			(void) got;
			(void) ff_stream_stored_bytes(s);
			ff_stream_close(s);
		}
		ff_bundle_index_free(ix);
	}
	return 0;
}
