#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nlfuzz.py - hostile generic netlink input for the ovs_* families.

    nlfuzz.py [--seconds S] [--iterations N] [--seed X] DP PORT...

Sends random and mutated valid messages to every command of ovs_datapath,
ovs_vport, ovs_flow and ovs_packet: valid flows, keys, masks, actions and
packets built from the UAPI's attribute tables, then damaged (bit flips,
truncation, wrong lengths, random attribute types and nesting, random
commands, headers and flags).  DP is an existing datapath whose PORTs
(netdevs) are attached; it is re-created if the fuzzer deletes it.  Stops
after N messages or S seconds, whichever comes first; prints one summary
line "sent N replies R errors E timeouts T" and exits 0 unless the module
stopped answering (a valid GET of DP times out or fails at the end).
"""
import os
import random
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ovsnl  # noqa: E402
from ovsnl import attr, u32, be16, string  # noqa: E402

R = random.Random()


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def u8(t, v):
    return attr(t, struct.pack("B", v & 0xff))


def u16(t, v):
    return attr(t, struct.pack("H", v & 0xffff))


def u64(t, v):
    return attr(t, struct.pack("Q", v & 0xffffffffffffffff))


HOSTILE = [True]    # False while building a message meant to be valid


def nest(t, *parts):
    flag = 0x8000 if HOSTILE[0] and R.random() < 0.1 else 0
    return attr(t | flag, b"".join(parts))


# ---- keys (OVS_KEY_ATTR_*) --------------------------------------------------
def tunnel():
    parts = [u64(0, R.getrandbits(64)) if R.random() < .5 else attr(0, struct.pack(">Q", R.getrandbits(64))),
             attr(1, rbytes(4)), attr(2, rbytes(4)), u8(3, R.getrandbits(8)),
             u8(4, R.getrandbits(8))]
    for t in (5, 6, 7):
        if R.random() < .3:
            parts.append(attr(t))
    if R.random() < .3:
        parts.append(attr(8, rbytes(R.choice([0, 4, 8, 12, 3]))))
    if R.random() < .3:
        parts.append(be16(9, R.getrandbits(16)))
        parts.append(be16(10, R.getrandbits(16)))
    if R.random() < .2:
        parts.append(nest(11, u32(1, R.getrandbits(32))))
    if R.random() < .2:
        parts.append(attr(12, rbytes(16)))
        parts.append(attr(13, rbytes(16)))
    if R.random() < .1:
        parts.append(attr(15, rbytes(R.choice([0, 4, 8]))))
    R.shuffle(parts)
    return b"".join(parts[:R.randint(0, len(parts))])


def key_body(depth=0, ports=(1, 2, 3)):
    h = HOSTILE[0]
    ethertype = R.choice([0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x8847,
                          0x0000, 0x05ff, 0x1234] if h else
                         [0x0800, 0x0800, 0x86dd, 0x0806, 0x8100, 0x1234])
    parts = []
    if R.random() < .9:
        parts.append(u32(3, R.choice(list(ports) + [0, 0xffff, R.getrandbits(32)])))
    if R.random() < .3:
        parts.append(u32(2, R.getrandbits(32)))
    if R.random() < .3:
        parts.append(u32(15, R.getrandbits(32)))
    if R.random() < .3:
        parts.append(u32(20, R.getrandbits(3)))
    if R.random() < .2:
        parts.append(u32(19, R.getrandbits(32)))
    if R.random() < (.1 if h else 0):
        parts.append(nest(16, tunnel()))
    if R.random() < (.1 if h else 0):
        parts.append(u32(29, R.getrandbits(32)))
    if R.random() < (.9 if h else 1):
        parts.append(attr(4, rbytes(12)))
    if ethertype in (0x8100, 0x88a8) and depth < 3:
        parts.append(be16(6, ethertype))
        parts.append(be16(5, R.getrandbits(16) | (0x1000 if R.random() < .8 else 0)))
        if R.random() < .9:
            parts.append(nest(1, key_body(depth + 1, ports)))
    else:
        parts.append(be16(6, ethertype))
        proto = R.choice([6, 17, 132, 1, 58, 0, 47, 255])
        frag = R.choice([0, 1, 2, 3] if h else [0, 0, 0, 1, 2])
        if ethertype == 0x0800 or R.random() < .05:
            parts.append(attr(7, rbytes(8) + struct.pack("BBBB", proto, R.getrandbits(8), R.getrandbits(8), frag)))
        elif ethertype == 0x86dd or R.random() < .05:
            parts.append(attr(8, rbytes(32) + struct.pack(">I", R.getrandbits(20 if not h else 32)) + struct.pack("BBBB", proto, R.getrandbits(8), R.getrandbits(8), frag)))
            if h and R.random() < .2:
                parts.append(u16(32, R.getrandbits(16)))
        elif ethertype == 0x0806:
            parts.append(attr(13, rbytes(4 + 4) + struct.pack(">H", R.randint(0, 3)) + rbytes(12)))
        elif ethertype == 0x8847:
            parts.append(attr(21, rbytes(4 * R.randint(0, 3))))
        if R.random() < .8:
            l4 = {6: 9, 17: 10, 132: 17, 1: 11, 58: 12}.get(proto, R.choice([9, 10, 11, 12, 17]))
            parts.append(attr(l4, rbytes(4 if l4 in (9, 10, 17) else 2)))
            if l4 == 9 and R.random() < .5:
                parts.append(be16(18, R.getrandbits(12)))
            if l4 == 12 and R.random() < .5:
                parts.append(attr(14, rbytes(28)))
                if R.random() < .3:
                    parts.append(attr(30, rbytes(R.choice([4, 8]))))
    for t in (22, 23, 24, 25, 26, 27, 28, 31):
        if h and R.random() < .03:
            parts.append(attr(t, rbytes(R.choice([0, 1, 2, 4, 16, 13, 40]))))
    return b"".join(parts)


def mask_of(key):
    """A random mask for KEY's attributes (same layout, random bits)."""
    out = b""
    for t, p in ovsnl.parse_attrs(key):
        if t in (1, 16):
            out += attr(t, mask_of(p) if R.random() < .8 else rbytes(len(p)))
        elif not HOSTILE[0] and t in (3, 6, 5, 20):  # in_port, eth_type, vlan, recirc
            out += attr(t, b"\xff" * len(p))
        elif not HOSTILE[0] and t in (7, 8):  # exact protocol, random fields
            out += attr(t, rbytes(len(p) - 4) + b"\xff" + rbytes(3))
        else:
            out += attr(t, R.choice([b"\xff" * len(p), b"\0" * len(p), rbytes(len(p))]))
    return out


