/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/ds.h"
#include "vswitch/match.h"

/* Input, and the text `ovs-ofctl parse-flow` prints for it (Open vSwitch
 * 3.1 on Debian 12). */
static const struct {
    const char *in;
    const char *out;
} cases[] = {
    {"tcp,in_port=1,dl_src=00:11:22:33:44:55,nw_dst=10.0.0.0/24,tp_dst=80",
     "tcp,in_port=1,dl_src=00:11:22:33:44:55,nw_dst=10.0.0.0/24,tp_dst=80"},
    {"tcp,in_port=1,dl_src=00:11:22:33:44:55,nw_dst=10.0.0.0/24,tp_dst=80,"
     "metadata=0x5,reg0=3,tun_id=0x5,dl_vlan=10,nw_tos=4,nw_ttl=3,"
     "nw_frag=first,tcp_flags=+syn-ack",
     "tcp,reg0=0x3,tun_id=0x5,metadata=0x5,in_port=1,dl_vlan=10,"
     "dl_src=00:11:22:33:44:55,nw_dst=10.0.0.0/24,nw_tos=4,nw_ttl=3,"
     "nw_frag=first,tp_dst=80,tcp_flags=+syn-ack"},
    {"ip,dl_dst=00:00:00:00:00:01/ff:ff:ff:00:00:00,dl_src=00:00:00:00:00:02,"
     "nw_src=1.2.3.4/255.255.0.255,nw_dst=5.6.7.8,nw_proto=99,ip_dscp=3,"
     "nw_ecn=1,nw_ttl=4",
     "ip,dl_src=00:00:00:00:00:02,dl_dst=00:00:00:00:00:00/ff:ff:ff:00:00:00,"
     "nw_src=1.2.0.4/255.255.0.255,nw_dst=5.6.7.8,nw_proto=99,nw_tos=12,"
     "nw_ecn=1,nw_ttl=4"},
    {"arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.2/24,"
     "arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02",
     "arp,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_op=1,"
     "arp_sha=00:00:00:00:00:01,arp_tha=00:00:00:00:00:02"},
    {"icmp6,ipv6_src=2001:db8::/32,ipv6_dst=::1,ipv6_label=0x12345,"
     "icmp_type=135,icmp_code=0,nd_target=fe80::1,nd_sll=00:00:00:00:00:01",
     "icmp6,ipv6_src=2001:db8::/32,ipv6_dst=::1,ipv6_label=0x12345,"
     "icmp_type=135,icmp_code=0,nd_target=fe80::1,"
     "nd_sll=00:00:00:00:00:01"},
    {"icmp6,icmp_type=136,nd_tll=00:00:00:00:00:01,nd_target=::1",
     "icmp6,icmp_type=136,nd_target=::1,nd_tll=00:00:00:00:00:01"},
    {"udp6,tp_src=0x10/0xf0,tp_dst=53", "udp6,tp_src=0x10/0xf0,tp_dst=53"},
    {"icmp,icmp_type=8,icmp_code=0", "icmp,icmp_type=8,icmp_code=0"},
    {"dl_vlan_pcp=3,dl_vlan=5", "dl_vlan=5,dl_vlan_pcp=3"},
    {"vlan_tci=0x1000/0x1000,dl_type=0x1234",
     "vlan_tci=0x1000/0x1000,dl_type=0x1234"},
    {"vlan_tci=0", "vlan_tci=0x0000"},
    {"dl_vlan=0xffff", "vlan_tci=0x0000"},
    {"dl_vlan=5,dl_vlan_pcp=3,vlan_tci=0x1234", "dl_vlan=564,dl_vlan_pcp=0"},
    {"sctp,tp_src=1", "sctp,tp_src=1"},
    {"ip,nw_frag=later", "ip,nw_frag=later"},
    {"ip,nw_frag=not_later", "ip,nw_frag=not_later"},
    {"ip,nw_frag=yes", "ip,nw_frag=yes"},
    {"ip,nw_frag=no", "ip,nw_frag=no"},
    {"ip,nw_tos=8", "ip,nw_tos=8"},
    {"ip,nw_tos=3", "ip,nw_tos=0"},
    {"ip,ip_dscp=2", "ip,nw_tos=8"},
    {"ip,nw_ecn=1,ip_dscp=1", "ip,nw_tos=4,nw_ecn=1"},
    {"tcp,tcp_flags=0x12/0x12", "tcp,tcp_flags=+syn+ack"},
    {"tcp,tcp_flags=0x12", "tcp,tcp_flags=syn|ack"},
    {"tcp,tcp_flags=-syn", "tcp,tcp_flags=-syn"},
    {"tcp,tcp_flags=+syn-ack+fin", "tcp,tcp_flags=+fin+syn-ack"},
    {"ipv6,nw_proto=6", "tcp6"},
    {"ip,nw_proto=6", "tcp"},
    {"dl_type=0x0800,nw_proto=17", "udp"},
    {"dl_type=0x86dd,nw_proto=58", "icmp6"},
    {"dl_type=0x0800,nw_proto=6,tp_dst=80/0xfff0", "tcp,tp_dst=0x50/0xfff0"},
    {"metadata=0x1/0xff,tun_id=0x5/0xff", "tun_id=0x5/0xff,metadata=0x1/0xff"},
    {"in_port=LOCAL", "in_port=LOCAL"},
    {"in_port=65534", "in_port=LOCAL"},
    {"tcp6", "tcp6"},
    {"recirc_id=1,dp_hash=0x5", "recirc_id=0x1,dp_hash=0x5"},
    {"recirc_id=0,dp_hash=0x5/0xf", "recirc_id=0,dp_hash=0x5/0xf"},
    {"dp_hash=0x5,pkt_mark=7,reg1=5", "pkt_mark=0x7,dp_hash=0x5,reg1=0x5"},
    {"ip,nw_src=1.2.3.4/255.0.255.0", "ip,nw_src=1.0.3.0/255.0.255.0"},
    {"ip,nw_src=1.2.3.4/255.255.0.0", "ip,nw_src=1.2.0.0/16"},
    {"ipv6,ipv6_src=2001::1/ffff::ff", "ipv6,ipv6_src=2001::1/ffff::ff"},
    {"dl_dst=01:00:00:00:00:00/01:00:00:00:00:00",
     "dl_dst=01:00:00:00:00:00/01:00:00:00:00:00"},
    {"tcp,nw_tos=0xfc", "tcp,nw_tos=252"},
    {"reg7=0xffffffff,reg0=5", "reg0=0x5,reg7=0xffffffff"},
    {"arp,arp_op=2,nw_src=1.1.1.1", "arp,arp_spa=1.1.1.1,arp_op=2"},
    {"ipv6,nw_frag=first,ipv6_label=5,nw_ttl=3",
     "ipv6,ipv6_label=0x00005,nw_ttl=3,nw_frag=first"},
    {"tun_flags=+oam", "tun_flags=+oam"},
    {"tun_ipv6_dst=::1,tun_ipv6_src=::2", "tun_ipv6_src=::2,tun_ipv6_dst=::1"},
    {"", ""},
};

