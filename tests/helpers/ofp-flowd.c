/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-flowd: vswitchd's OpenFlow switch (vswitchd/ofproto.h) with flow
 * tables and no ports or datapath, for holding the agent against Debian's
 * ovs-ofctl (add-flow, add-flows, mod-flows, del-flows, dump-flows,
 * dump-aggregate, add-group, dump-groups) without a running vswitchd.
 * Connections to PASSIVE-NAME are service connections, as on a bridge's
 * management socket.  Each FLOW_MOD and GROUP_MOD is logged to stdout as
 * "flow_mod: CMD MATCH actions=..." or "group_mod: CMD GROUP", each
 * refused request as "error: NAME".
 *
 * usage: ofp-flowd [--no-nxm] PASSIVE-NAME
 *        prints "listening PORT" when ready; --no-nxm refuses Nicira's NXM
 *        flow messages as a plain OpenFlow 1.0 switch does.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "vswitch/evloop.h"
#include "vswitch/rcu.h"
#include "vswitch/util.h"
#include "vswitchd/connmgr.h"
#include "vswitchd/ofproto.h"

static void
on_signal(int signo, void *loop)
{
    (void) signo;
    evloop_stop(loop);
}

int
main(int argc, char *argv[])
{
    struct evloop *loop;
    struct ofproto *ofp;
    uint16_t port;
    bool nxm = true;
    int error;

    vs_set_program_name(argv[0]);
    if (argc == 3 && !strcmp(argv[1], "--no-nxm")) {
        nxm = false;
        argv++;
        argc--;
    }
    if (argc != 2) {
        vs_fatal(2, "usage: ofp-flowd [--no-nxm] PASSIVE-NAME");
    }
    vrcu_thread_init();
    loop = evloop_create();
    evloop_add_signal(loop, SIGTERM, on_signal, loop);
    evloop_add_signal(loop, SIGINT, on_signal, loop);
    ofp = ofproto_create("ofp-flowd", loop, NULL);
    ofproto_set_datapath_id(ofp, 0xabc);
    ofproto_set_dp_desc(ofp, "flow tables, no ports");
    ofproto_set_log(ofp, stdout);
    ofproto_set_nxm(ofp, nxm);
    error = connmgr_add_service(ofproto_connmgr(ofp), argv[1], &port);
    if (error) {
        vs_fatal(1, "%s: %s", argv[1], vs_strerror(error));
    }
    printf("listening %u\n", port);
    fflush(stdout);
    evloop_run(loop);
    ofproto_destroy(ofp);
    evloop_destroy(loop);
    return 0;
}
