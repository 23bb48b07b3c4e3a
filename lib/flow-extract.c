/* SPDX-License-Identifier: Apache-2.0 */
/* flow-extract: one pass over a packet's headers into a struct flow.
 *
 * Every read goes through a cursor ('struct cursor') that knows how many
 * bytes remain; a header is only read after cursor_pull() confirmed that it
 * is complete.  Parsing a layer either completes (its fields are stored)
 * or stops, recording why. */

#include <arpa/inet.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "vswitch/coverage.h"
#include "vswitch/flow.h"

COVERAGE_DEFINE(flow_extract_short_eth);
COVERAGE_DEFINE(flow_extract_short_vlan);
COVERAGE_DEFINE(flow_extract_short_llc);
COVERAGE_DEFINE(flow_extract_short_arp);
COVERAGE_DEFINE(flow_extract_bad_ipv4);
COVERAGE_DEFINE(flow_extract_bad_ipv6);
COVERAGE_DEFINE(flow_extract_bad_ipv6_ext);
COVERAGE_DEFINE(flow_extract_short_l4);
COVERAGE_DEFINE(flow_extract_bad_nd);

/* At most this many IPv6 extension headers are walked. */
#define FLOW_MAX_IPV6_EXT 16

struct cursor {
    const uint8_t *p; /* Next unread byte. */
    size_t left;      /* Bytes left from 'p'. */
};

/* Returns a pointer to the next 'n' bytes and consumes them, or NULL (and
 * consumes nothing) if fewer remain. */
static inline const uint8_t *
cursor_pull(struct cursor *c, size_t n)
{
    const uint8_t *p;

    if (VS_UNLIKELY(c->left < n)) {
        return NULL;
    }
    p = c->p;
    c->p += n;
    c->left -= n;
    return p;
}

static inline uint16_t
rd16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static inline uint32_t
rd32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static void
count_status(enum flow_extract_status st)
{
    switch (st) {
    case FLOW_EXTRACT_OK:
        break;
    case FLOW_EXTRACT_SHORT_ETH:
        COVERAGE_INC(flow_extract_short_eth);
        break;
    case FLOW_EXTRACT_SHORT_VLAN:
        COVERAGE_INC(flow_extract_short_vlan);
        break;
    case FLOW_EXTRACT_SHORT_LLC:
        COVERAGE_INC(flow_extract_short_llc);
        break;
    case FLOW_EXTRACT_SHORT_ARP:
        COVERAGE_INC(flow_extract_short_arp);
        break;
    case FLOW_EXTRACT_BAD_IPV4:
        COVERAGE_INC(flow_extract_bad_ipv4);
        break;
    case FLOW_EXTRACT_BAD_IPV6:
        COVERAGE_INC(flow_extract_bad_ipv6);
        break;
    case FLOW_EXTRACT_BAD_IPV6_EXT:
        COVERAGE_INC(flow_extract_bad_ipv6_ext);
        break;
    case FLOW_EXTRACT_SHORT_L4:
        COVERAGE_INC(flow_extract_short_l4);
        break;
    case FLOW_EXTRACT_BAD_ND:
        COVERAGE_INC(flow_extract_bad_nd);
        break;
    }
}

const char *
flow_extract_status_name(enum flow_extract_status st)
{
    static const char *const names[] = {
        [FLOW_EXTRACT_OK] = "ok",
        [FLOW_EXTRACT_SHORT_ETH] = "short_eth",
        [FLOW_EXTRACT_SHORT_VLAN] = "short_vlan",
        [FLOW_EXTRACT_SHORT_LLC] = "short_llc",
        [FLOW_EXTRACT_SHORT_ARP] = "short_arp",
        [FLOW_EXTRACT_BAD_IPV4] = "bad_ipv4",
        [FLOW_EXTRACT_BAD_IPV6] = "bad_ipv6",
        [FLOW_EXTRACT_BAD_IPV6_EXT] = "bad_ipv6_ext",
        [FLOW_EXTRACT_SHORT_L4] = "short_l4",
        [FLOW_EXTRACT_BAD_ND] = "bad_nd",
    };
    return (unsigned int) st < ARRAY_SIZE(names) ? names[st] : "unknown";
}

