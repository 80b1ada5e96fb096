--
-- verify: the table option verify (none | hashes | proofs). 'hashes' recomputes the
-- transaction hash, event root hash and state change hash of every returned transaction;
-- 'proofs' also reads every kept chunk to its end and checks it against its .proof file.
-- Damaged copies (test/make-fixtures.sh) still decode: only verification tells.
--
\getenv fixtures FF_FIXTURES
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS forensic_fdw;
RESET client_min_messages;
SELECT set_config('forensic_regress.fixtures', :'fixtures', false) IS NOT NULL AS set;

-- the option: a table option, validated with a hint
\set flat :fixtures '/flat'
CREATE SERVER vf_flat FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'flat');
CREATE FOREIGN TABLE vf_bad (version bigint) SERVER vf_flat OPTIONS (records 'transactions', verify 'hash');
CREATE FOREIGN TABLE vf_bad (version bigint) SERVER vf_flat OPTIONS (records 'transactions', verify 'all');
CREATE FOREIGN TABLE vf_bad (version bigint) SERVER vf_flat OPTIONS (records 'transactions', verifiy 'hashes');
CREATE FOREIGN TABLE vf_bad (key text) SERVER vf_flat OPTIONS (records 'objects', verify 'hashes');
ALTER SERVER vf_flat OPTIONS (ADD verify 'hashes');
CREATE FOREIGN TABLE vf_none (version bigint) SERVER vf_flat OPTIONS (records 'transactions', verify 'none');

-- a scan of every kind over a layout, at each level: exact row counts (summary.txt)
CREATE FUNCTION verify_counts(variant text) RETURNS TABLE (level text, transactions bigint, events bigint, state_changes bigint)
LANGUAGE plpgsql AS $$
DECLARE
  lvl text;
  srv text := 'vc_' || variant;
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)',
                 srv, current_setting('forensic_regress.fixtures') || '/' || variant);
  FOREACH lvl IN ARRAY ARRAY['none', 'hashes', 'proofs'] LOOP
    EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, tx_hash text) SERVER %I OPTIONS (records ''transactions'', verify %L)',
                   srv || '_tx_' || lvl, srv, lvl);
    EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, event_index integer) SERVER %I OPTIONS (records ''events'', verify %L)',
                   srv || '_ev_' || lvl, srv, lvl);
    EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, change_index integer) SERVER %I OPTIONS (records ''state_changes'', verify %L)',
                   srv || '_sc_' || lvl, srv, lvl);
    level := lvl;
    EXECUTE format('SELECT count(*) FROM %I', srv || '_tx_' || lvl) INTO transactions;
    EXECUTE format('SELECT count(*) FROM %I', srv || '_ev_' || lvl) INTO events;
    EXECUTE format('SELECT count(*) FROM %I', srv || '_sc_' || lvl) INTO state_changes;
    RETURN NEXT;
  END LOOP;
END $$;
-- flat: 1228 transactions, 1062 events, 2062 state changes (flat.expected/summary.txt)
SELECT * FROM verify_counts('flat');
-- per_epoch: 1221, 1057, 2053 (per_epoch.expected/summary.txt)
SELECT * FROM verify_counts('per_epoch');
-- the rows are the same with and without verification
SELECT count(*) AS differ FROM
  ((SELECT * FROM vc_flat_tx_proofs) EXCEPT ALL (SELECT * FROM vc_flat_tx_none)) d;

-- EXPLAIN VERBOSE shows the level; ANALYZE what was verified: with 'proofs' the whole
-- chunk 254-380 is read for one version (127 records, one proof)
CREATE FUNCTION verify_explain(q text, opts text DEFAULT 'VERBOSE, COSTS OFF') RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (' || opts || ') ' || q LOOP
    CONTINUE WHEN line ~ 'Location:';
    RETURN NEXT regexp_replace(line, 'Bytes Read: \d+ stored, \d+ raw', 'Bytes Read: N');
  END LOOP;
END $$;
SELECT verify_explain('SELECT version FROM vc_flat_tx_hashes WHERE version = 300');
SELECT verify_explain('SELECT version FROM vc_flat_tx_none WHERE version = 300');
SELECT verify_explain('SELECT version FROM vc_flat_tx_proofs WHERE version = 300',
                      'ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF');
