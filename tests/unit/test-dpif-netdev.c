/* SPDX-License-Identifier: Apache-2.0 */
/* The userspace datapath driven as vswitch-dpctl drives it (dpctl_run())
 * with dummy ports: forwarding, header rewrites with checksums checked,
 * VLAN push/pop, drop, stats and used, del-flows, upcalls, bad puts, and
 * the drop counters in show (tunnel drops on a VXLAN port). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vswitch/buf.h"
#include "vswitch/csum.h"
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/netdev.h"
#include "vswitch/odp.h"
#include "vswitch/rcu.h"
#include "vswitch/util.h"
#include "dummy-wait.h"
#include "sample-packets.h"

/* Runs a dpctl command; returns its errno and leaves output in 'last'. */
static struct ds last = DS_EMPTY_INITIALIZER;

static int
dpctl(const char *cmd, ...)
{
    const char *argv[8];
    int argc = 0;
    va_list args;
    const char *a;

    argv[argc++] = cmd;
    va_start(args, cmd);
    while ((a = va_arg(args, const char *))) {
        argv[argc++] = a;
    }
    va_end(args);
    ds_clear(&last);
    return dpctl_run(argc, argv, &last);
}

static int
setup(void **state)
{
    vrcu_thread_init();
    assert_int_equal(dpctl("add-dp", "tdp", "u1,type=dummy", "u2,type=dummy",
                           "u3,type=dummy", NULL),
                     0);
    return 0;
}

static int
teardown(void **state)
{
    dpctl_destroy_all();
    return 0;
}

static void
inject(const char *port, const void *frame, size_t size)
{
    assert_int_equal(netdev_dummy_receive(port, frame, size), 0);
}

/* Waits until the datapath has looked up 'n' packets in all. */
static void
wait_lookups(uint64_t n)
{
    struct dpif_dp_stats st;
    struct dpif *dpif;

    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    for (int i = 0; i < 200; i++) {
        dpif_get_stats(dpif, &st);
        if (st.n_hit + st.n_missed >= n) {
            break;
        }
        usleep(10000);
    }
    dpif_close(dpif);
    assert_true(st.n_hit + st.n_missed >= n);
}

/* Fills in valid IPv4 header and L4 checksums of an Ethernet/IPv4 frame
 * (no VLAN) at 'l3'. */
static void
fix_ipv4(uint8_t *f, size_t size, size_t l3)
{
    uint8_t *ip = f + l3;
    size_t ihl = (ip[0] & 0xf) * 4, l4 = l3 + ihl, l4size = size - l4;
    uint16_t c;
    uint32_t src, dst;

    memset(ip + 10, 0, 2);
    c = csum(ip, ihl);
    memcpy(ip + 10, &c, 2);
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    if (ip[9] == IPPROTO_TCP || ip[9] == IPPROTO_UDP) {
        size_t at = l4 + (ip[9] == IPPROTO_TCP ? 16 : 6);

        memset(f + at, 0, 2);
        c = csum_fold(csum_partial(csum_pseudo_ipv4(src, dst, ip[9], l4size),
                                   f + l4, l4size));
        memcpy(f + at, &c, 2);
    }
}

/* Whether the IPv4 header and L4 checksums at 'l3' verify. */
static bool
ipv4_ok(const uint8_t *f, size_t size, size_t l3)
{
    const uint8_t *ip = f + l3;
    size_t ihl = (ip[0] & 0xf) * 4, l4 = l3 + ihl, l4size = size - l4;
    uint32_t src, dst;

    if (csum(ip, ihl) != 0) {
        return false;
    }
    memcpy(&src, ip + 12, 4);
    memcpy(&dst, ip + 16, 4);
    return csum_fold(csum_partial(csum_pseudo_ipv4(src, dst, ip[9], l4size),
                                  f + l4, l4size))
           == 0;
}

