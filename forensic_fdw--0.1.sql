/* forensic_fdw--0.1.sql — objects of the extension forensic_fdw */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION forensic_fdw" to load this file. \quit

CREATE FUNCTION forensic_fdw_handler()
RETURNS fdw_handler
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FUNCTION forensic_fdw_validator(text[], oid)
RETURNS void
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT;

CREATE FOREIGN DATA WRAPPER forensic_fdw
  HANDLER forensic_fdw_handler
  VALIDATOR forensic_fdw_validator;

COMMENT ON FOREIGN DATA WRAPPER forensic_fdw
  IS '0L (OpenLibra) blockchain backup archives as foreign tables';

CREATE FUNCTION forensic_fdw_columns(records text,
                                     OUT column_name text, OUT data_type text, OUT description text)
RETURNS SETOF record
AS 'MODULE_PATHNAME'
LANGUAGE C STRICT STABLE;

COMMENT ON FUNCTION forensic_fdw_columns(text)
  IS 'the columns a forensic_fdw table of a record kind can have, with their meaning';

-- IMPORT FOREIGN SCHEMA can only create tables: this trigger then comments the columns of
-- the forensic_fdw tables it created, so that \d+ describes them.
CREATE FUNCTION forensic_fdw_comment_imported()
RETURNS event_trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t record;
  c record;
BEGIN
  FOR t IN
    SELECT cmd.objid AS relid, ft.ftoptions
    FROM pg_event_trigger_ddl_commands() cmd
    JOIN pg_foreign_table ft ON ft.ftrelid = cmd.objid
    JOIN pg_foreign_server s ON s.oid = ft.ftserver
    JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw
    WHERE cmd.command_tag = 'CREATE FOREIGN TABLE' AND w.fdwname = 'forensic_fdw'
  LOOP
    FOR c IN
      SELECT a.attname, col.description
      FROM pg_attribute a
      JOIN @extschema@.forensic_fdw_columns(
             (SELECT substr(o, 9) FROM unnest(t.ftoptions) o WHERE o LIKE 'records=%')) col
        ON col.column_name = a.attname
      WHERE a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
      EXECUTE format('COMMENT ON COLUMN %s.%I IS %L', t.relid::regclass, c.attname, c.description);
    END LOOP;
  END LOOP;
END;
$$;

CREATE EVENT TRIGGER forensic_fdw_import_comments ON ddl_command_end
  WHEN TAG IN ('IMPORT FOREIGN SCHEMA')
  EXECUTE FUNCTION forensic_fdw_comment_imported();

-- The first thing to run against a new server: each step a scan needs (location,
-- credentials, a signed listing, the clock, one manifest), and what worked.
CREATE FUNCTION forensic_fdw_check(server name)
RETURNS TABLE (step text, ok boolean, detail text)
AS 'MODULE_PATHNAME', 'forensic_fdw_check'
LANGUAGE C STRICT VOLATILE;

COMMENT ON FUNCTION forensic_fdw_check(name) IS
  'check that a forensic_fdw server can be scanned: location, credentials, listing, clock, manifest';

-- Incremental loads (docs/cookbook.md). A job copies the rows of whole epochs from a foreign
-- table into a native one, the epochs after the highest one the native table holds, up to the
-- last epoch the archive holds completely. Every function here is SECURITY INVOKER: it reads
-- and writes with the privileges of its caller, and names tables only through regclass.

