// SPDX-License-Identifier: GPL-2.0
/*
 * Streaming text/JSON printer (see json.h). JSON is emitted as it is
 * described, with no document tree in memory, so a long dump or an endless
 * event stream costs nothing to print. Each top-level value ends with a
 * newline: a monitor prints one JSON document per line, which line-oriented
 * readers (jq, a test reading a pipe) consume as they arrive.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "json.h"

/* Output is at most a few levels deep; deeper nesting is a bug. */
#define JP_MAX_DEPTH	8

static struct {
	bool json;
	bool pretty;
	unsigned int depth;
	/* Per open container: is it an object (members have keys)? */
	bool object[JP_MAX_DEPTH];
	/* Per open container: nothing in it yet, so no comma is due. */
	bool empty[JP_MAX_DEPTH];
} jp;

/**
 * jp_setup() - choose the output format
 * @json:   JSON instead of text
 * @pretty: indent JSON for people (no effect on text)
 *
 * May be called until the first value is printed, so global options can
 * still be accepted after the command words.
 */
void jp_setup(bool json, bool pretty)
{
	jp.json = json;
	jp.pretty = pretty;
}

/**
 * jp_is_json() - whether output is JSON
 *
 * For values whose text and JSON forms differ in kind rather than format,
 * such as sizes (human-readable vs. raw bytes).
 */
bool jp_is_json(void)
{
	return jp.json;
}

/*
 * JSON strings must be valid UTF-8, but cgroup paths are arbitrary bytes:
 * valid sequences are copied, each byte of an invalid one becomes U+FFFD,
 * so the document always parses and readable names survive unchanged.
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;

	/* Second-byte limits reject overlong forms, surrogates and > U+10FFFF. */
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;

	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

static void jp_put_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	putchar('"');
	while (*s) {
		size_t n = utf8_seq_len(s);

		if (!n) {
			fputs("\\ufffd", stdout);
			s++;
			continue;
		}
		if (n > 1) {
			fwrite(s, 1, n, stdout);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\b':
			fputs("\\b", stdout);
			break;
		case '\f':
			fputs("\\f", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		default:
			if (*s < 0x20 || *s == 0x7f)
				printf("\\u%04x", *s);
			else
				putchar(*s);
		}
		s++;
	}
	putchar('"');
}

static void jp_newline_indent(unsigned int depth)
{
	putchar('\n');
	printf("%*s", 4 * depth, "");
}

/* Separator, indentation and key that precede any value in JSON. */
static void jp_begin_value(const char *key)
{
	unsigned int top = jp.depth - 1;

	if (!jp.depth)
		return;
	if (!jp.empty[top])
		putchar(',');
	jp.empty[top] = false;
	if (jp.pretty)
		jp_newline_indent(jp.depth);
	if (jp.object[top]) {
		jp_put_string(key ? key : "");
		fputs(jp.pretty ? ": " : ":", stdout);
	}
}

static void jp_open(const char *key, bool object)
{
	if (!jp.json)
		return;
	if (jp.depth == JP_MAX_DEPTH)
		abort();
	jp_begin_value(key);
	putchar(object ? '{' : '[');
	jp.object[jp.depth] = object;
	jp.empty[jp.depth] = true;
	jp.depth++;
}

static void jp_close(void)
{
	if (!jp.json)
		return;
	if (!jp.depth)
		abort();
	jp.depth--;
	/* An empty container stays "{}" even when pretty. */
	if (jp.pretty && !jp.empty[jp.depth])
		jp_newline_indent(jp.depth);
	putchar(jp.object[jp.depth] ? '}' : ']');
	if (!jp.depth)
		putchar('\n');
}

/**
 * jp_open_object() - start a JSON object
 * @key: its key in the enclosing object; ignored at top level and in arrays
 */
void jp_open_object(const char *key)
{
	jp_open(key, true);
}

/** jp_close_object() - end the innermost object */
void jp_close_object(void)
{
	jp_close();
}

/**
 * jp_open_array() - start a JSON array
 * @key: its key in the enclosing object; ignored at top level and in arrays
 */
void jp_open_array(const char *key)
{
	jp_open(key, false);
}

/** jp_close_array() - end the innermost array */
void jp_close_array(void)
{
	jp_close();
}

/**
 * jp_string() - print a string value
 * @key: JSON key (inside objects)
 * @fmt: text format with one %s, or NULL for JSON-only
 * @val: the string
 */
void jp_string(const char *key, const char *fmt, const char *val)
{
	if (jp.json) {
		jp_begin_value(key);
		jp_put_string(val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

/**
 * jp_u64() - print an unsigned 64-bit value
 * @key: JSON key (inside objects)
 * @fmt: text format with one "%" PRIu64, or NULL for JSON-only
 * @val: the number
 */
void jp_u64(const char *key, const char *fmt, uint64_t val)
{
	if (jp.json) {
		jp_begin_value(key);
		printf("%" PRIu64, val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

/**
 * jp_u32() - print an unsigned 32-bit value
 * @key: JSON key (inside objects)
 * @fmt: text format with one %u, or NULL for JSON-only
 * @val: the number
 */
void jp_u32(const char *key, const char *fmt, uint32_t val)
{
	if (jp.json) {
		jp_begin_value(key);
		printf("%" PRIu32, val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

/**
 * jp_text() - print text-only output (separators, newlines, labels)
 * @fmt: printf format
 */
void jp_text(const char *fmt, ...)
{
	va_list ap;

	if (jp.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/**
 * jp_flush() - push what was printed to its reader now
 *
 * Return: 0, or -errno if stdout failed (e.g. the reader went away).
 */
int jp_flush(void)
{
	if (fflush(stdout))
		return -errno;
	return ferror(stdout) ? -EIO : 0;
}
