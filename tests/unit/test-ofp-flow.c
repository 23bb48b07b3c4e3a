/* SPDX-License-Identifier: Apache-2.0 */
/* FLOW_MOD, FLOW_REMOVED, PACKET_IN/OUT, flow and aggregate stats: round
 * trips in both versions through ofp_decode_type(), errors, and the text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-match.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"

static const uint8_t versions[] = {OFP10_VERSION, OFP13_VERSION};

static void
parse_fm(struct ofp_flow_mod *fm, const char *text, int command)
{
    char *error = NULL;

    if (ofp_flow_mod_parse(fm, text, command, &error)) {
        fail_msg("%s: %s", text, error);
    }
}

static void
check_type(const struct buf *b, enum ofptype expect)
{
    enum ofptype type;

    assert_int_equal(ofp_decode_type(b->data, b->size, &type), 0);
    assert_int_equal(type, expect);
}

static void
flow_mod_round_trip(uint8_t version, const char *text, int command)
{
    struct ofp_flow_mod fm, back;
    struct buf b;
    enum ofperr e;

    parse_fm(&fm, text, command);
    buf_init(&b, 0, 128);
    assert_int_equal(ofp_flow_mod_encode(&fm, version, 9, &b), 0);
    check_type(&b, OFPTYPE_FLOW_MOD);
    e = ofp_flow_mod_decode(b.data, b.size, &back);
    if (e) {
        fail_msg("%s: %s", text, ofperr_name(e));
    }
    assert_true(match_equal(&fm.match, &back.match));
    assert_int_equal(fm.priority, back.priority);
    assert_int_equal(fm.command, back.command);
    assert_int_equal(fm.idle_timeout, back.idle_timeout);
    assert_int_equal(fm.hard_timeout, back.hard_timeout);
    assert_int_equal(fm.out_port, back.out_port);
    assert_int_equal(fm.flags, back.flags);
    assert_true(ofpacts_equal(&fm.ofpacts, &back.ofpacts)
                || version == OFP10_VERSION);
    if (version == OFP13_VERSION) {
        assert_int_equal(fm.table_id, back.table_id);
        assert_int_equal(fm.out_group, back.out_group);
        if (command == OFPFC_ADD) {
            assert_int_equal(fm.new_cookie == UINT64_MAX ? 0 : fm.new_cookie,
                             back.new_cookie);
        } else {
            assert_int_equal(fm.cookie, back.cookie);
            assert_int_equal(fm.cookie_mask, back.cookie_mask);
        }
    }
    buf_uninit(&b);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&back);
}

static void
test_flow_mod_round_trips(void **state)
{
    (void) state;
    for (size_t v = 0; v < 2; v++) {
        uint8_t ver = versions[v];

        flow_mod_round_trip(ver,
                            "priority=100,tcp,nw_dst=10.0.0.0/24,"
                            "tp_dst=80,actions=output:2",
                            OFPFC_ADD);
        flow_mod_round_trip(ver,
                            "cookie=0x42,idle_timeout=10,"
                            "hard_timeout=20,send_flow_rem,"
                            "check_overlap,in_port=1,actions=drop",
                            OFPFC_ADD);
        flow_mod_round_trip(ver, "dl_vlan=3,actions=strip_vlan,output:1",
                            OFPFC_MODIFY);
        flow_mod_round_trip(ver, "priority=5,arp,actions=NORMAL",
                            OFPFC_MODIFY_STRICT);
        flow_mod_round_trip(ver, "out_port=2,ip", OFPFC_DELETE);
        flow_mod_round_trip(ver, "priority=7,udp,tp_src=53",
                            OFPFC_DELETE_STRICT);
    }
    flow_mod_round_trip(OFP13_VERSION,
                        "table=1,priority=100,tcp,nw_dst=10.0.0.0/24,"
                        "tp_dst=80,actions=set_field:2->ip_dscp,"
                        "goto_table:2",
                        OFPFC_ADD);
    flow_mod_round_trip(OFP13_VERSION,
                        "table=3,reset_counts,metadata=0x5/0xff,"
                        "actions=group:4,write_metadata:0x1/0x1",
                        OFPFC_ADD);
    flow_mod_round_trip(OFP13_VERSION, "cookie=0x10/0xf0,out_group=4,ip",
                        OFPFC_DELETE);
    flow_mod_round_trip(OFP13_VERSION, "cookie=0x10/0xf0,ip,actions=output:3",
                        OFPFC_MODIFY);
}

static void
test_flow_mod_wire(void **state)
{
    struct ofp_flow_mod fm;
    struct buf b;

    (void) state;
    /* 1.0: 72 + actions; 1.3: 48 + padded match + instructions. */
    parse_fm(&fm, "in_port=1,actions=output:2", OFPFC_ADD);
    buf_init(&b, 0, 128);
    ofp_flow_mod_encode(&fm, OFP10_VERSION, 1, &b);
    assert_int_equal(b.size, 72 + 8);
    buf_clear(&b);
    ofp_flow_mod_encode(&fm, OFP13_VERSION, 1, &b);
    assert_int_equal(b.size, 48 + 16 + 8 + 16);
    ofp_flow_mod_uninit(&fm);
    buf_uninit(&b);
}

