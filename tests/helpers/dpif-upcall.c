/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-upcall: a one-table slow path over dpif.h, to prove the upcall path
 * of a datapath.  It opens datapath TYPE@NAME, waits for miss upcalls, and
 * installs for each one an exact-match flow (the upcall's own key, no
 * mask) whose action is "output to the peer port" from a static port map
 * — all the misses of one dpif_recv_batch() in one dpif_operate() — then
 * executes each missed packet with the same actions.
 *
 * usage: dpif-upcall [--timeout SECS] [--flows N] [--handlers H]
 *                    TYPE@NAME IN:OUT...
 *
 * It reads upcalls as H handlers (default 2, dpif_handlers_set()), one
 * thread polling every handler's own fd and receiving from each handler
 * id in turn.  Prints one line per event:
 *   miss in_port=P handler=H size=B key=KEY
 *   put in_port=P (batch of N): OK|error
 *   execute in_port=P: OK|error
 * and ends after N flows were installed (exit 0) or SECS seconds (exit 0
 * if at least one was, else 1).  The environment variable
 * VSWITCH_DPNL_DISPATCH=per-vport makes the system provider skip per-CPU
 * dispatch (to test its fallback).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/buf.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/odp.h"
#include "vswitch/util.h"

/* Most entries in the port map. */
#define MAX_MAP 16

struct port_map {
    uint32_t in;  /* Input port. */
    uint32_t out; /* Where its packets go. */
};

static bool
lookup(const struct port_map *map, size_t n, uint32_t in, uint32_t *out)
{
    for (size_t i = 0; i < n; i++) {
        if (map[i].in == in) {
            *out = map[i].out;
            return true;
        }
    }
    return false;
}

/* Handles the misses among 'n' upcalls: one dpif_operate() installs all
 * their flows, then each packet is executed.  Returns the number of flows
 * installed. */
