/* SPDX-License-Identifier: Apache-2.0 */
/* Actions and instructions: text -> list -> wire -> list -> text in both
 * versions, and malformed lists get the specification's error. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-wire.h"

static void
parse_match(struct match *m, const char *s)
{
    char *error = NULL;

    if (match_parse(m, s, &error)) {
        fail_msg("%s: %s", s, error);
    }
}

/* Parses 'text' for 'match', encodes in 'version', decodes, checks the list
 * comes back equal and prints as 'expect'. */
static void
round_trip(uint8_t version, const char *match_text, const char *text,
           const char *expect)
{
    struct ofpacts a, b;
    struct match m;
    struct buf wire;
    struct ds ds;
    char *error = NULL;
    enum ofperr e;

    parse_match(&m, match_text);
    ofpacts_init(&a);
    ofpacts_init(&b);
    if (ofpacts_parse(text, &m, &a, &error)) {
        fail_msg("%s: %s", text, error);
    }
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), 0);
    buf_init(&wire, 0, 64);
    e = version == OFP10_VERSION ? ofpacts_encode10(&a, &wire)
                                 : ofpacts_encode13_instructions(&a, &wire);
    if (e) {
        fail_msg("%s: encode: %s", text, ofperr_name(e));
    }
    assert_int_equal(wire.size % 8, 0);
    e = version == OFP10_VERSION
            ? ofpacts_decode10(wire.data, wire.size, &m, &b)
            : ofpacts_decode13_instructions(wire.data, wire.size, &b);
    if (e) {
        fail_msg("%s: decode: %s", text, ofperr_name(e));
    }
    assert_int_equal(ofpacts_check(&b, &m, 0, 254), 0);
    ds_init(&ds);
    ofpacts_format(&b, version, &ds);
    if (strcmp(ds_cstr(&ds), expect)) {
        fail_msg("%s: printed %s, expected %s", text, ds_cstr(&ds), expect);
    }
    ds_destroy(&ds);
    buf_uninit(&wire);
    ofpacts_uninit(&a);
    ofpacts_uninit(&b);
}

static void
test_round_trip10(void **state)
{
    (void) state;
    round_trip(1, "", "drop", "drop");
    round_trip(1, "", "", "drop");
    round_trip(1, "", "output:1,2,NORMAL,FLOOD,ALL,IN_PORT,LOCAL,TABLE",
               "output:1,output:2,NORMAL,FLOOD,ALL,IN_PORT,LOCAL,TABLE");
    round_trip(1, "", "CONTROLLER,controller:128,controller(max_len=64)",
               "CONTROLLER:65535,CONTROLLER:128,CONTROLLER:64");
    round_trip(1, "", "mod_vlan_vid:10,mod_vlan_pcp:3,strip_vlan",
               "mod_vlan_vid:10,mod_vlan_pcp:3,strip_vlan");
    round_trip(1, "",
               "mod_dl_src:00:11:22:33:44:55,mod_dl_dst:66:77:88:99:aa:bb",
               "mod_dl_src:00:11:22:33:44:55,mod_dl_dst:66:77:88:99:aa:bb");
    round_trip(1, "", "mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:8",
               "mod_nw_src:1.2.3.4,mod_nw_dst:5.6.7.8,mod_nw_tos:8");
    round_trip(1, "udp", "mod_tp_src:1,mod_tp_dst:2",
               "mod_tp_src:1,mod_tp_dst:2");
    round_trip(1, "", "enqueue:3:7,enqueue(LOCAL,1)",
               "enqueue:3:7,enqueue:LOCAL:1");
    round_trip(1, "tcp", "set_field:80->tcp_dst", "mod_tp_dst:80");
}

