--
-- real_v6_records: events, state changes, epochs and objects of the v6 test-chain sample,
-- checked against sources independent of forensic_fdw: the hashes in each transaction's
-- TransactionInfo (written by the chain), recomputed here with pgcrypto's SHA3-256 from the
-- events and write-set entries the FDW returns; and every epoch-ending record decoded by
-- test/real/epoch_records.py.
--
\getenv shared FF_SHARED_DATA
\getenv work FF_REAL_WORK
\set v6 :shared '/0l-v6-testnet-sample'
\set records_csv :work '/v6_epoch_records.csv'
CREATE EXTENSION IF NOT EXISTS forensic_fdw;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SERVER testnet_all FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location :'v6');
CREATE SCHEMA chain;
IMPORT FOREIGN SCHEMA archive FROM SERVER testnet_all INTO chain;
SELECT c.relname, count(a.*) AS columns
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'chain'::regnamespace GROUP BY 1 ORDER BY 1;

-- Helpers: BCS ULEB128 and u64, and the in-memory accumulator of FORMAT §6.2.
CREATE FUNCTION uleb(n bigint) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE r bytea := ''::bytea;
BEGIN
  LOOP
    IF n >> 7 = 0 THEN RETURN r || set_byte('\x00'::bytea, 0, n::int); END IF;
    r := r || set_byte('\x00'::bytea, 0, ((n & 127) | 128)::int);
    n := n >> 7;
  END LOOP;
END $$;
CREATE FUNCTION u64(n numeric) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE r bytea := '\x0000000000000000'::bytea;
BEGIN
  FOR i IN 0..7 LOOP
    r := set_byte(r, i, mod(n, 256)::int);
    n := div(n, 256);
  END LOOP;
  RETURN r;
END $$;
CREATE FUNCTION accumulator_root(leaves bytea[]) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  placeholder bytea := convert_to('ACCUMULATOR_PLACEHOLDER_HASH', 'UTF8') || '\x00000000'::bytea;
  seed bytea := digest('DIEM::EventAccumulator', 'sha3-256');
  level bytea[] := coalesce(leaves, '{}');
  nxt bytea[];
BEGIN
  IF cardinality(level) = 0 THEN RETURN placeholder; END IF;
  WHILE cardinality(level) > 1 LOOP
    nxt := '{}';
    FOR i IN 1..cardinality(level) BY 2 LOOP
      nxt := nxt || digest(seed || level[i] || coalesce(level[i + 1], placeholder), 'sha3-256');
    END LOOP;
    level := nxt;
  END LOOP;
  RETURN level[1];
END $$;
-- A WriteOp re-encoded from the decoded columns (tags 0-2, 3-5 with metadata).
CREATE FUNCTION write_op(op text, value bytea, metadata jsonb) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN metadata IS NULL THEN
           set_byte('\x00'::bytea, 0, CASE op WHEN 'create' THEN 0 WHEN 'modify' THEN 1 ELSE 2 END)
           || coalesce(uleb(length(value)) || value, ''::bytea)
         ELSE
           set_byte('\x00'::bytea, 0, CASE op WHEN 'create' THEN 3 WHEN 'modify' THEN 4 ELSE 5 END)
           || coalesce(uleb(length(value)) || value, ''::bytea)
           || '\x00'::bytea || decode(lpad(substr(metadata->>'payer', 3), 64, '0'), 'hex')
           || u64((metadata->>'deposit')::numeric) || u64((metadata->>'creation_time_usecs')::numeric)
         END
$$;

CREATE TEMP TABLE tx_hashes AS
  SELECT version, kind, event_count, write_count,
         decode(substr(event_root_hash, 3), 'hex') AS event_root_hash,
         decode(substr(state_change_hash, 3), 'hex') AS state_change_hash
  FROM chain.transactions;
CREATE TEMP TABLE ev AS
  SELECT version, epoch, event_index, type, account, creation_number, sequence_number, data,
         amount, decoded, decoded_from, event_bcs
  FROM chain.events;
CREATE TEMP TABLE wr AS
  SELECT version, change_index, key_kind, path, address, resource, state_key, op, value,
         value_size, balance, metadata
  FROM chain.state_changes;
