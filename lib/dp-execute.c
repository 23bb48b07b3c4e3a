/* SPDX-License-Identifier: Apache-2.0 */
/* dp-execute: action execution for the userspace datapath (see
 * dp-execute.h). */

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/csum.h"
#include "vswitch/hash.h"
#include "vswitch/odp.h"
#include "vswitch/util.h"
#include "dp-execute.h"
#include "odp-private.h"

/* Iterates 'A' over the attributes of the 'SIZE' bytes at 'DATA'. */
#define ATTR_FOR_EACH(A, DATA, SIZE)                                          \
    for ((A) = (const struct nlattr *) (DATA);                                \
         mnl_attr_ok((A), (int) ((const char *) (DATA) + (SIZE)               \
                                 - (const char *) (A)));                      \
         (A) = mnl_attr_next(A))

/* Headroom of packet copies. */
#define DP_PKT_COPY_HEADROOM 128

void
dp_pkt_clone(const struct dp_pkt *src, struct dp_pkt *dst)
{
    *dst = *src;
    dst->owned = xmalloc(DP_PKT_COPY_HEADROOM + src->size);
    dst->data = dst->owned + DP_PKT_COPY_HEADROOM;
    dst->headroom = DP_PKT_COPY_HEADROOM;
    memcpy(dst->data, src->data, src->size);
}

void
dp_pkt_uninit(struct dp_pkt *pkt)
{
    if (pkt) {
        free(pkt->owned);
        pkt->owned = NULL;
    }
}

/* Makes sure 'pkt' has 'n' bytes of headroom. */
static void
ensure_headroom(struct dp_pkt *pkt, uint32_t n)
{
    if (pkt->headroom < n) {
        struct dp_pkt copy;

        dp_pkt_clone(pkt, &copy);
        free(pkt->owned);
        *pkt = copy;
    }
}

/* Checksums. */

/* Updates the L4 checksum at 'p' for a change of a pseudo-header field
 * from 'old' to 'new' ('size' 4 or 16 bytes).  With a partial checksum
 * (the sender left it to hardware), the field holds the uncomplemented
 * pseudo-header sum. */
static void
l4_csum_update(uint8_t *p, const void *old, const void *new, size_t size,
               bool partial, bool udp)
{
    uint16_t c;

    memcpy(&c, p, 2);
    if (udp && !c && !partial) {
        return; /* No UDP checksum. */
    }
    if (partial) {
        c = ~c;
    }
    if (size == 4) {
        uint32_t o, n;

        memcpy(&o, old, 4);
        memcpy(&n, new, 4);
        c = csum_update32(c, o, n);
    } else {
        c = csum_update128(c, old, new);
    }
    if (partial) {
        c = ~c;
    } else if (udp && !c) {
        c = 0xffff;
    }
    memcpy(p, &c, 2);
}

static void
l4_csum_update16(uint8_t *p, uint16_t old, uint16_t new, bool udp)
{
    uint16_t c;

    memcpy(&c, p, 2);
    if (udp && !c) {
        return;
    }
    c = csum_update16(c, old, new);
    if (udp && !c) {
        c = 0xffff;
    }
    memcpy(p, &c, 2);
}

/* Where the packet's L3 and L4 headers are, and its flow. */
struct layers {
    struct flow flow;        /* Extracted flow. */
    struct flow_offsets ofs; /* Offsets. */
};

static void
get_layers(const struct dp_pkt *pkt, struct layers *l)
{
    flow_extract(pkt->data, pkt->size, &pkt->md, &l->flow, &l->ofs);
}

static bool
partial_csum(const struct dp_pkt *pkt)
{
    return pkt->has_vnet && (pkt->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM);
}

/* Pointer to the L4 checksum of 'pkt' or NULL (no L4, later fragment,
 * truncated). */
static uint8_t *
l4_csum_ptr(struct dp_pkt *pkt, const struct layers *l, bool *udp)
{
    uint32_t at;

    if (l->ofs.l4 == UINT16_MAX || (l->flow.nw_frag & FLOW_NW_FRAG_LATER)) {
        return NULL;
    }
    if (l->flow.nw_proto == IPPROTO_TCP) {
        at = l->ofs.l4 + 16;
        *udp = false;
    } else if (l->flow.nw_proto == IPPROTO_ICMPV6
               && l->flow.dl_type == htons(ETH_TYPE_IPV6)) {
        at = l->ofs.l4 + 2; /* ICMPv6 sums the pseudo-header too. */
        *udp = false;
    } else if (l->flow.nw_proto == IPPROTO_UDP) {
        at = l->ofs.l4 + 6;
        *udp = true;
    } else {
        return NULL;
    }
    return at + 2 <= pkt->size ? pkt->data + at : NULL;
}

