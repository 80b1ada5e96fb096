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
