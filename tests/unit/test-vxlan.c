/* SPDX-License-Identifier: Apache-2.0 */
/* tnl-vxlan: header build/parse, malformed headers, decapsulation into
 * tunnel metadata, the ICMP/ICMPv6 "too big" replies, software GSO, the
 * receive-side checksum and GSO fix-ups, the inner-flow hash that picks a
 * send socket, and loopback round trips through the sockets (no root
 * needed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vswitch/buf.h"
#include "vswitch/csum.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/netdev.h"
#include "vswitch/odp.h"
#include "dummy-wait.h"
#include "../../lib/tnl-vxlan.h"

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};

static uint16_t
rd16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

static void
wr16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

/* An Ethernet + IPv4 frame of 'l3_size' network bytes, protocol 'proto',
 * with 'df'; L4 bytes are a counting pattern. */
static size_t
make_ipv4(uint8_t *f, size_t l3_size, uint8_t proto, bool df)
{
    uint8_t *ip = f + 14;
    uint16_t c;

    memcpy(f, mac_b, 6);
    memcpy(f + 6, mac_a, 6);
    wr16(f + 12, 0x0800);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    wr16(ip + 2, l3_size);
    wr16(ip + 4, 0x1234);
    wr16(ip + 6, df ? 0x4000 : 0);
    ip[8] = 64;
    ip[9] = proto;
    memcpy(ip + 12, (uint8_t[]){10, 0, 0, 1}, 4);
    memcpy(ip + 16, (uint8_t[]){10, 0, 0, 2}, 4);
    for (size_t i = 20; i < l3_size; i++) {
        ip[i] = i;
    }
    c = csum(ip, 20);
    memcpy(ip + 10, &c, 2);
    return 14 + l3_size;
}

static void
test_header(void **state)
{
    uint8_t d[8 + 14] = {0};
    uint32_t vni = 0;

    vxlan_header_put(d, 42);
    assert_memory_equal(d, ((uint8_t[]){8, 0, 0, 0, 0, 0, 42, 0}), 8);
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni), VXLAN_RX_OK);
    assert_int_equal(vni, 42);
    vxlan_header_put(d, 0xffffff);
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni), VXLAN_RX_OK);
    assert_int_equal(vni, 0xffffff);
    vxlan_header_put(d, 0x1abcdef); /* Only 24 bits. */
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni), VXLAN_RX_OK);
    assert_int_equal(vni, 0xabcdef);
}

static void
test_malformed(void **state)
{
    uint8_t d[8 + 14] = {0};
    uint32_t vni;

    vxlan_header_put(d, 7);
    assert_int_equal(vxlan_header_parse(d, 8, &vni), VXLAN_RX_SHORT);
    assert_int_equal(vxlan_header_parse(d, sizeof d - 1, &vni),
                     VXLAN_RX_SHORT);
    d[0] = 0;
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni),
                     VXLAN_RX_BAD_FLAGS);
    d[0] = 0x0c; /* I plus the GPE "P" bit. */
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni),
                     VXLAN_RX_BAD_FLAGS);
    d[0] = 0x88; /* GBP's G bit. */
    assert_int_equal(vxlan_header_parse(d, sizeof d, &vni),
                     VXLAN_RX_BAD_FLAGS);
    for (int i = 1; i < 8; i++) {
        if (i >= 4 && i <= 6) {
            continue;
        }
        vxlan_header_put(d, 7);
        d[i] = 1;
        assert_int_equal(vxlan_header_parse(d, sizeof d, &vni),
                         VXLAN_RX_RESERVED);
    }
}

static void
test_decap(void **state)
{
    uint8_t d[8 + 60];
    struct vxlan_outer outer = {
        .ip_src = htonl(0xc0a85d02),
        .ip_dst = htonl(0xc0a85d01),
        .tp_src = htons(40000),
        .tp_dst = htons(4789),
        .tos = 0x10,
        .ttl = 61,
    };
    struct flow_tnl tnl;
    size_t ofs = 0;

    vxlan_header_put(d, 42);
    make_ipv4(d + 8, 46, 17, false);
    assert_int_equal(vxlan_decap(d, sizeof d, &outer, &tnl, &ofs),
                     VXLAN_RX_OK);
    assert_int_equal(ofs, 8);
    assert_true(tnl.tun_id == htobe64(42));
    assert_int_equal(tnl.ip_src, htonl(0xc0a85d02));
    assert_int_equal(tnl.ip_dst, htonl(0xc0a85d01));
    assert_int_equal(tnl.tp_src, htons(40000));
    assert_int_equal(tnl.tp_dst, htons(4789));
    assert_int_equal(tnl.ip_tos, 0x10);
    assert_int_equal(tnl.ip_ttl, 61);
    assert_int_equal(tnl.flags, FLOW_TNL_F_KEY);
    d[3] = 1;
    assert_int_equal(vxlan_decap(d, sizeof d, &outer, &tnl, &ofs),
                     VXLAN_RX_RESERVED);
}

/* Over an IPv6 underlay the outer addresses land in ipv6_src/ipv6_dst,
 * hop limit and traffic class in ttl/tos, and the IPv4 ones stay 0. */
static void
test_decap_ipv6(void **state)
{
    uint8_t d[8 + 60];
    struct vxlan_outer outer = {
        .tp_src = htons(40001),
        .tp_dst = htons(4789),
        .tos = 0x20,
        .ttl = 63,
    };
    struct in6_addr src, dst;
    struct flow_tnl tnl;
    size_t ofs = 0;

    (void) state;
    assert_int_equal(inet_pton(AF_INET6, "fd77::2", &src), 1);
    assert_int_equal(inet_pton(AF_INET6, "fd77::1", &dst), 1);
    outer.ipv6_src = src;
    outer.ipv6_dst = dst;
    vxlan_header_put(d, 100);
    make_ipv4(d + 8, 46, 17, false);
    assert_int_equal(vxlan_decap(d, sizeof d, &outer, &tnl, &ofs),
                     VXLAN_RX_OK);
    assert_int_equal(ofs, 8);
    assert_true(tnl.tun_id == htobe64(100));
    assert_memory_equal(&tnl.ipv6_src, &src, sizeof src);
    assert_memory_equal(&tnl.ipv6_dst, &dst, sizeof dst);
    assert_int_equal(tnl.ip_src, 0);
    assert_int_equal(tnl.ip_dst, 0);
    assert_int_equal(tnl.ip_tos, 0x20);
    assert_int_equal(tnl.ip_ttl, 63);
    assert_int_equal(tnl.tp_src, htons(40001));
    assert_int_equal(tnl.flags, FLOW_TNL_F_KEY);
}

