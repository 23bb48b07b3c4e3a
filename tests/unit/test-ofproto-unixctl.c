/* SPDX-License-Identifier: Apache-2.0 */
/* The slow path's unixctl commands (vswitchd/ofproto-unixctl.c) over a
 * real control socket, on an ofproto with a userspace datapath and dummy
 * ports (no root): ofproto/trace in match and datapath-key syntax, with
 * and without -generate; fdb/show and fdb/flush; upcall/show;
 * dpif/dump-flows of a megaflow a packet made; errors; tunnel ports handed
 * to the ofproto reach its xbridge snapshots and ofproto/list-tunnels. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "vswitch/dpctl.h"
#include "vswitch/dpif.h"
#include "vswitch/evloop.h"
#include "vswitch/netdev.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/rcu.h"
#include "vswitch/unixctl.h"
#include "vswitch/vlog.h"
#include "vswitchd/ofproto.h"
#include "vswitchd/tunnel.h"
#include "dummy-wait.h"
#include "sample-packets.h"

#define A "00:00:00:00:00:0a"
#define B "00:00:00:00:00:0b"

static struct evloop *loop;
static struct unixctl_server *server;
static pthread_t loop_thread;
static char sock_path[64];
static struct dpif *dpif;
static struct ofproto *ofp;

static void *
run_loop(void *aux)
{
    (void) aux;
    vrcu_thread_init();
    evloop_run(loop);
    vrcu_unregister_thread();
    return NULL;
}

static int
setup(void **state)
{
    struct ofproto_port ports[3];

    (void) state;
    vrcu_thread_init();
    vlog_set_levels(NULL, VLF_CONSOLE, VLL_OFF);
    snprintf(sock_path, sizeof sock_path, "/tmp/test-ofpctl.%ld.ctl",
             (long) getpid());
    assert_int_equal(dpif_open("tou", "netdev", true, &dpif), 0);
    memset(ports, 0, sizeof ports);
    for (uint32_t i = 1; i <= 3; i++) {
        struct ofproto_port *p = &ports[i - 1];
        uint32_t no = i;

        snprintf(p->name, sizeof p->name, "ou%u", i);
        assert_int_equal(dpif_port_add(dpif, p->name, "dummy", &no), 0);
        p->ofp_port = (uint16_t) i;
        p->dp_port = i;
        p->link_up = true;
        p->vlan_mode = XPORT_VLAN_TRUNK;
        p->tag = -1;
    }
    dpctl_register_dp("tou", "netdev");
    ofp = ofproto_create("tou", NULL, dpif);
    ofproto_set_ports(ofp, ports, 3);
    assert_int_equal(ofproto_flow_mod_text(ofp,
                                           "priority=5,udp,tp_dst=7,"
                                           "actions=goto_table:1",
                                           OFPFC_ADD),
                     0);
    assert_int_equal(
        ofproto_flow_mod_text(ofp, "table=1,actions=output:3", OFPFC_ADD), 0);
    assert_int_equal(
        ofproto_flow_mod_text(ofp, "priority=0,actions=NORMAL", OFPFC_ADD), 0);

    loop = evloop_create();
    assert_int_equal(unixctl_server_create(loop, sock_path, &server), 0);
    ofproto_unixctl_register();
    pthread_create(&loop_thread, NULL, run_loop, NULL);
    return 0;
}

static int
teardown(void **state)
{
    (void) state;
    evloop_stop(loop);
    pthread_join(loop_thread, NULL);
    unixctl_server_destroy(server);
    evloop_destroy(loop);
    ofproto_destroy(ofp);
    dpctl_unregister_dp("tou");
    dpif_delete(dpif);
    dpif_close(dpif);
    return 0;
}

/* Runs 'cmd' with up to three arguments; returns the result or, if
 * 'want_error', the error text (caller frees). */
static char *
run(bool want_error, const char *cmd, const char *a1, const char *a2,
    const char *a3)
{
    char *argv[3] = {(char *) a1, (char *) a2, (char *) a3};
    int argc = a3 ? 3 : a2 ? 2 : a1 ? 1 : 0;
    struct unixctl_client *c;
    char *result = NULL, *error = NULL;

    assert_int_equal(unixctl_client_create(sock_path, &c), 0);
    assert_int_equal(
        unixctl_client_transact(c, cmd, argc, argv, 5000, &result, &error), 0);
    unixctl_client_destroy(c);
    if (want_error) {
        if (!error) {
            fail_msg("%s: no error; result: %s", cmd, result);
        }
        free(result);
        return error;
    }
    if (!result) {
        fail_msg("%s: %s", cmd, error);
    }
    free(error);
    return result;
}

