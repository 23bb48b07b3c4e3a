/* SPDX-License-Identifier: Apache-2.0 */
/* Translation golden tests: these tables + this packet -> these datapath
 * actions and this megaflow; and the oracle property test (random tables,
 * random packets: the megaflow matches the packet and every packet inside
 * it translates to the same actions). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include "vswitch/coverage.h"
#include "vswitch/rcu.h"
#include "xlate-fixture.h"

#define A "00:00:00:00:00:0a"
#define B "00:00:00:00:00:0b"
#define C "00:00:00:00:00:0c"

static int
setup(void **state)
{
    vrcu_thread_init();
    *state = fx_create();
    return 0;
}

static int
teardown(void **state)
{
    fx_destroy(*state);
    return 0;
}

static void
test_normal_learning(void **state)
{
    struct fx *fx = *state;

    fx->br.normal_only = true;
    /* Unknown destination: flood, learning A on port 1. */
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=" B ",ip", "2,3,4,0",
             "in_port(1),eth(src=00:00:00:00:00:0a,dst=00:00:00:00:00:0b),"
             "eth_type(0x0800),ipv4(frag=no)");
    /* B answers from port 2: A is known. */
    fx_check(fx, "in_port=2,dl_src=" B ",dl_dst=" A ",ip", "1", NULL);
    /* Now A to B is unicast. */
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=" B ",ip", "2", NULL);
    /* Broadcast floods; a destination learned on the input port drops. */
    fx_check(fx, "in_port=3,dl_src=" C ",dl_dst=ff:ff:ff:ff:ff:ff,arp",
             "1,2,4,0", NULL);
    fx_check(fx, "in_port=1,dl_src=" B ",dl_dst=" A ",ip", "drop", NULL);
    /* B moved to port 1 with that frame; reserved multicast drops. */
    assert_int_equal(
        mac_learning_lookup(fx->br.ml, 0,
                            &(struct eth_addr){{0, 0, 0, 0, 0, 0xb}}, fx->now),
        1);
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=01:80:c2:00:00:00", "drop",
             NULL);
    /* no_flood ports are left out of floods, no_fwd ports of everything,
     * no_recv ports take nothing in. */
    fx_port(fx, 2)->no_flood = true;
    fx_port(fx, 4)->no_fwd = true;
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=ff:ff:ff:ff:ff:ff,ip", "3,0",
             NULL);
    fx_port(fx, 3)->no_recv = true;
    fx_check(fx, "in_port=3,dl_src=" C ",dl_dst=" A ",ip", "drop",
             "in_port(3),eth(),eth_type(0x0800),ipv4(frag=no)");
}

/* Translates a PACKET_OUT of 'acts' for the flow in 'text' without an
 * input port; checks the datapath actions against 'expected'. */
static void
check_packet_out(struct fx *fx, const char *text, const struct ofpacts *acts,
                 const char *expected)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct xlate_out xout;
    struct flow flow;

    fx_parse_flow(text, &flow);
    flow.in_port = UINT32_MAX;
    xlate_out_init(&xout);
    assert_int_equal(fx_xlate_flow(fx, &flow, acts, &xout), 0);
    odp_actions_format(xout.odp_actions.data, xout.odp_actions.size, &s);
    assert_string_equal(ds_cstr(&s), expected);
    ds_destroy(&s);
    xlate_out_uninit(&xout);
}

/* PACKET_OUT with NORMAL (no input port): floods, or follows the learned
 * port, and learns nothing. */
static void
test_normal_packet_out(void **state)
{
    struct fx *fx = *state;
    struct ofpacts acts;
    char *error = NULL;

    fx->br.normal_only = true;
    fx_check(fx, "in_port=2,dl_src=" B ",dl_dst=" A ",ip", "1,3,4,0", NULL);
    ofpacts_init(&acts);
    assert_int_equal(ofpacts_parse("NORMAL", NULL, &acts, &error), 0);
    check_packet_out(fx, "dl_src=" C ",dl_dst=" A ",ip", &acts, "1,2,3,4,0");
    check_packet_out(fx, "dl_src=" C ",dl_dst=" B ",ip", &acts, "2");
    assert_int_equal(mac_learning_count(fx->br.ml), 1);
    ofpacts_uninit(&acts);
}

static void
test_normal_vlans(void **state)
{
    struct fx *fx = *state;
    static uint8_t trunk_10_20[512];

    fx->br.normal_only = true;
    fx->br.n_ports = FX_N_PORTS; /* No LOCAL: shorter floods. */
    trunk_10_20[10 / 8] |= 1 << (10 % 8);
    trunk_10_20[20 / 8] |= 1 << (20 % 8);
    fx_port(fx, 1)->vlan_mode = XPORT_VLAN_ACCESS;
    fx_port(fx, 1)->tag = 10;
    fx_port(fx, 2)->vlan_mode = XPORT_VLAN_ACCESS;
    fx_port(fx, 2)->tag = 20;
    fx_port(fx, 3)->trunks = trunk_10_20;
    fx_port(fx, 4)->vlan_mode = XPORT_VLAN_NATIVE_UNTAGGED;
    fx_port(fx, 4)->tag = 10;

    /* Access 10 in: the trunk gets a tag, native-untagged 10 none. */
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=ff:ff:ff:ff:ff:ff,ip",
             "push_vlan(vid=10,pcp=0),3,pop_vlan,4",
             "in_port(1),eth(src=00:00:00:00:00:0a,dst=ff:ff:ff:ff:ff:ff),"
             "eth_type(0x0800),ipv4(frag=no)");
    /* Tagged 20 on the trunk: access port 2 untagged, port 4 (native 10,
     * every VLAN) tagged, its original tag back. */
    fx_check(fx,
             "in_port=3,dl_vlan=20,dl_src=" B ",dl_dst=ff:ff:ff:ff:ff:ff,ip",
             "pop_vlan,2,push_vlan(vid=20,pcp=0),4",
             "in_port(3),eth(src=00:00:00:00:00:0b,dst=ff:ff:ff:ff:ff:ff),"
             "eth_type(0x8100),vlan(vid=20,pcp=0),"
             "encap(eth_type(0x0800),ipv4(frag=no))");
    /* VLAN 30 is not on the trunk; tagged frames on access ports drop. */
    fx_check(fx, "in_port=3,dl_vlan=30,dl_src=" B ",dl_dst=" A ",ip", "drop",
             NULL);
    fx_check(fx, "in_port=1,dl_vlan=10,dl_src=" A ",dl_dst=" B ",ip", "drop",
             NULL);
    /* Learned in VLAN 10 on port 1: unicast from the trunk untags. */
    fx_check(fx, "in_port=3,dl_vlan=10,dl_src=" C ",dl_dst=" A ",ip",
             "pop_vlan,1", NULL);
    /* Native-untagged port 4 untagged in = VLAN 10; A is on port 1. */
    fx_check(fx, "in_port=4,dl_src=" B ",dl_dst=" A ",ip", "1", NULL);
    /* ...and C, learned from the trunk, gets a tag. */
    fx_check(fx, "in_port=4,dl_src=" B ",dl_dst=" C ",ip",
             "push_vlan(vid=10,pcp=0),3", NULL);
}

