/* SPDX-License-Identifier: Apache-2.0 */
/* tnl-vxlan: VXLAN ports of the userspace datapath (see tnl-vxlan.h). */

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/csum.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "tnl-vxlan.h"

VLOG_DEFINE_THIS_MODULE(tnl_vxlan);

COVERAGE_DEFINE(vxlan_rx_short);
COVERAGE_DEFINE(vxlan_rx_bad_flags);
COVERAGE_DEFINE(vxlan_rx_reserved);
COVERAGE_DEFINE(vxlan_rx_truncated);
COVERAGE_DEFINE(vxlan_rx_csum_completed);
COVERAGE_DEFINE(vxlan_tx_emsgsize);
COVERAGE_DEFINE(vxlan_tx_error);
COVERAGE_DEFINE(vxlan_rx_gro);
COVERAGE_DEFINE(vxlan_rx_gro_overflow);
COVERAGE_DEFINE(vxlan_tx_gso);

/* Linux's UDP GSO/GRO socket options (linux/udp.h), for older headers. */
#ifndef UDP_SEGMENT
#define UDP_SEGMENT 103
#endif
#ifndef UDP_GRO
#define UDP_GRO 104
#endif

#define ETH_HLEN 14
#define ETH_TYPE_IPV4 0x0800
#define ETH_TYPE_IPV6 0x86dd
#define ETH_TYPE_VLAN 0x8100
#define ETH_TYPE_QINQ 0x88a8
#define IPV6_HLEN 40
#define ICMP_HLEN 8
/* RFC 792 (as RFC 1812 4.3.2.3 reads it): an ICMP error fits 576 bytes. */
#define ICMP4_MAX_REPLY 576
/* RFC 4443 2.4(c): as much of the packet as fits the minimum IPv6 MTU. */
#define ICMP6_MAX_REPLY 1280
/* How long a route MTU stays cached, in milliseconds. */
#define MTU_CACHE_MSEC 1000
#define MTU_CACHE_SIZE 64

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

void
vxlan_header_put(uint8_t hdr[VXLAN_HLEN], uint32_t vni)
{
    hdr[0] = VXLAN_FLAG_I;
    hdr[1] = hdr[2] = hdr[3] = 0;
    hdr[4] = vni >> 16;
    hdr[5] = vni >> 8;
    hdr[6] = vni;
    hdr[7] = 0;
}

enum vxlan_rx_verdict
vxlan_header_parse(const uint8_t *data, size_t size, uint32_t *vni)
{
    if (size < VXLAN_HLEN + ETH_HLEN) {
        return VXLAN_RX_SHORT;
    }
    if (data[0] != VXLAN_FLAG_I) {
        return VXLAN_RX_BAD_FLAGS;
    }
    if (data[1] || data[2] || data[3] || data[7]) {
        return VXLAN_RX_RESERVED;
    }
    *vni = (uint32_t) data[4] << 16 | (uint32_t) data[5] << 8 | data[6];
    return VXLAN_RX_OK;
}

enum vxlan_rx_verdict
vxlan_decap(const uint8_t *dgram, size_t size, const struct vxlan_outer *outer,
            struct flow_tnl *tnl, size_t *inner_ofs)
{
    enum vxlan_rx_verdict v;
    uint32_t vni;

    v = vxlan_header_parse(dgram, size, &vni);
    if (v != VXLAN_RX_OK) {
        return v;
    }
    memset(tnl, 0, sizeof *tnl);
    tnl->tun_id = htobe64(vni);
    tnl->ip_src = outer->ip_src;
    tnl->ip_dst = outer->ip_dst;
    tnl->ipv6_src = outer->ipv6_src;
    tnl->ipv6_dst = outer->ipv6_dst;
    tnl->ip_tos = outer->tos;
    tnl->ip_ttl = outer->ttl;
    tnl->tp_src = outer->tp_src;
    tnl->tp_dst = outer->tp_dst;
    tnl->flags = FLOW_TNL_F_KEY;
    *inner_ofs = VXLAN_HLEN;
    return VXLAN_RX_OK;
}

size_t
vxlan_l3_size(const uint8_t *frame, size_t size, size_t *l3_ofs,
              uint16_t *eth_type)
{
    size_t ofs = 12;
    uint16_t type;

    for (;;) {
        if (size < ofs + 2) {
            return 0;
        }
        type = get16(frame + ofs);
        if ((type != ETH_TYPE_VLAN && type != ETH_TYPE_QINQ) || ofs > 16) {
            break;
        }
        ofs += 4;
    }
    ofs += 2;
    *l3_ofs = ofs;
    *eth_type = htons(type);
    return size - ofs;
}

/* Flow hash: 32-bit words mixed in one at a time, then finalized (the
 * multiply-xorshift finalizer of MurmurHash3, public domain). */
static uint32_t
hash_add(uint32_t h, uint32_t w)
{
    w *= 0xcc9e2d51;
    w = w << 15 | w >> 17;
    h ^= w * 0x1b873593;
    h = h << 13 | h >> 19;
    return h * 5 + 0xe6546b64;
}

static uint32_t
hash_bytes(uint32_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 4) {
        uint32_t w = 0;

        memcpy(&w, p + i, n - i < 4 ? n - i : 4);
        h = hash_add(h, w);
    }
    return h;
}

static uint32_t
hash_finish(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6b;
    h ^= h >> 13;
    h *= 0xc2b2ae35;
    return h ^ (h >> 16);
}

uint32_t
vxlan_flow_hash(const uint8_t *frame, size_t size)
{
    size_t l3, l4 = 0;
    const uint8_t *ip;
    uint16_t type;
    uint32_t h = 0;
    uint8_t proto = 0;

    h = hash_bytes(h, frame, size < 12 ? size : 12);
    if (!vxlan_l3_size(frame, size, &l3, &type)) {
        goto out;
    }
    ip = frame + l3;
    if (type == htons(ETH_TYPE_IPV4) && size - l3 >= 20 && ip[0] >> 4 == 4) {
        size_t ihl = (ip[0] & 0xf) * 4;

        proto = ip[9];
        h = hash_bytes(h, ip + 12, 8);
        /* A fragment's ports are not in every fragment: none then. */
        if (ihl >= 20 && !(get16(ip + 6) & (IP_MF | IP_OFFMASK))) {
            l4 = l3 + ihl;
        }
    } else if (type == htons(ETH_TYPE_IPV6) && size - l3 >= IPV6_HLEN
               && ip[0] >> 4 == 6) {
        proto = ip[6];
        h = hash_bytes(h, ip + 8, 32);
        l4 = l3 + IPV6_HLEN;
    } else {
        goto out;
    }
    h = hash_add(h, proto);
    if (l4 && (proto == IPPROTO_TCP || proto == IPPROTO_UDP)
        && size >= l4 + 4) {
        h = hash_bytes(h, frame + l4, 4);
    }
out:
    return hash_finish(h);
}

/* Copies the L2 header 'l3_ofs' bytes of 'frame' to 'out' with the
 * Ethernet addresses swapped. */
static void
put_l2_reply(uint8_t *out, const uint8_t *frame, size_t l3_ofs)
{
    memcpy(out, frame + 6, 6);
    memcpy(out + 6, frame, 6);
    memcpy(out + 12, frame + 12, l3_ofs - 12);
}