static void
test_frag_needed(void **state)
{
    uint8_t f[1600], out[1400];
    size_t n = make_ipv4(f, 1500, 1, true), r;
    uint8_t *ip = out + 14, *icmp = ip + 20;

    f[14 + 20] = 8; /* Echo request. */
    r = vxlan_build_too_big(f, n, 1450, out, sizeof out);
    assert_int_equal(r, 14 + 576);
    assert_memory_equal(out, mac_a, 6);
    assert_memory_equal(out + 6, mac_b, 6);
    assert_int_equal(rd16(out + 12), 0x0800);
    assert_int_equal(ip[0], 0x45);
    assert_int_equal(rd16(ip + 2), 576);
    assert_int_equal(ip[9], 1);
    assert_memory_equal(ip + 12, f + 14 + 16, 4); /* From inner dst. */
    assert_memory_equal(ip + 16, f + 14 + 12, 4); /* To inner src. */
    assert_int_equal(csum(ip, 20), 0);
    assert_int_equal(icmp[0], 3);
    assert_int_equal(icmp[1], 4);
    assert_int_equal(rd16(icmp + 6), 1450);
    assert_memory_equal(icmp + 8, f + 14, 548);
    assert_int_equal(csum(icmp, 576 - 20), 0);

    /* Small quote: the whole packet. */
    n = make_ipv4(f, 100, 17, true);
    r = vxlan_build_too_big(f, n, 1450, out, sizeof out);
    assert_int_equal(r, 14 + 20 + 8 + 100);
    assert_int_equal(csum(out + 34, 108), 0);

    /* No DF: nothing to answer (the caller drops). */
    n = make_ipv4(f, 1500, 17, false);
    assert_int_equal(vxlan_build_too_big(f, n, 1450, out, sizeof out), 0);
    /* An ICMP error is never answered with one. */
    n = make_ipv4(f, 1500, 1, true);
    f[14 + 20] = 3;
    assert_int_equal(vxlan_build_too_big(f, n, 1450, out, sizeof out), 0);
    /* Not IP. */
    wr16(f + 12, 0x0806);
    assert_int_equal(vxlan_build_too_big(f, n, 1450, out, sizeof out), 0);
    /* Runt. */
    n = make_ipv4(f, 1500, 17, true);
    assert_int_equal(vxlan_build_too_big(f, 20, 1450, out, sizeof out), 0);
    /* Output too small. */
    assert_int_equal(vxlan_build_too_big(f, n, 1450, out, 100), 0);
}

static void
test_packet_too_big6(void **state)
{
    uint8_t f[1600] = {0}, out[1400];
    uint8_t *ip = f + 14, *oip = out + 14, *icmp = oip + 40;
    size_t r, quote = 1280 - 48;

    memcpy(f, mac_b, 6);
    memcpy(f + 6, mac_a, 6);
    wr16(f + 12, 0x86dd);
    ip[0] = 0x60;
    wr16(ip + 4, 1460);
    ip[6] = 17;
    ip[7] = 64;
    ip[8] = 0xfd;
    ip[23] = 1;
    ip[24] = 0xfd;
    ip[39] = 2;
    r = vxlan_build_too_big(f, 14 + 1500, 1450, out, sizeof out);
    assert_int_equal(r, 14 + 1280);
    assert_memory_equal(out, mac_a, 6);
    assert_int_equal(rd16(out + 12), 0x86dd);
    assert_int_equal(oip[6], 58);
    assert_memory_equal(oip + 8, ip + 24, 16);
    assert_memory_equal(oip + 24, ip + 8, 16);
    assert_int_equal(rd16(oip + 4), 8 + quote);
    assert_int_equal(icmp[0], 2);
    assert_int_equal(icmp[1], 0);
    assert_int_equal(rd16(icmp + 4) << 16 | rd16(icmp + 6), 1450);
    assert_int_equal(csum_fold(csum_partial(
                         csum_pseudo_ipv6(oip + 8, oip + 24, 58, 8 + quote),
                         icmp, 8 + quote)),
                     0);
}

struct segs {
    int n;                /* Segments seen. */
    size_t sizes[8];      /* Their sizes. */
    uint8_t data[8][200]; /* Their first bytes. */
};

static void
collect(void *aux, uint8_t *seg, size_t size)
{
    struct segs *s = aux;
    uint8_t *ip = seg + 14, *tcp = ip + 20;
    uint32_t src, dst;
    size_t l4 = size - 34;

    assert_true(s->n < 8);
    s->sizes[s->n] = size;
    memcpy(s->data[s->n], seg, size < 200 ? size : 200);
    s->n++;
    assert_int_equal(rd16(ip + 2), size - 14);
    assert_int_equal(csum(ip, 20), 0);
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    assert_int_equal(
        csum_fold(csum_partial(csum_pseudo_ipv4(src, dst, 6, l4), tcp, l4)),
        0);
}

static void
test_gso(void **state)
{
    static uint8_t f[14 + 20 + 20 + 2500];
    struct virtio_net_hdr vnet = {
        .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
        .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
        .hdr_len = 54,
        .gso_size = 1000,
        .csum_start = 34,
        .csum_offset = 16,
    };
    struct segs s = {0};
    uint8_t *tcp = f + 34;

    make_ipv4(f, 20 + 20 + 2500, 6, true);
    memset(tcp, 0, 20);
    wr16(tcp, 5000);
    wr16(tcp + 2, 80);
    tcp[4] = 0xff; /* Sequence wraps within the frame. */
    tcp[5] = 0xff;
    tcp[6] = 0xfc;
    tcp[7] = 0x00;
    tcp[12] = 5 << 4;
    tcp[13] = TCP_ACK | TCP_PSH | TCP_FIN;
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect, &s), 0);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.sizes[0], 54 + 1000);
    assert_int_equal(s.sizes[1], 54 + 1000);
    assert_int_equal(s.sizes[2], 54 + 500);
    assert_int_equal(s.data[1][34 + 7], 0xe8); /* 0xfffffc00 + 1000. */
    assert_int_equal(s.data[2][34 + 4], 0x00); /* Wrapped. */
    assert_int_equal(s.data[0][34 + 13], TCP_ACK);
    assert_int_equal(s.data[2][34 + 13], TCP_ACK | TCP_PSH | TCP_FIN);
    assert_int_equal(rd16(s.data[1] + 18), 0x1235); /* IP id + 1. */

    vnet.gso_type = VIRTIO_NET_HDR_GSO_UDP;
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect, &s),
                     EINVAL);
    vnet.gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
    vnet.csum_start = 5000;
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect, &s),
                     EINVAL);
}

/* The segments of test_gso_build()'s frame, from vxlan_gso_segment(). */
struct ref_segs {
    size_t n;          /* Segments. */
    size_t sizes[200]; /* Their sizes. */
    uint8_t *data;     /* Segment i at i * 'stride'. */
    size_t stride;     /* Bytes per segment slot. */
};

static void
collect_ref(void *aux, uint8_t *seg, size_t size)
{
    struct ref_segs *r = aux;

    assert_true(r->n < 200 && size <= r->stride);
    memcpy(r->data + r->n * r->stride, seg, size);
    r->sizes[r->n++] = size;
}

/* What vxlan_gso_build() passed on, checked against the reference. */
struct gso_bufs {
    struct ref_segs *ref; /* Expected segments. */
    size_t n_segs;        /* Segments seen so far. */
    unsigned int n_bufs;  /* Buffers seen. */
    unsigned int segs[8]; /* Segments per buffer. */
    size_t gso_size;      /* The first buffer's gso_size. */
    uint32_t vni;         /* Expected VNI. */
    size_t mss;           /* Payload bytes per segment. */
    uint32_t hash;        /* The first segment's vxlan_flow_hash(). */
};