static void
test_goto_pipeline(void **state)
{
    struct fx *fx = *state;

    fx_flow(fx, "table=0,priority=10,ip,nw_src=10.0.0.0/8,"
                "actions=write_metadata:0x5/0xff,goto_table:1");
    fx_flow(fx, "table=0,priority=0,actions=drop");
    fx_flow(fx, "table=1,priority=20,tcp,metadata=0x5,tp_dst=80,"
                "actions=output:2");
    fx_flow(fx, "table=1,priority=10,ip,actions=goto_table:3");
    fx_flow(fx, "table=3,priority=1,actions=output:3");
    fx_check(fx, "in_port=1,tcp,nw_src=10.1.2.3,nw_dst=192.168.0.1,tp_dst=80",
             "2",
             "in_port(1),eth(),eth_type(0x0800),"
             "ipv4(src=10.0.0.0/255.0.0.0,proto=6,frag=no),tcp(dst=80)");
    fx_check(fx, "in_port=1,tcp,nw_src=10.1.2.3,nw_dst=192.168.0.1,tp_dst=22",
             "3",
             "in_port(1),eth(),eth_type(0x0800),"
             "ipv4(src=10.0.0.0/255.0.0.0,proto=6,frag=no),tcp(dst=22)");
    /* A tagged packet: the tag's presence is part of the megaflow, not
     * its VID. */
    fx_check(fx, "in_port=1,dl_vlan=5,tcp,nw_src=10.1.2.3,tp_dst=80", "2",
             "in_port(1),eth(),eth_type(0x8100),vlan(),encap(eth_type(0x0800),"
             "ipv4(src=10.0.0.0/255.0.0.0,proto=6,frag=no),tcp(dst=80))");
    fx_check(fx, "in_port=1,tcp,nw_src=11.1.2.3,tp_dst=80", "drop",
             "in_port(1),eth(),eth_type(0x0800),"
             "ipv4(src=11.0.0.0/255.0.0.0,proto=6,frag=no)");
    /* (The classifier's prefix trie un-wildcards some ARP address bits:
     * sound, not minimal; see docs/flow-and-classifier.md.) */
    fx_check(fx, "in_port=1,arp", "drop",
             "in_port(1),eth(),eth_type(0x0806),arp(sip=0.0.0.0/248.0.0.0)");
}

static void
test_action_set(void **state)
{
    struct fx *fx = *state;

    /* write_actions accumulate; output runs at the end, after the sets;
     * clear_actions forgets. */
    fx_flow(fx, "table=0,priority=1,ip,actions=write_actions(output:4),"
                "goto_table:1");
    fx_flow(fx, "table=1,priority=2,ip,nw_dst=10.0.0.2,actions=write_actions("
                "set_field:10.0.0.9->ip_dst,output:2)");
    fx_flow(fx, "table=1,priority=1,ip,actions=clear_actions");
    fx_check(fx, "in_port=1,ip,nw_dst=10.0.0.2", "set(ipv4(dst=10.0.0.9)),2",
             "in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.2,frag=no)");
    fx_check(fx, "in_port=1,ip,nw_dst=10.0.0.3", "drop", NULL);
}

static void
test_groups(void **state)
{
    struct fx *fx = *state;

    fx_group(fx, "group_id=1,type=all,bucket=output:2,"
                 "bucket=set_field:00:00:00:00:00:99->eth_dst,output:3,"
                 "bucket=output:4");
    fx_group(fx, "group_id=2,type=select,bucket=output:2,bucket=output:3");
    fx_group(fx, "group_id=3,type=ff,bucket=watch_port:2,output:2,"
                 "bucket=watch_port:4,output:4");
    fx_group(fx, "group_id=4,type=indirect,bucket=group:1");
    fx_flow(fx, "priority=1,in_port=1,actions=group:1");
    fx_flow(fx, "priority=1,in_port=2,actions=group:2");
    fx_flow(fx, "priority=1,in_port=3,actions=group:3");
    fx_flow(fx, "priority=1,in_port=4,actions=group:4");

    /* All: each bucket sees the packet as it entered the group. */
    fx_check(fx, "in_port=1,dl_dst=" A ",ip",
             "2,set(eth(dst=00:00:00:00:00:99)),3,"
             "set(eth(dst=00:00:00:00:00:0a)),4",
             NULL);
    /* Select: hashes the L2-L4 fields, which all join the mask. */
    fx_check(fx, "in_port=2,tcp,nw_src=1.1.1.1,nw_dst=2.2.2.2,tp_dst=80", "3",
             "in_port(2),eth(src=00:00:00:00:00:00,dst=00:00:00:00:00:00),"
             "eth_type(0x0800),ipv4(src=1.1.1.1,dst=2.2.2.2,proto=6,frag=no),"
             "tcp(src=0,dst=80)");
    /* Fast failover follows port liveness. */
    fx_check(fx, "in_port=3,ip", "2", NULL);
    fx_port(fx, 2)->live = false;
    fx_check(fx, "in_port=3,ip", "4", NULL);
    /* Indirect to all: from port 4, both other ports. */
    fx_port(fx, 2)->live = true;
    fx_check(fx, "in_port=4,dl_dst=" A ",ip",
             "2,set(eth(dst=00:00:00:00:00:99)),3", NULL);
}

static void
test_rewrites(void **state)
{
    struct fx *fx = *state;

    fx_flow(fx, "priority=1,in_port=1,tcp,actions=set_field:10.0.0.9->ip_dst,"
                "set_field:8080->tcp_dst,dec_ttl,output:2");
    fx_flow(fx, "priority=1,in_port=2,ip,actions=push_vlan:0x8100,"
                "set_field:4106->vlan_vid,output:3");
    fx_flow(fx, "priority=1,in_port=3,dl_vlan=10,actions=pop_vlan,output:1");
    fx_flow(fx, "priority=1,in_port=4,ipv6,actions=mod_dl_src:" C ","
                "output:1,output:2");
    fx_check(fx, "in_port=1,tcp,nw_dst=10.0.0.1,nw_ttl=64,tp_dst=80",
             "set(ipv4(dst=10.0.0.9,ttl=63)),set(tcp(dst=8080)),2",
             "in_port(1),eth(),eth_type(0x0800),"
             "ipv4(dst=10.0.0.1,proto=6,ttl=64,frag=no),tcp(dst=80)");
    fx_check(fx, "in_port=1,tcp,nw_dst=10.0.0.1,nw_ttl=1,tp_dst=80", "drop",
             NULL);
    fx_check(fx, "in_port=2,ip", "push_vlan(vid=10,pcp=0),3",
             "in_port(2),eth(),eth_type(0x0800),ipv4(frag=no)");
    fx_check(fx, "in_port=3,dl_vlan=10,ip", "pop_vlan,1",
             "in_port(3),eth(),eth_type(0x8100),vlan(vid=10,pcp=0),"
             "encap(eth_type(0x0800),ipv4(frag=no))");
    fx_check(fx, "in_port=4,ipv6,dl_src=" A,
             "set(eth(src=00:00:00:00:00:0c)),1,2", NULL);

    /* An expired TTL drops the packet, its action set too. */
    fx_flow(fx, "priority=2,in_port=1,udp,actions=dec_ttl,"
                "write_actions(output:3)");
    fx_check(fx, "in_port=1,udp,nw_ttl=5", "set(ipv4(ttl=4)),3",
             "in_port(1),eth(),eth_type(0x0800),ipv4(proto=17,ttl=5,frag=no)");
    fx_check(fx, "in_port=1,udp,nw_ttl=1", "drop", NULL);
}

