# schemac - build, generate, test, install.  GNU make.
#   make            runtime library, generator, learning bindings, learnstore
#   make deps       install missing build dependencies (as root or with sudo)
#   make demo       the main job: the learnstore command on a real file
#   make check      every test; ends with "N passed, N failed, N skipped"
#                   (starts and stops a private PostgreSQL server)
#   make install    PREFIX (/usr/local) and DESTDIR; make uninstall undoes it
#   make docs       docs/learning.md and .svg from the learning schema
#   make bench      benchmarks against raw SQLite, hand-written libpq (a
#                   private PostgreSQL server) and the Python store's
#                   access pattern (not part of check)
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
# PostgreSQL support (on by default; make PG=0 builds without it): schemac
# reads the schema's SQL with PostgreSQL's own parser, libpg_query, for
# --dialect postgresql, and libschemac opens PostgreSQL databases through
# libpq (runtime/pg.c; runtime/nopg.c refuses them without it).
# docs/postgresql.md.  Switching PG needs make clean.
PG      ?= 1
ifeq ($(PG),1)
GEN_PG_CFLAGS := -DSCHEMAC_PG_QUERY
GEN_PG_LIBS   := -lpg_query
PQ_CFLAGS     := -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
PQ_LIBS       := -lpq
RT_OMIT       := runtime/nopg.c
else
RT_OMIT       := runtime/pg.c
endif
# What a program linking libschemac.a needs besides it.
SC_LIBS := $(SQLITE_LIBS) $(PQ_LIBS)
# libpq by name, not by its .pc, whose private libraries (pgcommon,
# pgport) only a static link of libpq itself wants.
PC_LIBS_PRIVATE := $(PQ_LIBS)
CMAKE_STATIC_LIBS := sqlite3;$(if $(PQ_LIBS),pq;)pthread;m
LIBS    = $(SC_LIBS) -lpthread -lm

