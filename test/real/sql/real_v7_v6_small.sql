--
-- real_v7_v6_small: the mainnet fixtures of 0l-v7-v6-small (epoch-ending chunks of epochs 79
-- (v6) and 116 (v7), manifests and proofs of transaction backups and state snapshots whose
-- chunk bodies are not included). The epochs decode and agree with an independent decoder
-- (test/real/epoch_records.py); what is described but absent is an error only for queries
-- that need it.
--
\getenv shared FF_SHARED_DATA
\getenv work FF_REAL_WORK
\set small :shared '/0l-v7-v6-small'
\set records_csv :work '/v7_v6_small_epoch_records.csv'
CREATE EXTENSION IF NOT EXISTS forensic_fdw;
CREATE SERVER mainnet_fixtures FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'small');
CREATE SCHEMA fixtures;
IMPORT FOREIGN SCHEMA archive FROM SERVER mainnet_fixtures INTO fixtures;

CREATE TABLE small_epoch_records (epoch bigint, round bigint, version bigint, timestamp_usecs bigint,
  block_id text, root_hash text, validator_count integer, total_voting_power numeric,
  signer_count integer, validators jsonb, waypoint text, waypoint_ok boolean);
COPY small_epoch_records FROM :'records_csv' CSV HEADER;
SELECT epoch, version, validator_count, total_voting_power, signer_count, waypoint_ok
FROM small_epoch_records ORDER BY epoch;
SELECT epoch, first_version, last_version, end_timestamp, round, validator_count,
       total_voting_power, signer_count, waypoint, object
FROM fixtures.epochs ORDER BY epoch;
SELECT count(*) AS mismatches
FROM fixtures.epochs ep FULL JOIN small_epoch_records r USING (epoch)
WHERE (ep.last_version, ep.round, ep.end_timestamp, ep.block_id, ep.root_hash, ep.validator_count,
       ep.total_voting_power, ep.signer_count, ep.validators, ep.waypoint)
  IS DISTINCT FROM
      (r.version, r.round, timestamptz 'epoch' + r.timestamp_usecs * interval '1 microsecond',
       r.block_id, r.root_hash, r.validator_count, r.total_voting_power, r.signer_count,
       r.validators, r.waypoint);

-- The catalog of the fixtures, and what is missing from them.
SELECT key, kind, backup, first_version, last_version, first_epoch, last_epoch, size, compression
FROM fixtures.objects ORDER BY key;
-- transactions and state are described but their chunks are absent: a clear error
SELECT count(*) FROM fixtures.transactions;
SELECT count(*) FROM fixtures.state WHERE epoch = 116;
-- ... unless the query's range avoids them
SELECT count(*) FROM fixtures.transactions WHERE version < 1000;
