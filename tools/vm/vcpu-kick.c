// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu-kick: started by the test VM's init, keeps its vCPUs from sleeping
 * through their timers.
 *
 * Under QEMU TCG (multi-threaded) an idle vCPU, halted in HLT, now and then
 * never gets the local APIC timer interrupt it programmed. The guest logs
 * "rcu_sched kthread timer wakeup didn't happen" and "detected stalls on
 * CPUs" with that CPU idle in pv_native_safe_halt, its timer softirq count
 * frozen; everything that waits for an RCU grace period (module unload,
 * netns deletion) then waits until something else makes that CPU leave
 * idle. Seen in make check and in the debug runs, on an otherwise idle
 * guest (Documentation/testing.md). A CPU that leaves idle to run a task
 * restarts its tick, which programs the timer again.
 *
 * Two threads take turns on the CPUs: every 250 ms each moves itself to
 * the next CPU (an offline one refuses and is skipped), so that every CPU
 * runs one of them about once a second, for a few microseconds. A thread
 * stuck on such a CPU is freed when the other one comes by.
 */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static long nr_cpus;

static void *kick(void *arg)
{
	const struct timespec step = { .tv_nsec = 250 * 1000 * 1000 };
	long cpu = (long)arg;
	cpu_set_t set;

	for (;;) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		nanosleep(&step, NULL);
		cpu = (cpu + 1) % nr_cpus;
	}
	return NULL;
}

int main(void)
{
	pthread_t other;

	nr_cpus = sysconf(_SC_NPROCESSORS_CONF);
	if (nr_cpus < 1 || nr_cpus > CPU_SETSIZE)
		return 1;
	if (nr_cpus > 1 && pthread_create(&other, NULL, kick, (void *)(nr_cpus / 2)))
		return 1;
	kick((void *)0);
	return 0;
}