SELECT (SELECT count(*) FROM tx_hashes) AS transactions, (SELECT count(*) FROM ev) AS events,
       (SELECT count(*) FROM wr) AS state_changes;

-- Events per transaction equal event_count; write-set entries equal write_count.
SELECT count(*) AS event_count_mismatches
FROM tx_hashes t LEFT JOIN (SELECT version, count(*) AS n FROM ev GROUP BY version) e USING (version)
WHERE coalesce(e.n, 0) <> t.event_count;
SELECT count(*) AS write_count_mismatches
FROM tx_hashes t LEFT JOIN (SELECT version, count(*) AS n FROM wr GROUP BY version) w USING (version)
WHERE coalesce(w.n, 0) <> t.write_count;
SELECT count(*) AS event_index_gaps
FROM (SELECT version, max(event_index) + 1 = count(*) AS dense FROM ev GROUP BY version) d WHERE NOT dense;

-- The event root hash of every transaction, recomputed from its events' bytes.
SELECT count(*) AS transactions_checked,
       count(*) FILTER (WHERE accumulator_root(e.leaves) <> t.event_root_hash) AS event_root_mismatches
FROM tx_hashes t
LEFT JOIN (SELECT version,
                  array_agg(digest(digest('DIEM::ContractEvent', 'sha3-256') || event_bcs, 'sha3-256')
                            ORDER BY event_index) AS leaves
           FROM ev GROUP BY version) e USING (version);
-- ... and each event's bytes are its decoded fields (the key, sequence number and data).
SELECT count(*) AS event_bytes_mismatches FROM ev
WHERE substr(event_bcs, 1, 41) <> '\x00'::bytea || u64(creation_number)
                                  || decode(lpad(substr(account, 3), 64, '0'), 'hex')
   OR substr(event_bcs, 42, 8) <> u64(sequence_number)
   OR substr(event_bcs, length(event_bcs) - length(data) - length(uleb(length(data))) + 1)
      <> uleb(length(data)) || data;

-- The state change hash of every transaction, re-encoded from its decoded write set.
SELECT count(*) AS state_change_hash_mismatches
FROM tx_hashes t
LEFT JOIN (SELECT version, count(*) AS n,
                  string_agg(state_key || write_op(op, value, metadata), ''::bytea ORDER BY change_index) AS body
           FROM wr GROUP BY version) w USING (version)
WHERE digest(digest('DIEM::WriteSet', 'sha3-256') || '\x00'::bytea || uleb(coalesce(w.n, 0))
             || coalesce(w.body, ''::bytea), 'sha3-256') <> t.state_change_hash;

-- What the sample holds: event types, amounts, keys and ops.
SELECT type, decoded_from, count(*), count(amount) AS with_amount, count(decoded) AS decoded
FROM ev GROUP BY 1, 2 ORDER BY 1;
-- amounts are the u64 of the data, for coin events only (never an 8-byte NewEpochEvent)
SELECT count(*) AS amount_mismatches FROM ev
WHERE type IN ('0x1::coin::WithdrawEvent', '0x1::coin::DepositEvent')
  AND (amount IS NULL OR u64(amount) <> data OR (decoded->>'amount')::numeric <> amount);
SELECT count(*) AS amounts_on_other_types FROM ev
WHERE type NOT IN ('0x1::coin::WithdrawEvent', '0x1::coin::DepositEvent') AND amount IS NOT NULL;
SELECT count(*) AS new_epoch_events, count(*) FILTER (WHERE length(data) = 8) AS with_8_bytes,
       count(*) FILTER (WHERE (decoded->>'epoch')::bigint = epoch + 1) AS announcing_next_epoch
FROM ev WHERE type = '0x1::reconfiguration::NewEpochEvent';
SELECT type, sum(amount) AS total, min(amount), max(amount) FROM ev WHERE amount IS NOT NULL GROUP BY 1 ORDER BY 1;
SELECT key_kind, path, op, count(*), count(balance) AS with_balance FROM wr GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
SELECT resource, count(*), min(value_size), max(value_size) FROM wr GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 12;
-- balances are the first u64 of every CoinStore value
SELECT count(*) AS coin_stores, count(*) FILTER (WHERE u64(balance) <> substr(value, 1, 8)) AS balance_mismatches
FROM wr WHERE resource LIKE '0x1::coin::CoinStore<%';

