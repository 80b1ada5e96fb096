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
