/*
 * row_object.c — datums of one objects row: an archive object as the catalog knows it
 * (key, kind, backup folder, the versions and epochs it covers, size, compression).
 */
#include "fdw/forensic_fdw.h"

#include "utils/builtins.h"

/* What a row is built from: the object and its compression (< 0 when unknown). */
typedef struct FfObjectRow
{
	const ff_catalog_object *obj;
	int			compression;
	const char *framework;
} FfObjectRow;

static Datum
object_datum(int col, bool as_bytea, const void *arg, bool *isnull)
{
	const FfObjectRow *row = arg;
	const ff_catalog_object *obj = row->obj;
	int			compression = row->compression;
	Datum		d = (Datum) 0;

	switch (col)
	{
		case FF_OB_KEY:
			d = CStringGetTextDatum(obj->key);
			break;
		case FF_OB_KIND:
			d = CStringGetTextDatum(ff_object_kind_name(obj->kind));
			break;
		case FF_OB_BACKUP:
			if (obj->backup)
				d = CStringGetTextDatum(obj->backup);
			else
				*isnull = true;
			break;
		case FF_OB_FIRST_VERSION:
		case FF_OB_LAST_VERSION:
			if (obj->has_versions)
				d = ff_int8_datum(col == FF_OB_FIRST_VERSION ? obj->first_version : obj->last_version,
								  col == FF_OB_FIRST_VERSION ? "first_version" : "last_version");
			else
				*isnull = true;
			break;
		case FF_OB_FIRST_EPOCH:
		case FF_OB_LAST_EPOCH:
			if (obj->has_epochs)
				d = ff_int8_datum(col == FF_OB_FIRST_EPOCH ? obj->first_epoch : obj->last_epoch,
								  col == FF_OB_FIRST_EPOCH ? "first_epoch" : "last_epoch");
			else
				*isnull = true;
			break;
		case FF_OB_SIZE:
			d = ff_int8_datum(obj->size, "size");
			break;
		case FF_OB_COMPRESSION:
			if (compression < 0)
				*isnull = true;
			else
				d = CStringGetTextDatum(compression ? "gzip" : "none");
			break;
		case FF_OB_FRAMEWORK:
			if (row->framework && obj->backup)
				d = CStringGetTextDatum(row->framework);
			else
				*isnull = true;
			break;
		default:
			elog(ERROR, "forensic_fdw: unexpected objects column %d", col);
	}
	return d;
}

void
ff_build_object_row(const ff_catalog_object *obj, int compression, const char *framework,
					int natts, const int *colmap, Datum *values, bool *nulls)
{
	FfObjectRow row = {obj, compression, framework};

	ff_fill_row(natts, colmap, NULL, object_datum, &row, values, nulls);
}
