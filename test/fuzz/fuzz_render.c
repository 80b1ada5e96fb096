/*
 * fuzz_render.c — libFuzzer harness of chain/render.h: type tags and struct tags (v6/v7
 * 32-byte and v4/v5 16-byte addresses, rendered and skipped: both must consume the same
 * bytes), the era-aware type-tag skipper, addresses and function names.
 */
#include "fuzz.h"

#include "chain/render.h"
#include "chain/transaction.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		sel = fuzz_byte(&data, &size);
	size_t		addr_len = (sel & 1) ? 16 : 32;
	bool		structs = (sel & 2) != 0;
	ff_buf		b;
	bcs_cursor	r;
	bcs_cursor	s;
	char		text[FF_ADDRESS_TEXT_MAX + 1];
	size_t		n = 0;

	ff_buf_init(&b);
	bcs_init(&r, data, size);
	bcs_init(&s, data, size);
	while (n++ < 16 && !bcs_at_end(&r) && !r.failed)
	{
		bool		a = structs ? ff_render_struct_tag(&r, addr_len, &b) : ff_render_type_tag(&r, addr_len, &b);
		bool		k = structs ? ff_skip_struct_tag(&s, addr_len) : ff_skip_type_tag(&s, addr_len);

		if (a != k || (a && r.pos != s.pos))
			abort();
		if (!a)
			break;
	}
	bcs_init(&s, data, size);
	n = 0;
	while (n++ < 16 && !s.failed && !bcs_at_end(&s))
		if (!ff_skip_type_tag_era(&s, (sel & 4) ? FF_ERA_V5 : FF_ERA_V6))
			break;
	if (size >= addr_len)
	{
		size_t		len = ff_render_address(data, addr_len, text);

		if (len > FF_ADDRESS_TEXT_MAX)
			abort();
		if (size > addr_len)
		{
			size_t		m = data[addr_len] % (size - addr_len);
			ff_span		mod = {.ptr = data + addr_len, .len = m};
			ff_span		fn = {.ptr = data + addr_len + m, .len = size - addr_len - m};

			ff_buf_reset(&b);
			(void) ff_render_function(data, addr_len, mod, fn, &b);
		}
	}
	if (size > 0)
	{
		char	   *hex = malloc(2 * size);

		ff_hex(data, size, hex);
		free(hex);
	}
	ff_buf_free(&b);
	return 0;
}
