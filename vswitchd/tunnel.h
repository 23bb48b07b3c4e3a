/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_TUNNEL_H
#define VSWITCHD_TUNNEL_H 1

/*
 * tunnel: VXLAN tunnel ports of a bridge.
 *
 * A tunnel Interface ("type=vxlan") is an OpenFlow port of its own with
 * no datapath port of its own: every tunnel interface of a bridge with the
 * same UDP destination port shares one datapath port, "vxlan_sys_<port>",
 * and the slow path tells them apart by the outer headers the datapath
 * puts in the flow's tunnel metadata (receive) and writes those headers
 * with set(tunnel(...)) before outputting to the shared port (transmit).
 *
 * This module holds:
 *
 *   - the parser of an Interface's options into a 'struct tnl_cfg', with
 *     the error message the bridge layer writes to Interface.error;
 *   - 'struct tnl_table', an immutable list of a bridge's tunnel ports,
 *     and the receive demultiplexer over it: among the ports on the
 *     packet's datapath port whose remote_ip, local_ip and in_key accept
 *     the packet's tunnel source, destination and key, the most specific
 *     wins, remote_ip weighing most, then local_ip, then in_key (an exact
 *     value beats "flow" or "any"; equal rank: the lowest OpenFlow port);
 *   - the route lookup that names a tunnel's egress device.
 *
 * remote_ip and local_ip are both IPv4 or both IPv6 ('ipv6'); an IPv6
 * port compares the IPv6 outer addresses, which IPv4 packets never match,
 * and the reverse.
 *
 * The bridge layer builds a bridge's table and hands it to its ofproto
 * (ofproto_set_tunnels()), which puts a copy into every xbridge snapshot
 * it publishes (xlate.h): translation reads the table of the xbridge it
 * is translating through, so the tunnels and the ports it sees always come
 * from the same snapshot.
 *
 * Invariant: a table in a published xbridge is never modified; it is
 * replaced together with its xbridge under RCU and freed with it after a
 * grace period.
 *
 * Thread-safety: a table is plain data; whoever owns it decides who may
 * read it (an xbridge's: any RCU-registered thread inside a read-side
 * section).  The parser, the demultiplexer, the table functions and the
 * route lookup touch only their arguments.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include "vswitch/flow.h"

#define TNL_VXLAN_DST_PORT 4789 /* IANA's VXLAN port, the default. */
#define TNL_DEFAULT_TTL 64      /* Outer TTL unless options:ttl. */
#define TNL_MAX_KEY 0xffffff    /* VNIs are 24 bits. */
#define TNL_VXLAN_OVERHEAD 50   /* Outer Ethernet, IPv4, UDP, VXLAN. */
#define TNL_VXLAN6_OVERHEAD 70  /* Outer Ethernet, IPv6, UDP, VXLAN. */

/* One tunnel interface's options. */
struct tnl_cfg {
    vs_be32 remote_ip; /* Outer destination; 0 with 'remote_flow'. */
    bool remote_flow;  /* remote_ip=flow: taken from tun_dst. */
    vs_be32 local_ip;  /* Outer source, 0: any (the route's). */
    bool local_flow;   /* local_ip=flow: taken from tun_src. */
    bool ipv6;         /* remote_ip/local_ip are the IPv6 ones below. */
    struct in6_addr remote_ip6; /* IPv6 outer destination (with 'ipv6'). */
    struct in6_addr local_ip6;  /* IPv6 outer source, :: any (with 'ipv6'). */
    uint32_t in_key;            /* VNI accepted on receive. */
    bool in_key_flow;           /* Any VNI, seen as tun_id. */
    uint32_t out_key;           /* VNI sent. */
    bool out_key_flow;          /* The VNI sent is tun_id. */
    uint16_t dst_port;          /* UDP destination port (host order). */
    uint8_t tos;                /* Outer ToS unless 'tos_inherit'. */
    bool tos_inherit;           /* Copy the inner IP ToS. */
    uint8_t ttl;                /* Outer TTL unless 'ttl_inherit'. */
    bool ttl_inherit;           /* Copy the inner IP TTL. */
    bool df;                    /* Don't-fragment bit on the outer header. */
    bool csum;                  /* Outer UDP checksum. */
};

/* Whether 'type' (an Interface type) is a tunnel type this module
 * handles. */
bool tnl_type_is_tunnel(const char *type);

/* Parses the 'n' options 'keys'/'values' of an Interface of tunnel type
 * 'type' into '*cfg'.  Returns true, or false with a message in '*errorp'
 * (malloc'd, for Interface.error; the caller frees it). */
bool tnl_cfg_parse(const char *type, const char *const *keys,
                   const char *const *values, size_t n, struct tnl_cfg *cfg,
                   char **errorp);

/* The bytes the encapsulation of tunnel 'cfg' adds on the underlay. */
static inline int
tnl_overhead(const struct tnl_cfg *cfg)
{
    return cfg->ipv6 ? TNL_VXLAN6_OVERHEAD : TNL_VXLAN_OVERHEAD;
}

/* Whether 'a' and 'b' receive exactly the same packets (a configuration
 * error for the second of them). */
bool tnl_cfg_same_receive(const struct tnl_cfg *a, const struct tnl_cfg *b);

/* The name of the datapath port that tunnels of 'type' on UDP port
 * 'dst_port' share ("vxlan_sys_4789"), into 'name' of 'size' bytes. */
void tnl_dp_port_name(const char *type, uint16_t dst_port, char *name,
                      size_t size);

/* A tunnel port as translation sees it. */
struct tnl_port {
    uint16_t ofp_port;  /* Its OpenFlow number. */
    uint32_t dp_port;   /* The shared datapath port. */
    char name[16];      /* Interface name. */
    struct tnl_cfg cfg; /* Its options. */
};

/* A bridge's tunnel ports (immutable once published). */
struct tnl_table {
    struct tnl_port *ports; /* Sorted by ofp_port. */
    size_t n_ports;         /* In 'ports'. */
};

/* A table of copies of the 'n' ports 'ports' (NULL if 'n' is 0). */
struct tnl_table *tnl_table_create(const struct tnl_port *ports, size_t n);
/* A copy of 't' (NULL if 't' is NULL or empty). */
struct tnl_table *tnl_table_clone(const struct tnl_table *t);
void tnl_table_destroy(struct tnl_table *);
/* Whether 'a' and 'b' hold the same ports with the same options. */
bool tnl_table_equal(const struct tnl_table *a, const struct tnl_table *b);

/* The tunnel port with OpenFlow number 'ofp_port', or NULL. */
const struct tnl_port *tnl_table_find(const struct tnl_table *,
                                      uint16_t ofp_port);
/* Whether 'dp_port' is a tunnels' shared datapath port. */
bool tnl_table_has_dp_port(const struct tnl_table *, uint32_t dp_port);
/* The tunnel port that receives a packet that arrived on datapath port
 * 'dp_port' with outer headers 'tnl', or NULL.  ORs into 'wc' (may be
 * NULL) every tunnel field the choice read. */
const struct tnl_port *tnl_table_demux(const struct tnl_table *,
                                       uint32_t dp_port,
                                       const struct flow_tnl *tnl,
                                       struct flow_tnl *wc);

/* The device of the route to 'dst' into 'name' (IFNAMSIZ bytes).  Returns
 * 0 or a positive errno (ENETUNREACH: no route). */
int tnl_route_lookup(vs_be32 dst, char *name);
/* The same for the IPv6 destination 'dst'. */
int tnl_route_lookup6(const struct in6_addr *dst, char *name);

#endif /* VSWITCHD_TUNNEL_H */
