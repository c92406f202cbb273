# SPDX-License-Identifier: GPL-2.0
#
# Demo step (sourced by tools/demo/story.sh): checkpoint a workload's
# memory in partition db and replicate it to a backup host over NBD; the
# replica is identical; when the replicator is paused the guard band
# fires and nothing is lost. Uses story.sh's run/refuse/say; leaves
# nothing behind.

step_vmcheckpoint() {
	local ck=$ROOT/tools/ckpt node=/dev/lpar_ckpt/db/vm
	local writer="$ck/ckpt-writer --region $node --threads 2 --writes 100 --round-ms 20"

	say "A VM's memory as a tracked region of partition db (charged to its budget):"
	say "every checkpoint logs which 64-byte lines changed, and which thread wrote."
	run lparctl ckpt create db vm --size 16M --ring 2048 --guard 64
	run "lparctl show db | grep used"
	say "The backup host: nbd-server in netns 'backup'; the primary writes the"
	say "replica to /dev/nbd0 and acknowledges each checkpoint once it is there."
	run "$ck/nbd-backup.sh up backup /tmp/demo-backup.img 16M /dev/nbd0"
	run "$ck/lpar-ckpt-replicate --progress 1 $node /dev/nbd0 >/tmp/demo-repl.log 2>&1 &" \
		"echo \$! >/tmp/demo-repl.pid"
	say "The kernel checkpoints every 20 ms while a workload in db writes:"
	run lparctl ckpt start db vm --interval 20
	run "sh -c 'echo \$\$ >/sys/fs/cgroup/db/cgroup.procs; exec $writer --rounds 30 --seed 1" \
		"--free-run --replica /dev/nbd0' | grep -o 'replica_match [0-9]*'"
	run "lparctl ckpt show db vm"
	say "Pause the replicator: the log fills up to its guard band, the consumer is"
	say "signalled (eventfd, POLLPRI), and changed pages go to the fallback set."
	run "$writer --rounds 40 --seed 2 --free-run --replica /dev/nbd0 >/tmp/demo-w.log 2>&1 &" \
		"echo \$! >/tmp/demo-w.pid"
	run "sleep 0.3; kill -STOP \$(cat /tmp/demo-repl.pid); sleep 2"
	run "lparctl -j ckpt show db vm | jq -c '{epoch, acked, log_used, guard_events, fallback_pages}'"
	run "lparctl -j ckpt show db vm | jq -e '.guard_events > 0' >/dev/null"
	say "Resume it: it drains the log and the fallback set; nothing was lost."
	run "kill -CONT \$(cat /tmp/demo-repl.pid); wait \$(cat /tmp/demo-w.pid) 2>/dev/null;" \
		"while kill -0 \$(cat /tmp/demo-w.pid) 2>/dev/null; do sleep 0.2; done;" \
		"grep -o 'replica_match 1' /tmp/demo-w.log"
	run lparctl ckpt stop db vm
	run "kill \$(cat /tmp/demo-repl.pid); sleep 0.5; grep '^summary' /tmp/demo-repl.log"
	say "On the backup host's disk: the same bytes as the last checkpoint."
	run "nbd-client -d /dev/nbd0 >/dev/null; cmp /tmp/demo-backup.img $node && echo identical"
	run "$ck/nbd-backup.sh down backup /dev/nbd0"
	run lparctl ckpt delete db vm
	run "rm -f /tmp/demo-backup.img /tmp/demo-repl.log /tmp/demo-repl.pid /tmp/demo-w.log" \
		"/tmp/demo-w.pid"
}
