# SPDX-License-Identifier: GPL-2.0
#
# The userspace property test of the hwthread translation engine. It
# compiles hwthread_virt/xlate.c (through the pure part of the KUnit suite)
# straight into one program; no kernel is needed:
#   make -f tools/testing/hwt-proptest.mk          build
#   make -f tools/testing/hwt-proptest.mk check    build and run (TAP)

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)

CC := gcc
CFLAGS := -O2 -g -Wall -Wextra -Werror
CPPFLAGS := -I$(ROOT) -I$(ROOT)/lpar_core

PROG := $(ROOT)/tools/testing/hwt-proptest
DEPS := $(ROOT)/tools/testing/hwt-proptest.c $(ROOT)/kunit/hwthread_xlate_test.c \
	$(ROOT)/hwthread_virt/xlate.c $(ROOT)/hwthread_virt/xlate.h \
	$(ROOT)/lpar_core/pure.h

all: $(PROG)

$(PROG): $(DEPS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

check: $(PROG)
	$(PROG)

clean:
	rm -f $(PROG)

.PHONY: all check clean
