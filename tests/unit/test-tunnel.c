/* SPDX-License-Identifier: Apache-2.0 */
/* tunnel.h: VXLAN option parsing and its errors, the most-specific
 * receive demultiplexer and its mask, table comparison and copies. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include "vswitchd/tunnel.h"

/* Parses "k=v k=v ..." as a vxlan Interface's options. */
static bool
parse(const char *text, struct tnl_cfg *cfg, char **errorp)
{
    char *copy = strdup(text), *save = NULL;
    const char *keys[16], *values[16];
    size_t n = 0;
    bool ok;

    for (char *tok = strtok_r(copy, " ", &save); tok && n < 16;
         tok = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(tok, '=');

        assert_non_null(eq);
        *eq = '\0';
        keys[n] = tok;
        values[n++] = eq + 1;
    }
    ok = tnl_cfg_parse("vxlan", keys, values, n, cfg, errorp);
    free(copy);
    return ok;
}

static void
expect_error(const char *text, const char *error)
{
    struct tnl_cfg cfg;
    char *e = NULL;

    if (parse(text, &cfg, &e)) {
        fail_msg("%s: accepted", text);
    }
    if (strcmp(e, error)) {
        fail_msg("%s:\n  error    %s\n  expected %s", text, e, error);
    }
    free(e);
}

static vs_be32
ip(const char *s)
{
    struct in_addr a;

    assert_int_equal(inet_pton(AF_INET, s, &a), 1);
    return a.s_addr;
}

static void
test_parse_defaults(void **state)
{
    struct tnl_cfg cfg;
    char *e = NULL;

    (void) state;
    assert_true(parse("remote_ip=192.0.2.2 key=5000", &cfg, &e));
    assert_null(e);
    assert_int_equal(cfg.remote_ip, ip("192.0.2.2"));
    assert_false(cfg.remote_flow);
    assert_int_equal(cfg.local_ip, 0);
    assert_false(cfg.local_flow);
    assert_int_equal(cfg.in_key, 5000);
    assert_int_equal(cfg.out_key, 5000);
    assert_false(cfg.in_key_flow || cfg.out_key_flow);
    assert_int_equal(cfg.dst_port, 4789);
    assert_int_equal(cfg.ttl, 64);
    assert_false(cfg.ttl_inherit || cfg.tos_inherit);
    assert_int_equal(cfg.tos, 0);
    assert_true(cfg.df);
    assert_false(cfg.csum);

    assert_true(parse("remote_ip=flow key=flow", &cfg, &e));
    assert_true(cfg.remote_flow && cfg.in_key_flow && cfg.out_key_flow);

    assert_true(parse("remote_ip=192.0.2.3 local_ip=192.0.2.1 dst_port=8472 "
                      "key=77",
                      &cfg, &e));
    assert_int_equal(cfg.local_ip, ip("192.0.2.1"));
    assert_int_equal(cfg.dst_port, 8472);
    assert_int_equal(cfg.in_key, 77);

    assert_true(
        parse("remote_ip=192.0.2.3 in_key=flow out_key=0x10 tos=inherit "
              "ttl=inherit df_default=false csum=true local_ip=flow",
              &cfg, &e));
    assert_true(cfg.in_key_flow && !cfg.out_key_flow);
    assert_int_equal(cfg.out_key, 16);
    assert_true(cfg.tos_inherit && cfg.ttl_inherit && cfg.local_flow);
    assert_false(cfg.df);
    assert_true(cfg.csum);

    /* key is the default of both; in_key/out_key override it. */
    assert_true(
        parse("key=5 out_key=6 remote_ip=192.0.2.3 tos=16 ttl=9", &cfg, &e));
    assert_int_equal(cfg.in_key, 5);
    assert_int_equal(cfg.out_key, 6);
    assert_int_equal(cfg.tos, 16);
    assert_int_equal(cfg.ttl, 9);
    assert_true(parse("remote_ip=192.0.2.3 key=16777215", &cfg, &e));
    assert_int_equal(cfg.in_key, 16777215);
}

