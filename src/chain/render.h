/*
 * render.h — text forms of chain values, written into caller buffers:
 * hex, AIP-40 addresses, Move type tags, function names.
 */
#ifndef FF_CHAIN_RENDER_H
#define FF_CHAIN_RENDER_H

#include "bcs/bcs.h"
#include "common/buf.h"

/* Longest rendered address: "0x" + 64 hex digits. */
#define FF_ADDRESS_TEXT_MAX 66

/* Lowercase hex of n bytes into out (2n chars, no NUL, no prefix). */
void		ff_hex(const uint8_t *p, size_t n, char *out);

/*
 * AIP-40: an address whose bytes are all zero except possibly the last, and whose last
 * byte is < 0x10, renders short ("0x0" .. "0xf"); any other address renders as "0x" + all
 * 2*addr_len lowercase hex digits. addr_len is 32 (v6/v7) or 16 (v4/v5).
 * Writes no NUL; returns the number of chars written (<= FF_ADDRESS_TEXT_MAX).
 */
size_t		ff_render_address(const uint8_t *addr, size_t addr_len, char *out);

/*
 * Render one TypeTag read from the cursor (v6/v7 encoding, 32-byte addresses) as
 * display text: bool u8 u16 u32 u64 u128 u256 address signer vector<T>
 * 0x1::coin::CoinStore<0x1::gas_coin::GasCoin, u64> (AIP-40 addresses, ", " between
 * generics). Nesting deeper than FF_TYPE_TAG_MAX_DEPTH fails the cursor.
 * Returns false on a decode failure (cursor failed) or out of memory (cursor not failed).
 */
#define FF_TYPE_TAG_MAX_DEPTH 8
bool		ff_render_type_tag(bcs_cursor *c, size_t addr_len, ff_buf *out);

/* Skip one TypeTag (same validation as rendering, no output). */
bool		ff_skip_type_tag(bcs_cursor *c, size_t addr_len);

/*
 * Render / skip a bare StructTag (address, module, name, type parameters: the body of
 * Path::Resource and of TypeTag::Struct) in the same display form. Its type parameters
 * count as being inside no box, as when serde reads a StructTag on its own.
 */
bool		ff_render_struct_tag(bcs_cursor *c, size_t addr_len, ff_buf *out);
bool		ff_skip_struct_tag(bcs_cursor *c, size_t addr_len);

/* "<address>::<module>::<function>" with an AIP-40 address. */
bool		ff_render_function(const uint8_t *module_addr, size_t addr_len, ff_span module_name,
							   ff_span function_name, ff_buf *out);

#endif
