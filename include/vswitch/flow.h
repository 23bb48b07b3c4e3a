/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_FLOW_H
#define VSWITCH_FLOW_H 1

/*
 * flow: what a packet is, as one fixed-layout key.
 *
 * 'struct flow' holds every header field the switch can match on, plus the
 * metadata that travels with a packet (input port, tunnel, marks).  The
 * slow path, the classifier and every datapath agree on this one layout, so
 * a flow and a mask ("wildcards", the same struct where a 1 bit means "this
 * bit matters") can be combined, compared and hashed as arrays of 64-bit
 * words without knowing which field is which.
 *
 * Layout (byte offsets; FLOW_U64S words of 8 bytes; no implicit padding,
 * every pad is an explicit zeroed member so word-wise operations are exact):
 *
 *   stage 0, metadata   0..127   tunnel (64), metadata, regs[8], in_port,
 *                                skb_mark, skb_priority, recirc_id, dp_hash
 *   stage 1, L2       128..151   dl_dst, dl_src, dl_type, vlans[2]
 *   stage 2, L3       152..199   ipv6_src, ipv6_dst, nw_src, nw_dst,
 *                                ipv6_label, nw_frag, nw_tos, nw_ttl,
 *                                nw_proto
 *   stage 3, L4       200..239   nd_target, arp_sha, arp_tha, tcp_flags,
 *                                tp_src, tp_dst
 *
 * The stages are what the classifier's staged lookup examines in order
 * (FLOW_STAGE_* give the word boundaries).  Fields that OpenFlow overlays
 * share storage the same way Open vSwitch does: ARP's spa/tpa are
 * nw_src/nw_dst and its opcode is nw_proto (low 8 bits); ICMP type and code
 * are tp_src and tp_dst; IPv6 ND's sll/tll are arp_sha/arp_tha.  Multi-byte
 * header fields are in network byte order; metadata (ports, marks, ids) is
 * in host order.
 *
 * A VLAN tag is present when VLAN_CFI (0x1000) is set in its 'tci': that bit
 * is the "present" flag, as in the datapath key format.  vlans[0] is the
 * outer tag.
 *
 * flow_extract() parses a packet in one pass.  It never reads beyond the
 * packet: a truncated or malformed header stops parsing at the last complete
 * layer, leaves the remaining fields zero and counts the reason in a
 * coverage counter (flow_extract_*).
 *
 * Thread-safety: all functions are pure or touch only their arguments.
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vswitch/util.h"

struct buf;
struct ds;
struct dp_packet;

/* Network-order integer types, for documentation only. */
typedef uint16_t vs_be16;
typedef uint32_t vs_be32;
typedef uint64_t vs_be64;

struct eth_addr {
    uint8_t ea[6]; /* Ethernet address bytes, in wire order. */
};

#define ETH_TYPE_IP 0x0800
#define ETH_TYPE_ARP 0x0806
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_VLAN_8021AD 0x88a8
#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_MIN 0x600
/* dl_type of an 802.3 (length) frame with no SNAP header (LLC). */
#define FLOW_DL_TYPE_NONE 0x05ff

#define VLAN_VID_MASK 0x0fff
#define VLAN_CFI 0x1000
#define VLAN_PCP_MASK 0xe000
#define VLAN_PCP_SHIFT 13

#define FLOW_MAX_VLAN 2

/* nw_frag bits. */
#define FLOW_NW_FRAG_ANY (1 << 0)   /* Any fragment: first or later. */
#define FLOW_NW_FRAG_LATER (1 << 1) /* A fragment with offset != 0. */
#define FLOW_NW_FRAG_MASK (FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER)

/* Tunnel flags (flow_tnl.flags). */
#define FLOW_TNL_F_DONT_FRAGMENT (1 << 0)
#define FLOW_TNL_F_CSUM (1 << 1)
#define FLOW_TNL_F_KEY (1 << 2)
#define FLOW_TNL_F_OAM (1 << 3)
#define FLOW_TNL_F_MASK 0xf

/* TCP flags as in the header's 12 low bits. */
#define TCP_FIN 0x001
#define TCP_SYN 0x002
#define TCP_RST 0x004
#define TCP_PSH 0x008
#define TCP_ACK 0x010
#define TCP_URG 0x020
#define TCP_ECE 0x040
#define TCP_CWR 0x080
#define TCP_NS 0x100
#define TCP_FLAGS_MASK 0x0fff

#define IP_DSCP_MASK 0xfc
#define IP_ECN_MASK 0x03

