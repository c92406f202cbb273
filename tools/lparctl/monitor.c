// SPDX-License-Identifier: GPL-2.0
/*
 * `lparctl monitor [OBJECT...]`: follows the events of every family of the
 * suite at once (or of the objects named), in the manner of `ip monitor`.
 * Each object that has events names its family and prints its own
 * messages; this file only opens one socket per family, subscribes it and
 * dispatches each message to the object whose family sent it. Families of
 * modules that are not loaded are skipped unless named explicitly.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/nl.h"
#include "lparctl.h"

struct monitor {
	struct lnl_sock nl[LNL_LISTEN_MAX];
	struct lnl_sock *nls[LNL_LISTEN_MAX];
	const struct lparctl_events *ev[LNL_LISTEN_MAX];
	int n;
};

static int monitor_dispatch(struct nl_msg *msg, void *arg)
{
	int type = nlmsg_hdr(msg)->nlmsg_type;
	struct monitor *m = arg;
	int i, err;

	for (i = 0; i < m->n; i++) {
		if (m->nl[i].family != type)
			continue;
		err = m->ev[i]->print(msg);
		/* Whoever reads a pipe wants each event as it happens. */
		return err ? err : jp_flush();
	}
	return 0;
}

/* Opens and subscribes @ev's family; a missing family is fatal if @named. */
static int monitor_add(struct monitor *m, const struct lparctl_events *ev, bool named)
{
	struct lnl_sock *nl = &m->nl[m->n];
	int err;

	if (m->n == LNL_LISTEN_MAX) {
		warnx("too many families to follow");
		return -E2BIG;
	}
	err = lnl_open(nl, ev->family, ev->version, ev->module);
	if (err == -ENOENT && !named)
		return 0;
	if (!err) {
		err = lnl_subscribe(nl, ev->mcgrp);
		if (err)
			lnl_close(nl);
	}
	if (err) {
		lnl_perror(nl, err);
		return err;
	}
	m->nls[m->n] = nl;
	m->ev[m->n++] = ev;
	return 0;
}

/* Follows the families added to @m; returns the exit status. */
static int monitor_run(struct monitor *m, int err)
{
	int i;

	if (!err && !m->n) {
		warnx("no family of the suite is registered: is lpar loaded?");
		err = -ENOENT;
	}
	if (!err) {
		err = lnl_listen_many(m->nls, m->n, monitor_dispatch, m);
		for (i = 0; err && i < m->n; i++)
			if (m->nl[i].why[0]) {
				lnl_perror(&m->nl[i], err);
				break;
			}
		if (err && i == m->n)
			warnx("%s", strerror(-err));
	}
	for (i = 0; i < m->n; i++)
		lnl_close(&m->nl[i]);
	return err ? EXIT_FAILURE : EXIT_SUCCESS;
}

/**
 * lparctl_monitor_one() - follow the events of one object only
 * @obj: an object that has events
 *
 * Return: exit status.
 */
int lparctl_monitor_one(const struct lparctl_object *obj)
{
	struct monitor m = { .n = 0 };

	return monitor_run(&m, monitor_add(&m, obj->events, true));
}

/**
 * lparctl_monitor() - the monitor command
 * @argc: number of OBJECT words
 * @argv: OBJECT words; none means every object that has events
 *
 * Return: exit status.
 */
int lparctl_monitor(int argc, char **argv)
{
	const struct lparctl_object *obj;
	struct monitor m = { .n = 0 };
	int i, err = 0;

	if (argc == 1 && !strcmp(argv[0], "help")) {
		printf("Usage: lparctl [-j] monitor [OBJECT...]\n"
		       "Print the events of every loaded module's family, or of the OBJECTs\n"
		       "named, as they happen, until interrupted.\n");
		return EXIT_SUCCESS;
	}
	for (i = 0; i < argc; i++) {
		if (argv[i][0] == '-')
			return lparctl_usage_error("monitor", "unknown option '%s'", argv[i]);
		obj = lparctl_find_object(argv[i]);
		if (!obj || !obj->events)
			return lparctl_usage_error("monitor", "'%s' is not an object with events",
						   argv[i]);
	}
	for (i = 0; !err && i < (argc ? argc : (int)lparctl_n_objects); i++) {
		obj = argc ? lparctl_find_object(argv[i]) : lparctl_objects[i];
		if (obj->events)
			err = monitor_add(&m, obj->events, argc > 0);
	}
	return monitor_run(&m, err);
}