static void
assert_has(const char *text, const char *part)
{
    if (!strstr(text, part)) {
        fail_msg("missing \"%s\" in:\n%s", part, text);
    }
}

static void
test_trace(void **state)
{
    char *s;

    (void) state;
    s = run(false, "ofproto/trace", "tou",
            "in_port=1,dl_src=" A ",dl_dst=" B ",ip", NULL);
    assert_has(s, "Flow: in_port=1,dl_src=" A);
    assert_has(s, "bridge(\"tou\")\n");
    assert_has(s, "table 0: priority=0, cookie=0x0 -> actions=NORMAL\n");
    assert_has(s, "NORMAL: VLAN 0, flood\n");
    assert_has(s, "\nMegaflow: in_port(1),eth(src=" A ",dst=" B "),");
    assert_has(s, "\nDatapath actions: 2,3\n");
    free(s);

    /* Two tables; the bridge may be left out when there is only one. */
    s = run(false, "ofproto/trace",
            "in_port=2,dl_src=" B ",dl_dst=" A ",udp,tp_dst=7", NULL, NULL);
    assert_has(s, "table 0: priority=5,udp,tp_dst=7, cookie=0x0 -> "
                  "actions=goto_table:1\n");
    assert_has(s, "table 1: priority=32768, cookie=0x0 -> "
                  "actions=output:3\n");
    assert_has(s, "\nDatapath actions: 3\n");
    free(s);

    /* The datapath key syntax (in_port: a datapath number). */
    s = run(false, "ofproto/trace", "tou",
            "in_port(2),eth(src=" B ",dst=" A "),eth_type(0x0800),"
            "ipv4(src=10.0.0.2,dst=10.0.0.1,proto=17,tos=0,ttl=64,frag=no),"
            "udp(src=5,dst=7)",
            NULL);
    assert_has(s, "table 1: ");
    assert_has(s, "\nDatapath actions: 3\n");
    free(s);

    s = run(true, "ofproto/trace", "tou", "in_port=9,ip", NULL);
    assert_has(s, "in_port 9: no such port on tou");
    free(s);
    s = run(true, "ofproto/trace", "tou", "dl_src=" A, NULL);
    assert_has(s, "needs an in_port");
    free(s);
    s = run(true, "ofproto/trace", "tou", "in_port=1,bogus=1", NULL);
    free(s);
    s = run(true, "fdb/show", "nosuch", NULL, NULL);
    assert_has(s, "nosuch: no such bridge");
    free(s);
}

static void
test_generate_fdb(void **state)
{
    char *s;

    (void) state;
    s = run(false, "fdb/flush", NULL, NULL, NULL);
    free(s);
    /* A plain trace learns nothing. */
    free(run(false, "ofproto/trace", "tou",
             "in_port=1,dl_src=" A ",dl_dst=" B ",ip", NULL));
    s = run(false, "fdb/show", "tou", NULL, NULL);
    assert_string_equal(s, " port  VLAN  MAC                Age\n");
    free(s);

    /* -generate learns A on port 1; B -> A then goes to port 1 only. */
    s = run(false, "ofproto/trace", "tou",
            "in_port=1,dl_src=" A ",dl_dst=" B ",ip", "-generate");
    assert_has(s, "(-generate: learning on)");
    free(s);
    s = run(false, "fdb/show", "tou", NULL, NULL);
    assert_string_equal(s, " port  VLAN  MAC                Age\n"
                           "    1     0  " A "    0\n");
    free(s);
    s = run(false, "ofproto/trace", "tou",
            "in_port=2,dl_src=" B ",dl_dst=" A ",ip", NULL);
    assert_has(s, "NORMAL: VLAN 0, learned on port 1\n");
    assert_has(s, "\nDatapath actions: 1\n");
    free(s);

    s = run(false, "fdb/flush", "tou", NULL, NULL);
    assert_string_equal(s, "table successfully flushed\n");
    free(s);
    s = run(false, "fdb/show", "tou", NULL, NULL);
    assert_string_equal(s, " port  VLAN  MAC                Age\n");
    free(s);
}