/* Masked assignment of 'n' bytes: dst = (dst & ~mask) | (val & mask). */
static void
masked_set(uint8_t *dst, const uint8_t *val, const uint8_t *mask, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = (dst[i] & ~mask[i]) | (val[i] & mask[i]);
    }
}

static void
set_ethernet(struct dp_pkt *pkt, const struct ovs_key_ethernet *k,
             const struct ovs_key_ethernet *m)
{
    if (pkt->size < 14) {
        return;
    }
    masked_set(pkt->data, k->eth_dst, m->eth_dst, 6);
    masked_set(pkt->data + 6, k->eth_src, m->eth_src, 6);
}

/* Rewrites a 32-bit IPv4 address at 'field', fixing both checksums. */
static void
set_ipv4_addr(struct dp_pkt *pkt, uint8_t *ip, uint8_t *field, uint32_t value,
              uint32_t mask, uint8_t *l4c, bool udp)
{
    uint32_t old, new;
    uint16_t c;

    memcpy(&old, field, 4);
    new = (old & ~mask) | (value & mask);
    if (new == old) {
        return;
    }
    memcpy(&c, ip + 10, 2);
    c = csum_update32(c, old, new);
    memcpy(ip + 10, &c, 2);
    if (l4c) {
        l4_csum_update(l4c, &old, &new, 4, partial_csum(pkt), udp);
    }
    memcpy(field, &new, 4);
}

/* Rewrites byte 'idx' of the IPv4 header, fixing the header checksum. */
static void
set_ipv4_byte(uint8_t *ip, int idx, uint8_t value, uint8_t mask)
{
    uint8_t old = ip[idx], new = (old & ~mask) | (value & mask);
    uint16_t oldw, neww, c;
    int w = idx & ~1;

    if (old == new) {
        return;
    }
    memcpy(&oldw, ip + w, 2);
    ip[idx] = new;
    memcpy(&neww, ip + w, 2);
    memcpy(&c, ip + 10, 2);
    c = csum_update16(c, oldw, neww);
    memcpy(ip + 10, &c, 2);
}

static void
set_ipv4(struct dp_pkt *pkt, const struct ovs_key_ipv4 *k,
         const struct ovs_key_ipv4 *m)
{
    struct layers l;
    uint8_t *ip, *l4c;
    bool udp = false;

    get_layers(pkt, &l);
    if (l.flow.dl_type != htons(ETH_TYPE_IP) || l.ofs.l3 == UINT16_MAX
        || l.ofs.l3 + 20u > pkt->size) {
        return;
    }
    ip = pkt->data + l.ofs.l3;
    l4c = l4_csum_ptr(pkt, &l, &udp);
    set_ipv4_addr(pkt, ip, ip + 12, k->ipv4_src, m->ipv4_src, l4c, udp);
    set_ipv4_addr(pkt, ip, ip + 16, k->ipv4_dst, m->ipv4_dst, l4c, udp);
    set_ipv4_byte(ip, 1, k->ipv4_tos, m->ipv4_tos);
    set_ipv4_byte(ip, 8, k->ipv4_ttl, m->ipv4_ttl);
}

static void
set_ipv6_addr(struct dp_pkt *pkt, uint8_t *field, const void *value,
              const void *mask, uint8_t *l4c, bool udp)
{
    uint8_t new[16];

    memcpy(new, field, 16);
    masked_set(new, value, mask, 16);
    if (!memcmp(new, field, 16)) {
        return;
    }
    if (l4c) {
        l4_csum_update(l4c, field, new, 16, partial_csum(pkt), udp);
    }
    memcpy(field, new, 16);
}

