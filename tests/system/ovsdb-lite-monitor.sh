#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# timeout: 120
#
# ovsdb-lite monitors and locks, through raw JSON-RPC:
#   * a "monitor" (update) and a "monitor_cond" (update2) client see the
#     initial state, then exactly the committed changes of three writers, in
#     commit order; replaying the notifications reproduces the final table;
#     failed transactions produce no notification;
#   * lock/steal/unlock with the locked/stolen notifications, and "assert";
#   * bad input (malformed JSON, oversized message, wrong types, a flood)
#     costs only the offending client its connection; others keep working.
# Prints TAP.
. "$(dirname "$0")/../lib.sh"
require python3
[ -x /usr/bin/python3 ] && python3() { /usr/bin/python3 "$@"; }
LITE=$BUILD/ovsdb-lite/ovsdb-lite
TOOL=$BUILD/ovsdb-lite/ovsdb-lite-tool
[ -x "$LITE" ] || fail "missing $LITE"
"$TOOL" create "$TMPD/conf.db" "$SRCDIR/vswitchd/vswitch.ovsschema" || fail create
"$LITE" --remote="punix:$TMPD/db.sock" --remote=ptcp:0:127.0.0.1 \
    --probe-interval=500 --unixctl=none --max-message-size=65536 \
    --log-file="$TMPD/lite.log" "$TMPD/conf.db" 2> "$TMPD/lite.err" &
LPID=$!; at_cleanup kill_pid $LPID
wait_for 5 test -S "$TMPD/db.sock" || fail "server did not start"

wait_for 5 grep -q 'listening on ptcp:' "$TMPD/lite.log" || fail "no TCP listener"
TCPPORT=$(sed -n 's/.*listening on ptcp:\([0-9]*\):.*/\1/p' "$TMPD/lite.log" | head -1)
python3 - "$TMPD/db.sock" "$TCPPORT" <<'PY'
import json, socket, sys, threading, time
path = sys.argv[1]
tcp_port = int(sys.argv[2])
n = 0
def ok(cond, name):
    global n; n += 1
    print("%s %d - %s" % ("ok" if cond else "not ok", n, name)); sys.stdout.flush()

class C:
    def __init__(self):
        self.s = socket.socket(socket.AF_UNIX); self.s.connect(path)
        self.s.settimeout(10)
        self.dec = json.JSONDecoder(); self.buf = ""; self.id = 0; self.notes = []
    def send(self, obj):
        self.s.sendall(obj if isinstance(obj, bytes) else json.dumps(obj).encode())
    def recv(self):
        while True:
            b = self.buf.lstrip()
            try:
                msg, end = self.dec.raw_decode(b); self.buf = b[end:]; return msg
            except ValueError:
                d = self.s.recv(1 << 20)
                if not d: return None
                self.buf += d.decode()
    def call(self, method, params):
        self.id += 1; my = self.id
        self.send({"id": my, "method": method, "params": params})
        while True:
            m = self.recv()
            if m is None: return None
            if m.get("id") == my and "method" not in m: return m
            self.notes.append(m)
    def wait_note(self, timeout=5):
        if self.notes: return self.notes.pop(0)
        self.s.settimeout(timeout)
        try: return self.recv()
        finally: self.s.settimeout(10)
    def tx(self, *ops):
        return self.call("transact", ["Open_vSwitch"] + list(ops))

setup = C()
setup.tx({"op": "insert", "table": "Queue", "row": {"dscp": 0, "external_ids": ["map", [["w", "init"]]]}})

m1, m2 = C(), C()
r1 = m1.call("monitor", ["Open_vSwitch", ["m", 1], {"Queue": {"columns": ["dscp", "external_ids"]}}])
r2 = m2.call("monitor_cond", ["Open_vSwitch", "m2", {"Queue": [{"columns": ["dscp", "external_ids"]}]}])
ok(len(r1["result"]["Queue"]) == 1 and "new" in list(r1["result"]["Queue"].values())[0], "monitor: initial state")
ok("initial" in list(r2["result"]["Queue"].values())[0], "monitor_cond: initial state (update2)")

