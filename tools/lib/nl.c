// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink client helpers (see nl.h). Everything that depends on how
 * libnl-genl reports things lives here: its error codes are turned into
 * errno values, its callbacks into one loop per request that ends at the
 * ack (do) or NLMSG_DONE (dump), and the extack TLVs it does not parse are
 * read from the raw NLMSG_ERROR/NLMSG_DONE messages.
 */
#include <err.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

#include "compiler.h"
#include "nl.h"

/* State of one request while its replies are read. */
struct lnl_req {
	struct lnl_sock *nl;
	lnl_msg_fn fn;
	void *arg;
	int err;	/* first failure, -errno */
	bool done;	/* ack, error or NLMSG_DONE seen */
	bool intr;	/* the kernel flagged the dump as inconsistent */
};

static void lnl_set_why(struct lnl_sock *nl, bool whole, const char *fmt, ...)
	__printf(3, 4);

static void lnl_set_why(struct lnl_sock *nl, bool whole, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(nl->why, sizeof(nl->why), fmt, ap);
	va_end(ap);
	nl->why_is_whole = whole;
}

static void lnl_clear_why(struct lnl_sock *nl)
{
	nl->why[0] = '\0';
	nl->why_is_whole = false;
}

/*
 * libnl returns its own NLE_* codes; callers want errno. Codes without an
 * errno counterpart (sequence mismatch, parse failures) keep libnl's words.
 */
static const struct {
	int nle;
	int err;
} lnl_errnos[] = {
	{ NLE_NOMEM, ENOMEM },
	{ NLE_INTR, EINTR },
	{ NLE_AGAIN, EAGAIN },
	{ NLE_BAD_SOCK, EBADF },
	{ NLE_PERM, EPERM },
	{ NLE_NOACCESS, EACCES },
	{ NLE_OBJ_NOTFOUND, ENOENT },
	{ NLE_EXIST, EEXIST },
	{ NLE_INVAL, EINVAL },
	{ NLE_RANGE, ERANGE },
	{ NLE_MSGSIZE, EMSGSIZE },
	{ NLE_OPNOTSUPP, EOPNOTSUPP },
	{ NLE_BUSY, EBUSY },
	{ NLE_NODEV, ENODEV },
	{ NLE_AF_NOSUPPORT, EAFNOSUPPORT },
	{ NLE_PROTO_MISMATCH, EPROTONOSUPPORT },
};

static int lnl_errno(struct lnl_sock *nl, int nle)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lnl_errnos); i++)
		if (lnl_errnos[i].nle == -nle)
			return -lnl_errnos[i].err;
	lnl_set_why(nl, false, "netlink: %s", nl_geterror(nle));
	return -EPROTO;
}

/*
 * Reads the extack TLVs that follow the fixed part of an NLMSG_ERROR or
 * NLMSG_DONE message at @offset. Returns whether a message was found.
 */
static bool lnl_read_extack(const struct nlmsghdr *nlh, size_t offset, char *buf,
			    size_t len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	struct nlattr *attr;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= offset)
		return false;
	attr = (struct nlattr *)((char *)nlh + offset);
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, attr, nlh->nlmsg_len - offset, NULL) < 0)
		return false;

	attr = tb[NLMSGERR_ATTR_MSG];
	if (attr && nla_len(attr) > 0) {
		snprintf(buf, len, "%.*s", (int)strnlen(nla_data(attr), nla_len(attr)),
			 (char *)nla_data(attr));
		return true;
	}
	/* Required-attribute checks (GENL_REQ_ATTR_CHECK) leave no text. */
	attr = tb[NLMSGERR_ATTR_MISS_TYPE];
	if (attr && nla_len(attr) >= (int)sizeof(uint32_t)) {
		snprintf(buf, len, "missing attribute %u", nla_get_u32(attr));
		return true;
	}
	return false;
}

/*
 * The TLVs of an NLMSG_ERROR follow the nlmsgerr, which ends with the
 * request's header, and then the request's payload unless the kernel
 * capped the echo (we ask for that with NETLINK_CAP_ACK).
 */
static size_t lnl_err_tlv_offset(const struct nlmsghdr *nlh, const struct nlmsgerr *e)
{
	size_t offset = NLMSG_HDRLEN + sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		offset += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	return offset;
}

static int lnl_on_valid(struct nl_msg *msg, void *arg)
{
	struct lnl_req *req = arg;
	int ret;

	/* After a failure keep reading, so the socket stays in step. */
	if (req->err || !req->fn)
		return NL_SKIP;
	ret = req->fn(msg, req->arg);
	if (ret < 0)
		req->err = ret;
	return NL_OK;
}