static void
test_round_trip13(void **state)
{
    (void) state;
    round_trip(4, "", "drop", "drop");
    round_trip(4, "", "output:1,NORMAL,CONTROLLER:128,LOCAL,IN_PORT,TABLE",
               "output:1,NORMAL,CONTROLLER:128,LOCAL,IN_PORT,TABLE");
    round_trip(4, "dl_vlan=5",
               "set_field:4098->vlan_vid,set_field:3->vlan_pcp,pop_vlan",
               "set_field:4098->vlan_vid,set_field:3->vlan_pcp,pop_vlan");
    round_trip(4, "", "push_vlan:0x8100,set_field:4099->vlan_vid",
               "push_vlan:0x8100,set_field:4099->vlan_vid");
    round_trip(4, "", "mod_vlan_vid:10",
               "push_vlan:0x8100,set_field:4106->vlan_vid");
    round_trip(4, "ip", "set_queue:3,group:5,dec_ttl,mod_nw_ttl:9",
               "set_queue:3,group:5,dec_ttl,mod_nw_ttl:9");
    round_trip(4, "tcp",
               "set_field:10.0.0.1->ip_src,set_field:10.0.0.2->nw_dst,"
               "set_field:1->ip_dscp,set_field:2->ip_ecn,"
               "set_field:80->tcp_dst,set_field:81->tcp_src",
               "set_field:10.0.0.1->ip_src,set_field:10.0.0.2->ip_dst,"
               "set_field:1->ip_dscp,set_field:2->nw_ecn,"
               "set_field:80->tcp_dst,set_field:81->tcp_src");
    round_trip(4, "",
               "set_field:00:00:00:00:00:01->eth_src,"
               "set_field:0x5->metadata,set_field:0x9->tun_id",
               "set_field:00:00:00:00:00:01->eth_src,"
               "set_field:0x5->metadata,set_field:0x9->tun_id");
    round_trip(4, "arp",
               "set_field:1->arp_op,set_field:1.1.1.1->arp_spa,"
               "set_field:2.2.2.2->arp_tpa,"
               "set_field:00:00:00:00:00:02->arp_sha,"
               "set_field:00:00:00:00:00:03->arp_tha",
               "set_field:1->arp_op,set_field:1.1.1.1->arp_spa,"
               "set_field:2.2.2.2->arp_tpa,"
               "set_field:00:00:00:00:00:02->arp_sha,"
               "set_field:00:00:00:00:00:03->arp_tha");
    round_trip(4, "icmp6,icmp_type=135",
               "set_field:fe80::1->ipv6_src,set_field:0x5->ipv6_label,"
               "set_field:fe80::2->nd_target,"
               "set_field:00:00:00:00:00:04->nd_sll,"
               "set_field:1->icmpv6_code",
               "set_field:fe80::1->ipv6_src,set_field:0x5->ipv6_label,"
               "set_field:fe80::2->nd_target,"
               "set_field:00:00:00:00:00:04->nd_sll,"
               "set_field:1->icmpv6_code");
    round_trip(4, "icmp", "set_field:3->icmp_type,set_field:4->icmp_code",
               "set_field:3->icmp_type,set_field:4->icmp_code");
    round_trip(4, "udp", "set_field:5->udp_src,set_field:6->udp_dst",
               "set_field:5->udp_src,set_field:6->udp_dst");
    round_trip(4, "sctp", "set_field:5->sctp_src,set_field:6->sctp_dst",
               "set_field:5->sctp_src,set_field:6->sctp_dst");
    round_trip(4, "",
               "output:1,clear_actions,write_actions(output:2,group:3),"
               "write_metadata:0x5/0xff,goto_table:3",
               "output:1,clear_actions,write_actions(output:2,group:3),"
               "write_metadata:0x5/0xff,goto_table:3");
    round_trip(4, "", "write_metadata:0x7", "write_metadata:0x7");
    round_trip(4, "", "goto_table:1", "goto_table:1");
}

static void
test_parse_errors(void **state)
{
    static const char *const bad[] = {
        "output:0",
        "output:65535",
        "bogus",
        "mod_vlan_vid:4096",
        "mod_vlan_pcp:8",
        "mod_nw_tos:3",
        "set_field:1->nope",
        "set_field:0x800->eth_type",
        "set_field:6->ip_proto",
        "set_field:3->in_port",
        "set_field:8->vlan_pcp",
        "push_vlan:0x800",
        "goto_table:254",
        "write_actions(goto_table:2)",
        "goto_table:2,output:1",
        "set_field:1",
        "clear_actions,clear_actions",
    };

    (void) state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ofpacts a;
        char *error = NULL;

        ofpacts_init(&a);
        if (!ofpacts_parse(bad[i], NULL, &a, &error)) {
            fail_msg("%s: accepted", bad[i]);
        }
        free(error);
        ofpacts_uninit(&a);
    }
}