static void
test_ofctl_text(void **state)
{
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct match m, m2;
        struct ds ds;
        char *err = NULL;
        int error = match_parse(&m, cases[i].in, &err);

        if (error) {
            print_error("parse '%s': %s\n", cases[i].in, err);
        }
        assert_int_equal(error, 0);
        ds_init(&ds);
        match_format(&m, &ds);
        if (strcmp(ds_cstr(&ds), cases[i].out)) {
            print_error("in:   %s\nwant: %s\ngot:  %s\n", cases[i].in,
                        cases[i].out, ds_cstr(&ds));
            fail();
        }
        /* Printing then parsing is the identity. */
        assert_int_equal(match_parse(&m2, ds_cstr(&ds), NULL), 0);
        assert_true(match_equal(&m, &m2));
        ds_destroy(&ds);
    }
}

static void
test_errors(void **state)
{
    static const char *const bad[] = {
        "nw_ttl=300", "foo=1", "bogus", "nw_src=1.2.3", "dl_src=00:11",
        "tcp_flags=+bogus", "nw_frag=maybe", "in_port=-1", "tp_dst=65536",
        "ipv6_src=::1/129", "nw_src=1.1.1.1/33", "dl_vlan=4096",
        "tcp_flags=+syn+syn", "reg0=0x100000000",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct match m;
        char *err = NULL;

        assert_int_equal(match_parse(&m, bad[i], &err), EINVAL);
        assert_non_null(err);
        free(err);
    }
}

static void
test_set_ops(void **state)
{
    struct match a, b, c, d;
    struct flow f;

    assert_int_equal(match_parse(&a, "tcp,nw_dst=10.0.0.0/24,tp_dst=80",
                                 NULL), 0);
    assert_int_equal(match_parse(&b, "ip,nw_dst=10.0.0.0/16", NULL), 0);
    assert_true(match_is_subset(&a, &b));
    assert_false(match_is_subset(&b, &a));
    assert_true(match_combine(&c, &b, &a));
    assert_true(match_equal(&c, &a));
    assert_int_equal(match_parse(&d, "ip,nw_dst=10.1.0.0/16", NULL), 0);
    assert_false(match_combine(&c, &a, &d));
    assert_true(match_hash(&a, 0) != match_hash(&b, 0));

    memset(&f, 0, sizeof f);
    f.dl_type = htons(0x0800);
    f.nw_proto = 6;
    f.nw_dst = htonl(0x0a000005);
    f.tp_dst = htons(80);
    assert_true(match_matches_flow(&a, &f));
    f.tp_dst = htons(81);
    assert_false(match_matches_flow(&a, &f));
    assert_true(match_matches_flow(&b, &f));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ofctl_text),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_set_ops),
    };
    return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
