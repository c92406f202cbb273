#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Partition lifecycle as an operator drives it with lparctl: create with a
# cgroup, CPUs, netns and budget; see it in list/show/sysfs/cpuset; change
# it; watch the events; delete it and find nothing left behind.
. "$(dirname "$0")/../lib.sh"
CG=/sys/fs/cgroup
sys=/sys/kernel/lpar

ip netns add web
ip netns add db
lparctl -j monitor part >/tmp/events.json &
mon=$!
sleep 0.5

t_ok "create web with cgroup, CPUs, netns and budget" \
	lparctl create web --cpus 2-3 --cgroup $CG/web --netns web --memory 64M
t_ok "create db" lparctl create db --cpus 4,5 --cgroup $CG/db --netns db --memory 128M
t_ok "create a bare partition (no cgroup, CPUs or netns)" lparctl create spare

web=$(lparctl -j show web)
t_eq "show -j: name" web "$(jq -r .name <<<"$web")"
t_eq "show -j: cpus" 2-3 "$(jq -r .cpus <<<"$web")"
t_eq "show -j: budget in bytes" $((64 << 20)) "$(jq -r .budget <<<"$web")"
t_eq "show -j: used" 0 "$(jq -r .used <<<"$web")"
t_eq "show -j: state" active "$(jq -r .state <<<"$web")"
t_eq "show -j: cgroup path" /web "$(jq -r .cgroup <<<"$web")"
t_eq "show -j: netns inode is the one of netns web" \
	"$(stat -L -c %i /run/netns/web)" "$(jq -r .netns_ino <<<"$web")"
t_eq "db cpus formatted as a range" 4-5 "$(lparctl -j show db | jq -r .cpus)"
t_eq "default budget for spare (module parameter)" \
	"$(cat /sys/module/lpar/parameters/default_budget)" "$(lparctl -j show spare | jq -r .budget)"

t_eq "list -j has three partitions" "db spare web" \
	"$(lparctl -j list | jq -r '.[].name' | sort | xargs)"
t_true "list (text) names web" sh -c 'lparctl list | grep -q "web"'

t_eq "sysfs id" "$(jq -r .id <<<"$web")" "$(cat $sys/web/id)"
t_eq "sysfs cpus" 2-3 "$(cat $sys/web/cpus)"
t_eq "sysfs budget" $((64 << 20)) "$(cat $sys/web/budget)"
t_eq "sysfs used" 0 "$(cat $sys/web/used)"
t_eq "sysfs cgroup" /web "$(cat $sys/web/cgroup)"
t_eq "sysfs netns" "$(stat -L -c %i /run/netns/web)" "$(cat $sys/web/netns)"
t_eq "sysfs state" active "$(cat $sys/web/state)"
t_eq "cpuset.cpus of the cgroup follows the partition" 2-3 "$(cat $CG/web/cpuset.cpus)"

t_ok "set cpus and budget" lparctl set web --cpus 6-7 --memory 32M
t_eq "cpus changed" 6-7 "$(cat $sys/web/cpus)"
t_eq "budget changed" $((32 << 20)) "$(cat $sys/web/budget)"
t_eq "cpuset.cpus changed" 6-7 "$(cat $CG/web/cpuset.cpus)"
t_ok "freed CPUs 2-3 can be given to another partition" lparctl set spare --cpus 2-3
t_ok "detach the netns" lparctl set web --netns none
t_eq "netns detached" 0 "$(cat $sys/web/netns)"
t_ok "attach it again" lparctl set web --netns web
t_eq "changes counted" 3 "$(lparctl -j show web | jq -r .changes)"

t_true "a task in the cgroup is a member (cgroup.procs)" \
	sh -c "echo \$\$ > $CG/web/cgroup.procs && grep -q '^0::/web\$' /proc/self/cgroup"

t_ok "delete db" lparctl delete db
t_true "db is gone from list" sh -c '! lparctl -j list | jq -e ".[] | select(.name == \"db\")"'
t_true "db's sysfs directory is gone" test ! -e $sys/db
t_ok "its name can be reused" lparctl create db --cpus 4-5
t_ok "delete all" sh -c 'lparctl delete db && lparctl delete web && lparctl delete spare'
t_eq "nothing left" 0 "$(lparctl -j list | jq length)"

sleep 0.5
kill $mon
wait $mon 2>/dev/null
t_eq "monitor saw every create" 4 "$(jq -r 'select(.event == "create") | .name' /tmp/events.json | wc -l)"
t_eq "monitor saw every change" 4 "$(jq -r 'select(.event == "change") | .name' /tmp/events.json | wc -l)"
t_eq "monitor saw every delete" 4 "$(jq -r 'select(.event == "delete") | .name' /tmp/events.json | wc -l)"
ip netns del web
ip netns del db
t_ok "web's and db's cgroups can be removed" rmdir $CG/web $CG/db
# Create at once on the CPUs of a cgroup just removed (web's, 6-7, first),
# then delete, rmdir and create again: the new cgroup is a partition root
# each time (a removed root gives its CPUs back as rmdir returns; lparctl
# also waits for dying cgroups, for kernels that do it at css offline).
# Each miss says what it met.
roots=0 why=
for i in 1 2 3 4 5; do
	if lparctl create rc --cpus 6-7 --cgroup $CG/rc 2>/tmp/rc.err; then
		state=$(cat $CG/rc/cpuset.cpus.partition)
	else
		state="create failed"
	fi
	if [ "$state" = root ] && [ ! -s /tmp/rc.err ]; then
		roots=$((roots + 1))
	else
		why+="try $i: $state; stderr: $(cat /tmp/rc.err)
  cgroups: $(find $CG -mindepth 1 -maxdepth 1 -type d -printf '%f ')
  cpuset.cpus.exclusive.effective of /: $(cat $CG/cpuset.cpus.exclusive.effective 2>&1)
  $(grep nr_dying_descendants $CG/cgroup.stat); online $(cat /sys/devices/system/cpu/online)
  partitions: $(lparctl -j list | jq -c 'map({name, cpus})')
"
	fi
	lparctl delete rc
	rmdir $CG/rc
done
[ $roots = 5 ]
t_result $? "delete, rmdir, create at once, 5 times: a cpuset partition root each time" \
	"$roots of 5
$why"
