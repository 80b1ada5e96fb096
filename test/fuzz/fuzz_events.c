/*
 * fuzz_events.c — libFuzzer harness of the event iterators of chain/event.h (v6/v7 and the
 * v4/v5 era iterator): every event is classified (both ways), its type tag rendered, its
 * amount and JSON payload decoded. The first byte picks the era.
 */
#include "fuzz.h"

#include "chain/event.h"
#include "chain/render.h"

static const ff_era eras[4] = {FF_ERA_V6, FF_ERA_V5, FF_ERA_V4, FF_ERA_UNKNOWN};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	ff_era		era = eras[sel & 3];
	ff_span		events = {.ptr = data, .len = size};
	ff_event_iter it;
	ff_event	ev;
	ff_status	st;
	ff_buf		b;
	size_t		n = 0;

	ff_status_clear(&st);
	ff_buf_init(&b);
	if (sel & 4)
		ff_event_iter_init(&it, events);
	else
		ff_event_iter_init_era(&it, events, era);
	while (n++ <= size && ff_event_next(&it, &ev, &st) == FF_OK)
	{
		uint64_t	amount;
		bcs_cursor	c;

		fuzz_touch(ev.bcs.ptr, ev.bcs.len);
		fuzz_touch(ev.account, ev.addr_len);
		fuzz_touch(ev.data.ptr, ev.data.len);
		(void) ff_event_classify(ev.type_tag);
		(void) ff_event_classify_era(ev.type_tag, era);
		(void) ff_event_type_name(ev.type);
		(void) ff_event_type_verified(ev.type);
		(void) ff_event_amount(&ev, &amount);
		ff_buf_reset(&b);
		(void) ff_event_payload_json(&ev, &b);
		ff_buf_reset(&b);
		bcs_init(&c, ev.type_tag.ptr, ev.type_tag.len);
		(void) ff_render_type_tag(&c, ev.addr_len, &b);
	}
	(void) ff_event_iter_end(&it);

	/* classification and the payload of a made-up event over the raw input */
	if (size > 0)
	{
		size_t		cut = data[0] < size ? data[0] : size;

		memset(&ev, 0, sizeof(ev));
		ev.type_tag.ptr = data;
		ev.type_tag.len = cut;
		ev.data.ptr = data + cut;
		ev.data.len = size - cut;
		ev.addr_len = (sel & 8) ? 16 : 32;
		ev.account = size >= ev.addr_len ? data : NULL;
		ev.type = (ff_event_type) ((sel >> 4) % FF_EVENT_TYPE_COUNT);
		ev.bcs.ptr = data;
		ev.bcs.len = size;
		(void) ff_event_classify_era(ev.type_tag, era);
		if (ev.account != NULL)
		{
			uint64_t	amount;

			(void) ff_event_amount(&ev, &amount);
			ff_buf_reset(&b);
			(void) ff_event_payload_json(&ev, &b);
		}
	}
	ff_buf_free(&b);
	return 0;
}