static void
collect_gso(void *aux, uint8_t *buf, size_t size, size_t gso_size,
            unsigned int n_segs)
{
    struct gso_bufs *g = aux;
    size_t ofs = 0;

    assert_true(g->n_bufs < 8);
    g->segs[g->n_bufs++] = n_segs;
    if (!g->gso_size) {
        g->gso_size = gso_size;
    }
    assert_int_equal(gso_size, g->gso_size);
    assert_true(n_segs <= VXLAN_GSO_MAX_SEGS);
    assert_true(size <= VXLAN_GSO_MAX_SIZE);
    for (unsigned int i = 0; i < n_segs; i++) {
        size_t want = g->ref->sizes[g->n_segs];
        const uint8_t *seg = buf + ofs + VXLAN_HLEN;
        const uint8_t *ip = seg + 14, *tcp = ip + 20;
        uint32_t vni, src, dst;
        size_t l4 = want - 34;

        assert_int_equal(
            vxlan_header_parse(buf + ofs, VXLAN_HLEN + want, &vni),
            VXLAN_RX_OK);
        assert_int_equal(vni, g->vni);
        /* All but the frame's last datagram are exactly gso_size. */
        if (g->n_segs + 1 < g->ref->n) {
            assert_int_equal(VXLAN_HLEN + want, gso_size);
        } else {
            assert_true(VXLAN_HLEN + want <= gso_size);
        }
        assert_true(ofs + VXLAN_HLEN + want <= size);
        assert_memory_equal(seg, g->ref->data + g->n_segs * g->ref->stride,
                            want);
        /* Header fix-ups, checked on their own too. */
        assert_int_equal(rd16(ip + 2), want - 14);
        assert_int_equal(rd16(ip + 4), (uint16_t) (0x1234 + g->n_segs));
        assert_int_equal(csum(ip, 20), 0);
        memcpy(&src, ip + 12, 4);
        memcpy(&dst, ip + 16, 4);
        assert_int_equal(csum_fold(csum_partial(
                             csum_pseudo_ipv4(src, dst, 6, l4), tcp, l4)),
                         0);
        assert_int_equal((uint32_t) rd16(tcp + 4) << 16 | rd16(tcp + 6),
                         (uint32_t) (0x10000000u + g->n_segs * g->mss));
        /* One flow: every segment hashes alike. */
        if (!g->n_segs) {
            g->hash = vxlan_flow_hash(seg, want);
        }
        assert_int_equal(vxlan_flow_hash(seg, want), g->hash);
        ofs += VXLAN_HLEN + want;
        g->n_segs++;
    }
    assert_int_equal(ofs, size);

    /* Queued as one UDP GSO buffer, it leaves from that flow's socket. */
    {
        struct vxlan_tx_batch *tx = calloc(1, sizeof *tx);
        struct flow_tnl tnl = {.ip_dst = htonl(0x7f000001)};

        vxlan_tx_queue_gso(tx, buf, size, gso_size, n_segs, &tnl);
        assert_int_equal(tx->slots[0].sport, g->hash % VXLAN_TX_N_SPORTS);
        vxlan_tx_batch_destroy(tx);
    }
}

static void
test_gso_build(void **state)
{
    enum { MSS = 100, N = 100, PAYLOAD = MSS * (N - 1) + 50 };
    static uint8_t f[14 + 20 + 20 + PAYLOAD];
    struct virtio_net_hdr vnet = {
        .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM,
        .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
        .hdr_len = 54,
        .gso_size = MSS,
        .csum_start = 34,
        .csum_offset = 16,
    };
    struct ref_segs ref = {.stride = 54 + MSS};
    struct gso_bufs g = {.ref = &ref, .vni = 0x123456, .mss = MSS};
    uint8_t *tcp = f + 34;

    (void) state;
    make_ipv4(f, 20 + 20 + PAYLOAD, 6, true);
    memset(tcp, 0, 20);
    wr16(tcp, 5000);
    wr16(tcp + 2, 80);
    wr16(tcp + 4, 0x1000);
    tcp[12] = 5 << 4;
    tcp[13] = TCP_ACK | TCP_PSH;
    ref.data = malloc(N * ref.stride);
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect_ref, &ref),
                     0);
    assert_int_equal(ref.n, N);

    /* 100 segments: a buffer of 64 (the UDP_SEGMENT limit) and one of 36
     * whose last datagram is the short one. */
    assert_int_equal(
        vxlan_gso_build(f, sizeof f, &vnet, 0x123456, 1472, collect_gso, &g),
        0);
    assert_int_equal(g.n_segs, N);
    assert_int_equal(g.n_bufs, 2);
    assert_int_equal(g.segs[0], 64);
    assert_int_equal(g.segs[1], 36);
    assert_int_equal(g.gso_size, VXLAN_HLEN + 54 + MSS);

    /* A datagram over the limit: software segmentation instead. */
    memset(&g, 0, sizeof g);
    g.ref = &ref;
    assert_int_equal(
        vxlan_gso_build(f, sizeof f, &vnet, 1, 161, collect_gso, &g),
        EMSGSIZE);
    assert_int_equal(g.n_bufs, 0);
    /* Malformed offloads. */
    vnet.gso_type = VIRTIO_NET_HDR_GSO_UDP;
    assert_int_equal(
        vxlan_gso_build(f, sizeof f, &vnet, 1, 1472, collect_gso, &g), EINVAL);
    free(ref.data);
}

/* A 64 KiB super-segment at a real MSS: buffers are bounded by the UDP
 * size limit rather than the segment count. */
static void
test_gso_build_big(void **state)
{
    enum { MSS = 1398 };
    static uint8_t f[14 + 20 + 20 + 65000];
    struct virtio_net_hdr vnet = {
        .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
        .hdr_len = 54,
        .gso_size = MSS,
        .csum_start = 34,
        .csum_offset = 16,
    };
    struct ref_segs ref = {.stride = 54 + MSS};
    struct gso_bufs g = {.ref = &ref, .vni = 42, .mss = MSS};
    uint8_t *tcp = f + 34;
    size_t n = (65000 + MSS - 1) / MSS, per = 65507 / (8 + 54 + MSS);

    (void) state;
    make_ipv4(f, 20 + 20 + 65000, 6, true);
    memset(tcp, 0, 20);
    wr16(tcp + 4, 0x1000);
    tcp[12] = 5 << 4;
    tcp[13] = TCP_ACK;
    ref.data = malloc(n * ref.stride);
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect_ref, &ref),
                     0);
    assert_int_equal(ref.n, n);
    assert_int_equal(
        vxlan_gso_build(f, sizeof f, &vnet, 42, 1472, collect_gso, &g), 0);
    assert_int_equal(g.n_segs, n);
    assert_int_equal(g.n_bufs, 2);
    assert_int_equal(g.segs[0], per);
    assert_int_equal(g.segs[1], n - per);
    free(ref.data);
}

static void
test_gro_split(void **state)
{
    size_t ofs[VXLAN_GSO_MAX_SEGS], lens[VXLAN_GSO_MAX_SEGS];

    (void) state;
    /* Not coalesced: one datagram, whatever its size. */
    assert_int_equal(vxlan_gro_split(1000, 0, ofs, lens, 64), 1);
    assert_int_equal(ofs[0], 0);
    assert_int_equal(lens[0], 1000);
    assert_int_equal(vxlan_gro_split(1000, 1000, ofs, lens, 64), 1);
    assert_int_equal(vxlan_gro_split(1000, 1400, ofs, lens, 64), 1);
    assert_int_equal(lens[0], 1000);
    /* Three full and a short one. */
    assert_int_equal(vxlan_gro_split(1000, 300, ofs, lens, 64), 4);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ofs[i], 300 * i);
        assert_int_equal(lens[i], 300);
    }
    assert_int_equal(ofs[3], 900);
    assert_int_equal(lens[3], 100);
    /* Exact multiple: no empty tail. */
    assert_int_equal(vxlan_gro_split(900, 300, ofs, lens, 64), 3);
    assert_int_equal(lens[2], 300);
    /* Bounded by 'max'. */
    assert_int_equal(vxlan_gro_split(1000, 100, ofs, lens, 4), 4);
    assert_int_equal(ofs[3], 300);
    assert_int_equal(vxlan_gro_split(1000, 100, ofs, lens, 0), 0);
    assert_int_equal(vxlan_gro_split(1000, 0, ofs, lens, 0), 0);
}

