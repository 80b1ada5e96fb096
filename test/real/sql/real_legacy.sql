--
-- real_legacy: the v4 mainnet sample (folders and <epoch>.zip bundles) and the v5 sample (a
-- transaction chunk of one transaction with 7,552 events, and JSON rescue dumps), checked
-- against sources independent of forensic_fdw: the transaction hashes the chain wrote in each
-- TransactionInfo (or JSON view), recomputed here with pgcrypto's SHA3-256 from the BCS the
-- FDW returns; every epoch-ending record and the balances of every snapshot as
-- test/real/legacy_v4.py reads them from the bytes; and the zip bundles, which must give
-- exactly the rows of their unpacked folders.
--
\getenv shared FF_SHARED_DATA
\getenv work FF_REAL_WORK
\set v4 :shared '/0l-v4-mainnet-sample'
\set v5 :shared '/0l-v5-small'
\set epochs_csv :work '/v4_epochs.csv'
\set state_csv :work '/v4_state.csv'
CREATE EXTENSION IF NOT EXISTS forensic_fdw;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SERVER v4_folders FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4', bundles 'ignore');
CREATE SERVER v4_zips FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4', bundles 'only');
CREATE SERVER v4_auto FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4');
CREATE SERVER v5 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v5');
CREATE SCHEMA v4f; IMPORT FOREIGN SCHEMA archive FROM SERVER v4_folders INTO v4f;
CREATE SCHEMA v4z; IMPORT FOREIGN SCHEMA archive FROM SERVER v4_zips INTO v4z;
CREATE SCHEMA v4a; IMPORT FOREIGN SCHEMA archive FROM SERVER v4_auto INTO v4a;
CREATE SCHEMA v5; IMPORT FOREIGN SCHEMA archive FROM SERVER v5 INTO v5;
CREATE FUNCTION legacy_explain(q text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
  FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
    RETURN NEXT line;
  END LOOP;
END $$;

-- v4 epochs: every record as the independent reader decodes it (waypoints recomputed with
-- LIBRA:: and checked against the manifests there and in the FDW)
CREATE TABLE exp_epochs (epoch bigint, last_version bigint, end_timestamp_usecs bigint, round bigint,
  validator_count int, total_voting_power numeric, quorum_voting_power numeric, signer_count int, waypoint text);
COPY exp_epochs FROM :'epochs_csv' CSV HEADER;
SELECT framework, count(*) FROM v4f.epochs GROUP BY 1;
SELECT (SELECT count(*) FROM exp_epochs) AS expected,
  (SELECT count(*) FROM (SELECT * FROM exp_epochs EXCEPT ALL
     SELECT epoch, last_version, (extract(epoch FROM end_timestamp) * 1000000)::bigint, round, validator_count,
            total_voting_power, quorum_voting_power, signer_count, waypoint FROM v4f.epochs) d) AS missing,
  (SELECT count(*) FROM (SELECT epoch, last_version, (extract(epoch FROM end_timestamp) * 1000000)::bigint, round,
            validator_count, total_voting_power, quorum_voting_power, signer_count, waypoint FROM v4f.epochs
     EXCEPT ALL SELECT * FROM exp_epochs) d) AS unexpected;
SELECT epoch, jsonb_array_length(validators) AS validators, validators->0->>'address' AS first_validator,
       length(validators->0->>'consensus_key') AS key_text_length
FROM v4f.epochs ORDER BY epoch;

-- v4 transactions: one block metadata at the end of each epoch; hashes recompute with LIBRA::
SELECT version, epoch, kind, round, block_timestamp, proposer, gas_used, status, gas_currency,
       event_count, state_change_hash IS NULL AS no_change_hash, framework
FROM v4f.transactions ORDER BY version;
SELECT count(*) AS transactions,
       count(*) FILTER (WHERE digest(digest('LIBRA::Transaction', 'sha3-256') || transaction_bcs, 'sha3-256')
                              = decode(substr(tx_hash, 3), 'hex')) AS hashes_recomputed
FROM v4f.transactions;
SELECT count(*) AS v4_events FROM v4f.events;
SELECT count(*) AS v4_state_changes FROM v4f.state_changes;

-- v4 state: balances of every snapshot as the independent reader sums them
CREATE TABLE exp_state (snapshot_version bigint, accounts int, resources int, balances int, balance_sum numeric);
COPY exp_state FROM :'state_csv' CSV HEADER;
SELECT e.*, s.accounts = e.accounts AND s.resources = e.resources AND s.balances = e.balances
            AND s.balance_sum = e.balance_sum AS matches, s.with_address, s.named, s.epoch
FROM exp_state e LEFT JOIN (
  SELECT snapshot_version, epoch, count(DISTINCT item_index) AS accounts, count(*) AS resources,
         count(balance) AS balances, sum(balance) AS balance_sum, count(address) AS with_address,
         count(resource) AS named
  FROM v4f.state GROUP BY 1, 2) s USING (snapshot_version)
ORDER BY 1;
SELECT resource, count(*), sum(balance) FROM v4f.state WHERE snapshot_version = 51738547
GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 8;
-- the address each account record carries, checked against its key: hash(LIBRA::AccountAddress)
SELECT count(*) AS rows_with_address,
       count(*) FILTER (WHERE digest(digest('LIBRA::AccountAddress', 'sha3-256') || decode(substr(address, 3), 'hex'), 'sha3-256')
                              = decode(substr(account_hash, 3), 'hex')) AS addresses_verified
FROM v4f.state WHERE address IS NOT NULL;

-- bundles: the zips give exactly the rows of their folders (the object names aside)
SELECT (SELECT count(*) FROM v4z.objects WHERE key LIKE '%.zip/%') AS zip_members,
       (SELECT count(*) FROM v4z.objects WHERE key NOT LIKE '%.zip%') AS loose_objects_read;
SELECT 'transactions' AS records,
  (SELECT count(*) FROM (SELECT version, epoch, round, block_timestamp, tx_hash, proposer, state_root_hash, transaction_bcs FROM v4f.transactions
     EXCEPT ALL SELECT version, epoch, round, block_timestamp, tx_hash, proposer, state_root_hash, transaction_bcs FROM v4z.transactions) d) AS only_in_folders,
  (SELECT count(*) FROM (SELECT version, epoch, round, block_timestamp, tx_hash, proposer, state_root_hash, transaction_bcs FROM v4z.transactions
     EXCEPT ALL SELECT version, epoch, round, block_timestamp, tx_hash, proposer, state_root_hash, transaction_bcs FROM v4f.transactions) d) AS only_in_zips
UNION ALL SELECT 'epochs',
  (SELECT count(*) FROM (SELECT epoch, first_version, last_version, end_timestamp, waypoint, validators, signer_count FROM v4f.epochs
     EXCEPT ALL SELECT epoch, first_version, last_version, end_timestamp, waypoint, validators, signer_count FROM v4z.epochs) d),
  (SELECT count(*) FROM (SELECT epoch, first_version, last_version, end_timestamp, waypoint, validators, signer_count FROM v4z.epochs
     EXCEPT ALL SELECT epoch, first_version, last_version, end_timestamp, waypoint, validators, signer_count FROM v4f.epochs) d)
UNION ALL SELECT 'state',
  (SELECT count(*) FROM (SELECT snapshot_version, epoch, item_index, address, resource, state_key, value, balance, account_hash FROM v4f.state
     EXCEPT ALL SELECT snapshot_version, epoch, item_index, address, resource, state_key, value, balance, account_hash FROM v4z.state) d),
  (SELECT count(*) FROM (SELECT snapshot_version, epoch, item_index, address, resource, state_key, value, balance, account_hash FROM v4z.state
     EXCEPT ALL SELECT snapshot_version, epoch, item_index, address, resource, state_key, value, balance, account_hash FROM v4f.state) d);
-- a row read from a bundle names the member; the same path as the loose file under <epoch>.zip/
SELECT z.object, f.object = regexp_replace(z.object, '^[0-9]+\.zip/', '') AS same_path
FROM v4z.transactions z JOIN v4f.transactions f USING (version) ORDER BY version;
-- auto: the folders beside the zips are read, the zips are not opened
SELECT kind, count(*) FROM v4a.objects GROUP BY 1 ORDER BY 1;
-- the epoch in a bundle's name prunes it: the first query of a fresh server, up to epoch 107,
-- opens 104.zip and 107.zip only (the catalog knows two epoch-ending chunks); a query without
-- an epoch condition then opens the others
CREATE SERVER v4_zips2 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4', bundles 'only');
CREATE FOREIGN TABLE zip_epochs (epoch bigint, object text) SERVER v4_zips2 OPTIONS (records 'epochs');
SELECT * FROM legacy_explain('SELECT epoch, object FROM zip_epochs WHERE epoch BETWEEN 104 AND 107');
SELECT * FROM legacy_explain('SELECT epoch, object FROM zip_epochs WHERE epoch >= 120');
SELECT * FROM legacy_explain('SELECT epoch, object FROM zip_epochs');

-- v5: the chunk's one transaction and the JSON rescue views
SELECT framework, kind, payload_kind, status, count(*), min(version), max(version), count(round) AS with_round
FROM v5.transactions GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
SELECT count(*) AS transactions, count(DISTINCT version) AS versions,
       count(*) FILTER (WHERE digest(digest('DIEM::Transaction', 'sha3-256') || transaction_bcs, 'sha3-256')
                              = decode(substr(tx_hash, 3), 'hex')) AS hashes_recomputed
FROM v5.transactions;
SELECT version, sender, sequence_number, function, gas_currency, chain_id, status, object
FROM v5.transactions WHERE version IN (176, 8894, 9768, 10013) ORDER BY version;
SELECT version, abort_code FROM v5.transactions WHERE status = 'move_abort' ORDER BY version LIMIT 3;
SELECT type, decoded_from, count(*), sum(amount) AS amount FROM v5.events GROUP BY 1, 2 ORDER BY 1, 2;
SELECT version, event_index, type, account, creation_number, sequence_number, amount, decoded
FROM v5.events WHERE version = 141722729 ORDER BY event_index LIMIT 3;
SELECT count(*) AS events_141722729, count(DISTINCT event_index) FROM v5.events WHERE version = 141722729;
-- pruning by the version range in a dump's name
SELECT * FROM legacy_explain('SELECT count(*) FROM v5.transactions WHERE version BETWEEN 10000 AND 10010');
SELECT count(*) FROM v5.transactions WHERE version BETWEEN 10000 AND 10010;

-- one server is one chain: a location holding v4 and v6 backups is refused for records
CREATE SERVER everything FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'shared');
CREATE FOREIGN TABLE everything_tx (version bigint) SERVER everything OPTIONS (records 'transactions');
CREATE FOREIGN TABLE everything_objects (key text, framework text) SERVER everything OPTIONS (records 'objects');
SELECT count(*) FROM everything_tx;
SELECT count(*) > 0 AS listed, count(framework) AS with_framework FROM everything_objects;
-- the option framework forces the era: v4 records read as v5 do not decode
CREATE SERVER v4_as_v5 FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4', framework 'v5');
CREATE FOREIGN TABLE v4_as_v5_tx (version bigint, event_count int) SERVER v4_as_v5 OPTIONS (records 'transactions');
SELECT version, event_count FROM v4_as_v5_tx;

-- leave the database as the other real suites expect it
DROP SCHEMA v4f, v4z, v4a, v5 CASCADE;
DROP EXTENSION forensic_fdw CASCADE;
DROP EXTENSION pgcrypto;