static bool
icmp4_is_error(uint8_t type)
{
    /* Unreachable, source quench, redirect, time exceeded, parameter
     * problem: never answered with an error (RFC 1122 3.2.2). */
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static size_t
too_big4(const uint8_t *frame, size_t size, size_t l3, uint32_t mtu,
         uint8_t *out, size_t out_size)
{
    const uint8_t *ip = frame + l3;
    size_t ihl, quote, total;
    uint8_t *oip, *icmp;
    uint16_t c;

    if (size - l3 < 20 || (ip[0] >> 4) != 4) {
        return 0;
    }
    ihl = (ip[0] & 0xf) * 4;
    if (ihl < 20 || size - l3 < ihl || !(get16(ip + 6) & IP_DF)) {
        return 0;
    }
    if (ip[9] == IPPROTO_ICMP && !(get16(ip + 6) & IP_OFFMASK)
        && (size - l3 < ihl + 1 || icmp4_is_error(ip[ihl]))) {
        return 0;
    }
    quote = size - l3;
    if (quote > ICMP4_MAX_REPLY - 20 - ICMP_HLEN) {
        quote = ICMP4_MAX_REPLY - 20 - ICMP_HLEN;
    }
    total = l3 + 20 + ICMP_HLEN + quote;
    if (total > out_size) {
        return 0;
    }
    put_l2_reply(out, frame, l3);
    oip = out + l3;
    oip[0] = 0x45;
    oip[1] = 0xc0; /* Internetwork control, as Linux sends ICMP errors. */
    put16(oip + 2, 20 + ICMP_HLEN + quote);
    put16(oip + 4, 0);
    put16(oip + 6, 0);
    oip[8] = 64;
    oip[9] = IPPROTO_ICMP;
    put16(oip + 10, 0);
    memcpy(oip + 12, ip + 16, 4); /* From the inner destination... */
    memcpy(oip + 16, ip + 12, 4); /* ...to the inner source. */
    c = csum(oip, 20);
    memcpy(oip + 10, &c, 2);
    icmp = oip + 20;
    icmp[0] = 3; /* Destination unreachable. */
    icmp[1] = 4; /* Fragmentation needed and DF set. */
    put16(icmp + 2, 0);
    put16(icmp + 4, 0);
    put16(icmp + 6, mtu > 0xffff ? 0xffff : mtu);
    memcpy(icmp + ICMP_HLEN, ip, quote);
    c = csum(icmp, ICMP_HLEN + quote);
    memcpy(icmp + 2, &c, 2);
    return total;
}

static size_t
too_big6(const uint8_t *frame, size_t size, size_t l3, uint32_t mtu,
         uint8_t *out, size_t out_size)
{
    const uint8_t *ip = frame + l3;
    size_t quote, total;
    uint8_t *oip, *icmp;
    uint16_t c;

    if (size - l3 < IPV6_HLEN || (ip[0] >> 4) != 6) {
        return 0;
    }
    /* No error about an ICMPv6 error (types below 128), RFC 4443 2.4(e). */
    if (ip[6] == IPPROTO_ICMPV6
        && (size - l3 < IPV6_HLEN + 1 || ip[IPV6_HLEN] < 128)) {
        return 0;
    }
    if (mtu < 1280) {
        mtu = 1280;
    }
    quote = size - l3;
    if (quote > ICMP6_MAX_REPLY - IPV6_HLEN - ICMP_HLEN) {
        quote = ICMP6_MAX_REPLY - IPV6_HLEN - ICMP_HLEN;
    }
    total = l3 + IPV6_HLEN + ICMP_HLEN + quote;
    if (total > out_size) {
        return 0;
    }
    put_l2_reply(out, frame, l3);
    oip = out + l3;
    oip[0] = 0x60;
    oip[1] = oip[2] = oip[3] = 0;
    put16(oip + 4, ICMP_HLEN + quote);
    oip[6] = IPPROTO_ICMPV6;
    oip[7] = 255;
    memcpy(oip + 8, ip + 24, 16);
    memcpy(oip + 24, ip + 8, 16);
    icmp = oip + IPV6_HLEN;
    icmp[0] = 2; /* Packet too big. */
    icmp[1] = 0;
    put16(icmp + 2, 0);
    icmp[4] = mtu >> 24;
    icmp[5] = mtu >> 16;
    icmp[6] = mtu >> 8;
    icmp[7] = mtu;
    memcpy(icmp + ICMP_HLEN, ip, quote);
    c = csum_fold(csum_partial(
        csum_pseudo_ipv6(oip + 8, oip + 24, IPPROTO_ICMPV6, ICMP_HLEN + quote),
        icmp, ICMP_HLEN + quote));
    memcpy(icmp + 2, &c, 2);
    return total;
}

size_t
vxlan_build_too_big(const uint8_t *frame, size_t size, uint32_t mtu,
                    uint8_t *out, size_t out_size)
{
    uint16_t type;
    size_t l3;

    if (!vxlan_l3_size(frame, size, &l3, &type)) {
        return 0;
    }
    if (type == htons(ETH_TYPE_IPV4)) {
        return too_big4(frame, size, l3, mtu, out, out_size);
    } else if (type == htons(ETH_TYPE_IPV6)) {
        return too_big6(frame, size, l3, mtu, out, out_size);
    }
    return 0;
}

/* Segmentation. */

/* The headers of a TCP super-segment, as vxlan_gso_segment() checks them. */
struct gso_hdrs {
    size_t l3;    /* Network header offset. */
    size_t l4;    /* TCP header offset. */
    size_t hlen;  /* All headers' bytes (the TCP options included). */
    size_t mss;   /* Payload bytes per segment. */
    uint32_t seq; /* The first segment's sequence number. */
    uint16_t id;  /* The first segment's IPv4 ID. */
    bool v4;      /* IPv4, else IPv6. */
};

/* Validates the super-segment 'frame' ('size' bytes) described by 'vnet'
 * and fills 'h'.  Returns 0 or EINVAL. */
static int
gso_parse(const uint8_t *frame, size_t size, const struct virtio_net_hdr *vnet,
          struct gso_hdrs *h)
{
    uint8_t gso_type = vnet->gso_type & ~VIRTIO_NET_HDR_GSO_ECN;
    uint16_t type;

    h->l4 = vnet->csum_start;
    h->mss = vnet->gso_size;
    h->v4 = gso_type == VIRTIO_NET_HDR_GSO_TCPV4;
    if ((!h->v4 && gso_type != VIRTIO_NET_HDR_GSO_TCPV6) || !h->mss
        || !vxlan_l3_size(frame, size, &h->l3, &type)
        || type != htons(h->v4 ? ETH_TYPE_IPV4 : ETH_TYPE_IPV6)
        || h->l4 < h->l3 + (h->v4 ? 20 : IPV6_HLEN) || h->l4 + 20 > size) {
        return EINVAL;
    }
    h->hlen = h->l4 + (frame[h->l4 + 12] >> 4) * 4;
    if (h->hlen < h->l4 + 20 || h->hlen > size) {
        return EINVAL;
    }
    h->id = h->v4 ? get16(frame + h->l3 + 4) : 0;
    h->seq = (uint32_t) frame[h->l4 + 4] << 24
             | (uint32_t) frame[h->l4 + 5] << 16
             | (uint32_t) frame[h->l4 + 6] << 8 | frame[h->l4 + 7];
    return 0;
}

/* The number of segments 'size' bytes of super-segment make. */
static size_t
gso_n_segs(const struct gso_hdrs *h, size_t size)
{
    size_t payload = size - h->hlen;

    return payload ? (payload + h->mss - 1) / h->mss : 1;
}

/* Writes segment 'i' of 'frame' (headers 'h', 'size' bytes in all) to
 * 'seg', which must have room for h->hlen + h->mss bytes, with its IPv4
 * length, ID and checksum, IPv6 payload length, TCP sequence number, flags
 * and checksum fixed up.  Returns the segment's size. */
static size_t
gso_put_seg(const uint8_t *frame, size_t size, const struct gso_hdrs *h,
            size_t i, uint8_t *seg)
{
    size_t ofs = h->hlen + i * h->mss;
    size_t n = size - ofs < h->mss ? size - ofs : h->mss;
    bool last = ofs + n >= size;
    size_t l3 = h->l3, l4 = h->l4, payload = h->hlen - l4 + n;
    uint8_t *ip = seg + l3, *tcp = seg + l4;
    uint32_t s = h->seq + (uint32_t) (ofs - h->hlen), sum;
    uint16_t c;

    memcpy(seg, frame, h->hlen);
    memcpy(seg + h->hlen, frame + ofs, n);
    if (h->v4) {
        put16(ip + 2, (uint16_t) (l4 - l3 + payload));
        put16(ip + 4, (uint16_t) (h->id + i));
        put16(ip + 10, 0);
        c = csum(ip, l4 - l3);
        memcpy(ip + 10, &c, 2);
    } else {
        put16(ip + 4, (uint16_t) (l4 - l3 - IPV6_HLEN + payload));
    }
    tcp[4] = s >> 24;
    tcp[5] = s >> 16;
    tcp[6] = s >> 8;
    tcp[7] = s;
    if (!last) {
        tcp[13] &= ~(TCP_FIN | TCP_PSH);
    }
    if (i) {
        tcp[13] &= ~TCP_CWR;
    }
    put16(tcp + 16, 0);
    if (h->v4) {
        uint32_t src, dst;

        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        sum = csum_pseudo_ipv4(src, dst, IPPROTO_TCP, payload);
    } else {
        sum = csum_pseudo_ipv6(ip + 8, ip + 24, IPPROTO_TCP, payload);
    }
    c = csum_fold(csum_partial(sum, tcp, payload));
    memcpy(tcp + 16, &c, 2);
    return h->hlen + n;
}

int
vxlan_gso_segment(const uint8_t *frame, size_t size,
                  const struct virtio_net_hdr *vnet,
                  void (*cb)(void *aux, uint8_t *seg, size_t seg_size),
                  void *aux)
{
    struct gso_hdrs h;
    size_t n_segs;
    uint8_t *seg;

    if (gso_parse(frame, size, vnet, &h)) {
        return EINVAL;
    }
    n_segs = gso_n_segs(&h, size);
    seg = xmalloc(h.hlen + h.mss);
    for (size_t i = 0; i < n_segs; i++) {
        cb(aux, seg, gso_put_seg(frame, size, &h, i, seg));
    }
    free(seg);
    return 0;
}

int
vxlan_gso_build(const uint8_t *frame, size_t size,
                const struct virtio_net_hdr *vnet, uint32_t vni,
                size_t max_dgram,
                void (*cb)(void *aux, uint8_t *buf, size_t buf_size,
                           size_t gso_size, unsigned int n_segs),
                void *aux)
{
    size_t n_segs, dgram, per_buf;
    struct gso_hdrs h;
    uint8_t *buf;

    if (gso_parse(frame, size, vnet, &h)) {
        return EINVAL;
    }
    dgram = VXLAN_HLEN + h.hlen + h.mss;
    if (dgram > max_dgram) {
        return EMSGSIZE;
    }
    per_buf = VXLAN_GSO_MAX_SIZE / dgram;
    if (per_buf > VXLAN_GSO_MAX_SEGS) {
        per_buf = VXLAN_GSO_MAX_SEGS;
    }
    if (per_buf < 2) {
        return EMSGSIZE;
    }
    n_segs = gso_n_segs(&h, size);
    buf = xmalloc(per_buf * dgram);
    for (size_t i = 0; i < n_segs; i += per_buf) {
        size_t n = n_segs - i < per_buf ? n_segs - i : per_buf, used = 0;

        for (size_t j = 0; j < n; j++) {
            uint8_t *d = buf + used;

            vxlan_header_put(d, vni);
            used += VXLAN_HLEN
                    + gso_put_seg(frame, size, &h, i + j, d + VXLAN_HLEN);
        }
        cb(aux, buf, used, dgram, (unsigned int) n);
    }
    free(buf);
    return 0;
}

unsigned int
vxlan_gro_split(size_t size, size_t gso_size, size_t *ofs, size_t *lens,
                unsigned int max)
{
    unsigned int n = 0;

    if (!gso_size || gso_size >= size) {
        if (max) {
            ofs[0] = 0;
            lens[0] = size;
            return 1;
        }
        return 0;
    }
    for (size_t o = 0; o < size && n < max; o += gso_size, n++) {
        ofs[n] = o;
        lens[n] = size - o < gso_size ? size - o : gso_size;
    }
    return n;
}

/* Coalescing. */

/* The TCP segment 'frame': header offsets, payload size; 0 if it is not a
 * plain (no IP options, no fragment, flags ACK or ACK|PSH) IPv4/IPv6 TCP
 * segment with payload and correct checksums. */
static size_t
coalesce_parse(const uint8_t *frame, size_t size, size_t *l3p, size_t *l4p,
               size_t *hlenp, bool *v4p)
{
    size_t l3, l4, hlen, l4_size;
    const uint8_t *ip;
    uint32_t pseudo;
    uint16_t type;

    if (!vxlan_l3_size(frame, size, &l3, &type)) {
        return 0;
    }
    ip = frame + l3;
    if (type == htons(ETH_TYPE_IPV4)) {
        uint32_t src, dst;

        if (size - l3 < 40 || ip[0] != 0x45 || ip[9] != IPPROTO_TCP
            || get16(ip + 6) & (IP_MF | IP_OFFMASK)
            || get16(ip + 2) != size - l3 || csum(ip, 20)) {
            return 0;
        }
        l4 = l3 + 20;
        l4_size = size - l4;
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        pseudo = csum_pseudo_ipv4(src, dst, IPPROTO_TCP, l4_size);
        *v4p = true;
    } else if (type == htons(ETH_TYPE_IPV6)) {
        if (size - l3 < IPV6_HLEN + 20 || (ip[0] >> 4) != 6
            || ip[6] != IPPROTO_TCP
            || get16(ip + 4) != size - l3 - IPV6_HLEN) {
            return 0;
        }
        l4 = l3 + IPV6_HLEN;
        l4_size = size - l4;
        pseudo = csum_pseudo_ipv6(ip + 8, ip + 24, IPPROTO_TCP, l4_size);
        *v4p = false;
    } else {
        return 0;
    }
    hlen = l4 + (frame[l4 + 12] >> 4) * 4;
    if (hlen < l4 + 20 || hlen >= size
        || (frame[l4 + 13] != TCP_ACK && frame[l4 + 13] != (TCP_ACK | TCP_PSH))
        || csum_fold(csum_partial(pseudo, frame + l4, l4_size))) {
        return 0;
    }
    *l3p = l3;
    *l4p = l4;
    *hlenp = hlen;
    return size - hlen;
}

static uint32_t
get32(const uint8_t *p)
{
    return (uint32_t) get16(p) << 16 | get16(p + 2);
}

bool
vxlan_coalesce_start(struct vxlan_coalesce *c, const uint8_t *frame,
                     size_t size)
{
    size_t n = coalesce_parse(frame, size, &c->l3, &c->l4, &c->hlen, &c->v4);

    if (!n || size > c->cap) {
        return false;
    }
    memcpy(c->buf, frame, size);
    c->size = size;
    c->mss = n;
    c->next_seq = get32(frame + c->l4 + 4) + (uint32_t) n;
    c->n_segs = 1;
    c->closed = (frame[c->l4 + 13] & TCP_PSH) != 0;
    return true;
}

bool
vxlan_coalesce_add(struct vxlan_coalesce *c, const uint8_t *frame, size_t size)
{
    const uint8_t *ip = frame + c->l3, *cip = c->buf + c->l3;
    const uint8_t *tcp = frame + c->l4, *ctcp = c->buf + c->l4;
    size_t l3, l4, hlen, n;
    bool v4;

    if (c->closed || c->n_segs >= VXLAN_GSO_MAX_SEGS) {
        return false;
    }
    n = coalesce_parse(frame, size, &l3, &l4, &hlen, &v4);
    if (!n || n > c->mss || l3 != c->l3 || l4 != c->l4 || hlen != c->hlen
        || v4 != c->v4 || c->size + n > c->cap
        || c->size + n - c->l3 > 0xffff + (v4 ? 0 : IPV6_HLEN)
        || get32(tcp + 4) != c->next_seq || memcmp(frame, c->buf, l3)) {
        return false;
    }
    if (v4) {
        /* TOS, DF, TTL, protocol, addresses. */
        if (ip[1] != cip[1] || ip[6] != cip[6] || ip[8] != cip[8]
            || memcmp(ip + 12, cip + 12, 8)) {
            return false;
        }
    } else if (memcmp(ip, cip, 4) || memcmp(ip + 6, cip + 6, 34)) {
        return false; /* Class, flow label, hop limit, addresses. */
    }
    /* Ports, ack, data offset, window, urgent pointer, options. */
    if (memcmp(tcp, ctcp, 4) || memcmp(tcp + 8, ctcp + 8, 5)
        || memcmp(tcp + 14, ctcp + 14, 2) || memcmp(tcp + 18, ctcp + 18, 2)
        || memcmp(tcp + 20, ctcp + 20, hlen - l4 - 20)) {
        return false;
    }
    memcpy(c->buf + c->size, frame + hlen, n);
    c->size += n;
    c->next_seq += (uint32_t) n;
    c->n_segs++;
    c->buf[c->l4 + 13] |= tcp[13];
    c->closed = n < c->mss || (tcp[13] & TCP_PSH);
    return true;
}

void
vxlan_coalesce_finish(struct vxlan_coalesce *c)
{
    uint8_t *ip = c->buf + c->l3, *tcp = c->buf + c->l4;
    size_t l4_size = c->size - c->l4;
    uint32_t pseudo;
    uint16_t sum;

    if (c->v4) {
        uint32_t src, dst;

        put16(ip + 2, (uint16_t) (c->size - c->l3));
        put16(ip + 10, 0);
        sum = csum(ip, 20);
        memcpy(ip + 10, &sum, 2);
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        pseudo = csum_pseudo_ipv4(src, dst, IPPROTO_TCP, l4_size);
    } else {
        put16(ip + 4, (uint16_t) (c->size - c->l3 - IPV6_HLEN));
        pseudo = csum_pseudo_ipv6(ip + 8, ip + 24, IPPROTO_TCP, l4_size);
    }
    sum = ~csum_fold(pseudo);
    memcpy(tcp + 16, &sum, 2);
    memset(&c->vnet, 0, sizeof c->vnet);
    c->vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    c->vnet.gso_type =
        c->v4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
    c->vnet.hdr_len = (uint16_t) c->hlen;
    c->vnet.gso_size = (uint16_t) c->mss;
    c->vnet.csum_start = (uint16_t) c->l4;
    c->vnet.csum_offset = 16;
}

int
vxlan_complete_csum(uint8_t *frame, size_t size,
                    const struct virtio_net_hdr *vnet)
{
    size_t start = vnet->csum_start, offset = vnet->csum_offset;
    uint16_t c;

    if (!(vnet->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)) {
        return 0;
    }
    if (start >= size || offset + 2 > size - start) {
        return EINVAL;
    }
    /* The field holds the pseudo-header sum already (that is what
     * NEEDS_CSUM hands over): sum from csum_start to the end. */
    c = csum_fold(csum_partial(0, frame + start, size - start));
    memcpy(frame + start + offset, &c, 2);
    return 0;
}

bool
vxlan_rx_complete_csum(uint8_t *frame, size_t size)
{
    size_t l3, l4, l4_size;
    uint16_t type, field, c;
    uint8_t proto, *ip;
    uint32_t pseudo;

    if (!vxlan_l3_size(frame, size, &l3, &type)) {
        return false;
    }
    ip = frame + l3;
    if (type == htons(ETH_TYPE_IPV4)) {
        uint32_t src, dst;
        size_t ihl, tot;

        if (size - l3 < 20 || (ip[0] >> 4) != 4) {
            return false;
        }
        ihl = (ip[0] & 0xf) * 4;
        tot = get16(ip + 2);
        if (ihl < 20 || tot < ihl || tot > size - l3
            || get16(ip + 6) & (IP_MF | IP_OFFMASK)) {
            return false;
        }
        proto = ip[9];
        l4 = l3 + ihl;
        l4_size = tot - ihl;
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        pseudo =
            l4_size > 0xffff ? 0 : csum_pseudo_ipv4(src, dst, proto, l4_size);
    } else if (type == htons(ETH_TYPE_IPV6)) {
        if (size - l3 < IPV6_HLEN || (ip[0] >> 4) != 6) {
            return false;
        }
        proto = ip[6];
        l4 = l3 + IPV6_HLEN;
        l4_size = get16(ip + 4);
        if (l4_size > size - l4) {
            return false;
        }
        pseudo = csum_pseudo_ipv6(ip + 8, ip + 24, proto, l4_size);
    } else {
        return false;
    }
    if (proto == IPPROTO_TCP && l4_size >= 20) {
        ip = frame + l4 + 16;
    } else if (proto == IPPROTO_UDP && l4_size >= 8) {
        ip = frame + l4 + 6;
    } else {
        return false;
    }
    memcpy(&field, ip, 2);
    if ((proto == IPPROTO_UDP && !field)
        || !csum_fold(csum_partial(pseudo, frame + l4, l4_size))) {
        return false; /* No checksum, or a correct one. */
    }
    c = ~csum_fold(pseudo);
    if (field != c) {
        return false; /* Wrong, and not a pseudo-header seed: leave it. */
    }
    memset(ip, 0, 2);
    c = csum_fold(csum_partial(pseudo, frame + l4, l4_size));
    if (proto == IPPROTO_UDP && !c) {
        c = 0xffff;
    }
    memcpy(ip, &c, 2);
    COVERAGE_INC(vxlan_rx_csum_completed);
    return true;
}

bool
vxlan_rx_gso(const uint8_t *frame, size_t size, uint32_t mtu,
             struct virtio_net_hdr *vnet)
{
    size_t l3, l4, thlen, l3_size;
    uint16_t type;
    const uint8_t *ip;
    bool v4;

    l3_size = vxlan_l3_size(frame, size, &l3, &type);
    if (l3_size <= mtu) {
        return false;
    }
    ip = frame + l3;
    v4 = type == htons(ETH_TYPE_IPV4);
    if (v4) {
        if (l3_size < 20 || (ip[0] >> 4) != 4 || ip[9] != IPPROTO_TCP
            || get16(ip + 6) & (IP_MF | IP_OFFMASK)) {
            return false;
        }
        l4 = l3 + (ip[0] & 0xf) * 4;
    } else if (type == htons(ETH_TYPE_IPV6)) {
        if (l3_size < IPV6_HLEN || (ip[0] >> 4) != 6 || ip[6] != IPPROTO_TCP) {
            return false;
        }
        l4 = l3 + IPV6_HLEN;
    } else {
        return false;
    }
    if (l4 + 20 > size) {
        return false;
    }
    thlen = (frame[l4 + 12] >> 4) * 4;
    if (thlen < 20 || l4 + thlen > size || l4 - l3 + thlen >= mtu) {
        return false;
    }
    memset(vnet, 0, sizeof *vnet);
    vnet->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    vnet->gso_type = v4 ? VIRTIO_NET_HDR_GSO_TCPV4 : VIRTIO_NET_HDR_GSO_TCPV6;
    vnet->hdr_len = l4 + thlen;
    vnet->gso_size = mtu - (l4 - l3) - thlen;
    vnet->csum_start = l4;
    vnet->csum_offset = 16;
    return true;
}

/* Route MTU. */

struct mtu_entry {
    vs_be32 dst;       /* Destination, 0 if the entry is free. */
    uint32_t mtu;      /* Its route's MTU. */
    long long expires; /* vs_time_msec() after which to ask again. */
};

struct mtu_entry6 {
    struct in6_addr dst; /* Destination, :: if the entry is free. */
    uint32_t mtu;        /* Its route's MTU. */
    long long expires;   /* vs_time_msec() after which to ask again. */
};

static __thread struct mtu_entry mtu_cache[MTU_CACHE_SIZE];
static __thread struct mtu_entry6 mtu_cache6[MTU_CACHE_SIZE];

/* The MTU a UDP socket of 'family' connected to 'sa' ('sa_len' bytes)
 * reports with getsockopt('level', 'name'), or 1500. */
static uint32_t
route_mtu_query(int family, const struct sockaddr *sa, socklen_t sa_len,
                int level, int name)
{
    int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    uint32_t mtu = 1500;
    int v;
    socklen_t len = sizeof v;

    if (fd < 0) {
        return mtu;
    }
    if (!connect(fd, sa, sa_len) && !getsockopt(fd, level, name, &v, &len)
        && v > 0) {
        mtu = v;
    }
    close(fd);
    return mtu;
}

uint32_t
vxlan_route_mtu(vs_be32 dst)
{
    struct mtu_entry *e = &mtu_cache[(ntohl(dst) * 2654435761u) >> 26];
    long long now = vs_time_msec();

    if (e->dst != dst || now >= e->expires) {
        struct sockaddr_in sin = {
            .sin_family = AF_INET,
            .sin_port = htons(VXLAN_DEFAULT_PORT),
            .sin_addr.s_addr = dst,
        };

        e->dst = dst;
        e->mtu = route_mtu_query(AF_INET, (struct sockaddr *) &sin, sizeof sin,
                                 IPPROTO_IP, IP_MTU);
        e->expires = now + MTU_CACHE_MSEC;
    }
    return e->mtu;
}

uint32_t
vxlan_route_mtu6(const struct in6_addr *dst)
{
    uint32_t w[4], h;
    struct mtu_entry6 *e;
    long long now = vs_time_msec();

    memcpy(w, dst, sizeof w);
    h = (w[0] ^ w[1] ^ w[2] ^ w[3]) * 2654435761u;
    e = &mtu_cache6[h >> 26];
    if (!IN6_ARE_ADDR_EQUAL(&e->dst, dst) || now >= e->expires) {
        struct sockaddr_in6 sin6 = {
            .sin6_family = AF_INET6,
            .sin6_port = htons(VXLAN_DEFAULT_PORT),
            .sin6_addr = *dst,
        };

        e->dst = *dst;
        e->mtu = route_mtu_query(AF_INET6, (struct sockaddr *) &sin6,
                                 sizeof sin6, IPPROTO_IPV6, IPV6_MTU);
        e->expires = now + MTU_CACHE_MSEC;
    }
    return e->mtu;
}

bool
vxlan_tnl_is_ipv6(const struct flow_tnl *tnl)
{
    return !tnl->ip_dst && !IN6_IS_ADDR_UNSPECIFIED(&tnl->ipv6_dst);
}

uint32_t
vxlan_tnl_route_mtu(const struct flow_tnl *tnl)
{
    return vxlan_tnl_is_ipv6(tnl) ? vxlan_route_mtu6(&tnl->ipv6_dst)
                                  : vxlan_route_mtu(tnl->ip_dst);
}

uint32_t
vxlan_encap_size(bool ipv6)
{
    return ipv6 ? VXLAN_IPV6_ENCAP_SIZE : VXLAN_IPV4_ENCAP_SIZE;
}

uint32_t
vxlan_inner_mtu(uint32_t route_mtu, bool ipv6, size_t l3_ofs)
{
    uint64_t over = (uint64_t) vxlan_encap_size(ipv6) + l3_ofs;

    return route_mtu > over ? (uint32_t) (route_mtu - over) : 0;
}

/* Sockets. */

struct vxlan_rx_slot {
    uint8_t *buf; /* VXLAN_RX_HEADROOM + VXLAN_RX_BUF_SIZE. */
    union {
        struct sockaddr_in sin;   /* Over IPv4. */
        struct sockaddr_in6 sin6; /* Over IPv6. */
    } from;                       /* Sender. */
    bool v6;                      /* From the IPv6 socket. */
    struct iovec iov;             /* Into 'buf'. */
    union {
        char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + 3 * CMSG_SPACE(4)];
        struct cmsghdr align;
    } control; /* IP(V6)_PKTINFO, IP_TOS/IPV6_TCLASS, IP_TTL/IPV6_HOPLIMIT,
                * UDP_GRO. */
};

