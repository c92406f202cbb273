// SPDX-License-Identifier: GPL-2.0
/*
 * lparctl's entry point: global options, the object table and the shared
 * parsing of command arguments. The grammar is ip's and devlink's,
 * "lparctl [OPTIONS] OBJECT COMMAND [ARGS]"; partition commands are also
 * accepted without their object ("lparctl create web" is "lparctl part
 * create web"), since partitions are what the tool is mostly about. The
 * output options may also follow the command ("lparctl show web -j").
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linux/lpar.h>

#include "lib/json.h"
#include "lparctl.h"

const struct lparctl_object *const lparctl_objects[] = {
	&lparctl_part,		/* part.c: lpar family */
	&lparctl_adjunct,	/* adjunct.c: lpar_adjunct family */
	&lparctl_ckpt,		/* ckpt.c: lpar_ckpt family */
	&lparctl_fold,		/* fold.c: lpar_fold family */
	&lparctl_hwt,		/* hwt.c: lpar_hwt family */
};

#define N_OBJECTS	ARRAY_SIZE(lparctl_objects)
const size_t lparctl_n_objects = N_OBJECTS;

static bool opt_json, opt_pretty;

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: lparctl [OPTIONS] OBJECT COMMAND [ARGS]...\n"
		"       lparctl [OPTIONS] COMMAND [ARGS]...   (partition commands)\n"
		"       lparctl [OPTIONS] monitor [OBJECT...]\n"
		"       lparctl help\n"
		"where  OBJECT := {");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(f, " %s%s", lparctl_objects[i]->name, i + 1 < N_OBJECTS ? " |" : "");
	fprintf(f,
		" }\n"
		"       OPTIONS := { -j|--json | -p|--pretty | -V|--version }\n"
		"\n");
	for (i = 0; i < N_OBJECTS; i++)
		lparctl_object_help(f, lparctl_objects[i]);
}

/*
 * Output options are accepted anywhere on the line, as a cluster of short
 * ones ("-jp") or long ones. Returns whether @arg was one of them.
 */
static bool parse_output_opt(const char *arg)
{
	const char *c;

	if (!strcmp(arg, "--json")) {
		opt_json = true;
	} else if (!strcmp(arg, "--pretty")) {
		opt_pretty = true;
	} else if (arg[0] == '-' && arg[1] && arg[1] != '-' &&
		   strspn(arg + 1, "jp") == strlen(arg + 1)) {
		for (c = arg + 1; *c; c++) {
			if (*c == 'j')
				opt_json = true;
			else
				opt_pretty = true;
		}
	} else {
		return false;
	}
	jp_setup(opt_json, opt_pretty);
	return true;
}

/**
 * lparctl_usage_error() - report a usage error and return its exit status
 * @cmd: the command, named in the message and the hint where help is; NULL
 *       for the top level
 * @fmt: what is wrong
 *
 * Return: EXIT_USAGE.
 */
int lparctl_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s%s", program_invocation_short_name, cmd ? cmd : "",
		cmd ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'lparctl %s%shelp'.\n", cmd ? cmd : "", cmd ? " " : "");
	return EXIT_USAGE;
}

/* The object word as usage lines show it; partition commands need none. */
static const char *object_word(const struct lparctl_object *obj)
{
	return strcmp(obj->name, "part") ? obj->name : "[part]";
}

/**
 * lparctl_object_help() - print the usage lines of an object's commands
 * @f:   where to
 * @obj: the object
 */
void lparctl_object_help(FILE *f, const struct lparctl_object *obj)
{
	size_t i;

	for (i = 0; i < obj->n_cmds; i++)
		fprintf(f, "%s lparctl %s %s%s%s\n", i ? "      " : "Usage:", object_word(obj),
			obj->cmds[i].name, *obj->cmds[i].args ? " " : "", obj->cmds[i].args);
}

/**
 * lparctl_object_run() - run the command argv[0] of an object
 * @obj:  the object
 * @argc: number of words after the object's
 * @argv: the command word and its arguments; none runs the object's bare
 *        command, "help" as the command or as its first argument prints
 *        usage instead
 *
 * Return: exit status.
 */
int lparctl_object_run(const struct lparctl_object *obj, int argc, char **argv)
{
	const struct lparctl_cmd *cmd = NULL;
	size_t i;

	if (!argc)
		return obj->bare(0, NULL);
	if (!strcmp(argv[0], "help")) {
		lparctl_object_help(stdout, obj);
		return EXIT_SUCCESS;
	}
	for (i = 0; i < obj->n_cmds && !cmd; i++)
		if (!strcmp(argv[0], obj->cmds[i].name))
			cmd = &obj->cmds[i];
	if (!cmd)
		return lparctl_usage_error(obj->name, "unknown command '%s'", argv[0]);
	if (argc > 1 && !strcmp(argv[1], "help")) {
		printf("Usage: lparctl %s %s%s%s\n%s", object_word(obj), cmd->name,
		       *cmd->args ? " " : "", cmd->args, cmd->help);
		return EXIT_SUCCESS;
	}
	return cmd->run(argc - 1, argv + 1);
}

