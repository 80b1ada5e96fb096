--
-- records: the record kinds beside transactions — events, state_changes, epochs, state
-- (snapshots) and objects — over the generated flat archive, every column of every row
-- compared with what the fixture generator says it wrote; their pruning; IMPORT FOREIGN
-- SCHEMA; transfers decoded from entry-function arguments.
--
\getenv fixtures FF_FIXTURES
\set flat :fixtures '/flat'
\set exp :fixtures '/flat.expected'
\set events_csv :exp '/events.csv'
\set changes_csv :exp '/state_changes.csv'
\set state_csv :exp '/state.csv'
\set epochs_csv :exp '/epochs.csv'
\set objects_csv :exp '/objects.csv'

CREATE SCHEMA gen;
IMPORT FOREIGN SCHEMA archive FROM SERVER gen_flat INTO gen;
SELECT c.relname, count(a.*) AS columns, ft.ftoptions
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
JOIN pg_foreign_table ft ON ft.ftrelid = c.oid
WHERE c.relnamespace = 'gen'::regnamespace GROUP BY 1, 3 ORDER BY 1;
\d+ gen.events
\d gen.objects
CREATE SCHEMA gen_some;
IMPORT FOREIGN SCHEMA archive LIMIT TO (epochs, objects, no_such_table) FROM SERVER gen_flat INTO gen_some;
IMPORT FOREIGN SCHEMA archive EXCEPT (epochs, objects) FROM SERVER gen_flat INTO gen_some;
SELECT relname FROM pg_class WHERE relnamespace = 'gen_some'::regnamespace ORDER BY 1;
IMPORT FOREIGN SCHEMA public FROM SERVER gen_flat INTO gen_some;
IMPORT FOREIGN SCHEMA archive FROM SERVER gen_flat INTO gen_some OPTIONS (records 'events');
SELECT column_name, data_type FROM forensic_fdw_columns('epochs');
SELECT * FROM forensic_fdw_columns('event');

-- events
CREATE TABLE exp_events (version bigint, epoch bigint, block_timestamp_usecs bigint,
  event_index integer, type text, account text, creation_number numeric, sequence_number bigint,
  data bytea, amount numeric, decoded jsonb, decoded_from text, tx_hash text, object text);
COPY exp_events FROM :'events_csv' CSV HEADER;
CREATE VIEW exp_events_v AS
  SELECT version, epoch, timestamptz 'epoch' + block_timestamp_usecs * interval '1 microsecond' AS block_timestamp,
         event_index, type, account, creation_number, sequence_number, data, amount, decoded,
         decoded_from, tx_hash, object
  FROM exp_events;
CREATE VIEW fdw_events AS
  SELECT version, epoch, block_timestamp, event_index, type, account, creation_number,
         sequence_number, data, amount, decoded, decoded_from, tx_hash, object
  FROM gen.events;
SELECT (SELECT count(*) FROM exp_events) AS expected, (SELECT count(*) FROM gen.events) AS rows,
       (SELECT count(*) FROM (SELECT * FROM exp_events_v EXCEPT ALL SELECT * FROM fdw_events) d) AS missing,
       (SELECT count(*) FROM (SELECT * FROM fdw_events EXCEPT ALL SELECT * FROM exp_events_v) d) AS unexpected;
SELECT type, decoded_from, count(*), count(amount) AS amounts, count(decoded) AS decoded
FROM gen.events GROUP BY 1, 2 ORDER BY 1;
-- events per transaction equal its event_count
SELECT count(*) AS event_count_mismatches
FROM gen.transactions t LEFT JOIN (SELECT version, count(*) AS n FROM gen.events GROUP BY 1) e USING (version)
WHERE coalesce(e.n, 0) <> t.event_count;
SELECT * FROM explain_analyze('SELECT count(*) FROM gen.events WHERE epoch BETWEEN 10 AND 12');
SELECT (SELECT count(*) FROM gen.events WHERE epoch BETWEEN 10 AND 12) AS rows,
       (SELECT count(*) FROM exp_events WHERE epoch BETWEEN 10 AND 12) AS expected;

