/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCHD_XLATE_PRIVATE_H
#define VSWITCHD_XLATE_PRIVATE_H 1

/*
 * Internals shared by the translation files, one per action family:
 *
 *   xlate.c          the entry point, the table walk (goto_table, misses,
 *                    write/clear actions, write_metadata), the budget, the
 *                    trace, xbridge port lookups;
 *   xlate-output.c   output to ports and the reserved ports (FLOOD, ALL,
 *                    IN_PORT, LOCAL, CONTROLLER, TABLE), groups;
 *   xlate-rewrite.c  set_field, push/pop_vlan, dec_ttl, set_nw_ttl, and the
 *                    "commit" that turns the difference between the packet
 *                    as the datapath holds it and as the pipeline wants it
 *                    into set_masked/push_vlan/pop_vlan actions;
 *   xlate-normal.c   the NORMAL action (MAC learning switch).
 *
 * Tunnel ports (tunnel.h) are OpenFlow ports that share a datapath port,
 * listed in the xbridge's 'tnl' table: the input is demultiplexed from the
 * flow's tunnel metadata in xlate.c, output to one writes set(tunnel(...))
 * before output() in xlate-output.c.
 *
 * Two flows travel through a translation: 'flow' is the packet as the
 * pipeline sees it now (after set_field and friends), 'base' is the packet
 * as the datapath will hold it at this point of the actions emitted so far.
 * Before anything that sends the packet (output, userspace) the difference
 * is committed.  Every bit any decision reads is ORed into 'wc'.
 */

#include <stdbool.h>
#include <stdint.h>
#include "vswitch/flow.h"
#include "vswitch/ofp-actions.h"
#include "xlate.h"

struct of_rule;
struct tnl_port;

/* Most nested goto_table/group/output:TABLE levels. */
#define XLATE_MAX_DEPTH 64
/* Most table lookups and group buckets in one translation. */
#define XLATE_MAX_RESUBMITS 4096
/* Most bytes of datapath actions. */
#define XLATE_MAX_ACTIONS_SIZE 65536

struct xlate_ctx {
    const struct xlate_in *xin;    /* What to translate. */
    struct xlate_out *xout;        /* Results. */
    const struct xbridge *br;      /* xin->br. */
    const struct xport *in_xport;  /* Input port, NULL for none. */
    struct flow flow;              /* Packet as the pipeline sees it;
                                  * in_port is an OpenFlow number. */
    struct flow base;              /* Packet as the datapath holds it. */
    struct ofpacts action_set;     /* OpenFlow 1.3 action set. */
    uint8_t table_id;              /* Table being executed. */
    uint64_t rule_cookie;          /* Cookie of the rule being executed. */
    bool miss_rule;                /* That rule is a table-miss rule
                                   * (priority 0, matching everything):
                                   * its packet-ins say NO_MATCH (1.3). */
    int depth;                     /* Current nesting. */
    int n_resubmits;               /* Lookups and buckets so far. */
    bool exit;                     /* Stop: budget exceeded. */
    const struct tnl_port *in_tnl; /* The input port's tunnel, or NULL. */
};

/* xlate.c */
bool xlate_budget_take(struct xlate_ctx *);
void xlate_table(struct xlate_ctx *, uint8_t table_id);
/* What xlate_actions_list() returns besides a goto_table's table. */
enum {
    XLATE_LIST_END = -1,     /* Ran to the end without goto_table. */
    XLATE_LIST_DROPPED = -2, /* Stopped: the packet is dropped (dec_ttl). */
};
int xlate_actions_list(struct xlate_ctx *, const struct ofpact *, size_t n,
                       bool in_action_set);
void xlate_trace(struct xlate_ctx *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
uint32_t xlate_ofp_to_dp(const struct xbridge *, uint16_t ofp_port);
/* The tunnel behind OpenFlow port 'xp', or NULL if it is not one. */
const struct tnl_port *xlate_xport_tnl(const struct xlate_ctx *,
                                       const struct xport *xp);

/* xlate-output.c */
void xlate_output(struct xlate_ctx *, uint16_t port, uint16_t max_len);
void xlate_output_xport(struct xlate_ctx *, const struct xport *);
void xlate_controller(struct xlate_ctx *, uint8_t reason, uint16_t max_len);
void xlate_group(struct xlate_ctx *, uint32_t group_id);

/* xlate-rewrite.c */
void xlate_set_field(struct xlate_ctx *, const struct ofpact *);
void xlate_push_vlan(struct xlate_ctx *, uint16_t tpid);
void xlate_pop_vlan(struct xlate_ctx *);
bool xlate_dec_ttl(struct xlate_ctx *);
void xlate_set_ttl(struct xlate_ctx *, uint8_t ttl);
void xlate_commit(struct xlate_ctx *);
void xlate_unwildcard_vlans(struct xlate_ctx *);

/* xlate-normal.c */
void xlate_normal(struct xlate_ctx *);

/* Netlink attribute helpers writing into a struct buf. */
void xlate_nl_put(struct buf *, uint16_t type, const void *data, size_t size);
size_t xlate_nl_nest_start(struct buf *, uint16_t type);
void xlate_nl_nest_end(struct buf *, size_t ofs);

#endif /* VSWITCHD_XLATE_PRIVATE_H */
