--
-- legacy: the generator's v4 and v5 archives (flat, per-epoch with zip bundles beside the
-- folders, and per-epoch with only .tar.gz / .tgz / .zip bundles), every column of every row
-- compared with what the fixture generator says it wrote (its own BCS writer, checked by an
-- independent Python decoder); and the era each location is told to be.
--
\getenv fixtures FF_FIXTURES
CREATE TABLE lx_tx (version bigint, epoch bigint, round bigint, block_timestamp_usecs bigint, kind text,
  tx_hash text, sender text, sequence_number bigint, payload_kind text, function text, type_args text[],
  args bytea[], max_gas_amount bigint, gas_unit_price bigint, gas_used bigint, expiration_timestamp_secs bigint,
  chain_id integer, authenticator text, status text, abort_location text, abort_code numeric, proposer text,
  event_count integer, write_count integer, object text, recipient text, amount numeric, args_decoded jsonb,
  framework text, state_root_hash text, gas_currency text);
CREATE TABLE lx_events (version bigint, epoch bigint, block_timestamp_usecs bigint, event_index integer,
  type text, account text, creation_number numeric, sequence_number bigint, data bytea, amount numeric,
  decoded jsonb, decoded_from text, tx_hash text, object text, framework text);
CREATE TABLE lx_epochs (epoch bigint, first_version bigint, last_version bigint, end_timestamp_usecs bigint,
  round bigint, block_id text, root_hash text, waypoint text, validator_count integer,
  total_voting_power numeric, validators jsonb, signer_count integer, object text, framework text,
  quorum_voting_power numeric);
CREATE TABLE lx_state (snapshot_version bigint, epoch bigint, item_index bigint, key_kind text, path text,
  address text, resource text, table_handle text, table_key bytea, state_key bytea, value bytea,
  value_size integer, balance numeric, metadata jsonb, object text, framework text, account_hash text);

-- every kind of one generated variant: rows, expected, and rows that differ either way
CREATE FUNCTION compare_legacy(variant text) RETURNS TABLE (kind text, fdw_rows bigint, expected bigint, differing bigint)
LANGUAGE plpgsql AS $$
DECLARE
  dir text := current_setting('lx.fixtures') || '/' || variant;
  schema text := 'lx_' || variant;
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)', 'srv_' || variant, dir);
  EXECUTE format('CREATE SCHEMA %I', schema);
  EXECUTE format('IMPORT FOREIGN SCHEMA archive FROM SERVER %I INTO %I', 'srv_' || variant, schema);
  TRUNCATE lx_tx, lx_events, lx_epochs, lx_state;
  EXECUTE format('COPY lx_tx FROM %L CSV HEADER', dir || '.expected/transactions.csv');
  EXECUTE format('COPY lx_events FROM %L CSV HEADER', dir || '.expected/events.csv');
  EXECUTE format('COPY lx_epochs FROM %L CSV HEADER', dir || '.expected/epochs.csv');
  EXECUTE format('COPY lx_state FROM %L CSV HEADER', dir || '.expected/state.csv');
  RETURN QUERY EXECUTE format($q$
    WITH f AS (SELECT version, epoch, round, (extract(epoch FROM block_timestamp) * 1000000)::bigint AS ts, kind,
                      tx_hash, sender, sequence_number, payload_kind, function, type_args, args, max_gas_amount,
                      gas_unit_price, gas_used, extract(epoch FROM expiration_timestamp)::bigint AS exp, chain_id,
                      authenticator, status, abort_location, abort_code, proposer, event_count, write_count, object,
                      recipient, amount, args_decoded, framework, state_root_hash, gas_currency FROM %1$I.transactions)
    SELECT 'transactions', (SELECT count(*) FROM f), (SELECT count(*) FROM lx_tx),
           (SELECT count(*) FROM ((SELECT * FROM f EXCEPT ALL SELECT * FROM lx_tx)
                                  UNION ALL (SELECT * FROM lx_tx EXCEPT ALL SELECT * FROM f)) d)
    UNION ALL
    SELECT 'events', (SELECT count(*) FROM %1$I.events), (SELECT count(*) FROM lx_events),
           (SELECT count(*) FROM (
              (SELECT version, epoch, (extract(epoch FROM block_timestamp) * 1000000)::bigint, event_index, type, account,
                      creation_number, sequence_number, data, amount, decoded, decoded_from, tx_hash, object, framework
               FROM %1$I.events EXCEPT ALL SELECT * FROM lx_events)
              UNION ALL
              (SELECT * FROM lx_events EXCEPT ALL
               SELECT version, epoch, (extract(epoch FROM block_timestamp) * 1000000)::bigint, event_index, type, account,
                      creation_number, sequence_number, data, amount, decoded, decoded_from, tx_hash, object, framework
               FROM %1$I.events)) d)
    UNION ALL
    SELECT 'epochs', (SELECT count(*) FROM %1$I.epochs), (SELECT count(*) FROM lx_epochs),
           (SELECT count(*) FROM (
              (SELECT epoch, first_version, last_version, (extract(epoch FROM end_timestamp) * 1000000)::bigint, round,
                      block_id, root_hash, waypoint, validator_count, total_voting_power, validators, signer_count,
                      object, framework, quorum_voting_power FROM %1$I.epochs EXCEPT ALL SELECT * FROM lx_epochs)
              UNION ALL
              (SELECT * FROM lx_epochs EXCEPT ALL
               SELECT epoch, first_version, last_version, (extract(epoch FROM end_timestamp) * 1000000)::bigint, round,
                      block_id, root_hash, waypoint, validator_count, total_voting_power, validators, signer_count,
                      object, framework, quorum_voting_power FROM %1$I.epochs)) d)
    UNION ALL
    SELECT 'state', (SELECT count(*) FROM %1$I.state), (SELECT count(*) FROM lx_state),
           (SELECT count(*) FROM ((SELECT * FROM %1$I.state EXCEPT ALL SELECT * FROM lx_state)
                                  UNION ALL (SELECT * FROM lx_state EXCEPT ALL SELECT * FROM %1$I.state)) d)
    UNION ALL
    SELECT 'state_changes', (SELECT count(*) FROM %1$I.state_changes), 0, 0
  $q$, schema);