_Static_assert(VXLAN_TX_N_CLS *VXLAN_TX_N_SPORTS <= 64,
               "vxlan_sock_send() has a bit per (class, send socket)");
_Static_assert((VXLAN_TX_N_SPORTS & (VXLAN_TX_N_SPORTS - 1)) == 0,
               "VXLAN_TX_N_SPORTS is a power of two");

struct vxlan_sock {
    int rx_fd;                                     /* 0.0.0.0:dst_port. */
    int rx6_fd;                                    /* [::]:dst_port, or -1. */
    int tx_fds[VXLAN_TX_N_CLS][VXLAN_TX_N_SPORTS]; /* [class][sport]. */
    uint16_t tx_sports[VXLAN_TX_N_SPORTS];    /* IPv4 source port by index. */
    unsigned int rx_turn;                     /* Whose recv goes first. */
    uint16_t port;                            /* dst_port (host order). */
    atomic_bool gso;                          /* UDP_SEGMENT works. */
    bool gro;                                 /* UDP_GRO is on. */
    struct vxlan_stats stats;                 /* Counters. */
    struct vxlan_rx_slot rx[VXLAN_MAX_BURST]; /* Receive buffers. */
    struct mmsghdr msgs[VXLAN_MAX_BURST];     /* recvmmsg() vector. */
};

