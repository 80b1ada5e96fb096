--
-- layouts: the per-epoch layout (<epoch>/ sub-roots, plain files), gzip with a .gz suffix,
-- and a mixed archive with the real archives' defects (duplicate re-run backup, empty and
-- stale .meta, manifests naming .gz files, foreign files) give exactly the generated rows.
--
\getenv fixtures FF_FIXTURES

CREATE FUNCTION compare_with_expected(variant text) RETURNS TABLE (rows bigint, expected bigint, missing bigint, unexpected bigint)
LANGUAGE plpgsql AS $$
DECLARE
  dir text := current_setting('forensic_regress.fixtures') || '/' || variant;
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)', 'srv_' || variant, dir);
  EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, epoch bigint, round bigint, block_timestamp timestamptz, kind text, tx_hash text, sender text, function text, type_args text[], args bytea[], status text, abort_code numeric, event_count integer, write_count integer, object text) SERVER %I OPTIONS (records %L)',
                 'tx_' || variant, 'srv_' || variant, 'transactions');
  CREATE TEMP TABLE exp_csv (LIKE expected_csv);
  EXECUTE format('COPY exp_csv FROM %L CSV HEADER', dir || '.expected/transactions.csv');
  RETURN QUERY EXECUTE format($q$
    WITH e AS (SELECT version, epoch, round, timestamptz 'epoch' + block_timestamp_usecs * interval '1 microsecond' AS block_timestamp,
                      kind, tx_hash, sender, function, type_args, args, status, abort_code, event_count, write_count, object FROM exp_csv),
         t AS (SELECT version, epoch, round, block_timestamp, kind, tx_hash, sender, function, type_args, args, status, abort_code, event_count, write_count, object FROM %I)
    SELECT (SELECT count(*) FROM t), (SELECT count(*) FROM e),
           (SELECT count(*) FROM (SELECT * FROM e EXCEPT ALL SELECT * FROM t) d),
           (SELECT count(*) FROM (SELECT * FROM t EXCEPT ALL SELECT * FROM e) d)$q$, 'tx_' || variant);
  DROP TABLE exp_csv;
END $$;
SELECT set_config('forensic_regress.fixtures', :'fixtures', false) IS NOT NULL AS set;

SELECT 'per_epoch' AS variant, * FROM compare_with_expected('per_epoch');
SELECT 'suffix' AS variant, * FROM compare_with_expected('suffix');
SELECT 'mixed_defects' AS variant, * FROM compare_with_expected('mixed_defects');
SELECT 'plain' AS variant, * FROM compare_with_expected('plain');
SELECT 'per_epoch_defects' AS variant, * FROM compare_with_expected('per_epoch_defects');

-- the other record kinds of each variant: as many rows as the generator wrote, and the same
-- (version, index, type) / (epoch, object) / (key, kind) as it says
CREATE FUNCTION compare_kinds(variant text)
RETURNS TABLE (kind text, rows bigint, expected bigint, differing bigint)
LANGUAGE plpgsql AS $$
DECLARE
  dir text := current_setting('forensic_regress.fixtures') || '/' || variant;
  schema text := 'k_' || variant;