/* IPv6 Neighbor Discovery: target and link-layer address options. */
static enum flow_extract_status
parse_nd(struct cursor *c, struct flow *flow)
{
    const uint8_t *p = cursor_pull(c, 4 + 16); /* Reserved, target. */

    if (!p) {
        return FLOW_EXTRACT_BAD_ND;
    }
    memcpy(&flow->nd_target, p + 4, 16);
    while (c->left) {
        const uint8_t *opt = cursor_pull(c, 2);
        size_t opt_size;

        if (!opt || !opt[1]) {
            goto err;
        }
        opt_size = (size_t) opt[1] * 8;
        if (!cursor_pull(c, opt_size - 2)) {
            goto err;
        }
        if (opt_size == 8) {
            struct eth_addr ea;

            memcpy(ea.ea, opt + 2, 6);
            if (opt[0] == 1 && eth_addr_is_zero(&flow->arp_sha)) {
                flow->arp_sha = ea;
            } else if (opt[0] == 2 && eth_addr_is_zero(&flow->arp_tha)) {
                flow->arp_tha = ea;
            }
        }
    }
    return FLOW_EXTRACT_OK;

err:
    memset(&flow->nd_target, 0, sizeof flow->nd_target);
    memset(&flow->arp_sha, 0, sizeof flow->arp_sha);
    memset(&flow->arp_tha, 0, sizeof flow->arp_tha);
    return FLOW_EXTRACT_BAD_ND;
}

static enum flow_extract_status
parse_l4(struct cursor *c, struct flow *flow, bool ipv6)
{
    const uint8_t *p;

    switch (flow->nw_proto) {
    case IPPROTO_TCP:
        p = cursor_pull(c, 20);
        if (!p || (p[12] >> 4) < 5) {
            return FLOW_EXTRACT_SHORT_L4;
        }
        flow->tp_src = rd16(p);
        flow->tp_dst = rd16(p + 2);
        flow->tcp_flags = htons(((p[12] << 8) | p[13]) & TCP_FLAGS_MASK);
        return FLOW_EXTRACT_OK;
    case IPPROTO_UDP:
        p = cursor_pull(c, 8);
        goto ports;
    case IPPROTO_SCTP:
        p = cursor_pull(c, 12);
    ports:
        if (!p) {
            return FLOW_EXTRACT_SHORT_L4;
        }
        flow->tp_src = rd16(p);
        flow->tp_dst = rd16(p + 2);
        return FLOW_EXTRACT_OK;
    case IPPROTO_ICMP:
        if (ipv6) {
            return FLOW_EXTRACT_OK;
        }
        p = cursor_pull(c, 4);
        if (!p) {
            return FLOW_EXTRACT_SHORT_L4;
        }
        flow->tp_src = htons(p[0]);
        flow->tp_dst = htons(p[1]);
        return FLOW_EXTRACT_OK;
    case IPPROTO_ICMPV6:
        if (!ipv6) {
            return FLOW_EXTRACT_OK;
        }
        p = cursor_pull(c, 4);
        if (!p) {
            return FLOW_EXTRACT_SHORT_L4;
        }
        flow->tp_src = htons(p[0]);
        flow->tp_dst = htons(p[1]);
        if (p[1] == 0 && (p[0] == 135 || p[0] == 136)) {
            return parse_nd(c, flow);
        }
        return FLOW_EXTRACT_OK;
    default:
        return FLOW_EXTRACT_OK;
    }
}

static enum flow_extract_status
parse_ipv4(struct cursor *c, struct flow *flow, struct flow_offsets *ofs,
           const uint8_t *start)
{
    const uint8_t *ip = c->p;
    size_t ihl, tot_len;
    uint16_t frag;

    if (c->left < 20 || (ip[0] >> 4) != 4) {
        return FLOW_EXTRACT_BAD_IPV4;
    }
    ihl = (size_t) (ip[0] & 0xf) * 4;
    tot_len = ntohs(rd16(ip + 2));
    if (ihl < 20 || c->left < ihl || tot_len < ihl) {
        return FLOW_EXTRACT_BAD_IPV4;
    }
    flow->nw_tos = ip[1];
    flow->nw_ttl = ip[8];
    flow->nw_proto = ip[9];
    flow->nw_src = rd32(ip + 12);
    flow->nw_dst = rd32(ip + 16);
    frag = ntohs(rd16(ip + 6));
    if (frag & 0x3fff) {
        flow->nw_frag = FLOW_NW_FRAG_ANY;
        if (frag & 0x1fff) {
            flow->nw_frag |= FLOW_NW_FRAG_LATER;
        }
    }
    /* Ignore Ethernet padding past the IP datagram. */
    if (tot_len < c->left) {
        c->left = tot_len;
    }
    cursor_pull(c, ihl);
    if (ofs) {
        ofs->l4 = c->p - start;
    }
    if (flow->nw_frag & FLOW_NW_FRAG_LATER) {
        return FLOW_EXTRACT_OK;
    }
    return parse_l4(c, flow, false);
}

