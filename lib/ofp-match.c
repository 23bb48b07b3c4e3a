/* SPDX-License-Identifier: Apache-2.0 */
/* ofp-match: OXM (OpenFlow 1.3) and ofp_match (1.0) <-> struct match. */
#include "vswitch/ofp-match.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

enum prereq {
    P_NONE,
    P_IN_PORT,
    P_VLAN,
    P_IP_ANY,
    P_IPV4,
    P_IPV6,
    P_ARP,
    P_TCP,
    P_UDP,
    P_SCTP,
    P_ICMPV4,
    P_ICMPV6,
    P_ND,
    P_ND_SLL,
    P_ND_TLL,
};

#define NO_OFS 0xffff

struct oxm_desc {
    struct oxm_field f;
    uint16_t ofs;       /* Offset in struct flow if stored byte for byte. */
    enum prereq prereq; /* Prerequisite. */
    uint8_t full[4];    /* Valid bits of the first bytes, if not all-ones
                         * (only for fields of <= 4 bytes; zero = all). */
    bool nxm_only;      /* Only NXM speaks it (OXM_ID_NXM_*). */
};

#define D(ID, LEN, MASKABLE, NAME, OXM, OFS, PRE, ...)                        \
    [OFPXMT_##ID] = {{OFPXMT_##ID, OFPXMC_OPENFLOW_BASIC, OFPXMT_##ID, LEN,   \
                      MASKABLE, NAME, OXM},                                   \
                     OFS,                                                     \
                     PRE,                                                     \
                     {__VA_ARGS__},                                           \
                     false}