# ---- actions (OVS_ACTION_ATTR_*) --------------------------------------------
def set_key():
    t = R.choice([2, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21, 5, 6])
    sizes = {2: 4, 4: 12, 7: 12, 8: 40, 9: 4, 10: 4, 11: 2, 12: 2, 13: 24, 14: 28,
             15: 4, 17: 4, 19: 4, 20: 4, 21: 4, 5: 2, 6: 2}
    if t == 16:
        return nest(16, tunnel())
    return attr(t, rbytes(sizes[t] if R.random() < .9 else R.randint(0, 48)))


def actions(depth=0, n=None):
    parts = []
    for _ in range(n if n is not None else R.randint(0, 6)):
        # Valid messages use the actions the module implements.
        c = R.randint(1, 24) if HOSTILE[0] else \
            R.choice([1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 16, 20, 21])
        if c == 1:
            parts.append(u32(1, R.choice([0, 1, 2, 3, 4, 0xffff, R.getrandbits(32)])))
        elif c == 2:
            sub = [u32(1, R.choice([0, os.getpid(), R.getrandbits(32)]))]
            if R.random() < .5:
                sub.append(attr(2, rbytes(R.randint(0, 20))))
            if R.random() < .2:
                sub.append(u32(3, R.getrandbits(32)))
            if R.random() < .2:
                sub.append(attr(4))
            parts.append(nest(2, *sub))
        elif c == 3:
            parts.append(nest(3, set_key()))
        elif c == 11:
            k = set_key()
            t, p = ovsnl.parse_attrs(k)[0] if ovsnl.parse_attrs(k) else (4, b"")
            parts.append(nest(11, attr(t, p + (b"\xff" * len(p) if R.random() < .7 else rbytes(len(p))))))
        elif c == 4:
            parts.append(attr(4, struct.pack(">HH", R.choice([0x8100, 0x88a8, 0x1234]), R.getrandbits(16))))
        elif c == 5:
            parts.append(attr(5))
        elif c == 6 and depth < 6:
            parts.append(nest(6, u32(1, R.getrandbits(32)), nest(2, actions(depth + 1))))
        elif c == 7:
            parts.append(u32(7, R.getrandbits(3)))
        elif c == 8:
            parts.append(attr(8, struct.pack("II", R.randint(0, 2), R.getrandbits(32))))
        elif c == 16:
            parts.append(attr(16))
        elif c == 13:
            parts.append(u32(13, R.choice([0, 1, 14, 60, 100, 65535])))
        elif c == 20 and depth < 6:
            parts.append(nest(20, actions(depth + 1)))
        elif c == 21 and depth < 6:
            parts.append(nest(21, u16(1, R.getrandbits(16)),
                              nest(2, actions(depth + 1)), nest(3, actions(depth + 1))))
        elif c == 23 and depth < 6:
            parts.append(nest(23, nest(1, actions(depth + 1))))
        else:
            parts.append(attr(c, rbytes(R.choice([0, 2, 4, 8, 12]))))
    return b"".join(parts)


