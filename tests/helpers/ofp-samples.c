/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-samples: prints "NAME HEX" lines, one per OpenFlow message, for a set
 * of messages built by our flow, group and configuration encoders in both
 * versions.  The interop tests hand them to independent decoders (Debian's
 * ovs-ofctl ofp-print, and tshark's OpenFlow dissector through a pcap).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"

static void
emit(const char *name, const struct buf *b)
{
    printf("%s ", name);
    for (size_t i = 0; i < b->size; i++) {
        printf("%02x", b->data[i]);
    }
    putchar('\n');
}

static void
emit_reply(const char *name, struct ofp_mp_reply *r)
{
    struct buf *m;

    ofp_mp_reply_finish(r);
    while ((m = ofp_mp_reply_pop(r))) {
        emit(name, m);
        buf_delete(m);
    }
}

static const char *const flows[] = {
    "priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,actions=output:2,"
    "NORMAL,CONTROLLER:65535",
    "cookie=0x42,idle_timeout=10,hard_timeout=20,send_flow_rem,in_port=1,"
    "dl_src=00:11:22:33:44:55,dl_vlan=5,actions=mod_dl_dst:00:00:00:00:00:01,"
    "strip_vlan,LOCAL,IN_PORT,FLOOD,ALL",
    "udp,nw_src=1.2.3.4,tp_src=53,actions=mod_tp_dst:99,mod_nw_src:5.6.7.8,"
    "mod_nw_tos:8,enqueue:3:4",
    "priority=0,actions=CONTROLLER:128",
    "arp,arp_op=1,arp_spa=10.0.0.1,actions=drop",
    "icmp,icmp_type=8,icmp_code=0,actions=mod_vlan_vid:10,mod_vlan_pcp:3,"
    "output:1",
};

static const char *const flows13[] = {
    "table=1,priority=100,tcp,nw_dst=10.0.0.0/24,tp_dst=80,"
    "actions=set_field:2->ip_dscp,goto_table:2",
    "table=2,ip,dl_vlan=5,actions=set_field:4098->vlan_vid,push_vlan:0x8100,"
    "pop_vlan,set_queue:3,group:5,dec_ttl,mod_nw_ttl:9,clear_actions,"
    "write_actions(output:5),write_metadata:0x5/0xff,goto_table:3",
    "ipv6,ipv6_src=2001:db8::/32,ipv6_label=0x12345,actions=output:1",
    "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:01:02:03:04:05,"
    "actions=output:1",
    "tun_id=0x5/0xff,metadata=0x6,dl_dst=01:00:00:00:00:00/"
    "01:00:00:00:00:00,actions=drop",
    "reset_counts,arp,arp_tha=00:00:00:00:00:07,arp_tpa=10.0.0.0/8,"
    "actions=set_field:2->arp_op,output:3",
    "sctp,nw_ecn=1,tp_src=5,actions=set_field:7->sctp_dst,output:4",
};

static void
flow_mod(const char *name, uint8_t version, const char *text, int command)
{
    struct ofp_flow_mod fm;
    struct buf b;
    char *error = NULL;

    if (ofp_flow_mod_parse(&fm, text, command, &error)) {
        vs_fatal(1, "%s: %s", text, error);
    }
    buf_init(&b, 0, 256);
    if (ofp_flow_mod_encode(&fm, version, 1, &b)) {
        vs_fatal(1, "%s: cannot encode", text);
    }
    emit(name, &b);
    buf_uninit(&b);
    ofp_flow_mod_uninit(&fm);
}

static void
flow_stats(uint8_t version, const char *const *texts, size_t n)
{
    struct ofp_flow_stats_request req;
    struct ofp_mp_reply r;
    struct buf b;

    memset(&req, 0, sizeof req);
    match_init_catchall(&req.match);
    req.table_id = OFPTT_ALL;
    req.out_port = OFPP_NONE;
    req.out_group = OFPG_ANY;
    buf_init(&b, 0, 128);
    ofp_flow_stats_request_encode(&req, version, 7, &b);
    emit("flow-stats-request", &b);
    ofp_mp_reply_init(&r, b.data);
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_mod fm;
        struct ofp_flow_stats fs;

        if (ofp_flow_mod_parse(&fm, texts[i], OFPFC_ADD, NULL)) {
            vs_fatal(1, "%s: bad flow", texts[i]);
        }
        memset(&fs, 0, sizeof fs);
        fs.match = fm.match;
        fs.table_id = fm.table_id;
        fs.priority = fm.priority;
        fs.idle_timeout = fm.idle_timeout;
        fs.hard_timeout = fm.hard_timeout;
        fs.flags = version == OFP13_VERSION ? fm.flags : 0;
        fs.cookie = fm.new_cookie == UINT64_MAX ? 0 : fm.new_cookie;
        fs.duration_sec = i;
        fs.duration_nsec = 5000000;
        fs.packet_count = i * 10;
        fs.byte_count = i * 600;
        fs.ofpacts = fm.ofpacts;
        ofp_flow_stats_put(&r, &fs);
        ofp_flow_mod_uninit(&fm);
    }
    emit_reply("flow-stats-reply", &r);

    req.aggregate = true;
    buf_clear(&b);
    ofp_flow_stats_request_encode(&req, version, 8, &b);
    emit("aggregate-request", &b);
    ofp_mp_reply_init(&r, b.data);
    {
        struct ofp_aggregate_stats as = {100, 6000, 3};

        ofp_aggregate_reply_put(&r, &as);
    }
    emit_reply("aggregate-reply", &r);
    buf_uninit(&b);
}

