/*
 * handler.c — the entry point PostgreSQL calls: the FdwRoutine with forensic_fdw's
 * callbacks (planning in plan.c, execution and EXPLAIN in scan.c, IMPORT FOREIGN SCHEMA in
 * import.c).
 */
#include "fdw/forensic_fdw.h"

#include "fmgr.h"
#include "foreign/fdwapi.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(forensic_fdw_handler);

Datum
forensic_fdw_handler(PG_FUNCTION_ARGS)
{
	FdwRoutine *routine = makeNode(FdwRoutine);

	routine->GetForeignRelSize = ffGetForeignRelSize;
	routine->GetForeignPaths = ffGetForeignPaths;
	routine->GetForeignPlan = ffGetForeignPlan;
	routine->BeginForeignScan = ffBeginForeignScan;
	routine->IterateForeignScan = ffIterateForeignScan;
	routine->ReScanForeignScan = ffReScanForeignScan;
	routine->EndForeignScan = ffEndForeignScan;
	routine->ExplainForeignScan = ffExplainForeignScan;
	routine->ImportForeignSchema = ffImportForeignSchema;

	PG_RETURN_POINTER(routine);
}