-- Which transactions emit the coin events, and whose accounts they name.
SELECT t.kind, t.function, e.type, count(*), count(*) FILTER (WHERE e.account = t.sender) AS of_sender
FROM chain.transactions t JOIN ev e USING (version)
WHERE e.amount IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;

-- Epochs: every epoch-ending record, one for one with an independent decoder.
CREATE TABLE epoch_records (epoch bigint, round bigint, version bigint, timestamp_usecs bigint,
  block_id text, root_hash text, validator_count integer, total_voting_power numeric,
  signer_count integer, validators jsonb, waypoint text, waypoint_ok boolean);
COPY epoch_records FROM :'records_csv' CSV HEADER;
CREATE TEMP TABLE ep AS SELECT * FROM chain.epochs;
SELECT count(*) AS epochs, min(epoch), max(epoch), count(*) FILTER (WHERE first_version IS NULL) AS without_first_version
FROM ep;
SELECT count(*) AS records, count(*) FILTER (WHERE waypoint_ok) AS waypoints_ok FROM epoch_records;
SELECT count(*) AS mismatches
FROM ep FULL JOIN epoch_records r USING (epoch)
WHERE (ep.last_version, ep.round, ep.end_timestamp, ep.block_id, ep.root_hash, ep.validator_count,
       ep.total_voting_power, ep.signer_count, ep.validators, ep.waypoint)
  IS DISTINCT FROM
      (r.version, r.round, timestamptz 'epoch' + r.timestamp_usecs * interval '1 microsecond',
       r.block_id, r.root_hash, r.validator_count, r.total_voting_power, r.signer_count,
       r.validators, r.waypoint);
SELECT count(*) AS first_version_mismatches
FROM ep JOIN ep prev ON prev.epoch = ep.epoch - 1 WHERE ep.first_version <> prev.last_version + 1;
-- the epochs the transactions see are the ones the epochs table says
SELECT count(*) AS transaction_epoch_mismatches
FROM chain.transactions t JOIN ep ON t.version BETWEEN ep.first_version AND ep.last_version
WHERE t.epoch <> ep.epoch;
SELECT epoch, first_version, last_version, end_timestamp, validator_count, signer_count
FROM chain.epochs WHERE epoch BETWEEN 100 AND 102 ORDER BY epoch;
SELECT * FROM explain_analyze('SELECT count(*) FROM chain.epochs WHERE epoch BETWEEN 100 AND 199');
-- who validated: the set of epoch 100 is the one the ledger info of epoch 99 hands over
SELECT v->>'address' AS validator, (v->>'voting_power')::int AS voting_power
FROM chain.epochs, jsonb_array_elements(validators) v WHERE epoch = 99 ORDER BY 1;

-- Objects: the catalog, with no chunk body read.
SELECT kind, count(*), sum(size) AS bytes, count(DISTINCT backup) AS backups
FROM chain.objects GROUP BY kind ORDER BY kind;
SELECT key, first_version, last_version, first_epoch, last_epoch, size, compression
FROM chain.objects WHERE kind = 'transaction' ORDER BY first_version LIMIT 3;
SELECT compression, count(*) FROM chain.objects GROUP BY 1 ORDER BY 1;
SELECT * FROM explain_analyze('SELECT count(*) FROM chain.objects');

-- Pruning works the same for events and state changes.
SELECT * FROM explain_analyze('SELECT count(*) FROM chain.events WHERE epoch BETWEEN 100 AND 199');
SELECT (SELECT count(*) FROM chain.events WHERE epoch BETWEEN 100 AND 199) AS events,
       (SELECT count(*) FROM ev WHERE epoch BETWEEN 100 AND 199) AS expected;
SELECT (SELECT count(*) FROM chain.state_changes WHERE version BETWEEN 1000 AND 1999) AS changes,
       (SELECT count(*) FROM wr WHERE version BETWEEN 1000 AND 1999) AS expected;
