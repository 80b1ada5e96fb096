/*
 * fuzz_gzip.c — libFuzzer harness of io/gzip.h, io/record.h and io/stream.h over a memory
 * stream: gzip detection, inflation (concatenated members) read in varying sizes, the chunk
 * record framing (next and skip) on top of it, and ff_stream_read_all. Output is capped so
 * that a small bomb costs little.
 */
#include "fuzz.h"

#include "io/gzip.h"
#include "io/record.h"

#define MAX_OUT (4u << 20)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_stream  *in = fuzz_memory_stream(data, size);
	ff_stream  *s;
	bool		compressed = false;
	ff_status	st;

	ff_status_clear(&st);
	if ((sel & 3) == 3)
	{
		size_t		taken = 0;

		if (ff_gzip_detect(in, &compressed, &taken, &st) == FF_OK &&
			(taken > 2 || compressed != ff_gzip_magic(data, size)))
			abort();
		ff_stream_close(in);
		return 0;
	}
	s = ff_gzip_open(in, "fuzz", &compressed, &st);
	if (s == NULL)
		return 0;				/* inner closed by ff_gzip_open */
	switch (sel & 3)
	{
		case 0:
			(void) fuzz_drain(s, MAX_OUT, sel >> 2);
			(void) ff_stream_stored_bytes(s);
			break;
		case 1:
			{
				/* records: next or skip by the bits of sel, max_record small or large */
				ff_record_reader *r = ff_record_reader_new(s, "fuzz", (sel & 4) ? 64 : 1u << 20, &st);
				size_t		n = 0;

				if (r == NULL)
					break;
				while (n < 4096)
				{
					const uint8_t *rec;
					size_t		len;
					ff_code		code;

					if ((sel >> (3 + n % 5)) & 1)
						code = ff_record_skip(r, &st);
					else
					{
						code = ff_record_next(r, &rec, &len, &st);
						if (code == FF_OK)
							fuzz_touch(rec, len);
					}
					if (code != FF_OK)
						break;
					n++;
					if (ff_record_offset(r) > MAX_OUT)
						break;
				}
				(void) ff_record_index(r);
				(void) ff_record_last_offset(r);
				(void) ff_record_raw_bytes(r);
				ff_record_reader_free(r);
				break;
			}
		default:
			{
				char	   *all = NULL;
				size_t		len = 0;

				if (ff_stream_read_all(s, (sel & 4) ? 100 : MAX_OUT, &all, &len, &st) == FF_OK)
				{
					if (all[len] != '\0')
						abort();
					free(all);
				}
				break;
			}
	}
	ff_stream_close(s);
	return 0;
}
