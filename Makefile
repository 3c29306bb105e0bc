# schemac - build, generate, test, install.  GNU make.
#   make            runtime library, generator, learning bindings, learnstore
#   make deps       install missing build dependencies (as root or with sudo)
#   make demo       the main job: the learnstore command on a real file
#   make check      every test; ends with "N passed, N failed, N skipped"
#   make bench      benchmarks against raw SQLite (not part of check)
#   make clean      remove build products
# CC, CFLAGS, LDFLAGS, PREFIX and DESTDIR are honoured; B names the build
# folder (CI builds sanitizer runs into a separate one).

CC      ?= cc
CFLAGS  ?= -O2 -g
LDFLAGS ?=
PREFIX  ?= /usr/local
DESTDIR ?=
RE2C    ?= re2c
B       ?= build

STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
ALL_CFLAGS = $(STD) $(CFLAGS) $(SQLITE_CFLAGS)
# Header dependencies come from the compiler: every compile writes the
# headers it read into a .d file beside its output (-MMD; -MP adds an empty
# rule per header so a deleted header does not stop the build), and the .d
# files are included at the end.  Touching a header rebuilds exactly what
# includes it; no rule lists headers by hand.
DEPFLAGS = -MMD -MP -MF $(basename $@).d -MT $@
LIBS    = $(SQLITE_LIBS) -lpthread -lm

RT_SRC  := $(sort $(wildcard runtime/*.c))
RT_OBJ  := $(RT_SRC:%.c=$(B)/%.o)
GEN_SRC := $(sort $(wildcard gen/*.c))
GEN_OBJ := $(GEN_SRC:%.c=$(B)/%.o) $(B)/gen/lexer.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)

LIB     := $(B)/libschemac.a
SCHEMAC := $(B)/schemac
GB      := $(B)/schema
# $(B)/learnstore is the command, so the store's objects go in $(LSO).
LSO     := $(B)/learnstore-obj
LS_SRC  := $(filter-out learnstore/cli.c,$(sort $(wildcard learnstore/*.c)))
LS_OBJ  := $(LS_SRC:learnstore/%.c=$(LSO)/%.o)
LS_LIB  := $(B)/liblearnstore.a
LEARNSTORE := $(B)/learnstore

.PHONY: all deps check-deps demo check clean install bench bench-migrate \
        regen-golden
.SECONDARY:
.DELETE_ON_ERROR:

all: $(LIB) $(SCHEMAC) $(LEARNSTORE)

# deps installs what is missing (apt-get, as root or with sudo); check-deps,
# which check and demo run first, only checks and prints the command.
deps:
	@sh tools/deps.sh --install

check-deps:
	@sh tools/deps.sh

# ---- runtime ------------------------------------------------------------
$(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIB): $(RT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- generator ----------------------------------------------------------
$(B)/gen/lexer.c: gen/lexer.re
	@mkdir -p $(@D)
	$(RE2C) -W --no-version --no-generation-date -o $@ $<

$(B)/gen/lexer.o: $(B)/gen/lexer.c
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Igen -c $< -o $@

$(B)/gen/%.o: gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Igen -c $< -o $@

$(SCHEMAC): $(GEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# ---- generated bindings -------------------------------------------------
# Each schema/NAME.schema (schema NAME inside) compiles into $(B)/schema/.
# The stamp records the run; schemac leaves unchanged outputs untouched, so
# only what depends on a changed output rebuilds.  One rule per output, not
# one pattern rule with three targets: make counts every target of such a
# rule as remade when it runs for one of them, and recompiled learning.o
# whenever schemac ran, though learning.c was left as it was.
$(GB)/%.stamp: schema/%.schema $(SCHEMAC)
	@mkdir -p $(GB)
	$(SCHEMAC) -o $(GB) $<
	@touch $@

$(GB)/%.c: $(GB)/%.stamp ;
$(GB)/%.h: $(GB)/%.stamp ;
$(GB)/%.sql: $(GB)/%.stamp ;

$(GB)/%.o: $(GB)/%.c | $(GB)/%.h
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -c $< -o $@

# ---- the learning store library and its CLI ------------------------------
# The generated header must exist before the first compile, which is when
# the .d files cannot say so yet (order-only: after that they do).
$(LSO)/%.o: learnstore/%.c | $(GB)/learning.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -I$(GB) -c $< -o $@

$(LS_LIB): $(LS_OBJ) $(GB)/learning.o
	@rm -f $@
	$(AR) rcs $@ $^

$(LEARNSTORE): $(LSO)/cli.o $(LS_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

demo: check-deps
	@$(MAKE) --no-print-directory $(LEARNSTORE)
	@sh examples/demo.sh $(LEARNSTORE) $(DEMO_ARGS)

# ---- tests --------------------------------------------------------------
$(B)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -Itests -o $@ $< $(LDFLAGS) \
	    $(LIB) $(LIBS)

# Suites other than the unit tests are scripts tests/<suite>/run.sh that
# print a plan and PASS/FAIL/SKIP lines (tests/suite.sh); they read these
# variables from the environment.  SCHEMAC_NO_SKIP=1 makes every SKIP a
# failure (CI sets it).
SUITES := $(sort $(wildcard tests/*/run.sh))
export B CC CFLAGS LDFLAGS SQLITE_CFLAGS SQLITE_LIBS
export SCHEMAC_BIN := $(abspath $(SCHEMAC))
export SCHEMAC_LIB := $(abspath $(LIB))
export LEARNSTORE_BIN := $(abspath $(LEARNSTORE))
export LEARNSTORE_LIB := $(abspath $(LS_LIB))
export LEARNING_DIR := $(abspath $(GB))

