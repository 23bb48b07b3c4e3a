/* SPDX-License-Identifier: Apache-2.0 */
/* OXM (1.3) and ofp_match (1.0): every field round trips, malformed input
 * gets the specification's error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-match.h"
#include "vswitch/ofp-wire.h"

static void
parse(struct match *m, const char *s)
{
    char *error = NULL;

    if (match_parse(m, s, &error)) {
        fail_msg("%s: %s", s, error);
    }
}

/* Whether the OXM TLVs of the encoded ofp_match in 'b' include field 'id'
 * (with a mask if 'masked'). */
static bool
has_field(const struct buf *b, unsigned int id, bool masked)
{
    size_t len = (b->data[2] << 8) | b->data[3];

    for (size_t ofs = 4; ofs < len;) {
        uint32_t h = ((uint32_t) b->data[ofs] << 24) | (b->data[ofs + 1] << 16)
                     | (b->data[ofs + 2] << 8) | b->data[ofs + 3];

        if (OXM_FIELD(h) == id && OXM_HASMASK(h) == masked) {
            return true;
        }
        ofs += 4 + OXM_LENGTH(h);
    }
    return false;
}

static const struct {
    const char *text;
    unsigned int field; /* OFPXMT_* the text must produce. */
    bool masked;
} fields[] = {
    {"in_port=5", OFPXMT_IN_PORT, false},
    {"in_port=LOCAL", OFPXMT_IN_PORT, false},
    {"metadata=0x1234", OFPXMT_METADATA, false},
    {"metadata=0x1200/0xff00", OFPXMT_METADATA, true},
    {"dl_dst=00:11:22:33:44:55", OFPXMT_ETH_DST, false},
    {"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00", OFPXMT_ETH_DST, true},
    {"dl_src=00:11:22:33:44:66", OFPXMT_ETH_SRC, false},
    {"dl_src=00:11:22:00:00:00/ff:ff:ff:00:00:00", OFPXMT_ETH_SRC, true},
    {"dl_type=0x88cc", OFPXMT_ETH_TYPE, false},
    {"dl_vlan=5", OFPXMT_VLAN_VID, false},
    {"vlan_tci=0x1000/0x1000", OFPXMT_VLAN_VID, true},
    {"vlan_tci=0/0x1fff", OFPXMT_VLAN_VID, false},
    {"dl_vlan_pcp=3", OFPXMT_VLAN_PCP, false},
    {"ip,nw_tos=8", OFPXMT_IP_DSCP, false},
    {"ipv6,nw_ecn=2", OFPXMT_IP_ECN, false},
    {"ip,nw_proto=47", OFPXMT_IP_PROTO, false},
    {"ip,nw_src=10.1.2.3", OFPXMT_IPV4_SRC, false},
    {"ip,nw_src=10.0.0.0/8", OFPXMT_IPV4_SRC, true},
    {"ip,nw_dst=192.168.0.0/16", OFPXMT_IPV4_DST, true},
    {"tcp,tp_src=1234", OFPXMT_TCP_SRC, false},
    {"tcp6,tp_dst=80", OFPXMT_TCP_DST, false},
    {"udp,tp_src=53", OFPXMT_UDP_SRC, false},
    {"udp,tp_dst=67", OFPXMT_UDP_DST, false},
    {"sctp,tp_src=9", OFPXMT_SCTP_SRC, false},
    {"sctp,tp_dst=10", OFPXMT_SCTP_DST, false},
    {"icmp,icmp_type=8", OFPXMT_ICMPV4_TYPE, false},
    {"icmp,icmp_code=3", OFPXMT_ICMPV4_CODE, false},
    {"arp,arp_op=2", OFPXMT_ARP_OP, false},
    {"arp,arp_spa=10.0.0.1", OFPXMT_ARP_SPA, false},
    {"arp,arp_tpa=10.0.0.0/24", OFPXMT_ARP_TPA, true},
    {"arp,arp_sha=00:00:00:00:00:01", OFPXMT_ARP_SHA, false},
    {"arp,arp_tha=00:00:00:00:00:02", OFPXMT_ARP_THA, false},
    {"ipv6,ipv6_src=2001:db8::/32", OFPXMT_IPV6_SRC, true},
    {"ipv6,ipv6_dst=fe80::1", OFPXMT_IPV6_DST, false},
    {"ipv6,ipv6_label=0x12345", OFPXMT_IPV6_FLABEL, false},
    {"icmp6,icmp_type=128", OFPXMT_ICMPV6_TYPE, false},
    {"icmp6,icmp_code=4", OFPXMT_ICMPV6_CODE, false},
    {"icmp6,icmp_type=135,nd_target=fe80::2", OFPXMT_IPV6_ND_TARGET, false},
    {"icmp6,icmp_type=135,nd_sll=00:00:00:00:00:03", OFPXMT_IPV6_ND_SLL,
     false},
    {"icmp6,icmp_type=136,nd_tll=00:00:00:00:00:04", OFPXMT_IPV6_ND_TLL,
     false},
    {"tun_id=0x55", OFPXMT_TUNNEL_ID, false},
    {"tun_id=0x50/0xf0", OFPXMT_TUNNEL_ID, true},
};

