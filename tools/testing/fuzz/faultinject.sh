#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fault injection restricted to the suite's code, in the debug flavour
# (failslab, fail_page_alloc, fail_usercopy, stack-trace filter). Four
# passes, each followed by the same verdict: once everything is deleted the
# state is the initial one (no object left in any family, /sys/kernel/lpar
# and /dev/lpar_* as after a fresh load, module refcounts back), no splat
# was logged, and kmemleak finds nothing.
#
#  1. module init: for each module of tools/vm/load.sh, insmod with
#     /proc/self/fail-nth = 1, 2, 3... (filter: the module area), so that
#     every allocation of its init fails once and its unwinding runs;
#  2. netlink, systematically: nlfuzz --fail-nth sends valid requests of
#     every op of every family again and again, failing their 1st, 2nd,
#     3rd... allocation in our code;
#  3. the suite's commands, systematically: lparctl and ckpt-writer
#     commands that create, change and delete objects of every module, each
#     with its 1st, 2nd, 3rd... allocation in one module's code failed;
#  4. the selftests under failslab/fail_page_alloc/fail_usercopy with a
#     probability sweep (FZ_PROBS, default "100 25 5" percent), the filter
#     set to one module's code at a time (its .text range from kallsyms),
#     plus a short device fuzz. The selftests' own verdicts are ignored
#     here (their requests are made to fail); what counts is the state
#     afterwards.
#
# usage: faultinject.sh [--quick]     (TAP on stdout; --quick: one
#        probability, the fuzzers only, fewer fail-nth requests)
#        FZ_FI_PASSES="1 2 3 4": the passes to run (default all)
. "$(dirname "$0")/lib.sh"
. "$FZ_ROOT/tools/testing/selftests/lib.sh"
ROOT=$FZ_ROOT
. "$FZ_ROOT/tools/testing/selftests/adjunct_sriov/lib-adj.sh"

QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
DBG=/sys/kernel/debug
PROBS=${FZ_PROBS:-"100 25 5"}
NTH_REQUESTS=${FZ_NTH_REQUESTS:-400}
[ $QUICK = 1 ] && PROBS=50 NTH_REQUESTS=40 NTH_CMD_RUNS=10 FZ_NTH_MAX=${FZ_NTH_MAX:-256}
ATTRS=($(fz_fi_attrs))
if [ ${#ATTRS[@]} -eq 0 ]; then
	echo "ok 1 - fault injection # SKIP kernel without CONFIG_FAILSLAB (use the debug flavour)"
	T_N=1
	exit 0
fi
# Disarmed, with each attribute's countdown at FZ_TIMES: the kernel's
# default times is 1, which the first count would have taken for almost
# FZ_TIMES failures (a run of pass 4 alone reported 300,005,489 for 5,492).
fz_fi_off >/dev/null
INJECTED=0
# FZ_FI_PASSES="1 2 3 4" (default all): the passes to run, to split them
# across runs or repeat one; FZ_NTH_MODULES="lpar ...": pass 3 for those
# modules only (FZ_SWEEP_MODULES: pass 4).
fi_pass() { [[ " ${FZ_FI_PASSES:-1 2 3 4} " == *" $1 "* ]]; }

fi_filter() { fz_fi_filter "$@"; }
fi_prob() { fz_fi_prob "$1"; }
fi_off() {	# disarms everything, adds what was injected to INJECTED
	INJECTED=$((INJECTED + $(fz_fi_off)))
}

# Deletes what the tests left, then compares with the initial state.
settle() {	# DESC
	local now m gone=
	fi_off
	# A selftest that reloads a module (lpar_core/stress.sh does) fails to
	# load it again while its allocations are made to fail: that is the
	# injected failure working. Load what is missing, then compare.
	for m in $(fz_modules); do
		grep -q "^$m " /proc/modules || gone+=" $m"
	done
	[ -z "$gone" ] || echo "# $1: reloading$gone (unloaded by a test, not loadable under the faults)"
	"$FZ_ROOT/tools/vm/load.sh"
	"$FZ_BIN/nlfuzz" --cleanup >/dev/null
	for d in /sys/fs/cgroup/*/; do
		grep -qxF "$d" <<<"$CG0" || rmdir "$d" 2>/dev/null
	done
	for n in $(ip netns list | cut -d' ' -f1); do
		grep -qxF "$n" <<<"$NS0" || ip netns del "$n"
	done
	now=$(fz_state)
	t_eq "$1: state back to the initial one" "$STATE0" "$now"
	if splat=$(fz_new_splats); then
		t_result 1 "$1: no kernel splat" "$splat"
	else
		t_result 0 "$1: no kernel splat"
	fi
}

"$FZ_ROOT/tools/vm/load.sh"
[ -w $DBG/kmemleak ] && echo clear >$DBG/kmemleak
fz_new_splats >/dev/null
STATE0=$(fz_state)
CG0=$(ls -d /sys/fs/cgroup/*/ 2>/dev/null)
NS0=$(ip netns list | cut -d' ' -f1)
mapfile -t PATHS <<<"$(fz_module_paths)"
# Two igb VFs, valid "vf" values for the fuzzer and the commands (pass 2-4).
VALUES=()
if adj_setup_vfs 2 >/dev/null; then
	VALUES=(--value "vf=${VF_PCI[0]}" --value "vf=${VF_IF[1]}")
else
	echo "# no igb VFs: lpar_adjunct's adjunct-add stops at its device lookup"
fi

# 1. Module init, every allocation failed once.
if fi_pass 1; then
	"$FZ_ROOT/tools/vm/load.sh" -u
	read -r lo hi <<<"$FZ_MODULE_AREA"
	fi_filter "$lo" "$hi"
	for p in "${PATHS[@]}"; do
		m=$(basename "$p")
		fails=0 ok_run=0 n=0
		while [ $n -lt 300 ] && [ $ok_run -lt 3 ]; do
			n=$((n + 1))
			if (echo $n >/proc/self/fail-nth && exec insmod "$FZ_ROOT/$p.ko") 2>/dev/null; then
				ok_run=$((ok_run + 1))
				rmmod "$m" || break
			else
				ok_run=0
				fails=$((fails + 1))
				grep -q "^$m " /proc/modules && { echo "# $m stayed loaded after a failed init"; break; }
			fi
		done
		INJECTED=$((INJECTED + fails))
		t_ok "init of $m: $fails failed loads (allocations 1..$((n - 3)) failed in turn), then loads" \
			insmod "$FZ_ROOT/$p.ko"
	done
	fi_off
	settle "module init"
fi

# 2. Netlink, systematically (fail-nth), one module's code at a time. The
# fuzzer learns partition ids and names from any family's replies; two igb
# VFs given as valid "vf" values let lpar_adjunct's creating op get past
# its device lookup to its allocations.
if fi_pass 2; then
	fz_fixtures_up
	for m in $(fz_modules); do
		read -r lo hi <<<"$(fz_text_range "$m")"; [ -n "$hi" ] || continue
		fi_filter "$lo" "$hi"
		out=$("$FZ_BIN/nlfuzz" --fail-nth --seed 7 --count "$NTH_REQUESTS" "${FZ_FDS[@]}" \
			"${VALUES[@]}" 2>&1)
		rc=$?
		t_result $rc "fail-nth in $m's code: $(sed -n 's/^# fail-nth: //p' <<<"$out")" \
			"$(grep -E '^(FAIL|SPLAT)' -A20 <<<"$out")"
		nth=$(sed -n 's/^# fail-nth: .*, \([0-9]*\) runs with.*/\1/p' <<<"$out")
		INJECTED=$((INJECTED + ${nth:-0}))
		fi_off
	done
	fz_fixtures_down
	settle "fail-nth over every op"
fi

# 3. The suite's requests, systematically: each request of the lists below
# runs with its 1st, 2nd, 3rd... allocation in one module's code failed
# (fail-nth of the task that sends it: the netlink request runs in that
# task) until a run needs no injection, so every allocation site on the
# path of each request fails once. Random requests (pass 2) rarely carry
# the valid partition, VF, size or standby a creating op needs; these do.
# Around each run PREP puts the objects the request needs in place and
# UNDO takes back what it did, both without faults. The netlink requests
# go through `nlfuzz --script` in one process (it also checks that a
# failed run changed nothing the dumps show and that PREP never finds
# anything left behind); the two commands that are more than a request
# (a writer that maps its region, `hwt enter`) run as processes, with
# /proc/self/fail-nth set by the shell that then execs them.
# injected: sets INJ to the failures injected so far (each attribute's
# times counts down by one per failure; fi_off sets them back). Read with
# builtins: a process costs a lot under TCG in the debug flavour.
injected() {
	local a t
	INJ=0
	for a in "${ATTRS[@]}"; do
		read -r t <"$FZ_DBG/$a/times"
		INJ=$((INJ + FZ_TIMES - t))
	done
}
# nth_cmd PREP UNDO CMD...: prints how many runs had a failure, and
# "capped" if the last run still had one (NTH_CMD_RUNS runs: more sites).
nth_cmd() {
	local prep=$1 undo=$2 n=0 runs=0 before
	shift 2
	while [ $n -lt "${NTH_CMD_RUNS:-300}" ]; do
		n=$((n + 1))
		eval "$prep" >/dev/null 2>&1
		injected; before=$INJ
		# (a subshell, not sh -c: one exec less a run, seconds in debug)
		(echo $n >/proc/self/fail-nth && exec "$@") >/dev/null 2>&1
		injected
		[ "$INJ" != "$before" ] || { eval "$undo" >/dev/null 2>&1; break; }
		runs=$((runs + 1))
		eval "$undo" >/dev/null 2>&1
	done
	if [ $runs -lt $n ]; then echo $runs; else echo $runs capped; fi
}
# The requests, MODULE | PREP | UNDO | REQUEST (nlfuzz --script: "FAMILY
# OP [dump] ATTR=VALUE...", ';' between requests, @PATH an fd). Partitions
# fia (CPUs 2-3) and fib (4-5) exist throughout, fia without an adjunct,
# fib for the other extensions; fin0 and fic (CPUs 6-7, cgroup and
# namespace fin0) come and go.
nth_requests() {
	cat <<LIST
lpar | | lpar part-delete name=fin0 | lpar part-create name=fin0 cpus=6-7 cgroup-fd=@/sys/fs/cgroup/fin0 netns-fd=@/run/netns/fin0 budget=8M
lpar | | lpar part-delete name=fin0 | lpar part-create name=fin0 cpus=6 budget=8M
lpar | lpar part-create name=fin0 cpus=6 budget=8M | lpar part-delete name=fin0 | lpar part-set name=fin0 cpus=6-7 budget=16M netns-fd=@/run/netns/fin0
lpar | lpar part-create name=fin0 cpus=6 cgroup-fd=@/sys/fs/cgroup/fin0 budget=8M | lpar part-delete name=fin0 | lpar part-delete name=fin0
lpar | | | lpar part-get dump
lpar | | | lpar part-get name=fib
lpar_adjunct | | lpar_adjunct del part-name=fia | lpar_adjunct add part-name=fia vf=$VF0 standby=fisb0
lpar_adjunct | | lpar_adjunct del part-name=fia | lpar_adjunct add part-name=fia vf=$VF1 mode=1 queue-len=64
lpar_adjunct | lpar_adjunct add part-name=fia vf=$VF0 | lpar_adjunct del part-name=fia | lpar_adjunct swap part-name=fia vf=$VF1
lpar_adjunct | lpar_adjunct add part-name=fia vf=$VF0 mode=1 standby=fisb0 | lpar_adjunct del part-name=fia | lpar_adjunct swap part-name=fia vf=$VF1
lpar_adjunct | lpar_adjunct add part-name=fia vf=$VF0 mode=1 | lpar_adjunct del part-name=fia | lpar_adjunct del part-name=fia
lpar_adjunct | lpar_adjunct add part-name=fia vf=$VF0 | lpar_adjunct del part-name=fia | lpar_adjunct get dump
lpar_adjunct | lpar_adjunct add part-name=fia vf=$VF0 | lpar_adjunct del part-name=fia | lpar_adjunct get part-name=fia
lpar_adjunct | lpar part-create name=fic cpus=6-7 cgroup-fd=@/sys/fs/cgroup/fin0 netns-fd=@/run/netns/fin0 budget=64M; lpar_adjunct add part-name=fic vf=$VF0 mode=1 | lpar_adjunct del part-name=fic; lpar part-delete name=fic | lpar part-delete name=fic
lpar_vmckpt | | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-create part-name=fib name=r0 size=1M ring-entries=1024 guard=16
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-start part-name=fib name=r0 interval-ms=100
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M; lpar_ckpt region-start part-name=fib name=r0 interval-ms=100 | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-stop part-name=fib name=r0
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-checkpoint part-name=fib name=r0
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-delete part-name=fib name=r0
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-get dump
lpar_vmckpt | lpar_ckpt region-create part-name=fib name=r0 size=1M | lpar_ckpt region-delete part-name=fib name=r0 | lpar_ckpt region-get part-name=fib name=r0
lpar_vmckpt | lpar part-create name=fic cpus=6-7 cgroup-fd=@/sys/fs/cgroup/fin0 netns-fd=@/run/netns/fin0 budget=64M; lpar_ckpt region-create part-name=fic name=r0 size=1M | lpar_ckpt region-delete part-name=fic name=r0; lpar part-delete name=fic | lpar part-delete name=fic
lpar_corefold | lpar_fold part-set name=fib enabled=0 | lpar_fold part-set name=fib enabled=0 | lpar_fold part-set name=fib enabled=1
lpar_corefold | lpar_fold part-set name=fib enabled=1 | lpar_fold part-set name=fib enabled=0 | lpar_fold part-set name=fib enabled=0
lpar_corefold | lpar_fold part-set name=fib enabled=1 | lpar_fold part-set name=fib enabled=0 | lpar_fold part-get dump
lpar_corefold | | | lpar_fold status-get
lpar_hwthread | lpar_hwt view-set part-name=fib enabled=1 | lpar_hwt view-set part-name=fib enabled=1 | lpar_hwt view-set part-name=fib enabled=0
lpar_hwthread | lpar_hwt view-set part-name=fib enabled=0 | lpar_hwt view-set part-name=fib enabled=1 | lpar_hwt view-set part-name=fib enabled=1
lpar_hwthread | | | lpar_hwt view-get part-name=fib
lpar_hwthread | | | lpar_hwt view-get dump
LIST
}
# The commands that are more than one request: MODULE | PREP | UNDO | COMMAND.
NTH_CMDS=$(cat <<'LIST'
lpar_vmckpt | : | lparctl ckpt delete fib r1 | ckpt-writer --create fib/r1 --size 256K --threads 1 --rounds 2 --writes 50 --destroy
lpar_hwthread | : | : | lparctl hwt enter fib -- true
LIST
)
if fi_pass 3; then
	export PATH="$FZ_ROOT/tools/ckpt:$PATH"
	# (adj_part: a partition with its cgroup, namespace and 64M)
	adj_part fia 2-3 && adj_part fib 4-5
	ip link add fisb0 type veth peer name fisb1
	mkdir -p /sys/fs/cgroup/fin0; ip netns add fin0
	# An adjunct's thread takes its cgroup from a task of the partition's
	# cgroup (lparctl moves itself there; nlfuzz does not): one each.
	SLEEPERS=()
	for g in fia fib fin0; do
		sleep 86400 &
		SLEEPERS+=($!)
		echo $! >/sys/fs/cgroup/$g/cgroup.procs
	done
	VF0=${VF_PCI[0]:-none} VF1=${VF_IF[1]:-none}
	# Values that live (traffic and link counters, sampled load and the
	# folding it drives): not compared before and after a failed request.
	LIVE=()
	for a in lpar_adjunct.{rx,tx}-{packets,bytes,drops} lpar_adjunct.{queue-full,carrier,active,carrier-changes,fallbacks} \
		lpar_fold.{load,want,unfolded,folds,unfolds,exchanges,migrates,seq,applied-seq,kind,time-ns} \
		lpar_hwt.counters; do
		LIVE+=(--live "$a")
	done
	for m in ${FZ_NTH_MODULES:-$(fz_modules)}; do
		read -r lo hi <<<"$(fz_text_range "$m")"; [ -n "$hi" ] || continue
		nth_requests | awk -F'|' -v m="$m" '{ t = $1; gsub(/ /, "", t) } t == m {
			sub(/^[^|]*\|/, ""); print }' >/tmp/fi-script
		fi_filter "$lo" "$hi"
		"$FZ_BIN/nlfuzz" --script /tmp/fi-script --nth-max "${FZ_NTH_MAX:-512}" "${LIVE[@]}" \
			>/tmp/fi-script.out 2>&1
		rc=$?
		fi_off
		sed -n 's/^# script: \([0-9]* runs\)/# '"$m"': \1/p' /tmp/fi-script.out
		total=$(awk '/^# script: [0-9]+ runs/ { s += $3 } END { print s + 0 }' /tmp/fi-script.out)
		zero=$(awk '/^# script: 0 runs/ { sub(/^# script: 0 runs with a failure: /, ""); printf " [%s]", $0 }' /tmp/fi-script.out)
		cmds=$(grep -c '^# script: [0-9]* runs' /tmp/fi-script.out)
		[ $rc = 0 ] || { grep -v '^# script: [0-9]* runs' /tmp/fi-script.out | tail -20; }
		while IFS='|' read -r mod prep undo cmd; do
			[ "$(echo $mod)" = "$m" ] || continue
			fi_filter "$lo" "$hi"
			# shellcheck disable=SC2086 # the command line is split into words
			read -r r capped <<<"$(eval "nth_cmd '$prep' '$undo' $cmd")"
			fi_off
			total=$((total + r)) cmds=$((cmds + 1))
			echo "# $m: $r runs with a failure${capped:+ (the first $r sites; more on its path)}: $(echo $cmd)"
			[ "$r" != 0 ] || zero+=" [$(echo $cmd)]"
		done <<<"$NTH_CMDS"
		t_ok "fail-nth over $cmds requests and commands in $m's code: $total runs with an injected failure, each failed run changed nothing${zero:+ (none on the path of:$zero)}" \
			[ $rc = 0 ] && [ $total -gt 0 ]
	done
	ip link del fisb0 2>/dev/null
	kill "${SLEEPERS[@]}"; wait "${SLEEPERS[@]}" 2>/dev/null
	ip netns del fin0; rmdir /sys/fs/cgroup/fin0
	adj_part_del fia; adj_part_del fib
	settle "fail-nth over the requests and commands"
fi

# 4. Probability sweep, per module (FZ_SWEEP_MODULES="m ...": only those,
# to split the pass across runs): its own selftests (the directory of its
# source, tools/testing/selftests/<dir>/; FZ_SWEEP_TESTS=all: every
# selftest, about 15 times a debug `make check`) and the fuzzers.
sweep_tests() {	# MODULE
	local dir t
	dir=$(fz_module_paths | awk -F/ -v m="$1" '$NF == m { print $1 }')
	for t in "$FZ_ROOT"/tools/testing/selftests/*/*.sh; do
		case "$t" in */robustness/* | */docs/* | */robust.sh) continue ;; esac
		[ "${FZ_SWEEP_TESTS:-own}" = all ] || [[ "$t" == */selftests/$dir/* ]] || continue
		[ -x "$t" ] && echo "$t"
	done
}
# arm MODULE PROB: failures at PROB % in MODULE's code, wherever it is now
# (a test may have reloaded it elsewhere, or left it unloaded, in which
# case the suite is loaded again first, with the failures off). The
# failures injected so far are counted first (fi_off).
arm() {
	local lo hi
	fi_off
	grep -q "^$1 " /proc/modules || "$FZ_ROOT/tools/vm/load.sh"
	read -r lo hi <<<"$(fz_text_range "$1")"
	fi_filter "$lo" "$hi"
	fi_prob "$2"
}
if fi_pass 4; then
	for m in ${FZ_SWEEP_MODULES:-$(fz_modules)}; do
		read -r lo hi <<<"$(fz_text_range "$m")"; [ -n "$hi" ] || continue
		TESTS=()
		# (no process substitution: the test VM has no /dev/fd)
		[ $QUICK = 1 ] || read -ra TESTS <<<"$(sweep_tests "$m" | paste -sd' ')"
		for p in $PROBS; do
			before=$INJECTED t0=$(date +%s)
			for t in "${TESTS[@]}"; do
				arm "$m" "$p"
				timeout -k 5 300 "$t" >/dev/null 2>&1
			done
			arm "$m" "$p"
			fz_fixtures_up
			"$FZ_BIN/nlfuzz" --traffic --seed "$p" --count 3000 "${FZ_FDS[@]}" "${VALUES[@]}" >/dev/null 2>&1
			fz_parts_up
			"$FZ_BIN/devfuzz" --seed "$p" --ops 3000 >/dev/null 2>&1
			fi_off
			fz_parts_down
			fz_fixtures_down
			settle "$m code failing at $p% (${#TESTS[@]} selftests, fuzzers; $((INJECTED - before)) failures injected, $(($(date +%s) - t0)) s)"
		done
	done
fi

"$FZ_ROOT/tools/vm/load.sh" -u
t_eq "every module unloads after the faults" "" "$(grep -E "^($(fz_modules | paste -sd'|')) " /proc/modules)"
"$FZ_ROOT/tools/vm/load.sh"
t_ok "kmemleak: no leak" fz_kmemleak_clean
echo "# fault injection: $INJECTED failures injected in our code"
