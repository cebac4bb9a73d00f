# SPDX-License-Identifier: GPL-2.0-only
# tests/newalloc.mk - docs/hacking.md's recipe "A new allocator", done: the
# allocator in tests/newalloc/bump.c is linked, like any allocators/*.c,
# into a zpoolbench, a zpb-soak and a fuzz_ops of its own in
# $(BUILD)/newalloc/ (the real binaries do not have it), and
# tests/sh/new_allocator.sh checks what it gets without another edit: list,
# spec checking, run, replay and its checker, soak, fuzzing, the manual
# page and the completion.

NEWALLOC     := $(BUILD)/newalloc
NEWALLOC_OBJ := $(NEWALLOC)/bump.o
NEWALLOC_LIB := -Wl,--whole-archive $(BUILD)/libzpb.a -Wl,--no-whole-archive $(LDLIBS)

all: $(NEWALLOC)/zpoolbench $(NEWALLOC)/zpb-soak $(NEWALLOC)/fuzz_ops

$(NEWALLOC_OBJ): tests/newalloc/bump.c | $(BUILD)/version.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<
-include $(NEWALLOC)/bump.d

$(NEWALLOC)/zpoolbench: $(CMD_OBJS) $(NEWALLOC_OBJ) $(BUILD)/libzpb.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJS) $(NEWALLOC_OBJ) $(NEWALLOC_LIB)

$(NEWALLOC)/zpb-soak: tests/soak.c tests/fuzz/opseq.c tests/fuzz/opseq.h $(NEWALLOC_OBJ) $(BUILD)/libzpb.a
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/fuzz -o $@ tests/soak.c tests/fuzz/opseq.c $(NEWALLOC_OBJ) \
		$(LDFLAGS) $(NEWALLOC_LIB)

$(NEWALLOC)/fuzz_ops: tests/fuzz/fuzz_ops.c tests/fuzz/opseq.c tests/fuzz/opseq.h tests/fuzz/standalone.c \
		$(NEWALLOC_OBJ) $(BUILD)/libzpb.a
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -Itests/fuzz -o $@ tests/fuzz/fuzz_ops.c tests/fuzz/opseq.c \
		tests/fuzz/standalone.c $(NEWALLOC_OBJ) $(LDFLAGS) $(NEWALLOC_LIB)
