# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers for the selftests: each check is one "ok"/"not ok" line; the
# plan is printed at exit. Sourced, never run.
#
#   t_ok DESC CMD...                 CMD must succeed
#   t_err DESC RC TEXT CMD...        CMD must exit RC with TEXT in its stderr
#   t_eq DESC EXPECTED ACTUAL        two strings must be equal
#   t_true DESC CMD...               alias of t_ok for conditions ([ ... ])
#   all_alive PID...                 every PID is alive (for t_true; bash's
#                                    "kill -0 A B" succeeds if either is)
. "$(dirname "${BASH_SOURCE[0]}")/cgroup-lib.sh"

T_N=0
T_FAIL=0

t_result() {	# t_result PASS(0/1) DESC [DETAIL]
	T_N=$((T_N + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $T_N - $2"
	else
		T_FAIL=$((T_FAIL + 1))
		echo "not ok $T_N - $2"
		[ -n "${3:-}" ] && sed 's/^/# /' <<<"$3"
	fi
	return 0
}

t_ok() {
	local desc=$1 out
	shift
	out=$("$@" 2>&1)
	t_result $? "$desc" "$ $*
$out"
}
t_true() { t_ok "$@"; }

all_alive() {
	local p
	for p; do
		kill -0 "$p" 2>/dev/null || { echo "$p is gone"; return 1; }
	done
}

t_err() {
	local desc=$1 want_rc=$2 want_text=$3 err rc
	shift 3
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq "$want_rc" ] && grep -qF -- "$want_text" <<<"$err"; then
		t_result 0 "$desc"
	else
		t_result 1 "$desc" "$ $*
exit $rc (want $want_rc), stderr: $err
wanted text: $want_text"
	fi
}

t_eq() {
	[ "$2" = "$3" ]
	t_result $? "$1" "expected: $2
actual:   $3"
}

t_done() {
	echo "1..$T_N"
	[ "$T_FAIL" -eq 0 ] && exit 0
	exit 1
}
trap t_done EXIT