/* Fails unless, in the 'size' bytes of datapath actions at 'data' (nested
 * lists too), every set_masked() has no value bit outside its mask and
 * every set_masked() of IPv4 or IPv6 leaves the fields a datapath refuses
 * to write alone: the mask has no IP protocol or fragment bits and no IPv6
 * label bits above the low 20.  xlate emits only set_masked() for L3, so
 * a plain set() of either fails too. */
static void
assert_sets_writable(const void *data, size_t size)
{
    const struct nlattr *attr;

    mnl_attr_for_each_payload(data, size)
    {
        const struct nlattr *k = mnl_attr_get_payload(attr);
        uint16_t type = mnl_attr_get_type(attr);

        if (type == OVS_ACTION_ATTR_CLONE) {
            assert_sets_writable(mnl_attr_get_payload(attr),
                                 mnl_attr_get_payload_len(attr));
        } else if (type == OVS_ACTION_ATTR_SAMPLE
                   || type == OVS_ACTION_ATTR_CHECK_PKT_LEN) {
            const struct nlattr *n;

            mnl_attr_for_each_nested(n, attr)
            {
                if (mnl_attr_get_type(n) != OVS_SAMPLE_ATTR_PROBABILITY
                    && mnl_attr_get_type(n)
                           != OVS_CHECK_PKT_LEN_ATTR_PKT_LEN) {
                    assert_sets_writable(mnl_attr_get_payload(n),
                                         mnl_attr_get_payload_len(n));
                }
            }
        } else if (type == OVS_ACTION_ATTR_SET) {
            assert_int_not_equal(mnl_attr_get_type(k), OVS_KEY_ATTR_IPV4);
            assert_int_not_equal(mnl_attr_get_type(k), OVS_KEY_ATTR_IPV6);
        } else if (type == OVS_ACTION_ATTR_SET_MASKED) {
            const uint8_t *v = mnl_attr_get_payload(k);
            size_t half = mnl_attr_get_payload_len(k) / 2;

            /* No value bit outside the mask. */
            for (size_t i = 0; i < half; i++) {
                assert_int_equal(v[i] & ~v[half + i], 0);
            }
        }
        if (type == OVS_ACTION_ATTR_SET_MASKED
            && mnl_attr_get_type(k) == OVS_KEY_ATTR_IPV4) {
            const struct ovs_key_ipv4 *v = mnl_attr_get_payload(k);

            assert_int_equal(mnl_attr_get_payload_len(k), 2 * sizeof *v);
            assert_int_equal(v[1].ipv4_proto, 0);
            assert_int_equal(v[1].ipv4_frag, 0);
        } else if (type == OVS_ACTION_ATTR_SET_MASKED
                   && mnl_attr_get_type(k) == OVS_KEY_ATTR_IPV6) {
            const struct ovs_key_ipv6 *v = mnl_attr_get_payload(k);

            assert_int_equal(mnl_attr_get_payload_len(k), 2 * sizeof *v);
            assert_int_equal(v[1].ipv6_proto, 0);
            assert_int_equal(v[1].ipv6_frag, 0);
            assert_int_equal(ntohl(v[1].ipv6_label) & ~0xfffffu, 0);
        }
    }
}

/* Every L3 rewrite, of a fragment too, and of all IPv6 fields at once:
 * set_masked() never masks what the datapath may not write. */
static void
test_set_masked_writable(void **state)
{
    static const char *const packets[] = {
        "in_port=1,udp,nw_dst=10.0.0.1,nw_ttl=64,nw_frag=first",
        "in_port=1,ip,nw_proto=17,nw_dst=10.0.0.1,nw_ttl=64,nw_frag=later",
        "in_port=1,tcp,nw_dst=10.0.0.1,nw_ttl=64,tp_dst=80",
        "in_port=2,udp6,ipv6_dst=fd00::1,ipv6_label=0x12345,nw_ttl=9",
        "in_port=2,ipv6,nw_proto=44,ipv6_dst=fd00::1,nw_ttl=9,nw_frag=first",
    };
    struct fx *fx = *state;

    fx_group(fx, "group_id=1,type=all,bucket=set_field:10.0.0.7->ip_dst,"
                 "output:3,bucket=output:4");
    fx_flow(fx, "priority=1,in_port=1,ip,actions=set_field:10.0.0.9->ip_dst,"
                "set_field:10.0.0.8->ip_src,mod_nw_tos:8,dec_ttl,output:2,"
                "group:1");
    fx_flow(fx,
            "priority=1,in_port=2,ipv6,actions=set_field:fd00::9->ipv6_dst,"
            "set_field:fd00::8->ipv6_src,set_field:0x54321->ipv6_label,"
            "mod_nw_tos:8,dec_ttl,output:1");
    for (size_t i = 0; i < sizeof packets / sizeof packets[0]; i++) {
        struct xlate_out xout;
        struct flow flow;

        fx_parse_flow(packets[i], &flow);
        xlate_out_init(&xout);
        assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), 0);
        assert_true(xout.odp_actions.size > 0);
        assert_sets_writable(xout.odp_actions.data, xout.odp_actions.size);
        xlate_out_uninit(&xout);
    }
}

/* A datapath probed without set_masked(eth()): a full set(eth()) with
 * both addresses, both exact in the megaflow. */
static void
test_no_set_masked_eth(void **state)
{
    struct fx *fx = *state;

    dp_features_init_all(&fx->br.features);
    fx->br.features.probed = true;
    fx->br.features.set_masked_eth = false;
    fx_flow(fx, "priority=1,in_port=4,ip,actions=mod_dl_src:" C ",output:1");
    fx_check(fx, "in_port=4,ip,dl_src=" A ",dl_dst=" B,
             "set(eth(src=" C ",dst=" B ")),1",
             "in_port(4),eth(src=" A ",dst=" B
             "),eth_type(0x0800),ipv4(frag=no)");
    /* Probed with it: the masked form, as before. */
    fx->br.features.set_masked_eth = true;
    fx_check(fx, "in_port=4,ip,dl_src=" A ",dl_dst=" B,
             "set(eth(src=" C ")),1", NULL);
}

static void
test_controller(void **state)
{
    struct fx *fx = *state;

    fx_flow(fx, "priority=1,in_port=1,cookie=0x99,actions=CONTROLLER:128");
    fx_check(fx, "in_port=1,ip",
             "userspace(pid=77,userdata(0101000080000100990000000000000000"
             "00000000000000"
             "00000000000000000000000000000000))",
             "in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
    /* The packet-in reports the tunnel metadata, which the megaflow then
     * matches. */
    fx_check(fx,
             "in_port=1,ip,tun_id=0x2a,tun_src=192.0.2.2,tun_dst=192.0.2.1,"
             "tun_flags=+key",
             "userspace(pid=77,userdata(0101000080000100990000000000000000"
             "00000000000000"
             "2a00000000000000c0000202c0000201))",
             "tunnel(tun_id=0x2a,src=192.0.2.2,dst=192.0.2.1,flags(+key)),"
             "in_port(1),eth(),eth_type(0x0800),ipv4(frag=no)");
    /* A miss goes to the controller if the bridge says so. */
    fx_check(fx, "in_port=2,ip", "drop", NULL);
    fx->br.miss_to_controller = true;
    /* Each port's packets go to its own handler socket. */
    fx_check(fx, "in_port=2,ip",
             "userspace(pid=78,userdata(01000000ffff0200ffffffffffffffff00"
             "00000000000000"
             "00000000000000000000000000000000))",
             NULL);
    fx_port(fx, 2)->no_packet_in = true;
    fx_check(fx, "in_port=2,ip", "drop", NULL);
}

/* Translates the flow in 'text' and checks that the budget cut it: no
 * actions, the flag and the counter. */
static void
check_budget_cut(struct fx *fx, const char *text)
{
    uint64_t before = coverage_read("xlate_budget_exceeded");
    struct xlate_out xout;
    struct flow flow;

    fx_parse_flow(text, &flow);
    xlate_out_init(&xout);
    assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), 0);
    assert_true(xout.budget_exceeded);
    assert_int_equal(xout.odp_actions.size, 0);
    assert_int_equal(coverage_read("xlate_budget_exceeded"), before + 1);
    xlate_out_uninit(&xout);
}

