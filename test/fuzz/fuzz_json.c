/*
 * fuzz_json.c — libFuzzer harness of chain/json.h, the only part of it that reads input:
 * ff_json_move_value over a sequence of Move values whose kinds the input picks (validate
 * only, and written), plus the string/hex/address writers over the raw input.
 */
#include "fuzz.h"

#include "chain/json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		kinds = fuzz_byte(&data, &size);
	ff_buf		b;
	ff_json		j;
	bcs_cursor	c;
	bcs_cursor	v;
	size_t		n = 0;

	ff_buf_init(&b);
	ff_json_init(&j, &b);
	ff_json_begin_array(&j);
	bcs_init(&c, data, size);
	bcs_init(&v, data, size);
	while (n < 64 && !c.failed && !bcs_at_end(&c))
	{
		ff_move_kind k = (ff_move_kind) (((kinds >> (n % 4) * 2) + n) % 6);

		/* validation only and writing must agree */
		bool		a = ff_json_move_value(NULL, &v, k);
		bool		w = ff_json_move_value(&j, &c, k);

		if (a != w || (a && v.pos != c.pos))
			abort();
		n++;
	}
	ff_json_begin_object(&j);
	ff_json_key(&j, "s");
	ff_json_string(&j, (const char *) data, size);
	ff_json_key(&j, "h");
	ff_json_hex(&j, data, size);
	if (size >= 32)
	{
		ff_json_key(&j, "a");
		ff_json_address(&j, data, (kinds & 1) ? 16 : 32);
	}
	ff_json_key(&j, "n");
	ff_json_null(&j);
	ff_json_key(&j, "b");
	ff_json_bool(&j, kinds & 2);
	ff_json_end_object(&j);
	ff_json_end_array(&j);
	if (!j.failed && b.len > 0 && b.data[b.len] != '\0')
		abort();
	ff_buf_free(&b);
	return 0;
}
