# runtime.mk: mvrun's runtime (so far its transports), included by the
# top-level Makefile, whose CC, STD, OPT, WARN and SAN it uses.
#
#   build/release/libmvrun.a       runtime/*.c
#   build/asan/libmvrun.a          the same with $(SAN)
#   build/runtime/transport_test   tests/runtime/transport_test.c
#   build/asan/transport_test      the same with $(SAN)
#   runtime-test                   bash tests/runtime/run.sh (starts its own engines)
#
# Until the Makefile includes it: make -f Makefile -f runtime/runtime.mk TARGET

ifndef MVRUN_MK_INCLUDED
MVRUN_MK_INCLUDED := 1

# Whatever line includes this, the Makefile's default goal stays its own.
mvrun_saved_goal := $(.DEFAULT_GOAL)

RUNTIME_SRC    := $(wildcard runtime/*.c)
RUNTIME_HDR    := $(wildcard runtime/*.h)
RUNTIME_LIBS   := -lcurl -ldl
RUNTIME_CFLAGS  = $(STD) $(OPT) -Iruntime

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

build/runtime/transport_test: tests/runtime/transport_test.c build/release/libmvrun.a $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(WARN) -o $@ $< build/release/libmvrun.a $(RUNTIME_LIBS)

build/asan/transport_test: tests/runtime/transport_test.c build/asan/libmvrun.a $(RUNTIME_HDR)
	@mkdir -p $(@D)
	$(CC) $(RUNTIME_CFLAGS) $(SAN) $(WARN) -o $@ $< build/asan/libmvrun.a $(RUNTIME_LIBS)

.PHONY: runtime-test
runtime-test: build/runtime/transport_test build/asan/transport_test
	bash tests/runtime/run.sh

.DEFAULT_GOAL := $(mvrun_saved_goal)
endif
