#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: everything that decides whether a change may land, in one
# command. Host side: set-up, test kernel, generated code up to date, build
# with W=1 and sparse, checkpatch, tools. Guest side (tools/vm/run.sh):
# KUnit suites and selftests. Every check is one TAP line; the run ends
# with exactly one line "N passed, N failed" and fails if any check failed.
#
# usage: check.sh [fast|debug]   (LPAR_CHECK_VM=0: host side only)
set -uo pipefail

FLAVOUR=${1:-fast}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${LPAR_CHECK_OUT:-$ROOT/out/check-$FLAVOUR}
rm -rf "$OUT"
mkdir -p "$OUT"
PASS=0 FAIL=0 N=0

ok() { N=$((N + 1)); PASS=$((PASS + 1)); echo "ok $N - $1"; }
not_ok() {
	N=$((N + 1)); FAIL=$((FAIL + 1)); echo "not ok $N - $1"
	[ -n "${2:-}" ] && sed 's/^/#   /' <<<"$2" | head -40
}
finish() {
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
	exit
}
stamp() { echo "# $(date +%T) $*"; }

stamp "set-up"
if ! "$ROOT/tools/vm/setup.sh"; then not_ok "host set-up (tools/vm/setup.sh)"; finish; fi
stamp "test kernel ($FLAVOUR)"
t0=$(date +%s)
if ! KDIR=$("$ROOT/tools/vm/kernel.sh" "$FLAVOUR"); then
	not_ok "test kernel builds ($FLAVOUR)"
	finish
fi
KSRC=$(readlink -f "$KDIR/source")
echo "# kernel: $KDIR (built in $(cat "$KDIR/.lpar-build-seconds") s; this run waited $(($(date +%s) - t0)) s)"

# Generated netlink code must match its spec.
stamp "generated code"
gen=$(mktemp -d)
for spec in "$ROOT"/Documentation/netlink/specs/*.yaml; do
	fam=$(basename "$spec" .yaml)
	dir=$(sed -n "s/.*\b$fam:\([a-z_]*\).*/\1/p" "$ROOT/Makefile" | head -1)
	if [ -z "$dir" ]; then
		not_ok "ynl: family $fam listed in Makefile YNL_FAMILIES"
		continue
	fi
	if ! msg=$("$ROOT/tools/ynl-gen.sh" "$KSRC" "$spec" "$gen/$fam.c" "$gen/$fam.h" "$gen/u$fam.h" 2>&1); then
		not_ok "ynl: spec $fam.yaml generates" "$msg"
		continue
	fi
	if msg=$(diff -u "$ROOT/$dir/netlink-gen.c" "$gen/$fam.c"; diff -u "$ROOT/$dir/netlink-gen.h" "$gen/$fam.h"; diff -u "$ROOT/uapi/linux/$fam.h" "$gen/u$fam.h"); then
		ok "ynl: generated code of $fam is up to date"
	else
		not_ok "ynl: generated code of $fam is stale (run make gen)" "$msg"
	fi
done
rm -rf "$gen"

# Build with W=1 and sparse; any warning in our files fails.
stamp "build modules (W=1 C=2)"
make -C "$KDIR" M="$ROOT" clean >/dev/null 2>&1
if make -C "$KDIR" M="$ROOT" W=1 C=2 modules >"$OUT/build.log" 2>&1; then
	ok "modules build"
else
	not_ok "modules build" "$(grep -E 'error|Error' "$OUT/build.log")"
fi
ours="^($ROOT/)?(lpar_core|adjunct_sriov|vmcheckpoint|corefold|hwthread_virt|kunit|uapi)/"
gccw=$(grep -E "$ours.*(warning|error):.*\[-W" "$OUT/build.log")
sparsew=$(grep -E "$ours.*(warning|error):" "$OUT/build.log" | grep -v '\[-W')
[ -z "$gccw" ] && ok "W=1: no compiler or kernel-doc warnings" || not_ok "W=1: compiler warnings" "$gccw"
[ -z "$sparsew" ] && ok "sparse (C=2): no warnings" || not_ok "sparse (C=2): warnings" "$sparsew"