/* Encodes 'text' in 'version', lets 'poke' damage it, decodes. */
static enum ofperr
damaged(uint8_t version, const char *text, size_t ofs, uint8_t value)
{
    struct ofp_flow_mod fm, back;
    struct buf b;
    enum ofperr e;

    parse_fm(&fm, text, OFPFC_ADD);
    buf_init(&b, 0, 128);
    ofp_flow_mod_encode(&fm, version, 1, &b);
    b.data[ofs] = value;
    e = ofp_flow_mod_decode(b.data, b.size, &back);
    ofp_flow_mod_uninit(&fm);
    ofp_flow_mod_uninit(&back);
    buf_uninit(&b);
    return e;
}

static void
test_flow_mod_errors(void **state)
{
    (void) state;
    /* Command 5. */
    assert_int_equal(damaged(1, "actions=drop", 57, 5), OFPERR_BAD_COMMAND);
    assert_int_equal(damaged(4, "actions=drop", 25, 5), OFPERR_BAD_COMMAND);
    /* Table 254 and ALL for an add. */
    assert_int_equal(damaged(4, "actions=drop", 24, 254),
                     OFPERR_FLOW_MOD_BAD_TABLE_ID);
    assert_int_equal(damaged(4, "actions=drop", 24, 255),
                     OFPERR_FLOW_MOD_BAD_TABLE_ID);
    /* A buffer id (we never buffer). */
    assert_int_equal(damaged(1, "actions=drop", 67, 1), OFPERR_BUFFER_UNKNOWN);
    assert_int_equal(damaged(4, "actions=drop", 35, 1), OFPERR_BUFFER_UNKNOWN);
    /* Unknown flags (1.0 EMERG, 1.3 bit 5). */
    assert_int_equal(damaged(1, "actions=drop", 71, 4), OFPERR_BAD_FLAGS);
    assert_int_equal(damaged(4, "actions=drop", 45, 0x20), OFPERR_BAD_FLAGS);
    /* goto_table backwards from table 3. */
    assert_int_equal(damaged(4, "table=3,actions=goto_table:4", 60, 3),
                     OFPERR_BAD_INST_TABLE_ID);
    /* set_field without its prerequisite (ip_src needs eth_type 0x0800):
     * change the match's eth_type to ARP. */
    assert_int_equal(
        damaged(4, "ip,actions=set_field:1.2.3.4->ip_src", 57, 0x06),
        OFPERR_MATCH_INCONSISTENT);
    /* A bad match: OXM length 3 for eth_type. */
    assert_int_equal(damaged(4, "ip,actions=drop", 55, 3),
                     OFPERR_BAD_MATCH_LEN);
    /* 1.0 exact-match flows are the highest priority. */
    {
        struct ofp_flow_mod fm;
        struct buf b;
        uint8_t msg[72] = {1, OFPT_FLOW_MOD, 0, 72};

        memset(msg + 64, 0xff, 4); /* buffer_id NONE */
        msg[68] = 0xff;            /* out_port NONE */
        msg[69] = 0xff;
        msg[62] = 0; /* priority 1 */
        msg[63] = 1;
        assert_int_equal(ofp_flow_mod_decode(msg, sizeof msg, &fm), 0);
        assert_int_equal(fm.priority, 65535);
        ofp_flow_mod_uninit(&fm);
        (void) b;
    }
}