def packet():
    eth = rbytes(12)
    kind = R.randint(0, 5)
    if kind == 0:
        l3 = struct.pack(">HBBHHBBH", 0x0800, 0x45, 0, 20 + 8, 1, 0x20 * R.randint(0, 1), 64, R.choice([6, 17, 1, 132])) + rbytes(10) + rbytes(R.randint(0, 40))
    elif kind == 1:
        l3 = struct.pack(">H", 0x86dd) + struct.pack(">IHBB", 0x60000000, R.randint(0, 80), R.choice([0, 43, 44, 60, 6, 17, 58, 59]), 64) + rbytes(32) + rbytes(R.randint(0, 80))
    elif kind == 2:
        l3 = struct.pack(">HHH", 0x8100, R.getrandbits(16), R.choice([0x0800, 0x8100, 0x86dd, 0x0806])) + rbytes(R.randint(0, 60))
    elif kind == 3:
        l3 = struct.pack(">H", 0x0806) + rbytes(R.randint(0, 40))
    elif kind == 4:
        l3 = rbytes(R.randint(0, 100))
    else:
        l3 = struct.pack(">H", 0x8847) + rbytes(R.randint(0, 30))
    return (eth + l3)[:R.choice([1000, 1000, 1000, 14, 13, 0, R.randint(0, 60)])]


# ---- mutation ---------------------------------------------------------------
def mutate(b):
    b = bytearray(b)
    for _ in range(R.randint(1, 4)):
        if not b:
            b = bytearray(rbytes(R.randint(1, 40)))
        op = R.randint(0, 6)
        i = R.randrange(len(b))
        if op == 0:
            b[i] ^= 1 << R.randint(0, 7)
        elif op == 1:
            b[i] = R.getrandbits(8)
        elif op == 2:
            del b[i:]
        elif op == 3:
            b[i:i] = rbytes(R.randint(1, 16))
        elif op == 4 and i + 2 <= len(b):
            b[i:i + 2] = struct.pack("H", R.choice([0, 3, 4, 5, 0xffff, R.getrandbits(16)]))
        elif op == 5:
            b += attr(R.getrandbits(16), rbytes(R.randint(0, 30)))
        else:
            b = b[:i] + b[i:][::-1][:R.randint(0, 8)] + b[i:]
    return bytes(b)


