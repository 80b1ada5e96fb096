-- s3_real_bundles: the real v4 mainnet sample (../shared/data/0l-v4-mainnet-sample, five epochs,
-- each as a folder and a .zip) uploaded to the S3 server: its zips read over S3 give exactly the
-- rows of the folders read locally, and the requests and bytes a zip costs are counted through
-- the front. Every zip is bigger than one 64 KiB range here (200 to 590 KB).
\getenv shared FF_SHARED_DATA
\getenv port S3_FRONT_PORT
SELECT 'http://127.0.0.1:' || :'port' AS endpoint, :'shared' || '/0l-v4-mainnet-sample' AS v4 \gset
CREATE SERVER v4_folders FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v4', bundles 'ignore');
CREATE SERVER v4_zips FOREIGN DATA WRAPPER forensic_fdw
  OPTIONS (location 's3://forensic/real-v4/', endpoint :'endpoint', bundles 'only');
CREATE USER MAPPING FOR CURRENT_USER SERVER v4_zips
  OPTIONS (access_key_id 'AKIAFORENSICTEST', secret_access_key 'forensic-secret-key');
CREATE SCHEMA v4_folders; CREATE SCHEMA v4_zips;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, epochs, state) FROM SERVER v4_folders INTO v4_folders;
IMPORT FOREIGN SCHEMA archive LIMIT TO (transactions, epochs, state) FROM SERVER v4_zips INTO v4_zips;

-- the first query over epochs 104..107: only 104.zip and 107.zip are fetched. Indexing a zip is
-- two ranged GETs (its first 64 KiB, which libarchive reads first and again for the local
-- headers, kept; and its tail with the central directory); reading the transaction chunk is two
-- more (a member stream opens the zip afresh). No GET asks for a whole zip.
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*), min(version), max(version), min(framework) FROM v4_zips.transactions
WHERE epoch BETWEEN 104 AND 107;
\! node "$S3_TOOLS"/ctl.js count real-v4/104.zip GET
\! node "$S3_TOOLS"/ctl.js count real-v4/107.zip GET
\! node "$S3_TOOLS"/ctl.js count real-v4/119.zip
\! node "$S3_TOOLS"/ctl.js count real-v4/120.zip
\! node "$S3_TOOLS"/ctl.js count real-v4/121.zip
\set zip_bytes `node "$S3_TOOLS"/ctl.js bytes real-v4/10`
SELECT :zip_bytes <= 4 * (65536 + 16384) AS at_most_80k_per_get_pair,
       :zip_bytes < (202365 + 203726) AS less_than_the_two_zips;

-- every state row, every transaction and epoch: zips over S3 against the folders, locally
-- (every column but the object's name, which says which zip member a row came from)
WITH z AS (SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, value, value_size,
                  balance, metadata, framework, account_hash FROM v4_zips.state),
     f AS (SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, value, value_size,
                  balance, metadata, framework, account_hash FROM v4_folders.state)
SELECT count(*) AS rows_, sum(balance) AS balances, count(DISTINCT snapshot_version) AS snapshots,
       (SELECT count(*) FROM (TABLE z EXCEPT ALL TABLE f) d) AS only_in_zips,
       (SELECT count(*) FROM (TABLE f EXCEPT ALL TABLE z) d) AS only_in_folders
FROM z;
SELECT count(*) AS rows_,
       (SELECT count(*) FROM (
          SELECT version, epoch, tx_hash, sender, sequence_number, payload_kind, function, args, gas_used,
                 status, framework, state_root_hash, gas_currency FROM v4_zips.transactions
          EXCEPT ALL
          SELECT version, epoch, tx_hash, sender, sequence_number, payload_kind, function, args, gas_used,
                 status, framework, state_root_hash, gas_currency FROM v4_folders.transactions) d) AS only_in_zips,
       (SELECT count(*) FROM v4_folders.transactions) AS in_folders
FROM v4_zips.transactions;
SELECT count(*) AS rows_,
       (SELECT count(*) FROM (
          SELECT epoch, first_version, last_version, waypoint, validators, quorum_voting_power, framework
          FROM v4_zips.epochs
          EXCEPT ALL
          SELECT epoch, first_version, last_version, waypoint, validators, quorum_voting_power, framework
          FROM v4_folders.epochs) d) AS only_in_zips,
       (SELECT count(*) FROM v4_folders.epochs) AS in_folders
FROM v4_zips.epochs;
SELECT DISTINCT substr(object, 1, strpos(object, '/') - 1) AS zip FROM v4_zips.state ORDER BY 1;

-- a full state scan in a warm session: the five zips are indexed already; each state chunk
-- (0.4 to 1.2 MB inflated) is read in ranges that double from 64 KiB
\! node "$S3_TOOLS"/ctl.js clear
SELECT count(*) FROM v4_zips.state;
\! node "$S3_TOOLS"/ctl.js count real-v4/ GET
\set state_bytes `node "$S3_TOOLS"/ctl.js bytes real-v4/`
SELECT :state_bytes < 2 * (202365 + 203726 + 276670 + 588619 + 588127) AS under_twice_the_zips;

SET client_min_messages = warning;
DROP SCHEMA v4_folders, v4_zips CASCADE;
DROP SERVER v4_folders, v4_zips CASCADE;
RESET client_min_messages;
