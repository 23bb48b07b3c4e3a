/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_TESTS_SAMPLE_PACKETS_H
#define VSWITCH_TESTS_SAMPLE_PACKETS_H 1

/* Sample frames for tests, fuzz seeds and benchmarks: one of each header
 * type that flow_extract() understands.  Header-only so that unit tests,
 * benchmarks and seed generators can share it. */

#include <stdint.h>
#include <string.h>

enum sample_kind {
    SAMPLE_IPV4_TCP,
    SAMPLE_IPV4_UDP,
    SAMPLE_ARP,
    SAMPLE_IPV6_HBH_UDP,
    SAMPLE_QINQ_IPV4_UDP,
    SAMPLE_VLAN_IPV4_TCP,
    SAMPLE_IPV4_ICMP,
    SAMPLE_IPV6_NS,
    SAMPLE_IPV6_NA,
    SAMPLE_IPV4_FRAG_FIRST,
    SAMPLE_IPV4_FRAG_LATER,
    SAMPLE_IPV6_FRAG_TCP,
    SAMPLE_LLC,
    SAMPLE_SNAP_IPV4_UDP,
    SAMPLE_IPV4_SCTP,
    SAMPLE_IPV6_TCP,
    SAMPLE_IPV4_OPTS_TCP,
    N_SAMPLES
};

struct sample_w {
    uint8_t *p;   /* Buffer start. */
    size_t n;     /* Bytes written. */
};

static inline void
sw_bytes(struct sample_w *w, const void *d, size_t n)
{
    memcpy(w->p + w->n, d, n);
    w->n += n;
}

static inline void
sw_u8(struct sample_w *w, uint8_t v)
{
    w->p[w->n++] = v;
}

static inline void
sw_u16(struct sample_w *w, uint16_t v)
{
    sw_u8(w, v >> 8);
    sw_u8(w, v & 0xff);
}

static inline void
sw_u32(struct sample_w *w, uint32_t v)
{
    sw_u16(w, v >> 16);
    sw_u16(w, v & 0xffff);
}

static inline void
sw_eth(struct sample_w *w, uint16_t type)
{
    static const uint8_t dst[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    static const uint8_t src[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

    sw_bytes(w, dst, 6);
    sw_bytes(w, src, 6);
    sw_u16(w, type);
}

static inline void
sw_ipv4(struct sample_w *w, uint8_t proto, uint16_t payload, uint16_t frag,
        int n_opt_words)
{
    sw_u8(w, 0x45 + n_opt_words);
    sw_u8(w, 0x2e); /* DSCP 11, ECN 2. */
    sw_u16(w, 20 + 4 * n_opt_words + payload);
    sw_u16(w, 0x1234);
    sw_u16(w, frag);
    sw_u8(w, 64);
    sw_u8(w, proto);
    sw_u16(w, 0);
    sw_u32(w, 0x0a000001);
    sw_u32(w, 0x0a000102);
    for (int i = 0; i < n_opt_words; i++) {
        sw_u32(w, 0x01010101); /* NOPs. */
    }
}

static inline void
sw_ipv6(struct sample_w *w, uint8_t nh, uint16_t payload)
{
    static const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                    0,    0,    0,    0,    0, 0, 0, 1};
    static const uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
                                    0,    0,    0,    0,    0, 0, 0, 2};

    sw_u32(w, 0x60000000 | (0x28 << 20) | 0x12345);
    sw_u16(w, payload);
    sw_u8(w, nh);
    sw_u8(w, 63);
    sw_bytes(w, src, 16);
    sw_bytes(w, dst, 16);
}

static inline void
sw_tcp(struct sample_w *w)
{
    sw_u16(w, 12345);
    sw_u16(w, 80);
    sw_u32(w, 1);
    sw_u32(w, 0);
    sw_u16(w, 0x5000 | 0x002); /* doff 5, SYN. */
    sw_u16(w, 65535);
    sw_u32(w, 0);
}

static inline void
sw_udp(struct sample_w *w, uint16_t payload)
{
    sw_u16(w, 5353);
    sw_u16(w, 53);
    sw_u16(w, 8 + payload);
    sw_u16(w, 0);
    for (int i = 0; i < payload; i++) {
        sw_u8(w, i);
    }
}

/* Writes sample 'kind' into 'p' (at least 256 bytes) and returns its size;
 * stores its name in '*name' if nonnull. */
