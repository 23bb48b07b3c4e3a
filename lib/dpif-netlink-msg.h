/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_DPIF_NETLINK_MSG_H
#define VSWITCH_DPIF_NETLINK_MSG_H 1

/*
 * dpif-netlink-msg: the generic netlink messages of the kernel datapath
 * (<linux/openvswitch.h>), built into and parsed out of plain memory, with
 * no socket in sight, so that unit tests and the fuzzer reach every byte
 * that lib/dpif-netlink.c exchanges with the kernel.
 *
 * Builders append one complete netlink message to a 'struct buf' (so that
 * several requests can leave in one sendmsg()) and return its offset in
 * the buffer.  Parsers take one message as received and fill a reply
 * struct whose pointers point into that message: they never read outside
 * 'nlh->nlmsg_len' bytes (checked against the received size first by
 * dpnl_msg_ok()), skip attributes they do not know, and refuse a known
 * attribute whose length is wrong with EINVAL.
 *
 * Thread-safety: pure functions; callers own the buffers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include "vswitch/dpif.h"

struct buf;

/* The generic netlink family ids of the four ovs_* families. */
struct dpnl_families {
    uint16_t datapath; /* OVS_DATAPATH_FAMILY. */
    uint16_t vport;    /* OVS_VPORT_FAMILY. */
    uint16_t flow;     /* OVS_FLOW_FAMILY. */
    uint16_t packet;   /* OVS_PACKET_FAMILY. */
};

/* True if 'len' bytes at 'nlh' hold the whole message 'nlh'. */
bool dpnl_msg_ok(const struct nlmsghdr *nlh, size_t len);
/* The message after 'nlh' (which dpnl_msg_ok() accepted), '*len' reduced
 * by what was skipped. */
const struct nlmsghdr *dpnl_msg_next(const struct nlmsghdr *nlh, size_t *len);

/* Requests.  Each returns the offset of the new message in 'b'. */

/* CTRL_CMD_GETFAMILY for 'name'. */
size_t dpnl_put_getfamily(struct buf *b, uint32_t seq, const char *name);

/* A datapath request. */
struct dpnl_dp_req {
    uint8_t cmd;                  /* OVS_DP_CMD_*. */
    uint16_t flags;               /* NLM_F_* beyond NLM_F_REQUEST. */
    int dp_ifindex;               /* 0 to name the datapath by 'name'. */
    const char *name;             /* OVS_DP_ATTR_NAME or NULL. */
    bool has_upcall_pid;          /* Send OVS_DP_ATTR_UPCALL_PID. */
    uint32_t upcall_pid;          /* Its value. */
    bool has_features;            /* Send OVS_DP_ATTR_USER_FEATURES. */
    uint32_t user_features;       /* Its value (OVS_DP_F_*). */
    const uint32_t *per_cpu_pids; /* OVS_DP_ATTR_PER_CPU_PIDS or NULL. */
    size_t n_per_cpu_pids;        /* Entries at 'per_cpu_pids'. */
};
size_t dpnl_put_dp(struct buf *b, uint16_t family, uint32_t seq,
                   const struct dpnl_dp_req *);

/* A vport request. */
struct dpnl_vport_req {
    uint8_t cmd;         /* OVS_VPORT_CMD_*. */
    uint16_t flags;      /* NLM_F_* beyond NLM_F_REQUEST. */
    int dp_ifindex;      /* The datapath (0: any, for lookups by name). */
    const char *name;    /* OVS_VPORT_ATTR_NAME or NULL. */
    uint32_t port_no;    /* OVS_VPORT_ATTR_PORT_NO or DPIF_PORT_NONE. */
    uint32_t type;       /* OVS_VPORT_ATTR_TYPE or OVS_VPORT_TYPE_UNSPEC. */
    bool has_upcall_pid; /* Send OVS_VPORT_ATTR_UPCALL_PID. */
    uint32_t upcall_pid; /* Its value. */
    uint16_t dst_port;   /* Nonzero: OVS_VPORT_ATTR_OPTIONS carrying
                          * OVS_TUNNEL_ATTR_DST_PORT (host order). */
};
size_t dpnl_put_vport(struct buf *b, uint16_t family, uint32_t seq,
                      const struct dpnl_vport_req *);

