#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""setprobe.py - send one set()/set_masked() of IPv4 or IPv6 to a datapath.

  setprobe.py DP CASE [--extack]

Installs an exact UDP flow (in_port 1 -> output 2) whose only action before
the output is the CASE's set, or executes it on a UDP packet (CASE names
starting with "exec-"), through raw generic netlink, so the exact attribute
(SET or SET_MASKED, value and mask) is what the case says.  Exits 0 when
the datapath answered as the case expects (accepted, or refused with
EINVAL); with --extack, exits 0 when a refusal carried an extack message.
Prints the errno and the extack message either way.
"""
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ovsnl  # noqa: E402

OVS_FLOW_CMD_NEW = 1
OVS_FLOW_CMD_DEL = 2
OVS_PACKET_CMD_EXECUTE = 3
OVS_FLOW_ATTR_KEY = 1
OVS_FLOW_ATTR_ACTIONS = 2
OVS_PACKET_ATTR_PACKET = 1
OVS_PACKET_ATTR_KEY = 2
OVS_PACKET_ATTR_ACTIONS = 3
K_IN_PORT, K_ETHERNET, K_ETHERTYPE, K_IPV4, K_IPV6, K_UDP = 3, 4, 6, 7, 8, 10
A_OUTPUT, A_SET, A_SET_MASKED = 1, 3, 11
UDP, TCP = 17, 6

SRC4, DST4 = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])
SRC6 = bytes([0xfd] + [0] * 14 + [1])
DST6 = bytes([0xfd] + [0] * 14 + [2])
MAC1, MAC2 = bytes.fromhex("020000000001"), bytes.fromhex("020000000002")


def ipv4(src=SRC4, dst=DST4, proto=UDP, tos=0, ttl=64, frag=0):
    return src + dst + struct.pack("BBBB", proto, tos, ttl, frag)


def ipv6(src=SRC6, dst=DST6, label=0, proto=UDP, tclass=0, hlimit=64, frag=0):
    return src + dst + struct.pack(">I", label) + \
        struct.pack("BBBB", proto, tclass, hlimit, frag)


ONES4 = b"\xff" * 4
ONES16 = b"\xff" * 16
NEW4 = bytes([10, 0, 0, 9])
NEW6 = SRC6[:15] + b"\x09"


def v4(src=bytes(4), proto=0, frag=0):
    """An ovs_key_ipv4 that is zero but for the given fields."""
    return src + bytes(4) + struct.pack("BBBB", proto, 0, 0, frag)


def v6(src=bytes(16), label=0, proto=0, frag=0):
    """An ovs_key_ipv6 that is zero but for the given fields."""
    return src + bytes(16) + struct.pack(">IBBBB", label, proto, 0, 0, frag)


# name: (family, sport, set type, payload, expected errno).  A masked
# set's value has no bit outside its mask, unless the case is about that.
CASES = {
    "ipv4-mask-src": (4, 1001, A_SET_MASKED, v4(NEW4) + v4(ONES4), 0),
    "ipv4-mask-proto": (4, 1002, A_SET_MASKED, v4(proto=UDP) + v4(proto=0xff),
                        errno.EINVAL),
    "ipv4-mask-frag": (4, 1003, A_SET_MASKED, v4() + v4(frag=0xff),
                       errno.EINVAL),
    "ipv4-mask-value-outside": (4, 1007, A_SET_MASKED,
                                v4(NEW4, proto=UDP) + v4(ONES4),
                                errno.EINVAL),
    "ipv4-set-same": (4, 1004, A_SET, ipv4(ttl=63), 0),
    "ipv4-set-proto": (4, 1005, A_SET, ipv4(proto=TCP), errno.EINVAL),
    "ipv4-set-frag": (4, 1006, A_SET, ipv4(frag=1), errno.EINVAL),
    "ipv6-mask-src": (6, 1011, A_SET_MASKED, v6(NEW6) + v6(ONES16), 0),
    "ipv6-mask-label": (6, 1012, A_SET_MASKED,
                        v6(label=5) + v6(label=0xfffff), 0),
    "ipv6-mask-proto": (6, 1013, A_SET_MASKED, v6(proto=UDP) + v6(proto=0xff),
                        errno.EINVAL),
    "ipv6-mask-frag": (6, 1014, A_SET_MASKED, v6() + v6(frag=0xff),
                       errno.EINVAL),
    "ipv6-mask-label-high": (6, 1015, A_SET_MASKED,
                             v6() + v6(label=0xfff00000), errno.EINVAL),
    "ipv6-set-proto": (6, 1016, A_SET, ipv6(proto=TCP), errno.EINVAL),
    "ipv6-set-label-high": (6, 1018, A_SET, ipv6(label=0x100000),
                            errno.EINVAL),
    "ipv4-set-on-ipv6": (6, 1017, A_SET_MASKED, v4(NEW4) + v4(ONES4),
                         errno.EINVAL),
    "exec-ipv4-set-same": (4, 1021, A_SET, ipv4(ttl=63), 0),
    "exec-ipv4-set-proto": (4, 1022, A_SET, ipv4(proto=TCP), errno.EINVAL),
    "exec-ipv4-mask-proto": (4, 1023, A_SET_MASKED,
                             v4(proto=UDP) + v4(proto=0xff), errno.EINVAL),
}


def flow_key(fam, sport):
    k = ovsnl.u32(K_IN_PORT, 1) + ovsnl.attr(K_ETHERNET, MAC1 + MAC2)
    if fam == 4:
        k += ovsnl.be16(K_ETHERTYPE, 0x0800) + ovsnl.attr(K_IPV4, ipv4())
    else:
        k += ovsnl.be16(K_ETHERTYPE, 0x86dd) + ovsnl.attr(K_IPV6, ipv6())
    return k + ovsnl.attr(K_UDP, struct.pack(">HH", sport, 53))


def packet(fam, sport):
    udp = struct.pack(">HHHH", sport, 53, 8 + 4, 0) + b"ping"
    if fam == 4:
        ip = struct.pack(">BBHHHBBH", 0x45, 0, 20 + len(udp), 0, 0, 64, UDP, 0)
        ip += SRC4 + DST4
        return MAC2 + MAC1 + b"\x08\x00" + ip + udp
    ip = struct.pack(">IHBB", 6 << 28, len(udp), UDP, 64) + SRC6 + DST6
    return MAC2 + MAC1 + b"\x86\xdd" + ip + udp


def main():
    dp, case = sys.argv[1], sys.argv[2]
    want_extack = "--extack" in sys.argv[3:]
    fam, sport, stype, payload, expect = CASES[case]
    key_type = K_IPV4 if len(payload) in (12, 24) else K_IPV6
    acts = ovsnl.attr(stype, ovsnl.attr(key_type, payload)) + \
        ovsnl.u32(A_OUTPUT, 2)
    g = ovsnl.Genl()
    hdr = struct.pack("i", socket.if_nametoindex(dp))
    if case.startswith("exec-"):
        err, msg, _ = g.request(
            g.family("ovs_packet"), OVS_PACKET_CMD_EXECUTE, 1,
            ovsnl.attr(OVS_PACKET_ATTR_PACKET, packet(fam, sport)) +
            ovsnl.attr(OVS_PACKET_ATTR_KEY, ovsnl.u32(K_IN_PORT, 1)) +
            ovsnl.attr(OVS_PACKET_ATTR_ACTIONS, acts), hdr=hdr)
    else:
        key = ovsnl.attr(OVS_FLOW_ATTR_KEY, flow_key(fam, sport))
        fid = g.family("ovs_flow")
        err, msg, _ = g.request(
            fid, OVS_FLOW_CMD_NEW, 1,
            key + ovsnl.attr(OVS_FLOW_ATTR_ACTIONS, acts),
            flags=ovsnl.NLM_F_ACK | ovsnl.NLM_F_CREATE | ovsnl.NLM_F_EXCL,
            hdr=hdr)
        if err == 0:
            g.request(fid, OVS_FLOW_CMD_DEL, 1, key, hdr=hdr)
    print("%s: errno %d (expected %d), extack: %s"
          % (case, err, expect, msg or "(none)"))
    if want_extack:
        return 0 if err and msg else 1
    return 0 if err == expect else 1


if __name__ == "__main__":
    sys.exit(main())