static int
set_int(int fd, int level, int name, int v)
{
    return setsockopt(fd, level, name, &v, sizeof v) ? errno : 0;
}

/* Opens a send socket of class 'cls' in '*fdp'.  An IPv4 one is bound to
 * 0.0.0.0:'*sportp' (0: an ephemeral port, stored back in '*sportp') with
 * SO_REUSEPORT, so that the four IPv4 classes' sockets at one pool index
 * share a source port: a flow whose UDP GSO buffers leave from a
 * checksummed class and its other packets from its own keeps one port.
 * An IPv6 one (one class) gets its ephemeral port on its first send.
 * Nothing reads a send socket: its receive buffer is the smallest.
 * Returns 0 or an errno. */
static int
open_tx(int cls, uint16_t *sportp, int *fdp)
{
    int family = cls == VXLAN_TX_V6 ? AF_INET6 : AF_INET;
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int error;

    if (fd < 0) {
        return errno;
    }
    if (cls == VXLAN_TX_V6) {
        /* Never fragmented: a datagram over the path MTU is refused with
         * EMSGSIZE.  The kernel always computes the UDP checksum of an
         * IPv6 datagram (UDP_NO_CHECK6_TX is off by default). */
        error = set_int(fd, IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_DO);
        if (!error) {
            error = set_int(fd, IPPROTO_IPV6, IPV6_DONTFRAG, 1);
        }
    } else {
        error = set_int(fd, IPPROTO_IP, IP_MTU_DISCOVER,
                        cls & VXLAN_TX_DF ? IP_PMTUDISC_DO : IP_PMTUDISC_DONT);
        if (!error) {
            error =
                set_int(fd, SOL_SOCKET, SO_NO_CHECK, !(cls & VXLAN_TX_CSUM));
        }
        if (!error) {
            error = set_int(fd, SOL_SOCKET, SO_REUSEPORT, 1);
        }
        if (!error) {
            struct sockaddr_in sin = {
                .sin_family = AF_INET,
                .sin_port = htons(*sportp),
            };
            socklen_t len = sizeof sin;

            if (bind(fd, (struct sockaddr *) &sin, sizeof sin)
                || getsockname(fd, (struct sockaddr *) &sin, &len)) {
                error = errno;
            } else {
                *sportp = ntohs(sin.sin_port);
            }
        }
    }
    if (error) {
        close(fd);
        return error;
    }
    set_int(fd, SOL_SOCKET, SO_RCVBUF, 0);
    *fdp = fd;
    return 0;
}