static void
test_flow_mod_text(void **state)
{
    struct ofp_flow_mod fm;
    char *error = NULL;

    (void) state;
    /* set_field:vlan_vid needs a VLAN tag (ovs-ofctl -O OpenFlow13 refuses
     * it too: "set_field vlan_vid lacks correct prerequisites")... */
    assert_int_equal(
        ofp_flow_mod_parse(&fm,
                           "table=1,priority=100,tcp,nw_dst=10.0.0.0/24,"
                           "tp_dst=80,actions=set_field:2->vlan_vid,"
                           "goto_table:2",
                           OFPFC_ADD, &error),
        EINVAL);
    free(error);
    ofp_flow_mod_uninit(&fm);
    /* ...which a match on a VLAN gives. */
    parse_fm(&fm,
             "table=1,priority=100,dl_vlan=1,tcp,nw_dst=10.0.0.0/24,"
             "tp_dst=80,actions=set_field:4098->vlan_vid,goto_table:2",
             OFPFC_ADD);
    assert_int_equal(fm.table_id, 1);
    assert_int_equal(fm.priority, 100);
    assert_int_equal(fm.ofpacts.n, 2);
    ofp_flow_mod_uninit(&fm);
    assert_int_equal(ofp_flow_mod_parse(&fm, "tcp", OFPFC_ADD, &error),
                     EINVAL);
    free(error);
    ofp_flow_mod_uninit(&fm);
    assert_int_equal(
        ofp_flow_mod_parse(&fm, "table=300,actions=drop", OFPFC_ADD, &error),
        EINVAL);
    free(error);
    ofp_flow_mod_uninit(&fm);
    parse_fm(&fm, "tcp", OFPFC_DELETE);
    assert_int_equal(fm.table_id, OFPTT_ALL);
    ofp_flow_mod_uninit(&fm);
}

/* Tunnel fields: FLOW_MODs round trip in 1.3 (match and actions); 1.0
 * carries the Nicira tunnel actions but cannot say a tunnel match (no
 * NXM): BAD_FIELD rather than a wider flow. */
static void
test_flow_mod_tunnel(void **state)
{
    struct ofp_flow_mod fm;
    struct buf b;

    (void) state;
    flow_mod_round_trip(OFP13_VERSION,
                        "priority=5,tun_id=0x50/0xf0,tun_src=192.0.2.1,"
                        "tun_dst=192.0.2.0/24,actions=set_field:192.0.2.9->"
                        "tun_dst,set_field:99->tun_id,output:2",
                        OFPFC_ADD);
    flow_mod_round_trip(OFP13_VERSION, "tun_dst=192.0.2.9", OFPFC_DELETE);
    flow_mod_round_trip(OFP10_VERSION,
                        "priority=5,in_port=1,actions=set_tunnel:5000,"
                        "load:0xc0000209->NXM_NX_TUN_IPV4_DST[],output:2",
                        OFPFC_ADD);
    parse_fm(&fm, "priority=5,tun_id=5,actions=output:1", OFPFC_ADD);
    buf_init(&b, 0, 128);
    assert_int_equal(ofp_flow_mod_encode(&fm, OFP10_VERSION, 1, &b),
                     OFPERR_BAD_FIELD);
    buf_uninit(&b);
    ofp_flow_mod_uninit(&fm);
}

