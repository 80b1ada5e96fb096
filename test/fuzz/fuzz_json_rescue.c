/*
 * fuzz_json_rescue.c — libFuzzer harness of archive/json_rescue.h: a v5 JSON rescue dump
 * read from a memory stream, every element handed out (errors move on to the next), and
 * the file-name range parser over the input as a name.
 */
#include "fuzz.h"

#include "archive/json_rescue.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_stream  *in;
	ff_rescue_reader *r = NULL;
	ff_status	st;

	ff_status_clear(&st);
	if (sel & 1)
	{
		char	   *name = fuzz_copy(data, size < 256 ? size : 256, true);
		uint64_t	first,
					last;

		if (memchr(name, '\0', size < 256 ? size : 256) == NULL &&
			ff_rescue_name_range(name, &first, &last) && first > last)
			abort();
		free(name);
	}
	in = fuzz_memory_stream(data, size);
	if (ff_rescue_open(in, (sel & 2) ? 1024 : 1 << 20, &r, &st) == FF_OK)
	{
		ff_rescue_tx tx;
		size_t		n = ff_rescue_count(r);
		size_t		i = 0;
		ff_code		code;

		while (i++ <= n && (code = ff_rescue_next(r, &tx, &st)) != FF_EOF)
		{
			if (code != FF_OK)
				continue;
			fuzz_touch(tx.bytes, tx.len);
			for (uint32_t e = 0; e < tx.n_events; e++)
			{
				(void) strlen(tx.events[e].data_json);
				fuzz_touch(tx.events[e].account, 16);
			}
			(void) strlen(tx.vm_status_json);
		}
		ff_rescue_close(r);
	}
	else if (r != NULL)
		abort();				/* *out is NULL on failure */
	ff_stream_close(in);
	return 0;
}