/* Opens the send sockets at pool index 'j' of every class into 's', the
 * IPv6 one only if 's' has IPv6.  Returns 0 or an errno. */
static int
open_tx_pool_entry(struct vxlan_sock *s, int j)
{
    uint16_t sport;
    int error;

    /* An ephemeral port that no earlier index has (autobinding may hand
     * out a port our own SO_REUSEPORT sockets hold): a few tries. */
    for (int try = 0;; try++) {
        bool dup = false;

        sport = 0;
        error = open_tx(0, &sport, &s->tx_fds[0][j]);
        if (error) {
            return error;
        }
        for (int k = 0; k < j; k++) {
            dup |= s->tx_sports[k] == sport;
        }
        if (!dup || try == 3) {
            break;
        }
        close(s->tx_fds[0][j]);
        s->tx_fds[0][j] = -1;
    }
    s->tx_sports[j] = sport;
    for (int i = 1; i < VXLAN_TX_N_CLS; i++) {
        uint16_t none = 0;

        if (i == VXLAN_TX_V6 && s->rx6_fd < 0) {
            continue;
        }
        error =
            open_tx(i, i == VXLAN_TX_V6 ? &none : &sport, &s->tx_fds[i][j]);
        if (error) {
            return error;
        }
    }
    return 0;
}

/* Opens the IPv6 receive socket for 'port' in '*fdp': IPv6 only (the
 * IPv4 socket takes IPv4), with the local address, traffic class and hop
 * limit of each datagram.  Returns 0 or an errno. */
static int
open_rx6(uint16_t port, int *fdp)
{
    struct sockaddr_in6 sin6 = {
        .sin6_family = AF_INET6,
        .sin6_port = htons(port),
        .sin6_addr = IN6ADDR_ANY_INIT,
    };
    int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int error;

    if (fd < 0) {
        return errno;
    }
    if ((error = set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1))) {
        goto err_close;
    }
    if (bind(fd, (struct sockaddr *) &sin6, sizeof sin6)) {
        error = errno;
        goto err_close;
    }
    if ((error = set_int(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1))
        || (error = set_int(fd, IPPROTO_IPV6, IPV6_RECVTCLASS, 1))
        || (error = set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1))) {
        goto err_close;
    }
    *fdp = fd;
    return 0;

