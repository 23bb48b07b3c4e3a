#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""upcall_listen.py - count the miss upcalls a datapath port sends us.

    upcall_listen.py DP PORT SECONDS

Points PORT's upcall PID (OVS_VPORT_CMD_SET, OVS_VPORT_ATTR_UPCALL_PID)
and DP's per-CPU upcall PIDs (per-CPU dispatch, as ovs-vswitchd uses) at a
fresh generic netlink socket, prints "ready", then counts the
OVS_PACKET_CMD_MISS messages that arrive within SECONDS and prints
"misses N".  Exit status 1 if the port could not be set.
"""
import errno
import os
import socket
import struct
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import ovsnl  # noqa: E402

dp, port, secs = sys.argv[1], sys.argv[2], float(sys.argv[3])
g = ovsnl.Genl()
g.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
portid = g.sock.getsockname()[0]
vport = g.family("ovs_vport")
packet = g.family("ovs_packet")
ifindex = int(open("/sys/class/net/%s/ifindex" % dp).read())
err, msg, _ = g.request(vport, 4, 2, ovsnl.string(3, port) + ovsnl.u32(5, portid),
                        hdr=struct.pack("i", ifindex))
if err:
    print("vport set: errno %d %s" % (err, msg))
    sys.exit(1)
# ovs-dpctl's datapath dispatches per CPU (as ovs-vswitchd's does): point
# every CPU's upcalls at us too.
err, msg, _ = g.request(g.family("ovs_datapath"), 4, 2,
                        ovsnl.string(1, dp) + ovsnl.u32(5, 0x9) +
                        ovsnl.attr(8, struct.pack("I", portid) * os.cpu_count()))
if err:
    print("datapath set: errno %d %s" % (err, msg))
    sys.exit(1)
print("ready", flush=True)
n = 0
end = time.monotonic() + secs
g.sock.settimeout(0.2)
while time.monotonic() < end:
    try:
        data = g.sock.recv(1 << 16)
    except socket.timeout:
        continue
    except OSError as e:        # ENOBUFS: the socket overran (counted lost)
        if e.errno != errno.ENOBUFS:
            raise
        continue
    off = 0
    while off + 20 <= len(data):
        length, mtype = struct.unpack_from("IH", data, off)
        if length < 16:
            break
        if mtype == packet and data[off + 16] == 1:
            n += 1
        off += (length + 3) & ~3
print("misses %d" % n, flush=True)