RT_SRC  := $(filter-out $(RT_OMIT),$(sort $(wildcard runtime/*.c)))
RT_OBJ  := $(RT_SRC:%.c=$(B)/%.o)
GEN_SRC := $(sort $(wildcard gen/*.c))
# What schemac and the learnstore command share (common/wholefile.c).
COMMON_OBJ := $(patsubst %.c,$(B)/%.o,$(sort $(wildcard common/*.c)))
GEN_OBJ := $(GEN_SRC:%.c=$(B)/%.o) $(B)/gen/lexer.o $(COMMON_OBJ) \
           $(B)/runtime/utf8.o
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
# The store as one shared library for Python (ctypes) to load: the store,
# its bindings and the runtime compiled position-independent, only ls_*
# and sc_* exported (learnstore/liblearnstore.map).
LS_PIC_OBJ := $(LS_SRC:learnstore/%.c=$(B)/learnstore-pic/%.o) \
              $(B)/learnstore-pic/learning.o
LS_SHLIB := $(B)/liblearnstore.so
PYDIR   := $(B)/python
PY_SRC  := $(sort $(wildcard python/learnstore/*.py))

# One version for everything, read from runtime/schemac.h.  SOVERSION,
# the number in the shared library's soname, is raised with each change
# that breaks programs linked against an older libschemac.so.
version_part = $(shell sed -n 's/^[#]define SCHEMAC_VERSION_$(1) //p' \
                 runtime/schemac.h)
VERSION_MAJOR := $(call version_part,MAJOR)
VERSION_MINOR := $(call version_part,MINOR)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(call version_part,PATCH)
SOVERSION := 0
SHLIB   := $(B)/libschemac.so.$(VERSION)
RT_PIC_OBJ := $(RT_SRC:runtime/%.c=$(B)/runtime-pic/%.o)

.PHONY: all deps check-deps build-deps demo example check clean install \
        uninstall docs bench bench-migrate \
        regen-golden python
.SECONDARY:
.DELETE_ON_ERROR:

all: $(LIB) $(SHLIB) $(SCHEMAC) $(LEARNSTORE)

# deps installs what is missing (apt-get, as root or with sudo); check-deps
# (what make check needs) and build-deps (what make and make demo need),
# which check and demo run first, only check and print the command, unless
# DEPS=install is given (or CI=true as root).  CC and RE2C are the ones
# checked.
DEPS ?=
DEPS_ENV = CC="$(CC)" RE2C="$(RE2C)" DEPS="$(DEPS)" PG="$(PG)"
deps:
	@$(DEPS_ENV) sh tools/deps.sh check --install

check-deps:
	@$(DEPS_ENV) sh tools/deps.sh check

build-deps:
	@$(DEPS_ENV) sh tools/deps.sh build

# ---- runtime ------------------------------------------------------------
$(B)/runtime/%.o: runtime/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PQ_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIB): $(RT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The shared library: the same sources compiled position-independent, only
# the public sc_* names exported (runtime/libschemac.map).
$(B)/runtime-pic/%.o: runtime/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(PQ_CFLAGS) -fPIC $(DEPFLAGS) -c $< -o $@

$(SHLIB): $(RT_PIC_OBJ) runtime/libschemac.map
	$(CC) $(CFLAGS) $(LDFLAGS) -shared \
	    -Wl,-soname,libschemac.so.$(SOVERSION) \
	    -Wl,--version-script=runtime/libschemac.map -o $@ $(RT_PIC_OBJ) \
	    $(SC_LIBS)

# ---- generator ----------------------------------------------------------
$(B)/gen/lexer.c: gen/lexer.re
	@mkdir -p $(@D)
	$(RE2C) -W --no-version --no-generation-date -o $@ $<

$(B)/gen/lexer.o: $(B)/gen/lexer.c
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Igen -c $< -o $@

$(B)/gen/%.o: gen/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(GEN_PG_CFLAGS) $(DEPFLAGS) -Igen -c $< -o $@

$(B)/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(SCHEMAC): $(GEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(GEN_PG_LIBS) $(LIBS)

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

$(LEARNSTORE): $(LSO)/cli.o $(COMMON_OBJ) $(LS_LIB) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The shared library of the store, for the Python package.
$(B)/learnstore-pic/%.o: learnstore/%.c | $(GB)/learning.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC $(DEPFLAGS) -Iruntime -I$(GB) -c $< -o $@

$(B)/learnstore-pic/learning.o: $(GB)/learning.c | $(GB)/learning.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC $(DEPFLAGS) -Iruntime -c $< -o $@

$(LS_SHLIB): $(LS_PIC_OBJ) $(RT_PIC_OBJ) learnstore/liblearnstore.map
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -Wl,-soname,liblearnstore.so \
	    -Wl,--version-script=learnstore/liblearnstore.map -o $@ \
	    $(LS_PIC_OBJ) $(RT_PIC_OBJ) $(SC_LIBS) -lm

# make python: the package learnstore (python/learnstore/, ctypes over
# liblearnstore.so) in $(B)/python, the library beside its modules, so
# PYTHONPATH=$(B)/python finds it (docs/python.md).
python: $(PY_SRC:python/%=$(PYDIR)/%) $(PYDIR)/learnstore/liblearnstore.so

$(PYDIR)/learnstore/%.py: python/learnstore/%.py
	@mkdir -p $(@D)
	cp $< $@

$(PYDIR)/learnstore/liblearnstore.so: $(LS_SHLIB)
	@mkdir -p $(@D)
	cp $< $@

# make demo runs on a scratch database in the build folder, unless
# LEARNSTORE_DB (on the command line or in the environment) names another
# file: it never touches the Python store's real database unless told to.
DEMO_DB = $(or $(LEARNSTORE_DB),$(B)/demo/global-learning.db)
demo: build-deps
	@$(MAKE) --no-print-directory $(LEARNSTORE)
	@sh examples/demo.sh $(LEARNSTORE) "$(DEMO_DB)" $(DEMO_ARGS)

# make example: the README's notes example, generated, built and run on a
# scratch database in the build folder.
EX      := $(B)/examples/notes
example: $(EX)/notes
	@rm -f $(EX)/notes.db $(EX)/notes.db-wal $(EX)/notes.db-shm
	$(EX)/notes $(EX)/notes.db

$(EX)/notes.stamp: examples/notes/notes.schema $(SCHEMAC)
	@mkdir -p $(EX)
	$(SCHEMAC) -o $(EX) examples/notes/notes.schema
	@touch $@

$(EX)/notes.c $(EX)/notes.h: $(EX)/notes.stamp ;

$(EX)/notes: examples/notes/notes.c $(EX)/notes.c $(EX)/notes.h $(LIB)
	$(CC) $(ALL_CFLAGS) -Iruntime -I$(EX) -o $@ examples/notes/notes.c \
	    $(EX)/notes.c $(LDFLAGS) $(LIB) $(LIBS)

# ---- tests --------------------------------------------------------------
$(B)/tests/unit/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -Itests -o $@ $< $(LDFLAGS) \
	    $(LIB) $(LIBS)

# Suites other than the unit tests are scripts tests/<suite>/run.sh that
# print a plan and PASS/FAIL/SKIP lines (tests/suite.sh); they read these
# variables from the environment.  SCHEMAC_NO_SKIP=1 makes every SKIP a
# failure (CI sets it).
# Mutation testing takes far longer and runs only from `make mutate`.
SUITES := $(filter-out tests/mutate/run.sh,$(sort $(wildcard tests/*/run.sh)))
export B CC CFLAGS LDFLAGS SQLITE_CFLAGS SQLITE_LIBS SC_LIBS PQ_CFLAGS GEN_PG_LIBS PG
export SCHEMAC_BIN := $(abspath $(SCHEMAC))
export SCHEMAC_LIB := $(abspath $(LIB))
export LEARNSTORE_BIN := $(abspath $(LEARNSTORE))
export LEARNSTORE_LIB := $(abspath $(LS_LIB))
export LEARNING_DIR := $(abspath $(GB))
export LEARNSTORE_PYTHON := $(abspath $(PYDIR))