static void
test_parse_errors(void **state)
{
    (void) state;
    expect_error("key=5", "vxlan: options:remote_ip is required");
    expect_error("remote_ip=192.0.2", "vxlan: bad remote_ip \"192.0.2\" (a "
                                      "unicast IPv4 or IPv6 address or "
                                      "\"flow\")");
    expect_error("remote_ip=224.0.0.1", "vxlan: bad remote_ip \"224.0.0.1\" "
                                        "(a unicast IPv4 or IPv6 address "
                                        "or \"flow\")");
    expect_error("remote_ip=192.0.2.2 local_ip=x",
                 "vxlan: bad local_ip \"x\" (a unicast IPv4 or IPv6 address "
                 "or \"flow\")");
    expect_error("remote_ip=ff02::1", "vxlan: bad remote_ip \"ff02::1\" (a "
                                      "unicast IPv4 or IPv6 address or "
                                      "\"flow\")");
    expect_error("remote_ip=::", "vxlan: bad remote_ip \"::\" (a unicast "
                                 "IPv4 or IPv6 address or \"flow\")");
    expect_error("remote_ip=fd77::2 local_ip=192.0.2.1",
                 "vxlan: remote_ip and local_ip are of different address "
                 "families");
    expect_error("remote_ip=192.0.2.2 local_ip=fd77::1",
                 "vxlan: remote_ip and local_ip are of different address "
                 "families");
    expect_error("remote_ip=192.0.2.2 key=16777216",
                 "vxlan: bad key \"16777216\" (a VNI, 0-16777215, or "
                 "\"flow\")");
    expect_error("remote_ip=192.0.2.2 key=-1",
                 "vxlan: bad key \"-1\" (a VNI, 0-16777215, or \"flow\")");
    expect_error("remote_ip=192.0.2.2 in_key=abc",
                 "vxlan: bad in_key \"abc\" (a VNI, 0-16777215, or "
                 "\"flow\")");
    expect_error("remote_ip=192.0.2.2 out_key=1x",
                 "vxlan: bad out_key \"1x\" (a VNI, 0-16777215, or "
                 "\"flow\")");
    expect_error("remote_ip=192.0.2.2 dst_port=0",
                 "vxlan: bad dst_port \"0\" (1-65535)");
    expect_error("remote_ip=192.0.2.2 dst_port=65536",
                 "vxlan: bad dst_port \"65536\" (1-65535)");
    expect_error("remote_ip=192.0.2.2 ttl=0",
                 "vxlan: bad ttl \"0\" (1-255 or \"inherit\")");
    expect_error("remote_ip=192.0.2.2 tos=256",
                 "vxlan: bad tos \"256\" (0-255 or \"inherit\")");
    expect_error("remote_ip=192.0.2.2 df_default=yes",
                 "vxlan: bad df_default \"yes\" (true or false)");
    expect_error("remote_ip=192.0.2.2 csum=1",
                 "vxlan: bad csum \"1\" (true or false)");
    expect_error("remote_ip=192.0.2.2 colour=blue",
                 "vxlan: unknown option \"colour\"");
}

static struct in6_addr
ip6(const char *s)
{
    struct in6_addr a;

    assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
    return a;
}

static void
test_parse_ipv6(void **state)
{
    struct in6_addr r = ip6("fd77::2"), l = ip6("fd77::1");
    struct tnl_cfg cfg, cfg2;
    char *e = NULL;

    (void) state;
    assert_true(parse("remote_ip=fd77::2 local_ip=fd77::1 key=9", &cfg, &e));
    assert_null(e);
    assert_true(cfg.ipv6);
    assert_int_equal(cfg.remote_ip, 0);
    assert_int_equal(cfg.local_ip, 0);
    assert_memory_equal(&cfg.remote_ip6, &r, sizeof r);
    assert_memory_equal(&cfg.local_ip6, &l, sizeof l);
    assert_int_equal(tnl_overhead(&cfg), 70);
    /* Link-local is accepted (scoped by the route). */
    assert_true(parse("remote_ip=fe80::2", &cfg2, &e));
    assert_true(cfg2.ipv6);
    /* Flow with an IPv6 on the other side. */
    assert_true(parse("remote_ip=flow local_ip=fd77::1", &cfg2, &e));
    assert_true(cfg2.ipv6 && cfg2.remote_flow);
    assert_true(parse("remote_ip=fd77::2 local_ip=flow", &cfg2, &e));
    assert_true(cfg2.ipv6 && cfg2.local_flow);
    assert_false(tnl_cfg_same_receive(&cfg, &cfg2));
    assert_true(parse("remote_ip=fd77::3 local_ip=fd77::1 key=9", &cfg2, &e));
    assert_false(tnl_cfg_same_receive(&cfg, &cfg2));
    assert_true(parse("remote_ip=fd77::2 local_ip=fd77::1 key=9", &cfg2, &e));
    assert_true(tnl_cfg_same_receive(&cfg, &cfg2));
    /* IPv4 stays IPv4. */
    assert_true(parse("remote_ip=192.0.2.2", &cfg2, &e));
    assert_false(cfg2.ipv6);
    assert_int_equal(tnl_overhead(&cfg2), 50);
}

