/*
 * move_values.h — builds a list of named Move values twice at once: their BCS
 * (one buffer per value, and all of them concatenated) and their JSON object
 * keyed by the Move field or parameter names.  An event payload is the
 * concatenation (the BCS of the Move struct), entry-function arguments are
 * the per-value buffers, and the expected CSVs show the JSON, so bytes and
 * JSON come from the same model values and never from parsing.
 *
 * JSON conventions (compact, no spaces): u64 as a number, bool as true/false,
 * address as AIP-40 text, vector<u8> as "0x" + lowercase hex, vector<u64> and
 * vector<address> as arrays, 0x1::type_info::TypeInfo as an object
 * {"account_address","module_name","struct_name"} (its two vector<u8> fields
 * in hex like every vector<u8>).
 */
#ifndef FIXTUREGEN_MOVE_VALUES_H
#define FIXTUREGEN_MOVE_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bcs_writer.h"
#include "type_tag.h"

typedef struct move_values
{
	byte_buf	bcs;			/* every value, concatenated */
	byte_buf	json;			/* {"name":value,... (closed by mv_json) */
	byte_buf   *values;			/* one BCS buffer per value */
	size_t		count;
} move_values;

void		mv_init(move_values *mv);
void		mv_free(move_values *mv);
void		mv_u64(move_values *mv, const char *name, uint64_t value);
void		mv_bool(move_values *mv, const char *name, bool value);
void		mv_address(move_values *mv, const char *name, const uint8_t address[ADDRESS_LEN]);
void		mv_bytes(move_values *mv, const char *name, const uint8_t *data, size_t len);
void		mv_u64_vector(move_values *mv, const char *name, const uint64_t *values, size_t count);
void		mv_address_vector(move_values *mv, const char *name, const uint8_t (*addresses)[ADDRESS_LEN],
							  size_t count);
void		mv_type_info(move_values *mv, const char *name, const uint8_t address[ADDRESS_LEN],
						 const char *module_name, const char *struct_name);
/* The JSON object of the values so far (malloc'ed). */
char	   *mv_json(const move_values *mv);

/* JSON pieces shared with the CSV renderer. */
void		json_hex(byte_buf *out, const uint8_t *data, size_t len);	/* "0x..." quoted */
void		json_address(byte_buf *out, const uint8_t address[ADDRESS_LEN]);	/* AIP-40, quoted */
void		json_key(byte_buf *out, const char *name, bool first);	/* ,"name": */

#endif
