--
-- errors: damaged archives give clear errors with the right SQLSTATE, naming the object,
-- the record and the byte offset; never a crash or a silently partial result.
--
\getenv fixtures FF_FIXTURES
SELECT set_config('forensic_regress.fixtures', :'fixtures', false) IS NOT NULL AS set;

CREATE FUNCTION damaged_scan(variant text, query text DEFAULT 'SELECT count(*) FROM %I')
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  state text; msg text; detail text; hint text;
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)',
                 'srv_' || variant, current_setting('forensic_regress.fixtures') || '/' || variant);
  EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, epoch bigint, kind text, tx_hash text) SERVER %I OPTIONS (records %L)',
                 'tx_' || variant, 'srv_' || variant, 'transactions');
  EXECUTE format(query, 'tx_' || variant) INTO n;
  RETURN format('no error: %s rows', n);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
  RETURN format(E'%s: %s\nDETAIL: %s\nHINT: %s', state, msg, detail, hint);
END $$;

SELECT damaged_scan('truncated');
SELECT damaged_scan('bad_tag');
SELECT damaged_scan('huge_length');
SELECT damaged_scan('missing_chunk');
SELECT damaged_scan('bad_manifest');
-- the damage is in the second chunk: versions before it are still readable
SELECT damaged_scan('truncated', 'SELECT count(*) FROM %I WHERE version < 100');
SELECT damaged_scan('bad_tag', 'SELECT count(*) FROM %I WHERE epoch < 2');

-- the error context names the object and version while a row is built
\set bad_tag :fixtures '/bad_tag'
CREATE SERVER srv_ctx FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bad_tag');
CREATE FOREIGN TABLE tx_ctx (version bigint) SERVER srv_ctx OPTIONS (records 'transactions');
\set VERBOSITY default
SELECT count(*) FROM tx_ctx;

-- A missing or unreadable part of the archive is an error only for the queries that need it.
CREATE FUNCTION error_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
  state text; msg text; detail text;
BEGIN
  EXECUTE query INTO n;
  RETURN format('no error: %s rows', n);
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL;
  RETURN format(E'%s: %s\nDETAIL: %s', state, msg, detail);
END $$;
\set missing_chunk :fixtures '/missing_chunk'
CREATE SERVER srv_missing FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'missing_chunk');
CREATE FOREIGN TABLE tx_missing (version bigint) SERVER srv_missing OPTIONS (records 'transactions');
SELECT error_of('SELECT count(*) FROM tx_missing');
SELECT error_of('SELECT count(*) FROM tx_missing WHERE version < 254');
CREATE FOREIGN TABLE ep_missing_chunk (epoch bigint, last_version bigint)
  SERVER srv_missing OPTIONS (records 'epochs');
SELECT error_of('SELECT count(*) FROM ep_missing_chunk');
CREATE FOREIGN TABLE ev_missing_chunk (version bigint, type text)
  SERVER srv_missing OPTIONS (records 'events');
SELECT error_of('SELECT count(*) FROM ev_missing_chunk');
SELECT error_of('SELECT count(*) FROM ev_missing_chunk WHERE version < 254');

-- an altered epoch-ending record does not match its waypoint
\set bad_epoch :fixtures '/bad_epoch'
CREATE SERVER srv_bad_epoch FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bad_epoch');
CREATE FOREIGN TABLE ep_bad (epoch bigint, end_timestamp timestamptz)
  SERVER srv_bad_epoch OPTIONS (records 'epochs');
SELECT error_of('SELECT count(*) FROM ep_bad');
SELECT error_of('SELECT count(*) FROM ep_bad WHERE epoch < 5');

-- a state snapshot that lost a chunk (the defects variant): an error for that snapshot only
\set mixed_defects :fixtures '/mixed_defects'
CREATE SERVER srv_defects FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'mixed_defects');
CREATE FOREIGN TABLE st_defects (snapshot_version bigint, epoch bigint, balance numeric)
  SERVER srv_defects OPTIONS (records 'state');
SELECT error_of('SELECT count(*) FROM st_defects');
SELECT error_of('SELECT count(*) FROM st_defects WHERE epoch = 20');
SELECT error_of('SELECT count(*) FROM st_defects WHERE epoch < 30');

-- a damaged record met by an events scan: the error names the chunk and record
CREATE FOREIGN TABLE ev_bad_tag (version bigint, type text) SERVER srv_bad_tag OPTIONS (records 'events');
SELECT error_of('SELECT count(*) FROM ev_bad_tag');