static void
async_messages(uint8_t version)
{
    static const uint8_t frame[64] = {0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0x52, 0x54, 0,    0,
                                      0,    1,    0x08, 0x06};
    struct ofp_flow_removed fr;
    struct ofp_packet_in pin;
    struct ofp_packet_out po;
    struct buf b;

    buf_init(&b, 0, 256);
    memset(&fr, 0, sizeof fr);
    match_parse(&fr.match, "tcp,nw_src=10.0.0.1,tp_dst=22", NULL);
    fr.cookie = 0x99;
    fr.priority = 7;
    fr.reason = OFPRR_IDLE_TIMEOUT;
    fr.table_id = version == OFP13_VERSION ? 3 : 0;
    fr.duration_sec = 12;
    fr.duration_nsec = 3000;
    fr.idle_timeout = 10;
    fr.hard_timeout = 30;
    fr.packet_count = 4;
    fr.byte_count = 256;
    ofp_flow_removed_encode(&fr, version, &b);
    emit("flow-removed", &b);

    memset(&pin, 0, sizeof pin);
    pin.packet = frame;
    pin.packet_len = sizeof frame;
    pin.total_len = sizeof frame;
    pin.buffer_id = OFP_NO_BUFFER;
    pin.in_port = 2;
    pin.reason = OFPR_NO_MATCH;
    pin.table_id = 1;
    pin.cookie = 0x77;
    pin.metadata = 0x5;
    buf_clear(&b);
    ofp_packet_in_encode(&pin, version, 0, &b);
    emit("packet-in", &b);

    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = OFPP_LOCAL;
    po.packet = frame;
    po.packet_len = sizeof frame;
    ofpacts_init(&po.ofpacts);
    ofpacts_parse("output:1,FLOOD", NULL, &po.ofpacts, NULL);
    buf_clear(&b);
    ofp_packet_out_encode(&po, version, 9, &b);
    emit("packet-out", &b);
    ofpacts_uninit(&po.ofpacts);

    {
        struct ofp_port_mod pm = {
            3, {0x52, 0x54, 0, 0, 0, 3}, OFPPC_PORT_DOWN, OFPPC_PORT_DOWN, 0};

        buf_clear(&b);
        ofp_port_mod_encode(&pm, version, 10, &b);
        emit("port-mod", &b);
    }
    {
        struct ofp_mp_reply r;
        struct ofp_port_stats ps = {.port_no = 1,
                                    .rx_packets = 10,
                                    .tx_packets = 20,
                                    .rx_bytes = 600,
                                    .tx_bytes = 1200,
                                    .rx_dropped = 1,
                                    .duration_sec = 5};

        buf_clear(&b);
        ofp_port_stats_request_encode(version, OFPP_NONE, 12, &b);
        emit("port-stats-request", &b);
        ofp_mp_reply_init(&r, b.data);
        ofp_port_stats_put(&r, &ps);
        ps.port_no = OFPP_LOCAL;
        ofp_port_stats_put(&r, &ps);
        emit_reply("port-stats-reply", &r);
    }
    buf_clear(&b);
    {
        uint8_t req[8] = {version, OFPT_FEATURES_REQUEST, 0, 8, 0, 0, 0, 11};

        ofperr_encode(&b, OFPERR_BAD_OUT_PORT, version, 11, req, sizeof req);
    }
    emit("error", &b);
    buf_uninit(&b);
}

