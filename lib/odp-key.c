/* SPDX-License-Identifier: Apache-2.0 */
/* odp-key: struct flow (+ mask) <-> OVS_KEY_ATTR_* netlink attributes. */

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/odp.h"
#include "odp-private.h"

/* ---------------------------------------------------------------------- */
/* Scratch netlink builder. */

void
odp_nlb_init(struct odp_nlb *b)
{
    b->nlh = mnl_nlmsg_put_header(b->space);
    b->overflow = false;
}

void
odp_nlb_put(struct odp_nlb *b, uint16_t type, size_t len, const void *data)
{
    struct nlattr *a = mnl_nlmsg_get_payload_tail(b->nlh);

    if (!mnl_attr_put_check(b->nlh, sizeof b->space, type, len, data)) {
        b->overflow = true;
    } else if (MNL_ALIGN(len) > len) {
        /* Zero the alignment padding (this libmnl leaves it as it was), so
         * that equal attribute lists are equal bytes. */
        memset((char *) mnl_attr_get_payload(a) + len, 0,
               MNL_ALIGN(len) - len);
    }
}

struct nlattr *
odp_nlb_nest_start(struct odp_nlb *b, uint16_t type)
{
    struct nlattr *nest =
        mnl_attr_nest_start_check(b->nlh, sizeof b->space, type);
    if (!nest) {
        b->overflow = true;
    }
    return nest;
}

void
odp_nlb_nest_end(struct odp_nlb *b, struct nlattr *nest)
{
    if (nest) {
        mnl_attr_nest_end(b->nlh, nest);
    }
}

void
odp_nlb_to_buf(const struct odp_nlb *b, struct buf *out)
{
    if (b->nlh->nlmsg_len == MNL_NLMSG_HDRLEN) {
        return;
    }
    buf_put(out, mnl_nlmsg_get_payload(b->nlh),
            b->nlh->nlmsg_len - MNL_NLMSG_HDRLEN);
}

/* ---------------------------------------------------------------------- */
/* Attribute policy. */

/* Expected payload size of key attribute 'type': >= 0 fixed, -1 nested,
 * -2 unsupported. */
int
odp_key_attr_len(unsigned int type)
{
    switch (type) {
    case OVS_KEY_ATTR_ENCAP:
        return -1;
    case OVS_KEY_ATTR_PRIORITY:
        return 4;
    case OVS_KEY_ATTR_IN_PORT:
        return 4;
    case OVS_KEY_ATTR_ETHERNET:
        return sizeof(struct ovs_key_ethernet);
    case OVS_KEY_ATTR_VLAN:
        return 2;
    case OVS_KEY_ATTR_ETHERTYPE:
        return 2;
    case OVS_KEY_ATTR_IPV4:
        return sizeof(struct ovs_key_ipv4);
    case OVS_KEY_ATTR_IPV6:
        return sizeof(struct ovs_key_ipv6);
    case OVS_KEY_ATTR_TCP:
        return sizeof(struct ovs_key_tcp);
    case OVS_KEY_ATTR_UDP:
        return sizeof(struct ovs_key_udp);
    case OVS_KEY_ATTR_ICMP:
        return sizeof(struct ovs_key_icmp);
    case OVS_KEY_ATTR_ICMPV6:
        return sizeof(struct ovs_key_icmpv6);
    case OVS_KEY_ATTR_ARP:
        return sizeof(struct ovs_key_arp);
    case OVS_KEY_ATTR_ND:
        return sizeof(struct ovs_key_nd);
    case OVS_KEY_ATTR_SKB_MARK:
        return 4;
    case OVS_KEY_ATTR_TUNNEL:
        return -1;
    case OVS_KEY_ATTR_SCTP:
        return sizeof(struct ovs_key_sctp);
    case OVS_KEY_ATTR_TCP_FLAGS:
        return 2;
    case OVS_KEY_ATTR_DP_HASH:
        return 4;
    case OVS_KEY_ATTR_RECIRC_ID:
        return 4;
    default:
        return -2;
    }
}