err_close:
    close(fd);
    return error;
}

int
vxlan_sock_open(uint16_t port, struct vxlan_sock **sockp)
{
    struct vxlan_sock *s = xzalloc(sizeof *s);
    struct sockaddr_in sin = {
        .sin_family = AF_INET,
        .sin_port = htons(port),
    };
    int error = 0;
    bool gso;

    s->port = port;
    s->rx6_fd = -1;
    for (int i = 0; i < VXLAN_TX_N_CLS; i++) {
        for (int j = 0; j < VXLAN_TX_N_SPORTS; j++) {
            s->tx_fds[i][j] = -1;
        }
    }
    s->rx_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->rx_fd < 0) {
        error = errno;
        goto err;
    }
    if (bind(s->rx_fd, (struct sockaddr *) &sin, sizeof sin)) {
        error = errno;
        goto err;
    }
    if ((error = set_int(s->rx_fd, IPPROTO_IP, IP_PKTINFO, 1))
        || (error = set_int(s->rx_fd, IPPROTO_IP, IP_RECVTOS, 1))
        || (error = set_int(s->rx_fd, IPPROTO_IP, IP_RECVTTL, 1))) {
        goto err;
    }
    set_int(s->rx_fd, SOL_SOCKET, SO_RCVBUF, 4 << 20);
    error = open_rx6(port, &s->rx6_fd);
    if (error == EAFNOSUPPORT) {
        VLOG_INFO("vxlan port %u: no IPv6 in the kernel, IPv4 only", port);
        s->rx6_fd = -1;
    } else if (error) {
        goto err;
    } else {
        set_int(s->rx6_fd, SOL_SOCKET, SO_RCVBUF, 4 << 20);
    }
    /* Both are optional: without them a datagram per segment. */
    s->gro = !set_int(s->rx_fd, SOL_UDP, UDP_GRO, 1)
             && (s->rx6_fd < 0 || !set_int(s->rx6_fd, SOL_UDP, UDP_GRO, 1));
    for (int j = 0; j < VXLAN_TX_N_SPORTS; j++) {
        error = open_tx_pool_entry(s, j);
        if (error) {
            goto err;
        }
    }
    /* Probed on every socket that can carry a UDP GSO buffer. */
    gso = true;
    for (int j = 0; j < VXLAN_TX_N_SPORTS; j++) {
        int fd6 = s->tx_fds[VXLAN_TX_V6][j];

        if (set_int(s->tx_fds[VXLAN_TX_CSUM][j], SOL_UDP, UDP_SEGMENT, 0)
            || set_int(s->tx_fds[VXLAN_TX_CSUM | VXLAN_TX_DF][j], SOL_UDP,
                       UDP_SEGMENT, 0)
            || (fd6 >= 0 && set_int(fd6, SOL_UDP, UDP_SEGMENT, 0))) {
            gso = false;
        }
    }
    atomic_init(&s->gso, gso);
    VLOG_DBG("vxlan port %u: IPv6 %s, UDP GSO %s, UDP GRO %s", port,
             s->rx6_fd >= 0 ? "on" : "off",
             vxlan_sock_has_gso(s) ? "on" : "off", s->gro ? "on" : "off");
    for (int i = 0; i < VXLAN_MAX_BURST; i++) {
        s->rx[i].buf = xmalloc(VXLAN_RX_HEADROOM + VXLAN_RX_BUF_SIZE);
    }
    *sockp = s;
    return 0;

err:
    vxlan_sock_close(s);
    return error;
}

void
vxlan_sock_close(struct vxlan_sock *s)
{
    if (!s) {
        return;
    }
    if (s->rx_fd >= 0) {
        close(s->rx_fd);
    }
    if (s->rx6_fd >= 0) {
        close(s->rx6_fd);
    }
    for (int i = 0; i < VXLAN_TX_N_CLS; i++) {
        for (int j = 0; j < VXLAN_TX_N_SPORTS; j++) {
            if (s->tx_fds[i][j] >= 0) {
                close(s->tx_fds[i][j]);
            }
        }
    }
    for (int i = 0; i < VXLAN_MAX_BURST; i++) {
        free(s->rx[i].buf);
    }
    free(s);
}

bool
vxlan_sock_has_gso(const struct vxlan_sock *s)
{
    return atomic_load_explicit(&((struct vxlan_sock *) s)->gso,
                                memory_order_relaxed);
}

int
vxlan_sock_fd(const struct vxlan_sock *s)
{
    return s->rx_fd;
}

int
vxlan_sock_fd6(const struct vxlan_sock *s)
{
    return s->rx6_fd;
}

uint16_t
vxlan_sock_port(const struct vxlan_sock *s)
{
    return s->port;
}

struct vxlan_stats *
vxlan_sock_stats(struct vxlan_sock *s)
{
    return &s->stats;
}

static void
stat_add(atomic_uint_fast64_t *c, uint64_t n)
{
    if (n) {
        atomic_fetch_add_explicit(c, n, memory_order_relaxed);
    }
}

static void
count_rx_error(enum vxlan_rx_verdict v)
{
    switch (v) {
    case VXLAN_RX_SHORT:
        COVERAGE_INC(vxlan_rx_short);
        break;
    case VXLAN_RX_BAD_FLAGS:
        COVERAGE_INC(vxlan_rx_bad_flags);
        break;
    case VXLAN_RX_RESERVED:
        COVERAGE_INC(vxlan_rx_reserved);
        break;
    case VXLAN_RX_TRUNCATED:
        COVERAGE_INC(vxlan_rx_truncated);
        break;
    case VXLAN_RX_OK:
        break;
    }
}

/* Fills 'outer' from the control messages of 'msg'. */
static void
read_cmsgs(struct msghdr *msg, struct vxlan_outer *outer, size_t *gso_size)
{
    *gso_size = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_UDP && c->cmsg_type == UDP_GRO
            && c->cmsg_len >= CMSG_LEN(sizeof(int))) {
            int gso;

            memcpy(&gso, CMSG_DATA(c), sizeof gso);
            *gso_size = gso > 0 ? (size_t) gso : 0;
            continue;
        }
        if (c->cmsg_level == IPPROTO_IPV6) {
            int v;

            if (c->cmsg_type == IPV6_PKTINFO
                && c->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
                struct in6_pktinfo pi;

                memcpy(&pi, CMSG_DATA(c), sizeof pi);
                outer->ipv6_dst = pi.ipi6_addr;
            } else if ((c->cmsg_type == IPV6_TCLASS
                        || c->cmsg_type == IPV6_HOPLIMIT)
                       && c->cmsg_len >= CMSG_LEN(sizeof v)) {
                memcpy(&v, CMSG_DATA(c), sizeof v);
                if (c->cmsg_type == IPV6_TCLASS) {
                    outer->tos = (uint8_t) v;
                } else {
                    outer->ttl = (uint8_t) v;
                }
            }
            continue;
        }
        if (c->cmsg_level != IPPROTO_IP) {
            continue;
        }
        if (c->cmsg_type == IP_PKTINFO
            && c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
            struct in_pktinfo pi;

            memcpy(&pi, CMSG_DATA(c), sizeof pi);
            outer->ip_dst = pi.ipi_addr.s_addr;
        } else if (c->cmsg_type == IP_TOS && c->cmsg_len >= CMSG_LEN(1)) {
            outer->tos = *(uint8_t *) CMSG_DATA(c);
        } else if (c->cmsg_type == IP_TTL && c->cmsg_len >= CMSG_LEN(1)) {
            int ttl;

            memcpy(&ttl, CMSG_DATA(c), sizeof ttl);
            outer->ttl = ttl;
        }
    }
}

/* Receives into the message vector 's->msgs': up to VXLAN_MAX_BURST
 * messages in all from the sockets in 'which' (VXLAN_RX_*), with both the
 * one whose turn it is first.  Returns how many were received, or -1 with
 * '*errorp' set if none (EAGAIN: nothing waiting). */
