--
-- hostile: archives are untrusted input. Every damage gives a clear error (XX001 for
-- damaged data, 54000 for a limit, with the option that raises it) naming the object and
-- the byte offset; never a crash, a hang, a huge allocation or a silently partial result.
-- Truncations, flipped bytes and edited manifests are made here, case by case, in a scratch
-- copy beside the instance's data directory (COPY FROM PROGRAM, as the superuser running
-- the suites); the damage that needs byte surgery is made by test/make-hostile.py.
--
\getenv fixtures FF_FIXTURES
SELECT set_config('hostile.fixtures', :'fixtures', false) IS NOT NULL AS set;
SELECT set_config('hostile.scratch', current_setting('data_directory') || '_hostile', false) IS NOT NULL AS set;

-- a shell command (its output, if any, is returned; a failure is an error)
CREATE TEMP TABLE sh_out (line text);
CREATE FUNCTION sh(cmd text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE out text;
BEGIN
  TRUNCATE sh_out;
  EXECUTE format('COPY sh_out FROM PROGRAM %L', cmd);
  SELECT string_agg(line, E'\n') INTO out FROM sh_out;
  RETURN out;
END $$;
CREATE FUNCTION scratch(rel text DEFAULT '') RETURNS text LANGUAGE sql
  AS $$ SELECT current_setting('hostile.scratch') || CASE WHEN rel = '' THEN '' ELSE '/' || rel END $$;
CREATE FUNCTION fixture(rel text) RETURNS text LANGUAGE sql
  AS $$ SELECT current_setting('hostile.fixtures') || '/' || rel $$;

-- what a query gives: the row count, or the error's fields
CREATE TYPE outcome AS (state text, msg text, detail text, hint text, n bigint);
CREATE FUNCTION outcome(query text) RETURNS outcome LANGUAGE plpgsql AS $$
DECLARE o outcome;
BEGIN
  EXECUTE query INTO o.n;
  o.state := 'ok';
  RETURN o;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS o.state = RETURNED_SQLSTATE, o.msg = MESSAGE_TEXT,
                          o.detail = PG_EXCEPTION_DETAIL, o.hint = PG_EXCEPTION_HINT;
  RETURN o;
END $$;
CREATE FUNCTION shown(query text) RETURNS text LANGUAGE sql AS $$
  SELECT CASE WHEN o.state = 'ok' THEN 'no error: ' || o.n || ' rows'
              ELSE format(E'%s: %s\nDETAIL: %s\nHINT: %s', o.state, o.msg, o.detail, o.hint) END
  FROM outcome(query) o $$;

-- the length-prefixed records of a file: the offset of each one's prefix
CREATE FUNCTION record_offsets(path text) RETURNS SETOF bigint LANGUAGE plpgsql AS $$
DECLARE
  b bytea := pg_read_binary_file(path);
  p int := 0;
BEGIN
  WHILE p < length(b) LOOP
    RETURN NEXT p;
    p := p + 4 + ((get_byte(b, p)::bigint << 24) | (get_byte(b, p + 1) << 16) |
                  (get_byte(b, p + 2) << 8) | get_byte(b, p + 3));
  END LOOP;
END $$;

SELECT sh(format('rm -rf %1$s && mkdir -p %1$s && cp -r %2$s %1$s/t && cp -r %3$s %1$s/g',
                 scratch(), fixture('plain'), fixture('flat')));
-- (servers are made with EXECUTE: their locations are paths that vary from run to run)
CREATE FUNCTION make_server(name text, location text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)', name, location);
END $$;
SELECT make_server('h', scratch('t')), make_server('hg', scratch('g'));
CREATE FOREIGN TABLE h_objects (key text, kind text, first_version bigint, last_version bigint,
  first_epoch bigint, last_epoch bigint, size bigint) SERVER h OPTIONS (records 'objects');
CREATE FOREIGN TABLE hg_objects (key text, kind text, first_version bigint, last_version bigint,
  size bigint) SERVER hg OPTIONS (records 'objects');
CREATE FOREIGN TABLE h_tx (version bigint, epoch bigint, kind text, tx_hash text, sender text,
  gas_used bigint, status text, event_count integer, proposer text, function text) SERVER h OPTIONS (records 'transactions');
CREATE FOREIGN TABLE h_tx_proofs (version bigint) SERVER h OPTIONS (records 'transactions', verify 'proofs');
CREATE FOREIGN TABLE h_events (version bigint, type text, data bytea) SERVER h OPTIONS (records 'events');
CREATE FOREIGN TABLE h_epochs (epoch bigint, end_timestamp timestamptz) SERVER h OPTIONS (records 'epochs');
CREATE FOREIGN TABLE h_state (snapshot_version bigint, epoch bigint, address text, balance numeric)
  SERVER h OPTIONS (records 'state');
CREATE FOREIGN TABLE hg_tx (version bigint, tx_hash text) SERVER hg OPTIONS (records 'transactions');

-- the targets: a transaction chunk, a state snapshot chunk, a chunk of three epoch-ending
-- records, and a gzip'ed transaction chunk
CREATE TABLE target (name text PRIMARY KEY, key text, path text, query text, offsets bigint[]);
INSERT INTO target (name, key, query)
SELECT 'transaction chunk', key, format('SELECT count(*) FROM h_tx WHERE version BETWEEN %s AND %s', first_version, last_version)
  FROM h_objects WHERE kind = 'transaction' AND first_version = 254;
INSERT INTO target (name, key, query)
SELECT 'state chunk', key, format('SELECT count(*) FROM h_state WHERE epoch = %s', first_epoch)
  FROM h_objects WHERE kind = 'state_snapshot' ORDER BY key LIMIT 1;
INSERT INTO target (name, key, query)
SELECT 'epoch-ending chunk', key, format('SELECT count(*) FROM h_epochs WHERE epoch BETWEEN %s AND %s', first_epoch, last_epoch)
  FROM h_objects WHERE kind = 'epoch_ending' AND last_epoch > first_epoch + 1 ORDER BY first_epoch LIMIT 1;
INSERT INTO target (name, key, query)
SELECT 'gzip transaction chunk', key, format('SELECT count(*) FROM hg_tx WHERE version BETWEEN %s AND %s', first_version, last_version)
  FROM hg_objects WHERE kind = 'transaction' ORDER BY first_version OFFSET 1 LIMIT 1;
UPDATE target SET path = scratch(CASE WHEN name LIKE 'gzip%' THEN 'g/' ELSE 't/' END || key);
UPDATE target SET offsets = ARRAY(SELECT record_offsets(path)) WHERE name NOT LIKE 'gzip%';
SELECT sh(format('cp %s %s.orig', path, path)) FROM target;
SELECT name, key, cardinality(offsets) AS records, (pg_stat_file(path)).size AS bytes,
       (outcome(query)).n AS rows_undamaged
  FROM target ORDER BY name;

-- every case: what was done, where the error should point, what came back
CREATE TABLE cases (what text, damage text, at bigint, expect_offset bigint, o outcome);
CREATE FUNCTION run_case(t target, damage text, at bigint, expect_offset bigint, cmd text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM sh(cmd);
  INSERT INTO cases VALUES (t.name, damage, at, expect_offset, outcome(t.query));
END $$;

-- 1. Truncation at every record boundary, two bytes into each length prefix, and in the
--    middle of each record: the chunk ends early (at that boundary) or in a record (the
--    error points at that record's prefix).
SELECT count(*) FROM (
  SELECT run_case(t, d.damage, d.at, o.off, format('head -c %s %s.orig > %s', d.at, t.path, t.path))
    FROM target t,
         LATERAL unnest(t.offsets) WITH ORDINALITY AS o(off, i),
         LATERAL (SELECT coalesce(t.offsets[o.i + 1], (pg_stat_file(t.path || '.orig')).size) AS next) nx,
         LATERAL (VALUES ('at a record boundary', o.off),
                         ('in a length prefix', o.off + 2),
                         ('in a record', o.off + 4 + (nx.next - o.off - 4) / 2)) AS d(damage, at)
   WHERE t.offsets IS NOT NULL) s;
SELECT sh(format('cp %s.orig %s', path, path)) FROM target;

-- 2. The gzip'ed chunk cut anywhere: in its header, its deflate data and its trailer.
SELECT count(*) FROM (
  SELECT run_case(t, 'gzip cut', at, NULL, format('head -c %s %s.orig > %s', at, t.path, t.path))
    FROM target t,
         LATERAL (SELECT (pg_stat_file(t.path || '.orig')).size AS size) s,
         LATERAL (SELECT DISTINCT at FROM (
                    SELECT unnest(ARRAY[0, 1, 2, 5, 9, 10, 11]) AS at
                    UNION ALL SELECT s.size * k / 40 FROM generate_series(1, 39) k
                    UNION ALL SELECT s.size - k FROM generate_series(1, 8) k) a) c
   WHERE t.name LIKE 'gzip%') s;
SELECT sh(format('cp %s.orig %s', path, path)) FROM target;

-- Each truncation: XX001, the object named, the offset of the boundary or the record.
CREATE VIEW judged AS
SELECT c.*, (o).state = 'XX001' AS xx001,
       strpos((o).msg, '"' || t.key || '"') > 0 AS object_named,
       (o).detail ~ ('byte offset ' || coalesce(expect_offset::text, '\d+') || '\M') AS offset_named
  FROM cases c JOIN target t ON t.name = c.what;
SELECT what, damage, count(*) AS cases, count(*) FILTER (WHERE xx001) AS xx001,
       count(*) FILTER (WHERE object_named) AS object_named, count(*) FILTER (WHERE offset_named) AS offset_named
  FROM judged GROUP BY 1, 2 ORDER BY 1, 2;
-- (any case that does not: none)
SELECT what, damage, at, (o).state, left((o).msg, 100) AS msg, left((o).detail, 100) AS detail
  FROM judged WHERE NOT (xx001 AND object_named AND offset_named) ORDER BY 1, 2, 3 LIMIT 10;
-- what they say, for a few
SELECT DISTINCT ON (what, damage) what, damage, at, (o).msg, (o).detail
  FROM cases WHERE what <> 'gzip transaction chunk' ORDER BY what, damage, at DESC;
SELECT DISTINCT ON (regexp_replace((o).detail, '\d+', 'N', 'g')) at, (o).detail
  FROM cases WHERE what = 'gzip transaction chunk' ORDER BY regexp_replace((o).detail, '\d+', 'N', 'g'), at;
TRUNCATE cases;

-- 3. Flipped bytes in the transaction chunk: every byte of its first record, and 300 more
--    spread over the others. Without verify a flipped byte gives XX001 or decodes to other
--    values, but never fewer rows; with verify 'proofs' every one of them is caught (each
--    byte of a record is covered by a hash or the chunk's accumulator proof).
CREATE FUNCTION to_oct(n int) RETURNS text LANGUAGE sql
  AS $$ SELECT ((n >> 6) & 7)::text || ((n >> 3) & 7)::text || (n & 7)::text $$;
CREATE FUNCTION flip_cmd(path text, at bigint) RETURNS text LANGUAGE sql AS $$
  SELECT format($c$cp %1$s.orig %1$s && printf '\%3$s' | dd of=%1$s bs=1 seek=%2$s conv=notrunc status=none$c$,
                path, at, to_oct(get_byte(pg_read_binary_file(path || '.orig', at, 1), 0) # 1))
$$;
CREATE TABLE flips (at bigint, plain outcome, proofs outcome);
DO $$
DECLARE
  t target := (SELECT t FROM target t WHERE name = 'transaction chunk');
  size bigint := (pg_stat_file(t.path || '.orig')).size;
  first_end bigint := t.offsets[2];
  at bigint;
BEGIN
  FOR at IN SELECT a FROM generate_series(0, first_end - 1) a
            UNION SELECT first_end + (size - first_end) * k / 300 FROM generate_series(0, 299) k ORDER BY 1
  LOOP
    PERFORM sh(flip_cmd(t.path, at));
    INSERT INTO flips VALUES (at,
      outcome(replace(t.query, 'count(*) FROM h_tx', 'count(*) FROM (SELECT * FROM h_tx') || ' OFFSET 0) s'),
      outcome(replace(t.query, 'h_tx', 'h_tx_proofs')));
  END LOOP;
  PERFORM sh(format('cp %s.orig %s', t.path, t.path));
END $$;
SELECT count(*) AS flips,
       count(*) FILTER (WHERE (plain).state = 'XX001') AS plain_xx001,
       count(*) FILTER (WHERE (plain).state = 'ok' AND (plain).n = 127) AS plain_all_rows,
       count(*) FILTER (WHERE (proofs).state = 'XX001') AS proofs_xx001,
       count(*) FILTER (WHERE (proofs).msg ~ ('"' || (SELECT key FROM target WHERE name = 'transaction chunk') || '"')
                           OR (proofs).msg ~ '^transaction (25[4-9]|2[6-9]\d|3[0-7]\d|380):') AS proofs_naming_it
  FROM flips;
-- (a flip that neither fails nor gives every row, or that verify 'proofs' lets through: none)
SELECT at, (plain).state, (plain).n, left((plain).msg, 80) AS plain_msg, (proofs).state, left((proofs).msg, 80) AS proofs_msg
  FROM flips
 WHERE NOT ((plain).state = 'XX001' OR ((plain).state = 'ok' AND (plain).n = 127)) OR (proofs).state <> 'XX001'
 ORDER BY at LIMIT 10;
-- how the errors read (by kind of message), with the first of each
SELECT regexp_replace((proofs).msg, '\d+', 'N', 'g') AS proofs_error, count(*), min(at) AS first_at
  FROM flips GROUP BY 1 ORDER BY 2 DESC, 1;
SELECT DISTINCT ON (regexp_replace((proofs).msg, '\d+', 'N', 'g')) at, (proofs).msg, (proofs).detail
  FROM flips ORDER BY regexp_replace((proofs).msg, '\d+', 'N', 'g'), at;

-- 4. Length prefixes and vector lengths that ask for more than there is: refused by the
--    bytes left, before any allocation of that size.
-- 4 GiB - 1 (more than any record can be) and 2^31 - 1 elements in a few hundred bytes
DO $$ BEGIN PERFORM sh(format($c$printf '\377\377\377\377' | dd of=%s bs=1 seek=0 conv=notrunc status=none$c$,
                              (SELECT path FROM target WHERE name = 'transaction chunk'))); END $$;
SELECT shown('SELECT count(*) FROM h_tx');
SELECT sh(format('cp %s.orig %s', path, path)) FROM target;
CREATE FUNCTION hostile(variant text, records text DEFAULT 'transactions', columns text DEFAULT 'version bigint')
RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('CREATE SERVER IF NOT EXISTS %I FOREIGN DATA WRAPPER forensic_fdw OPTIONS (location %L)',
                 variant, fixture(variant));
  EXECUTE format('CREATE FOREIGN TABLE IF NOT EXISTS %I (%s) SERVER %I OPTIONS (records %L)',
                 variant || '_' || records, columns, variant, records);
  RETURN (SELECT string_agg(line, E'\n') FROM regexp_split_to_table(
            pg_read_file(fixture(variant || '/HOSTILE.txt')), E'\n') line WHERE line <> '');
END $$;
SELECT hostile('hostile_vector');
SELECT shown('SELECT count(*) FROM hostile_vector_transactions');
-- 5. A type tag nested 5,000 deep (Move allows 8): refused when the event is decoded.
--    Reading only the transactions' own columns does not decode events.
SELECT hostile('hostile_type_tag', 'events', 'version bigint, type text');
SELECT shown('SELECT count(*) FROM hostile_type_tag_events');
SELECT hostile('hostile_type_tag', 'transactions', 'version bigint, tx_hash text');
SELECT shown('SELECT count(*) FROM hostile_type_tag_transactions');

-- 6. Manifests naming a chunk outside the archive: the manifest is refused (never read
--    through), and the versions it alone holds are an error.
CREATE FUNCTION edited_manifest(name text, sed text, query text DEFAULT 'SELECT count(*) FROM %I')
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  dir text := scratch('m_' || name);
BEGIN
  PERFORM sh(format('rm -rf %1$s && cp -r %2$s %1$s && sed -i %3$L %1$s/transaction_254-.b4d2/transaction.manifest',
                    dir, fixture('plain'), sed));
  PERFORM make_server('m_' || name, dir);
  EXECUTE format('CREATE FOREIGN TABLE %I (version bigint, tx_hash text) SERVER %I OPTIONS (records %L)',
                 'm_' || name, 'm_' || name, 'transactions');
  RETURN shown(format(query, 'm_' || name));
END $$;
SELECT edited_manifest('dotdot', 's#"transaction_254-.b4d2/254-.chunk"#"../../etc/passwd"#');
SELECT edited_manifest('absolute', 's#"transaction_254-.b4d2/254-.chunk"#"/etc/passwd"#');
SELECT edited_manifest('bucket', 's#"transaction_254-.b4d2/254-.chunk"#"s3://other-bucket/transaction_254-.b4d2/254-.chunk"#');
-- versions held by other backups are still read
SELECT shown('SELECT count(*) FROM m_dotdot WHERE version < 254');

-- 7. Manifests that contradict themselves or their chunks.
-- chunks that leave a gap, or overlap, inside one manifest: the manifest is refused
SELECT edited_manifest('gap', 's#"first_version":381,#"first_version":385,#');
SELECT edited_manifest('overlap', 's#"first_version":381,#"first_version":375,#');
SELECT edited_manifest('range', 's#"first_version":254,"last_version":507#"first_version":250,"last_version":507#');
-- a chunk holding more, or fewer, records than its manifest says
SELECT edited_manifest('more', 's#"last_version":380#"last_version":370#; s#"first_version":381#"first_version":371#');
SELECT edited_manifest('fewer', 's#"last_version":380#"last_version":390#; s#"first_version":381#"first_version":391#; s#"last_version":507#"last_version":517#g');

-- 8. Backups whose ranges overlap each other and agree with their chunks: every version
--    once, the same rows as the archive without the overlap. Backup 200-300 is cut from
--    the records of the chunks 0-253 and 254-380.
DO $$
DECLARE
  dir text := scratch('overlap');
  a bigint[] := ARRAY(SELECT record_offsets(fixture('plain/transaction_0-.b201/0-.chunk')));
  b bigint[] := (SELECT offsets FROM target WHERE name = 'transaction chunk');
BEGIN
  PERFORM sh(format($c$rm -rf %1$s && cp -r %2$s %1$s && mkdir %1$s/transaction_200-.0bad &&
    { tail -c +%3$s %2$s/transaction_0-.b201/0-.chunk; head -c %4$s %2$s/transaction_254-.b4d2/254-.chunk; } > %1$s/transaction_200-.0bad/200-.chunk &&
    echo '{"first_version":200,"last_version":300,"chunks":[{"first_version":200,"last_version":300,"transactions":"transaction_200-.0bad/200-.chunk","proof":"transaction_200-.0bad/200-300.proof"}]}' > %1$s/transaction_200-.0bad/transaction.manifest$c$,
    dir, fixture('plain'), a[201] + 1, b[48]));
  PERFORM make_server('m_backups', dir);
END $$;
CREATE FOREIGN TABLE m_backups_tx (version bigint, tx_hash text, sender text, gas_used bigint)
  SERVER m_backups OPTIONS (records 'transactions');
CREATE FOREIGN TABLE plain_tx (version bigint, tx_hash text, sender text, gas_used bigint)
  SERVER h OPTIONS (records 'transactions');
SELECT count(*), count(DISTINCT version), min(version), max(version) FROM m_backups_tx;
SELECT (SELECT md5(string_agg(concat_ws(',', version, tx_hash, sender, gas_used), ';' ORDER BY version)) FROM m_backups_tx) =
       (SELECT md5(string_agg(concat_ws(',', version, tx_hash, sender, gas_used), ';' ORDER BY version)) FROM plain_tx) AS same_rows;
-- the backup 200-300 is read for 200-300, and every version of it is also elsewhere
SELECT count(*) FROM m_backups_tx WHERE version BETWEEN 200 AND 300;

-- 9. Gzip bombs and limits, each with the option that raises it.
-- a manifest that inflates to 20 MiB: over max_manifest_size (16 MiB by default)
SELECT hostile('hostile_manifest_bomb');
SELECT shown('SELECT count(*) FROM hostile_manifest_bomb_transactions');
ALTER SERVER hostile_manifest_bomb OPTIONS (ADD max_manifest_size '33554432');
SELECT shown('SELECT count(*) FROM hostile_manifest_bomb_transactions');
-- a chunk whose second record is 60 MiB of zeros: read (under max_record_size), refused
-- when decoded; with a lower max_record_size, refused by its length prefix
SELECT hostile('hostile_record_bomb');
SELECT shown('SELECT count(*) FROM hostile_record_bomb_transactions');
ALTER SERVER hostile_record_bomb OPTIONS (ADD max_record_size '1048576');
SELECT shown('SELECT count(*) FROM hostile_record_bomb_transactions');
-- a bundle of 100,012 members: over bundle_max_members (100,000 by default) ...
SELECT hostile('hostile_bundle_members', 'transactions', 'version bigint, epoch bigint');
SELECT shown('SELECT count(*) FROM hostile_bundle_members_transactions WHERE epoch = 5');
-- ... for the queries that need it: those reaching epoch 5 or later (a bundle named 5 holds
-- the backups taken at its end, whose transactions may run into later epochs)
SELECT shown('SELECT count(*) FROM hostile_bundle_members_transactions WHERE epoch = 9');
SELECT shown('SELECT count(*) FROM hostile_bundle_members_transactions WHERE epoch < 5');
ALTER SERVER hostile_bundle_members OPTIONS (ADD bundle_max_members '200000');
SELECT shown('SELECT count(*) FROM hostile_bundle_members_transactions WHERE epoch = 5');
ALTER SERVER hostile_bundle_members OPTIONS (SET bundle_max_members '0');
ALTER SERVER hostile_bundle_members OPTIONS (SET bundle_max_members '1e6');

-- the backend is still there, and the scratch copies go
SELECT sh(format('rm -rf %s', scratch()));
SELECT 1 AS alive;
