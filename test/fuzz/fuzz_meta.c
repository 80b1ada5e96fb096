/*
 * fuzz_meta.c — libFuzzer harness of the JSON parsers of archive/meta.h: .meta files and
 * the transaction, epoch-ending and state snapshot manifests (the first byte picks one).
 * The text is handed over without a terminating NUL, as read from storage.
 */
#include "fuzz.h"

#include "archive/meta.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	char	   *text = fuzz_copy(data, size, false);
	ff_status	st;

	ff_status_clear(&st);
	switch (sel & 3)
	{
		case 0:
			{
				ff_meta_file m;

				if (ff_meta_parse(text, size, &m, &st) == FF_OK)
				{
					for (size_t i = 0; i < m.n_lines; i++)
						if (m.lines[i].manifest)
							(void) strlen(m.lines[i].manifest);
					ff_meta_file_free(&m);
				}
				break;
			}
		case 1:
			{
				ff_tx_manifest m;

				if (ff_tx_manifest_parse(text, size, &m, &st) == FF_OK)
				{
					for (size_t i = 0; i < m.n_chunks; i++)
						if (m.chunks[i].first_version > m.chunks[i].last_version)
							abort();	/* documented as refused */
					ff_tx_manifest_free(&m);
				}
				break;
			}
		case 2:
			{
				ff_epoch_manifest m;

				if (ff_epoch_manifest_parse(text, size, &m, &st) == FF_OK)
				{
					for (size_t i = 0; i < m.n_waypoints; i++)
						fuzz_touch(m.waypoint_hashes + 32 * i, 32);
					ff_epoch_manifest_free(&m);
				}
				break;
			}
		default:
			{
				ff_state_manifest m;

				if (ff_state_manifest_parse(text, size, &m, &st) == FF_OK)
					ff_state_manifest_free(&m);
				break;
			}
	}
	free(text);
	return 0;
}