static inline size_t
sample_packet(enum sample_kind kind, uint8_t *p, const char **name)
{
    struct sample_w w = {p, 0};
    const char *n = "?";

    switch (kind) {
    case SAMPLE_IPV4_TCP:
        n = "ipv4-tcp";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 6, 20, 0x4000, 0);
        sw_tcp(&w);
        break;
    case SAMPLE_IPV4_UDP:
        n = "ipv4-udp";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 17, 12, 0, 0);
        sw_udp(&w, 4);
        break;
    case SAMPLE_ARP:
        n = "arp";
        sw_eth(&w, 0x0806);
        sw_u16(&w, 1);
        sw_u16(&w, 0x0800);
        sw_u8(&w, 6);
        sw_u8(&w, 4);
        sw_u16(&w, 1);
        sw_bytes(&w, "\x02\x00\x00\x00\x00\x01", 6);
        sw_u32(&w, 0x0a000001);
        sw_bytes(&w, "\x00\x00\x00\x00\x00\x00", 6);
        sw_u32(&w, 0x0a0000fe);
        break;
    case SAMPLE_IPV6_HBH_UDP:
        n = "ipv6-hbh-udp";
        sw_eth(&w, 0x86dd);
        sw_ipv6(&w, 0, 8 + 12);
        sw_u8(&w, 17);
        sw_u8(&w, 0);
        sw_bytes(&w, "\x01\x04\x00\x00\x00\x00", 6); /* PadN. */
        sw_udp(&w, 4);
        break;
    case SAMPLE_QINQ_IPV4_UDP:
        n = "qinq-ipv4-udp";
        sw_eth(&w, 0x88a8);
        sw_u16(&w, 0x2064);
        sw_u16(&w, 0x8100);
        sw_u16(&w, 0xa00a);
        sw_u16(&w, 0x0800);
        sw_ipv4(&w, 17, 12, 0, 0);
        sw_udp(&w, 4);
        break;
    case SAMPLE_VLAN_IPV4_TCP:
        n = "vlan-ipv4-tcp";
        sw_eth(&w, 0x8100);
        sw_u16(&w, 0x000a);
        sw_u16(&w, 0x0800);
        sw_ipv4(&w, 6, 20, 0, 0);
        sw_tcp(&w);
        break;
    case SAMPLE_IPV4_ICMP:
        n = "ipv4-icmp";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 1, 8, 0, 0);
        sw_u8(&w, 8);
        sw_u8(&w, 0);
        sw_u16(&w, 0);
        sw_u32(&w, 0x00010001);
        break;
    case SAMPLE_IPV6_NS:
        n = "ipv6-ns";
        sw_eth(&w, 0x86dd);
        sw_ipv6(&w, 58, 32);
        sw_u8(&w, 135);
        sw_u8(&w, 0);
        sw_u16(&w, 0);
        sw_u32(&w, 0);
        sw_bytes(&w, "\xfe\x80\x00\x00\x00\x00\x00\x00"
                     "\x00\x00\x00\x00\x00\x00\x00\x09", 16);
        sw_u8(&w, 1);
        sw_u8(&w, 1);
        sw_bytes(&w, "\x02\x00\x00\x00\x00\x01", 6);
        break;
    case SAMPLE_IPV6_NA:
        n = "ipv6-na";
        sw_eth(&w, 0x86dd);
        sw_ipv6(&w, 58, 32);
        sw_u8(&w, 136);
        sw_u8(&w, 0);
        sw_u16(&w, 0);
        sw_u32(&w, 0x60000000);
        sw_bytes(&w, "\xfe\x80\x00\x00\x00\x00\x00\x00"
                     "\x00\x00\x00\x00\x00\x00\x00\x09", 16);
        sw_u8(&w, 2);
        sw_u8(&w, 1);
        sw_bytes(&w, "\x02\x00\x00\x00\x00\x09", 6);
        break;
    case SAMPLE_IPV4_FRAG_FIRST:
        n = "ipv4-frag-first";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 17, 12, 0x2000, 0);
        sw_udp(&w, 4);
        break;
    case SAMPLE_IPV4_FRAG_LATER:
        n = "ipv4-frag-later";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 17, 8, 0x0010, 0);
        sw_u32(&w, 0xdeadbeef);
        sw_u32(&w, 0xdeadbeef);
        break;
    case SAMPLE_IPV6_FRAG_TCP:
        n = "ipv6-frag-tcp";
        sw_eth(&w, 0x86dd);
        sw_ipv6(&w, 44, 8 + 20);
        sw_u8(&w, 6);
        sw_u8(&w, 0);
        sw_u16(&w, 0x0001); /* Offset 0, more fragments. */
        sw_u32(&w, 0xabcd);
        sw_tcp(&w);
        break;
    case SAMPLE_LLC:
        n = "llc";
        sw_eth(&w, 46);
        sw_u8(&w, 0x42);
        sw_u8(&w, 0x42);
        sw_u8(&w, 0x03);
        for (int i = 0; i < 43; i++) {
            sw_u8(&w, 0);
        }
        break;
    case SAMPLE_SNAP_IPV4_UDP:
        n = "snap-ipv4-udp";
        sw_eth(&w, 8 + 20 + 12);
        sw_bytes(&w, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
        sw_ipv4(&w, 17, 12, 0, 0);
        sw_udp(&w, 4);
        break;
    case SAMPLE_IPV4_SCTP:
        n = "ipv4-sctp";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 132, 12, 0, 0);
        sw_u16(&w, 2905);
        sw_u16(&w, 2906);
        sw_u32(&w, 7);
        sw_u32(&w, 0);
        break;
    case SAMPLE_IPV6_TCP:
        n = "ipv6-tcp";
        sw_eth(&w, 0x86dd);
        sw_ipv6(&w, 6, 20);
        sw_tcp(&w);
        break;
    case SAMPLE_IPV4_OPTS_TCP:
        n = "ipv4-opts-tcp";
        sw_eth(&w, 0x0800);
        sw_ipv4(&w, 6, 20, 0, 2);
        sw_tcp(&w);
        break;
    case N_SAMPLES:
        break;
    }
    if (name) {
        *name = n;
    }
    return w.n;
}

#endif /* VSWITCH_TESTS_SAMPLE_PACKETS_H */
