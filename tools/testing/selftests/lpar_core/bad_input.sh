#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Every kind of bad request gets a clear error (the kernel's extack text on
# stderr, exit status 1) and changes nothing: the partition table, sysfs
# and the CPU ownership are the same before and after.
. "$(dirname "$0")/../lib.sh"
CG=/sys/fs/cgroup

ip netns add a
mkdir -p $CG/a $CG/plain
lparctl create a --cpus 1 --cgroup $CG/a --netns a --memory 1M >/dev/null
lparctl create b0 --cpus 2 >/dev/null
state() { lparctl -j list; ls /sys/kernel/lpar; }
before=$(state)

bad() {	# bad DESC ERRTEXT ARGS...
	local desc=$1 text=$2
	shift 2
	t_err "$desc" 1 "$text" lparctl "$@"
	t_eq "$desc: nothing changed" "$before" "$(state)"
}

bad "duplicate name" "already exists" create a
bad "upper-case name" "invalid name" create Web
bad "name with a slash" "invalid name" create a/b
bad "name starting with -" "invalid name" create -- -x
bad "name of 32 chars (refused by the policy)" "policy validation" create "$(printf 'x%.0s' {1..32})"
bad "reserved name" "reserved" create corefold
bad "malformed CPU list" "malformed CPU list" create b --cpus 1-
bad "reversed CPU range" "malformed CPU list" create b --cpus 3-1
bad "CPU out of range" "does not exist" create b --cpus 4096
bad "CPU owned by another partition" "belongs to partition a" create b --cpus 0-1
bad "set: CPU owned by another partition" "belongs to partition b0" set a --cpus 1-2 --memory 2M
echo 0 >/sys/devices/system/cpu/cpu7/online
bad "offline CPU" "CPU 7 is offline" create b --cpus 7
echo 1 >/sys/devices/system/cpu/cpu7/online
bad "cgroup fd that is a cgroup v1/other directory" "not a cgroup v2 directory" create b --cgroup /tmp
bad "cgroup already bound to a partition" "bound to another partition" create b --cgroup $CG/a
bad "netns path that is not a netns" "not a network namespace" create b --netns /proc/self/ns/uts
bad "budget 0" "out of range" create b --memory 0
bad "budget beyond RAM" "out of range" create b --memory 1T
bad "set budget 0" "out of range" set a --memory 0
bad "delete a partition that does not exist" "no partition named nope" delete nope
bad "show a partition that does not exist" "no partition named nope" show nope
bad "set with nothing to change" "nothing to change" set a

echo 3 >/sys/module/lpar/parameters/max_partitions
lparctl create b >/dev/null
before=$(state)
bad "create beyond max_partitions" "max_partitions" create c
lparctl delete b
echo 1024 >/sys/module/lpar/parameters/max_partitions
before=$(state)

nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
t_err "unprivileged create: EPERM" 1 "Operation not permitted" nobody lparctl create u
t_err "unprivileged delete: EPERM" 1 "Operation not permitted" nobody lparctl delete a
t_err "unprivileged set: EPERM" 1 "Operation not permitted" nobody lparctl set a --memory 2M
t_err "root of a user namespace: EPERM" 1 "Operation not permitted" unshare -U -r lparctl create u
t_ok "unprivileged list works" nobody lparctl list
t_ok "unprivileged show works" nobody lparctl show a
t_eq "privilege failures changed nothing" "$before" "$(state)"

# Raw netlink: attributes the policy does not allow for the op.
py=/usr/bin/python3
t_err "unknown attribute type rejected" 0 "" $py "$(dirname "$0")/raw_nl.py" unknown-attr
t_err "attribute not valid for the op rejected" 0 "" $py "$(dirname "$0")/raw_nl.py" wrong-op-attr
t_err "missing name rejected with extack" 0 "" $py "$(dirname "$0")/raw_nl.py" missing-name
t_err "wrong attribute length rejected" 0 "" $py "$(dirname "$0")/raw_nl.py" short-u64
t_eq "raw requests changed nothing" "$before" "$(state)"

lparctl delete a
lparctl delete b0
ip netns del a
rmdir $CG/a $CG/plain