const char *
odp_key_attr_name(unsigned int type)
{
    static const char *const names[] = {
        [OVS_KEY_ATTR_ENCAP] = "encap",
        [OVS_KEY_ATTR_PRIORITY] = "skb_priority",
        [OVS_KEY_ATTR_IN_PORT] = "in_port",
        [OVS_KEY_ATTR_ETHERNET] = "eth",
        [OVS_KEY_ATTR_VLAN] = "vlan",
        [OVS_KEY_ATTR_ETHERTYPE] = "eth_type",
        [OVS_KEY_ATTR_IPV4] = "ipv4",
        [OVS_KEY_ATTR_IPV6] = "ipv6",
        [OVS_KEY_ATTR_TCP] = "tcp",
        [OVS_KEY_ATTR_UDP] = "udp",
        [OVS_KEY_ATTR_ICMP] = "icmp",
        [OVS_KEY_ATTR_ICMPV6] = "icmpv6",
        [OVS_KEY_ATTR_ARP] = "arp",
        [OVS_KEY_ATTR_ND] = "nd",
        [OVS_KEY_ATTR_SKB_MARK] = "skb_mark",
        [OVS_KEY_ATTR_TUNNEL] = "tunnel",
        [OVS_KEY_ATTR_SCTP] = "sctp",
        [OVS_KEY_ATTR_TCP_FLAGS] = "tcp_flags",
        [OVS_KEY_ATTR_DP_HASH] = "dp_hash",
        [OVS_KEY_ATTR_RECIRC_ID] = "recirc_id",
        [OVS_KEY_ATTR_MPLS] = "mpls",
        [OVS_KEY_ATTR_CT_STATE] = "ct_state",
        [OVS_KEY_ATTR_CT_ZONE] = "ct_zone",
        [OVS_KEY_ATTR_CT_MARK] = "ct_mark",
        [OVS_KEY_ATTR_CT_LABELS] = "ct_label",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = "ct_tuple4",
        [OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = "ct_tuple6",
        [OVS_KEY_ATTR_NSH] = "nsh",
        [OVS_KEY_ATTR_PACKET_TYPE] = "packet_type",
        [OVS_KEY_ATTR_ND_EXTENSIONS] = "nd_ext",
        [OVS_KEY_ATTR_TUNNEL_INFO] = "tunnel_info",
        [OVS_KEY_ATTR_IPV6_EXTHDRS] = "ipv6_exthdrs",
    };
    return type < ARRAY_SIZE(names) && names[type] ? names[type] : NULL;
}

void *
odp_copy(const void *p, size_t size)
{
    void *q = xzalloc(size ? size : 1);

    if (size) {
        memcpy(q, p, size);
    }
    return q;
}

int
odp_error(char **errorp, const char *fmt, ...)
{
    if (errorp && !*errorp) {
        va_list args;

        va_start(args, fmt);
        *errorp = xvasprintf(fmt, args);
        va_end(args);
    }
    return EINVAL;
}

static const char *
attr_label(unsigned int type, char tmp[16])
{
    const char *name = odp_key_attr_name(type);

    if (name) {
        return name;
    }
    snprintf(tmp, 16, "%u", type);
    return tmp;
}

/* The length of conntrack attribute 'type' (which the flow does not model),
 * or -1 if 'type' is not one.  openvswitch.ko puts ct_state, ct_zone,
 * ct_mark and ct_labels in every upcall key and every dumped key and mask,
 * zero for a packet that never went through conntrack. */
static int
ct_attr_len(unsigned int type)
{
    switch (type) {
    case OVS_KEY_ATTR_CT_STATE:
        return 4;
    case OVS_KEY_ATTR_CT_ZONE:
        return 2;
    case OVS_KEY_ATTR_CT_MARK:
        return 4;
    case OVS_KEY_ATTR_CT_LABELS:
        return 16;
    default:
        return -1;
    }
}

/* Whether the 'size' bytes at 'p' are all zero. */
static bool
all_zero(const void *p, size_t size)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < size; i++) {
        if (b[i]) {
            return false;
        }
    }
    return true;
}

/* Splits the attribute list at 'data' into 'tb' (by type), validating
 * lengths, duplicates and unknown types.  Conntrack attributes are accepted
 * (and left out of 'tb') when zero, as the untracked packet they describe
 * is what a flow without conntrack fields means; nonzero, they are
 * refused. */