static void
fix_ipv6(uint8_t *f, size_t size, size_t l3)
{
    uint8_t *ip = f + l3;
    size_t l4 = l3 + 40, l4size = size - l4;
    size_t at = l4 + (ip[6] == IPPROTO_TCP ? 16 : 6);
    uint16_t c;

    memset(f + at, 0, 2);
    c = csum_fold(csum_partial(
        csum_pseudo_ipv6(ip + 8, ip + 24, ip[6], l4size), f + l4, l4size));
    memcpy(f + at, &c, 2);
}

static bool
ipv6_ok(const uint8_t *f, size_t size, size_t l3)
{
    const uint8_t *ip = f + l3;
    size_t l4 = l3 + 40, l4size = size - l4;

    return csum_fold(
               csum_partial(csum_pseudo_ipv6(ip + 8, ip + 24, ip[6], l4size),
                            f + l4, l4size))
           == 0;
}

static void
test_forward_and_stats(void **state)
{
    uint8_t frame[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_TCP, frame, NULL), got_size;

    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)", "2", NULL), 0);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "packets:0, bytes:0, used:never"));

    inject("u1", frame, size);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_int_equal(got_size, size);
    assert_memory_equal(got, frame, size);
    free(got);

    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "packets:1, bytes:54, used:0."));
    assert_non_null(strstr(ds_cstr(&last), "flags:S"));
    assert_non_null(strstr(ds_cstr(&last), "actions:2"));
    assert_int_equal(dpctl("dump-flows", "--names", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "in_port(u1)"));
    assert_non_null(strstr(ds_cstr(&last), "actions:u2"));

    /* Names work in input too; a second packet adds up. */
    assert_int_equal(
        dpctl("add-flow", "in_port(u2),eth(),eth_type(0x0800)", "u1,u3", NULL),
        0);
    inject("u2", frame, size);
    assert_true(pop_sent("u1", &got, &got_size));
    free(got);
    assert_true(pop_sent("u3", &got, &got_size));
    free(got);
    inject("u1", frame, size);
    assert_true(pop_sent("u2", &got, &got_size));
    free(got);
    assert_int_equal(
        dpctl("get-flow", "in_port(1),eth(),eth_type(0x0800)", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "packets:2, bytes:108"));
    assert_int_equal(dpctl("show", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "lookups: hit:3 missed:0"));
    assert_non_null(strstr(ds_cstr(&last), "flows: 2"));
}

static void
test_rewrite_ipv4(void **state)
{
    uint8_t tcp[256], udp[256], *got;
    size_t tcp_size = sample_packet(SAMPLE_IPV4_TCP, tcp, NULL), got_size;
    size_t udp_size = sample_packet(SAMPLE_IPV4_UDP, udp, NULL);

    fix_ipv4(tcp, tcp_size, 14);
    fix_ipv4(udp, udp_size, 14);
    assert_true(ipv4_ok(tcp, tcp_size, 14));

    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800),ipv4(proto=6)",
              "set(eth(src=0a:00:00:00:00:01,dst=0a:00:00:00:00:02)),"
              "set(ipv4(src=192.168.1.1,dst=192.168.1.2,proto=6,tos=0x2e,"
              "ttl=9,frag=no)),set(tcp(src=1111,dst=2222)),2",
              NULL),
        0);
    /* Masked: only the destination address's last byte and the UDP
     * destination port. */
    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800),ipv4(proto=17)",
              "set(ipv4(dst=0.0.0.77/0.0.0.255)),set(udp(dst=99)),3", NULL),
        0);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_non_null(
        strstr(ds_cstr(&last), "set(ipv4(dst=0.0.0.77/0.0.0.255))"));

    inject("u1", tcp, tcp_size);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_int_equal(got_size, tcp_size);
    assert_memory_equal(
        got, "\x0a\x00\x00\x00\x00\x02\x0a\x00\x00\x00\x00\x01", 12);
    assert_memory_equal(got + 14 + 12, "\xc0\xa8\x01\x01\xc0\xa8\x01\x02", 8);
    assert_int_equal(got[14 + 8], 9);
    assert_int_equal(got[34] << 8 | got[35], 1111);
    assert_int_equal(got[36] << 8 | got[37], 2222);
    assert_true(ipv4_ok(got, got_size, 14));
    free(got);

    inject("u1", udp, udp_size);
    assert_true(pop_sent("u3", &got, &got_size));
    assert_memory_equal(got + 14 + 12, "\x0a\x00\x00\x01\x0a\x00\x01\x4d", 8);
    assert_int_equal(got[36] << 8 | got[37], 99);
    assert_int_equal(got[34] << 8 | got[35], 5353);
    assert_true(ipv4_ok(got, got_size, 14));
    free(got);
}

