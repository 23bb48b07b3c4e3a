#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/dp-poll.py: poll a kernel datapath's counters, cheaply.

    dp-poll.py PID TARGET SECS OUT

Every 0.1 s, for at most SECS seconds, reads the statistics of every
datapath of this network namespace (one generic netlink dump of
ovs_datapath, the same message for openvswitch.ko and vswitch_dp.ko) and
the CPU ticks (utime + stime, all threads) of process PID, and appends
"EPOCH-SECS FLOWS MISSED LOST TICKS" to OUT (flushed per line).  Stops
early once FLOWS >= TARGET.  bench/kernel.sh runs it (at a real-time
priority) in place of an ovs-dpctl per poll: under TCG a process start
costs a good part of a second, and a poll must not wait behind the
daemon it measures.  Exit status 0, or 1 if no datapath answered.
"""
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3
OVS_DP_CMD_GET = 3
OVS_DATAPATH_VERSION = 2
OVS_DP_ATTR_STATS = 3


def attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        length, atype = struct.unpack_from("HH", buf, off)
        if length < 4 or off + length > len(buf):
            return
        yield atype & 0x3fff, buf[off + 4:off + length]
        off += (length + 3) & ~3


class Poller:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.settimeout(5)
        self.seq = 0
        name = b"ovs_datapath\0"
        a = struct.pack("HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
        a += b"\0" * ((4 - len(a) % 4) % 4)
        self.fam = None
        for body in self.ask(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, a, 0):
            for t, p in attrs(body[4:]):
                if t == CTRL_ATTR_FAMILY_ID:
                    self.fam = struct.unpack("H", p[:2])[0]
        if self.fam is None:
            raise OSError("no ovs_datapath family")

    def ask(self, fam, cmd, version, payload, flags):
        """Bodies of the replies to one request (a dump if flags say so)."""
        self.seq += 1
        body = struct.pack("BBH", cmd, version, 0) + payload
        self.sock.send(struct.pack("IHHII", 16 + len(body), fam,
                                   NLM_F_REQUEST | flags, self.seq, 0) + body)
        out = []
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                length, mtype, _, seq, _ = struct.unpack_from("IHHII", data, off)
                if length < 16:
                    return out
                msg = data[off + 16:off + length]
                off += (length + 3) & ~3
                if seq != self.seq:
                    continue
                if mtype == NLMSG_DONE or mtype == NLMSG_ERROR:
                    return out
                out.append(msg)
            if not flags & NLM_F_DUMP:
                return out

    def stats(self):
        """(flows, missed, lost) summed over the datapaths, or None."""
        tot, seen = [0, 0, 0], False
        for body in self.ask(self.fam, OVS_DP_CMD_GET, OVS_DATAPATH_VERSION,
                             struct.pack("i", 0), NLM_F_DUMP):
            for t, p in attrs(body[8:]):      # genl header + ovs_header
                if t == OVS_DP_ATTR_STATS and len(p) >= 32:
                    _, missed, lost, flows = struct.unpack_from("QQQQ", p)
                    tot[0] += flows
                    tot[1] += missed
                    tot[2] += lost
                    seen = True
        return tot if seen else None


def ticks(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            rest = f.read().rsplit(")", 1)[1].split()
        return int(rest[11]) + int(rest[12])
    except (OSError, IndexError, ValueError):
        return 0


def main():
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    pid, target, secs, out = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    p = Poller()
    end = time.time() + secs
    ok = False
    with open(out, "a") as f:
        while True:
            a = time.time()
            st = p.stats()
            b = time.time()
            if st is not None:
                ok = True
                f.write("%.4f %d %d %d %d\n" % ((a + b) / 2, st[0], st[1], st[2], ticks(pid)))
                f.flush()
                if st[0] >= target:
                    break
            if b >= end:
                break
            time.sleep(0.1)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
