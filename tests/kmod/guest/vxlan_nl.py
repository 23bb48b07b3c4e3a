#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""vxlan_nl.py - VXLAN vports and tunnel upcalls over the ovs_* families.

    vxlan_nl.py add DP NAME [DST_PORT|-] [RAW_OPTIONS_HEX]
        OVS_VPORT_CMD_NEW, TYPE=VXLAN, UPCALL_PID [0], OPTIONS {DST_PORT}
        (no DST_PORT attribute with "-"; RAW_OPTIONS_HEX replaces the
        options nest's payload).  Prints "ok PORT_NO" or "errno N MSG".
    vxlan_nl.py get DP NAME
        OVS_VPORT_CMD_GET: prints "type T dst_port P".
    vxlan_nl.py upcall DP PORT SECONDS
        points PORT's and DP's upcalls at us, prints "ready", then the
        tunnel attributes of the first miss ("tun id=.. src=.. dst=.. ttl=..
        tp_dst=.. flags=..") or "none".

ovs-dpctl add-if cannot make one: for type=vxlan it creates a Linux vxlan
device over rtnetlink and adds it as a netdev port.
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import ovsnl  # noqa: E402

OVS_VPORT_TYPE_VXLAN = 4
g = ovsnl.Genl()
vport = g.family("ovs_vport")
cmd, dp, name = sys.argv[1], sys.argv[2], sys.argv[3]
ifindex = int(open("/sys/class/net/%s/ifindex" % dp).read())
hdr = struct.pack("i", ifindex)

if cmd == "add":
    opts = b""
    if len(sys.argv) > 4 and sys.argv[4] != "-":
        opts = ovsnl.attr(1, struct.pack("H", int(sys.argv[4])))
    if len(sys.argv) > 5:
        opts = bytes.fromhex(sys.argv[5])
    attrs = (ovsnl.string(3, name) + ovsnl.u32(2, OVS_VPORT_TYPE_VXLAN) +
             ovsnl.attr(5, struct.pack("I", 0)) + ovsnl.attr(4, opts))
    err, msg, replies = g.request(vport, 1, 1, attrs, hdr=hdr,
                                  flags=ovsnl.NLM_F_ACK | ovsnl.NLM_F_ECHO |
                                  ovsnl.NLM_F_CREATE | ovsnl.NLM_F_EXCL)
    if err:
        print("errno %d %s" % (err, msg))
        sys.exit(1)
    for atype, payload in ovsnl.parse_attrs(replies[0][8:]):
        if atype == 1:
            print("ok %d" % struct.unpack("I", payload)[0])
    sys.exit(0)

if cmd == "get":
    err, msg, replies = g.request(vport, 3, 1, ovsnl.string(3, name), hdr=hdr)
    if err:
        print("errno %d %s" % (err, msg))
        sys.exit(1)
    a = dict(ovsnl.parse_attrs(replies[0][8:]))
    port = "none"
    for t, p in ovsnl.parse_attrs(a.get(4, b"")):
        if t == 1:
            port = struct.unpack("H", p[:2])[0]
    print("type %d dst_port %s" % (struct.unpack("I", a[2])[0], port))
    sys.exit(0)

if cmd == "upcall":
    secs = float(sys.argv[4])
    portid = g.sock.getsockname()[0]
    packet = g.family("ovs_packet")
    err, msg, _ = g.request(vport, 4, 1, ovsnl.string(3, name) +
                            ovsnl.u32(5, portid), hdr=hdr)
    if err:
        print("vport set: errno %d %s" % (err, msg))
        sys.exit(1)
    err, msg, _ = g.request(g.family("ovs_datapath"), 4, 2,
                            ovsnl.string(1, dp) + ovsnl.u32(5, 0x9) +
                            ovsnl.attr(8, struct.pack("I", portid) *
                                       os.cpu_count()))
    print("ready", flush=True)
    end = time.monotonic() + secs
    g.sock.settimeout(0.2)
    while time.monotonic() < end:
        try:
            data = g.sock.recv(1 << 16)
        except socket.timeout:
            continue
        length, mtype = struct.unpack_from("IH", data, 0)
        if mtype != packet or data[16] != 1:
            continue
        top = dict(ovsnl.parse_attrs(data[16 + 4 + 4:length]))
        key = dict(ovsnl.parse_attrs(top.get(2, b"")))
        if 16 not in key:
            continue
        f = {}
        flags = []
        for t, p in ovsnl.parse_attrs(key[16]):
            if t == 0:
                f["id"] = struct.unpack(">Q", p)[0]
            elif t in (1, 2):
                f["src" if t == 1 else "dst"] = socket.inet_ntoa(p)
            elif t in (12, 13):
                f["src" if t == 12 else "dst"] = socket.inet_ntop(
                    socket.AF_INET6, p)
            elif t == 4:
                f["ttl"] = p[0]
            elif t == 10:
                f["tp_dst"] = struct.unpack(">H", p)[0]
            elif t == 5:
                flags.append("df")
            elif t == 6:
                flags.append("csum")
        print("tun id=%s src=%s dst=%s ttl=%s tp_dst=%s flags=%s" %
              (f.get("id"), f.get("src"), f.get("dst"), f.get("ttl"),
               f.get("tp_dst"), ",".join(flags)), flush=True)
        sys.exit(0)
    print("none")
    sys.exit(0)
sys.exit(2)
