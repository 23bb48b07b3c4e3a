/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/coverage.h"
#include "vswitch/csum.h"
#include "vswitch/flow.h"
#include "vswitch/packet.h"
#include "sample-packets.h"

static enum flow_extract_status
extract_sample(enum sample_kind k, struct flow *flow)
{
    uint8_t buf[256];
    size_t n = sample_packet(k, buf, NULL);
    struct flow_md md = {.in_port = 7, .skb_mark = 9, .recirc_id = 3};

    return flow_extract(buf, n, &md, flow, NULL);
}

static vs_be32
ip4(uint32_t host)
{
    return htonl(host);
}

static void
test_ipv4_tcp(void **state)
{
    struct flow f;

    assert_int_equal(extract_sample(SAMPLE_IPV4_TCP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.in_port, 7);
    assert_int_equal(f.skb_mark, 9);
    assert_int_equal(f.recirc_id, 3);
    assert_memory_equal(f.dl_dst.ea, "\x00\x11\x22\x33\x44\x55", 6);
    assert_memory_equal(f.dl_src.ea, "\x02\x00\x00\x00\x00\x01", 6);
    assert_int_equal(f.dl_type, htons(0x0800));
    assert_int_equal(f.nw_src, ip4(0x0a000001));
    assert_int_equal(f.nw_dst, ip4(0x0a000102));
    assert_int_equal(f.nw_proto, 6);
    assert_int_equal(f.nw_tos, 0x2e);
    assert_int_equal(f.nw_ttl, 64);
    assert_int_equal(f.nw_frag, 0);
    assert_int_equal(f.tp_src, htons(12345));
    assert_int_equal(f.tp_dst, htons(80));
    assert_int_equal(f.tcp_flags, htons(TCP_SYN));
    assert_int_equal(f.vlans[0].tci, 0);
}

static void
test_ipv4_udp_sctp_icmp(void **state)
{
    struct flow f;

    assert_int_equal(extract_sample(SAMPLE_IPV4_UDP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_proto, 17);
    assert_int_equal(f.tp_src, htons(5353));
    assert_int_equal(f.tp_dst, htons(53));
    assert_int_equal(extract_sample(SAMPLE_IPV4_SCTP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_proto, 132);
    assert_int_equal(f.tp_src, htons(2905));
    assert_int_equal(f.tp_dst, htons(2906));
    assert_int_equal(extract_sample(SAMPLE_IPV4_ICMP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_proto, 1);
    assert_int_equal(f.tp_src, htons(8));
    assert_int_equal(f.tp_dst, htons(0));
    assert_int_equal(extract_sample(SAMPLE_IPV4_OPTS_TCP, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.tp_dst, htons(80));
}

static void
test_arp(void **state)
{
    struct flow f;

    assert_int_equal(extract_sample(SAMPLE_ARP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.dl_type, htons(0x0806));
    assert_int_equal(f.nw_proto, 1);
    assert_int_equal(f.nw_src, ip4(0x0a000001));
    assert_int_equal(f.nw_dst, ip4(0x0a0000fe));
    assert_memory_equal(f.arp_sha.ea, "\x02\x00\x00\x00\x00\x01", 6);
    assert_true(eth_addr_is_zero(&f.arp_tha));
}

static void
test_vlans(void **state)
{
    struct flow f;

    assert_int_equal(extract_sample(SAMPLE_VLAN_IPV4_TCP, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.vlans[0].tpid, htons(0x8100));
    assert_int_equal(f.vlans[0].tci, htons(VLAN_CFI | 10));
    assert_int_equal(f.vlans[1].tci, 0);
    assert_int_equal(f.dl_type, htons(0x0800));
    assert_int_equal(f.tp_dst, htons(80));

    assert_int_equal(extract_sample(SAMPLE_QINQ_IPV4_UDP, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.vlans[0].tpid, htons(0x88a8));
    assert_int_equal(f.vlans[0].tci, htons(0x2064 | VLAN_CFI));
    assert_int_equal(f.vlans[1].tpid, htons(0x8100));
    assert_int_equal(f.vlans[1].tci, htons(0xa00a | VLAN_CFI));
    assert_int_equal(f.dl_type, htons(0x0800));
    assert_int_equal(f.tp_dst, htons(53));
}

static void
test_ipv6(void **state)
{
    struct flow f;
    struct in6_addr a;

    assert_int_equal(extract_sample(SAMPLE_IPV6_HBH_UDP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.dl_type, htons(0x86dd));
    inet_pton(AF_INET6, "2001:db8::1", &a);
    assert_memory_equal(&f.ipv6_src, &a, 16);
    inet_pton(AF_INET6, "2001:db8::2", &a);
    assert_memory_equal(&f.ipv6_dst, &a, 16);
    assert_int_equal(f.ipv6_label, htonl(0x12345));
    assert_int_equal(f.nw_tos, 0x28);
    assert_int_equal(f.nw_ttl, 63);
    assert_int_equal(f.nw_proto, 17);
    assert_int_equal(f.tp_dst, htons(53));

    assert_int_equal(extract_sample(SAMPLE_IPV6_TCP, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_proto, 6);
    assert_int_equal(f.tcp_flags, htons(TCP_SYN));

    assert_int_equal(extract_sample(SAMPLE_IPV6_FRAG_TCP, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_frag, FLOW_NW_FRAG_ANY);
    assert_int_equal(f.nw_proto, 6);
    assert_int_equal(f.tp_dst, htons(80));
}

static void
test_nd(void **state)
{
    struct flow f;
    struct in6_addr a;

    inet_pton(AF_INET6, "fe80::9", &a);
    assert_int_equal(extract_sample(SAMPLE_IPV6_NS, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_proto, 58);
    assert_int_equal(f.tp_src, htons(135));
    assert_memory_equal(&f.nd_target, &a, 16);
    assert_memory_equal(f.arp_sha.ea, "\x02\x00\x00\x00\x00\x01", 6);
    assert_true(eth_addr_is_zero(&f.arp_tha));
    assert_int_equal(extract_sample(SAMPLE_IPV6_NA, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.tp_src, htons(136));
    assert_memory_equal(&f.nd_target, &a, 16);
    assert_memory_equal(f.arp_tha.ea, "\x02\x00\x00\x00\x00\x09", 6);
}

static void
test_frag_llc(void **state)
{
    struct flow f;

    assert_int_equal(extract_sample(SAMPLE_IPV4_FRAG_FIRST, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_frag, FLOW_NW_FRAG_ANY);
    assert_int_equal(f.tp_dst, htons(53));
    assert_int_equal(extract_sample(SAMPLE_IPV4_FRAG_LATER, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.nw_frag, FLOW_NW_FRAG_ANY | FLOW_NW_FRAG_LATER);
    assert_int_equal(f.tp_src, 0);
    assert_int_equal(extract_sample(SAMPLE_LLC, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.dl_type, htons(FLOW_DL_TYPE_NONE));
    assert_int_equal(extract_sample(SAMPLE_SNAP_IPV4_UDP, &f),
                     FLOW_EXTRACT_OK);
    assert_int_equal(f.dl_type, htons(0x0800));
    assert_int_equal(f.tp_dst, htons(53));
}

/* Every truncation of every sample: exactly-sized heap copies so that ASan
 * catches any read past the end; the partial key never invents values. */
static void
test_truncations(void **state)
{
    uint64_t before = coverage_read("flow_extract_short_eth");

    for (int k = 0; k < N_SAMPLES; k++) {
        uint8_t buf[256];
        const char *name;
        size_t n = sample_packet(k, buf, &name);
        struct flow full;

        assert_int_equal(flow_extract(buf, n, NULL, &full, NULL),
                         FLOW_EXTRACT_OK);
        for (size_t len = 0; len <= n; len++) {
            uint8_t *copy = malloc(len ? len : 1);
            const uint64_t *fw, *pw;
            enum flow_extract_status st;
            struct flow part;

            memcpy(copy, buf, len);
            st = flow_extract(copy, len, NULL, &part, NULL);
            free(copy);
            if (len < 14) {
                assert_int_equal(st, FLOW_EXTRACT_SHORT_ETH);
                assert_true(flow_is_zero(&part));
                continue;
            }
            /* Each word is zero or the full packet's, except the ND fields
             * that are dropped together when an option is cut. */
            if (st == FLOW_EXTRACT_SHORT_VLAN) {
                /* dl_type is the tag's TPID when its tag is cut. */
                assert_int_equal(part.dl_type,
                                 full.vlans[part.vlans[0].tci ? 1 : 0].tpid);
                part.dl_type = full.dl_type;
            }
            if (st == FLOW_EXTRACT_SHORT_LLC) {
                assert_int_equal(part.dl_type, htons(FLOW_DL_TYPE_NONE));
                part.dl_type = full.dl_type;
            }
            fw = flow_u64(&full);
            pw = flow_u64(&part);
            for (size_t i = 0; i < FLOW_U64S; i++) {
                if (pw[i] != fw[i] && (pw[i] & ~fw[i])) {
                    print_error("%s len %zu word %zu\n", name, len, i);
                    fail();
                }
            }
            if (st == FLOW_EXTRACT_OK && len < n) {
                /* A complete parse of a cut packet: only payload was cut
                 * (or the IP layer stopped at its header). */
                assert_int_equal(part.dl_type, full.dl_type);
            }
        }
    }
    assert_true(coverage_read("flow_extract_short_eth") > before);
}

static void
test_malformed(void **state)
{
    uint8_t buf[256];
    size_t n;
    struct flow f;

    /* IPv4 with IHL 4. */
    n = sample_packet(SAMPLE_IPV4_TCP, buf, NULL);
    buf[14] = 0x44;
    assert_int_equal(flow_extract(buf, n, NULL, &f, NULL),
                     FLOW_EXTRACT_BAD_IPV4);
    assert_int_equal(f.dl_type, htons(0x0800));
    assert_int_equal(f.nw_src, 0);
    /* ND option of length 0. */
    n = sample_packet(SAMPLE_IPV6_NS, buf, NULL);
    buf[n - 7] = 0;
    assert_int_equal(flow_extract(buf, n, NULL, &f, NULL),
                     FLOW_EXTRACT_BAD_ND);
    assert_int_equal(f.tp_src, htons(135));
    assert_true(eth_addr_is_zero(&f.arp_sha));
    /* ARP with a wrong hardware type. */
    n = sample_packet(SAMPLE_ARP, buf, NULL);
    buf[15] = 6;
    assert_int_equal(flow_extract(buf, n, NULL, &f, NULL),
                     FLOW_EXTRACT_SHORT_ARP);
    assert_int_equal(f.nw_src, 0);
    /* Endless IPv6 extension headers. */
    n = sample_packet(SAMPLE_IPV6_HBH_UDP, buf, NULL);
    buf[54] = 0; /* HBH's next header is HBH again, then garbage. */
    assert_int_not_equal(flow_extract(buf, n, NULL, &f, NULL),
                         FLOW_EXTRACT_OK);
}

static void
test_csum(void **state)
{
    uint8_t buf[256];
    size_t n = sample_packet(SAMPLE_IPV4_TCP, buf, NULL);
    uint8_t *ip = buf + 14;
    uint16_t c, c2, old16, new16;
    uint32_t olda, newa = htonl(0xc0a80101);

    /* RFC 1071 example. */
    static const uint8_t ex[] = {0x00, 0x01, 0xf2, 0x03,
                                 0xf4, 0xf5, 0xf6, 0xf7};
    assert_int_equal(ntohs(csum(ex, sizeof ex)), (uint16_t) ~0xddf2);

    c = csum(ip, 20);
    memcpy(ip + 10, &c, 2);
    assert_int_equal(csum(ip, 20), 0);

    /* Incremental: change the source address and the TTL. */
    memcpy(&olda, ip + 12, 4);
    memcpy(ip + 12, &newa, 4);
    c2 = csum_update32(c, olda, newa);
    memcpy(&old16, ip + 8, 2);
    ip[8] = 17;
    memcpy(&new16, ip + 8, 2);
    c2 = csum_update16(c2, old16, new16);
    memcpy(ip + 10, &c2, 2);
    assert_int_equal(csum(ip, 20), 0);
    (void) n;

    /* Odd length. */
    assert_int_equal(csum("\x01", 1), htons(~0x0100 & 0xffff));
}

static void
test_packet(void **state)
{
    uint8_t buf[256];
    size_t n = sample_packet(SAMPLE_IPV4_TCP, buf, NULL);
    struct dp_packet *p = dp_packet_clone_data(buf, n);
    struct flow f;

    assert_int_equal(dp_packet_extract(p, &f), FLOW_EXTRACT_OK);
    assert_int_equal(p->ofs.l3, 14);
    assert_int_equal(p->ofs.l4, 34);
    assert_true(p->buf.data - p->buf.base >= DP_PACKET_HEADROOM);
    assert_int_equal(dp_packet_push_vlan(p, htons(0x8100), htons(10)), 0);
    assert_int_equal(p->ofs.l3, 18);
    assert_int_equal(dp_packet_extract(p, &f), FLOW_EXTRACT_OK);
    assert_int_equal(f.vlans[0].tci, htons(10 | VLAN_CFI));
    assert_int_equal(f.tp_dst, htons(80));
    assert_int_equal(dp_packet_pop_vlan(p), 0);
    assert_int_equal(dp_packet_size(p), n);
    assert_memory_equal(dp_packet_data(p), buf, n);
    assert_int_equal(dp_packet_pop_vlan(p), ENOENT);
    dp_packet_delete(p);
    dp_packet_delete(NULL);
}

static void
test_word_ops(void **state)
{
    struct flow a, b, m;

    extract_sample(SAMPLE_IPV4_TCP, &a);
    extract_sample(SAMPLE_IPV4_UDP, &b);
    flow_zero(&m);
    m.nw_src = 0xffffffff;
    assert_int_equal(flow_popcount(&m), 32);
    assert_true(flow_hash_masked(&a, &m, 1) == flow_hash_masked(&b, &m, 1));
    m.nw_proto = 0xff;
    assert_false(flow_hash_masked(&a, &m, 1) == flow_hash_masked(&b, &m, 1));
    assert_false(flow_equal(&a, &b));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ipv4_tcp),
        cmocka_unit_test(test_ipv4_udp_sctp_icmp),
        cmocka_unit_test(test_arp),
        cmocka_unit_test(test_vlans),
        cmocka_unit_test(test_ipv6),
        cmocka_unit_test(test_nd),
        cmocka_unit_test(test_frag_llc),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_csum),
        cmocka_unit_test(test_packet),
        cmocka_unit_test(test_word_ops),
    };
    return cmocka_run_group_tests_name("flow", tests, NULL, NULL);
}