static void
test_oxm_every_field(void **state)
{
    (void) state;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        struct match m, back;
        struct buf b;
        size_t len;
        enum ofperr e;

        parse(&m, fields[i].text);
        buf_init(&b, 0, 64);
        ofp13_match_put(&b, &m);
        assert_int_equal(b.size % 8, 0);
        if (!has_field(&b, fields[i].field, fields[i].masked)) {
            fail_msg("%s: field %u not encoded", fields[i].text,
                     fields[i].field);
        }
        e = ofp13_match_decode(b.data, b.size, &back, &len);
        if (e) {
            fail_msg("%s: %s", fields[i].text, ofperr_name(e));
        }
        assert_int_equal(len, b.size);
        if (!match_equal(&m, &back)) {
            struct ds a, c;

            ds_init(&a);
            ds_init(&c);
            match_format(&m, &a);
            match_format(&back, &c);
            fail_msg("%s: came back as %s", ds_cstr(&a), ds_cstr(&c));
        }
        buf_uninit(&b);
    }
}

static void
test_oxm_all_at_once(void **state)
{
    struct match m, back;
    struct buf b;
    size_t len;

    (void) state;
    parse(&m, "tcp,in_port=3,metadata=0x5,dl_src=00:00:00:00:00:01,"
              "dl_dst=00:00:00:00:00:02,dl_vlan=7,dl_vlan_pcp=2,nw_tos=16,"
              "nw_ecn=1,nw_src=1.2.3.4,nw_dst=5.6.7.0/24,tp_src=1,tp_dst=2,"
              "tun_id=0x9");
    buf_init(&b, 0, 64);
    ofp13_match_put(&b, &m);
    assert_int_equal(ofp13_match_decode(b.data, b.size, &back, &len), 0);
    assert_true(match_equal(&m, &back));
    buf_uninit(&b);
}

/* Builds an ofp_match around the raw TLV bytes 'tlvs' and decodes it. */
static enum ofperr
decode_raw(const uint8_t *tlvs, size_t n)
{
    uint8_t buf[128] = {0, OFPMT_OXM, 0, 0};
    struct match m;
    size_t len;

    memcpy(buf + 4, tlvs, n);
    buf[3] = 4 + n;
    return ofp13_match_decode(buf, (4 + n + 7) / 8 * 8, &m, &len);
}

