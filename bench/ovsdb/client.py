#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Benchmark client for OVSDB servers (ovsdb-lite and ovsdb-server alike).

  client.py SOCKET setup              insert the Open_vSwitch row and br0
  client.py SOCKET updates N ID       N small durable update transactions
  client.py SOCKET ports N BATCH      add N ports to br0, BATCH per txn

Every transaction ends with {"op":"commit","durable":true} so that both
servers make it durable before answering.  Prints elapsed seconds."""
import json
import socket
import sys
import time


class Rpc:
    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX)
        self.s.connect(path)
        self.dec = json.JSONDecoder()
        self.buf = ""
        self.next_id = 0

    def call(self, method, params):
        self.next_id += 1
        self.s.sendall(json.dumps({"id": self.next_id, "method": method,
                                   "params": params}).encode())
        while True:
            buf = self.buf.lstrip()
            try:
                msg, end = self.dec.raw_decode(buf)
                self.buf = buf[end:]
            except ValueError:
                data = self.s.recv(1 << 20)
                if not data:
                    raise SystemExit("connection closed")
                self.buf += data.decode()
                continue
            if msg.get("method") == "echo":
                self.s.sendall(json.dumps({"id": msg["id"], "result": msg["params"],
                                           "error": None}).encode())
                continue
            if msg.get("id") == self.next_id:
                if msg.get("error"):
                    raise SystemExit("error: %s" % msg["error"])
                for r in msg["result"]:
                    if isinstance(r, dict) and "error" in r:
                        raise SystemExit("error: %s" % r)
                return msg["result"]

    def transact(self, *ops):
        return self.call("transact", ["Open_vSwitch"] + list(ops)
                         + [{"op": "commit", "durable": True}])


def main():
    rpc = Rpc(sys.argv[1])
    what = sys.argv[2]
    start = time.monotonic()
    if what == "setup":
        rpc.transact({"op": "insert", "table": "Open_vSwitch",
                      "row": {"bridges": ["named-uuid", "b"]}},
                     {"op": "insert", "table": "Bridge", "uuid-name": "b",
                      "row": {"name": "br0", "ports": ["named-uuid", "p"]}},
                     {"op": "insert", "table": "Port", "uuid-name": "p",
                      "row": {"name": "br0", "interfaces": ["named-uuid", "i"]}},
                     {"op": "insert", "table": "Interface", "uuid-name": "i",
                      "row": {"name": "br0", "type": "internal"}})
    elif what == "updates":
        n, ident = int(sys.argv[3]), sys.argv[4]
        for i in range(n):
            rpc.transact({"op": "mutate", "table": "Open_vSwitch", "where": [],
                          "mutations": [["external_ids", "delete", ["set", [ident]]],
                                        ["external_ids", "insert",
                                         ["map", [[ident, str(i)]]]]]})
    elif what == "ports":
        n, batch = int(sys.argv[3]), int(sys.argv[4])
        for base in range(0, n, batch):
            ops, names = [], []
            for k in range(base, min(n, base + batch)):
                ops.append({"op": "insert", "table": "Interface",
                            "uuid-name": "i%d" % k,
                            "row": {"name": "p%d" % k,
                                    "external_ids": ["map", [["iface-id", "x%d" % k]]]}})
                ops.append({"op": "insert", "table": "Port", "uuid-name": "p%d" % k,
                            "row": {"name": "p%d" % k, "tag": k % 4000 + 1,
                                    "interfaces": ["named-uuid", "i%d" % k]}})
                names.append(["named-uuid", "p%d" % k])
            ops.append({"op": "mutate", "table": "Bridge",
                        "where": [["name", "==", "br0"]],
                        "mutations": [["ports", "insert", ["set", names]]]})
            rpc.transact(*ops)
    print("%.6f" % (time.monotonic() - start))


if __name__ == "__main__":
    main()
