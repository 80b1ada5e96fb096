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

#define V FF_PUSH_VERSION
#define E FF_PUSH_EPOCH
#define N FF_PUSH_NONE

static const FfColumnDef transaction_columns[FF_NUM_TX_COLUMNS] = {
	[FF_COL_VERSION] = {"version", INT8OID, false, false, V, "ledger version of the transaction"},
	[FF_COL_EPOCH] = {"epoch", INT8OID, false, false, E, "epoch of the enclosing block"},
	[FF_COL_ROUND] = {"round", INT8OID, false, false, N, "consensus round of the enclosing block"},
	[FF_COL_BLOCK_TIMESTAMP] = {"block_timestamp", TIMESTAMPTZOID, false, false, N, "timestamp of the enclosing block"},
	[FF_COL_KIND] = {"kind", TEXTOID, false, false, N, "user, block_metadata, state_checkpoint or genesis"},
	[FF_COL_TX_HASH] = {"tx_hash", TEXTOID, true, false, N, "transaction hash (from the transaction info)"},
	[FF_COL_SENDER] = {"sender", TEXTOID, true, true, N, "sender address (user transactions)"},
	[FF_COL_SEQUENCE_NUMBER] = {"sequence_number", INT8OID, false, true, N, "sender's sequence number"},
	[FF_COL_PAYLOAD_KIND] = {"payload_kind", TEXTOID, false, true, N, "entry_function, script, module_bundle or multisig"},
	[FF_COL_FUNCTION] = {"function", TEXTOID, false, true, N, "entry function called, as 0x1::module::function"},
	[FF_COL_TYPE_ARGS] = {"type_args", TEXTARRAYOID, false, true, N, "type arguments, as type tags"},
	[FF_COL_ARGS] = {"args", BYTEAARRAYOID, false, true, N, "arguments, BCS bytes of each"},
	[FF_COL_MAX_GAS_AMOUNT] = {"max_gas_amount", INT8OID, false, true, N, "gas limit set by the sender"},
	[FF_COL_GAS_UNIT_PRICE] = {"gas_unit_price", INT8OID, false, true, N, "gas unit price set by the sender"},
	[FF_COL_GAS_USED] = {"gas_used", INT8OID, false, false, N, "gas used"},
	[FF_COL_EXPIRATION_TIMESTAMP] = {"expiration_timestamp", TIMESTAMPTZOID, false, true, N, "expiration time set by the sender"},
	[FF_COL_CHAIN_ID] = {"chain_id", INT4OID, false, true, N, "chain id in the transaction"},
	[FF_COL_AUTHENTICATOR] = {"authenticator", TEXTOID, false, true, N, "ed25519, multi_ed25519, multi_agent or fee_payer"},
	[FF_COL_STATUS] = {"status", TEXTOID, false, false, N, "success, out_of_gas, move_abort, execution_failure or miscellaneous_error"},
	[FF_COL_ABORT_LOCATION] = {"abort_location", TEXTOID, false, false, N, "module (0x1::module) or script where execution aborted"},
	[FF_COL_ABORT_CODE] = {"abort_code", NUMERICOID, false, false, N, "Move abort code (or VM status code of a miscellaneous error)"},
	[FF_COL_PROPOSER] = {"proposer", TEXTOID, true, false, N, "block proposer (block metadata)"},
	[FF_COL_EVENT_COUNT] = {"event_count", INT4OID, false, false, N, "number of events emitted"},
	[FF_COL_WRITE_COUNT] = {"write_count", INT4OID, false, false, N, "number of write-set entries"},
	[FF_COL_OBJECT] = {"object", TEXTOID, false, false, N, "archive object the row was read from"},
	[FF_COL_TRANSACTION_BCS] = {"transaction_bcs", BYTEAOID, false, false, N, "BCS bytes of the transaction (input of its hash)"},
	[FF_COL_RECIPIENT] = {"recipient", TEXTOID, true, true, N, "recipient of a coin transfer (ol_account::transfer, coin::transfer, ol_account::create_account)"},
	[FF_COL_AMOUNT] = {"amount", NUMERICOID, false, true, N, "amount of a coin transfer, in base units (6 decimals)"},
	[FF_COL_ARGS_DECODED] = {"args_decoded", JSONBOID, false, true, N, "arguments by parameter name, for entry functions with a known signature"},
	[FF_COL_EVENT_ROOT_HASH] = {"event_root_hash", TEXTOID, true, false, N, "root of the accumulator of the transaction's event hashes (from the transaction info)"},
	[FF_COL_STATE_CHANGE_HASH] = {"state_change_hash", TEXTOID, true, false, N, "hash of the transaction's write set (from the transaction info; v6/v7)"},
	[FF_COL_FRAMEWORK] = {"framework", TEXTOID, false, false, N, "era of the record: v4, v5, v6 or v7 (v6 stands for the v6/v7 encoding unless the server says v7)"},
	[FF_COL_STATE_ROOT_HASH] = {"state_root_hash", TEXTOID, true, false, N, "state root after the transaction (from the transaction info; v4/v5)"},
	[FF_COL_GAS_CURRENCY] = {"gas_currency", TEXTOID, false, true, N, "currency code the sender pays gas in (v4/v5)"},
};