static void
test_upcall_show_dump_flows(void **state)
{
    uint8_t f[256];
    size_t size = sample_packet(SAMPLE_IPV4_TCP, f, NULL);
    uint8_t *out;
    size_t out_size;
    char *s = NULL;

    (void) state;
    /* A packet through NORMAL makes a megaflow. */
    assert_int_equal(netdev_dummy_receive("ou1", f, size), 0);
    assert_true(pop_sent("ou2", &out, &out_size));
    free(out);
    for (int i = 0; i < 200; i++) {
        free(s);
        s = run(false, "dpif/dump-flows", "tou", NULL, NULL);
        if (strstr(s, "in_port(1)")) {
            break;
        }
        usleep(10000);
    }
    assert_has(s, "in_port(1),eth(");
    assert_has(s, "actions:2,3\n");
    free(s);
    s = run(false, "dpif/dump-flows", "-m", "tou", NULL);
    assert_has(s, "ufid:");
    free(s);
    s = run(true, "dpif/dump-flows", "nosuch", NULL, NULL);
    free(s);

    s = run(false, "upcall/show", NULL, NULL, NULL);
    assert_has(s, "netdev@tou:\n");
    assert_has(s, "flows         : (current 1)");
    assert_has(s, "max-idle 10000ms");
    assert_has(s, "flow limit    : (datapath default)\n");
    assert_has(s, "dp drops      : upcall-lost 0 ");
    assert_has(s, " tnl-no-md 0 tnl-too-big 0\n");
    free(s);
}

/* A tunnel table of the one port vx9 (OpenFlow 9 on datapath port 4,
 * out_key 'key'). */
static struct tnl_table *
one_tunnel(uint32_t key)
{
    const char *keys[] = {"remote_ip", "key"};
    const char *values[] = {"192.0.2.2", "5000"};
    struct tnl_port p;
    char *error = NULL;

    memset(&p, 0, sizeof p);
    p.ofp_port = 9;
    p.dp_port = 4;
    snprintf(p.name, sizeof p.name, "vx9");
    assert_true(tnl_cfg_parse("vxlan", keys, values, 2, &p.cfg, &error));
    p.cfg.out_key = key;
    return tnl_table_create(&p, 1);
}

static void
test_tunnels(void **state)
{
    struct xbridge *xb;
    char *s;

    (void) state;
    assert_null(ofproto_tunnels(ofp));
    assert_false(ofproto_set_tunnels(ofp, NULL));
    assert_true(ofproto_set_tunnels(ofp, one_tunnel(5000)));
    /* The same ports again change nothing. */
    assert_false(ofproto_set_tunnels(ofp, one_tunnel(5000)));
    assert_non_null(ofproto_tunnels(ofp));

    /* Every snapshot carries its own copy. */
    xb = ofproto_xbridge(ofp);
    assert_non_null(xb->tnl);
    assert_ptr_not_equal(xb->tnl, ofproto_tunnels(ofp));
    assert_true(tnl_table_equal(xb->tnl, ofproto_tunnels(ofp)));
    assert_true(ofproto_set_tunnels(ofp, one_tunnel(7)));
    assert_false(tnl_table_equal(xb->tnl, ofproto_tunnels(ofp)));
    assert_int_equal(tnl_table_find(xb->tnl, 9)->cfg.out_key, 5000);
    ofproto_xbridge_free(xb);

    s = run(false, "ofproto/list-tunnels", "tou", NULL, NULL);
    assert_string_equal(s, "tou:\n  vx9 9/4: (vxlan: dst_port=4789, "
                           "remote_ip=192.0.2.2, in_key=5000, "
                           "out_key=7)\n");
    free(s);

    /* An empty table is none. */
    assert_true(ofproto_set_tunnels(ofp, tnl_table_create(NULL, 0)));
    assert_null(ofproto_tunnels(ofp));
    s = run(false, "ofproto/list-tunnels", NULL, NULL, NULL);
    assert_string_equal(s, "tou:\n");
    free(s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_generate_fdb),
        cmocka_unit_test(test_upcall_show_dump_flows),
        cmocka_unit_test(test_tunnels),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
