/*
 * fuzz_s3_xml.c — libFuzzer harness of io/s3_xml.h: a ListObjectsV2 page (with a callback
 * that stops after a number of objects the first byte picks) and an S3 <Error> document.
 */
#include "fuzz.h"

#include "io/s3_xml.h"

typedef struct counter
{
	size_t		seen;
	size_t		stop;
} counter;

static bool
on_object(void *arg, const char *key, uint64_t size, int64_t mtime, const char *etag)
{
	counter    *c = arg;

	(void) size;
	(void) mtime;
	if (key == NULL || etag == NULL)
		abort();
	(void) strlen(key);
	(void) strlen(etag);
	return ++c->seen < c->stop;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	char	   *xml = fuzz_copy(data, size, false);
	ff_status	st;

	ff_status_clear(&st);
	if (sel & 1)
	{
		ff_s3_error e;

		if (ff_s3_parse_error(xml, size, &e))
		{
			if (strnlen(e.code, sizeof(e.code)) == sizeof(e.code) ||
				strnlen(e.message, sizeof(e.message)) == sizeof(e.message) ||
				strnlen(e.region, sizeof(e.region)) == sizeof(e.region) ||
				strnlen(e.endpoint, sizeof(e.endpoint)) == sizeof(e.endpoint) ||
				strnlen(e.request_id, sizeof(e.request_id)) == sizeof(e.request_id))
				abort();		/* unterminated field */
		}
	}
	else
	{
		ff_s3_list_page page;
		counter		c = {.seen = 0, .stop = (sel >> 1) == 0 ? SIZE_MAX : (size_t) (sel >> 1)};

		memset(&page, 0, sizeof(page));
		if (ff_s3_parse_list(xml, size, on_object, &c, &page, &st) == FF_OK &&
			page.n_objects != c.seen)
			abort();
		free(page.next_token);
	}
	free(xml);
	return 0;
}