-- state_changes
CREATE TABLE exp_changes (version bigint, epoch bigint, change_index integer, key_kind text,
  path text, address text, resource text, table_handle text, table_key bytea, state_key bytea,
  op text, value bytea, value_size integer, balance numeric, metadata jsonb, object text);
COPY exp_changes FROM :'changes_csv' CSV HEADER;
CREATE VIEW fdw_changes AS
  SELECT version, epoch, change_index, key_kind, path, address, resource, table_handle,
         table_key, state_key, op, value, value_size, balance, metadata, object
  FROM gen.state_changes;
SELECT (SELECT count(*) FROM exp_changes) AS expected, (SELECT count(*) FROM gen.state_changes) AS rows,
       (SELECT count(*) FROM (SELECT * FROM exp_changes EXCEPT ALL SELECT * FROM fdw_changes) d) AS missing,
       (SELECT count(*) FROM (SELECT * FROM fdw_changes EXCEPT ALL SELECT * FROM exp_changes) d) AS unexpected;
SELECT key_kind, path, op, count(*), count(balance) AS balances, count(metadata) AS with_metadata
FROM gen.state_changes GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT count(*) AS write_count_mismatches
FROM gen.transactions t LEFT JOIN (SELECT version, count(*) AS n FROM gen.state_changes GROUP BY 1) w USING (version)
WHERE coalesce(w.n, 0) <> t.write_count;
SELECT DISTINCT resource FROM gen.state_changes WHERE resource LIKE '0x1::coin::%' ORDER BY 1;

-- transfers: recipient and amount of the coin-moving entry functions, arguments by name
CREATE VIEW exp_transfers AS SELECT version, recipient, amount, args_decoded FROM expected_csv;
SELECT (SELECT count(*) FROM (SELECT version, recipient, amount, args_decoded FROM gen.transactions
                              EXCEPT ALL SELECT * FROM exp_transfers) d) AS unexpected,
       (SELECT count(*) FROM (SELECT * FROM exp_transfers
                              EXCEPT ALL SELECT version, recipient, amount, args_decoded FROM gen.transactions) d) AS missing;
SELECT function, count(*), count(recipient) AS recipients, count(amount) AS amounts,
       count(args_decoded) AS decoded
FROM gen.transactions WHERE kind = 'user' GROUP BY 1 ORDER BY 1;
-- sender -> transfer -> recipient, joined to the coin events of the same transaction
SELECT count(*) AS transfers, count(*) FILTER (WHERE w.amount = t.amount AND d.amount = t.amount) AS events_agree
FROM gen.transactions t
JOIN gen.events w ON w.version = t.version AND w.type = '0x1::coin::WithdrawEvent' AND w.account = t.sender
JOIN gen.events d ON d.version = t.version AND d.type = '0x1::coin::DepositEvent' AND d.account = t.recipient
WHERE t.amount IS NOT NULL AND t.status = 'success';

-- epochs
CREATE TABLE exp_epochs (epoch bigint, first_version bigint, last_version bigint,
  end_timestamp_usecs bigint, round bigint, block_id text, root_hash text, waypoint text,
  validator_count integer, total_voting_power numeric, validators jsonb, signer_count integer,
  object text);
COPY exp_epochs FROM :'epochs_csv' CSV HEADER;
CREATE VIEW exp_epochs_v AS
  SELECT epoch, first_version, last_version,
         timestamptz 'epoch' + end_timestamp_usecs * interval '1 microsecond' AS end_timestamp,
         round, block_id, root_hash, waypoint, validator_count, total_voting_power, validators,
         signer_count, object
  FROM exp_epochs;
SELECT (SELECT count(*) FROM exp_epochs) AS expected, (SELECT count(*) FROM gen.epochs) AS rows,
       (SELECT count(*) FROM (SELECT * FROM exp_epochs_v EXCEPT ALL SELECT epoch, first_version, last_version, end_timestamp, round, block_id, root_hash, waypoint, validator_count, total_voting_power, validators, signer_count, object FROM gen.epochs) d) AS missing,
       (SELECT count(*) FROM (SELECT epoch, first_version, last_version, end_timestamp, round, block_id, root_hash, waypoint, validator_count, total_voting_power, validators, signer_count, object FROM gen.epochs EXCEPT ALL SELECT * FROM exp_epochs_v) d) AS unexpected;
