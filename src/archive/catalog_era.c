/*
 * catalog_era.c — which era an archive location holds (FORMAT-epochs-state-legacy.md §1,
 * "Which era is an archive?"), from what planning may read: the server option when it
 * forces one; state snapshot folder names (state_epoch_<E>_ver_<V> exists from v6 on);
 * JSON rescue dumps (v5 only); and the first record of the lowest and of the highest
 * epoch-ending chunk, decoded in the v6 and the v4/v5 layouts and checked against the
 * manifest's waypoint with both hash domains. One location is one chain: evidence of two
 * eras is a conflict that the scans of records report instead of mixing versions and
 * epochs that restart between eras. When nothing tells (a location with transaction chunks
 * only), the era stays unknown and the scans tell it from the records themselves.
 */
#include "archive/catalog_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/ledger_info.h"
#include "io/gzip.h"
#include "io/record.h"

#define PROBE_MAX_RECORD (4 * 1024 * 1024)

typedef struct era_evidence
{
	ff_era		era;			/* FF_ERA_V4, V5, V6, or UNKNOWN for "v4 or v5" */
	bool		legacy;			/* V4 or V5, undecided */
	char		what[512];
} era_evidence;

static char *
dup_printf(const char *fmt,...) __attribute__((format(printf, 1, 2)));