static void
test_oxm_errors(void **state)
{
    (void) state;
    /* eth_type 0x0800 then tcp_dst without ip_proto: BAD_PREREQ. */
    static const uint8_t prereq[] = {0x80, 0, 0x0a, 2, 0x08, 0x00,
                                     0x80, 0, 0x1c, 2, 0,    80};
    assert_int_equal(decode_raw(prereq, sizeof prereq), OFPERR_BAD_PREREQ);
    /* ipv4_src without eth_type. */
    static const uint8_t prereq2[] = {0x80, 0, 0x16, 4, 10, 0, 0, 1};
    assert_int_equal(decode_raw(prereq2, sizeof prereq2), OFPERR_BAD_PREREQ);
    /* nd_target with icmpv6_type 128. */
    static const uint8_t prereq3[] = {
        0x80, 0,    0x0a, 2,   0x86, 0xdd, 0x80, 0,  0x14, 1,    58, 0x80,
        0,    0x3a, 1,    128, 0x80, 0,    0x3e, 16, 0xfe, 0x80, 0,  0,
        0,    0,    0,    0,   0,    0,    0,    0,  0,    0,    0,  1};
    assert_int_equal(decode_raw(prereq3, sizeof prereq3), OFPERR_BAD_PREREQ);
    /* vlan_pcp without a VLAN. */
    static const uint8_t prereq4[] = {0x80, 0, 0x0e, 1, 3};
    assert_int_equal(decode_raw(prereq4, sizeof prereq4), OFPERR_BAD_PREREQ);
    /* eth_type with length 3. */
    static const uint8_t badlen[] = {0x80, 0, 0x0a, 3, 0x08, 0x00, 0};
    assert_int_equal(decode_raw(badlen, sizeof badlen), OFPERR_BAD_MATCH_LEN);
    /* TLV running past the match. */
    static const uint8_t overrun[] = {0x80, 0, 0x06, 6, 0, 0};
    assert_int_equal(decode_raw(overrun, sizeof overrun),
                     OFPERR_BAD_MATCH_LEN);
    /* Header cut short. */
    static const uint8_t shorthdr[] = {0x80, 0};
    assert_int_equal(decode_raw(shorthdr, sizeof shorthdr),
                     OFPERR_BAD_MATCH_LEN);
    /* A mask on eth_type, which is not maskable. */
    static const uint8_t badmask[] = {0x80, 0, 0x0b, 4, 0x08, 0, 0xff, 0xff};
    assert_int_equal(decode_raw(badmask, sizeof badmask), OFPERR_BAD_MASK);
    /* vlan_vid mask with bits outside the 13-bit field. */
    static const uint8_t vidmask[] = {0x80, 0, 0x0d, 4, 0x10, 0, 0xf0, 0};
    assert_int_equal(decode_raw(vidmask, sizeof vidmask), OFPERR_BAD_MASK);
    /* vlan_pcp 8. */
    static const uint8_t pcp[] = {0x80, 0, 0x0c, 2, 0x10, 5,
                                  0x80, 0, 0x0e, 1, 8};
    assert_int_equal(decode_raw(pcp, sizeof pcp), OFPERR_BAD_VALUE);
    /* ipv6 flow label beyond 20 bits. */
    static const uint8_t flabel[] = {0x80, 0,    0x0a, 2,    0x86, 0xdd, 0x80,
                                     0,    0x38, 4,    0x00, 0x10, 0,    0};
    assert_int_equal(decode_raw(flabel, sizeof flabel), OFPERR_BAD_VALUE);
    /* Value bits where the mask is 0. */
    static const uint8_t wild[] = {0x80, 0, 0x07, 12,   1,    2, 3, 4,
                                   5,    6, 0xff, 0xff, 0xff, 0, 0, 0};
    assert_int_equal(decode_raw(wild, sizeof wild), OFPERR_BAD_WILDCARDS);
    /* The same field twice. */
    static const uint8_t dup[] = {0x80, 0, 0x0a, 2, 0x08, 0x00,
                                  0x80, 0, 0x0a, 2, 0x08, 0x06};
    assert_int_equal(decode_raw(dup, sizeof dup), OFPERR_DUP_FIELD);
    /* MPLS label (we have no place for it), an unknown field, and a
     * class other than OpenFlow basic. */
    static const uint8_t mpls[] = {0x80, 0, 0x44, 4, 0, 0, 0, 1};
    assert_int_equal(decode_raw(mpls, sizeof mpls), OFPERR_BAD_FIELD);
    static const uint8_t unknown[] = {0x80, 0, 0xfe, 1, 0};
    assert_int_equal(decode_raw(unknown, sizeof unknown), OFPERR_BAD_FIELD);
    static const uint8_t nxm[] = {0x00, 1, 0x00, 4, 0, 0, 0, 1};
    assert_int_equal(decode_raw(nxm, sizeof nxm), OFPERR_BAD_FIELD);
    /* in_port in the unmapped 32-bit range. */
    static const uint8_t port[] = {0x80, 0, 0x00, 4, 0xff, 0xff, 0, 1};
    assert_int_equal(decode_raw(port, sizeof port), OFPERR_BAD_VALUE);
    /* in_phy_port without in_port, and with it. */
    static const uint8_t phy[] = {0x80, 0, 0x02, 4, 0, 0, 0, 1};
    assert_int_equal(decode_raw(phy, sizeof phy), OFPERR_BAD_PREREQ);
    static const uint8_t phy_ok[] = {0x80, 0, 0x00, 4, 0, 0, 0, 1,
                                     0x80, 0, 0x02, 4, 0, 0, 0, 1};
    assert_int_equal(decode_raw(phy_ok, sizeof phy_ok), 0);

    /* Match header: type 0 (standard) and a length beyond the data. */
    {
        uint8_t std[8] = {0, 0, 0, 4};
        uint8_t longm[8] = {0, 1, 0, 40};
        struct match m;
        size_t len;

        assert_int_equal(ofp13_match_decode(std, 8, &m, &len),
                         OFPERR_BAD_MATCH_TYPE);
        assert_int_equal(ofp13_match_decode(longm, 8, &m, &len),
                         OFPERR_BAD_MATCH_LEN);
    }
}

