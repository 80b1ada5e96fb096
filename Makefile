# forensic_fdw — PGXS build of the extension, plus the server-free parts:
# the core library (src/{common,bcs,chain,archive,io}), unit tests and the fixture generator.

EXTENSION   = forensic_fdw
MODULE_big  = forensic_fdw
DATA        = forensic_fdw--0.1.sql
PGFILEDESC  = "forensic_fdw - foreign data wrapper for 0L blockchain backup archives"

PKGS        = libcurl openssl zlib libarchive json-c libxml-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

CORE_SRCS  := $(sort $(wildcard src/common/*.c src/bcs/*.c src/chain/*.c src/archive/*.c src/io/*.c))
FDW_SRCS   := $(sort $(wildcard src/fdw/*.c))
OBJS        = $(CORE_SRCS:.c=.o) $(FDW_SRCS:.c=.o)

PG_CPPFLAGS = -Isrc $(PKG_CFLAGS)
PG_CFLAGS   = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
SHLIB_LINK  = $(PKG_LIBS)

# Bitcode for JIT inlining is not worth a clang dependency here.
override with_llvm = no

# The pg_regress suites live in test/regress (run by test/run-tests.sh, which starts a
# temporary instance as the postgres user).
PG_CONFIG  ?= /usr/lib/postgresql/15/bin/pg_config
PGXS       := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies: rebuild every object when a header changes.
$(OBJS): $(wildcard src/*/*.h)

# ---------------------------------------------------------------------------------------
# Server-free build: core static library, unit tests, fixture generator, benchmarks.
BUILD       ?= build
CORE_CC     ?= gcc
CORE_CFLAGS ?= -std=gnu11 -O2 -g
CORE_CFLAGS += -Wall -Wextra -Werror -Isrc -Itest $(PKG_CFLAGS) $(EXTRA_CORE_CFLAGS)
CORE_OBJS   := $(patsubst src/%.c,$(BUILD)/core/%.o,$(CORE_SRCS))
UNIT_SRCS   := $(sort $(wildcard test/unit/test_*.c))
UNIT_BINS   := $(patsubst test/unit/%.c,$(BUILD)/unit/%,$(UNIT_SRCS))
GEN_SRCS    := $(sort $(wildcard test/gen/*.c))

$(BUILD)/core/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) -c $< -o $@

$(BUILD)/libffcore.a: $(CORE_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/unit/%: test/unit/%.c $(wildcard test/unit/*.h) $(BUILD)/libffcore.a
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) $< $(BUILD)/libffcore.a $(PKG_LIBS) -o $@

$(BUILD)/fixturegen: $(GEN_SRCS) $(wildcard test/gen/*.h)
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) $(GEN_SRCS) $(PKG_LIBS) -o $@

.PHONY: core unit-build unit fixturegen
core: $(BUILD)/libffcore.a
unit-build: $(UNIT_BINS)
fixturegen: $(BUILD)/fixturegen

# Runs every unit test binary; each prints "N passed, N failed".
unit: unit-build
	@status=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || status=1; done; exit $$status

clean: clean-core
clean-core:
	rm -rf $(BUILD)

# ---------------------------------------------------------------------------------------
# libFuzzer harnesses (test/fuzz/fuzz_*.c; docs/fuzzing.md): the core sources built again
# with clang, ASan and UBSan into build/fuzz/core, one binary per harness in build/fuzz.
# test/fuzz/run.sh smoke | long drives them.
FUZZ_CC        ?= clang
FUZZ_SAN       := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS    := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra -Werror -Isrc -Itest/fuzz $(PKG_CFLAGS)
FUZZ_CORE_OBJS := $(patsubst src/%.c,$(BUILD)/fuzz/core/%.o,$(CORE_SRCS))
FUZZ_SRCS      := $(sort $(wildcard test/fuzz/fuzz_*.c))
FUZZ_BINS      := $(patsubst test/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))

$(BUILD)/fuzz/core/%.o: src/%.c $(wildcard src/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@

$(BUILD)/fuzz/libffcore.a: $(FUZZ_CORE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/fuzz/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz.h $(wildcard src/*/*.h) $(BUILD)/fuzz/libffcore.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_SAN) $< $(BUILD)/fuzz/libffcore.a $(PKG_LIBS) -o $@

.PHONY: fuzz-build
fuzz-build: $(FUZZ_BINS)

# The seed maker of test/fuzz/seeds.sh (plain gcc build over the core library).
$(BUILD)/fuzz/seedcut: test/fuzz/seedcut.c $(BUILD)/libffcore.a
	@mkdir -p $(dir $@)
	$(CORE_CC) $(CORE_CFLAGS) $< $(BUILD)/libffcore.a $(PKG_LIBS) -o $@

.PHONY: fuzz-seedcut
fuzz-seedcut: $(BUILD)/fuzz/seedcut
