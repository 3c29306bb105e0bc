# schemac - build, generate, test, install.  GNU make.
#   make            runtime library, generator, learning bindings, examples
#   make demo       the main job: the learnstore example on a real file
#   make check      every test; ends with "N passed, N failed"
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
LIBS    = $(SQLITE_LIBS) -lpthread -lm

RT_SRC  := $(sort $(wildcard runtime/*.c))
RT_OBJ  := $(RT_SRC:%.c=$(B)/%.o)
GEN_SRC := $(sort $(wildcard gen/*.c))
GEN_OBJ := $(GEN_SRC:%.c=$(B)/%.o) $(if $(wildcard gen/lexer.re),$(B)/gen/lexer.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:%.c=$(B)/%)

LIB     := $(B)/libschemac.a
SCHEMAC := $(B)/schemac

.PHONY: all deps demo check clean install bench regen-golden
.DELETE_ON_ERROR:

all: $(LIB) $(if $(GEN_SRC),$(SCHEMAC))

deps:
	@sh tools/deps.sh

# ---- runtime ------------------------------------------------------------
$(B)/runtime/%.o: runtime/%.c runtime/schemac.h runtime/internal.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(RT_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- generator ----------------------------------------------------------
$(B)/gen/lexer.c: gen/lexer.re
	@mkdir -p $(@D)
	$(RE2C) -W --no-version --no-generation-date -o $@ $<

$(B)/gen/lexer.o: $(B)/gen/lexer.c $(wildcard gen/*.h)
	$(CC) $(ALL_CFLAGS) -Igen -c $< -o $@

$(B)/gen/%.o: gen/%.c $(wildcard gen/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Igen -c $< -o $@

$(SCHEMAC): $(GEN_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# ---- tests --------------------------------------------------------------
$(B)/tests/unit/%: tests/unit/%.c tests/harness.h $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Iruntime -Itests -o $@ $< $(LDFLAGS) $(LIB) $(LIBS)

# Suites other than the unit tests are scripts tests/<suite>/run.sh that
# print PASS/FAIL lines; they read these variables from the environment.
SUITES := $(sort $(wildcard tests/*/run.sh))
export B CC CFLAGS LDFLAGS SQLITE_CFLAGS SQLITE_LIBS
export SCHEMAC_BIN := $(abspath $(SCHEMAC))
export SCHEMAC_LIB := $(abspath $(LIB))

check: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@sh tests/run-suite.sh $(UNIT_BIN) $(SUITES)

clean:
	rm -rf $(B)

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin
	cp $(LIB) $(DESTDIR)$(PREFIX)/lib/
	cp runtime/schemac.h $(DESTDIR)$(PREFIX)/include/
	$(if $(GEN_SRC),cp $(SCHEMAC) $(DESTDIR)$(PREFIX)/bin/)
