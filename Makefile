# mvd: the mvdc compiler (and, later, the mvrun runtime).
#
#   make            build bin/mvdc
#   make quickstart install, build, compile examples/ and apply the plan to embedded chDB
#   make deps       install every Debian package the build and the tests need
#   make test       run every test; ends with the line `N passed, N failed`
#   make bench      generate 1k/10k/100k-object projects and time mvdc
#   make install    PREFIX=/usr/local by default

CC       ?= cc
PREFIX   ?= /usr/local
RE2C     ?= re2c
LEMON    ?= lemon
LEMPAR   ?= /usr/share/lemon/lempar.c

STD      := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Generated code gets the same -Werror, without the prototype rules that
# Lemon's and re2c's output was not written for.
GENWARN  := -Wall -Wextra -Werror -Wno-unused-parameter -Wno-unused-variable
OPT      ?= -O2 -g
CFLAGS_ALL = $(STD) $(OPT) -Icompiler -Icommon -Icommon/transport -Ibuild/gen
# mvdc parses files on several threads (compiler/parse_files.c).
LIBS     := -lcrypto -pthread

GEN      := build/gen
# Each object's header dependencies, written by the compiler beside it
# (build/*/…/*.d, included below): touching a header rebuilds exactly the
# objects that include it.
DEPFLAGS := -MMD -MP
# compiler/: one folder a phase (compiler/README.md); main.c on top.
COMPILER_SRC := $(filter-out compiler/main.c,$(wildcard compiler/*.c compiler/*/*.c))
# common/: what both programs link (SHA-256, ...); neither includes the other's files.
COMMON_SRC := $(wildcard common/*.c)
# common/transport/: talking to a server (HTTP with libcurl, chDB). mvrun's,
# and `mvdc import --url`'s; only compiler/import/server.c calls it
# (tests/layers/run.sh), so that check and build stay off the network.
TRANSPORT_SRC := $(wildcard common/transport/*.c)
TRANSPORT_LIBS := -lcurl -ldl
GEN_SRC  := $(GEN)/lexer.c $(GEN)/parser.c $(GEN)/stdlib_data.c
STDLIB   := $(sort $(wildcard stdlib/*.mvd stdlib/*/*.mvd))
GEN_HDR  := $(GEN)/parser.h $(GEN)/token_names.h

.PHONY: all deps test bench install clean fuzz asan quickstart FORCE
all: bin/mvdc

# ---- Generated lexer and parser -------------------------------------------

$(GEN)/parser.c $(GEN)/parser.h: grammar/parser.y
	@mkdir -p $(GEN)
	$(LEMON) -T$(LEMPAR) -d$(GEN) -s grammar/parser.y > $(GEN)/lemon.log 2>&1 || { cat $(GEN)/lemon.log; exit 1; }
	@if grep -q "parsing conflict" $(GEN)/lemon.log; then cat $(GEN)/lemon.log; rm -f $(GEN)/parser.c; exit 1; fi
	@touch $(GEN)/parser.c $(GEN)/parser.h # Lemon keeps an unchanged header's old time

$(GEN)/token_names.h: $(GEN)/parser.h
	{ echo '/* Generated from parser.h: keyword token codes to their spelling. */'; \
	  echo 'static const char *const token_names[] = {'; \
	  sed -n 's/^#define TK_\([A-Z_]*\) *\([0-9]*\)$$/  [\2] = "'"'"'\1'"'"'",/p' $< | tr 'A-Z' 'a-z'; \
	  echo '};'; } > $@

# The list of library files, rewritten only when it changes: a file deleted
# or moved leaves the others older than stdlib_data.c, and the list is what
# notices.
$(GEN)/stdlib.list: FORCE
	@mkdir -p $(GEN)
	@echo $(STDLIB) | cmp -s - $@ || echo $(STDLIB) > $@

$(GEN)/stdlib_data.c: $(STDLIB) stdlib/embed.sh $(GEN)/stdlib.list
	@mkdir -p $(GEN)
	sh stdlib/embed.sh $(STDLIB) > $@

$(GEN)/lexer.c: grammar/lexer.re $(GEN)/parser.h
	@mkdir -p $(GEN)
	$(RE2C) -W --no-generation-date --no-version -o $@ $<

# ---- Objects: one tree per build flavour ----------------------------------
# build/release (bin/mvdc), build/asan (sanitizers), build/fuzz (libFuzzer)

define flavour
$(1)_OBJ := $$(patsubst compiler/%.c,build/$(1)/%.o,$$(COMPILER_SRC)) \
            $$(patsubst $(GEN)/%.c,build/$(1)/gen_%.o,$$(GEN_SRC)) \
            $$(patsubst common/%.c,build/$(1)/common/%.o,$$(COMMON_SRC))
build/$(1)/common/%.o: common/%.c
	@mkdir -p $$(@D)
	$$(CC) $(STD) $(OPT) -Icommon -Icommon/transport $(2) $$(WARN) $(DEPFLAGS) -c -o $$@ $$<