-- The last epoch a load may take: the highest epoch whose epoch-ending record is in the archive
-- and whose every version is in the archive's transaction backups, that is, at most the end of
-- the run of transaction chunks that starts at the lowest one and has no gap (a chunk that
-- overlaps or touches the run extends it). An epoch that has ended but whose transactions are
-- only partly backed up is not complete yet. NULL when no epoch is. Reads the catalog and the
-- epoch-ending chunks, no transaction chunk.
CREATE FUNCTION forensic_fdw_complete_epoch(epochs regclass, objects regclass)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  result bigint;
BEGIN
  EXECUTE format($q$
    WITH chunks AS (
      SELECT first_version, last_version,
             max(last_version) OVER (ORDER BY first_version, last_version
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
      FROM %s
      WHERE kind = 'transaction' AND first_version IS NOT NULL AND last_version IS NOT NULL),
    covered AS (
      SELECT coalesce((SELECT min(reached) FROM chunks WHERE first_version > reached + 1),
                      (SELECT max(last_version) FROM chunks)) AS last_version)
    SELECT max(e.epoch) FROM %s e, covered c WHERE e.last_version <= c.last_version$q$,
    objects, epochs)
  INTO result;
  RETURN result;
END;
$$;

COMMENT ON FUNCTION forensic_fdw_complete_epoch(regclass, regclass) IS
  'the highest epoch that has ended and whose transactions are all in the archive (epochs and objects tables of one server)';

-- Loads into target the rows of source whose epoch is above the highest epoch in target (all
-- of them when target is empty) and at most up_to_epoch, in one INSERT ... SELECT; returns the
-- number of rows inserted. up_to_epoch NULL (the default) means forensic_fdw_complete_epoch()
-- of the epochs and objects tables of source's server that the caller may read (those of
-- source's schema first, as IMPORT FOREIGN SCHEMA creates them), so that a load never takes
-- part of an epoch. The columns are those of target that source also has, matched by name
-- (the others take their defaults); both must have an "epoch" column. The lower bound is a
-- scalar subquery, so the scan prunes at execution time to the new epochs. Loads of one
-- target are serialized by an advisory transaction lock. Rerun with nothing new: 0 rows.
CREATE FUNCTION forensic_fdw_load(target regclass, source regclass, up_to_epoch bigint DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  server oid;
  epochs regclass;
  objects regclass;
  columns text;
  has_epoch boolean;
  loaded bigint;
BEGIN
  IF target IS NULL OR source IS NULL THEN
    RAISE EXCEPTION 'forensic_fdw_load: target and source must not be NULL'
      USING ERRCODE = 'null_value_not_allowed';
  END IF;
  SELECT string_agg(quote_ident(t.attname), ', ' ORDER BY t.attnum),
         coalesce(bool_or(t.attname = 'epoch'), false)
    INTO columns, has_epoch
  FROM pg_attribute t
  JOIN pg_attribute s ON s.attrelid = source AND s.attname = t.attname
                     AND s.attnum > 0 AND NOT s.attisdropped
  WHERE t.attrelid = target AND t.attnum > 0 AND NOT t.attisdropped AND t.attgenerated = '';
  IF NOT has_epoch THEN
    RAISE EXCEPTION 'forensic_fdw_load: % and % must both have a column "epoch"', target, source
      USING ERRCODE = 'undefined_column';
  END IF;

  IF up_to_epoch IS NULL THEN
    SELECT ft.ftserver INTO server
    FROM pg_foreign_table ft
    JOIN pg_foreign_server s ON s.oid = ft.ftserver
    JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw AND w.fdwname = 'forensic_fdw'
    WHERE ft.ftrelid = source;
    IF server IS NULL THEN
      RAISE EXCEPTION 'forensic_fdw_load: % is not a forensic_fdw foreign table', source
        USING ERRCODE = 'wrong_object_type',
              HINT = 'Give the last epoch to load as the third argument.';
    END IF;
    SELECT ft.ftrelid INTO epochs
    FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
    WHERE ft.ftserver = server AND 'records=epochs' = ANY (ft.ftoptions)
      AND has_table_privilege(ft.ftrelid, 'SELECT')
      AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = ft.ftrelid AND NOT a.attisdropped
           AND a.attname IN ('epoch', 'last_version')) = 2
    ORDER BY c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = source) DESC, c.oid
    LIMIT 1;
    SELECT ft.ftrelid INTO objects
    FROM pg_foreign_table ft JOIN pg_class c ON c.oid = ft.ftrelid
    WHERE ft.ftserver = server AND 'records=objects' = ANY (ft.ftoptions)
      AND has_table_privilege(ft.ftrelid, 'SELECT')
      AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = ft.ftrelid AND NOT a.attisdropped
           AND a.attname IN ('kind', 'first_version', 'last_version')) = 3
    ORDER BY c.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = source) DESC, c.oid
    LIMIT 1;
    IF epochs IS NULL OR objects IS NULL THEN
      RAISE EXCEPTION 'forensic_fdw_load: no % table on the server of % that you may read',
        CASE WHEN epochs IS NULL THEN 'epochs' ELSE 'objects' END, source
        USING ERRCODE = 'undefined_table',
              HINT = 'IMPORT FOREIGN SCHEMA archive creates one; or give the last epoch to load as the third argument.';
    END IF;
    up_to_epoch := @extschema@.forensic_fdw_complete_epoch(epochs, objects);
  END IF;

  -- one load of a target at a time ('FF_L' in the high half of the key, the table's oid below)
  PERFORM pg_advisory_xact_lock((x'46465f4c'::bigint << 32) | target::oid::bigint);
  EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s '
                 'WHERE epoch > (SELECT coalesce(max(epoch), -1) FROM %s) AND epoch <= $1',
                 target, columns, columns, source, target)
    USING up_to_epoch;
  GET DIAGNOSTICS loaded = ROW_COUNT;
  RETURN loaded;
END;
$$;

COMMENT ON FUNCTION forensic_fdw_load(regclass, regclass, bigint) IS
  'insert into target the rows of source of the epochs after target''s highest, up to up_to_epoch (default: the last complete one); returns the rows inserted';