class Fuzzer:
    def __init__(self, dp, ports):
        self.g = ovsnl.Genl()
        self.g.sock.settimeout(1)
        self.g.sock.setsockopt(1, 8, 1 << 22)  # SO_RCVBUF
        self.dp = dp
        self.ports = ports
        self.fam = {n: self.g.family(n) for n in
                    ("ovs_datapath", "ovs_vport", "ovs_flow", "ovs_packet")}
        self.ver = {"ovs_datapath": 2, "ovs_vport": 2, "ovs_flow": 1, "ovs_packet": 1}
        self.dpindex = 0
        self.stats = {"sent": 0, "replies": 0, "errors": 0, "timeouts": 0}
        self.refresh()

    def refresh(self):
        try:
            self.dpindex = int(open("/sys/class/net/%s/ifindex" % self.dp).read())
        except OSError:
            self.dpindex = 0

    def send(self, fam, cmd, attrs, hdr=None, flags=None, mutate_p=0.0):
        if hdr is None:
            hdr = struct.pack("i", self.dpindex if R.random() < .95 else R.choice([0, -1, 1, R.getrandbits(31)]))
        if flags is None:
            flags = ovsnl.NLM_F_ACK
            for f in (ovsnl.NLM_F_ECHO, ovsnl.NLM_F_DUMP, ovsnl.NLM_F_CREATE, ovsnl.NLM_F_EXCL):
                if R.random() < .08:
                    flags |= f
        payload = struct.pack("BBH", cmd, self.ver[fam] if R.random() < .95 else R.getrandbits(8), 0) + hdr + attrs
        if R.random() < mutate_p:
            payload = payload[:4] + mutate(payload[4:]) if R.random() < .85 else mutate(payload)
        err, _, replies = self.g.request(self.fam[fam], 0, 0, flags=flags, raw_payload=payload)
        self.stats["sent"] += 1
        self.stats["replies"] += len(replies)
        if err == -1:
            self.stats["timeouts"] += 1
            self.drain()
        elif err:
            self.stats["errors"] += 1
        return err

    def drain(self):
        self.g.sock.settimeout(0.05)
        try:
            while self.g.sock.recv(1 << 17):
                pass
        except OSError:
            pass
        self.g.sock.settimeout(1)

    def name(self):
        return R.choice([self.dp, "fz%d" % R.randint(0, 3), "", "x" * R.choice([15, 16, 40]), self.ports[0]])

    def one(self):
        HOSTILE[0] = R.random() < .5
        fam = R.choice(["ovs_datapath", "ovs_vport", "ovs_flow", "ovs_flow", "ovs_flow",
                        "ovs_packet", "ovs_packet"])
        mp = R.choice([0.0, 0.3, 0.7, 1.0]) if HOSTILE[0] else 0.0
        cmd = R.randint(1, 4) if R.random() < .95 else R.getrandbits(8)
        if fam == "ovs_datapath":
            a = []
            if R.random() < .7:
                a.append(string(1, self.name()))
            if R.random() < .5:
                a.append(u32(2, R.getrandbits(32)))
            if R.random() < .5:
                a.append(u32(5, R.choice([0, 1, 2, 3, 8, 9, 0x10, 0x1b, 0x80000000, R.getrandbits(32)])))
            if R.random() < .3:
                a.append(u32(7, R.choice([0, 1, 255, 256, 8192, 1 << 31, R.getrandbits(32)])))
            if R.random() < .3:
                a.append(attr(8, rbytes(4 * R.randint(0, 70) + R.choice([0, 0, 1]))))
            if R.random() < .1:
                a.append(u32(9, R.getrandbits(32)))
            if R.random() < .05:
                a.append(attr(R.randint(3, 40), rbytes(R.randint(0, 20))))
            if cmd == 2 and R.random() < .8:  # deleting: rarely our datapath
                a = [string(1, "fz%d" % R.randint(0, 3))]
            return self.send(fam, cmd, b"".join(a), mutate_p=mp)
        if fam == "ovs_vport":
            a = []
            if R.random() < .6:
                a.append(u32(1, R.choice([0, 1, 2, 3, 4, 5, 0xffff, R.getrandbits(32)])))
            if R.random() < .6:
                a.append(u32(2, R.choice([1, 2, 3, 4, 5, 6, 0, R.getrandbits(32)])))
            if R.random() < .7:
                a.append(string(3, R.choice(self.ports + ["fzi%d" % R.randint(0, 3), "lo", self.dp, "none"])))
            if R.random() < .3:
                a.append(nest(4, u16(1, R.getrandbits(16)) if R.random() < .5 else rbytes(R.randint(0, 12))))
            if R.random() < .4:
                a.append(attr(5, rbytes(4 * R.randint(0, 8) + R.choice([0, 0, 2]))))
            if R.random() < .1:
                a.append(attr(6, rbytes(R.choice([0, 64, 63]))))
            if R.random() < .1:
                a.append(u32(8, R.getrandbits(32)))
            if R.random() < .1:
                a.append(u32(9, R.getrandbits(32)))
            if cmd == 2 and R.random() < .8:  # keep the netdev ports mostly
                a = [string(3, "fzi%d" % R.randint(0, 3))]
            return self.send(fam, cmd, b"".join(a), mutate_p=mp)
        if fam == "ovs_flow":
            key = key_body()
            a = [nest(1, key)]
            if R.random() < .8:
                a.append(nest(7, mask_of(key)))
            if R.random() < .8 or cmd == 1:
                a.append(nest(2, actions()))
            if R.random() < .3:
                a.append(attr(9, rbytes(R.choice([16, 16, 16, 4, 0, 20]))))
            if R.random() < .2:
                a.append(u32(10, R.getrandbits(3)))
            if R.random() < .1:
                a.append(attr(6))
            if R.random() < .1:
                a.append(attr(8))
            R.shuffle(a)
            if cmd == 2 and R.random() < .1:
                a = []  # flush
            return self.send(fam, cmd, b"".join(a), mutate_p=mp)
        # ovs_packet: EXECUTE mostly
        cmd = 3 if R.random() < .9 else cmd
        a = [attr(1, packet()), nest(2, key_body()), nest(3, actions())]
        if R.random() < .2:
            a.append(attr(8))
        if R.random() < .2:
            a.append(u16(9, R.getrandbits(16)))
        if R.random() < .1:
            a.append(u32(10, R.getrandbits(32)))
        if R.random() < .1:
            a.append(u64(11, R.getrandbits(64)))
        if R.random() < .1:
            a.append(nest(5, tunnel()))
        R.shuffle(a)
        return self.send(fam, cmd, b"".join(a), mutate_p=mp)

    def raw_garbage(self):
        """A message whose netlink header itself is damaged."""
        body = struct.pack("BBH", R.randint(0, 5), 1, 0) + rbytes(R.randint(0, 64))
        length = 16 + len(body)
        if R.random() < .5:
            length = R.choice([0, 15, 16, 17, length - 1, length + 4, 0xffff])
        msg = struct.pack("IHHII", length & 0xffffffff,
                          R.choice(list(self.fam.values())), ovsnl.NLM_F_REQUEST | ovsnl.NLM_F_ACK,
                          0, 0) + body
        try:
            self.g.send_raw(msg)
        except OSError:
            pass
        self.stats["sent"] += 1
        self.drain()

    def cleanup(self):
        """Delete the datapaths the fuzzer made; re-create DP and its ports."""
        _, _, replies = self.g.request(self.fam["ovs_datapath"], 3, 2,
                                       flags=ovsnl.NLM_F_ACK | ovsnl.NLM_F_DUMP)
        for r in replies:
            for t, p in ovsnl.parse_attrs(r[8:]):
                name = p.rstrip(b"\0").decode(errors="replace")
                if t == 1 and name != self.dp:
                    self.g.request(self.fam["ovs_datapath"], 2, 2, attr(1, p))
        if not os.path.exists("/sys/class/net/%s" % self.dp):
            self.g.request(self.fam["ovs_datapath"], 1, 2,
                           string(1, self.dp) + u32(2, 0) + u32(5, 1))
        self.refresh()
        for p in self.ports:
            self.g.request(self.fam["ovs_vport"], 1, 2,
                           u32(2, 1) + string(3, p) + u32(5, 0),
                           hdr=struct.pack("i", self.dpindex))

    def alive(self):
        self.refresh()
        err, _, replies = self.g.request(self.fam["ovs_datapath"], 3, 2, string(1, self.dp))
        return err == 0 and len(replies) == 1


def main():
    args = sys.argv[1:]
    seconds, iterations, seed = 60.0, 5000, int(time.time())
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--seconds":
            seconds = float(args.pop(0))
        elif opt == "--iterations":
            iterations = int(args.pop(0))
        elif opt == "--seed":
            seed = int(args.pop(0))
    dp, ports = args[0], args[1:]
    R.seed(seed)
    print("# nlfuzz seed %d" % seed, flush=True)
    fz = Fuzzer(dp, ports)
    end = time.monotonic() + seconds
    i = 0
    while i < iterations and time.monotonic() < end:
        if R.random() < .02:
            fz.raw_garbage()
        else:
            fz.one()
        i += 1
        if i % 250 == 0:
            fz.cleanup()
    fz.cleanup()
    ok = fz.alive()
    print("sent %(sent)d replies %(replies)d errors %(errors)d timeouts %(timeouts)d" % fz.stats)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
