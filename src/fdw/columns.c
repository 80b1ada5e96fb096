/*
 * columns.c — the columns each record kind can produce, and the mapping of a foreign
 * table's declared columns onto them (by name, any subset, any order), with errors that
 * name the column and list the valid ones.
 */
#include "fdw/forensic_fdw.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/builtins.h"

const FfColumnDef ff_transaction_columns[FF_NUM_COLUMNS] = {
	[FF_COL_VERSION] = {"version", INT8OID, false, false, "ledger version of the transaction"},
	[FF_COL_EPOCH] = {"epoch", INT8OID, false, false, "epoch of the enclosing block"},
	[FF_COL_ROUND] = {"round", INT8OID, false, false, "consensus round of the enclosing block"},
	[FF_COL_BLOCK_TIMESTAMP] = {"block_timestamp", TIMESTAMPTZOID, false, false, "timestamp of the enclosing block"},
	[FF_COL_KIND] = {"kind", TEXTOID, false, false, "user, block_metadata, state_checkpoint or genesis"},
	[FF_COL_TX_HASH] = {"tx_hash", TEXTOID, true, false, "transaction hash (from the transaction info)"},
	[FF_COL_SENDER] = {"sender", TEXTOID, true, true, "sender address (user transactions)"},
	[FF_COL_SEQUENCE_NUMBER] = {"sequence_number", INT8OID, false, true, "sender's sequence number"},
	[FF_COL_PAYLOAD_KIND] = {"payload_kind", TEXTOID, false, true, "entry_function, script, module_bundle or multisig"},
	[FF_COL_FUNCTION] = {"function", TEXTOID, false, true, "entry function called, as 0x1::module::function"},
	[FF_COL_TYPE_ARGS] = {"type_args", TEXTARRAYOID, false, true, "type arguments, as type tags"},
	[FF_COL_ARGS] = {"args", BYTEAARRAYOID, false, true, "arguments, BCS bytes of each"},
	[FF_COL_MAX_GAS_AMOUNT] = {"max_gas_amount", INT8OID, false, true, "gas limit set by the sender"},
	[FF_COL_GAS_UNIT_PRICE] = {"gas_unit_price", INT8OID, false, true, "gas unit price set by the sender"},
	[FF_COL_GAS_USED] = {"gas_used", INT8OID, false, false, "gas used"},
	[FF_COL_EXPIRATION_TIMESTAMP] = {"expiration_timestamp", TIMESTAMPTZOID, false, true, "expiration time set by the sender"},
	[FF_COL_CHAIN_ID] = {"chain_id", INT4OID, false, true, "chain id in the transaction"},
	[FF_COL_AUTHENTICATOR] = {"authenticator", TEXTOID, false, true, "ed25519, multi_ed25519, multi_agent or fee_payer"},
	[FF_COL_STATUS] = {"status", TEXTOID, false, false, "success, out_of_gas, move_abort, execution_failure or miscellaneous_error"},
	[FF_COL_ABORT_LOCATION] = {"abort_location", TEXTOID, false, false, "module (0x1::module) or script where execution aborted"},
	[FF_COL_ABORT_CODE] = {"abort_code", NUMERICOID, false, false, "Move abort code (or VM status code of a miscellaneous error)"},
	[FF_COL_PROPOSER] = {"proposer", TEXTOID, true, false, "block proposer (block metadata)"},
	[FF_COL_EVENT_COUNT] = {"event_count", INT4OID, false, false, "number of events emitted"},
	[FF_COL_WRITE_COUNT] = {"write_count", INT4OID, false, false, "number of write-set entries"},
	[FF_COL_OBJECT] = {"object", TEXTOID, false, false, "archive object the row was read from"},
	[FF_COL_TRANSACTION_BCS] = {"transaction_bcs", BYTEAOID, false, false, "BCS bytes of the transaction (input of its hash)"},
};

static int
find_column(const char *name)
{
	for (int i = 0; i < FF_NUM_COLUMNS; i++)
		if (strcmp(ff_transaction_columns[i].name, name) == 0)
			return i;
	return -1;
}

static char *
valid_column_list(void)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < FF_NUM_COLUMNS; i++)
		appendStringInfo(&s, "%s%s %s", i ? ", " : "", ff_transaction_columns[i].name,
						 format_type_be(ff_transaction_columns[i].type));
	return s.data;
}

int *
ff_map_columns(Relation rel, FfRecordKind kind, bool **as_bytea)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int		   *map = palloc(sizeof(int) * Max(desc->natts, 1));
	bool	   *bytea = palloc0(sizeof(bool) * Max(desc->natts, 1));

	Assert(kind == FF_RECORDS_TRANSACTIONS);
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char *name = NameStr(att->attname);
		int			col;
		const FfColumnDef *def;

		map[i] = -1;
		if (att->attisdropped)
			continue;
		col = find_column(name);
		if (col < 0)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_COLUMN_NAME),
					 errmsg("column \"%s\" of foreign table \"%s\" is not a %s column",
							name, RelationGetRelationName(rel), ff_record_kind_name(kind)),
					 errhint("Valid columns are: %s.", valid_column_list())));
		def = &ff_transaction_columns[col];
		if (att->atttypid == BYTEAOID && def->bytea_ok)
			bytea[i] = true;
		else if (att->atttypid != def->type)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_DATA_TYPE),
					 errmsg("column \"%s\" of foreign table \"%s\" has type %s, but forensic_fdw produces %s",
							name, RelationGetRelationName(rel), format_type_be(att->atttypid),
							format_type_be(def->type)),
					 def->bytea_ok
					 ? errhint("Declare it as %s, or as bytea for the raw bytes.", format_type_be(def->type))
					 : errhint("Declare it as %s.", format_type_be(def->type))));
		map[i] = col;
	}
	*as_bytea = bytea;
	return map;
}