/* Tunnel fields: tun_id as OXM_OF_TUNNEL_ID, tun_src/tun_dst as Nicira
 * class 1 OXM (what Open vSwitch sends in 1.3), masked; NXM_NX_TUN_ID read
 * as tun_id; their errors. */
static void
test_oxm_tunnel(void **state)
{
    static const uint8_t expect[] = {
        0,    1, 0,    36, /* ofp_match, OXM */
        0x80, 0, 0x4c, 8,  0,   0, 0, 0, 0,   0,   0x13, 0x88, /* tun_id */
        0,    1, 0x3e, 4,  192, 0, 2, 1,                       /* tun_src */
        0,    1, 0x41, 8,  192, 0, 2, 0, 255, 255, 255,  0,    /* tun_dst */
        0,    0, 0,    0,                                      /* pad */
    };
    struct match m, back;
    struct buf b;
    size_t len;

    (void) state;
    parse(&m, "tun_id=0x1388,tun_src=192.0.2.1,tun_dst=192.0.2.0/24");
    buf_init(&b, 0, 64);
    ofp13_match_put(&b, &m);
    assert_int_equal(b.size, sizeof expect);
    assert_memory_equal(b.data, expect, sizeof expect);
    assert_int_equal(ofp13_match_decode(b.data, b.size, &back, &len), 0);
    assert_int_equal(len, sizeof expect);
    assert_true(match_equal(&m, &back));
    buf_uninit(&b);

    /* Open vSwitch's NXM_NX_TUN_ID is the same field. */
    static const uint8_t nx_tun_id[] = {0, 1, 0x20, 8, 0, 0, 0, 0, 0, 0, 0, 5};
    assert_int_equal(decode_raw(nx_tun_id, sizeof nx_tun_id), 0);
    static const uint8_t twice[] = {
        0,    1, 0x20, 8, 0, 0, 0, 0, 0, 0, 0, 5,
        0x80, 0, 0x4c, 8, 0, 0, 0, 0, 0, 0, 0, 5,
    };
    assert_int_equal(decode_raw(twice, sizeof twice), OFPERR_DUP_FIELD);
    /* Value bits outside the mask. */
    static const uint8_t wild[] = {0, 1, 0x41, 8,   192, 0,
                                   2, 1, 255,  255, 255, 0};
    assert_int_equal(decode_raw(wild, sizeof wild), OFPERR_BAD_WILDCARDS);
    /* A masked tun_src of the unmasked length. */
    static const uint8_t short_mask[] = {0, 1, 0x3f, 4, 192, 0, 2, 1};
    assert_int_equal(decode_raw(short_mask, sizeof short_mask),
                     OFPERR_BAD_MATCH_LEN);
    /* An NXM field we do not know (111). */
    static const uint8_t unknown[] = {0, 1, 0xde, 16, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0,    0,  0, 0, 0, 0, 0, 1};
    assert_int_equal(decode_raw(unknown, sizeof unknown), OFPERR_BAD_FIELD);
}