int
odp_key_split(const void *data, size_t size, const struct nlattr **tb,
              const char *what, char **errorp)
{
    const struct nlattr *attr;
    size_t used = 0;
    char tmp[16];

    memset(tb, 0, sizeof *tb * ODP_KEY_TB_SIZE);
    mnl_attr_for_each_payload(data, size)
    {
        unsigned int type = mnl_attr_get_type(attr);
        int want = odp_key_attr_len(type);
        size_t len = mnl_attr_get_payload_len(attr);

        used = (const char *) attr - (const char *) data
               + MNL_ALIGN(attr->nla_len);
        if (ct_attr_len(type) >= 0) {
            if (len != (size_t) ct_attr_len(type)) {
                return odp_error(errorp,
                                 "%s: attribute %s has length %zu, "
                                 "expected %d",
                                 what, attr_label(type, tmp), len,
                                 ct_attr_len(type));
            }
            if (!all_zero(mnl_attr_get_payload(attr), len)) {
                return odp_error(errorp,
                                 "%s: nonzero %s (conntrack is not "
                                 "supported)",
                                 what, attr_label(type, tmp));
            }
            continue;
        }
        if (want == -2 || type >= ODP_KEY_TB_SIZE) {
            return odp_error(errorp, "%s: unsupported key attribute %s", what,
                             attr_label(type, tmp));
        }
        if (want >= 0 && len != (size_t) want) {
            return odp_error(errorp,
                             "%s: attribute %s has length %zu, expected %d",
                             what, attr_label(type, tmp), len, want);
        }
        if (tb[type]) {
            return odp_error(errorp, "%s: duplicate attribute %s", what,
                             attr_label(type, tmp));
        }
        tb[type] = attr;
    }
    if (used < size) {
        /* Bytes left that do not form a valid attribute. */
        return odp_error(errorp,
                         "%s: %zu bytes after the last valid "
                         "attribute",
                         what, size - used);
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Encoding. */

static uint8_t
frag_to_odp(uint8_t nw_frag, bool is_mask)
{
    if (is_mask) {
        return (uint8_t) ~(OVS_FRAG_TYPE_FIRST | OVS_FRAG_TYPE_LATER)
               | (nw_frag & FLOW_NW_FRAG_ANY ? OVS_FRAG_TYPE_FIRST : 0)
               | (nw_frag & FLOW_NW_FRAG_LATER ? OVS_FRAG_TYPE_LATER : 0);
    }
    return !(nw_frag & FLOW_NW_FRAG_ANY)  ? OVS_FRAG_TYPE_NONE
           : nw_frag & FLOW_NW_FRAG_LATER ? OVS_FRAG_TYPE_LATER
                                          : OVS_FRAG_TYPE_FIRST;
}

static int
frag_from_odp(uint8_t v, bool is_mask, uint8_t *nw_frag)
{
    if (is_mask) {
        *nw_frag = (v & OVS_FRAG_TYPE_FIRST ? FLOW_NW_FRAG_ANY : 0)
                   | (v & OVS_FRAG_TYPE_LATER ? FLOW_NW_FRAG_LATER : 0);
        return 0;
    }
    switch (v) {
    case OVS_FRAG_TYPE_NONE:
        *nw_frag = 0;
        return 0;
    case OVS_FRAG_TYPE_FIRST:
        *nw_frag = FLOW_NW_FRAG_ANY;
        return 0;
    case OVS_FRAG_TYPE_LATER:
        *nw_frag = FLOW_NW_FRAG_MASK;
        return 0;
    default:
        return EINVAL;
    }
}

bool
odp_put_tunnel(struct buf *out, const struct flow_tnl *tnl,
               const struct flow_tnl *key_tnl, bool is_mask)
{
    struct odp_nlb b;

    odp_nlb_init(&b);
    odp_tunnel_to_nlb(&b, tnl, key_tnl, is_mask);
    odp_nlb_to_buf(&b, out);
    return !b.overflow;
}

/* Puts the sub-attributes of 'tnl' (a key, or with 'is_mask' a mask laid
 * out as 'key_tnl'). */
void
odp_tunnel_to_nlb(struct odp_nlb *b, const struct flow_tnl *tnl,
                  const struct flow_tnl *key_tnl, bool is_mask)
{
    static const struct in6_addr zero6;
    bool has_id = is_mask ? tnl->flags & FLOW_TNL_F_KEY
                          : key_tnl->flags & FLOW_TNL_F_KEY;

    if (has_id) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_ID, 8, &tnl->tun_id);
    }
    if (tnl->ip_src) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, 4, &tnl->ip_src);
    }
    if (tnl->ip_dst) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 4, &tnl->ip_dst);
    }
    if (memcmp(&tnl->ipv6_src, &zero6, 16)) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, 16, &tnl->ipv6_src);
    }
    if (memcmp(&tnl->ipv6_dst, &zero6, 16)) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_IPV6_DST, 16, &tnl->ipv6_dst);
    }
    if (tnl->ip_tos) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_TOS, 1, &tnl->ip_tos);
    }
    if (!is_mask || tnl->ip_ttl) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_TTL, 1, &tnl->ip_ttl);
    }
    if (tnl->flags & FLOW_TNL_F_DONT_FRAGMENT) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, 0, NULL);
    }
    if (tnl->flags & FLOW_TNL_F_CSUM) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_CSUM, 0, NULL);
    }
    if (tnl->flags & FLOW_TNL_F_OAM) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_OAM, 0, NULL);
    }
    if (tnl->tp_src) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_TP_SRC, 2, &tnl->tp_src);
    }
    if (tnl->tp_dst) {
        odp_nlb_put(b, OVS_TUNNEL_KEY_ATTR_TP_DST, 2, &tnl->tp_dst);
    }
}

static bool
tunnel_present(const struct flow_tnl *t)
{
    static const struct in6_addr zero6;

    return t->ip_dst || memcmp(&t->ipv6_dst, &zero6, 16);
}

static void
put_u32(struct odp_nlb *b, uint16_t type, uint32_t v)
{
    odp_nlb_put(b, type, 4, &v);
}

static void
put_be16(struct odp_nlb *b, uint16_t type, uint16_t v)
{
    odp_nlb_put(b, type, 2, &v);
}

/* Puts the attributes after the VLAN tags of 'key' at tag depth 'depth';
 * 'v' gives the values ('key' itself, or the mask). */