static void
test_budget(void **state)
{
    struct fx *fx = *state;
    char text[128];

    /* A chain of 14 "all" groups with two buckets each into the next: 2^14
     * paths, far over the budget. */
    fx_group(fx, "group_id=14,type=all,bucket=output:2");
    for (int i = 13; i >= 1; i--) {
        snprintf(text, sizeof text,
                 "group_id=%d,type=all,bucket=group:%d,bucket=group:%d", i,
                 i + 1, i + 1);
        fx_group(fx, text);
    }
    fx_flow(fx, "priority=1,actions=group:1");
    check_budget_cut(fx, "in_port=1,ip");

    /* A rule that sends back to table 0, which matches it again: cut at
     * the depth limit. */
    fx_flow(fx, "priority=2,in_port=2,actions=output:TABLE");
    check_budget_cut(fx, "in_port=2,ip");
}

static void
test_trace(void **state)
{
    struct fx *fx = *state;
    struct ds trace = DS_EMPTY_INITIALIZER;
    struct xlate_out xout;
    struct flow flow;

    fx_flow(fx, "table=0,priority=5,ip,actions=goto_table:2");
    fx_flow(fx, "table=2,priority=7,ip,nw_dst=10.0.0.1,actions=output:3");
    fx_parse_flow("in_port=1,ip,nw_dst=10.0.0.1", &flow);
    xlate_out_init(&xout);
    xout.trace = &trace;
    assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), 0);
    assert_non_null(strstr(ds_cstr(&trace), "table 0: priority=5,ip"));
    assert_non_null(strstr(ds_cstr(&trace), "table 2: priority=7,ip,"
                                            "nw_dst=10.0.0.1"));
    assert_non_null(strstr(ds_cstr(&trace), "actions=output:3"));
    xlate_out_uninit(&xout);
    ds_destroy(&trace);

    /* The whole ofproto/trace text. */
    {
        struct xlate_in xin;

        memset(&xin, 0, sizeof xin);
        xin.br = &fx->br;
        xin.version = of_tables_version(&fx->tables);
        xin.flow = flow;
        assert_int_equal(xlate_trace_flow(&xin, &trace), 0);
        assert_string_equal(
            ds_cstr(&trace),
            "bridge(\"br0\")\n"
            "table 0: priority=5,ip, cookie=0x0 -> actions=goto_table:2\n"
            "table 2: priority=7,ip,nw_dst=10.0.0.1, cookie=0x0 -> "
            "actions=output:3\n"
            "\n"
            "Megaflow: "
            "in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.1,frag=no)\n"
            "Datapath actions: 3\n");
        ds_destroy(&trace);
    }

    /* Unknown input port. */
    flow.in_port = 42;
    xlate_out_init(&xout);
    assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), EINVAL);
    xlate_out_uninit(&xout);
}

/* The oracle property test.  Random tables over a small field set (so
 * that rules overlap and packets hit them), random packets from the same
 * values; for each packet P the megaflow (P & M, M the installed mask)
 * must match P after a round trip through the datapath key format, and
 * every packet Q that agrees with P on M must translate to the same
 * actions. */
static uint64_t oracle_state;

static uint32_t
rnd(uint32_t n)
{
    oracle_state ^= oracle_state << 13;
    oracle_state ^= oracle_state >> 7;
    oracle_state ^= oracle_state << 17;
    return (uint32_t) (oracle_state % n);
}

static const char *const oracle_macs[] = {
    "00:00:00:00:00:01",
    "00:00:00:00:00:02",
    "00:00:00:00:00:03",
    "ff:ff:ff:ff:ff:ff",
};
static const char *const oracle_ips[] = {
    "10.0.0.1", "10.0.1.2", "10.1.0.3", "192.168.0.1", "10.0.0.200",
};
static const int oracle_plens[] = {8, 16, 24, 32};
static const int oracle_ports[] = {22, 80, 443, 8080};

/* Appends a random rule's match; says which headers it pins down. */
static void
oracle_match(struct ds *s, bool *ip, bool *tcp)
{
    int proto = rnd(4); /* 0: none, 1: ip, 2: tcp, 3: udp. */

    *ip = proto >= 1;
    *tcp = proto == 2;
    ds_put_cstr(s, proto == 0
                       ? (rnd(4) ? "" : "arp,")
                       : (const char *[]){"", "ip,", "tcp,", "udp,"}[proto]);
    if (rnd(3) == 0) {
        ds_put_format(s, "in_port=%u,", 1 + rnd(FX_N_PORTS));
    }
    if (rnd(3) == 0) {
        ds_put_format(s, "dl_dst=%s,", oracle_macs[rnd(4)]);
    }
    if (rnd(4) == 0) {
        ds_put_format(s, "dl_vlan=%d,", 10 + 10 * rnd(3));
    }
    if (*ip && rnd(2)) {
        ds_put_format(s, "nw_src=%s/%d,", oracle_ips[rnd(5)],
                      oracle_plens[rnd(4)]);
    }
    if (*ip && rnd(2)) {
        ds_put_format(s, "nw_dst=%s/%d,", oracle_ips[rnd(5)],
                      oracle_plens[rnd(4)]);
    }
    if (proto >= 2 && rnd(2)) {
        ds_put_format(s, "tp_dst=%d,", oracle_ports[rnd(4)]);
    }
    if (proto >= 2 && rnd(4) == 0) {
        ds_put_format(s, "tp_src=%d,", oracle_ports[rnd(4)]);
    }
}