build/$(1)/libcommon.a: $$(patsubst common/%.c,build/$(1)/common/%.o,$$(COMMON_SRC))
	rm -f $$@
	ar rcs $$@ $$^
build/$(1)/libtransport.a: $$(patsubst common/%.c,build/$(1)/common/%.o,$$(TRANSPORT_SRC))
	rm -f $$@
	ar rcs $$@ $$^
build/$(1)/%.o: compiler/%.c | $$(GEN_HDR)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_ALL) $(2) $$(WARN) $(DEPFLAGS) -c -o $$@ $$<
build/$(1)/gen_%.o: $(GEN)/%.c | $$(GEN_HDR)
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS_ALL) $(2) $$(GENWARN) $$(GENFLAGS_$(1)) $(DEPFLAGS) -c -o $$@ $$<
build/$(1)/libmvdc.a: $$($(1)_OBJ)
	rm -f $$@ # anew: a renamed source must not leave its old member behind
	ar rcs $$@ $$^
endef

SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# Lemon's parser without its tracing hooks and asserts in release builds:
# they cost a tenth of parsing, and the sanitizer build keeps them.
GENFLAGS_release := -DNDEBUG
$(eval $(call flavour,release,))
$(eval $(call flavour,asan,$(SAN)))

# mvrun's runtime: so far its transports (HTTP with libcurl, chDB).
include runtime/runtime.mk

bin/mvdc: build/release/main.o build/release/libmvdc.a build/release/libtransport.a build/release/libcommon.a
	@mkdir -p bin
	$(CC) $(OPT) -o $@ $^ $(LIBS) $(TRANSPORT_LIBS)

build/asan/mvdc: build/asan/main.o build/asan/libmvdc.a build/asan/libtransport.a build/asan/libcommon.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS) $(TRANSPORT_LIBS)

asan: build/asan/mvdc build/asan/parse_corpus build/asan/unit_tests

# ---- Test programs --------------------------------------------------------

build/%/parse_corpus: tests/unit/parse_corpus.c build/%/libmvdc.a
	$(CC) $(CFLAGS_ALL) $(if $(filter asan,$*),$(SAN)) $(WARN) -o $@ $^ $(LIBS)

build/%/select_print: tests/unit/select_print.c build/%/libmvdc.a
	$(CC) $(CFLAGS_ALL) $(if $(filter asan,$*),$(SAN)) $(WARN) -o $@ $^ $(LIBS)

build/%/unit_tests: $(wildcard tests/unit/*_test.c) tests/unit/unit.h build/%/libmvdc.a $(GEN_HDR)
	$(CC) $(CFLAGS_ALL) $(if $(filter asan,$*),$(SAN)) $(WARN) -Itests/unit -o $@ $(filter %.c,$^) build/$*/libmvdc.a $(LIBS)

FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
build/fuzz/fuzz_front: tests/fuzz/fuzz_front.c $(COMPILER_SRC) $(COMMON_SRC) $(TRANSPORT_SRC) $(GEN_SRC) $(GEN_HDR)
	@mkdir -p build/fuzz
	clang $(CFLAGS_ALL) -O1 -g $(FUZZ_SAN) $(GENWARN) -o $@ tests/fuzz/fuzz_front.c $(COMPILER_SRC) $(COMMON_SRC) $(TRANSPORT_SRC) $(GEN_SRC) $(LIBS) $(TRANSPORT_LIBS)

fuzz: build/fuzz/fuzz_front

# SQL on chDB for the engine tests; libchdb.so is loaded at run time.
build/engines/chdb_query: tests/engines/chdb_query.c
	@mkdir -p build/engines
	$(CC) $(STD) $(OPT) $(WARN) -o $@ $< -ldl

# ---- Top-level targets ----------------------------------------------------

deps:
	sh tests/deps.sh

# The main job end to end (examples/quickstart.sh): install, build, compile
# examples/web-analytics into a plan, apply it with mvrun to an embedded
# chDB in build/quickstart/db, insert rows, show what the MVs wrote.
quickstart: deps all build/engines/chdb_query
	@sh examples/quickstart.sh

test: bin/mvdc bin/mvrun build/release/parse_corpus build/release/select_print build/release/unit_tests asan fuzz build/engines/chdb_query \
      build/runtime/transport_test build/asan/transport_test
	bash tests/run.sh

bench: bin/mvdc
	bash tests/bench/run.sh bin

install: bin/mvdc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 bin/mvdc $(DESTDIR)$(PREFIX)/bin/mvdc
	install -m 644 docs/mvdc.1 $(DESTDIR)$(PREFIX)/share/man/man1/mvdc.1

clean:
	rm -rf build bin

# The header dependencies recorded by -MMD (none before the first build).
-include $(shell find build -name '*.d' 2>/dev/null)