END $$;
SELECT set_config('lx.fixtures', :'fixtures', false) IS NOT NULL AS configured;

SELECT * FROM compare_legacy('v5_flat');
SELECT * FROM compare_legacy('v4_per_epoch_zip');
SELECT * FROM compare_legacy('v5_bundles_only');
SELECT * FROM compare_legacy('v4_bundles_only');

-- what each variant holds, by era
SELECT framework, kind, payload_kind, status, count(*) FROM lx_v5_flat.transactions GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT framework, authenticator, count(*) FROM lx_v4_per_epoch_zip.transactions WHERE kind = 'user' GROUP BY 1, 2 ORDER BY 1, 2;
SELECT type, decoded_from, count(*), sum(amount) FROM lx_v5_flat.events GROUP BY 1, 2 ORDER BY 1, 2;
SELECT resource, count(*), count(address) AS with_address, sum(balance) FROM lx_v4_bundles_only.state
WHERE snapshot_version = (SELECT min(snapshot_version) FROM lx_v4_bundles_only.state) GROUP BY 1 ORDER BY 1 NULLS FIRST;
-- bundles beside their folders (auto): the folders are read, the bundles only listed
SELECT kind, count(*) FROM lx_v4_per_epoch_zip.objects WHERE kind IN ('bundle', 'transaction') GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE object LIKE '%.zip/%') AS from_bundles, count(*) FROM lx_v4_per_epoch_zip.transactions;
-- bundles alone: their members are the objects; each member kind comes through each bundle kind
SELECT substring(key FROM '\.(zip|tgz|tar\.gz)/') AS bundle, kind, count(*)
FROM lx_v5_bundles_only.objects WHERE key ~ '\.(zip|tgz|tar\.gz)/' GROUP BY 1, 2 ORDER BY 1, 2;
-- the epoch of a bundle's name prunes it before it is opened
\set bundles_only :fixtures '/v5_bundles_only'
CREATE SERVER lx_prune FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'bundles_only');
CREATE FOREIGN TABLE lx_prune_tx (version bigint, epoch bigint, object text) SERVER lx_prune OPTIONS (records 'transactions');
CREATE FOREIGN TABLE lx_prune_epochs (epoch bigint) SERVER lx_prune OPTIONS (records 'epochs');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT epoch FROM lx_prune_epochs WHERE epoch BETWEEN 3 AND 5;
SELECT count(*), min(epoch), max(epoch) FROM lx_prune_tx WHERE epoch BETWEEN 3 AND 5;
SELECT (SELECT count(*) FROM lx_prune_tx WHERE epoch BETWEEN 3 AND 5) =
       (SELECT count(*) FROM lx_v5_bundles_only.transactions WHERE epoch BETWEEN 3 AND 5) AS same_rows;
