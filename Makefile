# SPDX-License-Identifier: GPL-2.0
#
# lpar suite. The two commands a newcomer needs:
#   make demo    boot the test VM and show the suite working end to end
#   make check   static checks, KUnit and selftests in the VM; ends with
#                one line "N passed, N failed"
# Both install what they need (tools/vm/setup.sh) and build the test kernel
# once (tools/vm/kernel.sh, cached under ~/.cache/lpar).

FLAVOUR ?= fast
ROOT := $(CURDIR)
KDIR ?= $(shell $(ROOT)/tools/vm/kernel.sh $(FLAVOUR))
KSRC = $(shell readlink -f $(KDIR)/source)

# One line per family: spec name and the directory of its kernel code.
YNL_FAMILIES := lpar:lpar_core
YNL_FAMILIES += lpar_adjunct:adjunct_sriov
YNL_FAMILIES += lpar_ckpt:vmcheckpoint
YNL_FAMILIES += lpar_fold:corefold
YNL_FAMILIES += lpar_hwt:hwthread_virt

.PHONY: all setup kernel modules tools gen check demo bench vm clean fuzz

all: modules tools

setup:
	@$(ROOT)/tools/vm/setup.sh

kernel: setup
	@echo $(KDIR)

modules: setup
	$(MAKE) -C $(KDIR) M=$(ROOT) W=1 modules

tools: setup
	$(MAKE) -C $(ROOT)/tools

# Regenerate netlink code and uapi headers from the YAML specs.
gen: setup
	@set -e; for f in $(YNL_FAMILIES); do \
		fam=$${f%%:*}; dir=$${f#*:}; \
		$(ROOT)/tools/ynl-gen.sh $(KSRC) Documentation/netlink/specs/$$fam.yaml \
			$$dir/netlink-gen.c $$dir/netlink-gen.h uapi/linux/$$fam.h; \
	done

check:
	@$(ROOT)/tools/testing/check.sh $(FLAVOUR)

demo:
	@$(ROOT)/tools/demo.sh

# One VM per benchmark; make bench BENCH="corefold hwthread_virt" picks some.
bench:
	@BENCH='$(BENCH)' $(ROOT)/tools/testing/bench.sh $(FLAVOUR)

# Robustness (tools/testing/fuzz/): netlink and device fuzzing for DURATION
# seconds, fault injection, CYCLES unload/load cycles per module; prints the
# figures. Debug flavour unless FLAVOUR is given. make fuzz DURATION=600
fuzz: setup
	@FLAVOUR=$(if $(filter file,$(origin FLAVOUR)),debug,$(FLAVOUR)) DURATION='$(DURATION)' \
		SEED='$(SEED)' CYCLES='$(CYCLES)' $(ROOT)/tools/testing/fuzz/fuzz.sh

vm: setup modules tools
	@$(ROOT)/tools/vm/run.sh --flavour $(FLAVOUR) --interactive

clean:
	-$(MAKE) -C $(KDIR) M=$(ROOT) clean
	-$(MAKE) -C $(ROOT)/tools clean
