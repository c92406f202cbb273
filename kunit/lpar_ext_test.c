// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for lpar_core's extension API (lpar_core/lpar.h), driven
 * through the same lpar_create/lpar_set/lpar_destroy calls the netlink
 * handlers use: hooks fire once each, in order, with the right state;
 * a failing hook rolls creation back; budgets charge and refuse exactly;
 * deletion waits for a lingering user; lookups stop at deletion; a task
 * is found in the partition of its cgroup. It needs lpar.ko loaded and
 * leaves no partition behind.
 */
#include <kunit/test.h>
#include <linux/cgroup.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "lpar_core/partition.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* A test extension that records what it was told. */
struct rec_ext {
	struct lpar_ext ext;
	int creates, destroys, cpus_changes, netns_changes;
	int fail_create;		/* errno the create hook returns */
	struct lpar *last;
	struct net *old_net;
	bool priv_seen_in_destroy;
};

static struct rec_ext *to_rec(struct lpar_ext *ext)
{
	return container_of(ext, struct rec_ext, ext);
}

static int rec_create(struct lpar_ext *ext, struct lpar *p)
{
	struct rec_ext *r = to_rec(ext);

	if (r->fail_create)
		return r->fail_create;
	r->creates++;
	r->last = p;
	lpar_ext_set_priv(p, ext, r);
	return 0;
}

static void rec_destroy(struct lpar_ext *ext, struct lpar *p)
{
	struct rec_ext *r = to_rec(ext);

	r->destroys++;
	r->priv_seen_in_destroy = lpar_ext_priv(p, ext) == r;
	lpar_ext_set_priv(p, ext, NULL);
}

static void rec_cpus(struct lpar_ext *ext, struct lpar *p)
{
	to_rec(ext)->cpus_changes++;
}

static void rec_netns(struct lpar_ext *ext, struct lpar *p, struct net *old)
{
	to_rec(ext)->netns_changes++;
	to_rec(ext)->old_net = old;
}

static void rec_init(struct rec_ext *r)
{
	memset(r, 0, sizeof(*r));
	r->ext.name = "kunit";
	r->ext.part_create = rec_create;
	r->ext.part_destroy = rec_destroy;
	r->ext.cpus_changed = rec_cpus;
	r->ext.netns_changed = rec_netns;
}

