/*
 * csv_out.h — output of the expected CSV files in PostgreSQL COPY ... CSV
 * HEADER format: a row is built field by field (NULL = empty unquoted field,
 * bytea as \x + lowercase hex, addresses AIP-40, hashes "0x" + 64 hex) and
 * written with checked I/O.
 */
#ifndef FIXTUREGEN_CSV_OUT_H
#define FIXTUREGEN_CSV_OUT_H

#include <stdint.h>
#include <stdio.h>

#include "bcs_writer.h"
#include "type_tag.h"

typedef struct csv_row
{
	byte_buf	line;
	int			field_count;
	byte_buf	scratch;		/* render a field here, then csv_scratch() */
} csv_row;

typedef struct csv_file
{
	FILE	   *file;
	char	   *path;
	size_t		rows;
} csv_file;

void		csv_row_init(csv_row *row);
void		csv_row_free(csv_row *row);
void		csv_field(csv_row *row, const char *value);
void		csv_u64(csv_row *row, uint64_t value);
void		csv_bytea(csv_row *row, const uint8_t *data, size_t len);
void		csv_address(csv_row *row, const uint8_t address[ADDRESS_LEN]);
void		csv_hash(csv_row *row, const uint8_t *hash);
/* Emits row->scratch as one field and empties it. */
void		csv_scratch(csv_row *row);

void		csv_open(csv_file *out, const char *directory, const char *name, const char *header);
/* Writes the row (a newline added) and starts the next one. */
void		csv_write_row(csv_file *out, csv_row *row);
void		csv_write_text(csv_file *out, const byte_buf *text);
void		csv_close(csv_file *out);

#endif
