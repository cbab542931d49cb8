# plumb: GNU make + pkg-config.  Plain make keeps the build readable and fast
# on two cores; pkg-config finds the Debian libraries.  See README.md.

CC      ?= cc
PKGS    := sqlite3 libpq libsodium libcrypto libcjson yaml-0.1 libcurl libzstd gsl libmicrohttpd
VERSION := 0.1.0

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wvla -Wformat=2
BASEFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L $(WARN) \
             -Isrc -include src/base/prelude.h -DPLUMB_VERSION='"$(VERSION)"' -MMD -MP
# libpq, libcurl and libmicrohttpd are not linked but loaded on first use (src/base/dynlib.h),
# by the soname of the library built against: with the thirty libraries they bring, they
# cost every command about 13 ms at start (16 under ASan), and most commands use none.
LAZY_PKGS := libpq libcurl libmicrohttpd
soname = $(shell objdump -p "$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(1).so" 2>/dev/null | \
           awk '/SONAME/ { print $$2 }')
LAZY_DEFS := $(foreach p,$(LAZY_PKGS),$(if $(call soname,$(p)),\
               -DPLUMB_$(shell echo $(p) | tr a-z A-Z)='"$(call soname,$(p))"'))
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(LAZY_DEFS)
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null) -lm -ldl

MODE ?= release
LINKFLAGS :=
ifeq ($(MODE),asan)
  # UBSan's checks trap (ud2) instead of calling libubsan: GCC gave each of their 29,000
  # sites a data object, which ASan then instrumented as a global (two thirds of the
  # binary's 43,600), registering each at every start: 63 against 54 ms a command
  # (docs/PERFORMANCE.md, "The test suite"). ASan reports the trap with its stack
  # (handle_sigill=1, src/base/leakcheck.c): the file and line of the undefined behaviour.
  OPTFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
              -fsanitize-undefined-trap-on-error
  # The suite starts the ASan binary thousands of times, and on a VM every page fault
  # counts: a PIE binary has 150,000 relocations to write at each start.
  LINKFLAGS := -no-pie
  # The ASan plumb links the archives of the libraries where Debian ships them (not libm,
  # not libdl): each shared library costs a start its mappings, relocations and the
  # sanitizer's record of it, in page faults (2,384 against 2,093 for `plumb person list`,
  # docs/PERFORMANCE.md, "The test suite"). Not the unit programs, each run once a suite,
  # whose links the archives made slower. Release builds link the shared libraries, as a
  # package would. An archive is looked for where pkg-config says the library is (-L),
  # then where the compiler looks.
  PKG_L := $(shell pkg-config --libs $(filter-out $(LAZY_PKGS),$(PKGS)) 2>/dev/null)
  archive_of = $(firstword $(wildcard $(patsubst -L%,%/lib$(1).a,$(filter -L%,$(PKG_L)))) \
                 $(filter /%,$(shell $(CC) -print-file-name=lib$(1).a)))
  PLUMB_LIBS := $(foreach w,$(PKG_L),$(if $(filter-out -lm -ldl,$(filter -l%,$(w))),\
                  $(or $(call archive_of,$(w:-l%=%)),$(w)),$(w))) -lm -ldl -pthread
else ifeq ($(MODE),fuzz)
  # clang takes a literal split over lines in an array of strings for a missing comma
  # (-Wstring-concatenation, which gcc has not): plumb's messages are split so on purpose.
  OPTFLAGS := -O1 -g -fno-omit-frame-pointer -Wno-string-concatenation $(OPTFLAGS_EXTRA)
else
  OPTFLAGS := -O2 -g
endif
BUILD := build/$(MODE)
# run, test and bench build with every core unless make was given -j itself (both modes
# of a clean clone: 70 s on two cores, docs/PERFORMANCE.md). JOBS=1 builds serially.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SUBMAKE = $(MAKE) --no-print-directory $(if $(filter -j%,$(MAKEFLAGS)),,-j$(JOBS))