static void
test_dp_port_name(void **state)
{
    char name[16];

    (void) state;
    tnl_dp_port_name("vxlan", 4789, name, sizeof name);
    assert_string_equal(name, "vxlan_sys_4789");
    tnl_dp_port_name("vxlan", 65535, name, sizeof name);
    assert_string_equal(name, "vxlan_sys_65535");
}

static struct tnl_port
port(uint16_t ofp, uint32_t dp, const char *options)
{
    struct tnl_port p;
    char *e = NULL;

    memset(&p, 0, sizeof p);
    p.ofp_port = ofp;
    p.dp_port = dp;
    snprintf(p.name, sizeof p.name, "vx%u", ofp);
    if (!parse(options, &p.cfg, &e)) {
        fail_msg("%s: %s", options, e);
    }
    return p;
}

static struct flow_tnl
rx(const char *src, const char *dst, uint32_t key)
{
    struct flow_tnl t;

    memset(&t, 0, sizeof t);
    t.ip_src = ip(src);
    t.ip_dst = ip(dst);
    t.tun_id = htobe64(key);
    t.flags = FLOW_TNL_F_KEY;
    return t;
}

static struct flow_tnl
rx6(const char *src, const char *dst, uint32_t key)
{
    struct flow_tnl t;

    memset(&t, 0, sizeof t);
    t.ipv6_src = ip6(src);
    t.ipv6_dst = ip6(dst);
    t.tun_id = htobe64(key);
    t.flags = FLOW_TNL_F_KEY;
    return t;
}

static int
demux(const struct tnl_table *t, uint32_t dp, struct flow_tnl tnl,
      struct flow_tnl *wc)
{
    const struct tnl_port *p;

    memset(wc, 0, sizeof *wc);
    p = tnl_table_demux(t, dp, &tnl, wc);
    return p ? p->ofp_port : -1;
}

static void
test_demux(void **state)
{
    struct tnl_port ports[] = {
        port(7, 6, "remote_ip=192.0.2.2 key=5000"),
        port(6, 6, "remote_ip=flow key=flow"),
        port(9, 6, "remote_ip=192.0.2.2 key=flow"),
        port(10, 6, "remote_ip=flow key=5000"),
        port(11, 6, "remote_ip=192.0.2.2 local_ip=192.0.2.1 key=flow"),
        port(8, 7,
             "remote_ip=192.0.2.3 local_ip=192.0.2.1 dst_port=8472 "
             "key=77"),
    };
    struct tnl_table *t = tnl_table_create(ports, ARRAY_SIZE(ports));
    struct flow_tnl wc;

    (void) state;
    /* Exact remote, exact local beats exact remote, any local. */
    assert_int_equal(demux(t, 6, rx("192.0.2.2", "192.0.2.1", 5000), &wc), 11);
    assert_int_equal(wc.ip_src, UINT32_MAX);
    assert_int_equal(wc.ip_dst, UINT32_MAX);
    assert_int_equal(wc.tun_id, UINT64_MAX);
    assert_true(wc.flags & FLOW_TNL_F_KEY);
    /* Another local address: exact remote and key. */
    assert_int_equal(demux(t, 6, rx("192.0.2.2", "192.0.2.5", 5000), &wc), 7);
    /* Exact remote, another key: the remote's key=flow port. */
    assert_int_equal(demux(t, 6, rx("192.0.2.2", "192.0.2.5", 42), &wc), 9);
    /* Another remote: flow remote with the exact key beats key=flow. */
    assert_int_equal(demux(t, 6, rx("192.0.2.9", "192.0.2.5", 5000), &wc), 10);
    assert_int_equal(demux(t, 6, rx("192.0.2.9", "192.0.2.5", 1), &wc), 6);
    /* The other dp port. */
    assert_int_equal(demux(t, 7, rx("192.0.2.3", "192.0.2.1", 77), &wc), 8);
    assert_int_equal(demux(t, 7, rx("192.0.2.3", "192.0.2.1", 78), &wc), -1);
    assert_int_equal(demux(t, 7, rx("192.0.2.4", "192.0.2.1", 77), &wc), -1);
    assert_int_equal(demux(t, 7, rx("192.0.2.3", "192.0.2.2", 77), &wc), -1);
    assert_int_equal(demux(t, 5, rx("192.0.2.3", "192.0.2.1", 77), &wc), -1);

    assert_true(tnl_table_has_dp_port(t, 6));
    assert_true(tnl_table_has_dp_port(t, 7));
    assert_false(tnl_table_has_dp_port(t, 1));
    assert_non_null(tnl_table_find(t, 10));
    assert_null(tnl_table_find(t, 12));
    tnl_table_destroy(t);
}