static void
test_rewrite_ipv6(void **state)
{
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV6_TCP, f, NULL), got_size;

    fix_ipv6(f, size, 14);
    assert_true(ipv6_ok(f, size, 14));
    assert_int_equal(
        dpctl("add-flow", "in_port(3),eth(),eth_type(0x86dd)",
              "set(ipv6(dst=2001:db8::99/ffff:ffff:ffff:ffff:ffff:ffff:ffff:"
              "ffff)),set(tcp(src=7)),1",
              NULL),
        0);
    inject("u3", f, size);
    assert_true(pop_sent("u1", &got, &got_size));
    assert_int_equal(got[14 + 24 + 15], 0x99);
    assert_int_equal(got[54] << 8 | got[55], 7);
    assert_true(ipv6_ok(got, got_size, 14));
    free(got);
}

static void
test_rewrite_icmp(void **state)
{
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_ICMP, f, NULL), got_size;
    size_t l4;

    /* ICMP has no pseudo-header: fix the checksum over the message. */
    fix_ipv4(f, size, 14);
    l4 = 14 + (f[14] & 0xf) * 4;
    memset(f + l4 + 2, 0, 2);
    {
        uint16_t c = csum(f + l4, size - l4);

        memcpy(f + l4 + 2, &c, 2);
    }
    assert_int_equal(dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)",
                           "set(icmp(type=0,code=0)),"
                           "set(ipv4(src=10.9.9.9/255.255.255.255)),2",
                           NULL),
                     0);
    inject("u1", f, size);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_int_equal(got[l4], 0);
    assert_int_equal(got[l4 + 1], 0);
    assert_int_equal(csum(got + l4, got_size - l4), 0);
    assert_int_equal(csum(got + 14, l4 - 14), 0);
    assert_memory_equal(got + 26, "\x0a\x09\x09\x09", 4);
    free(got);
}

static void
test_vlan_push_pop(void **state)
{
    uint8_t f[256], *got, *back;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size, back_size;

    assert_int_equal(dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)",
                           "push_vlan(vid=42,pcp=3),2", NULL),
                     0);
    assert_int_equal(dpctl("add-flow",
                           "in_port(2),eth(),eth_type(0x8100),vlan(vid=42),"
                           "encap(eth_type(0x0800))",
                           "pop_vlan,3", NULL),
                     0);
    inject("u1", f, size);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_int_equal(got_size, size + 4);
    assert_memory_equal(got, f, 12);
    assert_memory_equal(got + 12, "\x81\x00\x60\x2a", 4);
    assert_memory_equal(got + 16, f + 12, size - 12);

    inject("u2", got, got_size);
    assert_true(pop_sent("u3", &back, &back_size));
    assert_int_equal(back_size, size);
    assert_memory_equal(back, f, size);
    free(got);
    free(back);
}

