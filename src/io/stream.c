/*
 * stream.c — helpers shared by every ff_stream implementation: reading a whole (small)
 * object into memory with a hard size limit.
 */
#include "io/stream.h"

#include <stdlib.h>
#include <string.h>

ff_code
ff_stream_read_all(ff_stream *s, size_t max_bytes, char **out, size_t *len, ff_status *st)
{
	char	   *data = NULL;
	size_t		used = 0;
	size_t		cap = 0;

	*out = NULL;
	*len = 0;
	for (;;)
	{
		ssize_t		got;
		size_t		want;

		/* keep room for one byte past the limit (to detect it) and for the NUL */
		if (cap - used < 2)
		{
			size_t		ncap = cap ? cap * 2 : 4096;
			char	   *p;

			if (ncap > max_bytes + 2)
				ncap = max_bytes + 2;
			if (ncap <= cap)
				ncap = cap + 2;
			p = realloc(data, ncap);
			if (!p)
			{
				free(data);
				return ff_status_set(st, FF_ERR_NOMEM, "out of memory reading an object of %zu bytes", used);
			}
			data = p;
			cap = ncap;
		}
		want = cap - used - 1;
		got = ff_stream_read(s, data + used, want, st);
		if (got < 0)
		{
			free(data);
			return st->code != FF_OK ? st->code : ff_status_set(st, FF_ERR_IO, "read failed");
		}
		if (got == 0)
			break;
		used += (size_t) got;
		if (used > max_bytes)
		{
			free(data);
			return ff_status_set(st, FF_ERR_LIMIT, "object larger than the limit of %zu bytes", max_bytes);
		}
	}
	if (!data)
	{
		data = malloc(1);
		if (!data)
			return ff_status_set(st, FF_ERR_NOMEM, "out of memory");
	}
	data[used] = '\0';
	*out = data;
	*len = used;
	return FF_OK;
}