struct flow_vlan {
    vs_be16 tpid; /* Tag protocol (0x8100 or 0x88a8), 0 if absent. */
    vs_be16 tci;  /* PCP | CFI(present) | VID; 0 if absent. */
};

struct flow_tnl {
    vs_be64 tun_id;           /* Tunnel key (VNI in the low 24 bits). */
    struct in6_addr ipv6_src; /* Outer IPv6 source. */
    struct in6_addr ipv6_dst; /* Outer IPv6 destination. */
    vs_be32 ip_src;           /* Outer IPv4 source. */
    vs_be32 ip_dst;           /* Outer IPv4 destination. */
    uint16_t flags;           /* FLOW_TNL_F_*. */
    uint8_t ip_tos;           /* Outer ToS. */
    uint8_t ip_ttl;           /* Outer TTL. */
    vs_be16 tp_src;           /* Outer UDP source port. */
    vs_be16 tp_dst;           /* Outer UDP destination port. */
    uint8_t pad[8];           /* Zero. */
};

struct flow {
    /* Stage 0: metadata. */
    struct flow_tnl tunnel; /* Tunnel metadata (all zero if none). */
    uint64_t metadata;      /* OpenFlow metadata register (host order). */
    uint32_t regs[8];       /* reg0..reg7 (host order). */
    uint32_t in_port;       /* Input port (host order). */
    uint32_t skb_mark;      /* Packet mark. */
    uint32_t skb_priority;  /* Packet priority (QoS). */
    uint32_t recirc_id;     /* Recirculation id; 0 on first pass. */
    uint32_t dp_hash;       /* Datapath-computed hash. */
    uint32_t pad0;          /* Zero. */

    /* Stage 1: L2. */
    struct eth_addr dl_dst;                /* Ethernet destination. */
    struct eth_addr dl_src;                /* Ethernet source. */
    vs_be16 dl_type;                       /* Ethertype after the VLAN tags. */
    uint8_t pad1[2];                       /* Zero. */
    struct flow_vlan vlans[FLOW_MAX_VLAN]; /* Outer tag first. */

    /* Stage 2: L3. */
    struct in6_addr ipv6_src; /* IPv6 source. */
    struct in6_addr ipv6_dst; /* IPv6 destination. */
    vs_be32 nw_src;           /* IPv4 source, ARP SPA. */
    vs_be32 nw_dst;           /* IPv4 destination, ARP TPA. */
    vs_be32 ipv6_label;       /* IPv6 flow label (low 20 bits). */
    uint8_t nw_frag;          /* FLOW_NW_FRAG_*. */
    uint8_t nw_tos;           /* DSCP and ECN (IPv6 traffic class). */
    uint8_t nw_ttl;           /* TTL or hop limit. */
    uint8_t nw_proto;         /* IP protocol; ARP opcode (low 8 bits). */

    /* Stage 3: L4. */
    struct in6_addr nd_target; /* IPv6 ND target address. */
    struct eth_addr arp_sha;   /* ARP SHA, ND source link-layer address. */
    struct eth_addr arp_tha;   /* ARP THA, ND target link-layer address. */
    vs_be16 tcp_flags;         /* TCP flags (low 12 bits). */
    uint8_t pad3[2];           /* Zero. */
    vs_be16 tp_src;            /* L4 source port, ICMP type. */
    vs_be16 tp_dst;            /* L4 destination port, ICMP code. */
    uint8_t pad4[4];           /* Zero. */
};

#define FLOW_U64S (sizeof(struct flow) / 8)

/* Word boundaries of the lookup stages: stage i covers words
 * [flow_stage_start(i), flow_stage_start(i + 1)). */
enum flow_stage {
    FLOW_STAGE_META,
    FLOW_STAGE_L2,
    FLOW_STAGE_L3,
    FLOW_STAGE_L4,
    FLOW_N_STAGES
};
#define FLOW_STAGE_L2_OFS (offsetof(struct flow, dl_dst) / 8)
#define FLOW_STAGE_L3_OFS (offsetof(struct flow, ipv6_src) / 8)
#define FLOW_STAGE_L4_OFS (offsetof(struct flow, nd_target) / 8)

_Static_assert(sizeof(struct flow) % 8 == 0, "flow is whole words");
_Static_assert(offsetof(struct flow, dl_dst) == 128, "stage L2 offset");
_Static_assert(offsetof(struct flow, ipv6_src) == 152, "stage L3 offset");
_Static_assert(offsetof(struct flow, nd_target) == 200, "stage L4 offset");
_Static_assert(sizeof(struct flow) == 240, "flow size");

