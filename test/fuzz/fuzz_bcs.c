/*
 * fuzz_bcs.c — libFuzzer harness of the BCS cursor (bcs/bcs.h): the first bytes are a
 * program of read operations (each of the primitives, with lengths/sizes from the program)
 * run over the rest of the input; checks the cursor's invariants after every step.
 */
#include "fuzz.h"

#include "bcs/bcs.h"

#define PROGRAM_LEN 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		prog[PROGRAM_LEN];
	size_t		np = size < PROGRAM_LEN ? size : PROGRAM_LEN;
	bcs_cursor	c;

	memset(prog, 0, sizeof(prog));
	memcpy(prog, data, np);
	data += np;
	size -= np;
	bcs_init(&c, data, size);
	for (size_t step = 0; step < 4 * PROGRAM_LEN && !c.failed; step++)
	{
		uint8_t		op = prog[step % PROGRAM_LEN];
		size_t		before = c.pos;
		uint8_t		u8;
		uint16_t	u16;
		uint32_t	u32;
		uint64_t	u64;
		bool		b;
		const uint8_t *p = NULL;
		ff_span		s = {0};
		bool		ok;

		switch (op % 17)
		{
			case 0: ok = bcs_u8(&c, &u8); break;
			case 1: ok = bcs_u16(&c, &u16); break;
			case 2: ok = bcs_u32(&c, &u32); break;
			case 3: ok = bcs_u64(&c, &u64); break;
			case 4: ok = bcs_u128(&c, &p); if (ok) fuzz_touch(p, 16); break;
			case 5: ok = bcs_u256(&c, &p); if (ok) fuzz_touch(p, 32); break;
			case 6: ok = bcs_bool(&c, &b); break;
			case 7: ok = bcs_uleb128(&c, &u32); break;
			case 8: ok = bcs_len(&c, &u32); if (ok && u32 > 0x7fffffffu) abort(); break;
			case 9:
				ok = bcs_count(&c, (op >> 5) + 0, &u32);
				if (ok && (op >> 5) > 0 && (size_t) u32 * (op >> 5) > bcs_remaining(&c))
					abort();
				break;
			case 10: ok = bcs_bytes(&c, &s); break;
			case 11: ok = bcs_fixed(&c, op >> 3, &p); if (ok) fuzz_touch(p, op >> 3); break;
			case 12: ok = bcs_option(&c, &b); break;
			case 13: ok = bcs_identifier(&c, &s); if (ok && s.len == 0) abort(); break;
			case 14: ok = bcs_string(&c, &s); break;
			case 15: ok = bcs_skip(&c, op >> 4); break;
			default: ok = bcs_fail_at(&c, c.pos, "fuzz"); break;
		}
		fuzz_touch(s.ptr, s.len);
		if (c.pos > c.len || c.pos < before || ok == c.failed)
			abort();
		if (c.failed && (c.fail_what == NULL || c.fail_pos > c.len))
			abort();
		(void) bcs_remaining(&c);
		(void) bcs_at_end(&c);
	}
	return 0;
}