/* Software segments of a frame coalesce back into it. */
static void
test_coalesce(void **state)
{
    enum { MSS = 1000, PAYLOAD = 3 * MSS + 400 };
    static uint8_t f[14 + 20 + 20 + PAYLOAD];
    struct virtio_net_hdr vnet = {
        .gso_type = VIRTIO_NET_HDR_GSO_TCPV4,
        .hdr_len = 54,
        .gso_size = MSS,
        .csum_start = 34,
        .csum_offset = 16,
    };
    struct ref_segs ref = {.stride = 54 + MSS};
    struct vxlan_coalesce c;
    uint8_t *tcp = f + 34, *out;
    uint16_t seed;
    uint32_t src, dst;

    (void) state;
    make_ipv4(f, 20 + 20 + PAYLOAD, 6, true);
    memset(tcp, 0, 20);
    wr16(tcp, 5000);
    wr16(tcp + 2, 80);
    wr16(tcp + 4, 0xffff); /* Sequence wraps. */
    wr16(tcp + 6, 0xfe00);
    tcp[12] = 5 << 4;
    tcp[13] = TCP_ACK | TCP_PSH;
    ref.data = malloc(4 * ref.stride);
    assert_int_equal(vxlan_gso_segment(f, sizeof f, &vnet, collect_ref, &ref),
                     0);
    assert_int_equal(ref.n, 4);
    out = malloc(70000);
    c.buf = out;
    c.cap = 70000;

    /* Out of order: the second segment cannot start after the third. */
    assert_true(vxlan_coalesce_start(&c, ref.data, ref.sizes[0]));
    assert_false(
        vxlan_coalesce_add(&c, ref.data + 2 * ref.stride, ref.sizes[2]));
    /* A corrupt checksum is not merged. */
    ref.data[ref.stride + 60] ^= 1;
    assert_false(vxlan_coalesce_add(&c, ref.data + ref.stride, ref.sizes[1]));
    ref.data[ref.stride + 60] ^= 1;
    /* A different flow (port) is not merged. */
    ref.data[ref.stride + 35] ^= 1;
    assert_false(vxlan_coalesce_add(&c, ref.data + ref.stride, ref.sizes[1]));
    ref.data[ref.stride + 35] ^= 1;
    for (int i = 1; i < 4; i++) {
        assert_true(
            vxlan_coalesce_add(&c, ref.data + i * ref.stride, ref.sizes[i]));
    }
    /* The short last segment closed it. */
    assert_true(c.closed);
    assert_false(vxlan_coalesce_add(&c, ref.data, ref.sizes[0]));
    vxlan_coalesce_finish(&c);
    assert_int_equal(c.n_segs, 4);
    assert_int_equal(c.size, sizeof f);
    assert_int_equal(c.vnet.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
    assert_int_equal(c.vnet.gso_size, MSS);
    assert_int_equal(c.vnet.hdr_len, 54);
    assert_int_equal(c.vnet.csum_start, 34);
    assert_int_equal(c.vnet.csum_offset, 16);
    assert_int_equal(c.vnet.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
    /* Headers as the original's (IP checksum valid), the payload intact,
     * the TCP checksum the pseudo-header seed. */
    assert_int_equal(rd16(out + 16), 20 + 20 + PAYLOAD);
    assert_int_equal(csum(out + 14, 20), 0);
    assert_int_equal(out[34 + 13], TCP_ACK | TCP_PSH);
    assert_memory_equal(out + 34 + 4, f + 34 + 4, 4);
    assert_memory_equal(out + 54, f + 54, PAYLOAD);
    memcpy(&src, out + 26, 4);
    memcpy(&dst, out + 30, 4);
    seed = ~csum_fold(csum_pseudo_ipv4(src, dst, 6, 20 + PAYLOAD));
    assert_memory_equal(out + 34 + 16, &seed, 2);
    assert_int_equal(vxlan_complete_csum(out, c.size, &c.vnet), 0);
    assert_int_equal(
        csum_fold(csum_partial(csum_pseudo_ipv4(src, dst, 6, 20 + PAYLOAD),
                               out + 34, 20 + PAYLOAD)),
        0);

    /* A PSH segment ends a run, and a lone segment with PSH starts none
     * that can grow. */
    assert_true(
        vxlan_coalesce_start(&c, ref.data + 3 * ref.stride, ref.sizes[3]));
    assert_true(c.closed);
    free(out);
    free(ref.data);
}

static void
test_rx_fixups(void **state)
{
    uint8_t f[14 + 20 + 20 + 3000];
    uint8_t *ip = f + 14, *tcp = f + 34;
    struct virtio_net_hdr vnet;
    uint32_t src, dst, pseudo;
    uint16_t seed, good;
    size_t n = make_ipv4(f, 20 + 20 + 100, 6, true);

    memset(tcp, 0, 20);
    tcp[12] = 5 << 4;
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    pseudo = csum_pseudo_ipv4(src, dst, 6, 120);
    seed = ~csum_fold(pseudo);
    memcpy(tcp + 16, &seed, 2);
    assert_true(vxlan_rx_complete_csum(f, n));
    assert_int_equal(csum_fold(csum_partial(pseudo, tcp, 120)), 0);
    memcpy(&good, tcp + 16, 2);
    assert_false(vxlan_rx_complete_csum(f, n)); /* Correct: unchanged. */
    tcp[16] ^= 0x55;                            /* Corrupt, not a seed. */
    assert_false(vxlan_rx_complete_csum(f, n));

    assert_false(vxlan_rx_gso(f, n, 1450, &vnet));
    n = make_ipv4(f, 20 + 20 + 3000, 6, true);
    tcp[12] = 5 << 4;
    assert_true(vxlan_rx_gso(f, n, 1450, &vnet));
    assert_int_equal(vnet.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
    assert_int_equal(vnet.gso_size, 1410);
    assert_int_equal(vnet.csum_start, 34);
    assert_int_equal(vnet.csum_offset, 16);
    assert_int_equal(vnet.hdr_len, 54);
    n = make_ipv4(f, 20 + 20 + 3000, 17, true);
    assert_false(vxlan_rx_gso(f, n, 1450, &vnet));
}

/* Through the sockets on loopback: what one port sends, it receives, with
 * the outer headers in md.tunnel. */
static void
test_loopback(void **state)
{
    uint16_t port = 40000 + getpid() % 20000;
    struct vxlan_tx_batch *tx = calloc(1, sizeof *tx);
    struct vxlan_rx_batch rx;
    struct flow_tnl tnl = {
        .tun_id = htobe64(0x123456),
        .ip_dst = htonl(0x7f000001),
        .ip_src = htonl(0x7f000001),
        .ip_ttl = 33,
        .ip_tos = 0x20,
        .flags = FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT,
    };
    struct vxlan_sock *s = NULL;
    uint8_t f[200];
    size_t n = make_ipv4(f, 100, 17, false);
    struct pollfd pfd;
    int error = EADDRINUSE;

    for (int i = 0; i < 20 && error == EADDRINUSE; i++) {
        error = vxlan_sock_open(port + i, &s);
    }
    assert_int_equal(error, 0);
    vxlan_tx_queue(tx, f, n, &tnl);
    assert_int_equal(vxlan_sock_send(s, tx), 0);
    assert_int_equal(tx->n, 0);
    pfd.fd = vxlan_sock_fd(s);
    pfd.events = POLLIN;
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), 0);
    assert_int_equal(rx.n, 1);
    assert_int_equal(rx.frames[0].size, n);
    assert_memory_equal(rx.frames[0].data, f, n);
    assert_true(rx.frames[0].tnl.tun_id == htobe64(0x123456));
    assert_int_equal(rx.frames[0].tnl.ip_src, htonl(0x7f000001));
    assert_int_equal(rx.frames[0].tnl.ip_dst, htonl(0x7f000001));
    assert_int_equal(rx.frames[0].tnl.ip_ttl, 33);
    assert_int_equal(rx.frames[0].tnl.ip_tos, 0x20);
    assert_int_equal(rx.frames[0].tnl.tp_dst, htons(vxlan_sock_port(s)));
    assert_int_not_equal(rx.frames[0].tnl.tp_src, 0);
    assert_int_equal(rx.frames[0].tnl.flags, FLOW_TNL_F_KEY);
    assert_int_equal(atomic_load(&vxlan_sock_stats(s)->tx_packets), 1);
    assert_int_equal(atomic_load(&vxlan_sock_stats(s)->rx_packets), 1);
    assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), EAGAIN);
    vxlan_tx_batch_destroy(tx);
    vxlan_sock_close(s);
    vxlan_sock_close(NULL);
}