static int lnl_on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	/* libnl passes the payload; the header sits right before it. */
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)e - 1;
	struct lnl_req *req = arg;

	(void)who;
	req->done = true;
	if (req->err)
		return NL_STOP;
	req->err = e->error < 0 ? e->error : -EPROTO;
	lnl_read_extack(nlh, lnl_err_tlv_offset(nlh, e), req->nl->why, sizeof(req->nl->why));
	return NL_STOP;
}

/* A successful request may still carry a warning for the user. */
static int lnl_on_ack(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	const struct nlmsgerr *e = nlmsg_data(nlh);
	struct lnl_req *req = arg;
	char warning[LNL_WHY_MAX];

	req->done = true;
	if (lnl_read_extack(nlh, lnl_err_tlv_offset(nlh, e), warning, sizeof(warning)))
		warnx("warning: %s", warning);
	return NL_STOP;
}

/*
 * A dump that fails after it started ends with NLMSG_DONE carrying the
 * error (and extack); libnl does not look at it, so we do.
 */
static int lnl_on_finish(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct lnl_req *req = arg;
	int err = 0;

	req->done = true;
	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err < 0 && !req->err) {
		req->err = err;
		lnl_read_extack(nlh, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(err)), req->nl->why,
				sizeof(req->nl->why));
	}
	return NL_STOP;
}

/*
 * The kernel marks dump messages when its objects changed under the dump
 * (genl_dump_check_consistent). The dump is read to the end, then
 * reported as -EAGAIN so that the caller may run it again.
 */
static int lnl_on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct lnl_req *req = arg;

	(void)msg;
	req->intr = true;
	return NL_OK;
}

static struct nl_cb *lnl_cb_new(struct lnl_req *req)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, lnl_on_valid, req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, lnl_on_ack, req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, lnl_on_finish, req);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, lnl_on_dump_intr, req);
	nl_cb_err(cb, NL_CB_CUSTOM, lnl_on_error, req);
	return cb;
}

/**
 * lnl_open() - connect to a generic netlink family
 * @nl:      the socket to set up
 * @family:  family name, e.g. LPAR_FAMILY_NAME
 * @version: family version put in every request
 * @module:  module that registers the family, for the "not found" hint
 *
 * Return: 0, or -errno with the reason in @nl (see lnl_perror()).
 */
int lnl_open(struct lnl_sock *nl, const char *family, uint8_t version,
	     const char *module)
{
	int one = 1, fd, ret;

	memset(nl, 0, sizeof(*nl));
	nl->family_name = family;
	nl->version = version;

	nl->sk = nl_socket_alloc();
	if (!nl->sk)
		return -ENOMEM;
	ret = genl_connect(nl->sk);
	if (ret < 0) {
		ret = lnl_errno(nl, ret);
		goto err_free;
	}

	/*
	 * Ask for the kernel's words with every error, and for errors not to
	 * echo our whole request back. Kernels without these options just
	 * answer with the errno, so failing to set them is no failure.
	 */
	fd = nl_socket_get_fd(nl->sk);
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	ret = genl_ctrl_resolve(nl->sk, family);
	if (ret == -NLE_OBJ_NOTFOUND) {
		lnl_set_why(nl, true, "%s family not found: is %s loaded?", family, module);
		ret = -ENOENT;
		goto err_free;
	}
	if (ret < 0) {
		ret = lnl_errno(nl, ret);
		goto err_free;
	}
	nl->family = ret;
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return ret;
}

/** lnl_close() - close a socket from lnl_open(); safe after it failed */
void lnl_close(struct lnl_sock *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

/**
 * lnl_msg_new() - start a request of the family
 * @nl:    the socket
 * @cmd:   the family's command
 * @flags: extra netlink flags (NLM_F_DUMP for a dump)
 *
 * Starting a request forgets why the previous one failed.
 *
 * Return: the message to add attributes to, or NULL when out of memory.
 */
struct nl_msg *lnl_msg_new(struct lnl_sock *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	lnl_clear_why(nl);
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags, cmd,
			 nl->version)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * lnl_request() - send a request and read all of its answer
 * @nl:  the socket
 * @msg: the request, from lnl_msg_new(); always consumed
 * @fn:  called for every reply message, may be NULL
 * @arg: passed to @fn
 *
 * Works for do requests (ends at the ack) and dumps (ends at NLMSG_DONE).
 * Kernel warnings on success are printed to stderr.
 *
 * Return: 0; the first error, as -errno, with the reason in @nl; -EAGAIN
 * if a dump was interrupted by a concurrent change and may be run again.
 */
int lnl_request(struct lnl_sock *nl, struct nl_msg *msg, lnl_msg_fn fn, void *arg)
{
	struct lnl_req req = { .nl = nl, .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int ret;

	lnl_clear_why(nl);
	cb = lnl_cb_new(&req);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}

	ret = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		req.err = lnl_errno(nl, ret);
		goto out;
	}

	while (!req.done) {
		ret = nl_recvmsgs(nl->sk, cb);
		/* Errors reported by the kernel end with req.done set. */
		if (ret < 0 && !req.done) {
			if (!req.err)
				req.err = lnl_errno(nl, ret);
			break;
		}
	}
	if (!req.err && req.intr) {
		lnl_set_why(nl, true, "dump interrupted by concurrent changes");
		req.err = -EAGAIN;
	}
out:
	nl_cb_put(cb);
	return req.err;
}