static void
test_flow_removed(void **state)
{
    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_flow_removed fr, back;
        struct buf b;
        char *error = NULL;

        memset(&fr, 0, sizeof fr);
        assert_int_equal(match_parse(&fr.match, "tcp,tp_dst=80", &error), 0);
        fr.cookie = 0x1234;
        fr.priority = 99;
        fr.reason = OFPRR_IDLE_TIMEOUT;
        fr.table_id = versions[v] == OFP13_VERSION ? 4 : 0;
        fr.duration_sec = 3;
        fr.duration_nsec = 5000;
        fr.idle_timeout = 10;
        fr.hard_timeout = versions[v] == OFP13_VERSION ? 20 : 0;
        fr.packet_count = 7;
        fr.byte_count = 700;
        buf_init(&b, 0, 128);
        ofp_flow_removed_encode(&fr, versions[v], &b);
        check_type(&b, OFPTYPE_FLOW_REMOVED);
        assert_int_equal(ofp_flow_removed_decode(b.data, b.size, &back), 0);
        assert_memory_equal(&fr, &back, sizeof fr);
        buf_uninit(&b);
    }
}

static void
test_packet_in(void **state)
{
    static const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1};

    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_packet_in pin, back;
        struct buf b;

        memset(&pin, 0, sizeof pin);
        pin.packet = frame;
        pin.packet_len = sizeof frame;
        pin.total_len = sizeof frame;
        pin.buffer_id = OFP_NO_BUFFER;
        pin.in_port = 3;
        pin.reason = OFPR_ACTION;
        if (versions[v] == OFP13_VERSION) {
            pin.table_id = 2;
            pin.cookie = 0x55;
            pin.metadata = 0x66;
            pin.tun_id = 0x77;
            pin.tun_src = htonl(0xc0000201);
            pin.tun_dst = htonl(0xc0000202);
        }
        buf_init(&b, 0, 128);
        ofp_packet_in_encode(&pin, versions[v], 3, &b);
        check_type(&b, OFPTYPE_PACKET_IN);
        assert_int_equal(
            b.size, versions[v] == OFP10_VERSION ? 18 + 60 : 24 + 56 + 2 + 60);
        assert_int_equal(ofp_packet_in_decode(b.data, b.size, &back), 0);
        assert_int_equal(back.packet_len, sizeof frame);
        assert_memory_equal(back.packet, frame, sizeof frame);
        back.packet = pin.packet;
        assert_memory_equal(&pin, &back, sizeof pin);
        buf_uninit(&b);
    }
}

static void
test_packet_out(void **state)
{
    static const uint8_t frame[42] = {1, 2, 3};

    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_packet_out po, back;
        struct buf b;

        po.buffer_id = OFP_NO_BUFFER;
        po.in_port = OFPP_LOCAL;
        po.packet = frame;
        po.packet_len = sizeof frame;
        ofpacts_init(&po.ofpacts);
        ofpacts_init(&back.ofpacts);
        assert_int_equal(
            ofpacts_parse("FLOOD,output:2", NULL, &po.ofpacts, NULL), 0);
        buf_init(&b, 0, 128);
        assert_int_equal(ofp_packet_out_encode(&po, versions[v], 4, &b), 0);
        check_type(&b, OFPTYPE_PACKET_OUT);
        assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back), 0);
        assert_int_equal(back.in_port, OFPP_LOCAL);
        assert_true(ofpacts_equal(&po.ofpacts, &back.ofpacts));
        assert_int_equal(back.packet_len, sizeof frame);
        assert_memory_equal(back.packet, frame, sizeof frame);

        /* actions_len beyond the message; a buffer id; a bad in_port. */
        if (versions[v] == OFP10_VERSION) {
            b.data[14] = 0xff;
            assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back),
                             OFPERR_BAD_LEN);
            b.data[14] = 0;
            b.data[11] = 1;
            assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back),
                             OFPERR_BUFFER_UNKNOWN);
            b.data[11] = 0xff;
            b.data[12] = 0xff;
            b.data[13] = 0x00;
            assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back),
                             OFPERR_BAD_PORT);
        } else {
            b.data[16] = 0xff;
            assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back),
                             OFPERR_BAD_LEN);
            b.data[16] = 0;
            b.data[12] = 0x80;
            assert_int_equal(ofp_packet_out_decode(b.data, b.size, &back),
                             OFPERR_BAD_PORT);
        }
        ofpacts_uninit(&po.ofpacts);
        ofpacts_uninit(&back.ofpacts);
        buf_uninit(&b);
    }
}