check: check-deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@sh tests/run-suite.sh $(UNIT_BIN) $(SUITES)

regen-golden: $(SCHEMAC)
	@sh tests/golden/run.sh --regen

# Time the learning store's version 14 -> 15 migration (a table rebuild)
# of 100,000 rows, against the same SQL run by raw sqlite3 (not in check).
bench-migrate: $(B)/bench/migrate_rebuild
	$(SCHEMAC) --ddl-version 14 schema/learning.schema >$(B)/bench/learning-v14.sql
	$(B)/bench/migrate_rebuild $(B)/bench/learning-v14.sql $(B)/bench/migrate.db 100000
	@rm -f $(B)/bench/migrate.db $(B)/bench/migrate.db-wal $(B)/bench/migrate.db-shm

$(B)/bench/migrate_rebuild: bench/migrate_rebuild.c $(GB)/learning.o $(LIB) $(SCHEMAC)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -I$(GB) -o $@ $< \
	    $(GB)/learning.o $(LDFLAGS) $(LIB) $(LIBS)

clean:
	rm -rf $(B)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	cp $(LIB) $(DESTDIR)$(PREFIX)/lib/
	cp runtime/schemac.h $(DESTDIR)$(PREFIX)/include/
	cp $(SCHEMAC) $(LEARNSTORE) $(DESTDIR)$(PREFIX)/bin/
	mkdir -p $(DESTDIR)$(PREFIX)/share/man/man1
	cp docs/schemac.1 docs/learnstore.1 $(DESTDIR)$(PREFIX)/share/man/man1/

# ---- benchmarks, soak, fuzzing, valgrind ---------------------------------
#   make bench                  benchmarks (docs/performance.md); BENCH_RUNS
#   make bench-check            fails naming each target of bench/targets.txt
#                               missed (a few minutes; not part of check)
#   make soak                   long crash and concurrency runs
#   make fuzz FUZZ_SECONDS=N    both libFuzzer targets for N seconds each
#   make check-valgrind         unit, reliability and integration tests under
#                               valgrind memcheck (docs/reliability.md)
.PHONY: bench-check soak fuzz check-valgrind
BENCH_RUNS   ?= 5
FUZZ_SECONDS ?= 60
FUZZ_B       ?= build-fuzz
SOAK_KILLS   ?= 200
VALGRIND     ?= valgrind -q --error-exitcode=1 --leak-check=full \
                --errors-for-leak-kinds=definite,indirect,possible

bench: all
	@sh bench/run.sh $(BENCH_RUNS)

bench-check: all
	@sh bench/run.sh --check

soak: all
	@{ CRASH_KILLS=$(SOAK_KILLS) CONC_ARGS="8 20000 4" \
	   sh tests/run-suite.sh tests/crash/run.sh tests/concurrency/run.sh; \
	   echo $$? >$(B)/soak.status; } | tee $(B)/soak.log
	@exit "$$(cat $(B)/soak.status)"

fuzz:
	@sh tests/fuzz/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_B)

check-valgrind: all $(UNIT_BIN)
	@{ TEST_WRAPPER="$(VALGRIND)" CFLAGS="$(CFLAGS) -gdwarf-4" \
	   CRASH_KILLS=10 CRASH_DELAY_SCALE=20 CONC_ARGS="4 200 1" FUZZ_NO_ASAN=1 \
	   sh tests/run-suite.sh $(UNIT_BIN) tests/crash/run.sh \
	     tests/concurrency/run.sh tests/badfiles/run.sh tests/fuzz/run.sh \
	     tests/integ/run.sh tests/queries/run.sh tests/learnstore/run.sh; \
	   echo $$? >$(B)/valgrind.status; } | tee $(B)/valgrind.log
	@exit "$$(cat $(B)/valgrind.status)"

# ---- header dependencies (see DEPFLAGS) ----------------------------------
-include $(RT_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(LS_OBJ:.o=.d) $(LSO)/cli.d \
         $(GB)/learning.d $(UNIT_BIN:=.d) $(B)/bench/migrate_rebuild.d