static void
put_l2_5(struct odp_nlb *b, const struct flow *key, const struct flow *v,
         int depth, bool is_mask)
{
    uint16_t dl_type = ntohs(key->dl_type);

    if (depth < FLOW_MAX_VLAN && (key->vlans[depth].tci & htons(VLAN_CFI))) {
        struct nlattr *encap;

        put_be16(b, OVS_KEY_ATTR_ETHERTYPE, v->vlans[depth].tpid);
        put_be16(b, OVS_KEY_ATTR_VLAN, v->vlans[depth].tci);
        encap = odp_nlb_nest_start(b, OVS_KEY_ATTR_ENCAP);
        put_l2_5(b, key, v, depth + 1, is_mask);
        odp_nlb_nest_end(b, encap);
        return;
    }
    if (dl_type < ETH_TYPE_MIN) {
        /* 802.3 (FLOW_DL_TYPE_NONE), or no L2 at all (0). */
        return;
    }
    put_be16(b, OVS_KEY_ATTR_ETHERTYPE, v->dl_type);

    if (dl_type == ETH_TYPE_IP) {
        struct ovs_key_ipv4 ip = {
            .ipv4_src = v->nw_src,
            .ipv4_dst = v->nw_dst,
            .ipv4_proto = v->nw_proto,
            .ipv4_tos = v->nw_tos,
            .ipv4_ttl = v->nw_ttl,
            .ipv4_frag = frag_to_odp(v->nw_frag, is_mask),
        };
        odp_nlb_put(b, OVS_KEY_ATTR_IPV4, sizeof ip, &ip);
    } else if (dl_type == ETH_TYPE_IPV6) {
        struct ovs_key_ipv6 ip;

        memset(&ip, 0, sizeof ip);
        memcpy(ip.ipv6_src, &v->ipv6_src, 16);
        memcpy(ip.ipv6_dst, &v->ipv6_dst, 16);
        ip.ipv6_label = v->ipv6_label;
        ip.ipv6_proto = v->nw_proto;
        ip.ipv6_tclass = v->nw_tos;
        ip.ipv6_hlimit = v->nw_ttl;
        ip.ipv6_frag = frag_to_odp(v->nw_frag, is_mask);
        odp_nlb_put(b, OVS_KEY_ATTR_IPV6, sizeof ip, &ip);
    } else if (dl_type == ETH_TYPE_ARP) {
        struct ovs_key_arp arp;

        memset(&arp, 0, sizeof arp);
        arp.arp_sip = v->nw_src;
        arp.arp_tip = v->nw_dst;
        arp.arp_op = is_mask ? (v->nw_proto ? htons(0xff00 | v->nw_proto) : 0)
                             : htons(v->nw_proto);
        memcpy(arp.arp_sha, &v->arp_sha, 6);
        memcpy(arp.arp_tha, &v->arp_tha, 6);
        odp_nlb_put(b, OVS_KEY_ATTR_ARP, sizeof arp, &arp);
        return;
    } else {
        return;
    }

    if (key->nw_frag & FLOW_NW_FRAG_LATER) {
        return;
    }
    switch (key->nw_proto) {
    case IPPROTO_TCP: {
        struct ovs_key_tcp tcp = {v->tp_src, v->tp_dst};

        odp_nlb_put(b, OVS_KEY_ATTR_TCP, sizeof tcp, &tcp);
        put_be16(b, OVS_KEY_ATTR_TCP_FLAGS, v->tcp_flags);
        break;
    }
    case IPPROTO_UDP: {
        struct ovs_key_udp udp = {v->tp_src, v->tp_dst};

        odp_nlb_put(b, OVS_KEY_ATTR_UDP, sizeof udp, &udp);
        break;
    }
    case IPPROTO_SCTP: {
        struct ovs_key_sctp sctp = {v->tp_src, v->tp_dst};

        odp_nlb_put(b, OVS_KEY_ATTR_SCTP, sizeof sctp, &sctp);
        break;
    }
    case IPPROTO_ICMP:
        if (dl_type == ETH_TYPE_IP) {
            struct ovs_key_icmp icmp = {ntohs(v->tp_src), ntohs(v->tp_dst)};

            odp_nlb_put(b, OVS_KEY_ATTR_ICMP, sizeof icmp, &icmp);
        }
        break;
    case IPPROTO_ICMPV6:
        if (dl_type == ETH_TYPE_IPV6) {
            struct ovs_key_icmpv6 icmp = {ntohs(v->tp_src), ntohs(v->tp_dst)};

            odp_nlb_put(b, OVS_KEY_ATTR_ICMPV6, sizeof icmp, &icmp);
            if (key->tp_dst == 0
                && (key->tp_src == htons(135) || key->tp_src == htons(136))) {
                struct ovs_key_nd nd;

                memcpy(nd.nd_target, &v->nd_target, 16);
                memcpy(nd.nd_sll, &v->arp_sha, 6);
                memcpy(nd.nd_tll, &v->arp_tha, 6);
                odp_nlb_put(b, OVS_KEY_ATTR_ND, sizeof nd, &nd);
            }
        }
        break;
    default:
        break;
    }
}

static void
key_to_nlb(struct odp_nlb *b, const struct flow *key, const struct flow *v,
           bool is_mask)
{
    put_u32(b, OVS_KEY_ATTR_PRIORITY, v->skb_priority);
    put_u32(b, OVS_KEY_ATTR_SKB_MARK, v->skb_mark);
    put_u32(b, OVS_KEY_ATTR_RECIRC_ID, v->recirc_id);
    put_u32(b, OVS_KEY_ATTR_DP_HASH, v->dp_hash);
    if (tunnel_present(&key->tunnel)) {
        struct nlattr *nest = odp_nlb_nest_start(b, OVS_KEY_ATTR_TUNNEL);

        odp_tunnel_to_nlb(b, &v->tunnel, &key->tunnel, is_mask);
        odp_nlb_nest_end(b, nest);
    }
    put_u32(b, OVS_KEY_ATTR_IN_PORT, v->in_port);
    {
        struct ovs_key_ethernet eth;

        memcpy(eth.eth_src, &v->dl_src, 6);
        memcpy(eth.eth_dst, &v->dl_dst, 6);
        odp_nlb_put(b, OVS_KEY_ATTR_ETHERNET, sizeof eth, &eth);
    }
    put_l2_5(b, key, v, 0, is_mask);
}

void
odp_key_from_flow(struct buf *key, const struct flow *flow)
{
    struct odp_nlb b;

    odp_nlb_init(&b);
    key_to_nlb(&b, flow, flow, false);
    odp_nlb_to_buf(&b, key);
}