static const struct lparctl_opt *find_opt(const struct lparctl_opt *opts,
					  const char *name, size_t len)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == len && !strncmp(opts->name, name, len))
			return opts;
	return NULL;
}

/**
 * lparctl_parse_args() - split a command's arguments
 * @cmd:     the command word, for messages
 * @argc:    number of arguments after the command word
 * @argv:    those arguments
 * @opts:    the command's options, ended by an entry with a NULL name;
 *           "--opt VALUE" and "--opt=VALUE" are both accepted
 * @pos:     receives the positional arguments
 * @max_pos: room in @pos
 *
 * Output options (-j, -p) are taken wherever they appear; "--" ends
 * option parsing.
 *
 * Return: the number of positional arguments, or -1 after reporting a
 * usage error.
 */
int lparctl_parse_args(const char *cmd, int argc, char **argv,
		       const struct lparctl_opt *opts, char **pos, int max_pos)
{
	bool only_pos = false;
	int i, n = 0;

	for (i = 0; i < argc; i++) {
		const struct lparctl_opt *opt;
		const char *arg = argv[i], *eq;

		if (!only_pos && !strcmp(arg, "--")) {
			only_pos = true;
			continue;
		}
		if (only_pos || arg[0] != '-' || !arg[1]) {
			if (n == max_pos) {
				lparctl_usage_error(cmd, "unexpected argument '%s'", arg);
				return -1;
			}
			pos[n++] = argv[i];
			continue;
		}
		if (parse_output_opt(arg))
			continue;

		eq = strchr(arg, '=');
		opt = arg[1] == '-' ? find_opt(opts, arg + 2, eq ? (size_t)(eq - arg - 2)
								 : strlen(arg + 2)) : NULL;
		if (!opt) {
			lparctl_usage_error(cmd, "unknown option '%s'", arg);
			return -1;
		}
		if (eq) {
			*opt->val = eq + 1;
		} else if (i + 1 < argc) {
			*opt->val = argv[++i];
		} else {
			lparctl_usage_error(cmd, "option '--%s' needs a value", opt->name);
			return -1;
		}
	}
	return n;
}

/**
 * lparctl_parse_sel() - read how a command names a partition
 * @cmd:  the command word, for messages
 * @pos:  its positional arguments: "NAME" or "id ID"
 * @npos: how many (lparctl_parse_args() with room for 2)
 * @sel:  receives the name, or the id (1 to 2^32 - 1) with a NULL name
 *
 * Return: 0, or EXIT_USAGE after reporting a usage error.
 */
int lparctl_parse_sel(const char *cmd, char **pos, int npos, struct lparctl_sel *sel)
{
	unsigned long id;
	char *end;

	if (npos == 1) {
		sel->name = pos[0];
		return 0;
	}
	if (npos == 2 && !strcmp(pos[0], "id")) {
		errno = 0;
		id = strtoul(pos[1], &end, 10);
		if (!isdigit((unsigned char)pos[1][0]) || *end || errno || !id || id > UINT32_MAX)
			return lparctl_usage_error(cmd, "invalid partition id '%s'", pos[1]);
		sel->name = NULL;
		sel->id = id;
		return 0;
	}
	if (!npos)
		return lparctl_usage_error(cmd, "missing partition NAME");
	return lparctl_usage_error(cmd, "unexpected argument '%s'", pos[npos - 1]);
}

const struct lparctl_object *lparctl_find_object(const char *name)
{
	size_t i;

	for (i = 0; i < N_OBJECTS; i++)
		if (!strcmp(lparctl_objects[i]->name, name))
			return lparctl_objects[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct lparctl_object *obj;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *arg = argv[0];

		if (!strcmp(arg, "--")) {
			argc--;
			argv++;
			break;
		}
		if (parse_output_opt(arg))
			continue;
		if (!strcmp(arg, "-V") || !strcmp(arg, "--version")) {
			printf("lparctl %s (%s netlink family version %d)\n", LPARCTL_VERSION,
			       LPAR_FAMILY_NAME, LPAR_FAMILY_VERSION);
			return EXIT_SUCCESS;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			usage(stdout);
			return EXIT_SUCCESS;
		}
		return lparctl_usage_error(NULL, "unknown option '%s'", arg);
	}

	if (!argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return EXIT_SUCCESS;
	}

	if (!strcmp(argv[0], "monitor"))
		return lparctl_monitor(argc - 1, argv + 1);
	obj = lparctl_find_object(argv[0]);
	if (obj)
		return lparctl_object_run(obj, argc - 1, argv + 1);
	/* Not an object: a partition command at the top level. */
	return lparctl_object_run(&lparctl_part, argc, argv);
}