/* tun_ipv6_src/tun_ipv6_dst as Nicira class 1 fields 109 and 110. */
static void
test_oxm_tunnel_ipv6(void **state)
{
    static const uint8_t v6[] = {0, 1, 0xda, 16, 0xfd, 0x77, 0, 0, 0, 0,
                                 0, 0, 0,    0,  0,    0,    0, 0, 0, 2};
    static const uint8_t v6_masked[] = {
        0,    1,    0xdd, 32,   0xfd, 0x77, 0, 0, 0,    0,    0,    0,
        0,    0,    0,    0,    0,    0,    0, 0, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0,    0,    0, 0, 0,    0,    0,    0,
    };
    struct match m, back;
    struct buf b;
    size_t len;

    (void) state;
    assert_int_equal(decode_raw(v6, sizeof v6), 0);
    assert_int_equal(decode_raw(v6_masked, sizeof v6_masked), 0);
    parse(&m, "tun_ipv6_src=fd77::2,tun_ipv6_dst=fd77::/64");
    buf_init(&b, 0, 128);
    ofp13_match_put(&b, &m);
    assert_int_equal(ofp13_match_decode(b.data, b.size, &back, &len), 0);
    assert_true(match_equal(&m, &back));
    /* tun_ipv6_src unmasked (0xda), tun_ipv6_dst masked (0xdd). */
    assert_memory_equal((uint8_t *) b.data + 4, v6, 4);
    assert_int_equal(((uint8_t *) b.data)[4 + 20 + 2], 0xdd);
    buf_uninit(&b);
}

static void
test_ofp10_round_trip(void **state)
{
    static const char *const texts[] = {
        "",
        "in_port=1",
        "in_port=LOCAL,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb",
        "dl_vlan=100",
        "dl_vlan_pcp=5",
        "dl_vlan=100,dl_vlan_pcp=5",
        "vlan_tci=0",
        "tcp,nw_src=10.0.0.0/8,nw_dst=1.2.3.4,tp_src=1,tp_dst=2",
        "udp,nw_tos=32,tp_dst=53",
        "icmp,icmp_type=8,icmp_code=0",
        "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.2",
        "dl_type=0x88cc",
    };

    (void) state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        uint8_t wire[OFP10_MATCH_SIZE];
        struct match m, back;

        parse(&m, texts[i]);
        ofp10_match_encode(&m, wire);
        ofp10_match_decode(wire, &back);
        if (!match_equal(&m, &back)) {
            struct ds a;

            ds_init(&a);
            match_format(&back, &a);
            fail_msg("%s came back as %s", texts[i], ds_cstr(&a));
        }
    }
}

static void
test_ofp10_wire(void **state)
{
    uint8_t wire[OFP10_MATCH_SIZE];
    struct match m;
    uint32_t wc;

    (void) state;
    parse(&m, "tcp,nw_dst=10.0.0.0/24,tp_dst=80");
    ofp10_match_encode(&m, wire);
    wc = ((uint32_t) wire[0] << 24) | (wire[1] << 16) | (wire[2] << 8)
         | wire[3];
    /* Everything wildcarded but dl_type, nw_proto, tp_dst, and 8 wildcarded
     * bits of nw_dst. */
    assert_int_equal(wc, 0x0032204f);
    assert_int_equal(wire[22], 0x08);
    assert_int_equal(wire[25], 6);
    assert_int_equal(wire[32], 10);
    assert_int_equal(wire[39], 80);

    /* Fields without their protocol are ignored on decode, as 1.0 says. */
    memset(wire, 0, sizeof wire);
    wire[0] = 0x00;
    wire[1] = 0x3f; /* Everything wildcarded but tp_src and nw_src... */
    wire[2] = 0xc0;
    wire[3] = 0xbf; /* ...and tp_src exact (bit 6 clear). */
    wire[37] = 99;
    ofp10_match_decode(wire, &m);
    assert_int_equal(m.wc.tp_src, 0);
}

/* NXM: every field Open vSwitch's ovs-ofctl sends for these texts comes
 * back the same, with class 0/1 headers. */
