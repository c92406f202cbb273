/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What lparctl's object files share with main.c. Each object (part, and
 * later adjunct, ckpt, fold, hwt) is one file exporting one struct
 * lparctl_object; main.c owns the global options, the dispatch to objects
 * and the parsing of command arguments, so that every command accepts
 * options the same way and reports usage errors alike (exit 2).
 */
#ifndef LPARCTL_H
#define LPARCTL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/compiler.h"

struct nl_msg;

#define LPARCTL_VERSION	"0.1"

/* Exit statuses: 0 and 1 (EXIT_FAILURE: refused by kernel or system), and */
#define EXIT_USAGE	2

/**
 * struct lparctl_events - the events of an object's family, for `monitor`
 * @family:  generic netlink family name
 * @version: its version
 * @module:  the kernel module that registers it (for the "not loaded" hint)
 * @mcgrp:   the multicast group carrying the events
 * @print:   prints one event message of the family (text or JSON); returns
 *           0, or -errno to stop the monitor
 */
struct lparctl_events {
	const char *family;
	unsigned int version;
	const char *module;
	const char *mcgrp;
	int (*print)(struct nl_msg *msg);
};

/**
 * struct lparctl_cmd - one COMMAND of an object
 * @name: the word selecting it
 * @run:  runs it; argv[0] is the first argument after the command word
 * @args: its arguments, for the usage line
 * @help: what it does, printed by "lparctl OBJECT COMMAND help"
 */
struct lparctl_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
};

/**
 * struct lparctl_object - one OBJECT of "lparctl OBJECT COMMAND [ARGS]"
 * @name:   the word selecting it
 * @cmds:   its commands
 * @n_cmds: how many
 * @bare:   the command run by the object's word alone ("lparctl part")
 * @events: its family's events, followed by `lparctl monitor`; NULL if none
 */
struct lparctl_object {
	const char *name;
	const struct lparctl_cmd *cmds;
	size_t n_cmds;
	int (*bare)(int argc, char **argv);
	const struct lparctl_events *events;
};

int lparctl_object_run(const struct lparctl_object *obj, int argc, char **argv);
void lparctl_object_help(FILE *f, const struct lparctl_object *obj);

extern const struct lparctl_object *const lparctl_objects[];
extern const size_t lparctl_n_objects;
const struct lparctl_object *lparctl_find_object(const char *name);
int lparctl_monitor(int argc, char **argv);
int lparctl_monitor_one(const struct lparctl_object *obj);

extern const struct lparctl_object lparctl_part;
extern const struct lparctl_object lparctl_adjunct;
extern const struct lparctl_object lparctl_ckpt;
extern const struct lparctl_object lparctl_fold;
extern const struct lparctl_object lparctl_hwt;

/**
 * struct lparctl_opt - a command's long option; all of them take a value
 * @name: the option without its leading "--"
 * @val:  where its value goes; untouched when the option is absent
 */
struct lparctl_opt {
	const char *name;
	const char **val;
};

int lparctl_parse_args(const char *cmd, int argc, char **argv,
		       const struct lparctl_opt *opts, char **pos, int max_pos);
/**
 * struct lparctl_sel - how a command names a partition: "NAME" or "id ID"
 * @name: its name, or NULL when named by id
 * @id:   its id, when @name is NULL
 */
struct lparctl_sel {
	const char *name;
	uint32_t id;
};

int lparctl_parse_sel(const char *cmd, char **pos, int npos, struct lparctl_sel *sel);
int lparctl_usage_error(const char *cmd, const char *fmt, ...)
	__printf(2, 3);

#endif /* LPARCTL_H */