static size_t
handle_misses(struct dpif *dpif, uint32_t handler,
              const struct dpif_upcall *ups, size_t n,
              const struct port_map *map, size_t n_map)
{
    struct buf actions[16];
    struct dpif_op ops[16];
    const struct dpif_upcall *op_up[16];
    size_t n_ops = 0, n_ok = 0;

    for (size_t i = 0; i < n && n_ops < ARRAY_SIZE(ops); i++) {
        const struct dpif_upcall *u = &ups[i];
        struct ds key = DS_EMPTY_INITIALIZER;
        char *error_msg = NULL, *text;
        uint32_t out;

        if (u->type != DPIF_UC_MISS) {
            continue;
        }
        odp_key_format(u->key, u->key_size, NULL, 0, &key);
        printf("miss in_port=%" PRIu32 " handler=%" PRIu32
               " size=%zu key=%s\n",
               u->in_port, handler, u->packet_size, ds_cstr(&key));
        ds_destroy(&key);
        if (!lookup(map, n_map, u->in_port, &out)) {
            printf("no port map entry for %" PRIu32 "\n", u->in_port);
            continue;
        }
        text = xasprintf("%" PRIu32, out);
        buf_init(&actions[n_ops], 0, 64);
        if (odp_actions_parse(text, &actions[n_ops], &error_msg)) {
            vs_fatal(1, "actions %s: %s", text, error_msg);
        }
        free(text);
        ops[n_ops] = (struct dpif_op){
            .type = DPIF_OP_FLOW_PUT,
            .flags = DPIF_FP_CREATE | DPIF_FP_MODIFY,
            .key = u->key,
            .key_size = u->key_size,
            .actions = actions[n_ops].data,
            .actions_size = actions[n_ops].size,
        };
        op_up[n_ops++] = u;
    }
    dpif_operate(dpif, ops, n_ops);
    for (size_t i = 0; i < n_ops; i++) {
        const struct dpif_upcall *u = op_up[i];
        char *error_msg = NULL;

        printf("put in_port=%" PRIu32 " (batch of %zu): %s\n", u->in_port,
               n_ops, ops[i].error ? vs_strerror(ops[i].error) : "OK");
        if (!ops[i].error) {
            int e = dpif_execute(dpif, u->packet, u->packet_size, u->key,
                                 u->key_size, ops[i].actions,
                                 ops[i].actions_size, &error_msg);

            printf("execute in_port=%" PRIu32 ": %s%s%s\n", u->in_port,
                   e ? vs_strerror(e) : "OK", error_msg ? ": " : "",
                   error_msg ? error_msg : "");
            free(error_msg);
            n_ok++;
        }
        buf_uninit(&actions[i]);
    }
    fflush(stdout);
    return n_ok;
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"timeout", required_argument, NULL, 't'},
        {"flows", required_argument, NULL, 'f'},
        {"handlers", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    struct port_map map[MAX_MAP];
    long long timeout = 20, want = 4, n_handlers = 2, deadline;
    struct pollfd pfds[DPIF_MAX_HANDLERS];
    size_t n_map = 0, n_flows = 0;
    const char *spec, *at;
    struct dpif *dpif;
    char *type;
    int c, error;

    vs_set_program_name(argv[0]);
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 't' && vs_str_to_llong(optarg, 1, 3600, &timeout)) {
            continue;
        } else if (c == 'f' && vs_str_to_llong(optarg, 1, 1000, &want)) {
            continue;
        } else if (c == 'H'
                   && vs_str_to_llong(optarg, 1, DPIF_MAX_HANDLERS,
                                      &n_handlers)) {
            continue;
        }
        vs_fatal(2, "usage: dpif-upcall [--timeout SECS] [--flows N] "
                    "[--handlers H] TYPE@NAME IN:OUT...");
    }
    if (optind + 2 > argc) {
        vs_fatal(2, "a datapath and at least one IN:OUT are required");
    }
    spec = argv[optind++];
    at = strchr(spec, '@');
    if (!at) {
        vs_fatal(2, "%s: expected TYPE@NAME", spec);
    }
    for (; optind < argc && n_map < MAX_MAP; optind++) {
        unsigned int in, out;

        if (sscanf(argv[optind], "%u:%u", &in, &out) != 2) {
            vs_fatal(2, "%s: expected IN:OUT", argv[optind]);
        }
        map[n_map].in = in;
        map[n_map++].out = out;
    }
    type = xstrndup(spec, at - spec);
    error = dpif_open(at + 1, type, false, &dpif);
    free(type);
    if (error) {
        vs_fatal(1, "%s: %s", spec, vs_strerror(error));
    }
    error = dpif_handlers_set(dpif, n_handlers);
    if (error) {
        vs_fatal(1, "%s: %lld handlers: %s", spec, n_handlers,
                 vs_strerror(error));
    }
    for (long long h = 0; h < n_handlers; h++) {
        pfds[h] =
            (struct pollfd){.fd = dpif_recv_fd(dpif, h), .events = POLLIN};
        if (pfds[h].fd < 0) {
            vs_fatal(1, "%s: no upcall fd for handler %lld", spec, h);
        }
    }
    printf("listening on %s with %lld handler(s)\n", dpif_full_name(dpif),
           n_handlers);
    fflush(stdout);

    deadline = vs_time_msec() + timeout * 1000;
    while (n_flows < (size_t) want && vs_time_msec() < deadline) {
        poll(pfds, n_handlers, 200);
        for (long long h = 0; h < n_handlers; h++) {
            struct dpif_upcall ups[16];
            size_t n;

            error = dpif_recv_batch(dpif, h, ups, ARRAY_SIZE(ups), &n);
            if (error) {
                vs_fatal(1, "recv (handler %lld): %s", h, vs_strerror(error));
            }
            n_flows += handle_misses(dpif, h, ups, n, map, n_map);
            for (size_t i = 0; i < n; i++) {
                dpif_upcall_uninit(&ups[i]);
            }
        }
    }
    printf("flows installed: %zu\n", n_flows);
    dpif_close(dpif);
    return n_flows ? 0 : 1;
}
