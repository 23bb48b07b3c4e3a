/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oftable microbenchmark: the switch's side of bench/openflow without the
 * sockets.  Every flow of a flow file (default: bench/openflow/
 * gen-flows.sh 100000) is encoded as an OpenFlow 1.3 FLOW_MOD once; then,
 * timed: decode + of_tables_flow_mod() + of_tables_gc() for each (what a
 * switch does per FLOW_MOD), one FLOW stats reply over all tables (select,
 * copy, encode), and one DELETE of everything.  Memory: heap bytes in use
 * (mallinfo2) per flow after the adds.
 *
 * usage: oftable [FLOW-FILE]
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench-util.h"
#include "vswitch/buf.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"
#include "vswitch/util.h"

static struct buf **
load(const char *file, size_t *np)
{
    char cmd[256], line[1024];
    struct buf **v = NULL;
    size_t n = 0, allocated = 0;
    FILE *f;

    if (file) {
        f = fopen(file, "r");
    } else {
        snprintf(cmd, sizeof cmd, "bench/openflow/gen-flows.sh 100000");
        f = popen(cmd, "r");
    }
    if (!f) {
        vs_fatal(1, "cannot read flows");
    }
    while (fgets(line, sizeof line, f)) {
        struct ofp_flow_mod fm;
        char *error = NULL;

        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || line[0] == '#') {
            continue;
        }
        if (ofp_flow_mod_parse(&fm, line, OFPFC_ADD, &error)) {
            vs_fatal(1, "%s: %s", line, error);
        }
        if (n >= allocated) {
            allocated = allocated ? 2 * allocated : 1024;
            v = xrealloc(v, allocated * sizeof *v);
        }
        v[n] = buf_new(0, 256);
        if (ofp_flow_mod_encode(&fm, OFP13_VERSION, n, v[n])) {
            vs_fatal(1, "%s: cannot encode", line);
        }
        n++;
        ofp_flow_mod_uninit(&fm);
    }
    if (file) {
        fclose(f);
    } else {
        pclose(f);
    }
    *np = n;
    return v;
}

int
main(int argc, char *argv[])
{
    static struct of_tables t;
    struct ofp_flow_stats_request req;
    struct ofp_flow_mod del;
    struct ofp_mp_reply r;
    struct buf **msgs, *rq;
    size_t n, n_dumped = 0, msgs_bytes = 0;
    double t0, t1, t2, t3;
    size_t heap0, heap1;
    char *error = NULL;

    vs_set_program_name(argv[0]);
    vrcu_thread_init();
    msgs = load(argc > 1 ? argv[1] : NULL, &n);
    of_tables_init(&t);
    heap0 = mallinfo2().uordblks;

    t0 = bench_now();
    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_mod fm;
        enum ofperr e = ofp_flow_mod_decode(msgs[i]->data, msgs[i]->size, &fm);

        if (!e) {
            e = of_tables_flow_mod(&t, &fm, 0, NULL);
            of_tables_gc(&t);
        }
        ofp_flow_mod_uninit(&fm);
        if (e) {
            vs_fatal(1, "flow %zu: %s", i, ofperr_name(e));
        }
    }
    t1 = bench_now();
    heap1 = mallinfo2().uordblks;

    memset(&req, 0, sizeof req);
    match_init_catchall(&req.match);
    req.table_id = OFPTT_ALL;
    req.out_port = OFPP_NONE;
    req.out_group = OFPG_ANY;
    rq = buf_new(0, 128);
    ofp_flow_stats_request_encode(&req, OFP13_VERSION, 1, rq);
    ofp_mp_reply_init(&r, rq->data);
    {
        size_t m;
        const struct of_rule **v = of_tables_select(&t, &req, &m);

        for (size_t i = 0; i < m; i++) {
            struct ofp_flow_stats fs;

            of_rule_to_flow_stats(v[i], 0, &fs);
            ofp_flow_stats_put(&r, &fs);
            ofpacts_uninit(&fs.ofpacts);
        }
        free(v);
        n_dumped = m;
    }
    ofp_mp_reply_finish(&r);
    for (struct buf *b; (b = ofp_mp_reply_pop(&r));) {
        msgs_bytes += b->size;
        buf_delete(b);
    }
    t2 = bench_now();

    if (ofp_flow_mod_parse(&del, "table=255", OFPFC_DELETE, &error)) {
        vs_fatal(1, "%s", error);
    }
    of_tables_flow_mod(&t, &del, 0, NULL);
    of_tables_gc(&t);
    ofp_flow_mod_uninit(&del);
    t3 = bench_now();

    printf("oftable: %zu flows\n", n);
    printf("  add (decode + flow_mod + gc): %8.2f us/flow (%.3f s)\n",
           (t1 - t0) * 1e6 / n, t1 - t0);
    printf("  dump (select + stats + encode): %6.2f us/flow (%zu flows, "
           "%zu bytes)\n",
           (t2 - t1) * 1e6 / n, n_dumped, msgs_bytes);
    printf("  delete all (+ gc):            %8.2f us/flow\n",
           (t3 - t2) * 1e6 / n);
    printf("  heap: %zu bytes/flow\n", (heap1 - heap0) / n);

    for (size_t i = 0; i < n; i++) {
        buf_delete(msgs[i]);
    }
    free(msgs);
    buf_delete(rq);
    of_tables_destroy(&t);
    return 0;
}