static void
test_check(void **state)
{
    struct ofpacts a;
    struct match m;

    (void) state;
    /* set_field needs its prerequisites in the match... */
    parse_match(&m, "");
    ofpacts_init(&a);
    assert_int_equal(ofpacts_parse("set_field:1.2.3.4->ip_src", &m, &a, NULL),
                     0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), OFPERR_MATCH_INCONSISTENT);
    ofpacts_clear(&a);
    assert_int_equal(ofpacts_parse("set_field:4097->vlan_vid", &m, &a, NULL),
                     0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), OFPERR_MATCH_INCONSISTENT);
    /* ...or from an earlier push_vlan. */
    ofpacts_clear(&a);
    assert_int_equal(ofpacts_parse("push_vlan:0x8100,set_field:4097->vlan_vid",
                                   &m, &a, NULL),
                     0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), 0);
    /* pop_vlan removes the tag. */
    ofpacts_clear(&a);
    parse_match(&m, "dl_vlan=1");
    assert_int_equal(
        ofpacts_parse("pop_vlan,set_field:1->vlan_pcp", &m, &a, NULL), 0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), OFPERR_MATCH_INCONSISTENT);
    /* 1.0 rewrites are not checked (they are no-ops where they do not
     * apply). */
    ofpacts_clear(&a);
    parse_match(&m, "");
    assert_int_equal(ofpacts_parse("mod_nw_src:1.2.3.4", &m, &a, NULL), 0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 254), 0);
    /* goto_table must go forward. */
    ofpacts_clear(&a);
    assert_int_equal(ofpacts_parse("goto_table:3", &m, &a, NULL), 0);
    assert_int_equal(ofpacts_check(&a, &m, 3, 254), OFPERR_BAD_INST_TABLE_ID);
    assert_int_equal(ofpacts_check(&a, &m, 2, 254), 0);
    assert_int_equal(ofpacts_check(&a, &m, 0, 3), OFPERR_BAD_INST_TABLE_ID);
    ofpacts_uninit(&a);
}

static enum ofperr
dec10(const uint8_t *p, size_t n)
{
    struct ofpacts a;
    enum ofperr e;

    ofpacts_init(&a);
    e = ofpacts_decode10(p, n, NULL, &a);
    ofpacts_uninit(&a);
    return e;
}

static enum ofperr
dec13(const uint8_t *p, size_t n, bool instructions)
{
    struct ofpacts a;
    enum ofperr e;

    ofpacts_init(&a);
    e = instructions ? ofpacts_decode13_instructions(p, n, &a)
                     : ofpacts_decode13_actions(p, n, &a);
    ofpacts_uninit(&a);
    return e;
}