# One private PostgreSQL server (tests/pg/with-server.sh) for the whole
# run, stopped afterwards even when a suite fails or make is interrupted;
# without one the PostgreSQL suites skip and say why.
check: check-deps
	@$(MAKE) --no-print-directory all python $(UNIT_BIN)
	@sh tests/pg/with-server.sh sh tests/run-suite.sh $(UNIT_BIN) $(SUITES)

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

# ---- documentation of the learning schema ---------------------------------
# docs/learning.md and docs/learning.svg are written by schemac --emit docs
# and --emit dot (rendered by Graphviz's dot) and kept in the repository;
# make check fails when the Markdown is not what the schema gives now.
docs: $(SCHEMAC)
	$(SCHEMAC) --emit docs schema/learning.schema >docs/learning.md.tmp
	mv docs/learning.md.tmp docs/learning.md
	$(SCHEMAC) --emit dot schema/learning.schema >$(B)/learning.dot
	dot -Tsvg $(B)/learning.dot -o docs/learning.svg

# ---- install -------------------------------------------------------------
# Everything a user's build needs (docs/layout.md): the commands, both
# libraries, the header, the pkg-config file, the make fragment, the CMake
# package, man pages, the documentation and the editor files.  The files
# of dist/ get the install paths written into them.
BINDIR       ?= $(PREFIX)/bin
LIBDIR       ?= $(PREFIX)/lib
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
DOCDIR       ?= $(DATADIR)/doc/schemac
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR     ?= $(LIBDIR)/cmake/schemac
VIMDIR       ?= $(DATADIR)/vim/vimfiles
# Debian's python3 looks in $(PREFIX)/lib/python3/dist-packages.
PYTHONDIR    ?= $(PREFIX)/lib/python3/dist-packages
INSTALL      ?= install
DOC_FILES    := README.md CHANGELOG.md $(sort $(wildcard docs/*.md)) \
                docs/learning.svg
EXAMPLES     := notes pkgconfig make cmake
SUBST = sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
            -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
            -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
            -e 's|@VERSION_MAJOR@|$(VERSION_MAJOR)|g' \
            -e 's|@VERSION_MINOR@|$(VERSION_MINOR)|g' \
            -e 's|@SOVERSION@|$(SOVERSION)|g' \
            -e 's|@SC_LIBS@|$(SC_LIBS)|g' \
            -e 's|@PC_LIBS_PRIVATE@|$(PC_LIBS_PRIVATE)|g' \
            -e 's|@CMAKE_STATIC_LIBS@|$(CMAKE_STATIC_LIBS)|g'
D = $(DESTDIR)

install: all python
	$(INSTALL) -d $(D)$(BINDIR) $(D)$(LIBDIR) $(D)$(INCLUDEDIR) \
	    $(D)$(PKGCONFIGDIR) $(D)$(CMAKEDIR) $(D)$(DATADIR)/schemac \
	    $(D)$(MANDIR)/man1 $(D)$(MANDIR)/man3 $(D)$(MANDIR)/man5 \
	    $(D)$(VIMDIR)/syntax $(D)$(VIMDIR)/ftdetect \
	    $(D)$(PYTHONDIR)/learnstore
	$(INSTALL) -m 755 $(SCHEMAC) $(LEARNSTORE) $(D)$(BINDIR)/
	$(INSTALL) -m 644 $(LIB) $(D)$(LIBDIR)/
	$(INSTALL) -m 755 $(SHLIB) $(D)$(LIBDIR)/
	ln -sf libschemac.so.$(VERSION) $(D)$(LIBDIR)/libschemac.so.$(SOVERSION)
	ln -sf libschemac.so.$(SOVERSION) $(D)$(LIBDIR)/libschemac.so
	$(INSTALL) -m 644 runtime/schemac.h $(D)$(INCLUDEDIR)/
	$(INSTALL) -m 644 $(PY_SRC) $(D)$(PYTHONDIR)/learnstore/
	$(INSTALL) -m 755 $(PYDIR)/learnstore/liblearnstore.so \
	    $(D)$(PYTHONDIR)/learnstore/
	$(SUBST) dist/schemac.pc.in >$(D)$(PKGCONFIGDIR)/schemac.pc
	$(SUBST) dist/schemac.mk.in >$(D)$(DATADIR)/schemac/schemac.mk
	$(SUBST) dist/schemacConfig.cmake.in >$(D)$(CMAKEDIR)/schemacConfig.cmake
	$(SUBST) dist/schemacConfigVersion.cmake.in \
	    >$(D)$(CMAKEDIR)/schemacConfigVersion.cmake
	$(INSTALL) -m 644 editors/schemac.tmLanguage.json $(D)$(DATADIR)/schemac/
	$(INSTALL) -m 644 editors/vim/syntax/schemac.vim $(D)$(VIMDIR)/syntax/
	$(INSTALL) -m 644 editors/vim/ftdetect/schemac.vim $(D)$(VIMDIR)/ftdetect/
	$(INSTALL) -m 644 docs/schemac.1 docs/learnstore.1 $(D)$(MANDIR)/man1/
	$(INSTALL) -m 644 docs/libschemac.3 $(D)$(MANDIR)/man3/
	$(INSTALL) -m 644 docs/schemac.5 $(D)$(MANDIR)/man5/
	$(INSTALL) -d $(D)$(DOCDIR) $(EXAMPLES:%=$(D)$(DOCDIR)/examples/%)
	$(INSTALL) -m 644 $(DOC_FILES) $(D)$(DOCDIR)/
	for e in $(EXAMPLES); do \
	    $(INSTALL) -m 644 $$(find examples/$$e -maxdepth 1 -type f) \
	        $(D)$(DOCDIR)/examples/$$e/ || exit 1; \
	done

# Removes what install put there, and the folders only schemac uses.
uninstall:
	rm -f $(D)$(BINDIR)/schemac $(D)$(BINDIR)/learnstore \
	    $(D)$(LIBDIR)/libschemac.a $(D)$(LIBDIR)/libschemac.so \
	    $(D)$(LIBDIR)/libschemac.so.$(SOVERSION) \
	    $(D)$(LIBDIR)/libschemac.so.$(VERSION) \
	    $(D)$(INCLUDEDIR)/schemac.h $(D)$(PKGCONFIGDIR)/schemac.pc \
	    $(D)$(VIMDIR)/syntax/schemac.vim $(D)$(VIMDIR)/ftdetect/schemac.vim \
	    $(D)$(MANDIR)/man1/schemac.1 $(D)$(MANDIR)/man1/learnstore.1 \
	    $(D)$(MANDIR)/man3/libschemac.3 $(D)$(MANDIR)/man5/schemac.5
	rm -rf $(D)$(CMAKEDIR) $(D)$(DATADIR)/schemac $(D)$(DOCDIR) \
	    $(D)$(PYTHONDIR)/learnstore

# ---- benchmarks, soak, fuzzing, valgrind ---------------------------------
#   make bench                  benchmarks (docs/performance.md); BENCH_RUNS,
#                               BENCH_ONLY (table 9: PostgreSQL, skipped
#                               saying why without PG or a server)
#   make bench-check            fails naming each target of bench/targets.txt
#                               missed (a few minutes; not part of check)
#   make soak                   long crash and concurrency runs
#   make fuzz FUZZ_SECONDS=N    both libFuzzer targets for N seconds each
#   make check-valgrind         unit, reliability and integration tests under
#                               valgrind memcheck (docs/reliability.md)
#   make mutate                 mutation testing: tests/mutate/mutations.txt
#                               one at a time in a scratch copy of the tree
#                               (docs/reliability.md; not part of check)
.PHONY: bench-check bench-python soak fuzz check-valgrind mutate
BENCH_RUNS   ?= 5
PYTHON3      ?= python3
FUZZ_SECONDS ?= 60
FUZZ_B       ?= build-fuzz
SOAK_KILLS   ?= 200
VALGRIND     ?= valgrind -q --error-exitcode=1 --leak-check=full \
                --errors-for-leak-kinds=definite,indirect,possible

bench: all
	@sh bench/run.sh $(BENCH_RUNS)

bench-check: all
	@sh bench/run.sh --check

# The Python package against the Python store's access pattern, per
# operation (docs/performance.md table 8); BENCH_PY_ARGS=--check fails on
# a missed target.
BENCH_PY_RUNS ?= 3
bench-python: all python $(B)/bench/bench_ls $(B)/bench/_lsprobe.so
	@PYTHONPATH=$(PYDIR) $(PYTHON3) bench/bench_python.py \
	    $(B)/bench/bench_ls bench/ls_python.py $(BENCH_PY_RUNS) \
	    $(BENCH_PY_ARGS)
	@PYTHONPATH=$(PYDIR):$(B)/bench $(PYTHON3) bench/bench_pyext.py

# The ctypes comparison's extension module (bench/pyext_probe.c); needs
# the headers of $(PYTHON3) (python3-dev).
$(B)/bench/_lsprobe.so: bench/pyext_probe.c $(PYDIR)/learnstore/liblearnstore.so
	@mkdir -p $(@D)
	@inc=$$($(PYTHON3) -c 'import sysconfig; print(sysconfig.get_paths()["include"])'); \
	if [ ! -f "$$inc/Python.h" ]; then \
	    echo "no Python.h for $(PYTHON3): apt-get install -y python3-dev" >&2; \
	    exit 1; \
	fi; \
	echo "$(CC) -shared -fPIC ... -o $@"; \
	$(CC) -std=gnu11 $(CFLAGS) -Wall -Wextra -shared -fPIC -I"$$inc" \
	    -Ilearnstore -Iruntime -I$(GB) -o $@ $< \
	    $(PYDIR)/learnstore/liblearnstore.so \
	    -Wl,-rpath,$(abspath $(PYDIR)/learnstore) $(LDFLAGS)

$(B)/bench/bench_ls: bench/bench_ls.c $(LS_LIB) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -Iruntime -Ilearnstore -I$(GB) -o $@ \
	    $< $(LS_LIB) $(LDFLAGS) $(LIB) $(LIBS)

soak: all
	@{ CRASH_KILLS=$(SOAK_KILLS) CONC_ARGS="8 20000 4" \
	   sh tests/run-suite.sh tests/crash/run.sh tests/concurrency/run.sh; \
	   echo $$? >$(B)/soak.status; } | tee $(B)/soak.log
	@exit "$$(cat $(B)/soak.status)"

fuzz:
	@sh tests/fuzz/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_B)

mutate:
	@sh tests/mutate/run.sh

check-valgrind: all $(UNIT_BIN)
	@{ TEST_WRAPPER="$(VALGRIND)" CFLAGS="$(CFLAGS) -gdwarf-4" \
	   CRASH_KILLS=10 CRASH_DELAY_SCALE=20 CONC_ARGS="4 200 1" FUZZ_NO_ASAN=1 \
	   REPLAY_TIMEOUT=120 \
	   sh tests/pg/with-server.sh sh tests/run-suite.sh $(UNIT_BIN) \
	     tests/crash/run.sh tests/concurrency/run.sh tests/badfiles/run.sh \
	     tests/fuzz/run.sh tests/integ/run.sh tests/queries/run.sh \
	     tests/learnstore/run.sh tests/pgruntime/run.sh; \
	   echo $$? >$(B)/valgrind.status; } | tee $(B)/valgrind.log
	@exit "$$(cat $(B)/valgrind.status)"

# ---- header dependencies (see DEPFLAGS) ----------------------------------
-include $(RT_OBJ:.o=.d) $(RT_PIC_OBJ:.o=.d) $(GEN_OBJ:.o=.d) \
         $(LS_OBJ:.o=.d) $(LS_PIC_OBJ:.o=.d) $(LSO)/cli.d $(GB)/learning.d $(UNIT_BIN:=.d) \
         $(B)/bench/migrate_rebuild.d $(B)/bench/bench_ls.d