static int
recv_some(struct vxlan_sock *s, unsigned int which, int *errorp)
{
    int fds[2] = {
        which & VXLAN_RX_V4 ? s->rx_fd : -1,
        which & VXLAN_RX_V6 ? s->rx6_fd : -1,
    };
    int first = fds[0] >= 0 && fds[1] >= 0 ? (int) (s->rx_turn++ & 1) : 0;
    int n = 0;

    *errorp = EAGAIN;
    for (int k = 0; k < 2 && n < VXLAN_MAX_BURST; k++) {
        int i = first ^ k, r;

        if (fds[i] < 0) {
            continue;
        }
        r = recvmmsg(fds[i], s->msgs + n, VXLAN_MAX_BURST - n, MSG_DONTWAIT,
                     NULL);
        if (r < 0) {
            if (errno != EWOULDBLOCK && errno != EAGAIN) {
                *errorp = errno;
            }
            continue;
        }
        for (int j = n; j < n + r; j++) {
            s->rx[j].v6 = i == 1;
        }
        n += r;
    }
    return n ? n : -1;
}

int
vxlan_sock_recv(struct vxlan_sock *s, unsigned int which,
                struct vxlan_rx_batch *batch)
{
    uint64_t n_bytes = 0, n_errors = 0;
    int n, error;

    for (int i = 0; i < VXLAN_MAX_BURST; i++) {
        struct vxlan_rx_slot *r = &s->rx[i];
        struct msghdr *m = &s->msgs[i].msg_hdr;

        r->iov.iov_base = r->buf + VXLAN_RX_HEADROOM - VXLAN_HLEN;
        r->iov.iov_len = VXLAN_RX_BUF_SIZE;
        memset(m, 0, sizeof *m);
        m->msg_name = &r->from;
        m->msg_namelen = sizeof r->from;
        m->msg_iov = &r->iov;
        m->msg_iovlen = 1;
        m->msg_control = r->control.buf;
        m->msg_controllen = sizeof r->control.buf;
    }
    n = recv_some(s, which, &error);
    if (n < 0) {
        return error;
    }
    batch->n = 0;
    for (int i = 0; i < n; i++) {
        struct vxlan_rx_slot *r = &s->rx[i];
        struct msghdr *m = &s->msgs[i].msg_hdr;
        struct vxlan_outer outer = {.tp_dst = htons(s->port)};
        size_t ofs[VXLAN_GSO_MAX_SEGS], lens[VXLAN_GSO_MAX_SEGS], gso_size;
        size_t room = VXLAN_RX_MAX_FRAMES - batch->n;
        unsigned int n_dgrams;
        uint32_t mtu = 0;
        bool have_mtu = false;

        if (r->v6) {
            outer.ipv6_src = r->from.sin6.sin6_addr;
            outer.tp_src = r->from.sin6.sin6_port;
        } else {
            outer.ip_src = r->from.sin.sin_addr.s_addr;
            outer.tp_src = r->from.sin.sin_port;
        }
        read_cmsgs(m, &outer, &gso_size);
        if (m->msg_flags & MSG_TRUNC) {
            count_rx_error(VXLAN_RX_TRUNCATED);
            n_errors++;
            continue;
        }
        n_dgrams =
            vxlan_gro_split(s->msgs[i].msg_len, gso_size, ofs, lens,
                            room < VXLAN_GSO_MAX_SEGS ? (unsigned int) room
                                                      : VXLAN_GSO_MAX_SEGS);
        if (n_dgrams > 1) {
            COVERAGE_INC(vxlan_rx_gro);
        }
        if (gso_size
            && (!n_dgrams
                || ofs[n_dgrams - 1] + lens[n_dgrams - 1]
                       < s->msgs[i].msg_len)) {
            /* More datagrams than the kernel's GRO limit or the batch's
             * room: the rest are lost. */
            COVERAGE_INC(vxlan_rx_gro_overflow);
            n_errors++;
        }
        for (unsigned int d = 0; d < n_dgrams; d++) {
            struct vxlan_rx_frame *f = &batch->frames[batch->n];
            uint8_t *dgram = (uint8_t *) r->iov.iov_base + ofs[d];
            enum vxlan_rx_verdict v;
            size_t inner;

            v = vxlan_decap(dgram, lens[d], &outer, &f->tnl, &inner);
            if (v != VXLAN_RX_OK) {
                count_rx_error(v);
                n_errors++;
                continue;
            }
            f->data = dgram + inner;
            f->size = lens[d] - inner;
            f->headroom = d ? VXLAN_HLEN : VXLAN_RX_HEADROOM;
            if (!have_mtu) {
                mtu = vxlan_inner_mtu(r->v6 ? vxlan_route_mtu6(&outer.ipv6_src)
                                            : vxlan_route_mtu(outer.ip_src),
                                      r->v6, ETH_HLEN);
                have_mtu = true;
            }
            f->has_vnet = vxlan_rx_gso(f->data, f->size, mtu, &f->vnet);
            if (!f->has_vnet) {
                vxlan_rx_complete_csum(f->data, f->size);
            }
            n_bytes += f->size;
            batch->n++;
        }
    }
    stat_add(&s->stats.rx_packets, batch->n);
    stat_add(&s->stats.rx_bytes, n_bytes);
    stat_add(&s->stats.rx_errors, n_errors);
    return 0;
}

/* Queues a copy of the 'size' bytes at 'frame' as vxlan_tx_queue() does,
 * but for the send socket, and returns the slot. */
static struct vxlan_tx_slot *
tx_queue(struct vxlan_tx_batch *batch, const uint8_t *frame, size_t size,
         const struct flow_tnl *tnl)
{
    struct vxlan_tx_slot *s = &batch->slots[batch->n++];

    if (s->cap < size) {
        free(s->buf);
        s->cap = size < 2048 ? 2048 : size;
        s->buf = xmalloc(s->cap);
    }
    memcpy(s->buf, frame, size);
    s->size = size;
    vxlan_header_put(s->hdr, (uint32_t) be64toh(tnl->tun_id));
    s->tos = tnl->ip_tos;
    s->ttl = tnl->ip_ttl;
    if (vxlan_tnl_is_ipv6(tnl)) {
        s->dst = s->src = 0;
        s->dst6 = tnl->ipv6_dst;
        s->src6 = tnl->ipv6_src;
        s->cls = VXLAN_TX_V6;
    } else {
        s->dst = tnl->ip_dst;
        s->src = tnl->ip_src;
        memset(&s->dst6, 0, sizeof s->dst6);
        memset(&s->src6, 0, sizeof s->src6);
        s->cls = (tnl->flags & FLOW_TNL_F_DONT_FRAGMENT ? VXLAN_TX_DF : 0)
                 | (tnl->flags & FLOW_TNL_F_CSUM ? VXLAN_TX_CSUM : 0);
    }
    s->gso_size = 0;
    s->n_segs = 1;
    return s;
}

void
vxlan_tx_queue(struct vxlan_tx_batch *batch, const uint8_t *frame, size_t size,
               const struct flow_tnl *tnl)
{
    struct vxlan_tx_slot *s = tx_queue(batch, frame, size, tnl);

    s->sport = vxlan_flow_hash(frame, size) % VXLAN_TX_N_SPORTS;
}

void
vxlan_tx_queue_gso(struct vxlan_tx_batch *batch, const uint8_t *buf,
                   size_t size, size_t gso_size, unsigned int n_segs,
                   const struct flow_tnl *tnl)
{
    struct vxlan_tx_slot *s;

    s = tx_queue(batch, buf, size, tnl);
    /* The first segment's inner frame, past its VXLAN header. */
    s->sport = vxlan_flow_hash(size > VXLAN_HLEN ? buf + VXLAN_HLEN : buf,
                               size > VXLAN_HLEN ? size - VXLAN_HLEN : 0)
               % VXLAN_TX_N_SPORTS;
    if (s->cls != VXLAN_TX_V6) {
        s->cls |= VXLAN_TX_CSUM; /* IPv6 has one anyway. */
    }
    s->gso_size = (uint16_t) gso_size;
    s->n_segs = (uint16_t) n_segs;
}

