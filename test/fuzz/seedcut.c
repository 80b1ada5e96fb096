/*
 * seedcut.c — seed maker of the fuzz corpora (called by test/fuzz/seeds.sh): reads one
 * backup file (gzip or plain), splits it into records by the chunk framing, decodes each
 * with the core library and writes the parts each harness reads, prefixed with the selector
 * byte that sends the harness down that path:
 *   seedcut tx|epoch|state|legacy|proof v4|v5|v6 FILE OUTDIR [MAX_RECORDS]
 * OUTDIR/<harness>/<tag>-<n> files; parts over 64 KiB are left out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain/entry_function.h"
#include "chain/event.h"
#include "chain/ledger_info.h"
#include "chain/legacy_state.h"
#include "chain/state.h"
#include "chain/transaction.h"
#include "io/gzip.h"
#include "io/record.h"

#define MAX_SEED (64 * 1024)

static const char *outdir;
static const char *tag;
static unsigned serial;

/* Write sel || bytes as OUTDIR/harness/tag-serial. */
static void
emit(const char *harness, int sel, const uint8_t *p, size_t n)
{
	char		path[4096];
	FILE	   *f;

	if (n + 2 > MAX_SEED)
		return;
	snprintf(path, sizeof(path), "%s/%s/%s-%u", outdir, harness, tag, serial++);
	f = fopen(path, "wb");
	if (!f)
	{
		perror(path);
		exit(1);
	}
	if (sel >= 0)
		fputc(sel, f);
	fwrite(p, 1, n, f);
	fclose(f);
}

/* eras[] index of the harnesses: V6 0, V5 1, V4 2 */
static int
era_index(ff_era e)
{
	return e == FF_ERA_V6 ? 0 : e == FF_ERA_V5 ? 1 : 2;
}

static void
cut_tx(ff_era era, const uint8_t *rec, size_t len)
{
	ff_tx		tx;
	ff_status	st;
	int			ei = era_index(era);

	ff_status_clear(&st);
	if (era == FF_ERA_V6)
	{
		emit("transactions", 0, rec, len);
		emit("transactions", 1, rec, len);
	}
	else
	{
		emit("transactions", 2 | (ei << 3), rec, len);
		emit("transactions", 3 | (ei << 3), rec, len);
	}
	emit("transactions", 5, rec, len);
	emit("block", ei | (era == FF_ERA_V6 ? 4 : 0), rec, len);
	if (ff_tx_decode_era(era, rec, len, &tx, &st) != FF_OK)
		return;
	emit("transactions", 4 | (ei << 3), tx.transaction.ptr, tx.transaction.len);
	if (tx.event_count > 0)
	{
		ff_event_iter it;
		ff_event	ev;
		unsigned	k = 0;

		emit("events", ei, tx.events.ptr, tx.events.len);
		ff_event_iter_init_era(&it, tx.events, era);
		while (k++ < 4 && ff_event_next(&it, &ev, &st) == FF_OK)
		{
			emit("render", era == FF_ERA_V6 ? 0 : 1, ev.type_tag.ptr, ev.type_tag.len);
			emit("json", k, ev.data.ptr, ev.data.len);
		}
	}
	if (tx.write_count > 0)
	{
		ff_write_iter it;
		ff_write	w;
		unsigned	k = 0;

		emit("state", 0, tx.write_set.ptr, tx.write_set.len);
		ff_write_iter_init(&it, tx.write_set);
		while (k++ < 2 && ff_write_next(&it, &w, &st) == FF_OK)
			emit("state", 2, w.key.bcs.ptr, w.key.bcs.len + w.op_bcs.len);
	}
	if (tx.kind == FF_TX_USER && tx.type_arg_count > 0)
		emit("render", 0, tx.type_args.ptr, tx.type_args.len);
	{
		ff_known_function f = ff_entry_function_of(&tx);

		if (f != FF_FN_UNKNOWN)
		{
			uint8_t		buf[MAX_SEED];
			size_t		n = tx.args.len;

			if (n + 2 > sizeof(buf))
				return;
			buf[0] = (uint8_t) ((f - 1) | (tx.payload_kind == FF_PAYLOAD_MULTISIG ? 0x20 : 0));
			buf[1] = (uint8_t) ((tx.arg_count & 7) | ((tx.type_arg_count & 1) << 3));
			memcpy(buf + 2, tx.args.ptr, n);
			emit("entry_function", -1, buf, n + 2);
		}
	}
}