static void
set_ipv6(struct dp_pkt *pkt, const struct ovs_key_ipv6 *k,
         const struct ovs_key_ipv6 *m)
{
    struct layers l;
    uint8_t *ip, *l4c;
    bool udp = false;
    uint32_t vtcfl, label, lmask;

    get_layers(pkt, &l);
    if (l.flow.dl_type != htons(ETH_TYPE_IPV6) || l.ofs.l3 == UINT16_MAX
        || l.ofs.l3 + 40u > pkt->size) {
        return;
    }
    ip = pkt->data + l.ofs.l3;
    l4c = l4_csum_ptr(pkt, &l, &udp);
    set_ipv6_addr(pkt, ip + 8, k->ipv6_src, m->ipv6_src, l4c, udp);
    set_ipv6_addr(pkt, ip + 24, k->ipv6_dst, m->ipv6_dst, l4c, udp);
    /* Version(4) | traffic class(8) | flow label(20). */
    memcpy(&vtcfl, ip, 4);
    vtcfl = ntohl(vtcfl);
    label = ntohl(k->ipv6_label) & 0xfffff;
    lmask = ntohl(m->ipv6_label) & 0xfffff;
    vtcfl = (vtcfl & ~lmask) | (label & lmask);
    vtcfl = (vtcfl & ~((uint32_t) m->ipv6_tclass << 20))
            | ((uint32_t) (k->ipv6_tclass & m->ipv6_tclass) << 20);
    vtcfl = htonl(vtcfl);
    memcpy(ip, &vtcfl, 4);
    ip[7] = (ip[7] & ~m->ipv6_hlimit) | (k->ipv6_hlimit & m->ipv6_hlimit);
}

/* TCP and UDP ports: the first four bytes of both headers. */
static void
set_ports(struct dp_pkt *pkt, uint8_t proto, const uint16_t k[2],
          const uint16_t m[2])
{
    struct layers l;
    uint8_t *l4, *l4c;
    bool udp = false;

    get_layers(pkt, &l);
    if (l.flow.nw_proto != proto || l.ofs.l4 == UINT16_MAX
        || (l.flow.nw_frag & FLOW_NW_FRAG_LATER)
        || l.ofs.l4 + (proto == IPPROTO_TCP ? 20u : 8u) > pkt->size) {
        return;
    }
    l4 = pkt->data + l.ofs.l4;
    l4c = l4_csum_ptr(pkt, &l, &udp);
    for (int i = 0; i < 2; i++) {
        uint16_t old, new;

        memcpy(&old, l4 + 2 * i, 2);
        new = (old & ~m[i]) | (k[i] & m[i]);
        if (old != new) {
            /* A partial checksum covers the ports in hardware. */
            if (l4c && !partial_csum(pkt)) {
                l4_csum_update16(l4c, old, new, udp);
            }
            memcpy(l4 + 2 * i, &new, 2);
        }
    }
}

/* ICMP and ICMPv6 type and code: the first two bytes, summed by the
 * checksum at bytes 2-3. */
static void
set_icmp(struct dp_pkt *pkt, uint8_t proto, const uint8_t k[2],
         const uint8_t m[2])
{
    struct layers l;
    uint16_t old, new, c;
    uint8_t *icmp;

    get_layers(pkt, &l);
    if (l.flow.nw_proto != proto || l.ofs.l4 == UINT16_MAX
        || (l.flow.nw_frag & FLOW_NW_FRAG_LATER)
        || l.ofs.l4 + 4u > pkt->size) {
        return;
    }
    icmp = pkt->data + l.ofs.l4;
    memcpy(&old, icmp, 2);
    icmp[0] = (icmp[0] & ~m[0]) | (k[0] & m[0]);
    icmp[1] = (icmp[1] & ~m[1]) | (k[1] & m[1]);
    memcpy(&new, icmp, 2);
    if (old != new && !partial_csum(pkt)) {
        memcpy(&c, icmp + 2, 2);
        c = csum_update16(c, old, new);
        memcpy(icmp + 2, &c, 2);
    }
}