void
odp_mask_normalize(const struct flow *flow, struct flow *mask)
{
    struct buf key = BUF_EMPTY_INITIALIZER;
    struct flow f, exact;
    uint16_t dl_type = ntohs(flow->dl_type);
    int n_vlans = 0;

    /* Only bits that some attribute of 'flow''s key carries. */
    odp_key_from_flow(&key, flow);
    if (!odp_key_to_flow(key.data, key.size, NULL, 0, &f, &exact, NULL)) {
        flow_and(mask, mask, &exact);
    }
    buf_uninit(&key);

    /* The structure of the key is matched exactly. */
    while (n_vlans < FLOW_MAX_VLAN
           && (flow->vlans[n_vlans].tci & htons(VLAN_CFI))) {
        /* The tag's presence (CFI) too: without it flow & mask would lose
         * the tag and encode as a VLAN-less key. */
        mask->vlans[n_vlans].tci |= htons(VLAN_CFI);
        mask->vlans[n_vlans++].tpid = 0xffff;
    }
    mask->dl_type = 0xffff;
    if (dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6) {
        /* Whether the packet is a fragment, exactly: the kernel's frag
         * field is an enum, and tools print a partial mask of it as an
         * error ("frag=no" is what admins expect to read). */
        mask->nw_frag = FLOW_NW_FRAG_MASK;
    }
    for (int i = n_vlans; i < FLOW_MAX_VLAN; i++) {
        mask->vlans[i].tpid = mask->vlans[i].tci = 0xffff;
    }
    if ((dl_type == ETH_TYPE_IP || dl_type == ETH_TYPE_IPV6)
        && !(flow->nw_frag & FLOW_NW_FRAG_LATER)) {
        switch (flow->nw_proto) {
        case IPPROTO_ICMPV6:
            if (dl_type == ETH_TYPE_IPV6 && flow->tp_dst == 0
                && (flow->tp_src == htons(135)
                    || flow->tp_src == htons(136))) {
                mask->tp_src = mask->tp_dst = htons(0xff);
            }
            /* Fall through. */
        case IPPROTO_TCP:
        case IPPROTO_UDP:
        case IPPROTO_SCTP:
        case IPPROTO_ICMP:
            mask->nw_proto = 0xff;
            break;
        default:
            break;
        }
    }
    if (tunnel_present(&flow->tunnel) && mask->tunnel.tun_id) {
        /* A rule read tun_id: whether the packet carried a key at all is
         * part of that (tun_id=0 must not match a packet keyed 5 because
         * the megaflow left the key out). */
        mask->tunnel.flags |= FLOW_TNL_F_KEY;
    }
    if (!(mask->tunnel.flags & FLOW_TNL_F_KEY)) {
        mask->tunnel.tun_id = 0;
    }
}

void
odp_mask_from_flow(struct buf *out, const struct flow *flow,
                   const struct flow *mask)
{
    struct odp_nlb b;
    struct flow m = *mask;

    odp_mask_normalize(flow, &m);
    odp_nlb_init(&b);
    key_to_nlb(&b, flow, &m, true);
    odp_nlb_to_buf(&b, out);
}

/* ---------------------------------------------------------------------- */
/* Decoding. */