static void
oracle_actions(struct ds *s, int table, bool ip, bool tcp)
{
    int n = rnd(3);

    ds_put_cstr(s, "actions=");
    for (int i = 0; i < n; i++) {
        switch (rnd(10)) {
        case 0:
        case 1:
            ds_put_format(s, "output:%u,", 1 + rnd(FX_N_PORTS));
            break;
        case 2:
            ds_put_format(s, "set_field:%s->eth_dst,", oracle_macs[rnd(3)]);
            break;
        case 3:
            if (ip) {
                ds_put_format(s, "set_field:%s->ip_dst,", oracle_ips[rnd(5)]);
            }
            break;
        case 4:
            if (tcp) {
                ds_put_format(s, "set_field:%d->tcp_dst,",
                              oracle_ports[rnd(4)]);
            }
            break;
        case 5:
            ds_put_format(s, "group:%u,", 1 + rnd(2));
            break;
        case 6:
            ds_put_cstr(s, (const char *[]){"output:IN_PORT,", "NORMAL,",
                                            "FLOOD,", "ALL,"}[rnd(4)]);
            break;
        case 8:
            ds_put_format(s, "push_vlan:0x8100,set_field:%d->vlan_vid,",
                          4096 + 10 + 10 * rnd(2));
            break;
        case 9:
            ds_put_cstr(s, "pop_vlan,");
            break;
        default:
            if (ip) {
                ds_put_cstr(s, "dec_ttl,");
            }
            break;
        }
    }
    switch (rnd(6)) {
    case 0:
        ds_put_format(s, "write_actions(output:%u),", 1 + rnd(FX_N_PORTS));
        break;
    case 1:
        ds_put_cstr(s, "write_actions(set_field:00:00:00:00:00:07->eth_dst,"
                       "group:2),");
        break;
    case 2:
        ds_put_cstr(s, "clear_actions,");
        break;
    default:
        break;
    }
    if (table < 2 && rnd(2)) {
        ds_put_format(s, "goto_table:%d,", table + 1 + rnd(2 - table));
    }
    if (ds_last(s) == ',') {
        ds_truncate(s, s->length - 1);
    } else {
        ds_put_cstr(s, "drop");
    }
}

/* A random packet of structure 'kind': 0 ARP, 1 TCP, 2 UDP, plus
 * ORACLE_TAGGED for a VLAN tag. */
#define ORACLE_TAGGED 4
static void
oracle_packet(int kind, struct flow *flow)
{
    struct ds s = DS_EMPTY_INITIALIZER;

    ds_put_format(&s, "in_port=%u,dl_src=%s,dl_dst=%s,%s", 1 + rnd(FX_N_PORTS),
                  oracle_macs[rnd(3)], oracle_macs[rnd(4)],
                  (const char *[]){"arp", "tcp", "udp"}[kind & 3]);
    if (kind & ORACLE_TAGGED) {
        ds_put_format(&s, ",dl_vlan=%d,dl_vlan_pcp=%u", 10 + 10 * rnd(3),
                      rnd(8));
    }
    kind &= 3;
    ds_put_format(&s, ",nw_src=%s,nw_dst=%s", oracle_ips[rnd(5)],
                  oracle_ips[rnd(5)]);
    if (kind) {
        ds_put_format(&s, ",nw_ttl=%u,tp_src=%d,tp_dst=%d", rnd(3) * 32,
                      oracle_ports[rnd(4)], oracle_ports[rnd(4)]);
    }
    fx_parse_flow(ds_cstr(&s), flow);
    ds_destroy(&s);
}

static int
oracle_kind(const struct flow *flow)
{
    int tagged = flow->vlans[0].tci & htons(VLAN_CFI) ? ORACLE_TAGGED : 0;

    return tagged
           | (flow->dl_type == htons(ETH_TYPE_ARP) ? 0
              : flow->nw_proto == IPPROTO_TCP      ? 1
                                                   : 2);
}

/* (a): the megaflow of 'p' and its translation's 'wc' survives the
 * datapath key format and matches 'p'. */
static void
oracle_check_match(const struct flow *p, const struct flow *wc)
{
    struct flow kf, km;
    struct buf key, mbuf;

    buf_init(&key, 0, 256);
    buf_init(&mbuf, 0, 256);
    xlate_megaflow_key(p, wc, &key, &mbuf);
    assert_int_equal(odp_key_to_flow(key.data, key.size, mbuf.data, mbuf.size,
                                     &kf, &km, NULL),
                     0);
    for (size_t i = 0; i < FLOW_U64S; i++) {
        assert_true(((flow_u64(p)[i] ^ flow_u64(&kf)[i]) & flow_u64(&km)[i])
                    == 0);
    }
    buf_uninit(&key);
    buf_uninit(&mbuf);
}

static void
test_oracle(void **state)
{
    const char *env = getenv("XLATE_ORACLE_SEED");
    uint64_t seed = env ? strtoull(env, NULL, 0) : (uint64_t) time(NULL);
    size_t n_checks = 0;

    printf("oracle seed %" PRIu64 " (XLATE_ORACLE_SEED=N to repeat)\n", seed);
    oracle_state = seed * 2654435761u + 1;
    for (int round = 0; round < 200; round++) {
        struct fx *fx = fx_create();
        int n_rules = 1 + rnd(12);

        fx->br.miss_to_controller = rnd(2);
        for (int port = 1; port <= FX_N_PORTS; port++) {
            static uint8_t trunks[512] = {[1] = 1 << 2, [2] = 1 << 4};
            struct xport *xp = fx_port(fx, port);

            xp->vlan_mode = rnd(4);
            xp->tag = rnd(2) ? 10 : 20;
            xp->trunks = rnd(2) ? trunks : NULL; /* (10 and 20.) */
            xp->no_flood = !rnd(5);
            xp->no_fwd = !rnd(8);
            xp->live = rnd(8);
        }
        fx_group(fx, "group_id=1,type=all,bucket=output:2,"
                     "bucket=set_field:00:00:00:00:00:09->eth_dst,output:3");
        fx_group(fx, "group_id=2,type=select,bucket=output:3,"
                     "bucket=output:4,bucket=output:1");
        for (int r = 0; r < n_rules; r++) {
            struct ds text = DS_EMPTY_INITIALIZER;
            int table = rnd(3);
            bool ip, tcp;

            ds_put_format(&text, "table=%d,priority=%u,", table, rnd(5) * 10);
            oracle_match(&text, &ip, &tcp);
            oracle_actions(&text, table, ip, tcp);
            fx_flow(fx, ds_cstr(&text));
            ds_destroy(&text);
        }
        for (int i = 0; i < 30; i++) {
            struct xlate_out xp;
            struct flow p, mask;
            int kind = rnd(3) | (rnd(2) ? ORACLE_TAGGED : 0);

            oracle_packet(kind, &p);
            xlate_out_init(&xp);
            assert_int_equal(fx_xlate(fx, &p, NULL, true, &xp), 0);
            oracle_check_match(&p, &xp.wc);
            assert_sets_writable(xp.odp_actions.data, xp.odp_actions.size);
            mask = xp.wc;
            odp_mask_normalize(&p, &mask);

            for (int j = 0; j < 10; j++) {
                struct xlate_out xq;
                struct flow q, r;

                oracle_packet(oracle_kind(&p), &r);
                for (size_t w = 0; w < FLOW_U64S; w++) {
                    flow_u64_rw(&q)[w] =
                        (flow_u64(&p)[w] & flow_u64(&mask)[w])
                        | (flow_u64(&r)[w] & ~flow_u64(&mask)[w]);
                }
                xlate_out_init(&xq);
                assert_int_equal(fx_xlate(fx, &q, NULL, false, &xq), 0);
                if (xp.odp_actions.size != xq.odp_actions.size
                    || memcmp(xp.odp_actions.data, xq.odp_actions.data,
                              xp.odp_actions.size)) {
                    struct ds a = DS_EMPTY_INITIALIZER;
                    struct ds b = DS_EMPTY_INITIALIZER;
                    struct ds m = DS_EMPTY_INITIALIZER;

                    odp_actions_format(xp.odp_actions.data,
                                       xp.odp_actions.size, &a);
                    odp_actions_format(xq.odp_actions.data,
                                       xq.odp_actions.size, &b);
                    xlate_megaflow_format(&p, &xp.wc, &m);
                    fail_msg("seed %" PRIu64 " round %d: megaflow %s gives "
                             "%s but a packet inside it gives %s",
                             seed, round, ds_cstr(&m), ds_cstr(&a),
                             ds_cstr(&b));
                }
                xlate_out_uninit(&xq);
                n_checks++;
            }
            xlate_out_uninit(&xp);
        }
        fx_destroy(fx);
    }
    printf("oracle: %zu packets checked against their megaflows\n", n_checks);
}