# Three writers, each a sequence of insert / update / delete.
def writer(w):
    c = C()
    for i in range(30):
        r = c.tx({"op": "insert", "table": "Queue", "uuid-name": "q",
                  "row": {"dscp": i % 64, "external_ids": ["map", [["w", str(w)], ["i", str(i)]]]}})
        u = r["result"][0]["uuid"]
        c.tx({"op": "update", "table": "Queue", "where": [["_uuid", "==", u]], "row": {"dscp": (i + 1) % 64}})
        if i % 3 == 0:
            c.tx({"op": "delete", "table": "Queue", "where": [["_uuid", "==", u]]})
        # A failing transaction: must not be seen.
        c.tx({"op": "update", "table": "Queue", "where": [["_uuid", "==", u]], "row": {"dscp": 99}})
threads = [threading.Thread(target=writer, args=(w,)) for w in range(3)]
for t in threads: t.start()
for t in threads: t.join()
expected_commits = 3 * (30 * 2 + 10)

def collect(c, method):
    got = []
    while len(got) < expected_commits:
        m = c.wait_note(5)
        if m is None: break
        if m.get("method") == method: got.append(m["params"])
    return got
u1, u2 = collect(m1, "update"), collect(m2, "update2")
ok(len(u1) == expected_commits, "update: one notification per commit (%d/%d)" % (len(u1), expected_commits))
ok(len(u2) == expected_commits, "update2: one notification per commit (%d/%d)" % (len(u2), expected_commits))
ok(all(p[0] == ["m", 1] for p in u1) and all(p[0] == "m2" for p in u2), "monitor ids echoed exactly")

# Per writer, the sequence insert(i) -> modify -> [delete] in order.
def order_ok(updates, v2):
    state = {}   # uuid -> (w, i)
    last = {}    # w -> last i inserted
    for _, upd in updates:
        for uuid, ch in upd.get("Queue", {}).items():
            if (("insert" in ch) if v2 else ("new" in ch and "old" not in ch)):
                row = ch["insert"] if v2 else ch["new"]
                ids = dict(row["external_ids"][1])
                w, i = ids["w"], int(ids["i"])
                if last.get(w, -1) != i - 1: return False
                last[w] = i; state[uuid] = (w, i)
            elif uuid not in state:
                return False
    return all(v == 29 for v in last.values()) and len(last) == 3
ok(order_ok(u1, False), "update: each writer's changes in commit order")
ok(order_ok(u2, True), "update2: each writer's changes in commit order")
def dscps(p):
    for ch in p[1].get("Queue", {}).values():
        for k in ("new", "old", "insert", "modify", "initial"):
            if isinstance(ch.get(k), dict) and "dscp" in ch[k]:
                yield json.dumps(ch[k]["dscp"])
ok(not any(d in ("99", '["set", [99]]') or "99]" in d or "[99" in d for p in u1 + u2 for d in dscps(p)),
   "failed transactions produce no notification")

# Replay update2 onto the initial state and compare with a select.
def as_set(v):     # optional column value -> python set
    if isinstance(v, list) and v and v[0] == "set": return set(v[1])
    return {v}
table = {u: as_set(ch["initial"].get("dscp", ["set", []])) for u, ch in r2["result"]["Queue"].items()}
for _, upd in u2:
    for u, ch in upd.get("Queue", {}).items():
        if "insert" in ch: table[u] = as_set(ch["insert"].get("dscp", ["set", []]))
        elif "delete" in ch: del table[u]
        elif "modify" in ch and "dscp" in ch["modify"]:
            # dscp holds at most one value: its update2 "diff" is the new
            # value, as ovsdb-server sends it (larger sets toggle elements).
            table[u] = as_set(ch["modify"]["dscp"])