static void
test_decode_errors10(void **state)
{
    (void) state;
    static const uint8_t len4[] = {0, 0, 0, 4, 0, 1, 0, 0};
    assert_int_equal(dec10(len4, 8), OFPERR_BAD_ACTION_LEN);
    static const uint8_t len12[] = {0, 0, 0, 12, 0, 1, 0, 0};
    assert_int_equal(dec10(len12, 8), OFPERR_BAD_ACTION_LEN);
    static const uint8_t out16[] = {0, 0, 0, 16, 0, 1, 0, 0,
                                    0, 0, 0, 0,  0, 0, 0, 0};
    assert_int_equal(dec10(out16, 16), OFPERR_BAD_ACTION_LEN);
    static const uint8_t trunc[] = {0, 0, 0, 8, 0, 1};
    assert_int_equal(dec10(trunc, 6), OFPERR_BAD_ACTION_LEN);
    static const uint8_t port0[] = {0, 0, 0, 8, 0, 0, 0, 0};
    assert_int_equal(dec10(port0, 8), OFPERR_BAD_OUT_PORT);
    static const uint8_t portnone[] = {0, 0, 0, 8, 0xff, 0xff, 0, 0};
    assert_int_equal(dec10(portnone, 8), OFPERR_BAD_OUT_PORT);
    static const uint8_t portff00[] = {0, 0, 0, 8, 0xff, 0x00, 0, 0};
    assert_int_equal(dec10(portff00, 8), OFPERR_BAD_OUT_PORT);
    static const uint8_t vid[] = {0, 1, 0, 8, 0x10, 0x00, 0, 0};
    assert_int_equal(dec10(vid, 8), OFPERR_BAD_ACTION_ARGUMENT);
    static const uint8_t pcp[] = {0, 2, 0, 8, 8, 0, 0, 0};
    assert_int_equal(dec10(pcp, 8), OFPERR_BAD_ACTION_ARGUMENT);
    static const uint8_t tos[] = {0, 8, 0, 8, 3, 0, 0, 0};
    assert_int_equal(dec10(tos, 8), OFPERR_BAD_ACTION_ARGUMENT);
    static const uint8_t unknown[] = {0, 12, 0, 8, 0, 0, 0, 0};
    assert_int_equal(dec10(unknown, 8), OFPERR_BAD_ACTION_TYPE);
    static const uint8_t vendor[] = {0xff, 0xff, 0, 8, 0, 0, 0x23, 0x21};
    assert_int_equal(dec10(vendor, 8), OFPERR_BAD_ACTION_EXPERIMENTER);
    /* Nicira, but too short for a subtype. */
    static const uint8_t nx8[] = {0xff, 0xff, 0, 8, 0, 0, 0x23, 0x20};
    assert_int_equal(dec10(nx8, 8), OFPERR_BAD_ACTION_LEN);
    static const uint8_t enq[] = {0, 11, 0, 16, 0xff, 0xfb, 0, 0,
                                  0, 0,  0, 0,  0,    0,    0, 1};
    assert_int_equal(dec10(enq, 16), OFPERR_BAD_OUT_PORT);
}