/* Tunnel fields.  set_field of tun_id, tun_src and tun_dst (and
 * set_tunnel) writes the pipeline's tunnel metadata and puts no set() or
 * set_masked() into the datapath actions. */
static void
test_tunnel_set_field(void **state)
{
    struct fx *fx = *state;

    fx_flow(fx, "priority=1,in_port=1,actions=set_field:5000->tun_id,"
                "set_field:192.0.2.9->tun_dst,set_field:192.0.2.1->tun_src,"
                "output:2");
    fx_flow(fx, "priority=1,in_port=2,actions=set_tunnel:0x63,"
                "load:0xc0000209->NXM_NX_TUN_IPV4_DST[],output:3");
    fx_flow(fx, "priority=1,in_port=3,ip,actions=set_tunnel64:0x100000000,"
                "set_field:10.0.0.9->ip_dst,output:1");
    fx_check(fx, "in_port=1", "2", NULL);
    fx_check(fx, "in_port=2,ip", "3", NULL);
    fx_check(fx, "in_port=3,ip,nw_dst=10.0.0.1", "set(ipv4(dst=10.0.0.9)),1",
             NULL);
    /* Setting the tunnel of a packet that came through one. */
    fx_check(fx, "in_port=1,tun_id=0x5,tun_dst=192.0.2.1,tun_flags=+key", "2",
             NULL);

    /* Later tables see what was set: the pipeline's metadata is written
     * (tun_id, tun_src, tun_dst), not only skipped. */
    fx_flow(fx, "priority=1,in_port=4,actions=set_field:99->tun_id,"
                "set_field:192.0.2.9->tun_dst,set_field:192.0.2.1->tun_src,"
                "goto_table:1");
    fx_flow(fx, "table=1,priority=3,tun_id=99,tun_dst=192.0.2.9,"
                "tun_src=192.0.2.1,actions=output:3");
    fx_flow(fx, "table=1,priority=1,actions=output:1");
    fx_check(fx, "in_port=4", "3", NULL);
    fx_check(fx, "in_port=4,tun_id=0x5,tun_dst=192.0.2.1,tun_flags=+key", "3",
             NULL);
    /* set_tunnel alone: tun_dst still unset, so table 1's rule misses. */
    fx_flow(fx, "priority=2,in_port=4,ip,actions=set_tunnel:99,goto_table:1");
    fx_check(fx, "in_port=4,ip", "1", NULL);
}

/* Whether the netlink attributes 'data' ('size' bytes) hold one of
 * 'type'. */
static bool
has_attr(const void *data, size_t size, uint16_t type)
{
    const struct nlattr *attr;

    mnl_attr_for_each_payload(data, size)
    {
        if (mnl_attr_get_type(attr) == type) {
            return true;
        }
    }
    return false;
}

/* The megaflow of a packet that ran into a rule matching tunnel fields:
 * they are unwildcarded when the packet has tunnel metadata, and left out
 * (a valid datapath mask, no tunnel attribute) when it has none. */
static void
test_tunnel_match_megaflow(void **state)
{
    struct fx *fx = *state;
    struct {
        const char *packet;
        const char *actions;
        bool tunnel;     /* Tunnel attribute in key and mask. */
        bool id_in_mask; /* Mask carries tun_id (and the key flag). */
    } cases[] = {
        {"in_port=3", "1", false, false},
        {"in_port=3,tun_dst=192.0.2.1,tun_id=0x5,tun_flags=+key", "2", true,
         true},
        {"in_port=3,tun_dst=192.0.2.1,tun_id=0x6,tun_flags=+key", "drop", true,
         true},
        /* A tunnel without a key: tun_id reads 0, and the mask says the
         * key must be absent. */
        {"in_port=3,tun_dst=192.0.2.1", "1", true, true},
        /* The priority-3 rule wins before tun_id is looked at: tun_src is
         * in the mask under the rule's /24, tun_id is not. */
        {"in_port=3,tun_src=192.0.2.7,tun_dst=192.0.2.1", "4", true, false},
    };

    fx_flow(fx, "priority=1,in_port=3,tun_id=0,actions=output:1");
    fx_flow(fx, "priority=2,in_port=3,tun_id=5,actions=output:2");
    fx_flow(fx, "priority=3,in_port=3,tun_src=192.0.2.0/24,actions=output:4");
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct buf key = BUF_EMPTY_INITIALIZER, mask = BUF_EMPTY_INITIALIZER;
        struct xlate_out xout;
        struct flow flow, f2, m2;
        struct ds a = DS_EMPTY_INITIALIZER;
        char *err = NULL;

        fx_parse_flow(cases[i].packet, &flow);
        xlate_out_init(&xout);
        assert_int_equal(fx_xlate_flow(fx, &flow, NULL, &xout), 0);
        odp_actions_format(xout.odp_actions.data, xout.odp_actions.size, &a);
        if (strcmp(ds_cstr(&a), cases[i].actions)) {
            fail_msg("%s: actions %s, expected %s", cases[i].packet,
                     ds_cstr(&a), cases[i].actions);
        }
        /* The classifier reported what it read. */
        if (cases[i].id_in_mask || !cases[i].tunnel
                ? !xout.wc.tunnel.tun_id
                : xout.wc.tunnel.ip_src != htonl(0xffffff00)) {
            fail_msg("%s: tunnel fields left out of the megaflow",
                     cases[i].packet);
        }

        odp_key_from_flow(&key, &flow);
        odp_mask_from_flow(&mask, &flow, &xout.wc);
        assert_int_equal(has_attr(key.data, key.size, OVS_KEY_ATTR_TUNNEL),
                         cases[i].tunnel);
        assert_int_equal(has_attr(mask.data, mask.size, OVS_KEY_ATTR_TUNNEL),
                         cases[i].tunnel);
        if (odp_key_to_flow(key.data, key.size, mask.data, mask.size, &f2, &m2,
                            &err)) {
            fail_msg("%s: megaflow refused: %s", cases[i].packet, err);
        }
        assert_int_equal(m2.tunnel.tun_id == htobe64(UINT64_MAX),
                         cases[i].id_in_mask);
        assert_int_equal(!!(m2.tunnel.flags & FLOW_TNL_F_KEY),
                         cases[i].id_in_mask);
        ds_destroy(&a);
        buf_uninit(&key);
        buf_uninit(&mask);
        xlate_out_uninit(&xout);
    }
}

/* ---- Tunnel ports (tunnel.h): vx1 ofport 7, vx2 8 and vx4 10 share
 * datapath port 6 (vxlan_sys_4789), vx3 ofport 9 is alone on port 5
 * (dst_port 8472); vx5 ofport 11 on port 5 inherits ToS and TTL. */

#define TNL_RX "tun_src=192.0.2.2,tun_dst=192.0.2.1,tun_flags=+key"