sel = setup.tx({"op": "select", "table": "Queue", "where": [], "columns": ["_uuid", "dscp"]})
final = {r["_uuid"][1]: as_set(r["dscp"]) for r in sel["result"][0]["rows"]}
replayed = table
ok(final == replayed, "replaying update2 reproduces the table (%d rows)" % len(final))
ok(m1.call("monitor_cancel", [["m", 1]])["result"] == {}, "monitor_cancel")
setup.tx({"op": "insert", "table": "Queue", "row": {}})
time.sleep(0.3)
m1.s.settimeout(0.5)
try:
    extra = m1.recv()
except socket.timeout:
    extra = None
ok(extra is None, "no updates after monitor_cancel")

# Locks.
a, b = C(), C()
ok(a.call("lock", ["L"])["result"] == {"locked": True}, "lock: free lock granted")
ok(b.call("lock", ["L"])["result"] == {"locked": False}, "lock: held lock queued")
r = b.tx({"op": "assert", "lock": "L"})
ok(r["result"][0].get("error") == "not owner", "assert without the lock: not owner")
ok(a.tx({"op": "assert", "lock": "L"})["result"] == [{}], "assert with the lock")
ok(a.call("unlock", ["L"])["result"] == {}, "unlock")
note = b.wait_note()
ok(note and note.get("method") == "locked" and note["params"] == ["L"], "waiter gets 'locked'")
ok(a.call("steal", ["L"])["result"] == {"locked": True}, "steal")
note = b.wait_note()
ok(note and note.get("method") == "stolen", "victim gets 'stolen'")
ok(a.call("echo", ["ping"])["result"] == ["ping"], "echo")
ok(a.call("monitor_cond_since", ["Open_vSwitch", "x", {}, None])["error"] == "unknown method",
   "unimplemented extension: error reply")

# Bad input.
bad = C(); bad.send(b'{"id":1,"method":"echo","params":[}]')
ok(bad.recv() is None, "malformed JSON: that client is disconnected")
big = C(); big.send(b'{"id":1,"method":"echo","params":["' + b"x" * 70000 + b'"]}')
try:
    ok(big.recv() is None, "oversized message: that client is disconnected")
except (ConnectionResetError, BrokenPipeError):
    ok(True, "oversized message: that client is disconnected")
w = C()
r = w.call("transact", "notalist")
ok(r is not None and r["error"] is not None, "params of the wrong type: error reply")
r = w.tx({"op": "insert", "table": "Queue", "row": {"dscp": "high"}})
ok(r["result"][0]["error"] == "syntax error", "wrong column type: syntax error")
# Flood: one client pipelines many requests without reading; another
# client keeps being served meanwhile.
flood = C()
flood.send(b"".join(json.dumps({"id": i, "method": "echo", "params": ["y" * 200]}).encode()
                    for i in range(20000)))
t0 = time.time()
r = w.call("echo", ["still here"])
ok(r["result"] == ["still here"], "others served during a flood (%.2fs)" % (time.time() - t0))
ok(setup.tx({"op": "select", "table": "Queue", "where": [["dscp", "==", 99]]})["result"][0]["rows"] == [],
   "nothing committed was touched")

# Idle TCP peers are probed with "echo"; one that answers stays, one that
# stays silent is dropped.
def tcp():
    c = C.__new__(C)
    c.s = socket.create_connection(("127.0.0.1", tcp_port)); c.s.settimeout(10)
    c.dec = json.JSONDecoder(); c.buf = ""; c.id = 0; c.notes = []
    return c
quiet, polite = tcp(), tcp()
m = polite.recv()
ok(m.get("method") == "echo" and m.get("id") is not None, "idle TCP peer gets an echo probe")
polite.send({"id": m["id"], "result": m["params"], "error": None})
t0 = time.time()
first = quiet.recv()
ok(first.get("method") == "echo", "silent TCP peer probed too")
ok(quiet.recv() is None and time.time() - t0 < 5, "silent TCP peer disconnected")
ok(polite.call("echo", ["tcp"])["result"] == ["tcp"], "answering TCP peer still served")
print("1..%d" % n)
PY
grep -E 'disconnecting' "$TMPD/lite.log" | sed 's/^/# /' | head -5