static char *
dup_printf(const char *fmt,...)
{
	va_list		ap;
	char		buf[1400];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

/*
 * Decode the first record of an epoch-ending chunk: its era, or UNKNOWN (unreadable, or
 * v4/v5 with no waypoint to tell them apart: *legacy then). Storage failures are returned.
 */
static ff_code
probe_epoch_chunk(ff_catalog *c, ff_source *src, const ff_epoch_chunk *chunk, ff_era *era,
				  bool *legacy, ff_status *st)
{
	ff_stream  *file = NULL,
			   *data = NULL;
	ff_record_reader *records = NULL;
	const uint8_t *rec;
	size_t		len;
	bool		compressed;
	ff_status	pst;
	ff_code		rc;
	const ff_epoch_end *end = ff_catalog_epoch_end(c, chunk->first_epoch);

	*era = FF_ERA_UNKNOWN;
	*legacy = false;
	ff_status_clear(&pst);
	rc = ff_source_open(src, chunk->key, 0, &file, &pst);
	if (rc == FF_OK)
	{
		data = ff_gzip_open(file, chunk->key, &compressed, &pst);	/* owns file now */
		file = NULL;
		if (!data)
			rc = pst.code ? pst.code : FF_ERR_CORRUPT;
	}
	if (rc == FF_OK)
	{
		records = ff_record_reader_new(data, chunk->key, PROBE_MAX_RECORD, &pst);
		if (!records)
			rc = pst.code ? pst.code : FF_ERR_NOMEM;
	}
	if (rc == FF_OK)
		rc = ff_record_next(records, &rec, &len, &pst);
	if (rc == FF_OK)
	{
		ff_ledger_info li;
		ff_status	dst;

		*era = ff_ledger_info_detect_era(rec, len, end && end->has_waypoint ? end->waypoint : NULL);
		if (*era == FF_ERA_UNKNOWN)
		{
			ff_status_clear(&dst);
			*legacy = ff_ledger_info_decode_era(FF_ERA_V5, rec, len, &li, &dst) == FF_OK;
		}
	}
	ff_record_reader_free(records);
	if (data)
		ff_stream_close(data);
	if (file)
		ff_stream_close(file);
	if (rc == FF_ERR_CANCELED || rc == FF_ERR_NOMEM || rc == FF_ERR_DENIED || rc == FF_ERR_UNAVAILABLE)
	{
		*st = pst;
		return rc;
	}
	return FF_OK;				/* an unreadable probe tells nothing; the scans will report it */
}

static void
add(era_evidence *ev, size_t *n, ff_era era, bool legacy, const char *fmt,...)
	__attribute__((format(printf, 5, 6)));

static void
add(era_evidence *ev, size_t *n, ff_era era, bool legacy, const char *fmt,...)
{
	va_list		ap;

	ev[*n].era = era;
	ev[*n].legacy = legacy;
	va_start(ap, fmt);
	vsnprintf(ev[*n].what, sizeof(ev[*n].what), fmt, ap);
	va_end(ap);
	(*n)++;
}

/* The folder of a key that is a state snapshot folder of either naming, or NULL. */
static const char *
state_folder(const char *key, bool *v6, size_t *len)
{
	const char *p = key;

	for (;;)
	{
		const char *slash = strchr(p, '/');

		if (!slash)
			return NULL;
		if (strncmp(p, "state_epoch_", 12) == 0 || strncmp(p, "state_ver_", 10) == 0)
		{
			*v6 = strncmp(p, "state_epoch_", 12) == 0;
			*len = (size_t) (slash - key);
			return key;
		}
		p = slash + 1;
	}
}

static const char *
era_label(const era_evidence *e)
{
	return e->legacy ? "v4/v5" : ff_era_name(e->era);
}

/* The previous build's verdict on the same chunk (same key and size), if it probed it. */
static const ff_era_probe *
previous_probe(const ff_catalog *previous, const ff_epoch_chunk *chunk)
{
	if (!previous)
		return NULL;
	for (int i = 0; i < 2; i++)
	{
		const ff_era_probe *p = &previous->era_probes[i];

		if (p->key && strcmp(p->key, chunk->key) == 0 && p->size == chunk->size)
			return p;
	}
	return NULL;
}

ff_code
ff_catalog_detect_era(ff_catalog *c, const ff_catalog *previous, ff_source *src,
					  const ff_catalog_options *opts, ff_status *st)
{
	era_evidence ev[5];
	size_t		n = 0;
	bool		seen_v6_state = false,
				seen_legacy_state = false;

	if (opts->era != FF_ERA_UNKNOWN)
	{
		c->era = opts->era;
		c->era_evidence = strdup("the server option framework");
		return c->era_evidence ? FF_OK : ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}

	/* snapshot folder names */
	for (size_t i = 0; i < c->listing.n; i++)
	{
		bool		v6;
		size_t		len;
		const char *k = state_folder(c->listing.items[i].key, &v6, &len);

		if (!k)
			continue;
		if (v6 && !seen_v6_state)
		{
			seen_v6_state = true;
			add(ev, &n, FF_ERA_V6, false, "the state snapshot folder %.*s", (int) len, k);
		}
		else if (!v6 && !seen_legacy_state)
		{
			seen_legacy_state = true;
			add(ev, &n, FF_ERA_UNKNOWN, true, "the state snapshot folder %.*s", (int) len, k);
		}
	}
	if (c->n_rescue_files > 0)
		add(ev, &n, FF_ERA_V5, false, "the JSON rescue dump %s", c->rescue_files[0].key);

	/* the lowest and the highest epoch-ending chunk */
	for (size_t p = 0; p < 2 && c->n_epoch_chunks > 0; p++)
	{
		const ff_epoch_chunk *chunk = &c->epoch_chunks[p == 0 ? 0 : c->n_epoch_chunks - 1];
		ff_era		era;
		bool		legacy;
		ff_code		rc;

		const ff_era_probe *known = previous_probe(previous, chunk);

		if (p == 1 && c->n_epoch_chunks == 1)
			break;
		if (known)
		{
			era = known->era;
			legacy = known->legacy;
		}
		else
		{
			rc = probe_epoch_chunk(c, src, chunk, &era, &legacy, st);
			if (rc != FF_OK)
				return rc;
		}
		c->era_probes[p].key = strdup(chunk->key);
		if (!c->era_probes[p].key)
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
		c->era_probes[p].size = chunk->size;
		c->era_probes[p].era = era;
		c->era_probes[p].legacy = legacy;
		if (era != FF_ERA_UNKNOWN)
			add(ev, &n, era, false, "the %s record of epoch %llu in %s",
				era == FF_ERA_V6 ? "layout of the" : "waypoint of the",
				(unsigned long long) chunk->first_epoch, chunk->key);
		else if (legacy)
			add(ev, &n, FF_ERA_UNKNOWN, true, "the layout of the record of epoch %llu in %s",
				(unsigned long long) chunk->first_epoch, chunk->key);
	}

	/* combine: a decided era wins over "v4/v5"; two decided eras, or v6 and v4/v5, conflict */
	{
		const era_evidence *decided = NULL;
		const era_evidence *legacy = NULL;

		for (size_t i = 0; i < n; i++)
		{
			const era_evidence *e = &ev[i];

			if (e->legacy)
			{
				if (!legacy)
					legacy = e;
				if (decided && decided->era == FF_ERA_V6)
				{
					c->era_conflict = dup_printf("%s is %s but %s is v6", e->what, era_label(e), decided->what);
					break;
				}
				continue;
			}
			if (legacy && e->era == FF_ERA_V6)
			{
				c->era_conflict = dup_printf("%s is %s but %s is v6", legacy->what, era_label(legacy), e->what);
				break;
			}
			if (decided && decided->era != e->era)
			{
				c->era_conflict = dup_printf("%s is %s but %s is %s", decided->what, era_label(decided),
											 e->what, era_label(e));
				break;
			}
			if (!decided)
				decided = e;
		}
		if (c->era_conflict)
			return FF_OK;
		if (decided)
		{
			c->era = decided->era;
			c->era_evidence = strdup(decided->what);
			if (!c->era_evidence)
				return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
		}
	}
	return FF_OK;
}