static void
test_decode_errors13(void **state)
{
    (void) state;
    static const uint8_t out8[] = {0, 0, 0, 8, 0, 0, 0, 1};
    assert_int_equal(dec13(out8, 8, false), OFPERR_BAD_ACTION_LEN);
    static const uint8_t outany[] = {0, 0, 0, 16, 0xff, 0xff, 0xff, 0xff,
                                     0, 0, 0, 0,  0,    0,    0,    0};
    assert_int_equal(dec13(outany, 16, false), OFPERR_BAD_OUT_PORT);
    static const uint8_t outgap[] = {0, 0, 0, 16, 0, 0, 0xff, 0x00,
                                     0, 0, 0, 0,  0, 0, 0,    0};
    assert_int_equal(dec13(outgap, 16, false), OFPERR_BAD_OUT_PORT);
    static const uint8_t mpls[] = {0, 19, 0, 8, 0x88, 0x47, 0, 0};
    assert_int_equal(dec13(mpls, 8, false), OFPERR_BAD_ACTION_TYPE);
    static const uint8_t exper[] = {0xff, 0xff, 0, 8, 0x4f, 0x4e, 0x46, 0};
    assert_int_equal(dec13(exper, 8, false), OFPERR_BAD_ACTION_EXPERIMENTER);
    static const uint8_t push[] = {0, 17, 0, 8, 0x08, 0x00, 0, 0};
    assert_int_equal(dec13(push, 8, false), OFPERR_BAD_ACTION_ARGUMENT);
    static const uint8_t group[] = {0, 22, 0, 8, 0xff, 0xff, 0xff, 0xfc};
    assert_int_equal(dec13(group, 8, false), OFPERR_BAD_OUT_GROUP);
    /* set_field: unknown field, masked, wrong length, read-only, bad
     * value. */
    static const uint8_t sf_unknown[] = {0, 25, 0, 16, 0x80, 0, 0x44, 4,
                                         0, 0,  0, 1,  0,    0, 0,    0};
    assert_int_equal(dec13(sf_unknown, 16, false), OFPERR_BAD_SET_TYPE);
    static const uint8_t sf_masked[] = {0, 25, 0, 16, 0x80, 0,    0x17, 8,
                                        1, 2,  3, 4,  0xff, 0xff, 0xff, 0xff};
    assert_int_equal(dec13(sf_masked, 16, false), OFPERR_BAD_SET_ARGUMENT);
    static const uint8_t sf_len[] = {0, 25, 0, 16, 0x80, 0, 0x16, 2,
                                     1, 2,  0, 0,  0,    0, 0,    0};
    assert_int_equal(dec13(sf_len, 16, false), OFPERR_BAD_SET_LEN);
    static const uint8_t sf_ro[] = {0, 25, 0, 16, 0x80, 0, 0x0a, 2,
                                    8, 0,  0, 0,  0,    0, 0,    0};
    assert_int_equal(dec13(sf_ro, 16, false), OFPERR_BAD_SET_ARGUMENT);
    static const uint8_t sf_val[] = {0, 25, 0, 16, 0x80, 0, 0x0e, 1,
                                     9, 0,  0, 0,  0,    0, 0,    0};
    assert_int_equal(dec13(sf_val, 16, false), OFPERR_BAD_SET_ARGUMENT);

    /* Instructions. */
    static const uint8_t unknown[] = {0, 9, 0, 8, 0, 0, 0, 0};
    assert_int_equal(dec13(unknown, 8, true), OFPERR_UNKNOWN_INST);
    static const uint8_t meter[] = {0, 6, 0, 8, 0, 0, 0, 1};
    assert_int_equal(dec13(meter, 8, true), OFPERR_UNSUP_INST);
    static const uint8_t iexp[] = {0xff, 0xff, 0, 8, 0, 0, 0x23, 0x20};
    assert_int_equal(dec13(iexp, 8, true), OFPERR_BAD_INST_EXPERIMENTER);
    static const uint8_t ilen[] = {0, 1, 0, 16, 1, 0, 0, 0};
    assert_int_equal(dec13(ilen, 8, true), OFPERR_BAD_INST_LEN);
    static const uint8_t wmlen[] = {0, 2, 0, 8, 0, 0, 0, 0};
    assert_int_equal(dec13(wmlen, 8, true), OFPERR_BAD_INST_LEN);
    static const uint8_t twice[] = {0, 5, 0, 8, 0, 0, 0, 0,
                                    0, 5, 0, 8, 0, 0, 0, 0};
    assert_int_equal(dec13(twice, 16, true), OFPERR_UNSUP_INST);
    /* An error inside apply_actions comes out. */
    static const uint8_t inner[] = {0, 4, 0, 16, 0, 0, 0, 0,
                                    0, 0, 0, 8,  0, 0, 0, 1};
    assert_int_equal(dec13(inner, 16, true), OFPERR_BAD_ACTION_LEN);
}

static void
test_filters(void **state)
{
    struct ofpacts a;

    (void) state;
    ofpacts_init(&a);
    assert_int_equal(
        ofpacts_parse("output:3,group:7,enqueue:4:1", NULL, &a, NULL), 0);
    assert_true(ofpacts_output_to_port(&a, 3));
    assert_true(ofpacts_output_to_port(&a, 4));
    assert_false(ofpacts_output_to_port(&a, 5));
    assert_true(ofpacts_output_to_port(&a, 0xffff));
    assert_true(ofpacts_output_to_group(&a, 7));
    assert_false(ofpacts_output_to_group(&a, 8));
    assert_true(ofpacts_output_to_group(&a, OFPG_ANY));
    ofpacts_uninit(&a);
}

/* Tunnel fields: set_field, set_tunnel, set_tunnel64 and load in both
 * versions, what goes on the wire, and the Nicira actions' errors. */