static struct lpar *make(struct kunit *test, const char *name, const char *cpus, u64 budget)
{
	struct lpar_request req = {
		.name = name, .cpus = cpus, .set_budget = !!budget, .budget = budget,
	};
	struct lpar *p = lpar_create(&req, NULL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	return p;
}

static void lpar_ext_hooks_follow_lifecycle(struct kunit *test)
{
	struct lpar_request set = { .cpus = "1" };
	struct rec_ext r;
	struct cpumask mask;
	struct lpar *p;

	rec_init(&r);
	KUNIT_ASSERT_EQ(test, lpar_ext_register(&r.ext), 0);
	p = make(test, "kunit-life", "", 0);
	KUNIT_EXPECT_EQ(test, r.creates, 1);
	KUNIT_EXPECT_PTR_EQ(test, r.last, p);

	KUNIT_EXPECT_EQ(test, lpar_set(p, &set, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.cpus_changes, 1);
	lpar_cpus(p, &mask);
	KUNIT_EXPECT_TRUE(test, cpumask_test_cpu(1, &mask));
	KUNIT_EXPECT_EQ(test, cpumask_weight(&mask), 1U);

	set = (struct lpar_request){ .set_net = true, .net = get_net(&init_net) };
	KUNIT_EXPECT_EQ(test, lpar_set(p, &set, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.netns_changes, 1);
	KUNIT_EXPECT_NULL(test, r.old_net);
	KUNIT_EXPECT_EQ(test, r.cpus_changes, 1);	/* not told of what did not change */

	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.destroys, 1);
	KUNIT_EXPECT_TRUE(test, r.priv_seen_in_destroy);
	lpar_ext_unregister(&r.ext);
	KUNIT_EXPECT_EQ(test, r.destroys, 1);		/* no second destroy */
}

static void lpar_ext_register_attaches_existing(struct kunit *test)
{
	struct lpar *a = make(test, "kunit-a", "", 0), *b = make(test, "kunit-b", "", 0);
	struct rec_ext r;

	rec_init(&r);
	KUNIT_ASSERT_EQ(test, lpar_ext_register(&r.ext), 0);
	KUNIT_EXPECT_EQ(test, r.creates, 2);
	lpar_ext_unregister(&r.ext);
	KUNIT_EXPECT_EQ(test, r.destroys, 2);
	KUNIT_EXPECT_EQ(test, lpar_destroy(a, NULL), 0);
	KUNIT_EXPECT_EQ(test, lpar_destroy(b, NULL), 0);
	KUNIT_EXPECT_EQ(test, r.destroys, 2);		/* unregistered: not told */
}

static void lpar_ext_failing_create_rolls_back(struct kunit *test)
{
	struct lpar_request req = { .name = "kunit-fail", .cpus = "2" };
	struct rec_ext r;
	struct lpar *p;

	rec_init(&r);
	r.fail_create = -ENOMEM;
	KUNIT_ASSERT_EQ(test, lpar_ext_register(&r.ext), 0);
	p = lpar_create(&req, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR(p), -ENOMEM);
	KUNIT_EXPECT_NULL(test, lpar_get_by_name("kunit-fail"));
	lpar_ext_unregister(&r.ext);
	/* Name and CPU 2 are free again. */
	p = make(test, "kunit-fail", "2", 0);
	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
}

static void lpar_budget_charges_exactly(struct kunit *test)
{
	struct lpar *p = make(test, "kunit-budget", "", 4096);
	struct lpar_request set = { .set_budget = true, .budget = 1000 };
	u64 budget, used;

	KUNIT_EXPECT_EQ(test, lpar_charge(p, 4000), 0);
	KUNIT_EXPECT_EQ(test, lpar_charge(p, 97), -ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic64_read(&p->charge_fails), 1LL);
	KUNIT_EXPECT_EQ(test, lpar_charge(p, 96), 0);
	KUNIT_EXPECT_EQ(test, lpar_set(p, &set, NULL), -EBUSY);
	lpar_uncharge(p, 4096);
	KUNIT_EXPECT_EQ(test, lpar_set(p, &set, NULL), 0);
	lpar_budget_read(p, &budget, &used);
	KUNIT_EXPECT_EQ(test, budget, 1000ULL);
	KUNIT_EXPECT_EQ(test, used, 0ULL);
	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
}

struct late_put {
	struct delayed_work work;
	struct lpar *p;
	ktime_t put_at;
};

static void late_put_fn(struct work_struct *work)
{
	struct late_put *l = container_of(to_delayed_work(work), struct late_put, work);

	l->put_at = ktime_get();
	lpar_put(l->p);
}

static void lpar_destroy_waits_for_last_user(struct kunit *test)
{
	struct lpar *p = make(test, "kunit-wait", "", 0);
	struct late_put l = { .p = lpar_get(p) };
	ktime_t done;

	INIT_DELAYED_WORK(&l.work, late_put_fn);
	schedule_delayed_work(&l.work, msecs_to_jiffies(200));
	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
	done = ktime_get();
	KUNIT_EXPECT_NE(test, ktime_to_ns(l.put_at), 0LL);
	KUNIT_EXPECT_TRUE(test, ktime_after(done, l.put_at));
	flush_delayed_work(&l.work);
}

static int count_one(struct lpar *p, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void lpar_lookups_stop_at_delete(struct kunit *test)
{
	struct lpar *p = make(test, "kunit-look", "", 0), *q;
	int before = 0, after = 0;
	u32 id = lpar_id(p);

	q = lpar_get_by_id(id);
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	lpar_put(q);
	q = lpar_get_by_name("kunit-look");
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	lpar_put(q);
	KUNIT_EXPECT_STREQ(test, lpar_name(p), "kunit-look");
	lpar_for_each(count_one, &before);
	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
	lpar_for_each(count_one, &after);
	KUNIT_EXPECT_EQ(test, after, before - 1);
	KUNIT_EXPECT_NULL(test, lpar_get_by_id(id));
	KUNIT_EXPECT_NULL(test, lpar_get_by_name("kunit-look"));
}

static void lpar_of_task_follows_cgroup(struct kunit *test)
{
	struct lpar_request req = { .name = "kunit-task" };
	struct lpar *p, *q;

	KUNIT_EXPECT_NULL(test, lpar_of_task(current));
	req.cgrp = cgroup_get_from_path("/");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, req.cgrp);
	p = lpar_create(&req, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	q = lpar_of_task(current);	/* every task is below the root */
	KUNIT_EXPECT_PTR_EQ(test, q, p);
	lpar_put(q);

	req = (struct lpar_request){ .name = "kunit-task2", .cgrp = cgroup_get_from_path("/") };
	KUNIT_EXPECT_EQ(test, PTR_ERR(lpar_create(&req, NULL)), -EBUSY);

	KUNIT_EXPECT_EQ(test, lpar_destroy(p, NULL), 0);
	KUNIT_EXPECT_NULL(test, lpar_of_task(current));
}

static struct kunit_case lpar_ext_test_cases[] = {
	KUNIT_CASE(lpar_ext_hooks_follow_lifecycle),
	KUNIT_CASE(lpar_ext_register_attaches_existing),
	KUNIT_CASE(lpar_ext_failing_create_rolls_back),
	KUNIT_CASE(lpar_budget_charges_exactly),
	KUNIT_CASE(lpar_destroy_waits_for_last_user),
	KUNIT_CASE(lpar_lookups_stop_at_delete),
	KUNIT_CASE(lpar_of_task_follows_cgroup),
	{}
};

static struct kunit_suite lpar_ext_test_suite = {
	.name = "lpar_ext",
	.test_cases = lpar_ext_test_cases,
};

kunit_test_suite(lpar_ext_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for lpar_core's extension API");