static void
tnl_setup_ports(struct fx *fx)
{
    fx_add_tunnel(fx, 7, 6, "vx1", (const char *[]){"remote_ip", "key"},
                  (const char *[]){"192.0.2.2", "5000"}, 2);
    fx_add_tunnel(fx, 8, 6, "vx2", (const char *[]){"remote_ip", "key"},
                  (const char *[]){"flow", "flow"}, 2);
    fx_add_tunnel(
        fx, 9, 5, "vx3",
        (const char *[]){"remote_ip", "local_ip", "dst_port", "key", "csum"},
        (const char *[]){"192.0.2.3", "192.0.2.1", "8472", "77", "true"}, 5);
    fx_add_tunnel(fx, 10, 6, "vx4",
                  (const char *[]){"remote_ip", "key", "df_default"},
                  (const char *[]){"192.0.2.4", "flow", "false"}, 3);
    fx_add_tunnel(fx, 11, 5, "vx5",
                  (const char *[]){"remote_ip", "dst_port", "tos", "ttl"},
                  (const char *[]){"192.0.2.5", "8472", "inherit", "inherit"},
                  4);
}

static void
test_tunnel_output(void **state)
{
    struct fx *fx = *state;
    uint64_t no_dst = coverage_read("xlate_tunnel_no_dst");

    tnl_setup_ports(fx);
    fx_flow(fx, "in_port=1,actions=output:7");
    fx_flow(fx, "in_port=2,actions=output:9,output:3");
    fx_flow(fx, "in_port=3,actions=output:8");
    fx_flow(fx, "in_port=4,actions=output:11");
    fx_check(fx, "in_port=1,tcp",
             "set(tunnel(tun_id=0x1388,dst=192.0.2.2,ttl=64,tp_dst=4789,"
             "flags(df|key))),6",
             "in_port(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    fx_check(fx, "in_port=2,tcp",
             "set(tunnel(tun_id=0x4d,src=192.0.2.1,dst=192.0.2.3,ttl=64,"
             "tp_dst=8472,flags(df|csum|key))),5,3",
             NULL);
    /* remote_ip=flow and no tun_dst: dropped, counted. */
    fx_check(fx, "in_port=3,tcp", "drop", NULL);
    assert_int_equal(coverage_read("xlate_tunnel_no_dst"), no_dst + 1);
    /* ToS and TTL inherited from the inner header, which joins the mask. */
    fx_check(fx, "in_port=4,tcp,nw_tos=0x20,nw_ttl=33",
             "set(tunnel(tun_id=0,dst=192.0.2.5,tos=0x20,ttl=33,tp_dst=8472,"
             "flags(df|key))),5",
             "in_port(4),eth(),eth_type(0x0800),"
             "ipv4(proto=6,tos=0x20,ttl=33,frag=no)");
    /* Not IP: the default TTL, ToS 0. */
    fx_check(fx, "in_port=4,arp",
             "set(tunnel(tun_id=0,dst=192.0.2.5,ttl=64,tp_dst=8472,"
             "flags(df|key))),5",
             "in_port(4),eth(),eth_type(0x0806)");
}