/**
 * lnl_dump() - dump all objects of a command
 * @nl:  the socket
 * @cmd: the family's command
 * @fn:  called for every object's message
 * @arg: passed to @fn
 *
 * Return: as lnl_request().
 */
int lnl_dump(struct lnl_sock *nl, uint8_t cmd, lnl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = lnl_msg_new(nl, cmd, NLM_F_DUMP);

	if (!msg)
		return -ENOMEM;
	return lnl_request(nl, msg, fn, arg);
}

static int lnl_msgs_add(struct nl_msg *msg, void *arg)
{
	struct lnl_msgs *msgs = arg;

	if (msgs->n == msgs->size) {
		size_t size = msgs->size ? 2 * msgs->size : 16;
		struct nl_msg **msg_arr = realloc(msgs->msg, size * sizeof(*msg_arr));

		if (!msg_arr)
			return -ENOMEM;
		msgs->msg = msg_arr;
		msgs->size = size;
	}
	nlmsg_get(msg);
	msgs->msg[msgs->n++] = msg;
	return 0;
}

static void lnl_msgs_clear(struct lnl_msgs *msgs)
{
	while (msgs->n)
		nlmsg_free(msgs->msg[--msgs->n]);
}

/**
 * lnl_dump_collect() - dump all objects of a command, keeping every message
 * @nl:    the socket
 * @cmd:   the family's command
 * @tries: how many times to run a dump that the kernel reports interrupted
 * @msgs:  zeroed by the caller; receives the messages of the last run, to
 *         be released with lnl_msgs_free() whatever this returns
 *
 * A list is printed only once it is whole: a dump torn by a concurrent
 * change is run again rather than shown half old, half new.
 *
 * Return: as lnl_request(); -EAGAIN if the last of @tries was interrupted.
 */
int lnl_dump_collect(struct lnl_sock *nl, uint8_t cmd, int tries, struct lnl_msgs *msgs)
{
	int err;

	do {
		lnl_msgs_clear(msgs);
		err = lnl_dump(nl, cmd, lnl_msgs_add, msgs);
	} while (err == -EAGAIN && --tries > 0);
	return err;
}

/**
 * lnl_msgs_free() - release what lnl_dump_collect() kept
 * @msgs: the messages; left empty and reusable
 */
void lnl_msgs_free(struct lnl_msgs *msgs)
{
	lnl_msgs_clear(msgs);
	free(msgs->msg);
	msgs->msg = NULL;
	msgs->size = 0;
}

/**
 * lnl_parse() - split a reply's attributes by type
 * @msg:     the reply
 * @tb:      array of @maxattr + 1 entries
 * @maxattr: highest attribute understood; newer ones are ignored
 * @policy:  expected types, so that later reads are within bounds
 *
 * Return: 0, or -EBADMSG for a malformed message.
 */
int lnl_parse(struct nl_msg *msg, struct nlattr **tb, int maxattr,
	      struct nla_policy *policy)
{
	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, maxattr, policy) < 0)
		return -EBADMSG;
	return 0;
}

/**
 * lnl_subscribe() - join one of the family's multicast groups
 * @nl:    the socket
 * @group: group name, e.g. LPAR_MCGRP_EVENTS
 *
 * Return: 0, or -errno with the reason in @nl.
 */
int lnl_subscribe(struct lnl_sock *nl, const char *group)
{
	int ret;

	lnl_clear_why(nl);
	ret = genl_ctrl_resolve_grp(nl->sk, nl->family_name, group);
	if (ret == -NLE_OBJ_NOTFOUND) {
		lnl_set_why(nl, true, "%s family has no multicast group \"%s\"",
			    nl->family_name, group);
		return -ENOENT;
	}
	if (ret >= 0)
		ret = nl_socket_add_membership(nl->sk, ret);
	if (ret >= 0) {
		/*
		 * Bursts of events must not overrun a listener that is slower
		 * than the writers: take a large buffer, as `ip monitor` does.
		 * The forced size needs CAP_NET_ADMIN; otherwise rmem_max caps.
		 */
		int fd = nl_socket_get_fd(nl->sk), size = LNL_LISTEN_RCVBUF;

		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	}
	return ret < 0 ? lnl_errno(nl, ret) : 0;
}

