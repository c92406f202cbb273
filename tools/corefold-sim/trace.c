// SPDX-License-Identifier: GPL-2.0
/*
 * Trace readers for corefold-sim. Both formats end as the same table: a
 * row per policy interval, a column per partition, demand in per mille of
 * the partition's CPUs. Empty cells (the Alibaba trace has many) repeat the
 * partition's previous value. Errors name the file and line.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compiler.h"
#include "trace.h"

#define LINE_MAX_LEN	4096
#define NO_VALUE	0xffff

struct sample {
	unsigned int part;
	long long ts;
	uint16_t val;
};

static __printf(3, 4) int trace_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Splits @line at commas in place; returns the number of fields. */
static unsigned int split(char *line, char **field, unsigned int max)
{
	unsigned int n = 0;
	char *p = line;

	line[strcspn(line, "\r\n")] = 0;
	for (;;) {
		if (n == max)
			return max + 1;
		field[n++] = p;
		p = strchr(p, ',');
		if (!p)
			return n;
		*p++ = 0;
	}
}

/* A percentage 0..100 as per mille; "" is NO_VALUE. */
static int parse_pct(const char *s, uint16_t *out)
{
	char *end;
	double v;

	if (!*s) {
		*out = NO_VALUE;
		return 0;
	}
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !(v >= 0 && v <= 100))
		return -EINVAL;
	*out = (uint16_t)lround(v * 10);
	return 0;
}

static bool blank_or_comment(const char *line)
{
	return line[0] == '#' || line[strspn(line, " \t\r\n")] == 0;
}

/* Fills NO_VALUE cells with the partition's previous value (0 at first). */
static void carry_forward(struct trace *t)
{
	unsigned int r, p;

	for (p = 0; p < t->nr_parts; p++) {
		uint16_t last = 0;

		for (r = 0; r < t->nr_rows; r++) {
			uint16_t *v = &t->demand[(size_t)r * t->nr_parts + p];

			if (*v == NO_VALUE)
				*v = last;
			last = *v;
		}
	}
}

static int grow(void **buf, size_t *cap, size_t need, size_t size)
{
	void *n;

	if (need <= *cap)
		return 0;
	*cap = *cap ? 2 * *cap : 1024;
	if (*cap < need)
		*cap = need;
	n = realloc(*buf, *cap * size);
	if (!n)
		return -ENOMEM;
	*buf = n;
	return 0;
}

static int load_csv(FILE *f, const char *path, char *line, unsigned int lineno,
		    struct trace *t, char *err, size_t errlen)
{
	char *field[TRACE_MAX_PARTS + 2];
	double first_t = 0, prev_t = 0;
	size_t cap = 0;
	unsigned int n, i;

	n = split(line, field, TRACE_MAX_PARTS + 1);
	if (n < 2 || n > TRACE_MAX_PARTS + 1)
		return trace_err(err, errlen, "%s:%u: header needs time_s and 1..%d partitions",
				 path, lineno, TRACE_MAX_PARTS);
	t->format = "csv";
	t->nr_parts = n - 1;
	for (i = 1; i < n; i++) {
		t->names[i - 1] = strdup(field[i]);
		if (!t->names[i - 1])
			return -ENOMEM;
	}
	while (fgets(line, LINE_MAX_LEN, f)) {
		double ts;
		char *end;

		lineno++;
		if (blank_or_comment(line))
			continue;
		n = split(line, field, TRACE_MAX_PARTS + 1);
		if (n != t->nr_parts + 1)
			return trace_err(err, errlen, "%s:%u: expected %u fields, got %u",
					 path, lineno, t->nr_parts + 1, n);
		ts = strtod(field[0], &end);
		if (*end || end == field[0] || (t->nr_rows && ts <= prev_t))
			return trace_err(err, errlen, "%s:%u: bad or non-increasing time \"%s\"",
					 path, lineno, field[0]);
		if (!t->nr_rows)
			first_t = ts;
		if (t->nr_rows == 1)
			t->step_s = ts - first_t;
		prev_t = ts;
		if (grow((void **)&t->demand, &cap, (size_t)(t->nr_rows + 1) * t->nr_parts,
			 sizeof(*t->demand)))
			return -ENOMEM;
		for (i = 0; i < t->nr_parts; i++)
			if (parse_pct(field[i + 1],
				      &t->demand[(size_t)t->nr_rows * t->nr_parts + i]))
				return trace_err(err, errlen,
						 "%s:%u: demand \"%s\" is not a percentage 0..100",
						 path, lineno, field[i + 1]);
		t->nr_rows++;
	}
	return 0;
}