static void
group_messages(void)
{
    static const char *const acts[] = {"output:1", "set_queue:2,output:3"};
    struct ofp_mp_reply r;
    struct buf b;

    buf_init(&b, 0, 256);
    for (uint8_t type = OFPGT_ALL; type <= OFPGT_FF; type++) {
        struct ofp_group_mod_req gm;
        size_t n = type == OFPGT_INDIRECT ? 1 : 2;

        memset(&gm, 0, sizeof gm);
        gm.command = OFPGC_ADD;
        gm.type = type;
        gm.group_id = 10 + type;
        gm.n_buckets = n;
        gm.buckets = xcalloc(n, sizeof *gm.buckets);
        for (size_t i = 0; i < n; i++) {
            gm.buckets[i].weight = type == OFPGT_SELECT ? 1 + i : 0;
            gm.buckets[i].watch_port = type == OFPGT_FF ? 1 + i : OFPP_NONE;
            gm.buckets[i].watch_group = OFPG_ANY;
            ofpacts_init(&gm.buckets[i].actions);
            ofpacts_parse(acts[i], NULL, &gm.buckets[i].actions, NULL);
        }
        buf_clear(&b);
        ofp_group_mod_encode(&gm, 20 + type, &b);
        emit("group-mod", &b);
        if (type == OFPGT_SELECT) {
            struct of_group g = {.id = gm.group_id,
                                 .type = gm.type,
                                 .buckets = gm.buckets,
                                 .n_buckets = gm.n_buckets};

            buf_clear(&b);
            ofp_group_stats_request_encode(OFPMP_GROUP_DESC, 0, 30, &b);
            emit("group-desc-request", &b);
            ofp_mp_reply_init(&r, b.data);
            ofp_group_desc_put(&r, &g);
            emit_reply("group-desc-reply", &r);
        }
        ofp_group_mod_uninit(&gm);
    }
    buf_clear(&b);
    ofp_group_stats_request_encode(OFPMP_GROUP, OFPG_ALL, 31, &b);
    emit("group-stats-request", &b);
    {
        static const uint64_t pk[2] = {1, 2}, by[2] = {60, 120};
        struct ofp_group_stats gs = {11, 1, 3, 180, 5, 6000, 2, pk, by};

        ofp_mp_reply_init(&r, b.data);
        ofp_group_stats_put(&r, &gs);
        emit_reply("group-stats-reply", &r);
    }
    buf_clear(&b);
    ofp_group_stats_request_encode(OFPMP_GROUP_FEATURES, 0, 32, &b);
    emit("group-features-request", &b);
    ofp_mp_reply_init(&r, b.data);
    ofp_group_features_put(&r, &ofp_vswitch_group_features);
    emit_reply("group-features-reply", &r);

    buf_clear(&b);
    ofp_table_mod_encode(3, 0, 33, &b);
    emit("table-mod", &b);
    buf_clear(&b);
    ofp_role_encode(OFPT13_ROLE_REQUEST, OFPCR_ROLE_MASTER, 5, 34, &b);
    emit("role-request", &b);
    buf_clear(&b);
    ofp_role_encode(OFPT13_ROLE_REPLY, OFPCR_ROLE_SLAVE, 6, 35, &b);
    emit("role-reply", &b);
    buf_clear(&b);
    ofp_async_encode(OFPT13_SET_ASYNC, &ofp_async_default, 36, &b);
    emit("set-async", &b);
    buf_clear(&b);
    ofp_async_encode(OFPT13_GET_ASYNC_REPLY, &ofp_async_default, 37, &b);
    emit("get-async-reply", &b);
    buf_uninit(&b);
}

int
main(int argc, char *argv[])
{
    const char *which = argc > 1 ? argv[1] : "all";
    bool all = !strcmp(which, "all");

    vs_set_program_name(argv[0]);
    if (all || !strcmp(which, "10")) {
        for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
            flow_mod("flow-mod", OFP10_VERSION, flows[i], OFPFC_ADD);
        }
        flow_mod("flow-mod", OFP10_VERSION, "tcp,actions=output:9",
                 OFPFC_MODIFY);
        flow_mod("flow-mod", OFP10_VERSION, "out_port=2,ip", OFPFC_DELETE);
        flow_mod("flow-mod", OFP10_VERSION, "priority=5,udp",
                 OFPFC_DELETE_STRICT);
        flow_stats(OFP10_VERSION, flows, ARRAY_SIZE(flows));
        async_messages(OFP10_VERSION);
    }
    if (all || !strcmp(which, "13")) {
        for (size_t i = 0; i < ARRAY_SIZE(flows); i++) {
            flow_mod("flow-mod", OFP13_VERSION, flows[i], OFPFC_ADD);
        }
        for (size_t i = 0; i < ARRAY_SIZE(flows13); i++) {
            flow_mod("flow-mod", OFP13_VERSION, flows13[i], OFPFC_ADD);
        }
        flow_mod("flow-mod", OFP13_VERSION,
                 "cookie=0x10/0xf0,tcp,actions=output:9", OFPFC_MODIFY);
        flow_mod("flow-mod", OFP13_VERSION, "out_port=2,out_group=5,ip",
                 OFPFC_DELETE);
        flow_mod("flow-mod", OFP13_VERSION, "table=3,priority=5,udp",
                 OFPFC_DELETE_STRICT);
        flow_stats(OFP13_VERSION, flows13, ARRAY_SIZE(flows13));
        async_messages(OFP13_VERSION);
        group_messages();
    }
    return 0;
}