static void
test_drop_and_del_flows(void **state)
{
    struct dpif_upcall ups[4];
    struct dpif *dpif;
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_ARP, f, NULL), got_size, n;

    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0806)", "drop", NULL),
        0);
    inject("u1", f, size);
    wait_lookups(1);
    assert_false(pop_sent("u2", &got, &got_size));
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "packets:1"));
    assert_non_null(strstr(ds_cstr(&last), "actions:drop"));

    assert_int_equal(dpctl("del-flows", NULL), 0);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_string_equal(ds_cstr(&last), "");

    /* Now a miss: an upcall with the packet and its key. */
    inject("u1", f, size);
    wait_lookups(2);
    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    assert_int_equal(dpif_recv_batch(dpif, 0, ups, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ups[0].type, DPIF_UC_MISS);
    assert_int_equal(ups[0].in_port, 1);
    assert_int_equal(ups[0].packet_size, size);
    assert_memory_equal(ups[0].packet, f, size);
    {
        struct ds key = DS_EMPTY_INITIALIZER;

        odp_key_format(ups[0].key, ups[0].key_size, NULL, 0, &key);
        assert_non_null(strstr(ds_cstr(&key), "in_port(1)"));
        assert_non_null(strstr(ds_cstr(&key), "arp("));
        ds_destroy(&key);
    }
    dpif_upcall_uninit(&ups[0]);
    dpif_close(dpif);
    assert_int_equal(dpctl("show", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "hit:1 missed:1 lost:0"));
}

static void
test_userspace_recirc_hash(void **state)
{
    struct dpif_upcall ups[4];
    struct dpif *dpif;
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size, n;

    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)",
              "userspace(pid=7,userdata(cafe)),hash(l4(0)),recirc(0x5)", NULL),
        0);
    assert_int_equal(dpctl("add-flow",
                           "recirc_id(5),in_port(1),eth(),eth_type(0x0800)",
                           "trunc(20),2,3", NULL),
                     0);
    inject("u1", f, size);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_int_equal(got_size, 20);
    free(got);
    assert_true(pop_sent("u3", &got, &got_size));
    assert_int_equal(got_size, size);
    free(got);
    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    /* One queue that every handler id reads: the upcall is handler 2's as
     * much as handler 0's. */
    assert_int_equal(dpif_handlers_set(dpif, 0), EINVAL);
    assert_int_equal(dpif_handlers_set(dpif, DPIF_MAX_HANDLERS + 1), EINVAL);
    assert_int_equal(dpif_handlers_set(dpif, 3), 0);
    assert_int_equal(dpif_recv_fd(dpif, 2), dpif_recv_fd(dpif, 0));
    assert_int_equal(dpif_recv_batch(dpif, 2, ups, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(ups[0].type, DPIF_UC_ACTION);
    assert_int_equal(ups[0].pid, 7);
    assert_int_equal(ups[0].userdata_size, 2);
    assert_memory_equal(ups[0].userdata, "\xca\xfe", 2);
    dpif_upcall_uninit(&ups[0]);
    dpif_close(dpif);
}

static void
test_clone_and_sample(void **state)
{
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size;

    assert_int_equal(
        dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)",
              "clone(set(eth(src=0a:00:00:00:00:0a,dst=0a:00:00:00:00:0b)),2),"
              "sample(sample=100.0%,actions(3)),2",
              NULL),
        0);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "actions:clone(set(eth("));
    inject("u1", f, size);
    /* The clone's rewritten copy first, then the original. */
    assert_true(pop_sent("u2", &got, &got_size));
    assert_memory_equal(got, "\x0a\x00\x00\x00\x00\x0b", 6);
    free(got);
    assert_true(pop_sent("u2", &got, &got_size));
    assert_memory_equal(got, f, size);
    free(got);
    assert_true(pop_sent("u3", &got, &got_size));
    assert_memory_equal(got, f, size);
    free(got);
    assert_int_equal(dpctl("add-flow", "in_port(2),eth(),eth_type(0x0800)",
                           "clone(clone(clone(clone(clone(1)))))", NULL),
                     EINVAL);
}