/* A flow request. */
struct dpnl_flow_req {
    uint8_t cmd;                  /* OVS_FLOW_CMD_*. */
    uint16_t flags;               /* NLM_F_* beyond NLM_F_REQUEST. */
    int dp_ifindex;               /* The datapath. */
    const void *key;              /* OVS_FLOW_ATTR_KEY payload or NULL. */
    size_t key_size;              /* Its bytes. */
    const void *mask;             /* OVS_FLOW_ATTR_MASK payload or NULL. */
    size_t mask_size;             /* Its bytes. */
    const void *actions;          /* OVS_FLOW_ATTR_ACTIONS payload. */
    size_t actions_size;          /* Its bytes. */
    bool has_actions;             /* Send ACTIONS (even if empty: drop). */
    const struct dpif_ufid *ufid; /* OVS_FLOW_ATTR_UFID or NULL. */
    uint32_t ufid_flags;          /* OVS_FLOW_ATTR_UFID_FLAGS if nonzero. */
    bool clear;                   /* OVS_FLOW_ATTR_CLEAR. */
};
size_t dpnl_put_flow(struct buf *b, uint16_t family, uint32_t seq,
                     const struct dpnl_flow_req *);

/* OVS_PACKET_CMD_EXECUTE of 'actions' on 'packet' with metadata 'key'
 * (NULL/0: an empty key). */
size_t dpnl_put_execute(struct buf *b, uint16_t family, uint32_t seq,
                        int dp_ifindex, const void *packet, size_t size,
                        const void *key, size_t key_size, const void *actions,
                        size_t actions_size);

/* Replies.  All pointers point into the parsed message. */

/* NLMSG_ERROR: '*errorp' gets the positive errno (0 for an ack) and
 * '*extackp' the kernel's extended-ack message or NULL.  EINVAL if the
 * message is not a well-formed NLMSG_ERROR. */
int dpnl_parse_error(const struct nlmsghdr *, int *errorp,
                     const char **extackp);

/* CTRL_CMD_NEWFAMILY: the family id. */
int dpnl_parse_family(const struct nlmsghdr *, uint16_t *idp);

struct dpnl_dp_reply {
    int dp_ifindex;                     /* From the ovs_header. */
    const char *name;                   /* OVS_DP_ATTR_NAME or NULL. */
    struct ovs_dp_stats stats;          /* OVS_DP_ATTR_STATS (zeros). */
    struct ovs_dp_megaflow_stats mflow; /* OVS_DP_ATTR_MEGAFLOW_STATS. */
    uint32_t user_features;             /* OVS_DP_ATTR_USER_FEATURES. */
};
int dpnl_parse_dp(const struct nlmsghdr *, struct dpnl_dp_reply *);

struct dpnl_vport_reply {
    int dp_ifindex;               /* From the ovs_header. */
    uint32_t port_no;             /* OVS_VPORT_ATTR_PORT_NO. */
    uint32_t type;                /* OVS_VPORT_ATTR_TYPE. */
    const char *name;             /* OVS_VPORT_ATTR_NAME. */
    struct ovs_vport_stats stats; /* OVS_VPORT_ATTR_STATS (zeros). */
    uint32_t upcall_pid;          /* First OVS_VPORT_ATTR_UPCALL_PID. */
};
/* EINVAL unless the reply has a port number, a type and a name. */
int dpnl_parse_vport(const struct nlmsghdr *, struct dpnl_vport_reply *);

