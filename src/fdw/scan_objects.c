/*
 * scan_objects.c — records 'objects': the catalog itself, one row per archive object, with
 * no chunk body read. Compression is known for the objects the catalog read; for the others
 * it is found, only when the query asks for it, by opening the object for its first bytes.
 */
#include "fdw/scan.h"

#include "io/gzip.h"
#include "miscadmin.h"

typedef struct FfObjectReader
{
	size_t		next;
} FfObjectReader;

static void
objects_close(FfScanState *ss)
{
}

static void
objects_start(FfScanState *ss)
{
	FfObjectReader *orr = ss->reader;

	if (!orr)
		orr = ss->reader = MemoryContextAllocZero(ss->scancxt, sizeof(FfObjectReader));
	orr->next = 0;
}

/* 1 when the object starts with the gzip magic bytes, 0 when not. */
static int
peek_compression(FfScanState *ss, const char *key)
{
	ff_status	st;
	ff_stream  *file = NULL;
	bool		compressed = false;
	size_t		taken = 0;

	ff_status_clear(&st);
	if (ff_source_open(ss->ref->source, key, 0, &file, &st) != FF_OK)
	{
		ff_status_locate(&st, key, -1, -1);
		ff_report(&st, "cannot open archive object");
	}
	if (ff_gzip_detect(file, &compressed, &taken, &st) != FF_OK)
	{
		ff_stream_close(file);
		ff_status_locate(&st, key, -1, -1);
		ff_report(&st, "cannot read archive object");
	}
	ff_stream_close(file);
	ss->stats.objects_read++;
	ss->stats.bytes_stored += taken;
	return compressed ? 1 : 0;
}

static bool
objects_next(FfScanState *ss, Datum *values, bool *nulls)
{
	FfObjectReader *orr = (FfObjectReader *) ss->reader;
	const ff_catalog *cat = ss->ref->catalog;
	const ff_catalog_object *obj;
	int			compression;

	CHECK_FOR_INTERRUPTS();
	if (orr->next >= cat->n_objects)
		return false;
	obj = &cat->objects[orr->next++];
	compression = obj->compression;
	if (compression < 0 && ss->uses[FF_OB_COMPRESSION])
	{
		ss->err_object = obj->key;
		ss->err_has_position = false;
		compression = peek_compression(ss, obj->key);
	}
	ff_build_object_row(obj, compression,
						cat->era != FF_ERA_UNKNOWN ? ff_scan_framework(ss, cat->era) : NULL,
						ss->natts, ss->colmap, values, nulls);
	return true;
}

const FfScanDriver ff_objects_driver = {
	.start = objects_start,
	.next = objects_next,
	.close = objects_close,
};