static void
test_mod_and_del(void **state)
{
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size;
    char ufid[64];
    const char *k = "in_port(1),eth(),eth_type(0x0800)";

    assert_int_equal(dpctl("mod-flow", k, "2", NULL), ENOENT);
    assert_int_equal(dpctl("add-flow", k, "2", NULL), 0);
    assert_int_equal(dpctl("add-flow", k, "3", NULL), EEXIST);
    inject("u1", f, size);
    assert_true(pop_sent("u2", &got, &got_size));
    free(got);
    assert_int_equal(dpctl("mod-flow", "--clear", k, "3", NULL), 0);
    inject("u1", f, size);
    assert_true(pop_sent("u3", &got, &got_size));
    free(got);
    assert_int_equal(dpctl("dump-flows", "-m", NULL), 0);
    assert_int_equal(strncmp(ds_cstr(&last), "ufid:", 5), 0);
    assert_non_null(strstr(ds_cstr(&last), "packets:1,"));
    memcpy(ufid, ds_cstr(&last), 41);
    ufid[41] = '\0';
    assert_int_equal(dpctl("get-flow", ufid, NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "actions:3"));
    assert_int_equal(dpctl("mod-flow", ufid, "1", NULL), 0);
    assert_int_equal(dpctl("del-flow", ufid, NULL), 0);
    assert_int_equal(dpctl("del-flow", ufid, NULL), ENOENT);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_string_equal(ds_cstr(&last), "");

    /* A flow given its own UFID is found by it. */
    assert_int_equal(
        dpctl("add-flow",
              "ufid:12345678-1234-5678-9abc-def012345678,in_port(2),eth(),"
              "eth_type(0x0806)",
              "1", NULL),
        0);
    assert_int_equal(
        dpctl("get-flow", "ufid:12345678-1234-5678-9abc-def012345678", NULL),
        0);
    assert_non_null(strstr(ds_cstr(&last), "in_port(2)"));
}

static void
test_bad_puts(void **state)
{
    struct dpif *dpif;
    char *error = NULL;
    uint8_t key[64], acts[64];
    struct nlattr *a = (struct nlattr *) key;
    struct buf good = BUF_EMPTY_INITIALIZER;
    uint32_t port = 1;

    assert_int_equal(dpctl("add-flow", "in_port(1),eth(),eth_type(0x0800)",
                           "set(sctp(src=1,dst=2))", NULL),
                     EINVAL);
    assert_non_null(strstr(ds_cstr(&last), "sctp"));
    /* set(tunnel) runs here (VXLAN ports), but only with an IPv4 dst. */
    assert_int_equal(dpctl("add-flow", "in_port(1),eth_type(0x0800)",
                           "set(tunnel(tun_id=0x5,ttl=64)),2", NULL),
                     EINVAL);
    assert_non_null(strstr(ds_cstr(&last), "tunnel"));
    assert_int_equal(dpctl("add-flow", "in_port(1),bogus(3)", "2", NULL),
                     EINVAL);
    assert_int_equal(dpctl("add-flow", "in_port(1)", "frobnicate", NULL),
                     EINVAL);

    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    /* Unknown key attribute type 99. */
    a->nla_type = 99;
    a->nla_len = 8;
    memset(key + 4, 0, 4);
    assert_int_equal(dpif_flow_put(dpif, DPIF_FP_CREATE, key, 8, NULL, 0, NULL,
                                   0, NULL, NULL, &error),
                     EINVAL);
    assert_non_null(error);
    free(error);
    error = NULL;
    /* IN_PORT with a bad length. */
    a->nla_type = OVS_KEY_ATTR_IN_PORT;
    a->nla_len = 6;
    assert_int_equal(dpif_flow_put(dpif, DPIF_FP_CREATE, key, 8, NULL, 0, NULL,
                                   0, NULL, NULL, &error),
                     EINVAL);
    assert_non_null(error);
    free(error);
    error = NULL;
    /* A good key with an unknown action (type 200) and a truncated one. */
    odp_key_parse("in_port(1),eth(),eth_type(0x0800)", &good, NULL, NULL);
    a = (struct nlattr *) acts;
    a->nla_type = 200;
    a->nla_len = 8;
    memcpy(acts + 4, &port, 4);
    assert_int_equal(dpif_flow_put(dpif, DPIF_FP_CREATE, good.data, good.size,
                                   NULL, 0, acts, 8, NULL, NULL, &error),
                     EINVAL);
    assert_non_null(error);
    free(error);
    error = NULL;
    a->nla_type = OVS_ACTION_ATTR_OUTPUT;
    a->nla_len = 6;
    assert_int_equal(dpif_flow_put(dpif, DPIF_FP_CREATE, good.data, good.size,
                                   NULL, 0, acts, 8, NULL, NULL, &error),
                     EINVAL);
    assert_non_null(error);
    free(error);
    buf_uninit(&good);
    dpif_close(dpif);
    assert_int_equal(dpctl("dump-flows", NULL), 0);
    assert_string_equal(ds_cstr(&last), "");
}