static void
test_demux_mask(void **state)
{
    /* Only flow ports: nothing of the outer header is read but the
     * presence of a source. */
    struct tnl_port ports[] = {port(3, 2, "remote_ip=flow key=flow")};
    struct tnl_table *t = tnl_table_create(ports, 1);
    struct flow_tnl wc;

    (void) state;
    assert_int_equal(demux(t, 2, rx("192.0.2.9", "192.0.2.5", 5), &wc), 3);
    assert_int_equal(wc.ip_dst, 0);
    assert_int_equal(wc.tun_id, 0);
    tnl_table_destroy(t);
}

static void
test_demux_ipv6(void **state)
{
    struct tnl_port ports[] = {
        port(7, 6, "remote_ip=fd77::2 key=5000"),
        port(6, 6, "remote_ip=flow key=flow"),
        port(11, 6, "remote_ip=fd77::2 local_ip=fd77::1 key=flow"),
        port(12, 6, "remote_ip=192.0.2.2 key=5000"),
    };
    struct tnl_table *t = tnl_table_create(ports, ARRAY_SIZE(ports));
    struct in6_addr ones;
    struct flow_tnl wc;

    (void) state;
    memset(&ones, 0xff, sizeof ones);
    /* Exact remote and local beat exact remote and key. */
    assert_int_equal(demux(t, 6, rx6("fd77::2", "fd77::1", 5000), &wc), 11);
    assert_memory_equal(&wc.ipv6_src, &ones, sizeof ones);
    assert_memory_equal(&wc.ipv6_dst, &ones, sizeof ones);
    assert_int_equal(wc.ip_src, UINT32_MAX); /* Read by the IPv4 port. */
    assert_int_equal(demux(t, 6, rx6("fd77::2", "fd77::5", 5000), &wc), 7);
    /* Another IPv6 remote: the flow port. */
    assert_int_equal(demux(t, 6, rx6("fd77::9", "fd77::1", 5000), &wc), 6);
    /* IPv4 packets never match an IPv6 remote and vice versa. */
    assert_int_equal(demux(t, 6, rx("192.0.2.2", "192.0.2.1", 5000), &wc), 12);
    tnl_table_destroy(t);
    {
        struct tnl_port only6[] = {port(3, 2, "remote_ip=fd77::2 key=1")};

        t = tnl_table_create(only6, 1);
        assert_int_equal(demux(t, 2, rx("192.0.2.2", "192.0.2.1", 1), &wc),
                         -1);
        assert_int_equal(demux(t, 2, rx6("fd77::2", "fd77::1", 1), &wc), 3);
        assert_int_equal(wc.ip_src, 0);
        assert_int_equal(wc.ip_dst, 0);
        tnl_table_destroy(t);
    }
}

/* Tables compare by content; NULL and empty are both "no tunnels"; a
 * clone is equal and owns its own ports. */
static void
test_table_equal_clone(void **state)
{
    struct tnl_port ports[] = {
        port(7, 6, "remote_ip=192.0.2.2 key=5000"),
        port(3, 6, "remote_ip=192.0.2.3 key=5000"),
    };
    struct tnl_table *a, *b, *c;

    (void) state;
    assert_null(tnl_table_create(ports, 0));
    assert_null(tnl_table_clone(NULL));
    assert_true(tnl_table_equal(NULL, NULL));

    a = tnl_table_create(ports, 2);
    assert_false(tnl_table_equal(a, NULL));
    assert_false(tnl_table_equal(NULL, a));
    b = tnl_table_clone(a);
    assert_non_null(b);
    assert_ptr_not_equal(a->ports, b->ports);
    assert_true(tnl_table_equal(a, b));
    /* Sorted by OpenFlow port whatever the order given. */
    assert_int_equal(b->ports[0].ofp_port, 3);
    assert_int_equal(b->ports[1].ofp_port, 7);

    ports[1].cfg.out_key = 1;
    c = tnl_table_create(ports, 2);
    assert_false(tnl_table_equal(a, c));
    tnl_table_destroy(c);
    c = tnl_table_create(ports, 1);
    assert_false(tnl_table_equal(a, c));
    tnl_table_destroy(c);

    tnl_table_destroy(a);
    assert_int_equal(b->n_ports, 2);
    assert_non_null(tnl_table_find(b, 7));
    tnl_table_destroy(b);
    tnl_table_destroy(NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_defaults),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_ipv6),
        cmocka_unit_test(test_dp_port_name),
        cmocka_unit_test(test_demux),
        cmocka_unit_test(test_demux_mask),
        cmocka_unit_test(test_demux_ipv6),
        cmocka_unit_test(test_table_equal_clone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