/* An IPv4 or IPv6 TCP/UDP frame from port 'sp' to port 'dp'. */
static size_t
make_l4(uint8_t *f, bool v6, uint8_t proto, uint16_t sp, uint16_t dp)
{
    size_t n;

    if (v6) {
        uint8_t *ip = f + 14;

        memcpy(f, mac_b, 6);
        memcpy(f + 6, mac_a, 6);
        wr16(f + 12, 0x86dd);
        memset(ip, 0, 40);
        ip[0] = 0x60;
        wr16(ip + 4, 20);
        ip[6] = proto;
        ip[7] = 64;
        ip[8] = ip[24] = 0xfd;
        ip[23] = 1;
        ip[39] = 2;
        n = 14 + 40 + 20;
    } else {
        n = make_ipv4(f, 40, proto, true);
    }
    wr16(f + n - 20, sp);
    wr16(f + n - 18, dp);
    return n;
}

/* The inner-flow hash that picks a send socket: one flow one socket, flows
 * spread, anything parses safely. */
static void
test_flow_hash(void **state)
{
    static const uint8_t protos[] = {6, 17};
    uint8_t f[128], g[128];
    size_t n;

    (void) state;
    for (int v6 = 0; v6 < 2; v6++) {
        for (size_t p = 0; p < sizeof protos; p++) {
            unsigned int used = 0;

            for (uint16_t i = 0; i < 64; i++) {
                uint32_t h;

                n = make_l4(f, v6, protos[p], 40000 + i, 5201);
                h = vxlan_flow_hash(f, n);
                /* Same flow, other payload and IP ID/length/TTL: same. */
                memcpy(g, f, n);
                memset(g + n, 0x5a, sizeof g - n);
                g[14 + (v6 ? 7 : 8)] ^= 0x11;
                if (!v6) {
                    wr16(g + 14 + 4, 0x4321);
                }
                assert_int_equal(vxlan_flow_hash(g, sizeof g), h);
                assert_int_equal(vxlan_flow_hash(f, n), h);
                used |= 1u << (h % VXLAN_TX_N_SPORTS);
            }
            /* 64 flows differing only in the source port: more than one
             * socket (in fact nearly all of them). */
            assert_true(__builtin_popcount(used) > 1);
            assert_true(__builtin_popcount(used) >= VXLAN_TX_N_SPORTS / 2);
        }
    }

    /* Ports matter for TCP and UDP, not for other protocols or for an
     * IPv4 fragment (whose later pieces have none). */
    n = make_l4(f, false, 6, 1000, 80);
    memcpy(g, f, n);
    wr16(g + n - 20, 1001);
    assert_int_not_equal(vxlan_flow_hash(f, n), vxlan_flow_hash(g, n));
    n = make_l4(f, false, 1, 1000, 80);
    memcpy(g, f, n);
    wr16(g + n - 20, 1001);
    assert_int_equal(vxlan_flow_hash(f, n), vxlan_flow_hash(g, n));
    n = make_l4(f, false, 17, 1000, 80);
    wr16(f + 14 + 6, 0x2000); /* MF. */
    memcpy(g, f, n);
    wr16(g + n - 20, 1001);
    assert_int_equal(vxlan_flow_hash(f, n), vxlan_flow_hash(g, n));

    /* Addresses matter: L2 for anything, L3 for IP. */
    n = make_l4(f, true, 17, 1000, 80);
    memcpy(g, f, n);
    g[14 + 23] = 3;
    assert_int_not_equal(vxlan_flow_hash(f, n), vxlan_flow_hash(g, n));
    memset(f, 0, sizeof f);
    memcpy(f, mac_b, 6);
    memcpy(f + 6, mac_a, 6);
    wr16(f + 12, 0x0806); /* ARP: by L2 only. */
    memcpy(g, f, 60);
    g[20] = 0x77;
    assert_int_equal(vxlan_flow_hash(f, 60), vxlan_flow_hash(g, 60));
    g[5] = 0x0c;
    assert_int_not_equal(vxlan_flow_hash(f, 60), vxlan_flow_hash(g, 60));

    /* VLAN-tagged IPv4 UDP: the ports still count. */
    n = make_l4(f, false, 17, 1000, 80);
    memmove(f + 16, f + 12, n - 12);
    wr16(f + 12, 0x8100);
    wr16(f + 14, 10);
    n += 4;
    memcpy(g, f, n);
    wr16(g + n - 20, 1001);
    assert_int_not_equal(vxlan_flow_hash(f, n), vxlan_flow_hash(g, n));

    /* Truncated frames, each in an exact-size buffer (ASan): no reads
     * past the end, and the cut-off ports just do not count. */
    for (int v6 = 0; v6 < 2; v6++) {
        n = make_l4(f, v6, 6, 1234, 80);
        for (size_t len = 0; len <= n; len++) {
            uint8_t *copy = malloc(len ? len : 1);

            memcpy(copy, f, len);
            (void) vxlan_flow_hash(copy, len);
            free(copy);
        }
    }
    n = make_l4(f, false, 6, 1234, 80);
    assert_int_equal(vxlan_flow_hash(f, n - 17), vxlan_flow_hash(f, n - 17));
    memcpy(g, f, n);
    wr16(g + n - 20, 1235);
    assert_int_equal(vxlan_flow_hash(f, n - 17), vxlan_flow_hash(g, n - 17));
}

/* Frames of many flows in one burst all arrive, each flow from one source
 * port, and the flows from more than one. */