static void
test_flow_limit_and_masks(void **state)
{
    char key[128];

    assert_int_equal(dpctl("set-config", "flow-limit=3", NULL), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(key, sizeof key,
                 "in_port(1),eth(),eth_type(0x0800),ipv4(dst=10.0.0.%d)", i);
        assert_int_equal(dpctl("add-flow", key, "2", NULL), 0);
    }
    assert_int_equal(dpctl("add-flow", "in_port(2)", "1", NULL), EFBIG);
    assert_int_equal(dpctl("show", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), "total:1"));
    assert_int_equal(dpctl("set-config", "n-threads=2", NULL), 0);
    assert_int_equal(dpctl("set-config", "n-threads=99", NULL), EINVAL);
}

static void
test_execute(void **state)
{
    struct buf key = BUF_EMPTY_INITIALIZER, acts = BUF_EMPTY_INITIALIZER;
    struct dpif *dpif;
    uint8_t f[256], *got;
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL), got_size;

    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    assert_int_equal(odp_key_parse("in_port(3)", &key, NULL, NULL), 0);
    assert_int_equal(
        odp_actions_parse("push_vlan(vid=5,pcp=0),1", &acts, NULL), 0);
    assert_int_equal(dpif_execute(dpif, f, size, key.data, key.size, acts.data,
                                  acts.size, NULL),
                     0);
    assert_true(pop_sent("u1", &got, &got_size));
    assert_int_equal(got_size, size + 4);
    free(got);
    buf_uninit(&key);
    buf_uninit(&acts);
    dpif_close(dpif);
}

/* Tunnel drops reach show's drops line: an output to a VXLAN port without
 * tunnel metadata counts as tnl-no-md. */
static void
test_tunnel_drops(void **state)
{
    struct dpif_port_opts opts = {.dst_port = 0};
    struct buf key = BUF_EMPTY_INITIALIZER, acts = BUF_EMPTY_INITIALIZER;
    struct dpif *dpif;
    uint32_t vx = DPIF_PORT_NONE;
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_UDP, f, NULL);
    char text[32];
    int error = EADDRINUSE;

    assert_int_equal(dpctl("show", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), " recirc-loop:0 tnl-no-md:0 "
                                           "tnl-too-big:0\n"));

    assert_int_equal(dpif_open("tdp", "netdev", false, &dpif), 0);
    for (int i = 0; i < 20 && error == EADDRINUSE; i++) {
        opts.dst_port = 30000 + (getpid() + i * 11) % 20000;
        error = dpif_port_add_opts(dpif, "vxlan_sys_d", "vxlan", &opts, &vx);
    }
    assert_int_equal(error, 0);
    assert_int_equal(odp_key_parse("in_port(1)", &key, NULL, NULL), 0);
    snprintf(text, sizeof text, "%" PRIu32, vx);
    assert_int_equal(odp_actions_parse(text, &acts, NULL), 0);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(dpif_execute(dpif, f, size, key.data, key.size,
                                      acts.data, acts.size, NULL),
                         0);
    }
    assert_int_equal(dpctl("show", NULL), 0);
    assert_non_null(strstr(ds_cstr(&last), " recirc-loop:0 tnl-no-md:2 "
                                           "tnl-too-big:0\n"));
    buf_uninit(&key);
    buf_uninit(&acts);
    assert_int_equal(dpif_port_del(dpif, vx), 0);
    dpif_close(dpif);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_forward_and_stats, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rewrite_ipv4, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rewrite_ipv6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rewrite_icmp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_vlan_push_pop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_drop_and_del_flows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_userspace_recirc_hash, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clone_and_sample, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_mod_and_del, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_puts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flow_limit_and_masks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_execute, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_drops, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
