/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink client for the suite's tools (lnl = lpar netlink). Each
 * tool talks to one family per socket: lnl_open() resolves it by name,
 * lnl_request() sends one request (do or dump) and calls back once per
 * reply message until the kernel's ack, and lnl_listen() follows a
 * multicast group until the user interrupts. Failures come back as
 * -errno with the kernel's extack message kept in the socket, so a tool
 * reports "lparctl: <why>: <strerror>" with lnl_perror() the way ip does.
 * libnl-genl 3.7 has no extack API; the messages are dug out of the ack
 * TLVs here, as iw does.
 */
#ifndef LPAR_TOOLS_NL_H
#define LPAR_TOOLS_NL_H

#include <stdbool.h>
#include <stdint.h>

#include <netlink/genl/genl.h>

#define LNL_WHY_MAX	256
#define LNL_LISTEN_RCVBUF	(32 << 20)
#define LNL_LISTEN_MAX		8

struct lnl_sock {
	struct nl_sock *sk;
	const char *family_name;
	int family;
	uint8_t version;
	/*
	 * Why the last call failed, in words: the kernel's extack message or
	 * a hint of ours; empty when the errno is all there is.
	 */
	char why[LNL_WHY_MAX];
	/* @why already says everything; lnl_perror() adds no strerror(). */
	bool why_is_whole;
};

/*
 * Called once per reply (or event) message; returns 0, or -errno to fail
 * the request (remaining replies are then read but not passed on).
 */
typedef int (*lnl_msg_fn)(struct nl_msg *msg, void *arg);

int lnl_open(struct lnl_sock *nl, const char *family, uint8_t version,
	     const char *module);
void lnl_close(struct lnl_sock *nl);

struct nl_msg *lnl_msg_new(struct lnl_sock *nl, uint8_t cmd, int flags);
int lnl_request(struct lnl_sock *nl, struct nl_msg *msg, lnl_msg_fn fn, void *arg);
int lnl_dump(struct lnl_sock *nl, uint8_t cmd, lnl_msg_fn fn, void *arg);

/* A whole dump's messages, each held until lnl_msgs_free(). */
struct lnl_msgs {
	struct nl_msg **msg;
	size_t n, size;
};

int lnl_dump_collect(struct lnl_sock *nl, uint8_t cmd, int tries, struct lnl_msgs *msgs);
void lnl_msgs_free(struct lnl_msgs *msgs);
int lnl_parse(struct nl_msg *msg, struct nlattr **tb, int maxattr,
	      struct nla_policy *policy);

int lnl_subscribe(struct lnl_sock *nl, const char *group);
int lnl_listen(struct lnl_sock *nl, lnl_msg_fn fn, void *arg);
int lnl_listen_many(struct lnl_sock *const *nls, int n, lnl_msg_fn fn, void *arg);

void lnl_perror(const struct lnl_sock *nl, int err);

#endif /* LPAR_TOOLS_NL_H */