SELECT framework, count(*), count(quorum_voting_power) AS quorums FROM gen.epochs GROUP BY 1;
SELECT * FROM explain_analyze('SELECT epoch, last_version FROM gen.epochs WHERE epoch BETWEEN 10 AND 12');
SELECT epoch, first_version, last_version, validator_count, signer_count FROM gen.epochs WHERE epoch IN (0, 1, 40) ORDER BY 1;

-- state snapshots
CREATE TABLE exp_state (snapshot_version bigint, epoch bigint, item_index bigint, key_kind text,
  path text, address text, resource text, table_handle text, table_key bytea, state_key bytea,
  value bytea, value_size integer, balance numeric, metadata jsonb, object text);
COPY exp_state FROM :'state_csv' CSV HEADER;
SELECT (SELECT count(*) FROM exp_state) AS expected, (SELECT count(*) FROM gen.state) AS rows,
       (SELECT count(*) FROM (SELECT * FROM exp_state EXCEPT ALL SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, table_handle, table_key, state_key, value, value_size, balance, metadata, object FROM gen.state) d) AS missing,
       (SELECT count(*) FROM (SELECT snapshot_version, epoch, item_index, key_kind, path, address, resource, table_handle, table_key, state_key, value, value_size, balance, metadata, object FROM gen.state EXCEPT ALL SELECT * FROM exp_state) d) AS unexpected;
SELECT framework, count(*), count(account_hash) AS account_hashes FROM gen.state GROUP BY 1;
SELECT snapshot_version, epoch, count(*), count(balance) AS balances, sum(balance) AS total_balance
FROM gen.state GROUP BY 1, 2 ORDER BY 1;
SELECT * FROM explain_analyze('SELECT count(*) FROM gen.state WHERE epoch = 20');
SELECT * FROM explain_analyze('SELECT count(*) FROM gen.state WHERE snapshot_version > 500');
-- balances at an epoch: the snapshot agrees with the last CoinStore write before it
CREATE TEMP TABLE changes AS SELECT * FROM gen.state_changes;
SELECT count(*) AS accounts, count(*) FILTER (WHERE s.balance = w.balance) AS agree
FROM gen.state s
JOIN LATERAL (SELECT balance FROM changes c
              WHERE c.address = s.address AND c.resource = s.resource AND c.version <= s.snapshot_version
              ORDER BY c.version DESC LIMIT 1) w ON true
WHERE s.epoch = 20 AND s.balance IS NOT NULL;

-- objects
CREATE TABLE exp_objects (key text, kind text, size bigint, compression text);
COPY exp_objects FROM :'objects_csv' CSV HEADER;
SELECT (SELECT count(*) FROM exp_objects) AS expected, (SELECT count(*) FROM gen.objects) AS rows,
       (SELECT count(*) FROM (SELECT * FROM exp_objects EXCEPT ALL SELECT key, kind, size, compression FROM gen.objects) d) AS missing,
       (SELECT count(*) FROM (SELECT key, kind, size, compression FROM gen.objects EXCEPT ALL SELECT * FROM exp_objects) d) AS unexpected;
SELECT kind, count(*), count(first_version) AS with_versions, count(first_epoch) AS with_epochs
FROM gen.objects GROUP BY 1 ORDER BY 1;
-- the catalog agrees with the chunks: versions of transaction chunks, epochs of epoch chunks
SELECT count(*) AS chunk_range_mismatches
FROM gen.objects o
WHERE o.kind = 'transaction'
  AND (o.first_version IS DISTINCT FROM (SELECT min(version) FROM gen.transactions t WHERE t.object = o.key)
       OR o.last_version IS DISTINCT FROM (SELECT max(version) FROM gen.transactions t WHERE t.object = o.key));
SELECT * FROM explain_analyze('SELECT key FROM gen.objects');
