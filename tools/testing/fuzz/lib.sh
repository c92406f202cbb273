# SPDX-License-Identifier: GPL-2.0
#
# What the robustness scripts share (sourced): the suite's modules as
# tools/vm/load.sh lists them, their code ranges, fixtures for the fuzzers,
# and the checks that the system is back to a clean state.
FZ_ROOT=${LPAR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
FZ_BIN=$FZ_ROOT/tools/testing/fuzz
export PATH="$FZ_ROOT/tools/lparctl:$PATH"

# The module paths (DIR/NAME, no .ko) of load.sh's list, in load order.
fz_module_paths() {
	sed -n '/^MODULES=(/,/^)/p' "$FZ_ROOT/tools/vm/load.sh" |
		sed -e 's/#.*//' -e 's/[()]//g' -e 's/MODULES=//' | tr -s ' \t' '\n' | grep -v '^$'
}
fz_modules() { fz_module_paths | xargs -n1 basename; }

# "START END" of a loaded module's code, from its symbols in /proc/kallsyms
# (text symbols; the end is the last one plus a page).
fz_text_range() {
	local lo hi
	read -r lo hi <<<"$(awk -v m="[$1]" '$4 == m && ($2 == "t" || $2 == "T") { print $1 }' \
		/proc/kallsyms | sort | sed -n '1p;$p' | tr '\n' ' ')"
	[ -n "$hi" ] || return 1
	printf '0x%s 0x%x\n' "$lo" $((0x$hi + 4096))
}

# x86_64's module mapping space (Documentation/arch/x86/x86_64/mm.rst):
# every module's code, init code included, lies in it.
FZ_MODULE_AREA="0xffffffffa0000000 0xffffffffff000000"

# Fixtures the fuzzers hand out as fds: two cgroups and a netns.
fz_fixtures_up() {
	mkdir -p /sys/fs/cgroup/nlfuzz0 /sys/fs/cgroup/nlfuzz1
	ip netns add nlfuzz 2>/dev/null || true
	FZ_FDS=(--fd /sys/fs/cgroup/nlfuzz0 --fd /sys/fs/cgroup/nlfuzz1 --fd /run/netns/nlfuzz)
}
fz_fixtures_down() {
	"$FZ_BIN/nlfuzz" --cleanup >/dev/null 2>&1
	rmdir /sys/fs/cgroup/nlfuzz0 /sys/fs/cgroup/nlfuzz1 2>/dev/null
	ip netns del nlfuzz 2>/dev/null
	return 0
}

# Partitions with CPUs, so that the per-partition device nodes exist.
fz_parts_up() {
	local i
	for i in 0 1 2; do
		lparctl create "fzdev$i" --cpus "$((2 * i + 1))-$((2 * i + 2))" --memory 4M >/dev/null ||
			return 1
	done
}
fz_parts_down() {
	local i
	for i in 0 1 2; do lparctl delete "fzdev$i" >/dev/null 2>&1; done
	return 0
}

# What must be back to its initial value once everything is deleted:
# objects of every family, the sysfs and /dev trees, module refcounts.
fz_state() {
	local m
	lparctl -j list 2>&1
	find /sys/kernel/lpar /dev/lpar_* 2>/dev/null | sort
	for m in $(fz_modules); do
		echo "$m refcnt $(cat /sys/module/"$m"/refcnt 2>/dev/null)"
	done
}

# Splats logged since the last call (the patterns of tools/vm/splat.sh);
# reads and clears the kernel ring buffer (the console keeps everything).
fz_new_splats() {
	local rc
	dmesg -c >/tmp/fz-dmesg.$$ 2>/dev/null
	"$FZ_ROOT/tools/vm/splat.sh" /tmp/fz-dmesg.$$
	rc=$?
	rm -f /tmp/fz-dmesg.$$
	return $rc
}

# kmemleak: scan (twice: objects younger than a scan period are not
# reported) and print what it found; succeeds when it found nothing.
fz_kmemleak_clean() {
	local f=/sys/kernel/debug/kmemleak out
	[ -w $f ] || return 0
	echo scan >$f
	sleep 6
	echo scan >$f
	out=$(cat $f)
	[ -z "$out" ] && return 0
	echo "$out" | head -60
	return 1
}

# Reads every sysfs file of the suite in a loop (objects appear and go).
fz_sysfs_reader() {
	while :; do
		cat /sys/kernel/lpar/*/* /sys/kernel/lpar/* /sys/module/lpar*/parameters/* \
			>/dev/null 2>&1
	done
}

# Fault injection (debug flavour): the attributes present, a stack filter
# on one code range for all of them (so that /proc/self/fail-nth counts
# only allocations and copies made with that code on the stack), a
# probability, and disarming (prints how many failures were injected).
FZ_DBG=/sys/kernel/debug
FZ_TIMES=100000000
fz_fi_attrs() {
	local a
	for a in failslab fail_page_alloc fail_usercopy; do
		[ -d "$FZ_DBG/$a" ] && echo "$a"
	done
}
fz_fi_filter() {	# START END
	local a
	for a in $(fz_fi_attrs); do
		echo 0 >"$FZ_DBG/$a/probability"
		echo 1 >"$FZ_DBG/$a/interval"
		echo $FZ_TIMES >"$FZ_DBG/$a/times"
		echo 0 >"$FZ_DBG/$a/space"
		echo 0 >"$FZ_DBG/$a/verbose"
		echo N >"$FZ_DBG/$a/task-filter"
		[ -e "$FZ_DBG/$a/ignore-gfp-wait" ] && echo N >"$FZ_DBG/$a/ignore-gfp-wait"
		[ -e "$FZ_DBG/$a/ignore-gfp-highmem" ] && echo N >"$FZ_DBG/$a/ignore-gfp-highmem"
		[ -e "$FZ_DBG/$a/min-order" ] && echo 0 >"$FZ_DBG/$a/min-order"
		echo 32 >"$FZ_DBG/$a/stacktrace-depth"
		echo 0 >"$FZ_DBG/$a/reject-start"
		echo 0 >"$FZ_DBG/$a/reject-end"
		echo "$1" >"$FZ_DBG/$a/require-start"
		echo "$2" >"$FZ_DBG/$a/require-end"
	done
}
fz_fi_prob() {
	local a
	for a in $(fz_fi_attrs); do echo "$1" >"$FZ_DBG/$a/probability"; done
}
fz_fi_off() {
	local a t n=0
	for a in $(fz_fi_attrs); do
		echo 0 >"$FZ_DBG/$a/probability"
		t=$(cat "$FZ_DBG/$a/times")
		n=$((n + FZ_TIMES - t))
		echo $FZ_TIMES >"$FZ_DBG/$a/times"
		echo 0 >"$FZ_DBG/$a/require-start"
		echo 0xffffffffffffffff >"$FZ_DBG/$a/require-end"
	done
	echo $n
}
