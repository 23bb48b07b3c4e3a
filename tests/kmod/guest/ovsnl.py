# SPDX-License-Identifier: GPL-2.0
"""ovsnl.py - a minimal generic netlink client for the ovs_* families.

Used by the guest tests: nlfuzz.py (hostile input) and direct probes.
Sends raw messages and returns (errno, extack message, replies).
"""
import os
import socket
import struct

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLM_F_ECHO = 8
NLM_F_DUMP = 0x300
NLM_F_CREATE = 0x400
NLM_F_EXCL = 0x200
NLMSG_ERROR = 2
NLMSG_DONE = 3
NETLINK_EXT_ACK = 11
NLMSGERR_ATTR_MSG = 1


def attr(atype, payload=b""):
    """One netlink attribute, padded to 4 bytes."""
    length = 4 + len(payload)
    return struct.pack("HH", length, atype) + payload + b"\0" * ((4 - length % 4) % 4)


def u32(atype, v):
    return attr(atype, struct.pack("I", v & 0xffffffff))


def be16(atype, v):
    return attr(atype, struct.pack(">H", v & 0xffff))


def string(atype, s):
    return attr(atype, s.encode() + b"\0")


def parse_attrs(data):
    """[(type, payload)] of a buffer of attributes (stops on garbage)."""
    out = []
    off = 0
    while off + 4 <= len(data):
        length, atype = struct.unpack_from("HH", data, off)
        if length < 4 or off + length > len(data):
            break
        out.append((atype & 0x3fff, data[off + 4:off + length]))
        off += (length + 3) & ~3
    return out


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(270, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(5)
        self.seq = 1
        self.families = {}

    def family(self, name):
        if name not in self.families:
            err, _, replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                                           string(CTRL_ATTR_FAMILY_NAME, name),
                                           hdr=b"")
            if err:
                raise OSError(err, "no family " + name)
            for atype, payload in parse_attrs(replies[0][4:]):
                if atype == CTRL_ATTR_FAMILY_ID:
                    self.families[name] = struct.unpack("H", payload[:2])[0]
        return self.families[name]

    def send_raw(self, data):
        self.sock.send(data)

    def request(self, fam_id, cmd, version, attrs=b"", flags=NLM_F_ACK,
                hdr=struct.pack("i", 0), raw_payload=None):
        """Send one message; return (errno, extack msg, [payloads])."""
        self.seq += 1
        payload = raw_payload if raw_payload is not None else \
            struct.pack("BBH", cmd, version, 0) + hdr + attrs
        msg = struct.pack("IHHII", 16 + len(payload), fam_id,
                          NLM_F_REQUEST | flags, self.seq, 0) + payload
        self.sock.send(msg)
        return self.collect(self.seq)

    def collect(self, seq):
        replies = []
        while True:
            try:
                data = self.sock.recv(1 << 17)
            except socket.timeout:
                return (-1, "timeout", replies)
            off = 0
            while off + 16 <= len(data):
                length, mtype, flags, mseq, _ = struct.unpack_from("IHHII", data, off)
                if length < 16:
                    break
                body = data[off + 16:off + length]
                off += (length + 3) & ~3
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("i", body)[0]
                    msg = ""
                    # extack TLVs follow the (possibly capped) original message
                    olen = struct.unpack_from("I", body, 4)[0]
                    tl = 4 + (16 if flags & 0x100 else max(olen, 16))
                    for atype, p in parse_attrs(body[(tl + 3) & ~3:]):
                        if atype == NLMSGERR_ATTR_MSG:
                            msg = p.rstrip(b"\0").decode(errors="replace")
                    return (err, msg, replies)
                if mtype == NLMSG_DONE:
                    return (0, "", replies)
                replies.append(body)
