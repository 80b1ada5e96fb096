#!/usr/bin/env bash
# run.sh — the libFuzzer harnesses of forensic_fdw (test/fuzz/fuzz_*.c; docs/fuzzing.md).
#
#   test/fuzz/run.sh smoke [HARNESS...]   build (clang, ASan + UBSan), make the seed corpora
#                                         (seeds.sh), then run each harness over its
#                                         regressions/<harness>/ inputs and its seeds plus a
#                                         fixed number of runs (FUZZ_SMOKE_RUNS, default 300000,
#                                         fixed -seed): about 2-4 minutes on 2 cores. One line
#                                         per harness, then "fuzz: N passed, N failed".
#   test/fuzz/run.sh long [SECONDS|-runs=N] [HARNESS...]
#                                         the long campaign: each harness for SECONDS or N runs
#                                         (default: 10 million runs or 3600 s, whichever comes
#                                         first), growing build/fuzz/corpus/<harness>;
#                                         prints the executions of each.
#
# A crasher is written to build/fuzz/artifacts/<harness>/ (crash-*, leak-*, timeout-*, oom-*).
# Reproduce: build/fuzz/fuzz_<harness> FILE. Minimize it
#   build/fuzz/fuzz_<harness> -minimize_crash=1 -runs=100000 -exact_artifact_path=OUT FILE
# and keep OUT as test/fuzz/regressions/<harness>/<short-name> once fixed: smoke replays
# every regression input first.
# Needs clang 14 with libFuzzer (Debian: clang, libclang-rt-14-dev) and the build's libraries.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
cd "$REPO" || exit 2
ALL="transactions events state legacy_state ledger_info entry_function block json bcs render meta json_rescue s3_xml gzip bundle verify"
MODE=${1:-smoke}
shift || true

LIMIT=""
if [ "$MODE" = long ]; then
	case ${1:-} in
		-runs=*) LIMIT=$1; shift ;;
		[0-9]*) LIMIT="-max_total_time=$1"; shift ;;
		# the campaign of issue 6: 10 million executions or an hour, whichever comes first
		*) LIMIT="-runs=10000000 -max_total_time=3600" ;;
	esac
elif [ "$MODE" != smoke ]; then
	echo "usage: run.sh smoke [HARNESS...] | run.sh long [SECONDS|-runs=N] [HARNESS...]" >&2
	exit 2
fi
LIST=${*:-$ALL}

echo "fuzz: building (clang, ASan + UBSan)"
if ! make -s -j2 core fixturegen fuzz-build fuzz-seedcut >build/fuzz-build.log 2>&1; then
	mkdir -p build
	cat build/fuzz-build.log >&2
	echo "fuzz: 0 passed, $(echo $LIST | wc -w) failed"
	exit 1
fi
SEEDS=build/fuzz/seeds
# FUZZ_REUSE_SEEDS=1 keeps the seeds already made (e.g. two long campaigns side by side)
if [ "${FUZZ_REUSE_SEEDS:-0}" != 1 ] || [ ! -d "$SEEDS" ]; then
	test/fuzz/seeds.sh "$SEEDS" || { echo "fuzz: seeds.sh failed"; exit 1; }
fi

# libFuzzer writes what it finds into its first corpus folder: a scratch one for smoke (the
# seeds stay as made), build/fuzz/corpus/<harness> (kept between runs) for long.
COMMON="-max_len=65536 -rss_limit_mb=2048 -timeout=20 -malloc_limit_mb=1024"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
passed=0
failed=0
for h in $LIST; do
	bin=build/fuzz/fuzz_$h
	art=build/fuzz/artifacts/$h
	log=build/fuzz/logs/$h.log
	mkdir -p "$art" build/fuzz/logs
	: >"$log"
	if [ ! -x "$bin" ]; then
		echo "FAIL $h: no harness $bin"
		failed=$((failed + 1))
		continue
	fi
	regs=()
	[ -d test/fuzz/regressions/$h ] && mapfile -t regs < <(find test/fuzz/regressions/$h -type f | sort)
	start=$(date +%s)
	# 1. every regression input once
	if [ ${#regs[@]} -gt 0 ] && ! "$bin" $COMMON "${regs[@]}" >>"$log" 2>&1; then
		echo "FAIL $h: a regression input fails again (see $log)"
		failed=$((failed + 1))
		continue
	fi
	# 2. the seeds, then fuzzing
	if [ "$MODE" = smoke ]; then
		work=$(mktemp -d)
		"$bin" $COMMON -seed=1 -runs="${FUZZ_SMOKE_RUNS:-300000}" -artifact_prefix="$art/" \
			"$work" "$SEEDS/$h" >>"$log" 2>&1
		rc=$?
		rm -rf "$work"
	else
		mkdir -p build/fuzz/corpus/$h
		"$bin" $COMMON $LIMIT -print_final_stats=1 -artifact_prefix="$art/" \
			build/fuzz/corpus/$h "$SEEDS/$h" >>"$log" 2>&1
		rc=$?
	fi
	secs=$(($(date +%s) - start))
	execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')
	[ -n "$execs" ] || execs=$(grep -o '^Done [0-9]* runs' "$log" | tail -1 | awk '{print $2}')
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | awk '{print $2}')
	if [ $rc -eq 0 ]; then
		echo "PASS $h: ${#regs[@]} regressions, $(ls "$SEEDS/$h" | wc -l) seeds, ${execs:-?} executions, cov ${cov:-?}, ${secs}s"
		passed=$((passed + 1))
	else
		echo "FAIL $h: exit $rc after ${secs}s; artifacts in $art/, log $log:"
		grep -m3 -E 'ERROR|SUMMARY|runtime error' "$log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ $failed -eq 0 ]