/* Applies set (mask all ones) or set_masked (value then mask). */
static void
execute_set(struct dp_pkt *pkt, const struct nlattr *a, bool masked)
{
    const struct nlattr *inner = mnl_attr_get_payload(a);
    size_t len = mnl_attr_get_payload_len(inner);
    const uint8_t *k = mnl_attr_get_payload(inner);
    uint8_t ones[64];
    const uint8_t *m;

    if (mnl_attr_get_type(inner) == OVS_KEY_ATTR_TUNNEL) {
        /* set(tunnel(...)): the metadata an output to a tunnel port
         * encapsulates with (checked at put time; set only). */
        if (!masked
            && odp_parse_tunnel(k, len, &pkt->md.tunnel, false, NULL)) {
            memset(&pkt->md.tunnel, 0, sizeof pkt->md.tunnel);
        }
        return;
    }
    if (masked) {
        len /= 2;
        m = k + len;
    } else {
        memset(ones, 0xff, sizeof ones);
        m = ones;
        if (len > sizeof ones) {
            return;
        }
    }
    switch (mnl_attr_get_type(inner)) {
    case OVS_KEY_ATTR_PRIORITY: {
        uint32_t v, mk;

        memcpy(&v, k, 4);
        memcpy(&mk, m, 4);
        pkt->md.skb_priority = (pkt->md.skb_priority & ~mk) | (v & mk);
        break;
    }
    case OVS_KEY_ATTR_SKB_MARK: {
        uint32_t v, mk;

        memcpy(&v, k, 4);
        memcpy(&mk, m, 4);
        pkt->md.skb_mark = (pkt->md.skb_mark & ~mk) | (v & mk);
        break;
    }
    case OVS_KEY_ATTR_ETHERNET: {
        struct ovs_key_ethernet kk, mm;

        memcpy(&kk, k, sizeof kk);
        memcpy(&mm, m, sizeof mm);
        set_ethernet(pkt, &kk, &mm);
        break;
    }
    case OVS_KEY_ATTR_IPV4: {
        struct ovs_key_ipv4 kk, mm;

        memcpy(&kk, k, sizeof kk);
        memcpy(&mm, m, sizeof mm);
        set_ipv4(pkt, &kk, &mm);
        break;
    }
    case OVS_KEY_ATTR_IPV6: {
        struct ovs_key_ipv6 kk, mm;

        memcpy(&kk, k, sizeof kk);
        memcpy(&mm, m, sizeof mm);
        set_ipv6(pkt, &kk, &mm);
        break;
    }
    case OVS_KEY_ATTR_TCP:
    case OVS_KEY_ATTR_UDP: {
        uint16_t kk[2], mm[2];

        memcpy(kk, k, 4);
        memcpy(mm, m, 4);
        set_ports(pkt,
                  mnl_attr_get_type(inner) == OVS_KEY_ATTR_TCP ? IPPROTO_TCP
                                                               : IPPROTO_UDP,
                  kk, mm);
        break;
    }
    case OVS_KEY_ATTR_ICMP:
        set_icmp(pkt, IPPROTO_ICMP, k, m);
        break;
    case OVS_KEY_ATTR_ICMPV6:
        set_icmp(pkt, IPPROTO_ICMPV6, k, m);
        break;
    default:
        break; /* Rejected at put time. */
    }
}

static void
push_vlan(struct dp_pkt *pkt, const struct ovs_action_push_vlan *v)
{
    uint16_t tci = v->vlan_tci & ~htons(VLAN_CFI);

    if (pkt->size < 12) {
        return;
    }
    ensure_headroom(pkt, 4);
    memmove(pkt->data - 4, pkt->data, 12);
    pkt->data -= 4;
    pkt->headroom -= 4;
    pkt->size += 4;
    memcpy(pkt->data + 12, &v->vlan_tpid, 2);
    memcpy(pkt->data + 14, &tci, 2);
    if (partial_csum(pkt)) {
        pkt->vnet.csum_start += 4;
    }
}

static void
pop_vlan(struct dp_pkt *pkt)
{
    uint16_t tpid;

    if (pkt->size < 18) {
        return;
    }
    memcpy(&tpid, pkt->data + 12, 2);
    if (tpid != htons(ETH_TYPE_VLAN) && tpid != htons(ETH_TYPE_VLAN_8021AD)) {
        return;
    }
    memmove(pkt->data + 4, pkt->data, 12);
    pkt->data += 4;
    pkt->headroom += 4;
    pkt->size -= 4;
    if (partial_csum(pkt) && pkt->vnet.csum_start >= 4) {
        pkt->vnet.csum_start -= 4;
    }
}

