#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PID 1 of the lpar test VM. The root is the host's, read-only over 9p; this
# mounts the kernel file systems and tmpfs where the guest must write, mounts
# the writable results share, runs the command the runner left in env.sh and
# powers off. The command's exit status is written to the share as `rc`.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/home TERM=${TERM:-linux} LANG=C.UTF-8

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /mnt
mkdir -p /mnt/out
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 lparout /mnt/out
# shellcheck source=/dev/null
. /mnt/out/env.sh
# Writable scratch over the read-only root. Host paths the run needs that
# lie below one of these (a clone in /tmp, say) are carried over the
# tmpfs with bind mounts.
keep=("$LPAR_ROOT" "$LPAR_KDIR" "$(readlink -f "$LPAR_KDIR/source")")
for d in /tmp /run /var/tmp /var/log /home; do
	held=()
	for k in "${keep[@]}"; do
		case "$k" in "$d"/*)
			mkdir -p "/mnt/keep$k" && mount --bind "$k" "/mnt/keep$k" && held+=("$k") ;;
		esac
	done
	mount -t tmpfs -o mode=0755 tmpfs "$d"
	for k in "${held[@]}"; do
		mkdir -p "$k" && mount --move "/mnt/keep$k" "$k"
	done
done
chmod 1777 /tmp /var/tmp /dev/shm
mkdir -p "$HOME"
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup
ip link set lo up
hostname lpar-vm
export LPAR_ROOT LPAR_KDIR LPAR_FLAVOUR LPAR_OUT=/mnt/out
cd "$LPAR_ROOT" || exit 1

if [ "$LPAR_INTERACTIVE" = 1 ]; then
	"$LPAR_ROOT/tools/vm/load.sh"
	echo "lpar test VM: modules loaded, lparctl on PATH; 'exit' powers off."
	export PATH="$LPAR_ROOT/tools/lparctl:$LPAR_ROOT/tools/testing:$PATH"
	setsid -c /bin/bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=0
else
	"${LPAR_CMD[@]}"
	rc=$?
fi

if [ -w /sys/kernel/debug/kmemleak ]; then
	# kmemleak ignores objects younger than 5 s; scan after that so leaks
	# of the last test are reported too, and print them on the console.
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak
fi
echo "$rc" >/mnt/out/rc
sync
umount /mnt/out
echo o >/proc/sysrq-trigger
sleep 10
