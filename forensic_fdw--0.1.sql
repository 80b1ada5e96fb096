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