static void
test_nxm_round_trip(void **state)
{
    static const char *const texts[] = {
        "",
        "in_port=1",
        "in_port=LOCAL,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb",
        "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
        "dl_vlan=100,dl_vlan_pcp=5",
        "vlan_tci=0",
        "vlan_tci=0x1005/0x1fff",
        "tcp,nw_src=10.0.0.0/255.0.255.0,nw_dst=1.2.3.4,tp_src=1,tp_dst=2",
        "tcp,tp_src=0x400/0xff00,tcp_flags=+syn-ack",
        "udp,nw_tos=32,nw_ecn=1,nw_ttl=5,tp_dst=53",
        "ip,nw_frag=later",
        "icmp,icmp_type=8,icmp_code=0",
        "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.2/24",
        "arp,arp_sha=00:11:22:33:44:55,arp_tha=00:00:00:00:00:01",
        "ipv6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,ipv6_label=5",
        "icmp6,icmp_type=135,nd_target=2001:db8::5,nd_sll=00:01:02:03:04:05",
        "tun_id=5,tun_src=192.0.2.1,tun_dst=192.0.2.0/24",
        "tun_id=0x50/0xf0",
        "reg0=7,reg3=0x10/0xf0,reg7=0xffffffff",
        "pkt_mark=5",
        "metadata=0x1234",
        "sctp,tp_dst=9",
        "dl_type=0x88cc",
    };

    (void) state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct match m, back;
        uint64_t cookie, cookie_mask;
        struct buf b;
        size_t len;

        parse(&m, texts[i]);
        buf_init(&b, 0, 64);
        len = nxm_put_match(&b, &m, 0, 0);
        assert_int_equal(b.size % 8, 0);
        assert_int_equal(
            nxm_decode_fields(b.data, len, &back, &cookie, &cookie_mask), 0);
        assert_int_equal(cookie_mask, 0);
        if (!match_equal(&m, &back)) {
            struct ds a;

            ds_init(&a);
            match_format(&back, &a);
            fail_msg("%s came back as %s", texts[i], ds_cstr(&a));
        }
        buf_uninit(&b);
    }
}

/* NXM headers on the wire: class 0 in_port is 16 bits, tun_id is class 1
 * field 16, a masked field has the hasmask bit, the cookie comes last. */
static void
test_nxm_wire(void **state)
{
    static const uint8_t want[] = {
        0x00, 0x00, 0x00, 0x02, 0x00, 0x05,             /* NXM_OF_IN_PORT 5 */
        0x00, 0x01, 0x00, 0x04, 0,    0,    0, 7,       /* NXM_NX_REG0 7 */
        0x00, 0x01, 0x21, 0x10, 0,    0,    0, 0, 0, 0, /* NXM_NX_TUN_ID_W */
        0x00, 0x50, 0,    0,    0,    0,    0, 0, 0, 0xf0, /* 0x50/0xf0 */
        0x00, 0x01, 0x3d, 0x10, 0,    0,    0, 0, 0, 0, /* NXM_NX_COOKIE_W */
        0,    9,    0,    0,    0,    0,    0, 0, 0, 0xff, /* 9/0xff */
    };
    uint64_t cookie, cookie_mask;
    struct match m, back;
    struct buf b;
    size_t len;

    (void) state;
    parse(&m, "in_port=5,reg0=7,tun_id=0x50/0xf0");
    buf_init(&b, 0, 64);
    len = nxm_put_match(&b, &m, 9, 0xff);
    assert_int_equal(len, sizeof want);
    assert_memory_equal(b.data, want, sizeof want);
    assert_int_equal(b.size, 56);
    assert_int_equal(
        nxm_decode_fields(b.data, len, &back, &cookie, &cookie_mask), 0);
    assert_true(match_equal(&m, &back));
    assert_int_equal(cookie, 9);
    assert_int_equal(cookie_mask, 0xff);
    buf_uninit(&b);
}

static enum ofperr
nxm_decode_raw(const uint8_t *p, size_t size)
{
    uint64_t cookie, cookie_mask;
    struct match m;

    return nxm_decode_fields(p, size, &m, &cookie, &cookie_mask);
}

