# runtime.mk: mvrun, included by the top-level Makefile, whose CC, STD,
# OPT, WARN and SAN it uses.
#
#   bin/mvrun                      runtime/mvrun.c + the library below
#   build/asan/mvrun               the same with $(SAN)
#   build/release/libmvrun.a       runtime/*.c but mvrun.c
#   build/asan/libmvrun.a          the same with $(SAN)
#   build/runtime/transport_test   tests/runtime/transport_test.c
#   build/asan/transport_test      the same with $(SAN)
#   build/runtime/plan_test        tests/runtime/plan_test.c (the plan reader)
#   build/fuzz/fuzz_plan           libFuzzer target over the plan reader
#   runtime-test                   bash tests/runtime/run.sh (starts its own engines)
#
# mvrun links common/ (build/<flavour>/libcommon.a: SHA-256, strings;
# build/<flavour>/libtransport.a: common/transport/, the connection to a
# server, which `mvdc import --url` links too) and -lcrypto.
# Until the Makefile includes it: make -f Makefile -f runtime/runtime.mk TARGET

ifndef MVRUN_MK_INCLUDED
MVRUN_MK_INCLUDED := 1

# Whatever line includes this, the Makefile's default goal stays its own.
mvrun_saved_goal := $(.DEFAULT_GOAL)

RUNTIME_SRC    := $(filter-out runtime/mvrun.c,$(wildcard runtime/*.c))
RUNTIME_HDR    := $(wildcard runtime/*.h) $(wildcard common/*.h) $(wildcard common/transport/*.h)
RUNTIME_LIBS   := -lcurl -ldl -lcrypto -lpthread
RUNTIME_CFLAGS  = $(STD) $(OPT) -Iruntime -Icommon -Icommon/transport

# Objects in their own subdirectory: a runtime file may share a name with
# a compiler file (build/release/%.o).
build/release/runtime/%.o: runtime/%.c $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(WARN) -c -o $@ $<

build/asan/runtime/%.o: runtime/%.c $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(SAN) $(WARN) -c -o $@ $<

build/release/libmvrun.a: $(patsubst runtime/%.c,build/release/runtime/%.o,$(RUNTIME_SRC))
	rm -f $@
	ar rcs $@ $^

build/asan/libmvrun.a: $(patsubst runtime/%.c,build/asan/runtime/%.o,$(RUNTIME_SRC))
	rm -f $@
	ar rcs $@ $^

bin/mvrun: build/release/runtime/mvrun.o build/release/libmvrun.a build/release/libtransport.a build/release/libcommon.a
	@mkdir -p bin
	$(CC) $(OPT) -o $@ $^ $(RUNTIME_LIBS)

build/asan/mvrun: build/asan/runtime/mvrun.o build/asan/libmvrun.a build/asan/libtransport.a build/asan/libcommon.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(RUNTIME_LIBS)

build/runtime/transport_test: tests/runtime/transport_test.c build/release/libmvrun.a build/release/libtransport.a build/release/libcommon.a $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(WARN) -o $@ $< build/release/libmvrun.a build/release/libtransport.a build/release/libcommon.a $(RUNTIME_LIBS)

build/asan/transport_test: tests/runtime/transport_test.c build/asan/libmvrun.a build/asan/libtransport.a build/asan/libcommon.a $(RUNTIME_HDR)
	$(CC) $(RUNTIME_CFLAGS) $(SAN) $(WARN) -o $@ $< build/asan/libmvrun.a build/asan/libtransport.a build/asan/libcommon.a $(RUNTIME_LIBS)

build/runtime/plan_test: tests/runtime/plan_test.c build/release/libmvrun.a build/release/libtransport.a build/release/libcommon.a $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(WARN) -o $@ $< build/release/libmvrun.a build/release/libtransport.a build/release/libcommon.a $(RUNTIME_LIBS)

build/asan/plan_test: tests/runtime/plan_test.c build/asan/libmvrun.a build/asan/libtransport.a build/asan/libcommon.a $(RUNTIME_HDR)
	$(CC) $(RUNTIME_CFLAGS) $(SAN) $(WARN) -o $@ $< build/asan/libmvrun.a build/asan/libtransport.a build/asan/libcommon.a $(RUNTIME_LIBS)

# For the test chdb-exit-with-busy-threads: LD_PRELOADed into bin/mvrun on
# chDB, it holds chDB's threads back after each wake-up they send.
build/runtime/chdb_slow_threads.so: tests/runtime/chdb_slow_threads.c
	@mkdir -p $(@D)
	$(CC) $(OPT) $(WARN) -shared -fPIC -o $@ $< -ldl

# The plan reader alone (plan_read.c, strbuf.c, common/): what a plan's
# bytes reach before any network call.
FUZZ_PLAN_SRC := tests/fuzz/fuzz_plan.c runtime/plan_read.c runtime/stmt_match.c runtime/type_change.c $(wildcard common/*.c)
build/fuzz/fuzz_plan: $(FUZZ_PLAN_SRC) $(RUNTIME_HDR)
	@mkdir -p $(@D)
	clang $(STD) -O1 -g -Iruntime -Icommon -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all $(WARN) -o $@ $(FUZZ_PLAN_SRC) -lcrypto

MVRUN_TEST_BINS := bin/mvrun build/asan/mvrun build/runtime/transport_test build/asan/transport_test \
                   build/runtime/plan_test build/asan/plan_test build/fuzz/fuzz_plan \
                   build/runtime/chdb_slow_threads.so

# `make` builds mvrun with mvdc; `make install` installs both; `make test`
# needs the test programs.
all: bin/mvrun
install: install-mvrun
test: $(MVRUN_TEST_BINS) build/engines/chdb_query
bench: bin/mvrun
.PHONY: install-mvrun runtime-test
install-mvrun: bin/mvrun
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 bin/mvrun $(DESTDIR)$(PREFIX)/bin/mvrun
	install -m 644 docs/mvrun.1 $(DESTDIR)$(PREFIX)/share/man/man1/mvrun.1

runtime-test: $(MVRUN_TEST_BINS)
	bash tests/runtime/run.sh

.DEFAULT_GOAL := $(mvrun_saved_goal)
endif