static void
execute_hash(struct dp_pkt *pkt, const struct ovs_action_hash *h)
{
    struct layers l;
    uint64_t words[6];
    uint32_t hash;

    get_layers(pkt, &l);
    memcpy(words, &l.flow.ipv6_src, 32);
    words[4] = ((uint64_t) l.flow.nw_src << 32) | l.flow.nw_dst;
    words[5] = ((uint64_t) l.flow.tp_src << 24)
               | ((uint64_t) l.flow.tp_dst << 8) | l.flow.nw_proto;
    if (h->hash_alg == 1 /* OVS_HASH_ALG_SYM_L4 */) {
        /* Symmetric: both directions hash alike. */
        for (int i = 0; i < 2; i++) {
            uint64_t a = words[i], b = words[i + 2];

            words[i] = a ^ b;
            words[i + 2] = 0;
        }
        words[4] = (uint64_t) (l.flow.nw_src ^ l.flow.nw_dst);
        words[5] = ((uint64_t) (l.flow.tp_src ^ l.flow.tp_dst) << 8)
                   | l.flow.nw_proto;
    }
    hash = hash_words64(words, 6, h->hash_basis);
    pkt->md.dp_hash = hash ? hash : 1;
}

static uint32_t
random_u32(void)
{
    static __thread uint64_t state;

    if (!state) {
        state = (uint64_t) vs_time_usec() | 1;
    }
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

/* Runs nested 'actions' on a copy of 'pkt'. */
static void
execute_on_copy(const struct dp_pkt *pkt, const void *actions, size_t size,
                const struct dp_exec_ops *ops, void *aux)
{
    struct dp_pkt copy;

    dp_pkt_clone(pkt, &copy);
    dp_execute_actions(&copy, actions, size, ops, aux);
    dp_pkt_uninit(&copy);
}

static void
execute_sample(struct dp_pkt *pkt, const struct nlattr *a,
               const struct dp_exec_ops *ops, void *aux)
{
    const struct nlattr *inner;
    const void *actions = NULL;
    size_t actions_size = 0;
    uint32_t prob = UINT32_MAX;

    mnl_attr_for_each_nested(inner, a)
    {
        if (mnl_attr_get_type(inner) == OVS_SAMPLE_ATTR_PROBABILITY) {
            prob = mnl_attr_get_u32(inner);
        } else if (mnl_attr_get_type(inner) == OVS_SAMPLE_ATTR_ACTIONS) {
            actions = mnl_attr_get_payload(inner);
            actions_size = mnl_attr_get_payload_len(inner);
        }
    }
    if (!prob || (prob != UINT32_MAX && random_u32() > prob)) {
        return;
    }
    execute_on_copy(pkt, actions, actions_size, ops, aux);
}

void
dp_execute_actions(struct dp_pkt *pkt, const void *actions, size_t size,
                   const struct dp_exec_ops *ops, void *aux)
{
    const struct nlattr *a;

    ATTR_FOR_EACH(a, actions, size)
    {
        const struct nlattr *next;
        bool last;

        next = mnl_attr_next(a);
        last = (const char *) next >= (const char *) actions + size;
        switch (mnl_attr_get_type(a)) {
        case OVS_ACTION_ATTR_OUTPUT:
            ops->output(aux, pkt, mnl_attr_get_u32(a), last);
            pkt->cutlen = 0;
            break;
        case OVS_ACTION_ATTR_USERSPACE:
            ops->userspace(aux, pkt, mnl_attr_get_payload(a),
                           mnl_attr_get_payload_len(a));
            break;
        case OVS_ACTION_ATTR_SET:
            execute_set(pkt, a, false);
            break;
        case OVS_ACTION_ATTR_SET_MASKED:
            execute_set(pkt, a, true);
            break;
        case OVS_ACTION_ATTR_PUSH_VLAN: {
            struct ovs_action_push_vlan v;

            memcpy(&v, mnl_attr_get_payload(a), sizeof v);
            push_vlan(pkt, &v);
            break;
        }
        case OVS_ACTION_ATTR_POP_VLAN:
            pop_vlan(pkt);
            break;
        case OVS_ACTION_ATTR_SAMPLE:
            execute_sample(pkt, a, ops, aux);
            break;
        case OVS_ACTION_ATTR_CLONE:
            execute_on_copy(pkt, mnl_attr_get_payload(a),
                            mnl_attr_get_payload_len(a), ops, aux);
            break;
        case OVS_ACTION_ATTR_RECIRC: {
            struct dp_pkt copy;

            if (last) {
                copy = *pkt;
                pkt->owned = NULL;
                if (!copy.owned) {
                    dp_pkt_clone(pkt, &copy);
                }
            } else {
                dp_pkt_clone(pkt, &copy);
            }
            copy.md.recirc_id = mnl_attr_get_u32(a);
            ops->recirc(aux, &copy);
            break;
        }
        case OVS_ACTION_ATTR_HASH: {
            struct ovs_action_hash h;

            memcpy(&h, mnl_attr_get_payload(a), sizeof h);
            execute_hash(pkt, &h);
            break;
        }
        case OVS_ACTION_ATTR_TRUNC:
            pkt->cutlen = mnl_attr_get_u32(a);
            break;
        default:
            /* ct_clear: no connection tracking state to clear. */
            break;
        }
    }
}

static int dp_actions_check__(const void *actions, size_t size, int depth,
                              char **errorp);

static int
check_set(const struct nlattr *a, bool masked, char **errorp)
{
    const struct nlattr *inner = mnl_attr_get_payload(a);
    unsigned int type = mnl_attr_get_type(inner);

    switch (type) {
    case OVS_KEY_ATTR_TUNNEL: {
        struct flow_tnl tnl;
        int error;

        if (masked) {
            return odp_error(errorp, "set_masked(tunnel): use set(tunnel)");
        }
        error = odp_parse_tunnel(mnl_attr_get_payload(inner),
                                 mnl_attr_get_payload_len(inner), &tnl, false,
                                 errorp);
        if (error) {
            return error;
        }
        if (!tnl.ip_dst && IN6_IS_ADDR_UNSPECIFIED(&tnl.ipv6_dst)) {
            return odp_error(errorp, "set(tunnel): the netdev datapath "
                                     "needs an IPv4 or IPv6 dst");
        }
        return 0;
    }
    case OVS_KEY_ATTR_PRIORITY:
    case OVS_KEY_ATTR_SKB_MARK:
    case OVS_KEY_ATTR_ETHERNET:
    case OVS_KEY_ATTR_IPV4:
    case OVS_KEY_ATTR_IPV6:
    case OVS_KEY_ATTR_TCP:
    case OVS_KEY_ATTR_UDP:
    case OVS_KEY_ATTR_ICMP:
    case OVS_KEY_ATTR_ICMPV6:
        return 0;
    default:
        return odp_error(
            errorp, "%s(%s): not supported by the netdev datapath",
            masked ? "set_masked" : "set",
            odp_key_attr_name(type) ? odp_key_attr_name(type) : "?");
    }
}

static int
dp_actions_check__(const void *actions, size_t size, int depth, char **errorp)
{
    const struct nlattr *a;

    if (depth > 4) {
        return odp_error(errorp, "actions nested too deeply");
    }
    ATTR_FOR_EACH(a, actions, size)
    {
        int error = 0;

        switch (mnl_attr_get_type(a)) {
        case OVS_ACTION_ATTR_SET:
            error = check_set(a, false, errorp);
            break;
        case OVS_ACTION_ATTR_SET_MASKED:
            error = check_set(a, true, errorp);
            break;
        case OVS_ACTION_ATTR_HASH: {
            struct ovs_action_hash h;

            memcpy(&h, mnl_attr_get_payload(a), sizeof h);
            if (h.hash_alg != OVS_HASH_ALG_L4
                && h.hash_alg != 1 /* SYM_L4 */) {
                error = odp_error(errorp, "hash: unknown algorithm %u",
                                  h.hash_alg);
            }
            break;
        }
        case OVS_ACTION_ATTR_SAMPLE: {
            const struct nlattr *inner;

            mnl_attr_for_each_nested(inner, a)
            {
                if (mnl_attr_get_type(inner) == OVS_SAMPLE_ATTR_ACTIONS) {
                    error = dp_actions_check__(mnl_attr_get_payload(inner),
                                               mnl_attr_get_payload_len(inner),
                                               depth + 1, errorp);
                }
            }
            break;
        }
        case OVS_ACTION_ATTR_CLONE:
            error = dp_actions_check__(mnl_attr_get_payload(a),
                                       mnl_attr_get_payload_len(a), depth + 1,
                                       errorp);
            break;
        default:
            break;
        }
        if (error) {
            return error;
        }
    }
    return 0;
}

int
dp_actions_check(const void *actions, size_t size, char **errorp)
{
    return dp_actions_check__(actions, size, 0, errorp);
}