static const FfColumnDef event_columns[FF_NUM_EVENT_COLUMNS] = {
	[FF_EV_VERSION] = {"version", INT8OID, false, false, V, "version of the transaction that emitted the event"},
	[FF_EV_EPOCH] = {"epoch", INT8OID, false, false, E, "epoch of the transaction's block"},
	[FF_EV_BLOCK_TIMESTAMP] = {"block_timestamp", TIMESTAMPTZOID, false, false, N, "timestamp of the transaction's block"},
	[FF_EV_EVENT_INDEX] = {"event_index", INT4OID, false, false, N, "position of the event within its transaction, from 0"},
	[FF_EV_TYPE] = {"type", TEXTOID, false, false, N, "event type tag, e.g. 0x1::coin::WithdrawEvent"},
	[FF_EV_ACCOUNT] = {"account", TEXTOID, true, false, N, "account of the event key"},
	[FF_EV_CREATION_NUMBER] = {"creation_number", NUMERICOID, false, false, N, "creation number of the event key"},
	[FF_EV_SEQUENCE_NUMBER] = {"sequence_number", INT8OID, false, false, N, "sequence number of the event in its stream"},
	[FF_EV_DATA] = {"data", BYTEAOID, false, false, N, "event payload, BCS bytes"},
	[FF_EV_AMOUNT] = {"amount", NUMERICOID, false, false, N, "amount of a coin WithdrawEvent or DepositEvent, in base units"},
	[FF_EV_DECODED] = {"decoded", JSONBOID, false, false, N, "payload as JSON, for event types with a documented layout"},
	[FF_EV_DECODED_FROM] = {"decoded_from", TEXTOID, false, false, N, "where the layout of decoded comes from: bytes (checked on real archives) or source (Move sources only)"},
	[FF_EV_TX_HASH] = {"tx_hash", TEXTOID, true, false, N, "hash of the transaction that emitted the event"},
	[FF_EV_OBJECT] = {"object", TEXTOID, false, false, N, "archive object the row was read from"},
	[FF_EV_EVENT_BCS] = {"event_bcs", BYTEAOID, false, false, N, "BCS bytes of the whole event (input of its hash)"},
	[FF_EV_FRAMEWORK] = {"framework", TEXTOID, false, false, N, "era of the record: v5, v6 or v7"},
};

/* The columns that describe a state key and its value: state_changes and state alike. */
#define STATE_KEY_VALUE_COLUMNS \
	[FF_ST_KEY_KIND] = {"key_kind", TEXTOID, false, false, N, "access_path, table_item or raw"}, \
	[FF_ST_PATH] = {"path", TEXTOID, false, false, N, "resource, resource_group or code (access paths)"}, \
	[FF_ST_ADDRESS] = {"address", TEXTOID, true, false, N, "account of an access path"}, \
	[FF_ST_RESOURCE] = {"resource", TEXTOID, false, false, N, "resource type (resource paths) or module (code paths)"}, \
	[FF_ST_TABLE_HANDLE] = {"table_handle", TEXTOID, true, false, N, "table handle (table items)"}, \
	[FF_ST_TABLE_KEY] = {"table_key", BYTEAOID, false, false, N, "key of a table item, BCS bytes"}, \
	[FF_ST_STATE_KEY] = {"state_key", BYTEAOID, false, false, N, "the whole state key, BCS bytes"}, \
	[FF_ST_VALUE_SIZE] = {"value_size", INT4OID, false, false, N, "size of the value in bytes"}, \
	[FF_ST_BALANCE] = {"balance", NUMERICOID, false, false, N, "coin balance of a 0x1::coin::CoinStore value, in base units"}, \
	[FF_ST_OBJECT] = {"object", TEXTOID, false, false, N, "archive object the row was read from"}, \
	[FF_ST_FRAMEWORK] = {"framework", TEXTOID, false, false, N, "era of the record: v4, v5, v6 or v7"}