static inline const uint64_t *
flow_u64(const struct flow *flow)
{
    return (const uint64_t *) (const void *) flow;
}

static inline uint64_t *
flow_u64_rw(struct flow *flow)
{
    return (uint64_t *) (void *) flow;
}

/* The first word of 'stage' (FLOW_N_STAGES gives FLOW_U64S). */
static inline unsigned int
flow_stage_start(int stage)
{
    static const unsigned int starts[FLOW_N_STAGES + 1] = {
        0, FLOW_STAGE_L2_OFS, FLOW_STAGE_L3_OFS, FLOW_STAGE_L4_OFS, FLOW_U64S};
    return starts[stage];
}

/* Metadata given to flow_extract() from outside the packet. */
struct flow_md {
    struct flow_tnl tunnel; /* Tunnel metadata, zero if none. */
    uint32_t in_port;       /* Input port. */
    uint32_t skb_mark;      /* Packet mark. */
    uint32_t skb_priority;  /* Packet priority. */
    uint32_t recirc_id;     /* Recirculation id. */
    uint32_t dp_hash;       /* Datapath hash. */
};

/* Header offsets that flow_extract() found (UINT16_MAX if absent). */
struct flow_offsets {
    uint16_t l2_5; /* After the Ethernet/VLAN headers (LLC,
                                * L3 header start). */
    uint16_t l3;   /* Network header. */
    uint16_t l4;   /* Transport header (after IPv6 ext hdrs). */
};

/* Why flow_extract() stopped early. */
enum flow_extract_status {
    FLOW_EXTRACT_OK,           /* Every recognized layer was complete. */
    FLOW_EXTRACT_SHORT_ETH,    /* Ethernet header truncated. */
    FLOW_EXTRACT_SHORT_VLAN,   /* VLAN tag truncated. */
    FLOW_EXTRACT_SHORT_LLC,    /* 802.3 LLC/SNAP truncated. */
    FLOW_EXTRACT_SHORT_ARP,    /* ARP truncated or not Ethernet/IPv4. */
    FLOW_EXTRACT_BAD_IPV4,     /* IPv4 header truncated or invalid. */
    FLOW_EXTRACT_BAD_IPV6,     /* IPv6 header truncated. */
    FLOW_EXTRACT_BAD_IPV6_EXT, /* IPv6 extension header truncated/bad. */
    FLOW_EXTRACT_SHORT_L4,     /* TCP/UDP/SCTP/ICMP header truncated. */
    FLOW_EXTRACT_BAD_ND,       /* ND message or option truncated/bad. */
};

/* Parses the 'size' bytes at 'data' (an Ethernet frame) into 'flow', which
 * it fills entirely (metadata from 'md', which may be NULL).  Stores the
 * header offsets in 'ofs' if nonnull.  Returns why parsing stopped. */
enum flow_extract_status flow_extract(const void *data, size_t size,
                                      const struct flow_md *md,
                                      struct flow *flow,
                                      struct flow_offsets *ofs);

/* Word-wise helpers. */
void flow_zero(struct flow *);
bool flow_equal(const struct flow *, const struct flow *);
bool flow_is_zero(const struct flow *);
/* dst = a & b. */
void flow_and(struct flow *dst, const struct flow *a, const struct flow *b);
/* dst |= src. */
void flow_or(struct flow *dst, const struct flow *src);
/* Number of 1 bits in 'flow' (useful on masks). */
unsigned int flow_popcount(const struct flow *);
/* Hash of 'flow' & 'mask'. */
uint64_t flow_hash_masked(const struct flow *flow, const struct flow *mask,
                          uint64_t basis);
uint64_t flow_hash(const struct flow *, uint64_t basis);

/* Name of an extraction status (for messages and counters). */
const char *flow_extract_status_name(enum flow_extract_status);

/* Formatting helpers shared by the text codecs. */
void flow_format_eth(struct ds *, const struct eth_addr *);
void flow_format_ipv6(struct ds *, const struct in6_addr *);
void flow_format_ipv4(struct ds *, vs_be32);
bool flow_parse_eth(const char *s, struct eth_addr *);
bool flow_parse_ipv4(const char *s, vs_be32 *);
bool flow_parse_ipv6(const char *s, struct in6_addr *);

static inline bool
eth_addr_is_zero(const struct eth_addr *ea)
{
    return !(ea->ea[0] | ea->ea[1] | ea->ea[2] | ea->ea[3] | ea->ea[4]
             | ea->ea[5]);
}

#endif /* VSWITCH_FLOW_H */
