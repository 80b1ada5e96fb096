/*
 * json.h — writing JSON text into an ff_buf for the decoded payload columns: object and
 * array punctuation, escaped strings, u64 numbers, hex byte strings, AIP-40 addresses, and
 * the BCS Move values of the known payload layouts.
 * Every function returns false on out of memory; the writer remembers it (sticky).
 */
#ifndef FF_CHAIN_JSON_H
#define FF_CHAIN_JSON_H

#include "bcs/bcs.h"
#include "common/buf.h"

typedef struct ff_json
{
	ff_buf	   *out;
	bool		need_comma;		/* a value was written at the current level */
	bool		failed;
} ff_json;

void		ff_json_init(ff_json *j, ff_buf *out);
bool		ff_json_begin_object(ff_json *j);
bool		ff_json_end_object(ff_json *j);
bool		ff_json_begin_array(ff_json *j);
bool		ff_json_end_array(ff_json *j);
/* A member name inside an object; the value follows with one of the value writers. */
bool		ff_json_key(ff_json *j, const char *name);
bool		ff_json_u64(ff_json *j, uint64_t v);
bool		ff_json_bool(ff_json *j, bool v);
bool		ff_json_null(ff_json *j);
bool		ff_json_string(ff_json *j, const char *s, size_t n);	/* escaped */
bool		ff_json_hex(ff_json *j, const uint8_t *p, size_t n);	/* "0x" + lowercase hex */
bool		ff_json_address(ff_json *j, const uint8_t *addr, size_t addr_len);	/* AIP-40 */

/*
 * The Move value kinds of the known payload layouts (event structs, entry-function
 * parameters), v6/v7 encoding: u64 8 bytes LE, address 32 bytes, bool 00/01, vector<u8>
 * as uleb length + bytes, vectors as uleb count + elements.
 */
#define FF_MOVE_ADDRESS_LEN 32

typedef enum ff_move_kind
{
	FF_MOVE_BOOL,				/* JSON true/false */
	FF_MOVE_U64,				/* JSON number */
	FF_MOVE_ADDRESS,			/* AIP-40 text */
	FF_MOVE_BYTES,				/* vector<u8>: "0x" + hex */
	FF_MOVE_VEC_U64,			/* array of numbers */
	FF_MOVE_VEC_ADDRESS			/* array of addresses */
} ff_move_kind;

/*
 * Read one value of that kind at the cursor and write it as JSON (j may be NULL: validate
 * only). False when the bytes do not decode (cursor failed) or out of memory (j->failed).
 */
bool		ff_json_move_value(ff_json *j, bcs_cursor *c, ff_move_kind kind);

#endif