static void
test_loopback_sports(void **state)
{
    uint16_t port = 40000 + (getpid() + 7) % 20000;
    struct vxlan_tx_batch *tx = calloc(1, sizeof *tx);
    struct flow_tnl tnl = {
        .tun_id = htobe64(7),
        .ip_dst = htonl(0x7f000001),
        .flags = FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT,
    };
    vs_be16 sport_of[16] = {0}, first = 0;
    struct vxlan_sock *s = NULL;
    bool several = false;
    struct vxlan_rx_batch *rx = malloc(sizeof *rx);
    unsigned int got = 0;
    int error = EADDRINUSE;
    uint8_t f[128];

    (void) state;
    for (int i = 0; i < 20 && error == EADDRINUSE; i++) {
        error = vxlan_sock_open(port + i, &s);
    }
    assert_int_equal(error, 0);
    /* 16 flows, two packets each, interleaved. */
    for (int k = 0; k < 2; k++) {
        for (uint16_t i = 0; i < 16; i++) {
            size_t n = make_l4(f, false, 17, 50000 + i, 4000);

            vxlan_tx_queue(tx, f, n, &tnl);
        }
    }
    assert_int_equal(vxlan_sock_send(s, tx), 0);
    while (got < 32) {
        struct pollfd pfd = {.fd = vxlan_sock_fd(s), .events = POLLIN};

        assert_int_equal(poll(&pfd, 1, 2000), 1);
        assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, rx), 0);
        for (unsigned int i = 0; i < rx->n; i++) {
            const struct vxlan_rx_frame *fr = &rx->frames[i];
            uint16_t flow = rd16(fr->data + fr->size - 20) - 50000;
            vs_be16 sp = fr->tnl.tp_src;

            assert_true(flow < 16);
            assert_int_not_equal(sp, 0);
            if (sport_of[flow]) {
                assert_int_equal(sport_of[flow], sp);
            }
            sport_of[flow] = sp;
            if (!first) {
                first = sp;
            } else if (sp != first) {
                several = true;
            }
            got++;
        }
    }
    assert_true(several);
    assert_int_equal(atomic_load(&vxlan_sock_stats(s)->tx_packets), 32);

    /* One flow over all four IPv4 classes (as its UDP GSO buffers take a
     * checksummed class and its other packets its own): one port. */
    for (int cls = 0; cls < 4; cls++) {
        size_t n = make_l4(f, false, 6, 50000, 80);

        tnl.flags = FLOW_TNL_F_KEY
                    | (cls & VXLAN_TX_DF ? FLOW_TNL_F_DONT_FRAGMENT : 0)
                    | (cls & VXLAN_TX_CSUM ? FLOW_TNL_F_CSUM : 0);
        vxlan_tx_queue(tx, f, n, &tnl);
        assert_int_equal(tx->slots[cls].cls, cls);
    }
    assert_int_equal(vxlan_sock_send(s, tx), 0);
    first = 0;
    for (got = 0; got < 4;) {
        struct pollfd pfd = {.fd = vxlan_sock_fd(s), .events = POLLIN};

        assert_int_equal(poll(&pfd, 1, 2000), 1);
        assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, rx), 0);
        for (unsigned int i = 0; i < rx->n; i++, got++) {
            if (!first) {
                first = rx->frames[i].tnl.tp_src;
            }
            assert_int_equal(rx->frames[i].tnl.tp_src, first);
        }
    }
    vxlan_tx_batch_destroy(tx);
    vxlan_sock_close(s);
    free(rx);
}

/* The inner MTU and encapsulation size by underlay family. */
static void
test_inner_mtu(void **state)
{
    struct flow_tnl t4 = {.ip_dst = htonl(0x0a000001)};
    struct flow_tnl t6 = {.ipv6_dst = IN6ADDR_LOOPBACK_INIT};
    struct flow_tnl none = {.tun_id = htobe64(1)};

    (void) state;
    assert_int_equal(vxlan_encap_size(false), 36);
    assert_int_equal(vxlan_encap_size(true), 56);
    assert_int_equal(vxlan_inner_mtu(1500, false, 14), 1450);
    assert_int_equal(vxlan_inner_mtu(1500, true, 14), 1430);
    assert_int_equal(1500 - vxlan_inner_mtu(1500, true, 14),
                     VXLAN_IPV6_OVERHEAD);
    assert_int_equal(1500 - vxlan_inner_mtu(1500, false, 14),
                     VXLAN_IPV4_OVERHEAD);
    assert_int_equal(vxlan_inner_mtu(9000, true, 18), 8926);
    assert_int_equal(vxlan_inner_mtu(70, true, 14), 0);
    assert_int_equal(vxlan_inner_mtu(71, true, 14), 1);
    assert_int_equal(vxlan_inner_mtu(0, false, 14), 0);
    assert_false(vxlan_tnl_is_ipv6(&t4));
    assert_true(vxlan_tnl_is_ipv6(&t6));
    assert_false(vxlan_tnl_is_ipv6(&none));
}

/* The control message at 'c': 'level', 'type', an int 'v' (or, for 'len'
 * other than sizeof(int), 'len' bytes equal to 'data'). */
static void
expect_cmsg(const struct cmsghdr *c, int level, int type, const void *data,
            size_t len)
{
    assert_non_null(c);
    assert_int_equal(c->cmsg_level, level);
    assert_int_equal(c->cmsg_type, type);
    assert_int_equal(c->cmsg_len, CMSG_LEN(len));
    assert_memory_equal(CMSG_DATA(c), data, len);
}