static const FfColumnDef state_change_columns[FF_NUM_STATE_COLUMNS] = {
	[FF_ST_VERSION] = {"version", INT8OID, false, false, V, "version of the transaction that wrote the entry"},
	[FF_ST_EPOCH] = {"epoch", INT8OID, false, false, E, "epoch of the transaction's block"},
	[FF_ST_INDEX] = {"change_index", INT4OID, false, false, N, "position of the entry in the transaction's write set, from 0"},
	[FF_ST_OP] = {"op", TEXTOID, false, false, N, "create, modify or delete"},
	[FF_ST_VALUE] = {"value", BYTEAOID, false, false, N, "value written, BCS bytes (NULL for deletions)"},
	[FF_ST_METADATA] = {"metadata", JSONBOID, false, false, N, "state value metadata (payer, deposit, creation_time_usecs) of *WithMetadata ops"},
	STATE_KEY_VALUE_COLUMNS,
};

static const FfColumnDef state_columns[FF_NUM_STATE_COLUMNS] = {
	[FF_ST_VERSION] = {"snapshot_version", INT8OID, false, false, V, "version of the state snapshot"},
	[FF_ST_EPOCH] = {"epoch", INT8OID, false, false, E, "epoch the snapshot version ends"},
	[FF_ST_INDEX] = {"item_index", INT8OID, false, false, N, "position of the item in the snapshot, from 0"},
	[FF_ST_OP] = {NULL},		/* a snapshot holds values, not operations */
	[FF_ST_VALUE] = {"value", BYTEAOID, false, false, N, "value, BCS bytes"},
	[FF_ST_METADATA] = {"metadata", JSONBOID, false, false, N, "state value metadata (payer, deposit, creation_time_usecs)"},
	[FF_ST_ACCOUNT_HASH] = {"account_hash", TEXTOID, true, false, N, "hash of the account address that keys a v4/v5 account record"},
	STATE_KEY_VALUE_COLUMNS,
};

static const FfColumnDef epoch_columns[FF_NUM_EPOCH_COLUMNS] = {
	[FF_EP_EPOCH] = {"epoch", INT8OID, false, false, E, "the epoch this ledger info ends"},
	[FF_EP_FIRST_VERSION] = {"first_version", INT8OID, false, false, N, "first version of the epoch (NULL when the previous epoch's end is unknown)"},
	[FF_EP_LAST_VERSION] = {"last_version", INT8OID, false, false, N, "last version of the epoch"},
	[FF_EP_END_TIMESTAMP] = {"end_timestamp", TIMESTAMPTZOID, false, false, N, "timestamp of the epoch's last block"},
	[FF_EP_ROUND] = {"round", INT8OID, false, false, N, "consensus round of the epoch's last block"},
	[FF_EP_BLOCK_ID] = {"block_id", TEXTOID, true, false, N, "id of the epoch's last block"},
	[FF_EP_ROOT_HASH] = {"root_hash", TEXTOID, true, false, N, "transaction accumulator root hash after last_version"},
	[FF_EP_WAYPOINT] = {"waypoint", TEXTOID, false, false, N, "waypoint version:hash (recomputed and checked against the manifest)"},
	[FF_EP_VALIDATOR_COUNT] = {"validator_count", INT4OID, false, false, N, "validators of the set handed to the next epoch"},
	[FF_EP_TOTAL_VOTING_POWER] = {"total_voting_power", NUMERICOID, false, false, N, "total voting power of that set"},
	[FF_EP_VALIDATORS] = {"validators", JSONBOID, false, false, N, "validator set of epoch + 1: address, voting_power, consensus_key"},
	[FF_EP_SIGNER_COUNT] = {"signer_count", INT4OID, false, false, N, "validators of this epoch who signed the ledger info"},
	[FF_EP_OBJECT] = {"object", TEXTOID, false, false, N, "archive object the row was read from"},
	[FF_EP_FRAMEWORK] = {"framework", TEXTOID, false, false, N, "era of the record: v4, v5, v6 or v7"},
	[FF_EP_QUORUM_VOTING_POWER] = {"quorum_voting_power", NUMERICOID, false, false, N, "voting power a quorum of that set needs (stored in v4/v5 ledger infos)"},
};