static int lnl_seq_any(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

/**
 * lnl_listen() - pass multicast messages to @fn until SIGINT or SIGTERM
 * @nl:  a socket subscribed with lnl_subscribe()
 * @fn:  called for every message
 * @arg: passed to @fn
 *
 * Return: 0 once interrupted, or the first error as -errno.
 */
int lnl_listen(struct lnl_sock *nl, lnl_msg_fn fn, void *arg)
{
	return lnl_listen_many(&nl, 1, fn, arg);
}

/**
 * lnl_listen_many() - lnl_listen() on several sockets at once
 * @nls: sockets subscribed with lnl_subscribe(), one family each
 * @n:   how many (at most LNL_LISTEN_MAX)
 * @fn:  called for every message of any of them, in arrival order per
 *       socket; nlmsg_type tells the family apart
 * @arg: passed to @fn
 *
 * The signals are taken through a signalfd: libnl restarts reads that a
 * signal interrupts, so a handler could not end a blocked read. A failure
 * leaves its reason in the socket it happened on.
 *
 * Return: 0 once interrupted, or the first error as -errno.
 */
int lnl_listen_many(struct lnl_sock *const *nls, int n, lnl_msg_fn fn, void *arg)
{
	struct lnl_req req[LNL_LISTEN_MAX];
	struct pollfd pfd[LNL_LISTEN_MAX + 1];
	struct nl_cb *cb[LNL_LISTEN_MAX];
	sigset_t stop, saved;
	int i, sfd, ret, err = 0;

	if (n < 1 || n > LNL_LISTEN_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		lnl_clear_why(nls[i]);
		req[i] = (struct lnl_req){ .nl = nls[i], .fn = fn, .arg = arg };
		cb[i] = lnl_cb_new(&req[i]);
		if (!cb[i]) {
			while (i--)
				nl_cb_put(cb[i]);
			return -ENOMEM;
		}
		/*
		 * Events carry sequence number 0, not ours; the check is off
		 * in the cb itself, since nl_recvmsgs() with our own cb
		 * ignores the socket's.
		 */
		nl_cb_set(cb[i], NL_CB_SEQ_CHECK, NL_CB_CUSTOM, lnl_seq_any, NULL);
		nl_socket_set_nonblocking(nls[i]->sk);
		pfd[i] = (struct pollfd){ .fd = nl_socket_get_fd(nls[i]->sk),
					  .events = POLLIN };
	}

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &saved);
	sfd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (sfd < 0) {
		err = -errno;
		goto out;
	}
	pfd[n] = (struct pollfd){ .fd = sfd, .events = POLLIN };

	while (!err) {
		if (poll(pfd, n + 1, -1) < 0) {
			if (errno != EINTR)
				err = -errno;
			continue;
		}
		if (pfd[n].revents) {
			struct signalfd_siginfo si;

			/* Consumed here, or it would kill us once unblocked. */
			if (read(sfd, &si, sizeof(si)) < 0)
				err = -errno;
			break;
		}
		for (i = 0; i < n && !err; i++) {
			if (!pfd[i].revents)
				continue;
			ret = nl_recvmsgs(nls[i]->sk, cb[i]);
			if (ret == -NLE_AGAIN || ret >= 0)
				err = req[i].err;
			/* The socket overran (ENOBUFS); say so, keep listening. */
			else if (ret == -NLE_NOMEM)
				warnx("warning: %s events lost: receive buffer overrun",
				      nls[i]->family_name);
			else
				err = req[i].err ? req[i].err : lnl_errno(nls[i], ret);
		}
	}
	close(sfd);
out:
	sigprocmask(SIG_SETMASK, &saved, NULL);
	for (i = 0; i < n; i++)
		nl_cb_put(cb[i]);
	return err;
}

/**
 * lnl_perror() - report a failed call on stderr, as "prog: why: strerror"
 * @nl:  the socket the call used
 * @err: its return value, -errno
 */
void lnl_perror(const struct lnl_sock *nl, int err)
{
	if (nl->why[0] && nl->why_is_whole)
		warnx("%s", nl->why);
	else if (nl->why[0])
		warnx("%s: %s", nl->why, strerror(-err));
	else
		warnx("%s", strerror(-err));
}