static int cmp_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (int)x->part - (int)y->part;
}

static int load_alibaba(FILE *f, const char *path, char *line, unsigned int lineno,
			struct trace *t, char *err, size_t errlen)
{
	size_t cap = 0, dcap = 0, nr = 0, i, k;
	long long last_ts = 0, step = 0;
	struct sample *s = NULL;
	int ret = 0;

	t->format = "alibaba";
	for (;; lineno++) {
		char *field[10];
		unsigned int n, p;
		char *end;

		if (!blank_or_comment(line)) {
			n = split(line, field, 9);
			if (n != 9) {
				ret = trace_err(err, errlen,
						"%s:%u: machine_usage rows have 9 fields, got %u",
						path, lineno, n);
				goto out;
			}
			for (p = 0; p < t->nr_parts; p++)
				if (!strcmp(t->names[p], field[0]))
					break;
			if (p == TRACE_MAX_PARTS) {
				ret = trace_err(err, errlen, "%s:%u: more than %d machines",
						path, lineno, TRACE_MAX_PARTS);
				goto out;
			}
			if (p == t->nr_parts) {
				t->names[p] = strdup(field[0]);
				if (!t->names[p]) {
					ret = -ENOMEM;
					goto out;
				}
				t->nr_parts++;
			}
			if (grow((void **)&s, &cap, nr + 1, sizeof(*s))) {
				ret = -ENOMEM;
				goto out;
			}
			s[nr].part = p;
			s[nr].ts = strtoll(field[1], &end, 10);
			if (*end || end == field[1] || parse_pct(field[2], &s[nr].val)) {
				ret = trace_err(err, errlen,
						"%s:%u: bad time_stamp or cpu_util_percent",
						path, lineno);
				goto out;
			}
			nr++;
		}
		if (!fgets(line, LINE_MAX_LEN, f))
			break;
	}

	/* One row per distinct time stamp, in time order. */
	qsort(s, nr, sizeof(*s), cmp_sample);
	for (i = 0; i < nr; i++) {
		uint16_t *row;

		if (!i || s[i].ts != last_ts) {
			if (i && (!step || s[i].ts - last_ts < step))
				step = s[i].ts - last_ts;
			last_ts = s[i].ts;
			t->nr_rows++;
			if (grow((void **)&t->demand, &dcap, (size_t)t->nr_rows * t->nr_parts,
				 sizeof(*t->demand))) {
				ret = -ENOMEM;
				goto out;
			}
			row = &t->demand[(size_t)(t->nr_rows - 1) * t->nr_parts];
			for (k = 0; k < t->nr_parts; k++)
				row[k] = NO_VALUE;
		}
		t->demand[(size_t)(t->nr_rows - 1) * t->nr_parts + s[i].part] = s[i].val;
	}
	t->step_s = step;
out:
	free(s);
	return ret;
}

/**
 * trace_load() - read a trace file
 * @path: the file
 * @t: zeroed trace to fill
 * @err: buffer for a message on failure
 * @errlen: its size
 *
 * The format is recognized by its first data line: a header starting with
 * "time_s" is the corefold CSV format, a nine-field row the Alibaba one.
 *
 * Return: 0, or -errno (with a message in @err for format errors).
 */
int trace_load(const char *path, struct trace *t, char *err, size_t errlen)
{
	unsigned int lineno = 0;
	char *line;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	line = malloc(LINE_MAX_LEN);
	if (!line) {
		fclose(f);
		return -ENOMEM;
	}
	ret = trace_err(err, errlen, "%s: no data", path);
	while (fgets(line, LINE_MAX_LEN, f)) {
		lineno++;
		if (blank_or_comment(line))
			continue;
		if (!strncmp(line, "time_s,", 7))
			ret = load_csv(f, path, line, lineno, t, err, errlen);
		else
			ret = load_alibaba(f, path, line, lineno, t, err, errlen);
		break;
	}
	if (!ret && !t->nr_rows)
		ret = trace_err(err, errlen, "%s: no data rows", path);
	if (!ret)
		carry_forward(t);
	if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	free(line);
	fclose(f);
	return ret;
}

/**
 * trace_free() - release what trace_load() allocated
 * @t: the trace
 */
void trace_free(struct trace *t)
{
	unsigned int i;

	for (i = 0; i < t->nr_parts; i++)
		free(t->names[i]);
	free(t->demand);
	memset(t, 0, sizeof(*t));
}