static void
test_flow_stats(void **state)
{
    (void) state;
    for (size_t v = 0; v < 2; v++) {
        struct ofp_flow_stats_request req, rback;
        struct ofp_flow_stats fs, back;
        struct ofp_mp_reply r;
        struct ofp_flow_mod fm;
        struct buf b, *m;
        struct ds ds;
        const uint8_t *p;
        size_t size, hdr = versions[v] == OFP10_VERSION ? 12 : 16;

        memset(&req, 0, sizeof req);
        assert_int_equal(match_parse(&req.match, "ip", NULL), 0);
        req.table_id = OFPTT_ALL;
        req.out_port = OFPP_NONE;
        req.out_group = OFPG_ANY;
        if (versions[v] == OFP13_VERSION) {
            req.cookie = 0x10;
            req.cookie_mask = 0xf0;
        }
        for (int agg = 0; agg < 2; agg++) {
            req.aggregate = agg;
            buf_init(&b, 0, 128);
            ofp_flow_stats_request_encode(&req, versions[v], 5, &b);
            check_type(&b, agg ? OFPTYPE_AGGREGATE_REQUEST
                               : OFPTYPE_FLOW_STATS_REQUEST);
            assert_int_equal(
                ofp_flow_stats_request_decode(b.data, b.size, &rback), 0);
            assert_memory_equal(&req, &rback, sizeof req);
            buf_uninit(&b);
        }

        /* A reply entry, decoded and printed. */
        parse_fm(&fm,
                 "priority=100,tcp,tp_dst=80,idle_timeout=5,"
                 "actions=output:1",
                 OFPFC_ADD);
        memset(&fs, 0, sizeof fs);
        fs.match = fm.match;
        fs.priority = 100;
        fs.idle_timeout = 5;
        fs.duration_sec = 1;
        fs.duration_nsec = 234000000;
        fs.packet_count = 3;
        fs.byte_count = 180;
        fs.cookie = 0xab;
        fs.ofpacts = fm.ofpacts;
        buf_init(&b, 0, 128);
        req.aggregate = false;
        ofp_flow_stats_request_encode(&req, versions[v], 5, &b);
        ofp_mp_reply_init(&r, b.data);
        assert_int_equal(ofp_flow_stats_put(&r, &fs), 0);
        ofp_mp_reply_finish(&r);
        m = ofp_mp_reply_pop(&r);
        assert_non_null(m);
        check_type(m, OFPTYPE_FLOW_STATS_REPLY);
        p = m->data + hdr;
        size = m->size - hdr;
        ofpacts_init(&back.ofpacts);
        assert_int_equal(ofp_flow_stats_pull(&p, &size, versions[v], &back),
                         0);
        assert_int_equal(size, 0);
        assert_true(match_equal(&fs.match, &back.match));
        assert_int_equal(back.packet_count, 3);
        assert_int_equal(back.cookie, 0xab);
        ds_init(&ds);
        ofp_flow_stats_format(&back, versions[v], &ds);
        assert_string_equal(ds_cstr(&ds),
                            "cookie=0xab, duration=1.234s, table=0, "
                            "n_packets=3, n_bytes=180, idle_timeout=5, "
                            "priority=100,tcp,tp_dst=80 actions=output:1");
        ds_destroy(&ds);
        ofpacts_uninit(&back.ofpacts);
        buf_delete(m);
        ofp_mp_reply_destroy(&r);

        /* Aggregate reply. */
        {
            struct ofp_aggregate_stats as = {10, 1000, 3}, aback;

            req.aggregate = true;
            buf_clear(&b);
            ofp_flow_stats_request_encode(&req, versions[v], 5, &b);
            ofp_mp_reply_init(&r, b.data);
            ofp_aggregate_reply_put(&r, &as);
            ofp_mp_reply_finish(&r);
            m = ofp_mp_reply_pop(&r);
            check_type(m, OFPTYPE_AGGREGATE_REPLY);
            assert_int_equal(
                ofp_aggregate_reply_decode(m->data, m->size, &aback), 0);
            assert_int_equal(aback.packet_count, 10);
            assert_int_equal(aback.byte_count, 1000);
            assert_int_equal(aback.flow_count, 3);
            buf_delete(m);
            ofp_mp_reply_destroy(&r);
        }
        buf_uninit(&b);
        ofp_flow_mod_uninit(&fm);
    }
}