struct dpnl_flow_reply {
    int dp_ifindex;        /* From the ovs_header. */
    const void *key;       /* OVS_FLOW_ATTR_KEY payload or NULL. */
    size_t key_size;       /* Its bytes. */
    const void *mask;      /* OVS_FLOW_ATTR_MASK payload or NULL. */
    size_t mask_size;      /* Its bytes. */
    const void *actions;   /* OVS_FLOW_ATTR_ACTIONS or NULL. */
    size_t actions_size;   /* Its bytes. */
    struct dpif_ufid ufid; /* OVS_FLOW_ATTR_UFID. */
    bool has_ufid;         /* Whether it was there. */
    uint64_t n_packets;    /* OVS_FLOW_ATTR_STATS. */
    uint64_t n_bytes;      /* Likewise. */
    uint64_t used;         /* OVS_FLOW_ATTR_USED (monotonic ms). */
    uint8_t tcp_flags;     /* OVS_FLOW_ATTR_TCP_FLAGS. */
};
int dpnl_parse_flow(const struct nlmsghdr *, struct dpnl_flow_reply *);

/* An upcall (OVS_PACKET_CMD_MISS or _ACTION). */
struct dpnl_upcall_reply {
    uint8_t cmd;          /* OVS_PACKET_CMD_*. */
    int dp_ifindex;       /* From the ovs_header. */
    const void *packet;   /* OVS_PACKET_ATTR_PACKET. */
    size_t packet_size;   /* Its bytes. */
    const void *key;      /* OVS_PACKET_ATTR_KEY payload. */
    size_t key_size;      /* Its bytes. */
    const void *userdata; /* OVS_PACKET_ATTR_USERDATA payload or NULL. */
    size_t userdata_size; /* Its bytes. */
    uint32_t in_port;     /* OVS_KEY_ATTR_IN_PORT in 'key', or
                              * DPIF_PORT_NONE. */
};
/* EINVAL unless the message is a miss or action upcall with a packet and a
 * key. */
int dpnl_parse_upcall(const struct nlmsghdr *, struct dpnl_upcall_reply *);

/* The genl command of a message long enough to have one, else 0. */
uint8_t dpnl_genl_cmd(const struct nlmsghdr *);

/* Port change notifications: rtnetlink link messages (RTNLGRP_LINK) and
 * the ovs_vport family's multicast group. */

/* CTRL_CMD_NEWFAMILY: the id of the family's multicast group 'group';
 * ENOENT if it has none by that name, EINVAL if malformed. */
int dpnl_parse_mcast_group(const struct nlmsghdr *, const char *group,
                           uint32_t *idp);

enum dpnl_event_kind {
    DPNL_EV_NONE,
    DPNL_EV_LINK_NEW,  /* RTM_NEWLINK: a device appeared or changed. */
    DPNL_EV_LINK_DEL,  /* RTM_DELLINK. */
    DPNL_EV_VPORT_NEW, /* OVS_VPORT_CMD_NEW: a port joined a datapath. */
    DPNL_EV_VPORT_DEL, /* OVS_VPORT_CMD_DEL. */
    DPNL_EV_VPORT_SET, /* OVS_VPORT_CMD_SET (e.g. its upcall PID). */
};

struct dpnl_port_event {
    enum dpnl_event_kind kind; /* What happened. */
    int ifindex;               /* Link: the device; vport: the datapath. */
    const char *name;          /* Device name (into the message) or NULL
                                * (a link message without IFLA_IFNAME). */
    uint32_t port_no;          /* Vport: its number. */
    uint32_t flags;            /* Link: IFF_* (IFF_UP, IFF_LOWER_UP). */
    uint32_t mtu;              /* Link: IFLA_MTU if 'has_mtu'. */
    bool has_mtu;              /* IFLA_MTU present. */
    uint8_t mac[6];            /* Link: IFLA_ADDRESS if 'has_mac'. */
    bool has_mac;              /* A 6-byte IFLA_ADDRESS present. */
    int master;                /* Link: IFLA_MASTER, 0 if none. */
};

/* RTM_NEWLINK/RTM_DELLINK into '*ev'; EINVAL for other or malformed
 * messages. */
int dpnl_parse_link_event(const struct nlmsghdr *, struct dpnl_port_event *);
/* A notification of family 'vport_family' into '*ev'; EINVAL for other
 * or malformed messages. */
int dpnl_parse_vport_event(const struct nlmsghdr *, uint16_t vport_family,
                           struct dpnl_port_event *);

#endif /* VSWITCH_DPIF_NETLINK_MSG_H */