stamp "checkpatch"
while IFS= read -r f; do
	rel=${f#"$ROOT/"}
	# Userspace may use C99's PRIu64 & co., which checkpatch takes for CamelCase.
	ignore=FILE_PATH_CHANGES
	case "$rel" in tools/*) ignore+=,CAMELCASE,PREFER_DEFINED_ATTRIBUTE_MACRO ;; esac
	if msg=$("$KSRC/scripts/checkpatch.pl" --no-tree --strict --terse --show-types \
		--ignore "$ignore" -f "$f" 2>&1); then
		ok "checkpatch --strict: $rel"
	else
		not_ok "checkpatch --strict: $rel" "$msg"
	fi
done < <(find "$ROOT"/{lpar_core,adjunct_sriov,vmcheckpoint,corefold,hwthread_virt,kunit,tools/lparctl,tools/lib,tools/testing,tools/ckpt,tools/corefold-sim} \
	-name '*.[ch]' ! -name '*-gen.[ch]' ! -name '*.mod.c' 2>/dev/null | sort)

stamp "tools"
if msg=$(make -C "$ROOT/tools" 2>&1); then ok "tools build"; else not_ok "tools build" "$msg"; fi

stamp "host property tests"
if msg=$("$ROOT/tools/testing/hwt-proptest" 2>&1); then
	ok "hwt-proptest: hwthread translation properties ($(grep -c '^ok' <<<"$msg") checks, 10,000 random maps)"
else
	not_ok "hwt-proptest: hwthread translation properties" "$(grep -A5 '^not ok' <<<"$msg")"
fi

if msg=$(make -s -C "$ROOT/tools/corefold-sim" check 2>&1); then
	ok "corefold-sim: every sample trace replays sanely and meets its targets"
else
	not_ok "corefold-sim: sample traces" "$msg"
fi

# LPAR_CHECK_VM=0: host-side checks only (a quick pre-commit pass; the
# VM phase is what a landing needs).
if [ "${LPAR_CHECK_VM:-1}" = 0 ]; then
	echo "# VM phase skipped (LPAR_CHECK_VM=0)"
	finish
fi

stamp "VM: KUnit and selftests"
# The debug kernel (KASAN, lockdep, kmemleak) runs the same tests 3-4x slower.
[ "$FLAVOUR" = debug ] && vmtimeout=6000 || vmtimeout=3600
"$ROOT/tools/vm/run.sh" --flavour "$FLAVOUR" --quiet --timeout "$vmtimeout" --out "$OUT/vm" \
	"$ROOT/tools/testing/vm-tests.sh"
vmrc=$?
echo "# guest console: $OUT/vm/console.log"
[ $vmrc -eq 0 ] && ok "VM run: clean boot, no kernel splat, all suites ran" ||
	not_ok "VM run: clean boot, no kernel splat, all suites ran" \
		"$("$ROOT/tools/vm/splat.sh" "$OUT/vm/console.log"; tail -30 "$OUT/vm/console.log")"

# KUnit: every case of every suite counts; a missing result is a failure.
for ktap in "$OUT"/vm/kunit/*.ktap; do
	[ -e "$ktap" ] || continue
	suite=$(basename "$ktap" .ktap)
	while read -r res name; do
		[ "$res" = ok ] && ok "kunit $suite: $name" || not_ok "kunit $suite: $name"
	done < <(sed -n -E 's/^    (not ok|ok) [0-9]+ ([^ #]+).*/\1 \2/p' "$ktap" | sed 's/^not ok/not_ok/')
	plan=$(sed -n -E 's/^    1\.\.([0-9]+)/\1/p' "$ktap" | head -1)
	got=$(grep -cE '^    (not )?ok [0-9]+ ' "$ktap")
	[ "${plan:-0}" -eq "$got" ] && [ "$got" -gt 0 ] ||
		not_ok "kunit $suite: $got results for a plan of ${plan:-?} (crashed?)"
	# The kernel's own parser must read the same number of cases (it exits
	# non-zero when a case failed; that is counted above, not here).
	msg=$(cd "$KSRC" && python3 tools/testing/kunit/kunit.py parse "$ktap" 2>&1)
	ran=$(sed -n -E 's/.*Testing complete\. Ran ([0-9]+) tests.*/\1/p' <<<"$msg")
	if [ "${ran:-x}" = "$got" ]; then
		ok "kunit $suite: kunit.py parse reads the same $got cases"
	else
		not_ok "kunit $suite: kunit.py parse reads ${ran:-no} cases, we counted $got" "$msg"
	fi
done
for f in "$OUT"/vm/kunit/*.missing; do
	[ -e "$f" ] && not_ok "kunit $(basename "$f" .missing): no results (module failed to load?)" "$(cat "$f")"
done

# Selftests: TAP, one file per script.
for tap in "$OUT"/vm/selftests/*.tap; do
	[ -e "$tap" ] || continue
	t=$(basename "$tap" .tap)
	while IFS= read -r line; do
		desc=$(sed -E 's/^(not )?ok [0-9]+ - //' <<<"$line")
		case "$line" in
		"not ok"*) not_ok "$t: $desc" "$(awk -v l="$line" 'f && /^#/ {print; next} f {exit} $0 == l {f=1}' "$tap")" ;;
		ok*) ok "$t: $desc" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+ ' "$tap")
	rc=$(cat "$OUT/vm/selftests/$t.rc" 2>/dev/null || echo missing)
	plan=$(sed -n -E 's/^1\.\.([0-9]+)/\1/p' "$tap" | tail -1)
	got=$(grep -cE '^(not )?ok [0-9]+ ' "$tap")
	[ "$rc" = 0 ] && [ "${plan:-x}" = "$got" ] ||
		not_ok "$t: finished (exit $rc, $got results, plan ${plan:-none})" "$(tail -5 "$tap")"
	if [ -e "$OUT/vm/selftests/$t.left" ]; then
		not_ok "$t: leaves the VM as it found it" "$(cat "$OUT/vm/selftests/$t.left")"
	else
		ok "$t: leaves the VM as it found it"
	fi
done
finish