/* The per-datagram control messages of a send slot, over IPv6 and IPv4. */
static void
test_tx_cmsgs(void **state)
{
    struct vxlan_tx_batch *tx = calloc(1, sizeof *tx);
    struct flow_tnl tnl = {
        .tun_id = htobe64(7),
        .ip_ttl = 33,
        .ip_tos = 0xb8,
        .flags = FLOW_TNL_F_KEY | FLOW_TNL_F_DONT_FRAGMENT,
    };
    union {
        char buf[VXLAN_TX_CMSG_SPACE];
        struct cmsghdr align;
    } control;
    struct in6_pktinfo pi6;
    struct in_pktinfo pi4;
    struct msghdr m;
    struct cmsghdr *c;
    uint8_t f[100];
    size_t n = make_ipv4(f, 60, 17, false);
    int v;

    (void) state;
    inet_pton(AF_INET6, "fd77::1", &tnl.ipv6_src);
    inet_pton(AF_INET6, "fd77::2", &tnl.ipv6_dst);

    /* IPv6: source, hop limit, traffic class; its own class whatever the
     * flags say. */
    vxlan_tx_queue(tx, f, n, &tnl);
    assert_int_equal(tx->slots[0].cls, VXLAN_TX_V6);
    assert_memory_equal(&tx->slots[0].dst6, &tnl.ipv6_dst, 16);
    assert_int_equal(tx->slots[0].dst, 0);
    memset(&m, 0, sizeof m);
    m.msg_control = control.buf;
    vxlan_tx_put_cmsgs(&m, &tx->slots[0]);
    c = CMSG_FIRSTHDR(&m);
    memset(&pi6, 0, sizeof pi6);
    pi6.ipi6_addr = tnl.ipv6_src;
    expect_cmsg(c, IPPROTO_IPV6, IPV6_PKTINFO, &pi6, sizeof pi6);
    v = 33;
    c = CMSG_NXTHDR(&m, c);
    expect_cmsg(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof v);
    v = 0xb8;
    c = CMSG_NXTHDR(&m, c);
    expect_cmsg(c, IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof v);
    assert_null(CMSG_NXTHDR(&m, c));

    /* A GSO buffer over IPv6 stays in the IPv6 class, with UDP_SEGMENT
     * after the others (here: no source, the route picks it). */
    memset(&tnl.ipv6_src, 0, sizeof tnl.ipv6_src);
    tnl.ip_tos = 0;
    tx->n = 0;
    vxlan_tx_queue_gso(tx, f, n, 50, 2, &tnl);
    assert_int_equal(tx->slots[0].cls, VXLAN_TX_V6);
    memset(&m, 0, sizeof m);
    m.msg_control = control.buf;
    vxlan_tx_put_cmsgs(&m, &tx->slots[0]);
    c = CMSG_FIRSTHDR(&m);
    v = 33;
    expect_cmsg(c, IPPROTO_IPV6, IPV6_HOPLIMIT, &v, sizeof v);
    c = CMSG_NXTHDR(&m, c);
    expect_cmsg(c, SOL_UDP, 103 /* UDP_SEGMENT */, &(uint16_t){50}, 2);
    assert_null(CMSG_NXTHDR(&m, c));

    /* IPv4: the same with IP_PKTINFO, IP_TTL, IP_TOS, by DF x CSUM. */
    tnl.ip_src = htonl(0xc0a85d01);
    tnl.ip_dst = htonl(0xc0a85d02);
    tnl.ip_tos = 0x20;
    tx->n = 0;
    vxlan_tx_queue(tx, f, n, &tnl);
    assert_int_equal(tx->slots[0].cls, VXLAN_TX_DF);
    memset(&m, 0, sizeof m);
    m.msg_control = control.buf;
    vxlan_tx_put_cmsgs(&m, &tx->slots[0]);
    c = CMSG_FIRSTHDR(&m);
    memset(&pi4, 0, sizeof pi4);
    pi4.ipi_spec_dst.s_addr = tnl.ip_src;
    expect_cmsg(c, IPPROTO_IP, IP_PKTINFO, &pi4, sizeof pi4);
    v = 33;
    c = CMSG_NXTHDR(&m, c);
    expect_cmsg(c, IPPROTO_IP, IP_TTL, &v, sizeof v);
    v = 0x20;
    c = CMSG_NXTHDR(&m, c);
    expect_cmsg(c, IPPROTO_IP, IP_TOS, &v, sizeof v);

    /* Nothing to say: no control buffer at all. */
    tnl.ip_src = 0;
    tnl.ip_tos = tnl.ip_ttl = 0;
    tx->n = 0;
    vxlan_tx_queue(tx, f, n, &tnl);
    memset(&m, 0, sizeof m);
    m.msg_control = control.buf;
    vxlan_tx_put_cmsgs(&m, &tx->slots[0]);
    assert_null(m.msg_control);
    assert_int_equal(m.msg_controllen, 0);
    vxlan_tx_batch_destroy(tx);
}

/* Through the IPv6 sockets on ::1, where the host has IPv6 loopback. */
/* Without IPv6 on lo the IPv6 round trip cannot run: a skip, except under
 * CI=true, where a missing prerequisite is a failure. */
static void
no_ipv6(void)
{
    const char *ci = getenv("CI");

    if (ci && !strcmp(ci, "true")) {
        fail_msg("no IPv6 on lo (CI=true: a missing prerequisite fails)");
    }
    skip();
}

static void
test_loopback6(void **state)
{
    uint16_t port = 40000 + (getpid() + 11) % 20000;
    struct vxlan_tx_batch *tx = calloc(1, sizeof *tx);
    struct vxlan_rx_batch rx;
    struct flow_tnl tnl =
                        {
                            .tun_id = htobe64(0x654321),
                            .ipv6_dst = IN6ADDR_LOOPBACK_INIT,
                            .ipv6_src = IN6ADDR_LOOPBACK_INIT,
                            .ip_ttl = 17,
                            .ip_tos = 0x28,
                            .flags = FLOW_TNL_F_KEY,
                        },
                    tnl6;
    struct vxlan_sock *s = NULL;
    uint8_t f[200];
    size_t n = make_ipv4(f, 100, 17, false);
    struct pollfd pfd;
    int error = EADDRINUSE;

    (void) state;
    for (int i = 0; i < 20 && error == EADDRINUSE; i++) {
        error = vxlan_sock_open(port + i, &s);
    }
    assert_int_equal(error, 0);
    if (vxlan_sock_fd6(s) < 0) {
        vxlan_sock_close(s);
        free(tx);
        no_ipv6();
    }
    vxlan_tx_queue(tx, f, n, &tnl);
    assert_int_equal(vxlan_sock_send(s, tx), 0);
    if (atomic_load(&vxlan_sock_stats(s)->tx_errors)) {
        /* No ::1 (IPv6 disabled on lo). */
        vxlan_tx_batch_destroy(tx);
        vxlan_sock_close(s);
        no_ipv6();
    }
    pfd.fd = vxlan_sock_fd6(s);
    pfd.events = POLLIN;
    assert_int_equal(poll(&pfd, 1, 2000), 1);
    assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), 0);
    assert_int_equal(rx.n, 1);
    assert_int_equal(rx.frames[0].size, n);
    assert_memory_equal(rx.frames[0].data, f, n);
    assert_true(rx.frames[0].tnl.tun_id == htobe64(0x654321));
    assert_int_equal(rx.frames[0].tnl.ip_src, 0);
    assert_int_equal(rx.frames[0].tnl.ip_dst, 0);
    assert_true(IN6_IS_ADDR_LOOPBACK(&rx.frames[0].tnl.ipv6_src));
    assert_true(IN6_IS_ADDR_LOOPBACK(&rx.frames[0].tnl.ipv6_dst));
    assert_int_equal(rx.frames[0].tnl.ip_ttl, 17);
    assert_int_equal(rx.frames[0].tnl.ip_tos, 0x28);
    assert_int_equal(rx.frames[0].tnl.tp_dst, htons(vxlan_sock_port(s)));
    assert_int_not_equal(rx.frames[0].tnl.tp_src, 0);
    assert_int_equal(rx.frames[0].tnl.flags, FLOW_TNL_F_KEY);
    assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), EAGAIN);

    /* IPv4 and IPv6 datagrams waiting together: each socket alone gives
     * its own family's, both give them in one burst. */
    tnl6 = tnl;
    memset(&tnl.ipv6_dst, 0, sizeof tnl.ipv6_dst);
    tnl.ip_dst = tnl.ip_src = htonl(0x7f000001);
    for (int round = 0; round < 2; round++) {
        vxlan_tx_queue(tx, f, n, &tnl6);
        vxlan_tx_queue(tx, f, n, &tnl);
        assert_int_equal(vxlan_sock_send(s, tx), 0);
        usleep(100000);
        if (round) {
            assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), 0);
            assert_int_equal(rx.n, 2);
            assert_int_not_equal(rx.frames[0].tnl.ip_src == 0,
                                 rx.frames[1].tnl.ip_src == 0);
        } else {
            assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_V4, &rx), 0);
            assert_int_equal(rx.n, 1);
            assert_int_equal(rx.frames[0].tnl.ip_src, htonl(0x7f000001));
            assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_V4, &rx), EAGAIN);
            assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_V6, &rx), 0);
            assert_int_equal(rx.n, 1);
            assert_int_equal(rx.frames[0].tnl.ip_src, 0);
            assert_true(IN6_IS_ADDR_LOOPBACK(&rx.frames[0].tnl.ipv6_src));
        }
    }
    assert_int_equal(atomic_load(&vxlan_sock_stats(s)->rx_packets), 5);
    assert_int_equal(vxlan_sock_recv(s, VXLAN_RX_BOTH, &rx), EAGAIN);
    assert_true(vxlan_route_mtu6(&in6addr_loopback) >= 1280);
    vxlan_tx_batch_destroy(tx);
    vxlan_sock_close(s);
}