static void
cut(const char *kind, ff_era era, const uint8_t *rec, size_t len)
{
	int			ei = era_index(era);

	if (strcmp(kind, "tx") == 0)
		cut_tx(era, rec, len);
	else if (strcmp(kind, "epoch") == 0)
	{
		emit("ledger_info", era == FF_ERA_V6 ? 0 : 1 | (ei << 2), rec, len);
		emit("ledger_info", 2 | (era == FF_ERA_V4 ? 4 : 0), rec, len);
	}
	else if (strcmp(kind, "state") == 0)
	{
		ff_state_item item;
		ff_status	st;

		emit("state", 1, rec, len);
		if (ff_state_item_decode(rec, len, &item, &st) == FF_OK)
			emit("state", 2, item.key.bcs.ptr, item.key.bcs.len);
	}
	else if (strcmp(kind, "legacy") == 0)
		emit("legacy_state", era == FF_ERA_V4 ? 0 : 1, rec, len);
}

int
main(int argc, char **argv)
{
	const char *kind,
			   *file;
	ff_era		era;
	FILE	   *f;
	char	   *data;
	long		size;
	ff_stream  *s;
	ff_status	st;
	ff_record_reader *r;
	long		max;
	const uint8_t *rec;
	size_t		len;
	static char tagbuf[64];

	if (argc < 5)
	{
		fprintf(stderr, "usage: seedcut tx|epoch|state|legacy|proof v4|v5|v6 FILE OUTDIR [MAX]\n");
		return 2;
	}
	kind = argv[1];
	era = strcmp(argv[2], "v4") == 0 ? FF_ERA_V4 : strcmp(argv[2], "v5") == 0 ? FF_ERA_V5 : FF_ERA_V6;
	file = argv[3];
	outdir = argv[4];
	max = argc > 5 ? atol(argv[5]) : 200;
	/* seeds of one file share a tag derived from the path, so that files do not collide */
	{
		unsigned long h = 5381;

		for (const char *p = file; *p; p++)
			h = h * 33 + (unsigned char) *p;
		snprintf(tagbuf, sizeof(tagbuf), "%s-%s-%08lx", kind, argv[2], h & 0xffffffffUL);
		tag = tagbuf;
	}

	f = fopen(file, "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
	{
		perror(file);
		return 1;
	}
	data = malloc((size_t) size + 1);
	if (!data || fread(data, 1, (size_t) size, f) != (size_t) size)
	{
		perror(file);
		return 1;
	}
	fclose(f);
	ff_status_clear(&st);
	s = ff_gzip_open(ff_stream_memory(data, (size_t) size, (uint64_t) size), file, NULL, &st);
	if (!s)
	{
		fprintf(stderr, "%s: %s\n", file, st.message);
		return 1;
	}
	if (strcmp(kind, "proof") == 0)
	{
		char	   *all;

		if (ff_stream_read_all(s, 1 << 24, &all, &len, &st) != FF_OK)
			return 1;
		emit("ledger_info", 3 | (era_index(era) << 2), (const uint8_t *) all, len);
		free(all);
		ff_stream_close(s);
		return 0;
	}
	r = ff_record_reader_new(s, file, 1 << 26, &st);
	for (long i = 0; r && i < max && ff_record_next(r, &rec, &len, &st) == FF_OK; i++)
		cut(kind, era, rec, len);
	ff_record_reader_free(r);
	ff_stream_close(s);
	return 0;
}