/* The errors Debian's ovs-vswitchd sends for the same NXM. */
static void
test_nxm_errors(void **state)
{
    static const uint8_t unknown[] = {0x00, 0x01, 0xfc, 0x04, 0, 0, 0, 5};
    static const uint8_t badlen[] = {0x00, 0x00, 0x06, 0x03, 8, 0, 0};
    static const uint8_t trunc[] = {0x00, 0x00, 0x06, 0x02, 8};
    static const uint8_t shorthdr[] = {0x00, 0x00, 0x06, 0x02, 8, 0, 0, 0};
    static const uint8_t dup[] = {0, 0, 6, 2, 8, 0, 0, 0, 6, 2, 8, 0};
    static const uint8_t prereq[] = {0, 0, 0x0e, 4, 10, 0, 0, 1};
    static const uint8_t late_prereq[] = {0, 0, 0x0e, 4, 10, 0, 0,
                                          1, 0, 0,    6, 2,  8, 0};
    static const uint8_t tos[] = {0, 0, 6, 2, 8, 0, 0, 0, 0x0a, 1, 3};
    static const uint8_t wild[] = {0, 0, 3,    12,   1,    2,    3,    4,
                                   5, 6, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const uint8_t type_mask[] = {0, 0, 7, 4, 8, 0, 0x0f, 0};
    static const uint8_t type_full_mask[] = {0, 0, 7, 4, 8, 0, 0xff, 0xff};
    static const uint8_t flags[] = {0, 0, 6, 2, 8,    0, 0,    0, 0x0c,
                                    1, 6, 0, 1, 0x44, 2, 0x10, 2};
    static const uint8_t reg8[] = {0, 1, 0x10, 4, 0, 0, 0, 1};

    (void) state;
    assert_int_equal(nxm_decode_raw(unknown, sizeof unknown),
                     OFPERR_BAD_FIELD);
    assert_int_equal(nxm_decode_raw(badlen, sizeof badlen), OFPERR_BAD_FIELD);
    assert_int_equal(nxm_decode_raw(trunc, sizeof trunc),
                     OFPERR_BAD_MATCH_LEN);
    assert_int_equal(nxm_decode_raw(shorthdr, 7), OFPERR_BAD_MATCH_LEN);
    assert_int_equal(nxm_decode_raw(dup, sizeof dup), OFPERR_DUP_FIELD);
    assert_int_equal(nxm_decode_raw(prereq, sizeof prereq), OFPERR_BAD_PREREQ);
    /* Prerequisites must come first, as Open vSwitch reads them. */
    assert_int_equal(nxm_decode_raw(late_prereq, sizeof late_prereq),
                     OFPERR_BAD_PREREQ);
    assert_int_equal(nxm_decode_raw(tos, sizeof tos), OFPERR_BAD_VALUE);
    assert_int_equal(nxm_decode_raw(wild, sizeof wild), OFPERR_BAD_WILDCARDS);
    assert_int_equal(nxm_decode_raw(type_mask, sizeof type_mask),
                     OFPERR_BAD_MASK);
    assert_int_equal(nxm_decode_raw(type_full_mask, sizeof type_full_mask), 0);
    /* tcp_flags has 12 bits. */
    assert_int_equal(nxm_decode_raw(flags, sizeof flags), OFPERR_BAD_VALUE);
    /* We have 8 registers. */
    assert_int_equal(nxm_decode_raw(reg8, sizeof reg8), OFPERR_BAD_FIELD);
    /* NXM-only fields stay out of OXM. */
    assert_null(oxm_field_lookup(OFPXMC_NXM_1, 0));
    assert_null(oxm_field_by_name("reg0"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_oxm_every_field),
        cmocka_unit_test(test_oxm_all_at_once),
        cmocka_unit_test(test_oxm_errors),
        cmocka_unit_test(test_oxm_tunnel),
        cmocka_unit_test(test_oxm_tunnel_ipv6),
        cmocka_unit_test(test_ofp10_round_trip),
        cmocka_unit_test(test_nxm_round_trip),
        cmocka_unit_test(test_nxm_wire),
        cmocka_unit_test(test_nxm_errors),
        cmocka_unit_test(test_ofp10_wire),
    };
    return cmocka_run_group_tests_name("ofp-match", tests, NULL, NULL);
}
