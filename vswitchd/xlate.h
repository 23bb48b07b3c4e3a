/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_XLATE_H
#define VSWITCHD_XLATE_H 1

/*
 * xlate: translation of one flow through a bridge's OpenFlow pipeline into
 * datapath actions (<linux/openvswitch.h> attributes) and the megaflow mask
 * those actions depend on.
 *
 * The bridge as translation sees it is a 'struct xbridge': an immutable
 * snapshot of its ports, its tunnel ports (tunnel.h) and its settings that
 * the owner (ofproto) replaces as a whole, under RCU, when any of them
 * change; everything the snapshot points to lives exactly as long as it.  The flow tables and the
 * MAC learning table are shared, not snapshotted: they have their own
 * reader-safe concurrency (oftable.h, mac-learning.h).
 *
 * Packets for a controller (output:CONTROLLER, a table miss that means
 * "controller") become a userspace() action whose userdata is a
 * 'struct xlate_ctrl_cookie'; the datapath executes everything before it, so
 * the packet that reaches userspace as an action upcall already carries the
 * pipeline's rewrites and the upcall handler turns it into a PACKET_IN
 * without translating again.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp-probe.h"
#include "vswitch/buf.h"
#include "vswitch/flow.h"

struct of_tables;
struct ofpacts;
struct tnl_table;
struct mac_learning;
struct ds;

enum xport_vlan_mode {
    XPORT_VLAN_TRUNK,           /* No tag, no trunks: all VLANs (default). */
    XPORT_VLAN_ACCESS,          /* 'tag' only, untagged on the wire. */
    XPORT_VLAN_NATIVE_TAGGED,   /* Trunk; untagged frames are 'tag'. */
    XPORT_VLAN_NATIVE_UNTAGGED, /* Same, 'tag' leaves untagged. */
};

struct xport {
    uint16_t ofp_port; /* OpenFlow number (OFPP_LOCAL for the bridge). */
    uint32_t dp_port;  /* Datapath number. */
    char name[16];
    bool live;           /* Link up and not administratively down. */
    bool no_flood;       /* OFPPC_NO_FLOOD. */
    bool no_fwd;         /* OFPPC_NO_FWD: drop what is output here. */
    bool no_packet_in;   /* OFPPC_NO_PACKET_IN. */
    bool no_recv;        /* OFPPC_NO_RECV: drop what arrives here. */
    uint32_t upcall_pid; /* userspace() PID for packets from this port. */
    enum xport_vlan_mode vlan_mode;
    int tag;               /* Access/native VLAN, -1 if none. */
    const uint8_t *trunks; /* 4096-bit bitmap, NULL: every VLAN. */
};

struct xbridge {
    char *name;
    struct of_tables *tables;
    struct mac_learning *ml;
    struct xport *ports; /* Sorted by ofp_port. */
    size_t n_ports;
    uint32_t upcall_pid;         /* userspace() PID for packets from no
                                  * port (PACKET_OUT). */
    bool normal_only;            /* fail_mode=standalone and no controller
                                  * connected: every packet goes NORMAL. */
    struct dp_features features; /* What the datapath can do (zeroed:
                                  * not probed, everything). */
    bool miss_to_controller;     /* A miss in a table without a table-miss
                                  * rule sends to the controller (reason
                                  * NO_MATCH); else it drops. */
    struct tnl_table *tnl;       /* Its tunnel ports (NULL: none), owned
                                  * by the snapshot and freed with it. */
};

const struct xport *xbridge_port_by_ofp(const struct xbridge *, uint16_t);
const struct xport *xbridge_port_by_dp(const struct xbridge *, uint32_t);

/* Userdata of the userspace() action that sends a packet to controllers. */
struct xlate_ctrl_cookie {
    uint8_t type;   /* XLATE_COOKIE_CONTROLLER. */
    uint8_t reason; /* OFPR_*. */
    uint8_t table_id;
    uint8_t pad;
    uint16_t max_len;  /* Bytes of the frame to send (0xffff: all). */
    uint16_t in_port;  /* OpenFlow in_port of the packet. */
    uint64_t cookie;   /* Cookie of the rule that sent it (host order). */
    uint64_t metadata; /* Metadata at that point (host order). */
    uint64_t tun_id;   /* Tunnel metadata at that point: key (host order), */
    vs_be32 tun_src;   /* outer source and */
    vs_be32 tun_dst;   /* destination (zero: no tunnel). */
};
enum { XLATE_COOKIE_CONTROLLER = 1 };

