/*
 * entry_function.h — the arguments of the entry functions whose Move signatures the docs
 * give (FORMAT-transactions-v6v7.md §9): decoded only when the function matches, the argument
 * count matches and every argument decodes exactly; then rendered as a JSON object keyed by
 * parameter name, and, for the functions that move coins, the recipient and the amount.
 */
#ifndef FF_CHAIN_ENTRY_FUNCTION_H
#define FF_CHAIN_ENTRY_FUNCTION_H

#include "chain/transaction.h"
#include "common/buf.h"

typedef enum ff_known_function
{
	FF_FN_UNKNOWN = 0,
	FF_FN_OL_ACCOUNT_TRANSFER,	/* 0x1::ol_account::transfer(to: address, amount: u64) */
	FF_FN_OL_ACCOUNT_CREATE_ACCOUNT,	/* 0x1::ol_account::create_account(auth_key: address) */
	FF_FN_OL_ACCOUNT_BATCH_TRANSFER,	/* (recipients: vector<address>, amounts: vector<u64>) */
	FF_FN_OL_ACCOUNT_SET_ALLOW_DIRECT,	/* set_allow_direct_coin_transfers(allow: bool) */
	FF_FN_COIN_TRANSFER,		/* 0x1::coin::transfer<CoinType>(to: address, amount: u64) */
	FF_FN_VOUCH_FOR,			/* 0x1::vouch::vouch_for(wanna_be_my_friend: address) */
	FF_FN_VOUCH_INSIST,			/* 0x1::vouch::insist_vouch_for(wanna_be_my_friend: address) */
	FF_FN_VOUCH_REVOKE,			/* 0x1::vouch::revoke(its_not_me_its_you: address) */
	FF_FN_MINERSTATE_COMMIT,	/* 0x1::tower_state::minerstate_commit(challenge, solution: vector<u8>, difficulty, security: u64) */
	FF_FN_REGISTER_VALIDATOR,	/* 0x1::validator_universe::register_validator(4 x vector<u8>) */
	FF_FN_COUNT
} ff_known_function;

/*
 * The known function a decoded user transaction calls (entry function or multisig payload);
 * FF_FN_UNKNOWN for v4/v5 transactions (their ScriptFunctions are not among these).
 */
ff_known_function ff_entry_function_of(const ff_tx *tx);

/*
 * Arguments as a JSON object appended to out ({"to": "0x...", "amount": 10}): u64 as
 * numbers, addresses AIP-40, vector<u8> as "0x" + hex, bool, vectors as arrays.
 * FF_OK; FF_EOF when the function is unknown or the arguments do not match its signature
 * (out untouched or partial: reset it); FF_ERR_NOMEM.
 */
ff_code		ff_entry_args_json(const ff_tx *tx, ff_buf *out);

/*
 * A coin transfer (ol_account::transfer, coin::transfer): true with *recipient (32 bytes in
 * the record) and *amount when the arguments decode; false otherwise.
 * ol_account::create_account gives the recipient with *has_amount false.
 */
bool		ff_entry_transfer(const ff_tx *tx, const uint8_t **recipient, uint64_t *amount,
							  bool *has_amount);

#endif