/* A Nicira NXM class 1 field. */
#define DNX(ID, LEN, NAME, OXM, OFS)                                          \
    [OXM_ID_##ID] = {                                                         \
        {OXM_ID_##ID, OFPXMC_NXM_1, NXM_NX_##ID, LEN, true, NAME, OXM},       \
        OFS,                                                                  \
        P_NONE,                                                               \
        {0},                                                                  \
        false}
/* A field only NXM speaks. */
#define DNXM(ID, CLS, FIELD, LEN, NAME, OXM, OFS, PRE, ...)                   \
    [OXM_ID_NXM_##ID] = {{OXM_ID_NXM_##ID, CLS, FIELD, LEN, true, NAME, OXM}, \
                         OFS,                                                 \
                         PRE,                                                 \
                         {__VA_ARGS__},                                       \
                         true}
#define DREG(N)                                                               \
    [OXM_ID_NXM_REG0 + N] = {{OXM_ID_NXM_REG0 + N, OFPXMC_NXM_1, N, 4, true,  \
                              "reg" #N, "NXM_NX_REG" #N},                     \
                             NO_OFS,                                          \
                             P_NONE,                                          \
                             {0},                                             \
                             true}
#define OF(MEMBER) offsetof(struct flow, MEMBER)

static const struct oxm_desc oxm_descs[] = {
    D(IN_PORT, 4, false, "in_port", "OXM_OF_IN_PORT", NO_OFS, P_NONE, 0),
    D(IN_PHY_PORT, 4, false, "in_phy_port", "OXM_OF_IN_PHY_PORT", NO_OFS,
      P_IN_PORT, 0),
    D(METADATA, 8, true, "metadata", "OXM_OF_METADATA", NO_OFS, P_NONE, 0),
    D(ETH_DST, 6, true, "eth_dst", "OXM_OF_ETH_DST", OF(dl_dst), P_NONE, 0),
    D(ETH_SRC, 6, true, "eth_src", "OXM_OF_ETH_SRC", OF(dl_src), P_NONE, 0),
    D(ETH_TYPE, 2, false, "eth_type", "OXM_OF_ETH_TYPE", OF(dl_type), P_NONE,
      0),
    D(VLAN_VID, 2, true, "vlan_vid", "OXM_OF_VLAN_VID", NO_OFS, P_NONE, 0x1f,
      0xff),
    D(VLAN_PCP, 1, false, "vlan_pcp", "OXM_OF_VLAN_PCP", NO_OFS, P_VLAN, 7),
    D(IP_DSCP, 1, false, "ip_dscp", "OXM_OF_IP_DSCP", NO_OFS, P_IP_ANY, 0x3f),
    D(IP_ECN, 1, false, "nw_ecn", "OXM_OF_IP_ECN", NO_OFS, P_IP_ANY, 3),
    D(IP_PROTO, 1, false, "ip_proto", "OXM_OF_IP_PROTO", OF(nw_proto),
      P_IP_ANY, 0),
    D(IPV4_SRC, 4, true, "ip_src", "OXM_OF_IPV4_SRC", OF(nw_src), P_IPV4, 0),
    D(IPV4_DST, 4, true, "ip_dst", "OXM_OF_IPV4_DST", OF(nw_dst), P_IPV4, 0),
    D(TCP_SRC, 2, false, "tcp_src", "OXM_OF_TCP_SRC", OF(tp_src), P_TCP, 0),
    D(TCP_DST, 2, false, "tcp_dst", "OXM_OF_TCP_DST", OF(tp_dst), P_TCP, 0),
    D(UDP_SRC, 2, false, "udp_src", "OXM_OF_UDP_SRC", OF(tp_src), P_UDP, 0),
    D(UDP_DST, 2, false, "udp_dst", "OXM_OF_UDP_DST", OF(tp_dst), P_UDP, 0),
    D(SCTP_SRC, 2, false, "sctp_src", "OXM_OF_SCTP_SRC", OF(tp_src), P_SCTP,
      0),
    D(SCTP_DST, 2, false, "sctp_dst", "OXM_OF_SCTP_DST", OF(tp_dst), P_SCTP,
      0),
    D(ICMPV4_TYPE, 1, false, "icmp_type", "OXM_OF_ICMPV4_TYPE", NO_OFS,
      P_ICMPV4, 0),
    D(ICMPV4_CODE, 1, false, "icmp_code", "OXM_OF_ICMPV4_CODE", NO_OFS,
      P_ICMPV4, 0),
    D(ARP_OP, 2, false, "arp_op", "OXM_OF_ARP_OP", NO_OFS, P_ARP, 0, 0xff),
    D(ARP_SPA, 4, true, "arp_spa", "OXM_OF_ARP_SPA", OF(nw_src), P_ARP, 0),
    D(ARP_TPA, 4, true, "arp_tpa", "OXM_OF_ARP_TPA", OF(nw_dst), P_ARP, 0),
    D(ARP_SHA, 6, true, "arp_sha", "OXM_OF_ARP_SHA", OF(arp_sha), P_ARP, 0),
    D(ARP_THA, 6, true, "arp_tha", "OXM_OF_ARP_THA", OF(arp_tha), P_ARP, 0),
    D(IPV6_SRC, 16, true, "ipv6_src", "OXM_OF_IPV6_SRC", OF(ipv6_src), P_IPV6,
      0),
    D(IPV6_DST, 16, true, "ipv6_dst", "OXM_OF_IPV6_DST", OF(ipv6_dst), P_IPV6,
      0),
    D(IPV6_FLABEL, 4, true, "ipv6_label", "OXM_OF_IPV6_FLABEL", OF(ipv6_label),
      P_IPV6, 0, 0x0f, 0xff, 0xff),
    D(ICMPV6_TYPE, 1, false, "icmpv6_type", "OXM_OF_ICMPV6_TYPE", NO_OFS,
      P_ICMPV6, 0),
    D(ICMPV6_CODE, 1, false, "icmpv6_code", "OXM_OF_ICMPV6_CODE", NO_OFS,
      P_ICMPV6, 0),
    D(IPV6_ND_TARGET, 16, false, "nd_target", "OXM_OF_IPV6_ND_TARGET",
      OF(nd_target), P_ND, 0),
    D(IPV6_ND_SLL, 6, false, "nd_sll", "OXM_OF_IPV6_ND_SLL", OF(arp_sha),
      P_ND_SLL, 0),
    D(IPV6_ND_TLL, 6, false, "nd_tll", "OXM_OF_IPV6_ND_TLL", OF(arp_tha),
      P_ND_TLL, 0),
    D(TUNNEL_ID, 8, true, "tun_id", "OXM_OF_TUNNEL_ID", OF(tunnel.tun_id),
      P_NONE, 0),
    DNX(TUN_IPV4_SRC, 4, "tun_src", "NXM_NX_TUN_IPV4_SRC", OF(tunnel.ip_src)),
    DNX(TUN_IPV4_DST, 4, "tun_dst", "NXM_NX_TUN_IPV4_DST", OF(tunnel.ip_dst)),
    DNX(TUN_IPV6_SRC, 16, "tun_ipv6_src", "NXM_NX_TUN_IPV6_SRC",
        OF(tunnel.ipv6_src)),
    DNX(TUN_IPV6_DST, 16, "tun_ipv6_dst", "NXM_NX_TUN_IPV6_DST",
        OF(tunnel.ipv6_dst)),
    DNXM(IN_PORT, OFPXMC_NXM_0, 0, 2, "in_port", "NXM_OF_IN_PORT", NO_OFS,
         P_NONE, 0),
    DNXM(VLAN_TCI, OFPXMC_NXM_0, 4, 2, "vlan_tci", "NXM_OF_VLAN_TCI",
         OF(vlans[0].tci), P_NONE, 0),
    DNXM(IP_TOS, OFPXMC_NXM_0, 5, 1, "nw_tos", "NXM_OF_IP_TOS", NO_OFS,
         P_IP_ANY, IP_DSCP_MASK),
    DREG(0),
    DREG(1),
    DREG(2),
    DREG(3),
    DREG(4),
    DREG(5),
    DREG(6),
    DREG(7),
    DNXM(IP_FRAG, OFPXMC_NXM_1, 26, 1, "nw_frag", "NXM_NX_IP_FRAG",
         OF(nw_frag), P_IP_ANY, FLOW_NW_FRAG_MASK),
    DNXM(IP_TTL, OFPXMC_NXM_1, 29, 1, "nw_ttl", "NXM_NX_IP_TTL", OF(nw_ttl),
         P_IP_ANY, 0),
    DNXM(PKT_MARK, OFPXMC_NXM_1, 33, 4, "pkt_mark", "NXM_NX_PKT_MARK", NO_OFS,
         P_NONE, 0),
    DNXM(TCP_FLAGS, OFPXMC_NXM_1, 34, 2, "tcp_flags", "NXM_NX_TCP_FLAGS",
         OF(tcp_flags), P_TCP, 0x0f, 0xff),
};

/* An NXM header: the field it names and whether NXM lets it be masked
 * (NXM masks more fields than OXM 1.3 does). */
struct nxm_entry {
    uint16_t cls;  /* OFPXMC_NXM_0, OFPXMC_NXM_1, OFPXMC_OPENFLOW_BASIC. */
    uint8_t field; /* Field number in 'cls'. */
    uint8_t id;    /* The oxm_descs[] entry. */
    bool maskable; /* May carry a mask. */
};

/* Encoding order (Open vSwitch's: class 0, then class 1). */
static const struct nxm_entry nxm_entries[] = {
    {OFPXMC_NXM_0, 0, OXM_ID_NXM_IN_PORT, false},
    {OFPXMC_NXM_0, 1, OFPXMT_ETH_DST, true},
    {OFPXMC_NXM_0, 2, OFPXMT_ETH_SRC, true},
    {OFPXMC_NXM_0, 3, OFPXMT_ETH_TYPE, false},
    {OFPXMC_NXM_0, 4, OXM_ID_NXM_VLAN_TCI, true},
    {OFPXMC_NXM_0, 5, OXM_ID_NXM_IP_TOS, false},
    {OFPXMC_NXM_0, 6, OFPXMT_IP_PROTO, false},
    {OFPXMC_NXM_0, 7, OFPXMT_IPV4_SRC, true},
    {OFPXMC_NXM_0, 8, OFPXMT_IPV4_DST, true},
    {OFPXMC_NXM_0, 9, OFPXMT_TCP_SRC, true},
    {OFPXMC_NXM_0, 10, OFPXMT_TCP_DST, true},
    {OFPXMC_NXM_0, 11, OFPXMT_UDP_SRC, true},
    {OFPXMC_NXM_0, 12, OFPXMT_UDP_DST, true},
    {OFPXMC_NXM_0, 13, OFPXMT_ICMPV4_TYPE, false},
    {OFPXMC_NXM_0, 14, OFPXMT_ICMPV4_CODE, false},
    {OFPXMC_NXM_0, 15, OFPXMT_ARP_OP, false},
    {OFPXMC_NXM_0, 16, OFPXMT_ARP_SPA, true},
    {OFPXMC_NXM_0, 17, OFPXMT_ARP_TPA, true},
    {OFPXMC_NXM_1, 0, OXM_ID_NXM_REG0 + 0, true},
    {OFPXMC_NXM_1, 1, OXM_ID_NXM_REG0 + 1, true},
    {OFPXMC_NXM_1, 2, OXM_ID_NXM_REG0 + 2, true},
    {OFPXMC_NXM_1, 3, OXM_ID_NXM_REG0 + 3, true},
    {OFPXMC_NXM_1, 4, OXM_ID_NXM_REG0 + 4, true},
    {OFPXMC_NXM_1, 5, OXM_ID_NXM_REG0 + 5, true},
    {OFPXMC_NXM_1, 6, OXM_ID_NXM_REG0 + 6, true},
    {OFPXMC_NXM_1, 7, OXM_ID_NXM_REG0 + 7, true},
    {OFPXMC_NXM_1, NXM_NX_TUN_ID, OFPXMT_TUNNEL_ID, true},
    {OFPXMC_NXM_1, 17, OFPXMT_ARP_SHA, true},
    {OFPXMC_NXM_1, 18, OFPXMT_ARP_THA, true},
    {OFPXMC_NXM_1, 19, OFPXMT_IPV6_SRC, true},
    {OFPXMC_NXM_1, 20, OFPXMT_IPV6_DST, true},
    {OFPXMC_NXM_1, 21, OFPXMT_ICMPV6_TYPE, false},
    {OFPXMC_NXM_1, 22, OFPXMT_ICMPV6_CODE, false},
    {OFPXMC_NXM_1, 23, OFPXMT_IPV6_ND_TARGET, true},
    {OFPXMC_NXM_1, 24, OFPXMT_IPV6_ND_SLL, true},
    {OFPXMC_NXM_1, 25, OFPXMT_IPV6_ND_TLL, true},
    {OFPXMC_NXM_1, 26, OXM_ID_NXM_IP_FRAG, true},
    {OFPXMC_NXM_1, 27, OFPXMT_IPV6_FLABEL, true},
    {OFPXMC_NXM_1, 28, OFPXMT_IP_ECN, false},
    {OFPXMC_NXM_1, 29, OXM_ID_NXM_IP_TTL, false},
    {OFPXMC_NXM_1, NXM_NX_TUN_IPV4_SRC, OXM_ID_TUN_IPV4_SRC, true},
    {OFPXMC_NXM_1, NXM_NX_TUN_IPV4_DST, OXM_ID_TUN_IPV4_DST, true},
    {OFPXMC_NXM_1, 33, OXM_ID_NXM_PKT_MARK, true},
    {OFPXMC_NXM_1, 34, OXM_ID_NXM_TCP_FLAGS, true},
    {OFPXMC_NXM_1, NXM_NX_TUN_IPV6_SRC, OXM_ID_TUN_IPV6_SRC, true},
    {OFPXMC_NXM_1, NXM_NX_TUN_IPV6_DST, OXM_ID_TUN_IPV6_DST, true},
    {OFPXMC_OPENFLOW_BASIC, OFPXMT_METADATA, OFPXMT_METADATA, true},
    {OFPXMC_OPENFLOW_BASIC, OFPXMT_SCTP_SRC, OFPXMT_SCTP_SRC, true},
    {OFPXMC_OPENFLOW_BASIC, OFPXMT_SCTP_DST, OFPXMT_SCTP_DST, true},
};

static const struct oxm_desc *
desc_of(const struct oxm_field *f)
{
    return CONTAINER_OF(f, struct oxm_desc, f);
}

const struct oxm_field *
oxm_field_get(unsigned int id)
{
    if (id < ARRAY_SIZE(oxm_descs) && oxm_descs[id].f.name) {
        return &oxm_descs[id].f;
    }
    return NULL;
}

const struct oxm_field *
oxm_field_lookup(unsigned int cls, unsigned int field)
{
    if (cls == OFPXMC_NXM_1 && field == NXM_NX_TUN_ID) {
        /* Open vSwitch's older name of the same field. */
        return &oxm_descs[OFPXMT_TUNNEL_ID].f;
    }
    for (size_t i = 0; i < ARRAY_SIZE(oxm_descs); i++) {
        const struct oxm_field *f = &oxm_descs[i].f;

        if (f->name && !oxm_descs[i].nxm_only && f->cls == cls
            && f->wire_field == field) {
            return f;
        }
    }
    return NULL;
}

uint32_t
oxm_field_header(const struct oxm_field *f, unsigned int len)
{
    return OXM_HEADER_CLASS(f->cls, f->wire_field, len);
}

const struct oxm_field *
oxm_field_by_name(const char *name)
{
    static const struct {
        const char *alias, *name;
    } aliases[] = {
        {"nw_src", "ip_src"},          {"nw_dst", "ip_dst"},
        {"dl_src", "eth_src"},         {"dl_dst", "eth_dst"},
        {"dl_type", "eth_type"},       {"ip_ecn", "nw_ecn"},
        {"nw_proto", "ip_proto"},      {"tunnel_id", "tun_id"},
        {"ipv6_flabel", "ipv6_label"},
    };

    for (size_t i = 0; i < ARRAY_SIZE(aliases); i++) {
        if (!strcmp(name, aliases[i].alias)) {
            name = aliases[i].name;
            break;
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(oxm_descs); i++) {
        if (oxm_descs[i].f.name && !oxm_descs[i].nxm_only
            && !strcmp(oxm_descs[i].f.name, name)) {
            return &oxm_descs[i].f;
        }
    }
    return NULL;
}

static void
put_be(uint8_t *p, size_t n, uint64_t v)
{
    for (size_t i = n; i-- > 0;) {
        p[i] = v;
        v >>= 8;
    }
}

static uint64_t
get_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

/* Bit 'i' of the valid bits of field 'd'. */
static uint8_t
full_byte(const struct oxm_desc *d, size_t i)
{
    bool any = d->full[0] || d->full[1] || d->full[2] || d->full[3];

    return any && i < 4 ? d->full[i] : 0xff;
}

void
oxm_field_read(const struct oxm_field *f, const struct flow *fl,
               uint8_t *value)
{
    const struct oxm_desc *d = desc_of(f);

    if (d->ofs != NO_OFS) {
        memcpy(value, (const uint8_t *) fl + d->ofs, f->len);
        return;
    }
    switch (f->id) {
    case OFPXMT_IN_PORT:
    case OFPXMT_IN_PHY_PORT:
        put_be(value, 4,
               fl->in_port == UINT32_MAX ? UINT32_MAX
                                         : ofp_port_to_ofp13(fl->in_port));
        break;
    case OFPXMT_METADATA:
        put_be(value, 8, fl->metadata);
        break;
    case OFPXMT_VLAN_VID:
        put_be(value, 2, ntohs(fl->vlans[0].tci) & 0x1fff);
        break;
    case OFPXMT_VLAN_PCP:
        value[0] = ntohs(fl->vlans[0].tci) >> VLAN_PCP_SHIFT;
        break;
    case OFPXMT_IP_DSCP:
        value[0] = fl->nw_tos >> 2;
        break;
    case OFPXMT_IP_ECN:
        value[0] = fl->nw_tos & IP_ECN_MASK;
        break;
    case OFPXMT_ICMPV4_TYPE:
    case OFPXMT_ICMPV6_TYPE:
        value[0] = ntohs(fl->tp_src);
        break;
    case OFPXMT_ICMPV4_CODE:
    case OFPXMT_ICMPV6_CODE:
        value[0] = ntohs(fl->tp_dst);
        break;
    case OFPXMT_ARP_OP:
        put_be(value, 2, fl->nw_proto);
        break;
    case OXM_ID_NXM_IN_PORT:
        put_be(value, 2, fl->in_port);
        break;
    case OXM_ID_NXM_IP_TOS:
        value[0] = fl->nw_tos & IP_DSCP_MASK;
        break;
    case OXM_ID_NXM_PKT_MARK:
        put_be(value, 4, fl->skb_mark);
        break;
    default:
        if (f->id >= OXM_ID_NXM_REG0 && f->id < OXM_ID_NXM_REG0 + 8) {
            put_be(value, 4, fl->regs[f->id - OXM_ID_NXM_REG0]);
        }
        break;
    }
}

void
oxm_field_write(const struct oxm_field *f, struct match *m,
                const uint8_t *value, const uint8_t *mask)
{
    const struct oxm_desc *d = desc_of(f);
    uint8_t ones[OXM_MAX_LEN];
    uint64_t v, mk;

    if (!mask) {
        for (size_t i = 0; i < sizeof ones; i++) {
            ones[i] = i < f->len ? full_byte(d, i) : 0;
        }
        mask = ones;
    }
    if (d->ofs != NO_OFS) {
        uint8_t *fp = (uint8_t *) &m->flow + d->ofs;
        uint8_t *wp = (uint8_t *) &m->wc + d->ofs;

        for (size_t i = 0; i < f->len; i++) {
            wp[i] = mask[i];
            fp[i] = value[i] & mask[i];
        }
        return;
    }
    v = get_be(value, f->len);
    mk = get_be(mask, f->len);
    switch (f->id) {
    case OFPXMT_IN_PORT: {
        uint16_t port = 0;

        ofp_port_from_ofp13(v, &port);
        m->flow.in_port = port;
        m->wc.in_port = UINT32_MAX;
        break;
    }
    case OFPXMT_IN_PHY_PORT:
        break;
    case OFPXMT_METADATA:
        m->wc.metadata = mk;
        m->flow.metadata = v & mk;
        break;
    case OFPXMT_VLAN_VID: {
        uint16_t tci = ntohs(m->flow.vlans[0].tci);
        uint16_t w = ntohs(m->wc.vlans[0].tci);

        mk &= 0x1fff;
        w = (w & ~0x1fff) | mk;
        tci = ((tci & ~0x1fff) | (v & mk)) & w;
        m->wc.vlans[0].tci = htons(w);
        m->flow.vlans[0].tci = htons(tci);
        break;
    }
    case OFPXMT_VLAN_PCP: {
        uint16_t tci = ntohs(m->flow.vlans[0].tci) & ~VLAN_PCP_MASK;

        m->wc.vlans[0].tci |= htons(VLAN_PCP_MASK);
        m->flow.vlans[0].tci = htons(tci | ((v & 7) << VLAN_PCP_SHIFT));
        break;
    }
    case OFPXMT_IP_DSCP:
        m->wc.nw_tos |= IP_DSCP_MASK;
        m->flow.nw_tos = (m->flow.nw_tos & ~IP_DSCP_MASK) | ((v << 2) & 0xfc);
        break;
    case OFPXMT_IP_ECN:
        m->wc.nw_tos |= IP_ECN_MASK;
        m->flow.nw_tos = (m->flow.nw_tos & ~IP_ECN_MASK) | (v & 3);
        break;
    case OFPXMT_ICMPV4_TYPE:
    case OFPXMT_ICMPV6_TYPE:
        m->wc.tp_src = 0xffff;
        m->flow.tp_src = htons(v & 0xff);
        break;
    case OFPXMT_ICMPV4_CODE:
    case OFPXMT_ICMPV6_CODE:
        m->wc.tp_dst = 0xffff;
        m->flow.tp_dst = htons(v & 0xff);
        break;
    case OFPXMT_ARP_OP:
        m->wc.nw_proto = 0xff;
        m->flow.nw_proto = v;
        break;
    case OXM_ID_NXM_IN_PORT:
        m->flow.in_port = v;
        m->wc.in_port = UINT32_MAX;
        break;
    case OXM_ID_NXM_IP_TOS:
        m->wc.nw_tos = (m->wc.nw_tos & ~IP_DSCP_MASK) | (mk & IP_DSCP_MASK);
        m->flow.nw_tos = (m->flow.nw_tos & ~IP_DSCP_MASK) | (v & mk & 0xfc);
        break;
    case OXM_ID_NXM_PKT_MARK:
        m->wc.skb_mark = mk;
        m->flow.skb_mark = v & mk;
        break;
    default:
        if (f->id >= OXM_ID_NXM_REG0 && f->id < OXM_ID_NXM_REG0 + 8) {
            m->wc.regs[f->id - OXM_ID_NXM_REG0] = mk;
            m->flow.regs[f->id - OXM_ID_NXM_REG0] = v & mk;
        }
        break;
    }
}

enum ofperr
oxm_field_check(const struct oxm_field *f, const uint8_t *value,
                const uint8_t *mask)
{
    const struct oxm_desc *d = desc_of(f);

    for (size_t i = 0; i < f->len; i++) {
        if (value[i] & ~full_byte(d, i)) {
            return OFPERR_BAD_VALUE;
        }
    }
    if (f->id == OFPXMT_IN_PORT || f->id == OFPXMT_IN_PHY_PORT) {
        uint16_t port;

        if (ofp_port_from_ofp13(get_be(value, 4), &port)) {
            return OFPERR_BAD_VALUE;
        }
    }
    if (mask) {
        for (size_t i = 0; i < f->len; i++) {
            if (mask[i] & ~full_byte(d, i)) {
                return OFPERR_BAD_MASK;
            }
        }
        for (size_t i = 0; i < f->len; i++) {
            if (value[i] & ~mask[i]) {
                return OFPERR_BAD_WILDCARDS;
            }
        }
    }
    return 0;
}

static bool
exact_type(const struct match *m, uint16_t type)
{
    return m->wc.dl_type == 0xffff && m->flow.dl_type == htons(type);
}

static bool
exact_proto(const struct match *m, uint8_t proto)
{
    return m->wc.nw_proto == 0xff && m->flow.nw_proto == proto;
}

static bool
icmpv6_type_is(const struct match *m, int type)
{
    return exact_type(m, ETH_TYPE_IPV6) && exact_proto(m, 58)
           && (ntohs(m->wc.tp_src) & 0xff) == 0xff
           && ntohs(m->flow.tp_src) == type;
}

static bool
prereq_ok(enum prereq p, const struct match *m)
{
    bool ip = exact_type(m, ETH_TYPE_IP), ip6 = exact_type(m, ETH_TYPE_IPV6);

    switch (p) {
    case P_NONE:
        return true;
    case P_IN_PORT:
        return m->wc.in_port != 0;
    case P_VLAN:
        return (m->wc.vlans[0].tci & htons(VLAN_CFI))
               && (m->flow.vlans[0].tci & htons(VLAN_CFI));
    case P_IP_ANY:
        return ip || ip6;
    case P_IPV4:
        return ip;
    case P_IPV6:
        return ip6;
    case P_ARP:
        return exact_type(m, ETH_TYPE_ARP);
    case P_TCP:
        return (ip || ip6) && exact_proto(m, 6);
    case P_UDP:
        return (ip || ip6) && exact_proto(m, 17);
    case P_SCTP:
        return (ip || ip6) && exact_proto(m, 132);
    case P_ICMPV4:
        return ip && exact_proto(m, 1);
    case P_ICMPV6:
        return ip6 && exact_proto(m, 58);
    case P_ND:
        return icmpv6_type_is(m, 135) || icmpv6_type_is(m, 136);
    case P_ND_SLL:
        return icmpv6_type_is(m, 135);
    case P_ND_TLL:
        return icmpv6_type_is(m, 136);
    }
    return false;
}

bool
oxm_field_prereqs_ok(const struct oxm_field *f, const struct match *m)
{
    return prereq_ok(desc_of(f)->prereq, m);
}

/* Checks that a TLV header and its payload fit in the 'size' bytes at 'p';
 * sets '*h' to the header. */
static enum ofperr
tlv_header(const uint8_t *p, size_t size, uint32_t *h)
{
    if (size < 4) {
        return OFPERR_BAD_MATCH_LEN;
    }
    *h = get_be(p, 4);
    return OXM_LENGTH(*h) + 4 > size ? OFPERR_BAD_MATCH_LEN : 0;
}

enum ofperr
oxm_pull_tlv(const uint8_t *p, size_t size, const struct oxm_field **fp,
             uint8_t *value, uint8_t *mask, bool *has_mask, size_t *lenp)
{
    const struct oxm_field *f;
    uint32_t h;
    size_t len;
    enum ofperr e = tlv_header(p, size, &h);

    if (e) {
        return e;
    }
    len = OXM_LENGTH(h);
    if (!(f = oxm_field_lookup(OXM_CLASS(h), OXM_FIELD(h)))) {
        return OFPERR_BAD_FIELD;
    }
    *has_mask = OXM_HASMASK(h);
    if (*has_mask && !f->maskable) {
        return OFPERR_BAD_MASK;
    }
    if (len != f->len * (*has_mask ? 2u : 1u)) {
        return OFPERR_BAD_MATCH_LEN;
    }
    memcpy(value, p + 4, f->len);
    if (*has_mask) {
        memcpy(mask, p + 4 + f->len, f->len);
    } else {
        memset(mask, 0xff, f->len);
    }
    e = oxm_field_check(f, value, *has_mask ? mask : NULL);
    if (e) {
        return e;
    }
    *fp = f;
    *lenp = len + 4;
    return 0;
}

enum ofperr
oxm_decode_fields(const uint8_t *p, size_t size, struct match *m)
{
    uint64_t seen = 0;
    enum ofperr e;

    match_init_catchall(m);
    while (size > 0) {
        const struct oxm_field *f;
        uint8_t v[OXM_MAX_LEN], mk[OXM_MAX_LEN];
        bool has_mask;
        size_t len;

        e = oxm_pull_tlv(p, size, &f, v, mk, &has_mask, &len);
        if (e) {
            return e;
        }
        if (seen & (1ull << f->id)) {
            return OFPERR_DUP_FIELD;
        }
        seen |= 1ull << f->id;
        oxm_field_write(f, m, v, has_mask ? mk : NULL);
        p += len;
        size -= len;
    }
    for (unsigned int id = 0; id < 64; id++) {
        if (seen & (1ull << id)) {
            const struct oxm_field *f = oxm_field_get(id);

            if (!oxm_field_prereqs_ok(f, m)) {
                return OFPERR_BAD_PREREQ;
            }
        }
    }
    return 0;
}

enum ofperr
ofp13_match_decode(const void *p_, size_t size, struct match *m, size_t *lenp)
{
    const uint8_t *p = p_;
    uint16_t type, len;

    if (size < 4) {
        return OFPERR_BAD_LEN;
    }
    type = get_be(p, 2);
    len = get_be(p + 2, 2);
    if (type != OFPMT_OXM) {
        return OFPERR_BAD_MATCH_TYPE;
    }
    if (len < 4 || (size_t) ROUND_UP(len, 8) > size) {
        return OFPERR_BAD_MATCH_LEN;
    }
    *lenp = ROUND_UP(len, 8);
    return oxm_decode_fields(p + 4, len - 4, m);
}

static bool
all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

/* Whether 'mask' (the field's 'len' bytes) covers every valid bit of 'd'. */
static bool
mask_is_exact(const struct oxm_desc *d, const uint8_t *mask)
{
    for (size_t i = 0; i < d->f.len; i++) {
        if ((mask[i] & full_byte(d, i)) != full_byte(d, i)) {
            return false;
        }
    }
    return true;
}

/* Reads field 'd' of 'm' into 'v' and its mask into 'mk', both limited to
 * the field's bits.  Returns whether 'm' constrains the field at all. */
static bool
read_masked(const struct oxm_desc *d, const struct match *m, uint8_t *v,
            uint8_t *mk)
{
    oxm_field_read(&d->f, &m->flow, v);
    oxm_field_read(&d->f, &m->wc, mk);
    for (size_t i = 0; i < d->f.len; i++) {
        mk[i] &= full_byte(d, i);
        v[i] &= mk[i];
    }
    return !all_zero(mk, d->f.len);
}

/* Appends a TLV with header class 'cls', field 'field', the 'len'-byte
 * value 'v' and, unless 'exact', the mask 'mk'. */
static void
put_tlv(struct buf *b, unsigned int cls, unsigned int field, size_t len,
        const uint8_t *v, const uint8_t *mk, bool exact)
{
    uint8_t *p = buf_put_uninit(b, 4 + len * (exact ? 1 : 2));

    put_be(p, 4,
           OXM_HEADER_CLASS(cls, field, len * (exact ? 1 : 2))
               | ((exact ? 0u : 1u) << 8));
    memcpy(p + 4, v, len);
    if (!exact) {
        memcpy(p + 4 + len, mk, len);
    }
}

size_t
oxm_put_fields(struct buf *b, const struct match *m)
{
    size_t start = b->size;

    for (size_t id = 0; id < ARRAY_SIZE(oxm_descs); id++) {
        const struct oxm_desc *d = &oxm_descs[id];
        const struct oxm_field *f = &d->f;
        uint8_t v[OXM_MAX_LEN], mk[OXM_MAX_LEN];

        if (!f->name || d->nxm_only || id == OFPXMT_IN_PHY_PORT
            || !prereq_ok(d->prereq, m) || !read_masked(d, m, v, mk)) {
            continue;
        }
        if (id == OFPXMT_VLAN_PCP && (mk[0] & 7) != 7) {
            continue;
        }
        /* What 1.3 cannot mask is matched whole. */
        put_tlv(b, f->cls, f->wire_field, f->len, v, mk,
                mask_is_exact(d, mk) || !f->maskable);
    }
    return b->size - start;
}

size_t
ofp13_match_put(struct buf *b, const struct match *m)
{
    size_t start = b->size;
    size_t len;
    uint8_t *h;

    buf_put_zeros(b, 4);
    len = 4 + oxm_put_fields(b, m);
    h = b->data + start;
    put_be(h, 2, OFPMT_OXM);
    put_be(h + 2, 2, len);
    buf_put_zeros(b, ROUND_UP(len, 8) - len);
    return b->size - start;
}

/* ---------------------------------------------------------------------- */
/* NXM. */

static const struct nxm_entry *
nxm_entry_lookup(unsigned int cls, unsigned int field)
{
    for (size_t i = 0; i < ARRAY_SIZE(nxm_entries); i++) {
        const struct nxm_entry *e = &nxm_entries[i];

        if (e->cls == cls && e->field == field) {
            return e;
        }
    }
    return NULL;
}

/* Decodes the NXM TLV at 'p' ('size' bytes available) into 'm', checking it
 * against the fields seen so far ('seen', updated).  NXM_NX_COOKIE goes to
 * '*cookie'/'*cookie_mask'.  Sets '*lenp' to the TLV's length. */
static enum ofperr
nxm_pull_tlv(const uint8_t *p, size_t size, struct match *m, uint64_t *seen,
             uint64_t *cookie, uint64_t *cookie_mask, size_t *lenp)
{
    const struct nxm_entry *e;
    const struct oxm_desc *d;
    uint8_t v[OXM_MAX_LEN], mk[OXM_MAX_LEN];
    unsigned int cls, field, flen;
    bool has_mask;
    uint32_t h;
    size_t len;
    enum ofperr err = tlv_header(p, size, &h);

    if (err) {
        return err;
    }
    len = OXM_LENGTH(h);
    *lenp = len + 4;
    cls = OXM_CLASS(h);
    field = OXM_FIELD(h);
    has_mask = OXM_HASMASK(h);
    if (cls == OFPXMC_NXM_1 && field == NXM_NX_COOKIE) {
        if (len != (has_mask ? 16u : 8u)) {
            return OFPERR_BAD_FIELD;
        }
        *cookie = get_be(p + 4, 8);
        *cookie_mask = has_mask ? get_be(p + 12, 8) : UINT64_MAX;
        if (*cookie & ~*cookie_mask) {
            return OFPERR_BAD_WILDCARDS;
        }
        if (seen[1] & (1ull << 63)) {
            return OFPERR_DUP_FIELD;
        }
        seen[1] |= 1ull << 63;
        *cookie &= *cookie_mask;
        return 0;
    }
    e = nxm_entry_lookup(cls, field);
    if (!e) {
        return OFPERR_BAD_FIELD;
    }
    d = &oxm_descs[e->id];
    flen = d->f.len;
    if (len != flen * (has_mask ? 2u : 1u)) {
        return OFPERR_BAD_FIELD;
    }
    memcpy(v, p + 4, flen);
    if (has_mask) {
        memcpy(mk, p + 4 + flen, flen);
        for (size_t i = 0; i < flen; i++) {
            if (v[i] & ~mk[i]) {
                return OFPERR_BAD_WILDCARDS;
            }
        }
        if (!e->maskable && !mask_is_exact(d, mk)) {
            return OFPERR_BAD_MASK;
        }
    } else {
        memset(mk, 0xff, flen);
    }
    for (size_t i = 0; i < flen; i++) {
        if (v[i] & ~full_byte(d, i)) {
            return OFPERR_BAD_VALUE;
        }
        mk[i] &= full_byte(d, i);
    }
    if (seen[e->id / 64] & (1ull << (e->id % 64))) {
        return OFPERR_DUP_FIELD;
    }
    seen[e->id / 64] |= 1ull << (e->id % 64);
    if (!prereq_ok(d->prereq, m)) {
        return OFPERR_BAD_PREREQ;
    }
    oxm_field_write(&d->f, m, v, has_mask ? mk : NULL);
    return 0;
}

enum ofperr
nxm_decode_fields(const uint8_t *p, size_t size, struct match *m,
                  uint64_t *cookie, uint64_t *cookie_mask)
{
    uint64_t seen[2] = {0, 0};

    _Static_assert(OXM_ID_N <= 127, "ids fit 'seen' (bit 127: cookie)");
    match_init_catchall(m);
    *cookie = *cookie_mask = 0;
    while (size > 0) {
        size_t len;
        enum ofperr e =
            nxm_pull_tlv(p, size, m, seen, cookie, cookie_mask, &len);

        if (e) {
            return e;
        }
        p += len;
        size -= len;
    }
    return 0;
}

size_t
nxm_put_fields(struct buf *b, const struct match *m, uint64_t cookie,
               uint64_t cookie_mask)
{
    size_t start = b->size;

    for (size_t i = 0; i < ARRAY_SIZE(nxm_entries); i++) {
        const struct nxm_entry *e = &nxm_entries[i];
        const struct oxm_desc *d = &oxm_descs[e->id];
        const struct oxm_field *f = &d->f;
        uint8_t v[OXM_MAX_LEN], mk[OXM_MAX_LEN];

        if (!prereq_ok(d->prereq, m) || !read_masked(d, m, v, mk)) {
            continue;
        }
        /* A field NXM cannot mask is matched whole. */
        put_tlv(b, e->cls, e->field, f->len, v, mk,
                mask_is_exact(d, mk) || !e->maskable);
    }
    if (cookie_mask) {
        uint8_t v[8], mk[8];

        put_be(v, 8, cookie & cookie_mask);
        put_be(mk, 8, cookie_mask);
        put_tlv(b, OFPXMC_NXM_1, NXM_NX_COOKIE, 8, v, mk,
                cookie_mask == UINT64_MAX);
    }
    return b->size - start;
}

size_t
nxm_put_match(struct buf *b, const struct match *m, uint64_t cookie,
              uint64_t cookie_mask)
{
    size_t len = nxm_put_fields(b, m, cookie, cookie_mask);

    buf_put_zeros(b, ROUND_UP(len, 8) - len);
    return len;
}

/* ---------------------------------------------------------------------- */
/* OpenFlow 1.0. */

void
ofp_match_normalize(struct match *m)
{
    struct flow *f = &m->flow, *w = &m->wc;
    bool ip = exact_type(m, ETH_TYPE_IP), ip6 = exact_type(m, ETH_TYPE_IPV6);
    bool arp = exact_type(m, ETH_TYPE_ARP) || exact_type(m, 0x8035);
    bool l4 =
        (ip || ip6)
        && (exact_proto(m, 6) || exact_proto(m, 17) || exact_proto(m, 132)
            || exact_proto(m, 1) || exact_proto(m, 58));

    if (!ip && !arp) {
        w->nw_src = w->nw_dst = 0;
        f->nw_src = f->nw_dst = 0;
    }
    if (!ip && !ip6 && !arp) {
        w->nw_proto = f->nw_proto = 0;
    }
    if (!ip && !ip6) {
        w->nw_tos = f->nw_tos = 0;
        w->nw_ttl = f->nw_ttl = 0;
        w->nw_frag = f->nw_frag = 0;
    }
    if (!ip6) {
        memset(&w->ipv6_src, 0, 2 * sizeof w->ipv6_src);
        memset(&f->ipv6_src, 0, 2 * sizeof f->ipv6_src);
        w->ipv6_label = f->ipv6_label = 0;
    }
    if (!l4) {
        w->tp_src = w->tp_dst = f->tp_src = f->tp_dst = 0;
        w->tcp_flags = f->tcp_flags = 0;
    }
    if (!arp && !(ip6 && exact_proto(m, 58))) {
        memset(&w->arp_sha, 0, sizeof w->arp_sha);
        memset(&w->arp_tha, 0, sizeof w->arp_tha);
        memset(&f->arp_sha, 0, sizeof f->arp_sha);
        memset(&f->arp_tha, 0, sizeof f->arp_tha);
    }
    if (!(ip6 && exact_proto(m, 58))) {
        memset(&w->nd_target, 0, sizeof w->nd_target);
        memset(&f->nd_target, 0, sizeof f->nd_target);
    }
}

static vs_be32
prefix_mask(unsigned int wild_bits)
{
    return wild_bits >= 32 ? 0 : htonl(UINT32_MAX << wild_bits);
}

void
ofp10_match_decode(const void *p_, struct match *m)
{
    const uint8_t *p = p_;
    uint32_t wc = get_be(p, 4);

    match_init_catchall(m);
    if (!(wc & OFPFW10_IN_PORT)) {
        m->flow.in_port = get_be(p + 4, 2);
        m->wc.in_port = UINT32_MAX;
    }
    if (!(wc & OFPFW10_DL_SRC)) {
        memcpy(&m->flow.dl_src, p + 6, 6);
        memset(&m->wc.dl_src, 0xff, 6);
    }
    if (!(wc & OFPFW10_DL_DST)) {
        memcpy(&m->flow.dl_dst, p + 12, 6);
        memset(&m->wc.dl_dst, 0xff, 6);
    }
    if (!(wc & OFPFW10_DL_VLAN)) {
        uint16_t vid = get_be(p + 18, 2);

        if (vid == OFP10_VLAN_NONE) {
            m->wc.vlans[0].tci = 0xffff;
            m->flow.vlans[0].tci = 0;
        } else {
            m->wc.vlans[0].tci |= htons(VLAN_VID_MASK | VLAN_CFI);
            m->flow.vlans[0].tci |= htons((vid & VLAN_VID_MASK) | VLAN_CFI);
        }
    }
    if (!(wc & OFPFW10_DL_VLAN_PCP)
        && !(!(wc & OFPFW10_DL_VLAN)
             && get_be(p + 18, 2) == OFP10_VLAN_NONE)) {
        m->wc.vlans[0].tci |= htons(VLAN_PCP_MASK | VLAN_CFI);
        m->flow.vlans[0].tci |=
            htons(((p[20] & 7) << VLAN_PCP_SHIFT) | VLAN_CFI);
    }
    if (!(wc & OFPFW10_DL_TYPE)) {
        memcpy(&m->flow.dl_type, p + 22, 2);
        m->wc.dl_type = 0xffff;
    }
    if (!(wc & OFPFW10_NW_TOS)) {
        m->flow.nw_tos = p[24] & IP_DSCP_MASK;
        m->wc.nw_tos = IP_DSCP_MASK;
    }
    if (!(wc & OFPFW10_NW_PROTO)) {
        m->flow.nw_proto = p[25];
        m->wc.nw_proto = 0xff;
    }
    m->wc.nw_src =
        prefix_mask((wc & OFPFW10_NW_SRC_MASK) >> OFPFW10_NW_SRC_SHIFT);
    memcpy(&m->flow.nw_src, p + 28, 4);
    m->flow.nw_src &= m->wc.nw_src;
    m->wc.nw_dst =
        prefix_mask((wc & OFPFW10_NW_DST_MASK) >> OFPFW10_NW_DST_SHIFT);
    memcpy(&m->flow.nw_dst, p + 32, 4);
    m->flow.nw_dst &= m->wc.nw_dst;
    if (!(wc & OFPFW10_TP_SRC)) {
        memcpy(&m->flow.tp_src, p + 36, 2);
        m->wc.tp_src = 0xffff;
    }
    if (!(wc & OFPFW10_TP_DST)) {
        memcpy(&m->flow.tp_dst, p + 38, 2);
        m->wc.tp_dst = 0xffff;
    }
    if (exact_type(m, ETH_TYPE_ARP)) {
        /* The opcode's low 8 bits; tp and tos mean nothing. */
        m->wc.nw_tos = m->flow.nw_tos = 0;
    }
    ofp_match_normalize(m);
}

/* Wildcarded low bits of the longest prefix inside 'mask'. */
static unsigned int
prefix_wild_bits(vs_be32 mask)
{
    uint32_t mk = ntohl(mask);
    unsigned int n = 0;

    while (n < 32 && (mk & 0x80000000u)) {
        mk <<= 1;
        n++;
    }
    return 32 - n;
}

void
ofp10_match_encode(const struct match *m, void *p_)
{
    uint8_t *p = p_;
    uint32_t wc = OFPFW10_ALL;
    uint16_t tci = ntohs(m->flow.vlans[0].tci);
    uint16_t tw = ntohs(m->wc.vlans[0].tci);
    unsigned int bits;

    memset(p, 0, OFP10_MATCH_SIZE);
    if (m->wc.in_port) {
        wc &= ~OFPFW10_IN_PORT;
        put_be(p + 4, 2, m->flow.in_port);
    }
    if (!all_zero((const uint8_t *) &m->wc.dl_src, 6)) {
        wc &= ~OFPFW10_DL_SRC;
        memcpy(p + 6, &m->flow.dl_src, 6);
    }
    if (!all_zero((const uint8_t *) &m->wc.dl_dst, 6)) {
        wc &= ~OFPFW10_DL_DST;
        memcpy(p + 12, &m->flow.dl_dst, 6);
    }
    if (tw == 0xffff && !tci) {
        wc &= ~OFPFW10_DL_VLAN;
        put_be(p + 18, 2, OFP10_VLAN_NONE);
    } else {
        if ((tw & VLAN_VID_MASK) == VLAN_VID_MASK) {
            wc &= ~OFPFW10_DL_VLAN;
            put_be(p + 18, 2, tci & VLAN_VID_MASK);
        }
        if ((tw & VLAN_PCP_MASK) == VLAN_PCP_MASK) {
            wc &= ~OFPFW10_DL_VLAN_PCP;
            p[20] = tci >> VLAN_PCP_SHIFT;
        }
    }
    if (m->wc.dl_type) {
        wc &= ~OFPFW10_DL_TYPE;
        memcpy(p + 22, &m->flow.dl_type, 2);
    }
    if (m->wc.nw_tos & IP_DSCP_MASK) {
        wc &= ~OFPFW10_NW_TOS;
        p[24] = m->flow.nw_tos & IP_DSCP_MASK;
    }
    if (m->wc.nw_proto) {
        wc &= ~OFPFW10_NW_PROTO;
        p[25] = m->flow.nw_proto;
    }
    bits = prefix_wild_bits(m->wc.nw_src);
    wc = (wc & ~OFPFW10_NW_SRC_MASK) | (bits << OFPFW10_NW_SRC_SHIFT);
    {
        vs_be32 v = m->flow.nw_src & prefix_mask(bits);
        memcpy(p + 28, &v, 4);
    }
    bits = prefix_wild_bits(m->wc.nw_dst);
    wc = (wc & ~OFPFW10_NW_DST_MASK) | (bits << OFPFW10_NW_DST_SHIFT);
    {
        vs_be32 v = m->flow.nw_dst & prefix_mask(bits);
        memcpy(p + 32, &v, 4);
    }
    if (m->wc.tp_src) {
        wc &= ~OFPFW10_TP_SRC;
        memcpy(p + 36, &m->flow.tp_src, 2);
    }
    if (m->wc.tp_dst) {
        wc &= ~OFPFW10_TP_DST;
        memcpy(p + 38, &m->flow.tp_dst, 2);
    }
    put_be(p, 4, wc);
}