struct tx_msg {
    union {
        struct sockaddr_in sin;   /* Over IPv4. */
        struct sockaddr_in6 sin6; /* Over IPv6. */
    } to;                         /* Remote VTEP. */
    struct iovec iov[2];          /* Header, frame (or one GSO buffer). */
    union {
        char buf[VXLAN_TX_CMSG_SPACE];
        struct cmsghdr align;
    } control; /* See vxlan_tx_put_cmsgs(). */
};

/* Writes one control message at 'c' of 'm' (whose control buffer has the
 * room), adds its space to '*clen' and returns where the next goes. */
static struct cmsghdr *
put_cmsg(struct msghdr *m, struct cmsghdr *c, int level, int type,
         const void *data, size_t len, size_t *clen)
{
    c->cmsg_level = level;
    c->cmsg_type = type;
    c->cmsg_len = CMSG_LEN(len);
    memcpy(CMSG_DATA(c), data, len);
    *clen += CMSG_SPACE(len);
    return CMSG_NXTHDR(m, c);
}

void
vxlan_tx_put_cmsgs(struct msghdr *m, const struct vxlan_tx_slot *sl)
{
    bool v6 = sl->cls == VXLAN_TX_V6;
    struct cmsghdr *c;
    size_t clen = 0;

    m->msg_controllen = VXLAN_TX_CMSG_SPACE;
    memset(m->msg_control, 0, VXLAN_TX_CMSG_SPACE);
    c = CMSG_FIRSTHDR(m);
    if (v6 && !IN6_IS_ADDR_UNSPECIFIED(&sl->src6)) {
        struct in6_pktinfo pi = {.ipi6_addr = sl->src6};

        c = put_cmsg(m, c, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof pi, &clen);
    } else if (!v6 && sl->src) {
        struct in_pktinfo pi = {.ipi_spec_dst.s_addr = sl->src};

        c = put_cmsg(m, c, IPPROTO_IP, IP_PKTINFO, &pi, sizeof pi, &clen);
    }
    if (sl->ttl) {
        int ttl = sl->ttl;

        c = put_cmsg(m, c, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
                     v6 ? IPV6_HOPLIMIT : IP_TTL, &ttl, sizeof ttl, &clen);
    }
    if (sl->tos) {
        int tos = sl->tos;

        c = put_cmsg(m, c, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
                     v6 ? IPV6_TCLASS : IP_TOS, &tos, sizeof tos, &clen);
    }
    if (sl->gso_size) {
        uint16_t gso = sl->gso_size;

        put_cmsg(m, c, SOL_UDP, UDP_SEGMENT, &gso, sizeof gso, &clen);
    }
    m->msg_controllen = clen;
    if (!clen) {
        m->msg_control = NULL;
    }
}

/* Sends the 'n' messages 'msgs' on 'fd' (one socket of a class's pool);
 * counts. */
static unsigned int
send_class(struct vxlan_sock *s, int fd, struct mmsghdr *msgs, unsigned int n,
           uint64_t *n_sent, uint64_t *n_bytes, const size_t *sizes,
           const uint16_t *segs)
{
    unsigned int n_too_big = 0, i = 0;
    uint64_t n_failed = 0;

    if (fd < 0) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

        /* IPv6 traffic on a port opened without IPv6. */
        COVERAGE_INC(vxlan_tx_error);
        VLOG_WARN_RL(&rl, "vxlan port %u: no IPv6 socket", s->port);
        for (; i < n; i++) {
            n_failed += segs[i];
        }
    }
    while (i < n) {
        int r = sendmmsg(fd, msgs + i, n - i, MSG_DONTWAIT);

        if (r > 0) {
            for (int j = 0; j < r; j++) {
                *n_bytes += sizes[i + j];
                *n_sent += segs[i + j];
            }
            i += r;
            continue;
        }
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0 && errno == EMSGSIZE) {
            COVERAGE_INC(vxlan_tx_emsgsize);
            n_too_big += segs[i];
        } else {
            static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
            int error = r < 0 ? errno : EIO;

            COVERAGE_INC(vxlan_tx_error);
            VLOG_WARN_RL(&rl, "vxlan port %u: send: %s", s->port,
                         vs_strerror(error));
            if (msgs[i].msg_hdr.msg_iovlen == 1 && error == EIO
                && vxlan_sock_has_gso(s)) {
                /* A UDP GSO buffer (the only one-iovec message) that the
                 * route cannot take (Linux says EIO for IPsec and UDP-Lite):
                 * segment in software from now on. */
                VLOG_WARN("vxlan port %u: UDP GSO send failed (%s), "
                          "disabled",
                          s->port, vs_strerror(error));
                atomic_store_explicit(&s->gso, false, memory_order_relaxed);
            }
            n_failed += segs[i];
        }
        i++; /* Skip the message the socket refused. */
    }
    stat_add(&s->stats.tx_dropped, n_too_big);
    stat_add(&s->stats.tx_errors, n_failed);
    return n_too_big;
}

unsigned int
vxlan_sock_send(struct vxlan_sock *s, struct vxlan_tx_batch *batch)
{
    struct tx_msg tm[VXLAN_MAX_BURST];
    struct mmsghdr msgs[VXLAN_MAX_BURST];
    size_t sizes[VXLAN_MAX_BURST];
    uint16_t segs[VXLAN_MAX_BURST];
    uint64_t n_sent = 0, n_bytes = 0;
    unsigned int n_too_big = 0;

    uint64_t pending = 0; /* Bit cls * VXLAN_TX_N_SPORTS + sport. */

    for (unsigned int i = 0; i < batch->n; i++) {
        const struct vxlan_tx_slot *sl = &batch->slots[i];

        pending |= UINT64_C(1) << (sl->cls * VXLAN_TX_N_SPORTS + sl->sport);
    }
    while (pending) {
        int key = __builtin_ctzll(pending);
        int cls = key / VXLAN_TX_N_SPORTS, sport = key % VXLAN_TX_N_SPORTS;
        unsigned int n = 0;

        pending &= pending - 1;

        for (unsigned int i = 0; i < batch->n; i++) {
            struct vxlan_tx_slot *sl = &batch->slots[i];
            struct tx_msg *t = &tm[n];
            struct msghdr *m = &msgs[n].msg_hdr;

            if (sl->cls != cls || sl->sport != sport) {
                continue;
            }
            memset(t, 0, sizeof *t);
            memset(&msgs[n], 0, sizeof msgs[n]);
            if (cls == VXLAN_TX_V6) {
                t->to.sin6.sin6_family = AF_INET6;
                t->to.sin6.sin6_port = htons(s->port);
                t->to.sin6.sin6_addr = sl->dst6;
                m->msg_namelen = sizeof t->to.sin6;
            } else {
                t->to.sin.sin_family = AF_INET;
                t->to.sin.sin_port = htons(s->port);
                t->to.sin.sin_addr.s_addr = sl->dst;
                m->msg_namelen = sizeof t->to.sin;
            }
            if (sl->gso_size) {
                /* The buffer holds the VXLAN headers. */
                t->iov[0].iov_base = sl->buf;
                t->iov[0].iov_len = sl->size;
                m->msg_iovlen = 1;
            } else {
                t->iov[0].iov_base = sl->hdr;
                t->iov[0].iov_len = VXLAN_HLEN;
                t->iov[1].iov_base = sl->buf;
                t->iov[1].iov_len = sl->size;
                m->msg_iovlen = 2;
            }
            m->msg_name = &t->to;
            m->msg_iov = t->iov;
            m->msg_control = t->control.buf;
            vxlan_tx_put_cmsgs(m, sl);
            if (sl->gso_size) {
                COVERAGE_INC(vxlan_tx_gso);
            }
            sizes[n] = sl->size - (sl->gso_size ? sl->n_segs * VXLAN_HLEN : 0);
            segs[n] = sl->n_segs;
            n++;
        }
        if (n) {
            n_too_big += send_class(s, s->tx_fds[cls][sport], msgs, n, &n_sent,
                                    &n_bytes, sizes, segs);
        }
    }
    stat_add(&s->stats.tx_packets, n_sent);
    stat_add(&s->stats.tx_bytes, n_bytes);
    batch->n = 0;
    return n_too_big;
}

void
vxlan_tx_batch_destroy(struct vxlan_tx_batch *batch)
{
    if (!batch) {
        return;
    }
    for (int i = 0; i < VXLAN_MAX_BURST; i++) {
        free(batch->slots[i].buf);
    }
    free(batch);
}