static const FfColumnDef object_columns[FF_NUM_OBJECT_COLUMNS] = {
	[FF_OB_KEY] = {"key", TEXTOID, false, false, N, "object key, relative to the server's location"},
	[FF_OB_KIND] = {"kind", TEXTOID, false, false, N, "transaction, epoch_ending, state_snapshot, manifest, metadata, proof, bundle, json_rescue or other"},
	[FF_OB_BACKUP] = {"backup", TEXTOID, false, false, N, "backup folder the object belongs to"},
	[FF_OB_FIRST_VERSION] = {"first_version", INT8OID, false, false, N, "first version the object covers"},
	[FF_OB_LAST_VERSION] = {"last_version", INT8OID, false, false, N, "last version the object covers"},
	[FF_OB_FIRST_EPOCH] = {"first_epoch", INT8OID, false, false, N, "first epoch the object covers"},
	[FF_OB_LAST_EPOCH] = {"last_epoch", INT8OID, false, false, N, "last epoch the object covers"},
	[FF_OB_SIZE] = {"size", INT8OID, false, false, N, "stored size in bytes"},
	[FF_OB_COMPRESSION] = {"compression", TEXTOID, false, false, N, "gzip or none, from the object's first bytes"},
	[FF_OB_FRAMEWORK] = {"framework", TEXTOID, false, false, N, "era of the archive's backups, for the objects of a backup (NULL when planning cannot tell)"},
};

#undef V
#undef E
#undef N

const FfColumnDef *
ff_kind_columns(FfRecordKind kind, int *n)
{
	switch (kind)
	{
		case FF_RECORDS_TRANSACTIONS:
			*n = FF_NUM_TX_COLUMNS;
			return transaction_columns;
		case FF_RECORDS_EVENTS:
			*n = FF_NUM_EVENT_COLUMNS;
			return event_columns;
		case FF_RECORDS_STATE_CHANGES:
			*n = FF_NUM_STATE_COLUMNS;
			return state_change_columns;
		case FF_RECORDS_STATE:
			*n = FF_NUM_STATE_COLUMNS;
			return state_columns;
		case FF_RECORDS_EPOCHS:
			*n = FF_NUM_EPOCH_COLUMNS;
			return epoch_columns;
		case FF_RECORDS_OBJECTS:
			*n = FF_NUM_OBJECT_COLUMNS;
			return object_columns;
		case FF_NUM_RECORD_KINDS:
			break;
	}
	elog(ERROR, "forensic_fdw: unknown record kind %d", (int) kind);
	pg_unreachable();
}

static int
find_column(const FfColumnDef *cols, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (cols[i].name && strcmp(cols[i].name, name) == 0)
			return i;
	return -1;
}

static char *
valid_column_list(const FfColumnDef *cols, int n)
{
	StringInfoData s;

	initStringInfo(&s);
	for (int i = 0; i < n; i++)
		if (cols[i].name)
			appendStringInfo(&s, "%s%s %s", s.len ? ", " : "", cols[i].name,
							 format_type_be(cols[i].type));
	return s.data;
}

int *
ff_map_columns(Relation rel, FfRecordKind kind, bool **as_bytea)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int		   *map = palloc(sizeof(int) * Max(desc->natts, 1));
	bool	   *bytea = palloc0(sizeof(bool) * Max(desc->natts, 1));
	int			ncols;
	const FfColumnDef *cols = ff_kind_columns(kind, &ncols);

	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		const char *name = NameStr(att->attname);
		int			col;
		const FfColumnDef *def;

		map[i] = -1;
		if (att->attisdropped)
			continue;
		col = find_column(cols, ncols, name);
		if (col < 0)
			ereport(ERROR,
					(errcode(ERRCODE_FDW_INVALID_COLUMN_NAME),
					 errmsg("column \"%s\" of foreign table \"%s\" is not a %s column",
							name, RelationGetRelationName(rel), ff_record_kind_name(kind)),
					 errhint("Valid columns are: %s.", valid_column_list(cols, ncols))));
		def = &cols[col];
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