struct xlate_in {
    const struct xbridge *br;
    uint64_t version;              /* of_tables version to look up in. */
    struct flow flow;              /* The packet's flow; in_port is the
                                * *datapath* port number. */
    const struct ofpacts *ofpacts; /* Non-NULL: translate these actions
                                * (PACKET_OUT) instead of table 0. */
    bool may_learn;                /* Update MAC learning (false for traces
                                * and revalidation). */
    bool credit_stats;             /* Count the lookup in rule/table stats. */
    long long now;                 /* ms, for MAC aging and stats. */
    size_t packet_size;            /* For byte counts, 0 if unknown (with
                                * 'n_packets', the bytes of them all). */
    uint64_t n_packets;            /* Packets to credit rules with, 0: one
                                * (the revalidator pushes datapath stats). */
};

/* Bytes of a set of OpenFlow tables (one bit per table id). */
#define XLATE_TABLE_SET_SIZE 32
/* Group ids a translation remembers. */
#define XLATE_MAX_GROUPS_SEEN 8
/* Rules a translation remembers. */
#define XLATE_MAX_RULES_SEEN 8

struct xlate_out {
    struct buf odp_actions; /* Datapath actions. */
    struct flow wc;         /* Megaflow mask: every bit a decision read. */
    bool slow;              /* Must not be installed as a megaflow. */
    bool budget_exceeded;   /* Depth or resubmit budget cut the
                                * pipeline (actions then drop). */
    struct ds *trace;       /* Non-NULL: a table-by-table account is
                                * appended (ofproto/trace). */
    uint8_t tables_read[XLATE_TABLE_SET_SIZE]; /* Bit T: table T was looked
                                * up (the revalidator re-checks the
                                * megaflow when T changes). */
    uint32_t groups[XLATE_MAX_GROUPS_SEEN];    /* Groups the packet went
                                * through (or asked for and missed). */
    size_t n_groups;                           /* In 'groups'. */
    bool groups_overflow; /* More groups than 'groups' holds: any
                                * group change may matter. */
    const struct of_rule *rules[XLATE_MAX_RULES_SEEN]; /* Rules hit, in
                                * order (valid while the tables stay at
                                * 'version', inside the RCU read lock). */
    size_t n_rules;                                    /* In 'rules'. */
    bool rules_overflow; /* More rules than 'rules' holds. */
    bool used_normal;    /* NORMAL ran (MAC learning involved). */
    uint64_t version;    /* xlate_in.version of the translation. */
};

/* Whether table 'table_id' is in the 256-bit set 'set'. */
static inline bool
xlate_table_set_has(const uint8_t *set, uint8_t table_id)
{
    return set[table_id / 8] & (1u << (table_id % 8));
}

/* Whether the 256-bit sets 'a' and 'b' share a table. */
static inline bool
xlate_table_sets_meet(const uint8_t *a, const uint8_t *b)
{
    for (size_t i = 0; i < XLATE_TABLE_SET_SIZE; i++) {
        if (a[i] & b[i]) {
            return true;
        }
    }
    return false;
}

void xlate_out_init(struct xlate_out *);
void xlate_out_uninit(struct xlate_out *);
/* Translates; 0 or an errno (EINVAL: in_port unknown). */
int xlate_actions(const struct xlate_in *, struct xlate_out *);

/* The megaflow that 'flow' and its translation's 'wc' give, as a datapath
 * takes it: the mask normalized for the key's structure, key and mask
 * attributes of flow & mask appended to 'key' and 'mask'. */
void xlate_megaflow_key(const struct flow *flow, const struct flow *wc,
                        struct buf *key, struct buf *mask);
/* The same megaflow as ovs-dpctl prints it ("in_port(1),eth(...),..."). */
void xlate_megaflow_format(const struct flow *flow, const struct flow *wc,
                           struct ds *);
/* ofproto/trace: translates 'xin' as given (callers clear may_learn and
 * credit_stats) and appends the table-by-table account, then
 * "Megaflow: ..." and "Datapath actions: ..." lines.  0 or an errno. */
int xlate_trace_flow(const struct xlate_in *, struct ds *);

#endif /* VSWITCHD_XLATE_H */
