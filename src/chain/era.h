/*
 * era.h — the three encodings of 0L's history (FORMAT-epochs-state-legacy.md §1): v4 (Libra
 * 1.x base: 16-byte addresses, "LIBRA::" hash domain, 2-tuple transaction records, hashed
 * resource keys), v5 (Diem base: 16-byte addresses, "DIEM::", 3-tuple records, BCS paths)
 * and v6/v7 (Aptos base: 32-byte addresses, "DIEM::", 4-tuple records). v6 and v7 share one
 * wire format; FF_ERA_V6 stands for both.
 */
#ifndef FF_CHAIN_ERA_H
#define FF_CHAIN_ERA_H

#include <stddef.h>

typedef enum ff_era
{
	FF_ERA_UNKNOWN = 0,
	FF_ERA_V4 = 4,
	FF_ERA_V5 = 5,
	FF_ERA_V6 = 6				/* the v6/v7 encoding */
} ff_era;

/* Bytes of an AccountAddress: 16 before v6, 32 from v6 on. */
static inline size_t
ff_era_addr_len(ff_era e)
{
	return e == FF_ERA_V6 ? 32 : 16;
}

/* CryptoHasher domain: "LIBRA::" for v4, "DIEM::" for v5 and v6/v7. */
static inline const char *
ff_era_domain(ff_era e)
{
	return e == FF_ERA_V4 ? "LIBRA::" : "DIEM::";
}

/* "v4", "v5", "v6"; "unknown" for FF_ERA_UNKNOWN. */
static inline const char *
ff_era_name(ff_era e)
{
	switch (e)
	{
		case FF_ERA_V4:
			return "v4";
		case FF_ERA_V5:
			return "v5";
		case FF_ERA_V6:
			return "v6";
		default:
			return "unknown";
	}
}

#endif