/* A NXT_FLOW_MOD as ovs-ofctl sends it: 'command' (table in the high byte
 * with NXT_FLOW_MOD_TABLE_ID), 'match' as NXM, actions after. */
static void
put_nx_flow_mod(struct buf *b, uint16_t command, uint64_t cookie,
                const char *match_text, uint64_t cookie_mask,
                const char *actions_text)
{
    struct ofp_flow_mod fm;
    size_t match_len;
    uint8_t *p;

    ofp_flow_mod_init(&fm);
    parse_fm(&fm, actions_text, OFPFC_ADD);
    if (match_text) {
        char *error = NULL;

        assert_int_equal(match_parse(&fm.match, match_text, &error), 0);
    }
    p = ofp_start_msg(b, OFP10_VERSION, OFPT_EXPERIMENTER, 7, 40);
    ofp_put_be(p + 8, 4, NX_VENDOR_ID);
    ofp_put_be(p + 12, 4, NXT_FLOW_MOD);
    ofp_put_be(p + 16, 8, cookie);
    ofp_put_be(p + 24, 2, command);
    ofp_put_be(p + 26, 2, 10);  /* idle */
    ofp_put_be(p + 28, 2, 20);  /* hard */
    ofp_put_be(p + 30, 2, 300); /* priority */
    ofp_put_be(p + 32, 4, 0xffffffff);
    ofp_put_be(p + 36, 2, 0xffff); /* out_port */
    ofp_put_be(p + 38, 2, 1);      /* send_flow_rem */
    match_len = nxm_put_match(b, &fm.match, 0, cookie_mask ? 5 : 0);
    if (cookie_mask) {
        /* Rewrite with the requested mask. */
        b->size = 48;
        match_len = nxm_put_match(b, &fm.match, 5, cookie_mask);
    }
    ofp_put_be(b->data + 40, 2, match_len);
    ofpacts_encode10(&fm.ofpacts, b);
    ofp_finish_msg(b, 0);
    ofp_flow_mod_uninit(&fm);
}