static enum flow_extract_status
parse_ipv6(struct cursor *c, struct flow *flow, struct flow_offsets *ofs,
           const uint8_t *start)
{
    const uint8_t *ip = cursor_pull(c, 40);
    uint32_t vtcfl;
    size_t plen;
    uint8_t nh;
    int i;

    if (!ip || (ip[0] >> 4) != 6) {
        return FLOW_EXTRACT_BAD_IPV6;
    }
    vtcfl = ntohl(rd32(ip));
    flow->nw_tos = (vtcfl >> 20) & 0xff;
    flow->ipv6_label = htonl(vtcfl & 0xfffff);
    flow->nw_ttl = ip[7];
    memcpy(&flow->ipv6_src, ip + 8, 16);
    memcpy(&flow->ipv6_dst, ip + 24, 16);
    plen = ntohs(rd16(ip + 4));
    if (plen < c->left) {
        c->left = plen;
    }

    nh = ip[6];
    for (i = 0; i < FLOW_MAX_IPV6_EXT; i++) {
        const uint8_t *eh;

        if (nh == 0 || nh == 43 || nh == 60) {
            /* Hop-by-hop, routing, destination options. */
            size_t len;

            eh = c->p;
            if (c->left < 8) {
                goto bad_ext;
            }
            len = ((size_t) eh[1] + 1) * 8;
            if (!cursor_pull(c, len)) {
                goto bad_ext;
            }
            nh = eh[0];
        } else if (nh == 51) {
            /* Authentication header: length in 4-byte units, minus 2. */
            size_t len;

            eh = c->p;
            if (c->left < 8) {
                goto bad_ext;
            }
            len = ((size_t) eh[1] + 2) * 4;
            if (!cursor_pull(c, len)) {
                goto bad_ext;
            }
            nh = eh[0];
        } else if (nh == 44) {
            uint16_t off;

            eh = cursor_pull(c, 8);
            if (!eh) {
                goto bad_ext;
            }
            nh = eh[0];
            off = ntohs(rd16(eh + 2));
            flow->nw_frag = FLOW_NW_FRAG_ANY;
            if (off & 0xfff8) {
                flow->nw_frag |= FLOW_NW_FRAG_LATER;
                flow->nw_proto = nh;
                if (ofs) {
                    ofs->l4 = c->p - start;
                }
                return FLOW_EXTRACT_OK;
            }
        } else {
            break;
        }
    }
    if (i == FLOW_MAX_IPV6_EXT) {
        goto bad_ext;
    }
    flow->nw_proto = nh;
    if (ofs) {
        ofs->l4 = c->p - start;
    }
    return parse_l4(c, flow, true);

bad_ext:
    /* The L3 addresses are known; the upper protocol is not. */
    flow->nw_frag = 0;
    return FLOW_EXTRACT_BAD_IPV6_EXT;
}

static enum flow_extract_status
parse_arp(struct cursor *c, struct flow *flow)
{
    const uint8_t *arp = cursor_pull(c, 28);
    uint16_t op;

    if (!arp || ntohs(rd16(arp)) != 1 || ntohs(rd16(arp + 2)) != ETH_TYPE_IP
        || arp[4] != 6 || arp[5] != 4) {
        return FLOW_EXTRACT_SHORT_ARP;
    }
    op = ntohs(rd16(arp + 6));
    flow->nw_proto = op <= 0xff ? op : 0;
    memcpy(flow->arp_sha.ea, arp + 8, 6);
    flow->nw_src = rd32(arp + 14);
    memcpy(flow->arp_tha.ea, arp + 18, 6);
    flow->nw_dst = rd32(arp + 24);
    return FLOW_EXTRACT_OK;
}

