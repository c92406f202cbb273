/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printer for both output formats, after iproute2's json_print: a
 * command describes its output once, as a stream of keyed values inside
 * objects and arrays, and the printer renders it either as text (each
 * value through its printf format; keys and brackets are not shown) or as
 * JSON (keys and values; text formats are ignored). A NULL format makes a
 * value JSON-only; jp_text() output is text-only.
 *
 * The printer writes to stdout and keeps its nesting state in the file, as
 * a process prints one document at a time.
 */
#ifndef LPAR_TOOLS_JSON_H
#define LPAR_TOOLS_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/compiler.h"

void jp_setup(bool json, bool pretty);
bool jp_is_json(void);

void jp_open_object(const char *key);
void jp_close_object(void);
void jp_open_array(const char *key);
void jp_close_array(void);

void jp_string(const char *key, const char *fmt, const char *val);
void jp_u64(const char *key, const char *fmt, uint64_t val);
void jp_u32(const char *key, const char *fmt, uint32_t val);
void jp_text(const char *fmt, ...) __printf(1, 2);

int jp_flush(void);

#endif /* LPAR_TOOLS_JSON_H */
