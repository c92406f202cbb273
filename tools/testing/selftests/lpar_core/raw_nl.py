#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted generic netlink requests that no well-behaved client sends.

Each case sends one malformed "lpar" request as root and exits 0 only if
the kernel refused it with the expected errno and an extack message.
"""
import errno
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 16, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2

# From uapi/linux/lpar.h (generated from the spec).
CMD_GET, CMD_CREATE = 1, 2
A_ID, A_NAME, A_CPUS, A_BUDGET, A_USED = 1, 2, 3, 6, 7


def attr(kind, payload):
    hdr = struct.pack("HH", 4 + len(payload), kind)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def request(sock, family, cmd, attrs, seq):
    payload = struct.pack("BBH", cmd, 1, 0) + b"".join(attrs)
    msg = struct.pack("IHHII", 16 + len(payload), family,
                      NLM_F_REQUEST | NLM_F_ACK, seq, 0) + payload
    sock.send(msg)
    while True:
        data = sock.recv(65536)
        off = 0
        while off < len(data):
            length, kind, flags, _, _ = struct.unpack_from("IHHII", data, off)
            if kind == NLMSG_ERROR:
                err = -struct.unpack_from("i", data, off + 16)[0]
                ext = ""
                if flags & NLM_F_ACK_TLVS:
                    inner_len = struct.unpack_from("I", data, off + 20)[0]
                    tlv = off + 20 + (16 if err == 0 else inner_len)
                    while tlv + 4 <= off + length:
                        alen, atype = struct.unpack_from("HH", data, tlv)
                        if alen < 4:
                            break
                        if atype == NLMSGERR_ATTR_MSG:
                            ext = data[tlv + 4:tlv + alen].rstrip(b"\0").decode()
                        tlv += (alen + 3) & ~3
                return err, ext, data
            off += (length + 3) & ~3


def family_id(sock):
    err, _, data = None, None, None
    payload = struct.pack("BBH", CTRL_CMD_GETFAMILY, 1, 0) + attr(
        CTRL_ATTR_FAMILY_NAME, b"lpar\0")
    sock.send(struct.pack("IHHII", 16 + len(payload), GENL_ID_CTRL,
                          NLM_F_REQUEST, 1, 0) + payload)
    data = sock.recv(65536)
    off = 20
    while off < len(data):
        alen, atype = struct.unpack_from("HH", data, off)
        if atype == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("H", data, off + 4)[0]
        off += (alen + 3) & ~3
    sys.exit("lpar family not found")


CASES = {
    # name: (cmd, attributes, expected errno)
    "unknown-attr": (CMD_CREATE, [attr(A_NAME, b"x\0"), attr(99, b"abcd")], errno.EINVAL),
    "wrong-op-attr": (CMD_CREATE, [attr(A_NAME, b"x\0"), attr(A_USED, struct.pack("Q", 1))],
                      errno.EINVAL),
    "missing-name": (CMD_CREATE, [attr(A_CPUS, b"1\0")], errno.EINVAL),
    "short-u64": (CMD_CREATE, [attr(A_NAME, b"x\0"), attr(A_BUDGET, struct.pack("I", 1))],
                  errno.ERANGE),
}


def main():
    case = sys.argv[1]
    cmd, attrs, want = CASES[case]
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    sock.setsockopt(270, NETLINK_EXT_ACK, 1)
    sock.bind((0, 0))
    fam = family_id(sock)
    err, ext, _ = request(sock, fam, cmd, attrs, 2)
    print(f"{case}: errno {err} ({os.strerror(err) if err else 'ok'}), extack: {ext!r}")
    if err == 0:
        sys.exit("the kernel accepted a malformed request")
    if err != want and not (case == "short-u64" and err == errno.EINVAL):
        sys.exit(f"errno {err}, expected {want}")
    if not ext:
        sys.exit("no extack message")


if __name__ == "__main__":
    main()