static void
test_tunnel_demux(void **state)
{
    struct fx *fx = *state;
    uint64_t no_port = coverage_read("xlate_tunnel_no_port");

    tnl_setup_ports(fx);
    fx_flow(fx, "in_port=7,actions=output:1");
    fx_flow(fx, "in_port=8,actions=output:2");
    fx_flow(fx, "in_port=9,tun_id=77,actions=output:3");
    /* The exact remote and key: vx1. */
    fx_check(fx, "in_port=6,tun_id=5000," TNL_RX ",tcp", "1",
             "tunnel(tun_id=0x1388,src=192.0.2.2,dst=192.0.2.1,flags(+key)),"
             "in_port(6),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* Another key from that remote: only vx2 (flow, flow) takes it. */
    fx_check(fx, "in_port=6,tun_id=99," TNL_RX ",tcp", "2",
             "tunnel(tun_id=0x63,src=192.0.2.2,dst=192.0.2.1,flags(+key)),"
             "in_port(6),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* The tunnel's fields stay visible to the pipeline. */
    fx_check(fx,
             "in_port=5,tun_id=77,tun_src=192.0.2.3,tun_dst=192.0.2.1,"
             "tun_flags=+key,tcp",
             "3",
             "tunnel(tun_id=0x4d,src=192.0.2.3,dst=192.0.2.1,flags(+key)),"
             "in_port(5),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* No tunnel for that local address: dropped, counted, as a megaflow
     * on the fields read. */
    fx_check(fx,
             "in_port=5,tun_id=77,tun_src=192.0.2.3,tun_dst=192.0.2.9,"
             "tun_flags=+key,tcp",
             "drop",
             "tunnel(src=192.0.2.3,dst=192.0.2.9),in_port(5),eth(),"
             "eth_type(0x0800),ipv4(proto=6,frag=no)");
    assert_int_equal(coverage_read("xlate_tunnel_no_port"), no_port + 1);

    /* A PACKET_OUT from vx1 carries no outer header: it runs as the
     * controller's, and its outputs happen. */
    {
        struct xlate_out xout;
        struct ofpacts acts;
        struct flow flow;
        char *error = NULL;
        struct ds a = DS_EMPTY_INITIALIZER;

        ofpacts_init(&acts);
        assert_int_equal(ofpacts_parse("output:1", NULL, &acts, &error), 0);
        fx_parse_flow("in_port=6,tcp", &flow);
        xlate_out_init(&xout);
        assert_int_equal(fx_xlate_flow(fx, &flow, &acts, &xout), 0);
        odp_actions_format(xout.odp_actions.data, xout.odp_actions.size, &a);
        assert_string_equal(ds_cstr(&a), "1");
        ds_destroy(&a);
        xlate_out_uninit(&xout);
        ofpacts_uninit(&acts);
    }
}

static void
test_tunnel_key_flow(void **state)
{
    struct fx *fx = *state;

    tnl_setup_ports(fx);
    /* Received on vx2 with VNI 99, sent on vx4 (key=flow): the VNI passes
     * through and the megaflow matches it. */
    fx_flow(fx, "in_port=8,actions=output:10");
    fx_check(fx,
             "in_port=6,tun_id=99,tun_src=192.0.2.9,tun_dst=192.0.2.1,"
             "tun_flags=+key,tcp",
             "set(tunnel(tun_id=0x63,dst=192.0.2.4,ttl=64,tp_dst=4789,"
             "flags(key))),6",
             "tunnel(tun_id=0x63,src=192.0.2.9,dst=192.0.2.1,flags(+key)),"
             "in_port(6),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* From a tunnel to an ordinary port: no tunnel metadata is written. */
    fx_flow(fx, "in_port=7,actions=output:1");
    fx_check(fx, "in_port=6,tun_id=5000," TNL_RX ",tcp", "1", NULL);
}

static void
test_tunnel_normal(void **state)
{
    struct fx *fx = *state;
    uint64_t split = coverage_read("xlate_normal_split_horizon");

    tnl_setup_ports(fx);
    fx_flow(fx, "actions=NORMAL");
    /* A broadcast from p1: every port, every tunnel (vx2 has no
     * destination: skipped). */
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=ff:ff:ff:ff:ff:ff,arp",
             "2,3,4,"
             "set(tunnel(tun_id=0x1388,dst=192.0.2.2,ttl=64,tp_dst=4789,"
             "flags(df|key))),6,"
             "set(tunnel(tun_id=0x4d,src=192.0.2.1,dst=192.0.2.3,ttl=64,"
             "tp_dst=8472,flags(df|csum|key))),5,"
             "set(tunnel(tun_id=0,dst=192.0.2.4,ttl=64,tp_dst=4789,"
             "flags(key))),6,"
             "set(tunnel(tun_id=0,dst=192.0.2.5,ttl=64,tp_dst=8472,"
             "flags(df|key))),5,0",
             NULL);
    /* A broadcast from vx1: the ordinary ports only (split horizon). */
    fx_check(fx,
             "in_port=6,tun_id=5000," TNL_RX ",dl_src=" B
             ",dl_dst=ff:ff:ff:ff:ff:ff,arp",
             "1,2,3,4,0", NULL);
    assert_true(coverage_read("xlate_normal_split_horizon") > split);
    /* B was learned on vx1: unicast to B goes into that tunnel. */
    fx_check(fx, "in_port=2,dl_src=" C ",dl_dst=" B ",arp",
             "set(tunnel(tun_id=0x1388,dst=192.0.2.2,ttl=64,tp_dst=4789,"
             "flags(df|key))),6",
             NULL);
    /* And A, learned on p1, is reached from the tunnel. */
    fx_check(fx,
             "in_port=6,tun_id=5000," TNL_RX ",dl_src=" B ",dl_dst=" A ",arp",
             "1", NULL);
}

static void
test_tunnel_normal_vlan(void **state)
{
    struct fx *fx = *state;

    tnl_setup_ports(fx);
    /* VNI 5000 is VLAN 10: vx1 and p1 are access ports of VLAN 10. */
    fx_port(fx, 7)->vlan_mode = XPORT_VLAN_ACCESS;
    fx_port(fx, 7)->tag = 10;
    fx_port(fx, 1)->vlan_mode = XPORT_VLAN_ACCESS;
    fx_port(fx, 1)->tag = 10;
    for (uint16_t p = 2; p <= 11; p++) {
        if (p != 7 && fx_port(fx, p)) {
            fx_port(fx, p)->vlan_mode = XPORT_VLAN_ACCESS;
            fx_port(fx, p)->tag = 20;
        }
    }
    fx_port(fx, OFPP_LOCAL)->vlan_mode = XPORT_VLAN_ACCESS;
    fx_port(fx, OFPP_LOCAL)->tag = 20;
    fx_flow(fx, "actions=NORMAL");
    fx_check(fx, "in_port=1,dl_src=" A ",dl_dst=ff:ff:ff:ff:ff:ff,arp",
             "set(tunnel(tun_id=0x1388,dst=192.0.2.2,ttl=64,tp_dst=4789,"
             "flags(df|key))),6",
             NULL);
    fx_check(fx,
             "in_port=6,tun_id=5000," TNL_RX ",dl_src=" B
             ",dl_dst=ff:ff:ff:ff:ff:ff,arp",
             "1", NULL);
}

/* ---- IPv6 tunnels: vx6 ofport 12 (remote fd77::2, local fd77::1, key
 * 600) and vx7 13 (remote_ip=flow, local fd77::1, key=flow) on datapath
 * port 6; an IPv6 output sets ipv6_src/ipv6_dst, no DF, a checksum. */

static void
tnl_setup_ports6(struct fx *fx)
{
    fx_add_tunnel(fx, 12, 6, "vx6",
                  (const char *[]){"remote_ip", "local_ip", "key"},
                  (const char *[]){"fd77::2", "fd77::1", "600"}, 3);
    fx_add_tunnel(fx, 13, 6, "vx7",
                  (const char *[]){"remote_ip", "local_ip", "key"},
                  (const char *[]){"flow", "fd77::1", "flow"}, 3);
}

static void
test_tunnel_ipv6(void **state)
{
    struct fx *fx = *state;

    tnl_setup_ports6(fx);
    fx_flow(fx, "in_port=1,actions=output:12");
    fx_flow(fx, "in_port=12,actions=output:1");
    fx_flow(fx, "in_port=13,actions=output:12");
    fx_flow(fx, "in_port=2,actions=set_field:fd77::5->tun_ipv6_dst,"
                "output:13");
    fx_check(fx, "in_port=1,tcp",
             "set(tunnel(tun_id=0x258,ipv6_src=fd77::1,ipv6_dst=fd77::2,"
             "ttl=64,tp_dst=4789,flags(csum|key))),6",
             "in_port(1),eth(),eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* Received from fd77::2 to fd77::1 with VNI 600: vx6, matched on the
     * IPv6 addresses read. */
    fx_check(fx,
             "in_port=6,tun_id=600,tun_ipv6_src=fd77::2,"
             "tun_ipv6_dst=fd77::1,tun_flags=+key,tcp",
             "1",
             "tunnel(tun_id=0x258,ipv6_src=fd77::2,ipv6_dst=fd77::1,"
             "flags(+key)),in_port(6),eth(),eth_type(0x0800),"
             "ipv4(proto=6,frag=no)");
    /* Another remote: vx7, which sends back to fd77::2 on VNI 600. */
    fx_check(fx,
             "in_port=6,tun_id=7,tun_ipv6_src=fd77::9,"
             "tun_ipv6_dst=fd77::1,tun_flags=+key,tcp",
             "set(tunnel(tun_id=0x258,ipv6_src=fd77::1,ipv6_dst=fd77::2,"
             "ttl=64,tp_dst=4789,flags(csum|key))),6",
             "tunnel(ipv6_src=fd77::9,ipv6_dst=fd77::1),in_port(6),eth(),"
             "eth_type(0x0800),ipv4(proto=6,frag=no)");
    /* remote_ip=flow: the destination set in tun_ipv6_dst. */
    fx_check(fx, "in_port=2,tcp",
             "set(tunnel(tun_id=0,ipv6_src=fd77::1,ipv6_dst=fd77::5,ttl=64,"
             "tp_dst=4789,flags(csum|key))),6",
             NULL);
    /* To a local address no tunnel has: dropped, and a trace says why. */
    {
        struct ds trace = DS_EMPTY_INITIALIZER;
        struct xlate_out xout;
        struct flow flow;

        fx_parse_flow("in_port=6,tun_id=7,tun_ipv6_src=fd77::9,"
                      "tun_ipv6_dst=fd77::8,tun_flags=+key,tcp",
                      &flow);
        xlate_out_init(&xout);
        xout.trace = &trace;
        fx_xlate_flow(fx, &flow, NULL, &xout);
        assert_non_null(strstr(ds_cstr(&trace),
                               "tunnel from fd77::9 to fd77::8, key 7 on "
                               "datapath port 6: no tunnel port -> drop\n"));
        xlate_out_uninit(&xout);
        ds_destroy(&trace);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_normal_learning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normal_packet_out, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_normal_vlans, setup, teardown),
        cmocka_unit_test_setup_teardown(test_goto_pipeline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_action_set, setup, teardown),
        cmocka_unit_test_setup_teardown(test_groups, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rewrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_set_masked_eth, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_set_masked_writable, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_controller, setup, teardown),
        cmocka_unit_test_setup_teardown(test_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trace, setup, teardown),
        cmocka_unit_test(test_oracle),
        cmocka_unit_test_setup_teardown(test_tunnel_set_field, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_match_megaflow, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_output, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_demux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_key_flow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_normal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_normal_vlan, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_ipv6, setup, teardown),
    };
    return cmocka_run_group_tests_name("xlate", tests, NULL, NULL);
}