static void
test_tunnel(void **state)
{
    (void) state;
    /* 1.0 has no set_field: reg_load, printed back as load:. */
    round_trip(1, "", "set_field:5000->tun_id",
               "load:0x1388->NXM_NX_TUN_ID[]");
    round_trip(1, "",
               "set_field:192.0.2.9->tun_dst,set_field:10.0.0.1->tun_src",
               "load:0xc0000209->NXM_NX_TUN_IPV4_DST[],"
               "load:0xa000001->NXM_NX_TUN_IPV4_SRC[]");
    round_trip(1, "", "set_tunnel:5000,set_tunnel64:0x63,output:1",
               "set_tunnel:0x1388,set_tunnel64:0x63,output:1");
    round_trip(1, "", "set_tunnel:0x123456789", "set_tunnel64:0x123456789");
    round_trip(1, "", "load:0x63->NXM_NX_TUN_ID[]",
               "load:0x63->NXM_NX_TUN_ID[]");
    round_trip(1, "", "load:0xc0000209->tun_dst[0..31]",
               "load:0xc0000209->NXM_NX_TUN_IPV4_DST[]");
    /* 1.3: set_field stays set_field; the Nicira actions stay themselves. */
    round_trip(4, "", "set_field:5000->tun_id,set_field:192.0.2.9->tun_dst",
               "set_field:0x1388->tun_id,set_field:192.0.2.9->tun_dst");
    round_trip(4, "", "set_field:10.0.0.1->tun_src",
               "set_field:10.0.0.1->tun_src");
    round_trip(4, "", "set_field:7->tunnel_id", "set_field:0x7->tun_id");
    round_trip(4, "", "set_tunnel:5,set_tunnel64:6,load:7->NXM_NX_TUN_ID[]",
               "set_field:0x5->tun_id,set_field:0x6->tun_id,"
               "load:0x7->NXM_NX_TUN_ID[]");

    /* The wire forms. */
    {
        static const uint8_t sf13[] = {
            0,   25, 0, 16, 0, 1, 0x40, 4, /* set_field tun_dst */
            192, 0,  2, 9,  0, 0, 0,    0,
        };
        static const uint8_t st10[] = {
            0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, /* set_tunnel */
            0,    2,    0, 0,  0, 0, 0x13, 0x88,
        };
        static const uint8_t load10[] = {
            0xff, 0xff, 0, 24,   0, 0, 0x23, 0x20, /* reg_load */
            0,    7,    0, 0x3f, 0, 1, 0x20, 8,    /* tun_id[0..63] */
            0,    0,    0, 0,    0, 0, 0x13, 0x88,
        };
        struct ofpacts a;
        struct buf b;
        char *error = NULL;

        ofpacts_init(&a);
        buf_init(&b, 0, 64);
        assert_int_equal(
            ofpacts_parse("set_field:192.0.2.9->tun_dst", NULL, &a, &error),
            0);
        assert_int_equal(ofpacts_encode13_actions(&a, &b), 0);
        assert_int_equal(b.size, sizeof sf13);
        assert_memory_equal(b.data, sf13, sizeof sf13);

        ofpacts_clear(&a);
        buf_clear(&b);
        assert_int_equal(ofpacts_parse("set_tunnel:5000", NULL, &a, &error),
                         0);
        assert_int_equal(ofpacts_encode10(&a, &b), 0);
        assert_int_equal(b.size, sizeof st10);
        assert_memory_equal(b.data, st10, sizeof st10);

        ofpacts_clear(&a);
        buf_clear(&b);
        assert_int_equal(
            ofpacts_parse("set_field:5000->tun_id", NULL, &a, &error), 0);
        assert_int_equal(ofpacts_encode10(&a, &b), 0);
        assert_int_equal(b.size, sizeof load10);
        assert_memory_equal(b.data, load10, sizeof load10);
        buf_uninit(&b);
        ofpacts_uninit(&a);

        /* An experimenter action of the same bytes in 1.3. */
        assert_int_equal(dec13(st10, sizeof st10, false), 0);
        assert_int_equal(dec13(load10, sizeof load10, false), 0);
        /* OVS's NXM_NX_TUN_ID name in a 1.3 set_field. */
        static const uint8_t sf13nx[] = {
            0, 25, 0, 16, 0, 1, 0x20, 8, 0, 0, 0, 0, 0, 0, 0, 5,
        };
        assert_int_equal(dec13(sf13nx, sizeof sf13nx, false), 0);
    }

    /* Errors. */
    {
        /* A Nicira subtype we do not know (resubmit): BAD_VENDOR_TYPE in
         * 1.0, BAD_EXPERIMENTER_TYPE in 1.3. */
        static const uint8_t resubmit[] = {
            0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 1, 0, 1, 0, 0, 0, 0,
        };
        assert_int_equal(dec10(resubmit, 16), OFPERR_BAD_ACTION_EXP_TYPE);
        assert_int_equal(dec13(resubmit, 16, false),
                         OFPERR_BAD_ACTION_EXP_TYPE);
        /* set_tunnel of the wrong length. */
        static const uint8_t st24[] = {
            0xff, 0xff, 0, 24, 0, 0, 0x23, 0x20, 0, 2, 0, 0,
            0,    0,    0, 1,  0, 0, 0,    0,    0, 0, 0, 0,
        };
        assert_int_equal(dec10(st24, 24), OFPERR_BAD_ACTION_LEN);
        /* set_tunnel64 of the wrong length. */
        static const uint8_t st64[] = {
            0xff, 0xff, 0, 16, 0, 0, 0x23, 0x20, 0, 9, 0, 0, 0, 0, 0, 1,
        };
        assert_int_equal(dec13(st64, 16, false), OFPERR_BAD_ACTION_LEN);
        /* reg_load into NXM_OF_ETH_DST: not a field we load. */
        static const uint8_t load_eth[] = {
            0xff, 0xff, 0, 24, 0, 0, 0x23, 0x20, 0, 7, 0, 0x2f,
            0,    0,    2, 6,  0, 0, 0,    0,    0, 0, 0, 1,
        };
        assert_int_equal(dec10(load_eth, 24), OFPERR_BAD_SET_TYPE);
        /* reg_load into part of tun_id ([0..31]). */
        static const uint8_t load_part[] = {
            0xff, 0xff, 0,    24, 0, 0, 0x23, 0x20, 0, 7, 0, 0x1f,
            0,    1,    0x20, 8,  0, 0, 0,    0,    0, 0, 0, 1,
        };
        assert_int_equal(dec10(load_part, 24), OFPERR_BAD_ACTION_ARGUMENT);
        /* reg_load of tun_dst with a value wider than 32 bits. */
        static const uint8_t load_wide[] = {
            0xff, 0xff, 0,    24, 0, 0, 0x23, 0x20, 0, 7, 0, 0x1f,
            0,    1,    0x40, 4,  0, 0, 0,    1,    0, 0, 0, 1,
        };
        assert_int_equal(dec13(load_wide, 24, false),
                         OFPERR_BAD_ACTION_ARGUMENT);
        /* Masked set_field of tun_dst. */
        static const uint8_t sf_masked[] = {
            0, 25, 0, 16, 0, 1, 0x41, 8, 192, 0, 2, 0, 255, 255, 255, 0,
        };
        assert_int_equal(dec13(sf_masked, 16, false), OFPERR_BAD_SET_ARGUMENT);
    }

    /* Text errors. */
    {
        static const char *const bad[] = {
            "set_tunnel:x",
            "set_tunnel",
            "load:1->NXM_OF_ETH_DST[]",
            "load:1->NXM_NX_TUN_ID[0..31]",
            "load:0x100000000->NXM_NX_TUN_IPV4_DST[]",
            "load:1->NXM_NX_TUN_ID",
            "set_field:1.2.3->tun_dst",
        };

        for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            struct ofpacts a;
            char *error = NULL;

            ofpacts_init(&a);
            if (!ofpacts_parse(bad[i], NULL, &a, &error)) {
                fail_msg("%s: accepted", bad[i]);
            }
            free(error);
            ofpacts_uninit(&a);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip10),
        cmocka_unit_test(test_round_trip13),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_decode_errors10),
        cmocka_unit_test(test_decode_errors13),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_tunnel),
    };
    return cmocka_run_group_tests_name("ofp-actions", tests, NULL, NULL);
}