BEGIN
  EXECUTE format('CREATE SCHEMA %I', schema);
  EXECUTE format('IMPORT FOREIGN SCHEMA archive FROM SERVER %I INTO %I', 'srv_' || variant, schema);
  CREATE TEMP TABLE x_events (version bigint, epoch bigint, ts bigint, event_index integer, type text,
    account text, creation_number numeric, sequence_number bigint, data bytea, amount numeric,
    decoded jsonb, decoded_from text, tx_hash text, object text);
  CREATE TEMP TABLE x_changes (version bigint, epoch bigint, change_index integer, key_kind text,
    path text, address text, resource text, table_handle text, table_key bytea, state_key bytea,
    op text, value bytea, value_size integer, balance numeric, metadata jsonb, object text);
  CREATE TEMP TABLE x_epochs (LIKE exp_epochs);
  CREATE TEMP TABLE x_state (LIKE exp_state);
  CREATE TEMP TABLE x_objects (LIKE exp_objects);
  EXECUTE format('COPY x_events FROM %L CSV HEADER', dir || '.expected/events.csv');
  EXECUTE format('COPY x_changes FROM %L CSV HEADER', dir || '.expected/state_changes.csv');
  EXECUTE format('COPY x_epochs FROM %L CSV HEADER', dir || '.expected/epochs.csv');
  EXECUTE format('COPY x_state FROM %L CSV HEADER', dir || '.expected/state.csv');
  EXECUTE format('COPY x_objects FROM %L CSV HEADER', dir || '.expected/objects.csv');
  RETURN QUERY EXECUTE format($q$
    SELECT 'events', (SELECT count(*) FROM %1$I.events), (SELECT count(*) FROM x_events),
           (SELECT count(*) FROM ((SELECT version, event_index, type, decoded, object FROM %1$I.events
                                   EXCEPT ALL SELECT version, event_index, type, decoded, object FROM x_events)
                                  UNION ALL (SELECT version, event_index, type, decoded, object FROM x_events
                                   EXCEPT ALL SELECT version, event_index, type, decoded, object FROM %1$I.events)) d)
    UNION ALL
    SELECT 'state_changes', (SELECT count(*) FROM %1$I.state_changes), (SELECT count(*) FROM x_changes),
           (SELECT count(*) FROM ((SELECT version, change_index, state_key, value, balance, object FROM %1$I.state_changes
                                   EXCEPT ALL SELECT version, change_index, state_key, value, balance, object FROM x_changes)
                                  UNION ALL (SELECT version, change_index, state_key, value, balance, object FROM x_changes
                                   EXCEPT ALL SELECT version, change_index, state_key, value, balance, object FROM %1$I.state_changes)) d)
    UNION ALL
    SELECT 'epochs', (SELECT count(*) FROM %1$I.epochs), (SELECT count(*) FROM x_epochs),
           (SELECT count(*) FROM ((SELECT epoch, waypoint, validators, object FROM %1$I.epochs
                                   EXCEPT ALL SELECT epoch, waypoint, validators, object FROM x_epochs)
                                  UNION ALL (SELECT epoch, waypoint, validators, object FROM x_epochs
                                   EXCEPT ALL SELECT epoch, waypoint, validators, object FROM %1$I.epochs)) d)
    UNION ALL
    SELECT 'state', (SELECT count(*) FROM %1$I.state),
           (SELECT count(*) FROM x_state),
           (SELECT count(*) FROM ((SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, table_handle, table_key, state_key, value, value_size, balance, metadata, object FROM %1$I.state EXCEPT ALL SELECT * FROM x_state)
                                  UNION ALL (SELECT * FROM x_state EXCEPT ALL SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, table_handle, table_key, state_key, value, value_size, balance, metadata, object FROM %1$I.state)) d)
    UNION ALL
    SELECT 'objects', (SELECT count(*) FROM %1$I.objects), (SELECT count(*) FROM x_objects),
           (SELECT count(*) FROM ((SELECT key, kind, size, compression FROM %1$I.objects EXCEPT ALL SELECT * FROM x_objects)
                                  UNION ALL (SELECT * FROM x_objects EXCEPT ALL SELECT key, kind, size, compression FROM %1$I.objects)) d)
    $q$, schema);
  DROP TABLE x_events, x_changes, x_epochs, x_state, x_objects;
END $$;
SELECT * FROM compare_kinds('per_epoch');
SELECT * FROM compare_kinds('suffix');
SELECT * FROM compare_kinds('plain');

-- the per-epoch layout prunes by epoch too
EXPLAIN (COSTS OFF) SELECT * FROM tx_per_epoch WHERE epoch BETWEEN 10 AND 12;
SELECT min(epoch), max(epoch), count(DISTINCT object) AS objects FROM tx_per_epoch WHERE epoch BETWEEN 10 AND 12;
-- the duplicate backup in the archive with defects is read once
SELECT count(*) AS versions, count(DISTINCT version) AS distinct_versions FROM tx_mixed_defects;
SELECT object, count(*) FROM tx_suffix GROUP BY object ORDER BY min(version) LIMIT 3;