static enum flow_extract_status
parse_packet(struct cursor *c, struct flow *flow, struct flow_offsets *ofs)
{
    const uint8_t *start = c->p;
    const uint8_t *eth = cursor_pull(c, 14);
    uint16_t type;
    int n_vlan;

    if (!eth) {
        return FLOW_EXTRACT_SHORT_ETH;
    }
    memcpy(flow->dl_dst.ea, eth, 6);
    memcpy(flow->dl_src.ea, eth + 6, 6);
    type = ntohs(rd16(eth + 12));

    for (n_vlan = 0;
         n_vlan < FLOW_MAX_VLAN
         && (type == ETH_TYPE_VLAN || type == ETH_TYPE_VLAN_8021AD);
         n_vlan++) {
        const uint8_t *tag = cursor_pull(c, 4);

        if (!tag) {
            flow->dl_type = htons(type);
            return FLOW_EXTRACT_SHORT_VLAN;
        }
        flow->vlans[n_vlan].tpid = htons(type);
        flow->vlans[n_vlan].tci = rd16(tag) | htons(VLAN_CFI);
        type = ntohs(rd16(tag + 2));
    }

    if (type < ETH_TYPE_MIN) {
        /* 802.3 length: LLC, possibly with SNAP carrying an Ethertype. */
        const uint8_t *llc = c->p;

        flow->dl_type = htons(FLOW_DL_TYPE_NONE);
        if (c->left < 3) {
            return FLOW_EXTRACT_SHORT_LLC;
        }
        if (llc[0] == 0xaa && llc[1] == 0xaa && llc[2] == 0x03) {
            const uint8_t *snap = cursor_pull(c, 8);

            if (!snap) {
                return FLOW_EXTRACT_SHORT_LLC;
            }
            if (snap[3] || snap[4] || snap[5]
                || ntohs(rd16(snap + 6)) < ETH_TYPE_MIN) {
                return FLOW_EXTRACT_OK;
            }
            type = ntohs(rd16(snap + 6));
        } else {
            if (ofs) {
                ofs->l2_5 = c->p - start;
            }
            return FLOW_EXTRACT_OK;
        }
    }
    flow->dl_type = htons(type);
    if (ofs) {
        ofs->l2_5 = ofs->l3 = c->p - start;
    }

    switch (type) {
    case ETH_TYPE_IP:
        return parse_ipv4(c, flow, ofs, start);
    case ETH_TYPE_IPV6:
        return parse_ipv6(c, flow, ofs, start);
    case ETH_TYPE_ARP:
        return parse_arp(c, flow);
    default:
        return FLOW_EXTRACT_OK;
    }
}

/* Zeroes 'flow' with plain vector stores: memset() of this size compiles
 * to "rep stos", whose start-up cost was half of an IPv4/TCP extraction. */
static inline void
flow_clear(struct flow *flow)
{
#ifdef __SSE2__
    __m128i z = _mm_setzero_si128();
    char *p = (char *) flow;

    for (size_t i = 0; i < sizeof *flow; i += 16) {
        _mm_storeu_si128((__m128i *) (void *) (p + i), z);
    }
#else
    memset(flow, 0, sizeof *flow);
#endif
}

enum flow_extract_status
flow_extract(const void *data, size_t size, const struct flow_md *md,
             struct flow *flow, struct flow_offsets *ofs)
{
    struct cursor c = {data, size};
    enum flow_extract_status st;

    flow_clear(flow);
    if (md) {
        flow->tunnel = md->tunnel;
        flow->in_port = md->in_port;
        flow->skb_mark = md->skb_mark;
        flow->skb_priority = md->skb_priority;
        flow->recirc_id = md->recirc_id;
        flow->dp_hash = md->dp_hash;
    }
    if (ofs) {
        ofs->l2_5 = ofs->l3 = ofs->l4 = UINT16_MAX;
    }
    st = parse_packet(&c, flow, ofs);
    if (VS_UNLIKELY(st != FLOW_EXTRACT_OK)) {
        count_status(st);
    }
    return st;
}