static void
test_nx_flow_mod(void **state)
{
    struct ofp_flow_mod fm;
    enum ofptype type;
    struct buf b;

    (void) state;
    buf_init(&b, 0, 128);
    put_nx_flow_mod(&b, OFPFC_ADD, 0x77, "tun_id=5,reg3=0x10/0xf0", 0,
                    "actions=output:2");
    assert_int_equal(b.size % 8, 0);
    assert_int_equal(ofp_decode_type(b.data, b.size, &type), 0);
    assert_int_equal(type, OFPTYPE_EXPERIMENTER);
    assert_int_equal(ofp_flow_mod_decode(b.data, b.size, &fm), 0);
    assert_int_equal(fm.command, OFPFC_ADD);
    assert_int_equal(fm.table_id, 0);
    assert_int_equal(fm.priority, 300);
    assert_int_equal(fm.idle_timeout, 10);
    assert_int_equal(fm.hard_timeout, 20);
    assert_int_equal(fm.flags, OFPFF_SEND_FLOW_REM);
    assert_int_equal(fm.new_cookie, 0x77);
    assert_int_equal(fm.match.flow.tunnel.tun_id, htobe64(5));
    assert_int_equal(fm.match.wc.regs[3], 0xf0);
    assert_int_equal(fm.match.flow.regs[3], 0x10);
    assert_int_equal(fm.ofpacts.n, 1);
    ofp_flow_mod_uninit(&fm);

    /* With NXT_FLOW_MOD_TABLE_ID the command's high byte is the table. */
    b.size = 0;
    put_nx_flow_mod(&b, 3 << 8 | OFPFC_DELETE, 0, "reg0=7", 0xff,
                    "actions=drop");
    assert_int_equal(ofp_flow_mod_decode_ext(b.data, b.size, true, &fm), 0);
    assert_int_equal(fm.command, OFPFC_DELETE);
    assert_int_equal(fm.table_id, 3);
    assert_int_equal(fm.cookie, 5);
    assert_int_equal(fm.cookie_mask, 0xff);
    ofp_flow_mod_uninit(&fm);
    /* Without it, the high byte is ignored: every table. */
    assert_int_equal(ofp_flow_mod_decode(b.data, b.size, &fm), 0);
    assert_int_equal(fm.command, OFPFC_DELETE);
    assert_int_equal(fm.table_id, OFPTT_ALL);
    ofp_flow_mod_uninit(&fm);

    /* A cookie to match in an add: NXM_INVALID. */
    b.size = 0;
    put_nx_flow_mod(&b, OFPFC_ADD, 0, "reg0=7", 0xff, "actions=drop");
    assert_int_equal(ofp_flow_mod_decode(b.data, b.size, &fm),
                     OFPERR_NXM_INVALID);
    ofp_flow_mod_uninit(&fm);

    /* A match_len past the end; a length not 48 + 8n. */
    b.size = 0;
    put_nx_flow_mod(&b, OFPFC_ADD, 0, NULL, 0, "actions=drop");
    ofp_put_be(b.data + 40, 2, 8);
    assert_int_equal(ofp_flow_mod_decode(b.data, b.size, &fm),
                     OFPERR_BAD_MATCH_LEN);
    ofp_flow_mod_uninit(&fm);
    assert_int_equal(ofp_flow_mod_decode(b.data, 52, &fm), OFPERR_BAD_LEN);
    ofp_flow_mod_uninit(&fm);
    buf_uninit(&b);
}

static void
test_nx_flow_removed(void **state)
{
    struct ofp_flow_removed fr, back;
    char *error = NULL;
    struct buf b;

    (void) state;
    memset(&fr, 0, sizeof fr);
    assert_int_equal(match_parse(&fr.match, "tun_id=0x99,reg1=3,ipv6", &error),
                     0);
    fr.cookie = 0x1234;
    fr.priority = 40;
    fr.reason = OFPRR_HARD_TIMEOUT;
    fr.table_id = 2;
    fr.duration_sec = 1;
    fr.duration_nsec = 5000;
    fr.idle_timeout = 7;
    fr.packet_count = 3;
    fr.byte_count = 300;
    buf_init(&b, 0, 128);
    ofp_nx_flow_removed_encode(&fr, &b);
    assert_int_equal(b.data[1], OFPT_EXPERIMENTER);
    assert_int_equal(b.size % 8, 0);
    assert_int_equal(b.data[27], 3); /* table_id + 1 */
    assert_int_equal(ofp_flow_removed_decode(b.data, b.size, &back), 0);
    assert_true(match_equal(&fr.match, &back.match));
    assert_int_equal(back.cookie, 0x1234);
    assert_int_equal(back.table_id, 2);
    assert_int_equal(back.reason, OFPRR_HARD_TIMEOUT);
    assert_int_equal(back.idle_timeout, 7);
    assert_int_equal(back.packet_count, 3);
    assert_int_equal(back.byte_count, 300);
    buf_uninit(&b);
}

