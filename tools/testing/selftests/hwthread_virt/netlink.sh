#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The lpar_hwt family: get and dump the map, the administrator's switch
# (on by default, off reads EIO, on again), refusals with their extack
# text and nothing changed (unknown partition, unequal threads per core,
# no permission, a missing or out-of-range attribute through the kernel's
# own ynl CLI), and events on the "events" group.
. "$(dirname "$0")/../lib.sh"
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
ABI=$ROOT/tools/testing/hwt-abi
KSRC=$(readlink -f "${LPAR_KDIR:-/nonexistent}/source")
ynl() {
	/usr/bin/python3 "$KSRC/tools/net/ynl/cli.py" \
		--spec "$ROOT/Documentation/netlink/specs/lpar_hwt.yaml" \
		--schema "$KSRC/Documentation/netlink/genetlink.yaml" --output-json "$@"
}

t_ok "create p (CPUs 0,2: one thread of two cores)" lparctl create p --cpus 0,2
t_eq "the view is on by default and active" "1 active 1 2 1 0 1" \
	"$(lparctl -j hwt show p | jq -r '"\(.enabled) \(.state) \(.packages) \(.cores) \(.threads) \(.smt_shift) \(.pkg_shift)"')"
t_eq "the map: x2APIC ids 0 and 1 on CPUs 0 and 2" "0:0 2:1" \
	"$(lparctl -j hwt show p | jq -r '.cpus[] | "\(.cpu):\(.x2apic_id)"' | xargs)"
t_eq "dump lists p" "p active" "$(lparctl -j hwt list | jq -r '.[] | "\(.name) \(.state)"')"

lparctl hwt monitor >/tmp/hwt.events 2>&1 &
mon=$!
sleep 0.5
t_ok "disable p" lparctl hwt disable p
t_eq "disabled, with the reason" "0 disabled turned off by the administrator" \
	"$(lparctl -j hwt show p | jq -r '"\(.enabled) \(.state) \(.reason)"')"
t_eq "the nodes read EIO" "read=-EIO pos=11 " "$("$ABI" /dev/lpar_hwt/p/cpu0/cpuid read r 0xb 16)"
t_ok "enable p" lparctl hwt enable p
t_eq "active again" "1 active" "$(lparctl -j hwt show p | jq -r '"\(.enabled) \(.state)"')"

t_err "unknown partition: ENOENT with its name" 1 "no partition named nosuch" lparctl hwt show nosuch
t_ok "p takes CPU 1, the sibling of CPU 0 (unequal threads per core)" lparctl set p --cpus 0-2
t_eq "state failed with the reason" "failed" "$(lparctl -j hwt show p | jq -r .state)"
t_err "enable with unequal threads per core: EINVAL and extack" 1 \
	"unequal threads per core" lparctl hwt enable p
t_ok "disable p" lparctl hwt disable p
t_err "enable refused again" 1 "unequal threads per core" lparctl hwt enable p
t_eq "the refusal changed nothing: still off" "0 disabled" \
	"$(lparctl -j hwt show p | jq -r '"\(.enabled) \(.state)"')"
t_ok "p back to CPUs 0,2" lparctl set p --cpus 0,2
t_eq "still off after the CPU change (the switch is the admin's)" disabled \
	"$(lparctl -j hwt show p | jq -r .state)"
t_ok "enable p" lparctl hwt enable p
t_err "an unprivileged user may read but not switch" 1 "Operation not permitted" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	"$ROOT/tools/lparctl/lparctl" hwt disable p
t_ok "an unprivileged user may show" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all "$ROOT/tools/lparctl/lparctl" hwt show p
t_err "usage error: exit 2" 2 "missing partition NAME" lparctl hwt enable

if [ -d "$KSRC/tools/net/ynl" ]; then
	err=$(ynl --do view-set --json '{"part-name": "p"}' 2>&1)
	t_true "ynl view-set without enabled: extack" grep -q "say enabled 1 (on) or 0 (off)" <<<"$err"
	err=$(ynl --do view-set --json '{"part-name": "p", "enabled": 2}' 2>&1)
	t_true "ynl view-set enabled 2: out of range" grep -qi "range\|Numerical result" <<<"$err"
	err=$(ynl --do view-get --json '{"part-id": 1, "part-name": "zz"}' 2>&1)
	t_true "ynl view-get id and name disagree" grep -q "is named p\|no partition" <<<"$err"
	t_eq "ynl view-get reads the map" "2 1" \
		"$(ynl --do view-get --json '{"part-name": "p"}' | jq -r '"\(.cores) \(.threads)"')"
fi

sleep 0.3
kill $mon
wait $mon 2>/dev/null
sed 's/^/# /' /tmp/hwt.events
t_true "events: the switch and the CPU changes were announced" \
	test "$(grep -c '\[change\] .*p' /tmp/hwt.events)" -ge 6
t_ok "delete p" lparctl delete p
t_eq "dump is empty" "[]" "$(lparctl -j hwt list | jq -c .)"