SELECT verify_explain('SELECT version FROM vc_flat_tx_hashes WHERE version = 300',
                      'ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF');

-- damaged copies of the plain archive (the damage is in its second chunk, 254-380)
CREATE FUNCTION verify_scan(variant text, level text, kind text DEFAULT 'transactions',
                            pred text DEFAULT 'true')
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  srv text := 'vd_' || variant;
  tbl text := format('vd_%s_%s_%s', variant, kind, level);
  state text; msg text; detail text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_foreign_server WHERE srvname = srv) THEN
    EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)',
                   srv, current_setting('forensic_regress.fixtures') || '/' || variant);
  END IF;
  IF to_regclass(tbl) IS NULL THEN
    EXECUTE format('CREATE FOREIGN TABLE %I (%I bigint) SERVER %I OPTIONS (records %L, verify %L)',
                   tbl, CASE kind WHEN 'epochs' THEN 'epoch' ELSE 'version' END, srv, kind, level);
  END IF;
  EXECUTE format('SELECT count(*) FROM %I WHERE %s', tbl, pred) INTO n;
  RETURN format('no error: %s rows', n);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
  RETURN format(E'%s: %s\nDETAIL: %s', state, msg, detail);
END $$;

-- an event's data byte flipped (version 255): the event root no longer matches
SELECT verify_scan('verify_event_data', 'none');
SELECT verify_scan('verify_event_data', 'hashes');
SELECT verify_scan('verify_event_data', 'hashes', 'events');
-- 'hashes' checks the records the scan decodes: the versions pushed down (a qual that is
-- not pushed down, such as <>, still decodes version 255)
SELECT verify_scan('verify_event_data', 'hashes', 'transactions', 'version < 255');
SELECT verify_scan('verify_event_data', 'hashes', 'transactions', 'version <> 255');
-- 'proofs' reads version 255 for its TransactionInfo only: the info is intact, so the
-- chunk proof holds; the events of a record not returned are not looked at
SELECT verify_scan('verify_event_data', 'proofs', 'transactions', 'version = 300');
-- a write set byte flipped: the state change hash
SELECT verify_scan('verify_write_set', 'none');
SELECT verify_scan('verify_write_set', 'hashes', 'state_changes');
-- a byte of the transaction (the BlockMetadata's round) flipped: the transaction hash
SELECT verify_scan('verify_tx_byte', 'hashes');
SELECT verify_scan('verify_tx_byte', 'proofs');
-- gas_used of the TransactionInfo flipped: no 'hashes' check covers it, the chunk proof
-- does, also when only another version of the chunk is asked for
SELECT verify_scan('verify_info_gas', 'hashes');
SELECT verify_scan('verify_info_gas', 'proofs');
SELECT verify_scan('verify_info_gas', 'proofs', 'state_changes', 'version = 300');
SELECT verify_scan('verify_info_gas', 'proofs', 'transactions', 'version < 254');
-- a proof sibling flipped: the records are intact, only 'proofs' tells
SELECT verify_scan('verify_proof_sibling', 'hashes');
SELECT verify_scan('verify_proof_sibling', 'proofs');
SELECT verify_scan('verify_proof_sibling', 'proofs', 'transactions', 'version = 300');
SELECT verify_scan('verify_proof_sibling', 'proofs', 'events', 'version < 254');
-- a chunk whose proof file is missing
SELECT verify_scan('missing_proof', 'hashes');
SELECT verify_scan('missing_proof', 'proofs');

-- v4/v5: 'hashes' checks what their records carry; their proofs are not supported
SELECT verify_scan('v5_flat', 'hashes');
SELECT verify_scan('v5_flat', 'hashes', 'events');
SELECT verify_scan('v4_per_epoch_zip', 'hashes');
SELECT verify_scan('v5_flat', 'proofs');

-- epochs tables check each record against its waypoint whatever the level
SELECT verify_scan('bad_epoch', 'none', 'epochs');
SELECT verify_scan('flat', 'proofs', 'epochs');