static void
test_nx_flow_stats(void **state)
{
    struct ofp_flow_stats_request req, back;
    struct ofp_mp_reply r;
    struct ofp_flow_stats fs;
    char *error = NULL;
    enum ofptype type;
    struct buf b, *m;
    const uint8_t *p;

    (void) state;
    memset(&req, 0, sizeof req);
    req.nx = true;
    req.table_id = OFPTT_ALL;
    req.out_port = OFPP_NONE;
    req.cookie = 0x70;
    req.cookie_mask = 0xf0;
    assert_int_equal(match_parse(&req.match, "tun_id=5", &error), 0);
    buf_init(&b, 0, 128);
    ofp_flow_stats_request_encode(&req, OFP10_VERSION, 9, &b);
    assert_int_equal(ofp_decode_type(b.data, b.size, &type), 0);
    assert_int_equal(type, OFPTYPE_EXPERIMENTER_STATS_REQUEST);
    assert_int_equal(ofp_flow_stats_request_decode(b.data, b.size, &back), 0);
    assert_true(back.nx);
    assert_false(back.aggregate);
    assert_int_equal(back.table_id, OFPTT_ALL);
    assert_int_equal(back.cookie, 0x70);
    assert_int_equal(back.cookie_mask, 0xf0);
    assert_true(match_equal(&req.match, &back.match));

    /* The reply: vendor stats header, one nx_flow_stats with the ages. */
    ofp_mp_reply_init(&r, b.data);
    memset(&fs, 0, sizeof fs);
    ofpacts_init(&fs.ofpacts);
    fs.match = req.match;
    fs.table_id = 3;
    fs.priority = 100;
    fs.duration_sec = 4;
    fs.idle_age = 2;
    fs.hard_age = 4;
    fs.cookie = 0x77;
    assert_int_equal(ofp_flow_stats_put(&r, &fs), 0);
    ofp_mp_reply_finish(&r);
    m = ofp_mp_reply_pop(&r);
    p = m->data;
    assert_int_equal(ofp_get_be(p + 8, 2), OFPMP_EXPERIMENTER);
    assert_int_equal(ofp_get_be(p + 12, 4), NX_VENDOR_ID);
    assert_int_equal(ofp_get_be(p + 16, 4), NXST_FLOW);
    p += NX_STATS_HEADER_SIZE;
    assert_int_equal(ofp_get_be(p, 2), m->size - NX_STATS_HEADER_SIZE);
    assert_int_equal(p[2], 3);
    assert_int_equal(ofp_get_be(p + 12, 2), 100);
    assert_int_equal(ofp_get_be(p + 18, 2), 12); /* NXM_NX_TUN_ID */
    assert_int_equal(ofp_get_be(p + 20, 2), 3);  /* idle_age + 1 */
    assert_int_equal(ofp_get_be(p + 22, 2), 5);  /* hard_age + 1 */
    assert_int_equal(ofp_get_be(p + 24, 8), 0x77);
    buf_delete(m);
    ofp_mp_reply_destroy(&r);
    ofpacts_uninit(&fs.ofpacts);

    /* Aggregate: the same request, NXST_AGGREGATE. */
    req.aggregate = true;
    b.size = 0;
    ofp_flow_stats_request_encode(&req, OFP10_VERSION, 9, &b);
    assert_int_equal(ofp_flow_stats_request_decode(b.data, b.size, &back), 0);
    assert_true(back.aggregate);
    /* An unknown Nicira stats subtype. */
    ofp_put_be(b.data + 16, 4, 2);
    assert_int_equal(ofp_flow_stats_request_decode(b.data, b.size, &back),
                     OFPERR_BAD_EXP_TYPE);
    buf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_mod_round_trips),
        cmocka_unit_test(test_flow_mod_wire),
        cmocka_unit_test(test_flow_mod_errors),
        cmocka_unit_test(test_flow_mod_text),
        cmocka_unit_test(test_flow_removed),
        cmocka_unit_test(test_packet_in),
        cmocka_unit_test(test_flow_mod_tunnel),
        cmocka_unit_test(test_packet_out),
        cmocka_unit_test(test_flow_stats),
        cmocka_unit_test(test_nx_flow_mod),
        cmocka_unit_test(test_nx_flow_removed),
        cmocka_unit_test(test_nx_flow_stats),
    };
    return cmocka_run_group_tests_name("ofp-flow", tests, NULL, NULL);
}