# Everything but main.c goes into libplumb.a, so unit tests can reach the
# command tables too.
LIB_SRC  := $(sort $(wildcard src/base/*.c src/store/*.c src/core/*.c src/ingest/*.c src/metrics/*.c src/govern/*.c src/review/*.c src/calibrate/*.c src/demo/*.c src/server/*.c) \
              $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
CLI_SRC  := src/cli/main.c
# The example files the demo loads, built into the binary (scripts/embed).
DEMO_EXAMPLES := examples/framework.yaml examples/metrics/reviews-given.yaml \
                 examples/metrics/prs-merged.yaml examples/slo/availability.yaml \
                 examples/slo/latency.yaml
GEN_SRC  := build/gen/demo_examples.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/demo_examples.o
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
REPLAY_BIN := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/tests/replay_%)

# Every object depends on the flags it was built with: a changed flag (a pull of this
# Makefile, CC=...) rebuilds them instead of linking objects built for other ones.
FLAGS_NOW := $(CC) $(BASEFLAGS) $(OPTFLAGS) $(LINKFLAGS)
ifneq ($(FLAGS_NOW),$(file <$(BUILD)/flags))
  $(shell mkdir -p $(BUILD))
  $(file >$(BUILD)/flags,$(FLAGS_NOW))
endif
# And plumb on the libraries it links (relinked, not rebuilt, when they change), among them
# the archives the ASan build links, so an upgraded one is linked in.
ifneq ($(MODE),asan)
  PLUMB_LIBS = $(PKG_LIBS)
endif
ifneq ($(PLUMB_LIBS),$(file <$(BUILD)/libs))
  $(shell mkdir -p $(BUILD))
  $(file >$(BUILD)/libs,$(PLUMB_LIBS))
endif

.PHONY: all build run test unit fuzz bench lint format format-check deps clean help
.DEFAULT_GOAL := all

all: plumb

help:
	@echo "make            build ./plumb (release)"
	@echo "make run        install dependencies, build, create the demo and show what to try"
	@echo "make test       install dependencies, build with ASan+UBSan, run the whole suite"
	@echo "make bench      run the benchmarks (figures go to docs/PERFORMANCE.md)"
	@echo "make fuzz       libFuzzer over each parser (clang), FUZZ_SECONDS each"
	@echo "make lint       clang-format check, then cppcheck over src/"
	@echo "make format     clang-format src/ and tests/"

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(BASEFLAGS) $(OPTFLAGS) $(PKG_CFLAGS) -c $< -o $@

# dl_iterate_phdr and struct dl_phdr_info are GNU extensions.
$(BUILD)/src/base/leakcheck.o: BASEFLAGS += -D_GNU_SOURCE

# And on the list itself: a file added to it (found adding the SLO examples) regenerates.
ifneq ($(DEMO_EXAMPLES),$(file <build/gen/examples))
  $(shell mkdir -p build/gen)
  $(file >build/gen/examples,$(DEMO_EXAMPLES))
endif
$(GEN_SRC): scripts/embed $(DEMO_EXAMPLES) build/gen/examples
	@mkdir -p $(dir $@)
	@echo "  GEN $@"
	@scripts/embed $(DEMO_EXAMPLES) >$@.tmp && mv -f $@.tmp $@

$(BUILD)/gen/%.o: build/gen/%.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(BASEFLAGS) $(OPTFLAGS) $(PKG_CFLAGS) -c $< -o $@

$(BUILD)/libplumb.a: $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/plumb: $(CLI_OBJ) $(BUILD)/libplumb.a $(BUILD)/flags $(BUILD)/libs $(filter /%.a,$(PLUMB_LIBS))
	@echo "  LINK $@"
	@$(CC) $(OPTFLAGS) $(LINKFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libplumb.a $(PLUMB_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libplumb.a $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  TEST $<"
	@$(CC) $(BASEFLAGS) $(OPTFLAGS) $(LINKFLAGS) $(PKG_CFLAGS) $(shell pkg-config --cflags cmocka) \
	  $< -o $@ $(BUILD)/libplumb.a $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# Each fuzz target also builds with gcc as a corpus replayer for `make test`.
$(BUILD)/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(BUILD)/libplumb.a $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  REPLAY $<"
	@$(CC) $(BASEFLAGS) $(OPTFLAGS) $(LINKFLAGS) $(PKG_CFLAGS) $< tests/fuzz/replay.c -o $@ \
	  $(BUILD)/libplumb.a $(PKG_LIBS)

build: $(BUILD)/plumb

plumb: $(BUILD)/plumb
	@cp $< $@.tmp && mv -f $@.tmp $@ # a running server keeps its old copy

unit: $(UNIT_BIN) $(REPLAY_BIN)

# libFuzzer over each parser (clang); what it finds goes into the corpus,
# which `make test` replays.  FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz: deps
	@command -v clang >/dev/null || { echo "make fuzz needs clang (apt-get install clang)"; exit 1; }
	@$(MAKE) --no-print-directory MODE=fuzz CC=clang \
	  OPTFLAGS_EXTRA="-fsanitize=fuzzer-no-link,address,undefined" build/fuzz/libplumb.a
	@for t in $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%); do \
	  clang $(BASEFLAGS) -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) \
	    tests/fuzz/fuzz_$$t.c -o build/fuzz/fuzz_$$t build/fuzz/libplumb.a $(PKG_LIBS) || exit 1; \
	  echo "== fuzz $$t ($(FUZZ_SECONDS) s)"; \
	  build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    tests/fuzz/corpus/$$t || exit 1; \
	done

run: deps
	@$(SUBMAKE) plumb
	@scripts/demo

test: deps
	@scripts/install-test-deps
	@$(SUBMAKE) MODE=asan build unit
	@$(SUBMAKE) MODE=release build
	@tests/run

bench: deps
	@$(SUBMAKE) MODE=release build
	@bench/run

lint: format-check
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --std=c11 --inline-suppr -Isrc \
	  --suppress=missingIncludeSystem src

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h)

format-check:
	clang-format --dry-run --Werror $(wildcard src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h)

clean:
	rm -rf build plumb

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