static void
execute(struct dpif *dpif, const uint8_t *f, size_t size, uint32_t in_port,
        const char *actions)
{
    struct buf key = BUF_EMPTY_INITIALIZER, acts = BUF_EMPTY_INITIALIZER;
    char k[32];

    snprintf(k, sizeof k, "in_port(%u)", in_port);
    assert_int_equal(odp_key_parse(k, &key, NULL, NULL), 0);
    assert_int_equal(odp_actions_parse(actions, &acts, NULL), 0);
    assert_int_equal(dpif_execute(dpif, f, size, key.data, key.size, acts.data,
                                  acts.size, NULL),
                     0);
    buf_uninit(&key);
    buf_uninit(&acts);
}

/* The netdev datapath with a VXLAN port on loopback: what it encapsulates
 * to 127.0.0.1 comes back on the same port, decapsulated, as a miss whose
 * key has the tunnel metadata. */
static void
test_datapath(void **state)
{
    struct dpif_port_opts opts = {.dst_port = 0};
    struct dpif_port_stats ps;
    struct dpif_upcall up;
    struct dpif_port dp;
    struct dpif *dpif;
    uint32_t p1 = DPIF_PORT_NONE, p2 = DPIF_PORT_NONE, p3 = DPIF_PORT_NONE;
    uint8_t f[200], *got;
    size_t size = make_ipv4(f, 100, 17, false), got_size, n = 0;
    char acts[128];
    int error = EADDRINUSE;

    assert_int_equal(dpif_open("tvx", "netdev", true, &dpif), 0);
    assert_int_equal(dpif_port_add(dpif, "tvx1", "dummy", &p1), 0);
    for (int i = 0; i < 20 && error == EADDRINUSE; i++) {
        opts.dst_port = 30000 + (getpid() + i * 7) % 20000;
        error = dpif_port_add_opts(dpif, "vxlan_sys_t", "vxlan", &opts, &p2);
    }
    assert_int_equal(error, 0);
    assert_int_equal(dpif_port_query_by_number(dpif, p2, &dp), 0);
    assert_string_equal(dp.type, "vxlan");
    dpif_port_destroy(&dp);
    assert_int_equal(
        dpif_port_add_opts(dpif, "vxlan_other", "vxlan", &opts, &p3), EEXIST);

    /* Encapsulate to ourselves. */
    snprintf(acts, sizeof acts,
             "set(tunnel(tun_id=0x2a,dst=127.0.0.1,ttl=9,flags(key))),%u", p2);
    execute(dpif, f, size, p1, acts);
    for (int i = 0; i < 200 && !n; i++) {
        assert_int_equal(dpif_recv_batch(dpif, 0, &up, 1, &n), 0);
        if (!n) {
            usleep(10000);
        }
    }
    assert_int_equal(n, 1);
    assert_int_equal(up.type, DPIF_UC_MISS);
    assert_int_equal(up.in_port, p2);
    assert_int_equal(up.packet_size, size);
    assert_memory_equal(up.packet, f, size);
    {
        struct ds key = DS_EMPTY_INITIALIZER;

        odp_key_format(up.key, up.key_size, NULL, 0, &key);
        assert_non_null(strstr(ds_cstr(&key), "tunnel(tun_id=0x2a"));
        assert_non_null(strstr(ds_cstr(&key), "src=127.0.0.1"));
        assert_non_null(strstr(ds_cstr(&key), "dst=127.0.0.1"));
        assert_non_null(strstr(ds_cstr(&key), "ttl=9"));
        assert_non_null(strstr(ds_cstr(&key), "flags(key)"));
        ds_destroy(&key);
    }
    dpif_upcall_uninit(&up);

    /* The same over IPv6, where the host has ::1. */
    snprintf(acts, sizeof acts,
             "set(tunnel(tun_id=0x2b,ipv6_src=::1,ipv6_dst=::1,ttl=9,"
             "flags(key))),%u",
             p2);
    execute(dpif, f, size, p1, acts);
    n = 0;
    for (int i = 0; i < 100 && !n; i++) {
        assert_int_equal(dpif_recv_batch(dpif, 0, &up, 1, &n), 0);
        if (!n) {
            usleep(10000);
        }
    }
    if (n) {
        struct ds key = DS_EMPTY_INITIALIZER;

        assert_int_equal(up.in_port, p2);
        assert_memory_equal(up.packet, f, size);
        odp_key_format(up.key, up.key_size, NULL, 0, &key);
        assert_non_null(strstr(ds_cstr(&key), "tunnel(tun_id=0x2b"));
        assert_non_null(strstr(ds_cstr(&key), "ipv6_src=::1"));
        assert_non_null(strstr(ds_cstr(&key), "ipv6_dst=::1"));
        ds_destroy(&key);
        dpif_upcall_uninit(&up);
    }

    /* Tunnel metadata means nothing to another port. */
    snprintf(acts, sizeof acts,
             "set(tunnel(tun_id=0x2a,dst=127.0.0.1,ttl=9,flags(key))),%u", p1);
    execute(dpif, f, size, p1, acts);
    assert_true(pop_sent("tvx1", &got, &got_size));
    assert_int_equal(got_size, size);
    assert_memory_equal(got, f, size);
    free(got);

    /* No tunnel metadata: dropped and counted. */
    snprintf(acts, sizeof acts, "%u", p2);
    execute(dpif, f, size, p1, acts);
    assert_int_equal(dpif_port_get_stats(dpif, p2, &ps), 0);
    assert_int_equal(ps.tx_dropped, 1);
    assert_int_equal(ps.tx_packets, 1 + (n ? 1 : 0));
    assert_int_equal(ps.rx_packets, 1 + (n ? 1 : 0));

    assert_int_equal(dpif_port_del(dpif, p2), 0);
    dpif_delete(dpif);
    dpif_close(dpif);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_decap),
        cmocka_unit_test(test_decap_ipv6),
        cmocka_unit_test(test_frag_needed),
        cmocka_unit_test(test_packet_too_big6),
        cmocka_unit_test(test_gso),
        cmocka_unit_test(test_gso_build),
        cmocka_unit_test(test_gso_build_big),
        cmocka_unit_test(test_gro_split),
        cmocka_unit_test(test_coalesce),
        cmocka_unit_test(test_rx_fixups),
        cmocka_unit_test(test_loopback),
        cmocka_unit_test(test_flow_hash),
        cmocka_unit_test(test_loopback_sports),
        cmocka_unit_test(test_inner_mtu),
        cmocka_unit_test(test_tx_cmsgs),
        cmocka_unit_test(test_loopback6),
        cmocka_unit_test(test_datapath),
    };
    return cmocka_run_group_tests_name("vxlan", tests, NULL, NULL);
}