int
odp_parse_tunnel(const void *data, size_t size, struct flow_tnl *tnl,
                 bool is_mask, char **errorp)
{
    const struct nlattr *attr;
    uint32_t seen = 0;
    size_t used = 0;

    memset(tnl, 0, sizeof *tnl);
    mnl_attr_for_each_payload(data, size)
    {
        unsigned int type = mnl_attr_get_type(attr);
        size_t len = mnl_attr_get_payload_len(attr);
        const void *p = mnl_attr_get_payload(attr);
        static const int8_t lens[] = {
            [OVS_TUNNEL_KEY_ATTR_ID] = 8,
            [OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = 4,
            [OVS_TUNNEL_KEY_ATTR_IPV4_DST] = 4,
            [OVS_TUNNEL_KEY_ATTR_TOS] = 1,
            [OVS_TUNNEL_KEY_ATTR_TTL] = 1,
            [OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT] = 0,
            [OVS_TUNNEL_KEY_ATTR_CSUM] = 0,
            [OVS_TUNNEL_KEY_ATTR_OAM] = 0,
            [OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS] = -1,
            [OVS_TUNNEL_KEY_ATTR_TP_SRC] = 2,
            [OVS_TUNNEL_KEY_ATTR_TP_DST] = 2,
            [OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS] = -1,
            [OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = 16,
            [OVS_TUNNEL_KEY_ATTR_IPV6_DST] = 16,
        };

        used = (const char *) attr - (const char *) data
               + MNL_ALIGN(attr->nla_len);
        if (type >= ARRAY_SIZE(lens) || lens[type] < 0) {
            return odp_error(errorp, "tunnel: unsupported attribute %u", type);
        }
        if (len != (size_t) lens[type]) {
            return odp_error(errorp,
                             "tunnel: attribute %u has length %zu, "
                             "expected %d",
                             type, len, lens[type]);
        }
        if (seen & (1u << type)) {
            return odp_error(errorp, "tunnel: duplicate attribute %u", type);
        }
        seen |= 1u << type;
        switch (type) {
        case OVS_TUNNEL_KEY_ATTR_ID:
            memcpy(&tnl->tun_id, p, 8);
            tnl->flags |= FLOW_TNL_F_KEY;
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
            memcpy(&tnl->ip_src, p, 4);
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
            memcpy(&tnl->ip_dst, p, 4);
            break;
        case OVS_TUNNEL_KEY_ATTR_TOS:
            memcpy(&tnl->ip_tos, p, 1);
            break;
        case OVS_TUNNEL_KEY_ATTR_TTL:
            memcpy(&tnl->ip_ttl, p, 1);
            break;
        case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
            tnl->flags |= FLOW_TNL_F_DONT_FRAGMENT;
            break;
        case OVS_TUNNEL_KEY_ATTR_CSUM:
            tnl->flags |= FLOW_TNL_F_CSUM;
            break;
        case OVS_TUNNEL_KEY_ATTR_OAM:
            tnl->flags |= FLOW_TNL_F_OAM;
            break;
        case OVS_TUNNEL_KEY_ATTR_TP_SRC:
            memcpy(&tnl->tp_src, p, 2);
            break;
        case OVS_TUNNEL_KEY_ATTR_TP_DST:
            memcpy(&tnl->tp_dst, p, 2);
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
            memcpy(&tnl->ipv6_src, p, 16);
            break;
        case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
            memcpy(&tnl->ipv6_dst, p, 16);
            break;
        }
    }
    if (used < size) {
        return odp_error(errorp,
                         "tunnel: %zu bytes after the last valid "
                         "attribute",
                         size - used);
    }
    (void) is_mask;
    return 0;
}

static const void *
payload(const struct nlattr *a)
{
    return mnl_attr_get_payload(a);
}

static uint32_t
get_u32(const struct nlattr *a)
{
    uint32_t v;

    memcpy(&v, payload(a), 4);
    return v;
}

static uint16_t
get_be16(const struct nlattr *a)
{
    uint16_t v;

    memcpy(&v, payload(a), 2);
    return v;
}

/* Stores attribute 'a' (key or mask value) into 'f'. */
static int
attr_to_flow(unsigned int type, const struct nlattr *a, struct flow *f,
             bool is_mask, char **errorp)
{
    const uint8_t *p = payload(a);

    switch (type) {
    case OVS_KEY_ATTR_PRIORITY:
        f->skb_priority = get_u32(a);
        break;
    case OVS_KEY_ATTR_SKB_MARK:
        f->skb_mark = get_u32(a);
        break;
    case OVS_KEY_ATTR_RECIRC_ID:
        f->recirc_id = get_u32(a);
        break;
    case OVS_KEY_ATTR_DP_HASH:
        f->dp_hash = get_u32(a);
        break;
    case OVS_KEY_ATTR_IN_PORT:
        f->in_port = get_u32(a);
        break;
    case OVS_KEY_ATTR_TUNNEL:
        return odp_parse_tunnel(payload(a), mnl_attr_get_payload_len(a),
                                &f->tunnel, is_mask, errorp);
    case OVS_KEY_ATTR_ETHERNET:
        memcpy(&f->dl_src, p, 6);
        memcpy(&f->dl_dst, p + 6, 6);
        break;
    case OVS_KEY_ATTR_IPV4: {
        struct ovs_key_ipv4 ip;

        memcpy(&ip, p, sizeof ip);
        f->nw_src = ip.ipv4_src;
        f->nw_dst = ip.ipv4_dst;
        f->nw_proto = ip.ipv4_proto;
        f->nw_tos = ip.ipv4_tos;
        f->nw_ttl = ip.ipv4_ttl;
        if (frag_from_odp(ip.ipv4_frag, is_mask, &f->nw_frag)) {
            return odp_error(errorp, "ipv4: bad frag %u", ip.ipv4_frag);
        }
        break;
    }
    case OVS_KEY_ATTR_IPV6: {
        struct ovs_key_ipv6 ip;

        memcpy(&ip, p, sizeof ip);
        memcpy(&f->ipv6_src, ip.ipv6_src, 16);
        memcpy(&f->ipv6_dst, ip.ipv6_dst, 16);
        f->ipv6_label = ip.ipv6_label;
        f->nw_proto = ip.ipv6_proto;
        f->nw_tos = ip.ipv6_tclass;
        f->nw_ttl = ip.ipv6_hlimit;
        if (!is_mask && (ntohl(ip.ipv6_label) & ~0xfffff)) {
            return odp_error(errorp, "ipv6: label 0x%x has more than 20 bits",
                             ntohl(ip.ipv6_label));
        }
        if (frag_from_odp(ip.ipv6_frag, is_mask, &f->nw_frag)) {
            return odp_error(errorp, "ipv6: bad frag %u", ip.ipv6_frag);
        }
        break;
    }
    case OVS_KEY_ATTR_ARP: {
        struct ovs_key_arp arp;

        memcpy(&arp, p, sizeof arp);
        f->nw_src = arp.arp_sip;
        f->nw_dst = arp.arp_tip;
        if (!is_mask && ntohs(arp.arp_op) > 0xff) {
            return odp_error(errorp, "arp: op %u out of range",
                             ntohs(arp.arp_op));
        }
        f->nw_proto = ntohs(arp.arp_op) & 0xff;
        memcpy(&f->arp_sha, arp.arp_sha, 6);
        memcpy(&f->arp_tha, arp.arp_tha, 6);
        break;
    }
    case OVS_KEY_ATTR_TCP:
    case OVS_KEY_ATTR_UDP:
    case OVS_KEY_ATTR_SCTP:
        memcpy(&f->tp_src, p, 2);
        memcpy(&f->tp_dst, p + 2, 2);
        break;
    case OVS_KEY_ATTR_TCP_FLAGS:
        f->tcp_flags = get_be16(a);
        break;
    case OVS_KEY_ATTR_ICMP:
    case OVS_KEY_ATTR_ICMPV6:
        f->tp_src = htons(p[0]);
        f->tp_dst = htons(p[1]);
        break;
    case OVS_KEY_ATTR_ND:
        memcpy(&f->nd_target, p, 16);
        memcpy(&f->arp_sha, p + 16, 6);
        memcpy(&f->arp_tha, p + 22, 6);
        break;
    default:
        break;
    }
    return 0;
}

struct decode_ctx {
    struct flow *flow; /* Key being built. */
    struct flow *mask; /* Mask being built, or NULL. */
    bool has_mask;     /* Mask attributes were given. */
    char **errorp;     /* Error message. */
};

/* Decodes attribute 'type' of one level: key 'ka', mask 'ma' (may be NULL:
 * wildcarded if the mask list was given, exact otherwise). */
static int
decode_one(struct decode_ctx *ctx, unsigned int type, const struct nlattr *ka,
           const struct nlattr *ma)
{
    int error = attr_to_flow(type, ka, ctx->flow, false, ctx->errorp);

    if (error || !ctx->mask) {
        return error;
    }
    if (ma) {
        return attr_to_flow(type, ma, ctx->mask, true, ctx->errorp);
    }
    if (!ctx->has_mask) {
        /* Exact: decode an all-ones attribute of the same shape. */
        uint8_t ones[sizeof(struct nlattr) + 64];
        struct nlattr *a = (struct nlattr *) (void *) ones;
        size_t len = mnl_attr_get_payload_len(ka);

        if (type == OVS_KEY_ATTR_TUNNEL) {
            struct flow_tnl *t = &ctx->mask->tunnel;

            memset(t, 0xff, sizeof *t);
            memset(t->pad, 0, sizeof t->pad);
            t->flags = FLOW_TNL_F_MASK;
            return 0;
        }
        a->nla_type = type;
        a->nla_len = sizeof *a + len;
        memset(ones + sizeof *a, 0xff, len);
        return attr_to_flow(type, a, ctx->mask, true, ctx->errorp);
    }
    return 0;
}

static int
decode_level(struct decode_ctx *ctx, const void *key, size_t key_size,
             const void *mask, size_t mask_size, int depth)
{
    const struct nlattr *kt[ODP_KEY_TB_SIZE], *mt[ODP_KEY_TB_SIZE];
    struct flow *f = ctx->flow, *m = ctx->mask;
    uint16_t dl_type;
    int error;

    error = odp_key_split(key, key_size, kt, "key", ctx->errorp);
    if (error) {
        return error;
    }
    memset(mt, 0, sizeof mt);
    if (mask) {
        error = odp_key_split(mask, mask_size, mt, "mask", ctx->errorp);
        if (error) {
            return error;
        }
        for (unsigned int t = 0; t < ODP_KEY_TB_SIZE; t++) {
            if (mt[t] && !kt[t]) {
                return odp_error(ctx->errorp,
                                 "mask attribute %s without key attribute",
                                 odp_key_attr_name(t));
            }
        }
    }

#define DECODE(T)                                                             \
    do {                                                                      \
        if (kt[T] && (error = decode_one(ctx, T, kt[T], mt[T]))) {            \
            return error;                                                     \
        }                                                                     \
    } while (0)

    if (depth == 0) {
        DECODE(OVS_KEY_ATTR_PRIORITY);
        DECODE(OVS_KEY_ATTR_SKB_MARK);
        DECODE(OVS_KEY_ATTR_RECIRC_ID);
        DECODE(OVS_KEY_ATTR_DP_HASH);
        DECODE(OVS_KEY_ATTR_TUNNEL);
        DECODE(OVS_KEY_ATTR_IN_PORT);
        DECODE(OVS_KEY_ATTR_ETHERNET);
    } else {
        static const unsigned int outer_only[] = {
            OVS_KEY_ATTR_PRIORITY,  OVS_KEY_ATTR_SKB_MARK,
            OVS_KEY_ATTR_RECIRC_ID, OVS_KEY_ATTR_DP_HASH,
            OVS_KEY_ATTR_TUNNEL,    OVS_KEY_ATTR_IN_PORT,
            OVS_KEY_ATTR_ETHERNET,
        };
        for (size_t i = 0; i < ARRAY_SIZE(outer_only); i++) {
            if (kt[outer_only[i]]) {
                return odp_error(ctx->errorp,
                                 "encap: attribute %s not "
                                 "allowed inside encap",
                                 odp_key_attr_name(outer_only[i]));
            }
        }
    }

    if (!kt[OVS_KEY_ATTR_ETHERTYPE]) {
        if (kt[OVS_KEY_ATTR_VLAN] || kt[OVS_KEY_ATTR_ENCAP]
            || kt[OVS_KEY_ATTR_IPV4] || kt[OVS_KEY_ATTR_IPV6]
            || kt[OVS_KEY_ATTR_ARP]) {
            return odp_error(ctx->errorp,
                             "eth_type: missing before vlan/encap/L3");
        }
        if (kt[OVS_KEY_ATTR_ETHERNET] || depth > 0) {
            f->dl_type = htons(FLOW_DL_TYPE_NONE);
            if (m) {
                m->dl_type = 0xffff;
                for (int i = depth; i < FLOW_MAX_VLAN; i++) {
                    m->vlans[i].tci = m->vlans[i].tpid = 0xffff;
                }
            }
        }
        goto l4_check;
    }
    dl_type = get_be16(kt[OVS_KEY_ATTR_ETHERTYPE]);
    if (kt[OVS_KEY_ATTR_VLAN]) {
        uint16_t tci = get_be16(kt[OVS_KEY_ATTR_VLAN]);

        if (dl_type != htons(ETH_TYPE_VLAN)
            && dl_type != htons(ETH_TYPE_VLAN_8021AD)) {
            return odp_error(ctx->errorp,
                             "vlan: eth_type 0x%04x is not a "
                             "VLAN TPID",
                             ntohs(dl_type));
        }
        if (depth >= FLOW_MAX_VLAN) {
            return odp_error(ctx->errorp, "vlan: more than %d tags",
                             FLOW_MAX_VLAN);
        }
        if (!(tci & htons(VLAN_CFI))) {
            return odp_error(ctx->errorp,
                             "vlan: tci 0x%04x lacks the "
                             "present (CFI) bit",
                             ntohs(tci));
        }
        if (!kt[OVS_KEY_ATTR_ENCAP]) {
            return odp_error(ctx->errorp, "vlan: missing encap");
        }
        f->vlans[depth].tpid = dl_type;
        f->vlans[depth].tci = tci;
        if (m) {
            if (mt[OVS_KEY_ATTR_ETHERTYPE]) {
                m->vlans[depth].tpid = get_be16(mt[OVS_KEY_ATTR_ETHERTYPE]);
            } else if (!ctx->has_mask) {
                m->vlans[depth].tpid = 0xffff;
            }
            if (mt[OVS_KEY_ATTR_VLAN]) {
                m->vlans[depth].tci = get_be16(mt[OVS_KEY_ATTR_VLAN]);
            } else if (!ctx->has_mask) {
                m->vlans[depth].tci = 0xffff;
            }
        }
        return decode_level(
            ctx, payload(kt[OVS_KEY_ATTR_ENCAP]),
            mnl_attr_get_payload_len(kt[OVS_KEY_ATTR_ENCAP]),
            mt[OVS_KEY_ATTR_ENCAP] ? payload(mt[OVS_KEY_ATTR_ENCAP]) : NULL,
            mt[OVS_KEY_ATTR_ENCAP]
                ? mnl_attr_get_payload_len(mt[OVS_KEY_ATTR_ENCAP])
                : 0,
            depth + 1);
    }
    if (kt[OVS_KEY_ATTR_ENCAP]) {
        return odp_error(ctx->errorp, "encap: without vlan");
    }
    if (ntohs(dl_type) < ETH_TYPE_MIN) {
        return odp_error(ctx->errorp, "eth_type: 0x%04x is an 802.3 length",
                         ntohs(dl_type));
    }
    f->dl_type = dl_type;
    if (m) {
        uint16_t dm = mt[OVS_KEY_ATTR_ETHERTYPE]
                          ? get_be16(mt[OVS_KEY_ATTR_ETHERTYPE])
                      : ctx->has_mask ? 0
                                      : 0xffff;

        m->dl_type = dm;
        if (dm == 0xffff) {
            for (int i = depth; i < FLOW_MAX_VLAN; i++) {
                m->vlans[i].tci = m->vlans[i].tpid = 0xffff;
            }
        }
    }
    if ((kt[OVS_KEY_ATTR_IPV4] && ntohs(dl_type) != ETH_TYPE_IP)
        || (kt[OVS_KEY_ATTR_IPV6] && ntohs(dl_type) != ETH_TYPE_IPV6)
        || (kt[OVS_KEY_ATTR_ARP] && ntohs(dl_type) != ETH_TYPE_ARP)) {
        return odp_error(ctx->errorp,
                         "L3 attribute does not match eth_type "
                         "0x%04x",
                         ntohs(dl_type));
    }
    DECODE(OVS_KEY_ATTR_IPV4);
    DECODE(OVS_KEY_ATTR_IPV6);
    DECODE(OVS_KEY_ATTR_ARP);

l4_check : {
    static const struct {
        unsigned int type; /* L4 attribute. */
        uint8_t proto;     /* IP protocol it needs. */
        uint16_t dl_type;  /* Ethertype it needs (0: v4 or v6). */
    } l4[] = {
        {OVS_KEY_ATTR_TCP, IPPROTO_TCP, 0},
        {OVS_KEY_ATTR_TCP_FLAGS, IPPROTO_TCP, 0},
        {OVS_KEY_ATTR_UDP, IPPROTO_UDP, 0},
        {OVS_KEY_ATTR_SCTP, IPPROTO_SCTP, 0},
        {OVS_KEY_ATTR_ICMP, IPPROTO_ICMP, ETH_TYPE_IP},
        {OVS_KEY_ATTR_ICMPV6, IPPROTO_ICMPV6, ETH_TYPE_IPV6},
        {OVS_KEY_ATTR_ND, IPPROTO_ICMPV6, ETH_TYPE_IPV6},
    };
    bool is_ip = kt[OVS_KEY_ATTR_IPV4] || kt[OVS_KEY_ATTR_IPV6];

    for (size_t i = 0; i < ARRAY_SIZE(l4); i++) {
        if (!kt[l4[i].type]) {
            continue;
        }
        if (!is_ip || f->nw_proto != l4[i].proto
            || (l4[i].dl_type && ntohs(f->dl_type) != l4[i].dl_type)
            || (f->nw_frag & FLOW_NW_FRAG_LATER)) {
            return odp_error(ctx->errorp,
                             "%s: does not match the L3 "
                             "header",
                             odp_key_attr_name(l4[i].type));
        }
        DECODE(l4[i].type);
    }
    if (kt[OVS_KEY_ATTR_ND]
        && !(kt[OVS_KEY_ATTR_ICMPV6] && f->tp_dst == 0
             && (f->tp_src == htons(135) || f->tp_src == htons(136)))) {
        return odp_error(ctx->errorp, "nd: not a neighbor solicitation "
                                      "or advertisement");
    }
}
#undef DECODE
    return 0;
}

int
odp_key_to_flow(const void *key, size_t key_size, const void *mask_attrs,
                size_t mask_size, struct flow *flow, struct flow *mask,
                char **errorp)
{
    struct decode_ctx ctx = {flow, mask, mask_attrs != NULL, errorp};
    void *kcopy, *mcopy = NULL;
    int error;

    if (errorp) {
        *errorp = NULL;
    }
    flow_zero(flow);
    if (mask) {
        flow_zero(mask);
    }
    /* Aligned private copies: the caller's bytes may sit anywhere. */
    kcopy = odp_copy(key, key_size);
    if (mask_attrs) {
        mcopy = odp_copy(mask_attrs, mask_size);
    }
    error = decode_level(&ctx, kcopy, key_size, mcopy, mask_size, 0);
    free(kcopy);
    free(mcopy);
    return error;
}
