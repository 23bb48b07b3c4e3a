/* SPDX-License-Identifier: Apache-2.0 */
/*
 * upcall: the handler threads of a bridge's slow path (see upcall.h).
 *
 * A handler sleeps in poll() on its own upcall fd of the datapath
 * (dpif_recv_fd() of its id) and the udpif's eventfd (wake-ups for
 * shutdown), with a one-second timeout for upkeep
 * (MAC aging).  Each wake takes batches of up to UPCALL_BATCH upcalls:
 *
 *   miss    key -> flow (odp_key_to_flow, or flow_extract of the frame if
 *           the key does not parse), translate, install the megaflow
 *           (key and mask both of flow & wc, UFID from their bytes) unless
 *           the translation is 'slow' or cut by the budget, then execute
 *           the frame with the actions.  A miss whose flow falls inside a
 *           megaflow translated earlier in the same batch reuses it: it is
 *           neither translated nor installed again.
 *   action  a userspace() action with an xlate_ctrl_cookie: the frame
 *           goes to the packet_in callback as it is.
 *
 * Revalidation: udpif_revalidate() wakes the revalidator thread, which
 * translates the installed megaflows again and keeps, fixes or deletes
 * them (revalidator.h); requests that come while it works make one more pass.
 * A handler that translated before a revalidation request and installs
 * after it could leave a stale megaflow behind that the pass did not see,
 * so installs and requests are serialized by 'put_mutex' and a handler
 * installs a batch only if no request came since it began translating it
 * ('reval_seq').  Once a second the revalidator also sweeps the megaflows:
 * those idle for UPCALL_MAX_IDLE_MS go, the others' new packets are
 * credited to the rules they hit (revalidate_sweep()).  MAC learning:
 * after each batch (and each second, after aging) the handler re-checks
 * the megaflows whose exact destination is an address that was learned,
 * moved or forgotten (revalidate_megaflows_to(): a flood becomes a
 * unicast, a unicast follows a move, in place); more changes than the MAC
 * table logs request a full revalidation.
 *
 * Handlers: udpif_create() starts one; udpif_set_n_handlers() stops them,
 * tells the datapath the new number (dpif_handlers_set(): on the kernel
 * datapath, one upcall socket per handler, which handler i alone reads
 * with id i; the userspace datapath has one queue for all) and starts
 * the new ones.  Misses queued behind one whose
 * megaflow was just installed reuse it through a small ring of recent
 * installs ('inflight').  While a handler is behind and several ports
 * miss, each port has a budget per window; the excess is dropped and
 * counted (see docs/slow-path.md).
 *
 * What changed: requests carry a 'struct reval_changes' (tables, groups,
 * or everything); every install notes in 'cache' which tables and groups
 * its translation read, so a pass translates only the megaflows a change
 * can reach (revalidate_changed()).  The sweep steers 'flow_limit' by its
 * duration (udpif_flow_limit_next()); installs stop at the limit.
 *
 * Threads: udpif_destroy() stops and joins the handlers and the
 * revalidator.  udpif_set_xbridge(), the udpif_revalidate*() functions
 * and udpif_packet_out() may be called from any thread;
 * udpif_set_n_handlers() from one thread at a time.
 */
#include "upcall.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/openvswitch.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "mac-learning.h"
#include "revalidator.h"
#include "vswitch/buf.h"
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/flow.h"
#include "vswitch/odp.h"
#include "vswitch/ofp-port.h"
#include "vswitch/oftable.h"
#include "vswitch/rcu.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "xlate.h"

VLOG_DEFINE_THIS_MODULE(upcall);

COVERAGE_DEFINE(upcall_miss);
COVERAGE_DEFINE(upcall_dup_miss);
COVERAGE_DEFINE(upcall_bad_key);
COVERAGE_DEFINE(upcall_xlate_failed);
COVERAGE_DEFINE(upcall_unknown_port);
COVERAGE_DEFINE(upcall_put_failed);
COVERAGE_DEFINE(upcall_put_skipped);
COVERAGE_DEFINE(upcall_execute_failed);
COVERAGE_DEFINE(upcall_packet_in);
COVERAGE_DEFINE(upcall_bad_userdata);
COVERAGE_DEFINE(upcall_no_bridge);
COVERAGE_DEFINE(upcall_held);
COVERAGE_DEFINE(upcall_revalidate);
COVERAGE_DEFINE(upcall_mac_flows_fixed);
COVERAGE_DEFINE(upcall_inflight_dup);
COVERAGE_DEFINE(upcall_port_budget);
COVERAGE_DEFINE(upcall_flow_limit);
COVERAGE_DEFINE(upcall_flow_limit_shrunk);

/* Upcalls received per batch. */
#define UPCALL_BATCH 64
/* Most handler threads. */
#define UPCALL_MAX_HANDLERS DPIF_MAX_HANDLERS
/* Per-port budget window, ms, and misses one port may have translated by
 * one handler in a window while the handler is behind and other ports
 * miss too (udpif_set_port_budget()). */
#define UPCALL_BUDGET_MS 100
#define UPCALL_PORT_BUDGET 1024
/* Recently installed megaflows a later miss may reuse, and for how long
 * (queued misses of a flow keep arriving after its megaflow is in). */
#define UPCALL_INFLIGHT 64
#define UPCALL_INFLIGHT_MS 200
/* The dynamic flow limit: bounds, start, and the sweep time it aims
 * under, ms. */
#define UPCALL_FLOW_LIMIT_MIN 1000
#define UPCALL_FLOW_LIMIT_MAX 200000
#define UPCALL_FLOW_LIMIT_START 10000
#define UPCALL_DUMP_TARGET_MS 1000
/* Upkeep period, ms. */
#define UPCALL_UPKEEP_MS 1000
/* Megaflows not hit for this long are deleted, ms. */
#define UPCALL_MAX_IDLE_MS 10000

/* A recently installed megaflow (see UPCALL_INFLIGHT). */
struct inflight {
    struct flow flow;   /* Key (in_port: datapath number). */
    struct flow wc;     /* Mask. */
    struct buf actions; /* Datapath actions. */
    uint64_t reval_seq; /* udpif.reval_seq when it was translated. */
    long long time;     /* When it was installed, ms; 0: free slot. */
};

struct handler {
    struct udpif *udpif;                /* Owner. */
    uint32_t id;                        /* Its dpif handler id. */
    pthread_t thread;                   /* The thread. */
    bool exiting;                       /* Atomic: stop. */
    long long window;                   /* Start of the budget window, ms. */
    uint32_t port_used[DPIF_MAX_PORTS]; /* Misses per port this window. */
    size_t n_ports_active;              /* Ports with misses this window. */
};

struct udpif {
    struct dpif *dpif;                      /* The datapath. */
    struct udpif_callbacks cb;              /* Owner's callbacks. */
    void *aux;                              /* Their argument. */
    struct xbridge *xbridge;                /* RCU; may be NULL. */
    void (*free_xbridge)(struct xbridge *); /* For 'xbridge'. */
    struct vs_mutex put_mutex;              /* Installs vs. revalidation. */
    uint64_t reval_seq;                     /* [put_mutex] Requests so far. */
    bool need_reval;                        /* [put_mutex] A pass is due. */
    bool in_reval;                  /* [put_mutex] A pass is running. */
    bool held;                      /* [atomic] udpif_hold(). */
    bool adopted;                   /* [revalidator] Megaflows found in the
                                     * datapath at start were swept (their
                                     * sources learned) before a pass. */
    struct reval_changes pending;   /* [put_mutex] What changed. */
    struct reval_cache *cache;      /* Per-megaflow records. */
    struct vs_mutex handlers_mutex; /* Serializes udpif_set_n_handlers(). */
    struct handler *handlers;       /* [handlers_mutex] The threads. */
    size_t n_handlers;              /* [handlers_mutex] In 'handlers'. */
    struct vs_mutex inflight_mutex; /* Protects the two below. */
    struct inflight inflight[UPCALL_INFLIGHT]; /* Ring. */
    size_t inflight_next;                      /* Slot to fill next. */
    uint32_t port_budget;        /* Atomic: see UPCALL_PORT_BUDGET; 0: none. */
    long long flow_limit;        /* Atomic: installs stop at this many. */
    uint64_t n_budget_skipped;   /* Atomic: misses over a port budget. */
    uint64_t n_limit_skipped;    /* Atomic: installs over the limit. */
    uint64_t n_inflight_dups;    /* Atomic: misses reusing an install. */
    uint64_t n_stale_skipped;    /* Atomic: installs after a request. */
    uint64_t n_reval_translated; /* Atomic: revalidator translations. */
    uint64_t n_reval_skipped;    /* Atomic: megaflows a change missed. */
    int wake_fd;                 /* eventfd: stop (handlers). */
    int reval_fd;                /* eventfd: work or stop. */
    uint64_t n_passes;           /* Revalidation passes done (atomic). */
    long long pass_ms;           /* Duration of the last one (atomic). */
    long long sweep_ms;          /* Duration of the last sweep (atomic). */
    long long dump_delay_ms;     /* Atomic: added to sweep times (tests). */
    long long max_idle;          /* Atomic: idle megaflows' lifetime, ms. */
    bool exiting;                /* Atomic. */
    pthread_t revalidator;       /* The revalidator thread. */
};

/* One miss of a batch being handled. */
struct upcall_op {
    struct dpif_upcall *up;      /* The upcall. */
    struct flow flow;            /* Its flow (in_port: datapath number). */
    struct xlate_out xout;       /* Translation (unless 'dup'). */
    const struct upcall_op *dup; /* Earlier op whose megaflow it is in. */
    bool ok;                     /* Translated. */
    bool reused;                 /* 'xout.odp_actions' came from a recent
                                  * install: nothing to install. */
};

static struct xbridge *
udpif_xbridge(struct udpif *udpif)
{
    return VRCU_GET(udpif->xbridge);
}

/* Whether 'flow' lies inside the megaflow 'key'/'mask'. */
static bool
in_mask(const struct flow *flow, const struct flow *key,
        const struct flow *mask)
{
    const uint64_t *a = flow_u64(flow), *b = flow_u64(key);
    const uint64_t *m = flow_u64(mask);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((a[i] ^ b[i]) & m[i]) {
            return false;
        }
    }
    return true;
}

/* Whether 'flow' lies inside the megaflow of 'op'. */
static bool
in_megaflow(const struct flow *flow, const struct upcall_op *op)
{
    return in_mask(flow, &op->flow, &op->xout.wc);
}

static void
flow_from_upcall(const struct dpif_upcall *up, struct flow *flow)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    char *error = NULL;

    if (odp_key_to_flow(up->key, up->key_size, NULL, 0, flow, NULL, &error)) {
        struct flow_md md;

        /* The packet's own headers stand in, without the metadata only
         * the key carries (a tunnel's outer headers among them). */
        COVERAGE_INC(upcall_bad_key);
        VLOG_WARN_RL(&rl,
                     "upcall key refused, using the packet's headers: "
                     "%s",
                     error ? error : "invalid key");
        free(error);
        memset(&md, 0, sizeof md);
        md.in_port = up->in_port;
        flow_extract(up->packet, up->packet_size, &md, flow, NULL);
    }
}

/* Remembers the megaflow of 'op', just installed, for later misses. */
static void
inflight_add(struct udpif *udpif, const struct upcall_op *op,
             uint64_t reval_seq, long long now)
{
    struct inflight *e;

    vs_mutex_lock(&udpif->inflight_mutex);
    e = &udpif->inflight[udpif->inflight_next];
    udpif->inflight_next = (udpif->inflight_next + 1) % UPCALL_INFLIGHT;
    e->flow = op->flow;
    e->wc = op->xout.wc;
    buf_clear(&e->actions);
    buf_put(&e->actions, op->xout.odp_actions.data, op->xout.odp_actions.size);
    e->reval_seq = reval_seq;
    e->time = now;
    vs_mutex_unlock(&udpif->inflight_mutex);
}

/* If a megaflow installed in the last UPCALL_INFLIGHT_MS from a
 * translation as recent as 'reval_seq' covers 'op', copies its actions
 * into 'op' and returns true. */
static bool
inflight_find(struct udpif *udpif, struct upcall_op *op, uint64_t reval_seq,
              long long now)
{
    bool found = false;

    vs_mutex_lock(&udpif->inflight_mutex);
    for (size_t i = 0; i < UPCALL_INFLIGHT && !found; i++) {
        const struct inflight *e = &udpif->inflight[i];

        if (e->time && now - e->time < UPCALL_INFLIGHT_MS
            && e->reval_seq == reval_seq
            && in_mask(&op->flow, &e->flow, &e->wc)) {
            buf_clear(&op->xout.odp_actions);
            buf_put(&op->xout.odp_actions, e->actions.data, e->actions.size);
            found = true;
        }
    }
    vs_mutex_unlock(&udpif->inflight_mutex);
    return found;
}

/* Installs the megaflows of the 'n' ops in 'ops' (key and mask of flow &
 * wc each) with one dpif_operate(), which the kernel provider sends as
 * one batch; 'installed[i]' says whether op i's megaflow is in the
 * datapath now. */
static void
put_megaflows(struct udpif *udpif, struct upcall_op *const *ops, size_t n,
              bool *installed) VS_REQUIRES(udpif->put_mutex)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct buf keys[UPCALL_BATCH], masks[UPCALL_BATCH], ufid_bytes;
    struct dpif_ufid ufids[UPCALL_BATCH];
    struct dpif_op dops[UPCALL_BATCH];

    buf_init(&ufid_bytes, 0, 512);
    for (size_t i = 0; i < n; i++) {
        const struct upcall_op *op = ops[i];

        buf_init(&keys[i], 0, 256);
        buf_init(&masks[i], 0, 256);
        xlate_megaflow_key(&op->flow, &op->xout.wc, &keys[i], &masks[i]);
        buf_clear(&ufid_bytes);
        buf_put(&ufid_bytes, keys[i].data, keys[i].size);
        buf_put(&ufid_bytes, masks[i].data, masks[i].size);
        dpif_ufid_from_key(ufid_bytes.data, ufid_bytes.size, &ufids[i]);
        dops[i] = (struct dpif_op){
            .type = DPIF_OP_FLOW_PUT,
            .flags = DPIF_FP_CREATE,
            .key = keys[i].data,
            .key_size = keys[i].size,
            .mask = masks[i].data,
            .mask_size = masks[i].size,
            .actions = op->xout.odp_actions.data,
            .actions_size = op->xout.odp_actions.size,
            .ufid = &ufids[i],
        };
    }
    buf_uninit(&ufid_bytes);
    dpif_operate(udpif->dpif, dops, n);
    for (size_t i = 0; i < n; i++) {
        int err = dops[i].error;

        if (err && err != EEXIST) {
            COVERAGE_INC(upcall_put_failed);
            VLOG_WARN_RL(&rl, "%s: megaflow install failed: %s",
                         dpif_name(udpif->dpif), vs_strerror(err));
        } else {
            /* What it read, for revalidation by what changed. */
            reval_cache_note(udpif->cache, &ufids[i], &ops[i]->xout);
        }
        installed[i] = !err || err == EEXIST;
        buf_uninit(&keys[i]);
        buf_uninit(&masks[i]);
    }
}

static void
execute(struct udpif *udpif, const struct dpif_upcall *up,
        const struct buf *actions)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    char *error = NULL;

    if (!actions->size) {
        return;
    }
    if (dpif_execute(udpif->dpif, up->packet, up->packet_size, up->key,
                     up->key_size, actions->data, actions->size, &error)) {
        COVERAGE_INC(upcall_execute_failed);
        VLOG_WARN_RL(&rl, "%s: execute failed: %s", dpif_name(udpif->dpif),
                     error ? error : "?");
    }
    free(error);
}

static void
handle_action_upcall(struct udpif *udpif, const struct dpif_upcall *up)
{
    struct xlate_ctrl_cookie cookie;
    struct upcall_packet_in pin;

    if (up->userdata_size != sizeof cookie) {
        COVERAGE_INC(upcall_bad_userdata);
        return;
    }
    memcpy(&cookie, up->userdata, sizeof cookie);
    if (cookie.type != XLATE_COOKIE_CONTROLLER) {
        COVERAGE_INC(upcall_bad_userdata);
        return;
    }
    COVERAGE_INC(upcall_packet_in);
    if (udpif->cb.packet_in) {
        pin.packet = up->packet;
        pin.size = up->packet_size;
        pin.cookie = &cookie;
        udpif->cb.packet_in(udpif->aux, &pin);
    }
}

/* Whether handler 'h' skips a miss from 'in_port' for the port budget.
 * 'behind': the batch was full (more upcalls are waiting). */
static bool
over_port_budget(struct handler *h, uint32_t in_port, bool behind,
                 long long now)
{
    uint32_t budget =
        __atomic_load_n(&h->udpif->port_budget, __ATOMIC_RELAXED);
    size_t slot = in_port < DPIF_MAX_PORTS ? in_port : 0;

    if (now - h->window >= UPCALL_BUDGET_MS) {
        memset(h->port_used, 0, sizeof h->port_used);
        h->n_ports_active = 0;
        h->window = now;
    }
    if (!h->port_used[slot]++) {
        h->n_ports_active++;
    }
    /* Work-conserving: only a handler that is behind, with more than one
     * port missing, holds a port to its budget. */
    return budget && behind && h->n_ports_active > 1
           && h->port_used[slot] > budget;
}

/* Handles the misses among the 'n' upcalls in 'ups', with 'ops' (at least
 * 'n', their xlate_outs initialized) as scratch space. */
static void
handle_misses(struct handler *h, struct dpif_upcall *ups, size_t n,
              struct upcall_op *ops)
{
    struct udpif *udpif = h->udpif;
    const struct xbridge *br;
    uint64_t reval_seq;
    long long now = vs_time_msec();
    bool behind = n == UPCALL_BATCH;
    size_t n_ops = 0;

    vs_mutex_lock(&udpif->put_mutex);
    reval_seq = udpif->reval_seq;
    vs_mutex_unlock(&udpif->put_mutex);

    vrcu_read_lock();
    br = udpif_xbridge(udpif);
    for (size_t i = 0; i < n; i++) {
        struct upcall_op *op;
        int error;

        if (ups[i].type != DPIF_UC_MISS) {
            continue;
        }
        COVERAGE_INC(upcall_miss);
        if (!br) {
            COVERAGE_INC(upcall_no_bridge);
            continue;
        }
        if (__atomic_load_n(&udpif->held, __ATOMIC_ACQUIRE)) {
            /* The bridge is being rebuilt: a translation now (ports
             * unknown) would install a drop megaflow that could shadow
             * the adopted ones.  A miss lost here is retransmitted. */
            COVERAGE_INC(upcall_held);
            continue;
        }
        if (over_port_budget(h, ups[i].in_port, behind, now)) {
            COVERAGE_INC(upcall_port_budget);
            __atomic_add_fetch(&udpif->n_budget_skipped, 1, __ATOMIC_RELAXED);
            continue;
        }
        op = &ops[n_ops++];
        op->up = &ups[i];
        op->dup = NULL;
        op->ok = false;
        op->reused = false;
        flow_from_upcall(&ups[i], &op->flow);
        for (size_t j = 0; j + 1 < n_ops; j++) {
            if (ops[j].ok && !ops[j].dup && !ops[j].reused
                && in_megaflow(&op->flow, &ops[j])) {
                op->dup = &ops[j];
                break;
            }
        }
        if (op->dup) {
            COVERAGE_INC(upcall_dup_miss);
            op->ok = true;
            continue;
        }
        if (inflight_find(udpif, op, reval_seq, now)) {
            /* Queued behind the miss that installed its megaflow (in an
             * earlier batch or another handler). */
            COVERAGE_INC(upcall_inflight_dup);
            __atomic_add_fetch(&udpif->n_inflight_dups, 1, __ATOMIC_RELAXED);
            op->ok = op->reused = true;
            continue;
        }

        struct xlate_in xin = {
            .br = br,
            .version = of_tables_version(br->tables),
            .flow = op->flow,
            .may_learn = true,
            .credit_stats = true,
            .now = now,
            .packet_size = ups[i].packet_size,
        };
        error = xlate_actions(&xin, &op->xout);
        if (error == EINVAL) {
            /* A port the snapshot does not know (yet): a drop megaflow on
             * in_port alone keeps its packets from storming the slow path
             * until the next snapshot revalidates it away. */
            COVERAGE_INC(upcall_unknown_port);
            error = 0;
        }
        op->ok = !error;
        if (!op->ok) {
            COVERAGE_INC(upcall_xlate_failed);
        }
    }
    vrcu_read_unlock();

    if (n_ops) {
        long long limit =
            __atomic_load_n(&udpif->flow_limit, __ATOMIC_RELAXED);
        struct dpif_dp_stats st;
        uint64_t n_flows;

        memset(&st, 0, sizeof st);
        dpif_get_stats(udpif->dpif, &st);
        n_flows = st.n_flows;

        struct upcall_op *puts[UPCALL_BATCH];
        bool installed[UPCALL_BATCH];
        size_t n_puts = 0;

        vs_mutex_lock(&udpif->put_mutex);
        for (size_t i = 0; i < n_ops; i++) {
            struct upcall_op *op = &ops[i];

            if (!op->ok || op->dup || op->reused || op->xout.slow) {
                continue;
            }
            if (udpif->reval_seq != reval_seq) {
                COVERAGE_INC(upcall_put_skipped);
                __atomic_add_fetch(&udpif->n_stale_skipped, 1,
                                   __ATOMIC_RELAXED);
                continue;
            }
            if ((long long) n_flows >= limit) {
                /* The packet is still executed below. */
                COVERAGE_INC(upcall_flow_limit);
                __atomic_add_fetch(&udpif->n_limit_skipped, 1,
                                   __ATOMIC_RELAXED);
                continue;
            }
            puts[n_puts++] = op;
            n_flows++;
        }
        if (n_puts) {
            put_megaflows(udpif, puts, n_puts, installed);
        }
        for (size_t i = 0; i < n_puts; i++) {
            if (installed[i]) {
                inflight_add(udpif, puts[i], reval_seq, now);
            }
        }
        vs_mutex_unlock(&udpif->put_mutex);
    }

    for (size_t i = 0; i < n_ops; i++) {
        const struct upcall_op *op = &ops[i];

        if (op->ok) {
            execute(udpif, op->up,
                    &(op->dup ? op->dup : op)->xout.odp_actions);
        }
    }
}

/* Re-checks the megaflows that MAC learning changes since the last call
 * may have made wrong or needlessly wide (see the top of the file); with
 * 'expire', ages the MAC table first. */
static void
mac_upkeep(struct udpif *udpif, bool expire)
{
    struct mac_entry_info macs[MAC_CHANGE_LOG];
    const struct xbridge *br;
    bool overflow = false;
    long long now = vs_time_msec();
    size_t n = 0;

    vrcu_read_lock();
    br = udpif_xbridge(udpif);
    if (br && br->ml) {
        if (expire) {
            mac_learning_expire(br->ml, now);
        }
        n = mac_learning_drain_changes(br->ml, macs, &overflow);
        if (n && !overflow) {
            struct reval_counts c;

            revalidate_megaflows_to(udpif->dpif, br, now, macs, n, &c);
            COVERAGE_ADD(upcall_mac_flows_fixed, c.n_modified + c.n_deleted);
        }
    }
    vrcu_read_unlock();
    if (overflow) {
        udpif_revalidate(udpif);
    }
}

static void *
handler_main(void *h_)
{
    struct handler *h = h_;
    struct udpif *udpif = h->udpif;
    struct dpif_upcall ups[UPCALL_BATCH];
    struct upcall_op *ops = xcalloc(UPCALL_BATCH, sizeof *ops);
    long long next_upkeep = vs_time_msec() + UPCALL_UPKEEP_MS;
    bool upkeeper = h == &udpif->handlers[0];

    /* Scratch space kept across batches: no allocation per batch. */
    for (size_t i = 0; i < UPCALL_BATCH; i++) {
        xlate_out_init(&ops[i].xout);
    }
    vrcu_register_thread();
    while (!__atomic_load_n(&h->exiting, __ATOMIC_ACQUIRE)) {
        struct pollfd pfd[2] = {
            {.fd = dpif_recv_fd(udpif->dpif, h->id), .events = POLLIN},
            {.fd = udpif->wake_fd, .events = POLLIN},
        };
        long long now = vs_time_msec();
        size_t n = 0;

        if (upkeeper && now >= next_upkeep) {
            mac_upkeep(udpif, true);
            next_upkeep = now + UPCALL_UPKEEP_MS;
        }
        if (dpif_recv_batch(udpif->dpif, h->id, ups, UPCALL_BATCH, &n) || !n) {
            /* Only the upkeeper has a deadline; the others sleep until a
             * miss or the stop (a timeout of 0 here once spun a handler
             * at 70 % of a CPU on an idle datapath). */
            int timeout = !upkeeper           ? -1
                          : next_upkeep > now ? (int) (next_upkeep - now)
                                              : 0;

            poll(pfd, 2, timeout);
            continue;
        }
        handle_misses(h, ups, n, ops);
        for (size_t i = 0; i < n; i++) {
            if (ups[i].type == DPIF_UC_ACTION) {
                handle_action_upcall(udpif, &ups[i]);
            }
            dpif_upcall_uninit(&ups[i]);
        }
        mac_upkeep(udpif, false);
    }
    for (size_t i = 0; i < UPCALL_BATCH; i++) {
        xlate_out_uninit(&ops[i].xout);
    }
    free(ops);
    vrcu_unregister_thread();
    return NULL;
}

static void *revalidator_main(void *);

static void
wake(int fd)
{
    uint64_t one = 1;

    if (write(fd, &one, sizeof one) < 0) {
        /* The eventfd is full: it is readable already. */
    }
}

/* Stops and joins every handler. */
static void
stop_handlers(struct udpif *udpif) VS_REQUIRES(udpif->handlers_mutex)
{
    uint64_t count;

    for (size_t i = 0; i < udpif->n_handlers; i++) {
        __atomic_store_n(&udpif->handlers[i].exiting, true, __ATOMIC_RELEASE);
    }
    wake(udpif->wake_fd);
    for (size_t i = 0; i < udpif->n_handlers; i++) {
        pthread_join(udpif->handlers[i].thread, NULL);
    }
    if (read(udpif->wake_fd, &count, sizeof count) < 0) {
        /* Not readable: nothing to drain. */
    }
    free(udpif->handlers);
    udpif->handlers = NULL;
    udpif->n_handlers = 0;
}

void
udpif_set_n_handlers(struct udpif *udpif, size_t n)
{
    n = n < UPCALL_MAX_HANDLERS ? n : UPCALL_MAX_HANDLERS;
    vs_mutex_lock(&udpif->handlers_mutex);
    if (n != udpif->n_handlers) {
        stop_handlers(udpif);
        if (n) {
            /* Before any new thread reads: handler i reads id i. */
            int error = dpif_handlers_set(udpif->dpif, n);

            if (error) {
                VLOG_WARN("%s: %zu upcall handlers: %s",
                          dpif_full_name(udpif->dpif), n, vs_strerror(error));
            }
        }
        udpif->handlers = n ? xcalloc(n, sizeof *udpif->handlers) : NULL;
        udpif->n_handlers = n;
        for (size_t i = 0; i < n; i++) {
            udpif->handlers[i].udpif = udpif;
            udpif->handlers[i].id = i;
        }
        for (size_t i = 0; i < n; i++) {
            udpif->handlers[i].thread =
                vs_thread_create("handler", handler_main, &udpif->handlers[i]);
        }
    }
    vs_mutex_unlock(&udpif->handlers_mutex);
}

void
udpif_hold(struct udpif *udpif, bool hold)
{
    __atomic_store_n(&udpif->held, hold, __ATOMIC_RELEASE);
    if (!hold) {
        wake(udpif->reval_fd);
    }
}

size_t
udpif_default_n_handlers(const struct udpif *udpif)
{
    long n_cpus = sysconf(_SC_NPROCESSORS_ONLN);

    if (n_cpus < 1) {
        return 1;
    }
    /* The kernel forwards in softirq on every CPU and, with per-CPU
     * dispatch, sends CPU c's misses to handler c % n: one handler per CPU,
     * so that a miss burst on each CPU has its own reader.  The userspace
     * datapath's own threads want a CPU: one per CPU but one. */
    if (!strcmp(dpif_type(udpif->dpif), "system")) {
        return (size_t) n_cpus;
    }
    return n_cpus > 2 ? (size_t) n_cpus - 1 : 1;
}

void
udpif_set_port_budget(struct udpif *udpif, uint32_t budget)
{
    __atomic_store_n(&udpif->port_budget, budget, __ATOMIC_RELAXED);
}

struct udpif *
udpif_create(struct dpif *dpif, const struct udpif_callbacks *cb, void *aux)
{
    struct udpif *udpif = xzalloc(sizeof *udpif);

    udpif->dpif = dpif;
    if (cb) {
        udpif->cb = *cb;
    }
    udpif->aux = aux;
    udpif->max_idle = UPCALL_MAX_IDLE_MS;
    vs_mutex_init(&udpif->put_mutex);
    vs_mutex_init(&udpif->handlers_mutex);
    vs_mutex_init(&udpif->inflight_mutex);
    for (size_t i = 0; i < UPCALL_INFLIGHT; i++) {
        buf_init(&udpif->inflight[i].actions, 0, 64);
    }
    udpif->cache = reval_cache_create();
    udpif->port_budget = UPCALL_PORT_BUDGET;
    udpif->flow_limit = UPCALL_FLOW_LIMIT_START;
    udpif->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    udpif->reval_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (udpif->wake_fd < 0 || udpif->reval_fd < 0) {
        vs_fatal(1, "eventfd: %s", vs_strerror(errno));
    }
    udpif_set_n_handlers(udpif, 1);
    udpif->revalidator =
        vs_thread_create("revalidator", revalidator_main, udpif);
    return udpif;
}

static void
free_xbridge_cb(void *udpif_xb)
{
    void **pair = udpif_xb;
    void (*fn)(struct xbridge *);

    memcpy(&fn, &pair[0], sizeof fn);
    fn(pair[1]);
    free(pair);
}

/* Frees 'xb' with 'fn' after a grace period. */
static void
postpone_free_xbridge(struct xbridge *xb, void (*fn)(struct xbridge *))
{
    void **pair;

    if (!xb || !fn) {
        return;
    }
    pair = xmalloc(2 * sizeof *pair);
    memcpy(&pair[0], &fn, sizeof fn);
    pair[1] = xb;
    vrcu_postpone(free_xbridge_cb, pair);
}

void
udpif_destroy(struct udpif *udpif)
{
    if (!udpif) {
        return;
    }
    __atomic_store_n(&udpif->exiting, true, __ATOMIC_RELEASE);
    vs_mutex_lock(&udpif->handlers_mutex);
    stop_handlers(udpif);
    vs_mutex_unlock(&udpif->handlers_mutex);
    wake(udpif->reval_fd);
    pthread_join(udpif->revalidator, NULL);
    close(udpif->wake_fd);
    close(udpif->reval_fd);
    if (udpif->xbridge) {
        vrcu_synchronize();
        if (udpif->free_xbridge) {
            udpif->free_xbridge(udpif->xbridge);
        }
    }
    for (size_t i = 0; i < UPCALL_INFLIGHT; i++) {
        buf_uninit(&udpif->inflight[i].actions);
    }
    reval_cache_destroy(udpif->cache);
    vs_mutex_destroy(&udpif->inflight_mutex);
    vs_mutex_destroy(&udpif->handlers_mutex);
    vs_mutex_destroy(&udpif->put_mutex);
    free(udpif);
}

void
udpif_set_xbridge(struct udpif *udpif, struct xbridge *xb,
                  void (*free_xbridge)(struct xbridge *))
{
    struct xbridge *old = udpif->xbridge;
    void (*old_free)(struct xbridge *) = udpif->free_xbridge;

    VRCU_SET(udpif->xbridge, xb);
    udpif->free_xbridge = free_xbridge;
    postpone_free_xbridge(old, old_free);
    if (old) {
        /* Ports or settings changed: megaflows may depend on them. */
        udpif_revalidate(udpif);
    }
}

/* Records 'c' as changed and wakes the revalidator. */
static void
request(struct udpif *udpif, const struct reval_changes *c)
{
    COVERAGE_INC(upcall_revalidate);
    vs_mutex_lock(&udpif->put_mutex);
    udpif->reval_seq++;
    udpif->need_reval = true;
    reval_changes_merge(&udpif->pending, c);
    vs_mutex_unlock(&udpif->put_mutex);
    wake(udpif->reval_fd);
}

void
udpif_revalidate(struct udpif *udpif)
{
    struct reval_changes c = {.all = true};

    request(udpif, &c);
}

void
udpif_revalidate_tables(struct udpif *udpif, const uint8_t *table_bitmap)
{
    struct reval_changes c;

    memset(&c, 0, sizeof c);
    memcpy(c.tables, table_bitmap, sizeof c.tables);
    request(udpif, &c);
}

void
udpif_revalidate_groups(struct udpif *udpif, const uint32_t *group_ids,
                        size_t n)
{
    struct reval_changes c;

    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        reval_changes_add_group(&c, group_ids[i]);
    }
    request(udpif, &c);
}

bool
udpif_revalidation_idle(struct udpif *udpif)
{
    bool idle;

    vs_mutex_lock(&udpif->put_mutex);
    idle = !udpif->need_reval && !udpif->in_reval;
    vs_mutex_unlock(&udpif->put_mutex);
    return idle;
}

static void
revalidate_pass(struct udpif *udpif, const struct reval_changes *changes)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    const struct xbridge *br;
    struct reval_counts c;
    long long start = vs_time_msec();

    memset(&c, 0, sizeof c);
    vrcu_read_lock();
    br = udpif_xbridge(udpif);
    if (br) {
        revalidate_changed(udpif->dpif, br, udpif->cache, start, changes, &c);
    } else {
        dpif_flow_flush(udpif->dpif);
    }
    vrcu_read_unlock();
    __atomic_store_n(&udpif->pass_ms, vs_time_msec() - start,
                     __ATOMIC_RELAXED);
    __atomic_add_fetch(&udpif->n_passes, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&udpif->n_reval_translated, c.n_translated,
                       __ATOMIC_RELAXED);
    __atomic_add_fetch(&udpif->n_reval_skipped, c.n_skipped, __ATOMIC_RELAXED);
    if (br) {
        VLOG_DBG_RL(&rl,
                    "%s: revalidated in %lld ms: %zu translated, %zu not "
                    "affected, %zu kept, %zu modified, %zu deleted",
                    dpif_name(udpif->dpif), vs_time_msec() - start,
                    c.n_translated, c.n_skipped, c.n_kept, c.n_modified,
                    c.n_deleted);
    }
}

long long
udpif_flow_limit_next(long long limit, long long dump_ms, uint64_t n_flows)
{
    if (dump_ms > 2 * UPCALL_DUMP_TARGET_MS) {
        /* Far too slow: cut in proportion. */
        limit = limit * UPCALL_DUMP_TARGET_MS / dump_ms;
    } else if (dump_ms > UPCALL_DUMP_TARGET_MS) {
        limit -= limit / 4;
    } else if (dump_ms < UPCALL_DUMP_TARGET_MS / 2
               && n_flows * 10 >= (uint64_t) limit * 9) {
        /* Fast and the limit is what holds the count down: grow towards
         * the count this sweep's speed would dump in the target time, at
         * most doubling (a flow-setup burst must not wait a sweep per
         * thousand flows). */
        long long fits =
            dump_ms > 0
                ? (long long) (n_flows * UPCALL_DUMP_TARGET_MS / dump_ms)
                : 2 * limit;
        long long grow = (fits < 2 * limit ? fits : 2 * limit) - limit;

        limit += grow > UPCALL_FLOW_LIMIT_MIN ? grow : UPCALL_FLOW_LIMIT_MIN;
    }
    if (limit < UPCALL_FLOW_LIMIT_MIN) {
        limit = UPCALL_FLOW_LIMIT_MIN;
    }
    return limit < UPCALL_FLOW_LIMIT_MAX ? limit : UPCALL_FLOW_LIMIT_MAX;
}

/* The once-a-second sweep, and the flow limit it steers. */
static void
sweep(struct udpif *udpif, long long now)
{
    long long limit = __atomic_load_n(&udpif->flow_limit, __ATOMIC_RELAXED);
    long long max_idle = udpif_get_max_idle(udpif), dump_ms, next;
    struct dpif_dp_stats st;

    memset(&st, 0, sizeof st);
    dpif_get_stats(udpif->dpif, &st);
    if ((long long) st.n_flows > limit) {
        /* Over the limit (it shrank): idle ones go sooner. */
        max_idle = UPCALL_UPKEEP_MS / 10;
    }
    vrcu_read_lock();
    revalidate_sweep(udpif->dpif, udpif_xbridge(udpif), udpif->cache, now,
                     max_idle);
    vrcu_read_unlock();
    dump_ms = vs_time_msec() - now
              + __atomic_load_n(&udpif->dump_delay_ms, __ATOMIC_RELAXED);
    __atomic_store_n(&udpif->sweep_ms, dump_ms, __ATOMIC_RELAXED);
    next = udpif_flow_limit_next(limit, dump_ms, st.n_flows);
    if (next < limit) {
        COVERAGE_INC(upcall_flow_limit_shrunk);
    }
    __atomic_store_n(&udpif->flow_limit, next, __ATOMIC_RELAXED);
}

void
udpif_set_dump_delay(struct udpif *udpif, long long ms)
{
    __atomic_store_n(&udpif->dump_delay_ms, ms, __ATOMIC_RELAXED);
}

static void *
revalidator_main(void *udpif_)
{
    struct udpif *udpif = udpif_;
    long long next_idle = vs_time_msec() + UPCALL_UPKEEP_MS;

    vrcu_register_thread();
    while (!__atomic_load_n(&udpif->exiting, __ATOMIC_ACQUIRE)) {
        struct pollfd pfd = {.fd = udpif->reval_fd, .events = POLLIN};
        struct reval_changes changes;
        long long now = vs_time_msec();
        uint64_t count;
        bool need;

        if (__atomic_load_n(&udpif->held, __ATOMIC_ACQUIRE)) {
            poll(&pfd, 1, UPCALL_UPKEEP_MS);
            if (read(udpif->reval_fd, &count, sizeof count) < 0) {
                /* Nothing to read: a timeout. */
            }
            continue;
        }
        if (now >= next_idle) {
            sweep(udpif, now);
            next_idle = now + UPCALL_UPKEEP_MS;
        }
        vs_mutex_lock(&udpif->put_mutex);
        need = udpif->need_reval;
        udpif->need_reval = false;
        udpif->in_reval = need;
        changes = udpif->pending;
        memset(&udpif->pending, 0, sizeof udpif->pending);
        vs_mutex_unlock(&udpif->put_mutex);
        if (need) {
            if (!udpif->adopted) {
                /* Megaflows a previous vswitchd left (a kernel datapath
                 * forwards headless): learn from their counters first, so
                 * that the pass keeps unicast megaflows unicast. */
                sweep(udpif, now);
                udpif->adopted = true;
            }
            revalidate_pass(udpif, &changes);
            vs_mutex_lock(&udpif->put_mutex);
            udpif->in_reval = false;
            vs_mutex_unlock(&udpif->put_mutex);
            continue;
        }
        poll(&pfd, 1, (int) (next_idle > now ? next_idle - now : 0));
        if (read(udpif->reval_fd, &count, sizeof count) < 0) {
            /* Nothing to read: a timeout. */
        }
    }
    vrcu_unregister_thread();
    return NULL;
}

void
udpif_get_stats(struct udpif *udpif, struct udpif_stats *s)
{
    struct dpif_dp_stats st;

    memset(&st, 0, sizeof st);
    dpif_get_stats(udpif->dpif, &st);
    memset(s, 0, sizeof *s);
    s->n_flows = st.n_flows;
    s->n_lost = st.n_lost;
    s->flow_limit = __atomic_load_n(&udpif->flow_limit, __ATOMIC_RELAXED);
    s->n_budget_skipped =
        __atomic_load_n(&udpif->n_budget_skipped, __ATOMIC_RELAXED);
    s->n_limit_skipped =
        __atomic_load_n(&udpif->n_limit_skipped, __ATOMIC_RELAXED);
    s->n_inflight_dups =
        __atomic_load_n(&udpif->n_inflight_dups, __ATOMIC_RELAXED);
    s->n_stale_skipped =
        __atomic_load_n(&udpif->n_stale_skipped, __ATOMIC_RELAXED);
    s->n_reval_translated =
        __atomic_load_n(&udpif->n_reval_translated, __ATOMIC_RELAXED);
    s->n_reval_skipped =
        __atomic_load_n(&udpif->n_reval_skipped, __ATOMIC_RELAXED);
    s->n_passes = __atomic_load_n(&udpif->n_passes, __ATOMIC_RELAXED);
    s->sweep_ms = __atomic_load_n(&udpif->sweep_ms, __ATOMIC_RELAXED);
    vs_mutex_lock(&udpif->handlers_mutex);
    s->n_handlers = udpif->n_handlers;
    vs_mutex_unlock(&udpif->handlers_mutex);
}

void
udpif_show(struct udpif *udpif, struct ds *s)
{
    struct dpif_dp_stats st;
    struct udpif_stats us;

    memset(&st, 0, sizeof st);
    dpif_get_stats(udpif->dpif, &st);
    udpif_get_stats(udpif, &us);
    ds_put_format(s, "%s:\n", dpif_full_name(udpif->dpif));
    ds_put_format(
        s, "  flows         : (current %" PRIu64 ") (masks %" PRIu64 ")\n",
        st.n_flows, st.n_masks);
    ds_put_format(s, "  flow limit    : %lld\n", us.flow_limit);
    ds_put_format(s,
                  "  lookups       : hit %" PRIu64 " missed %" PRIu64
                  " lost %" PRIu64 "\n",
                  st.n_hit, st.n_missed, st.n_lost);
    ds_put_format(s,
                  "  skipped       : port budget %" PRIu64
                  ", flow limit %" PRIu64 ", stale %" PRIu64
                  "; reused installs %" PRIu64 "\n",
                  us.n_budget_skipped, us.n_limit_skipped, us.n_stale_skipped,
                  us.n_inflight_dups);
    ds_put_format(s,
                  "  revalidation  : %" PRIu64 " passes, last %lldms; "
                  "sweep %lldms, max-idle %dms\n",
                  us.n_passes,
                  __atomic_load_n(&udpif->pass_ms, __ATOMIC_RELAXED),
                  us.sweep_ms, (int) udpif_get_max_idle(udpif));
    ds_put_format(s,
                  "  re-translated : %" PRIu64 " (not affected %" PRIu64 ")\n",
                  us.n_reval_translated, us.n_reval_skipped);
    ds_put_format(s, "  threads       : %zu handler%s, 1 revalidator\n",
                  us.n_handlers, us.n_handlers == 1 ? "" : "s");
}

void
udpif_set_max_idle(struct udpif *udpif, long long ms)
{
    __atomic_store_n(&udpif->max_idle, ms > 0 ? ms : UPCALL_MAX_IDLE_MS,
                     __ATOMIC_RELAXED);
}

long long
udpif_get_max_idle(struct udpif *udpif)
{
    return __atomic_load_n(&udpif->max_idle, __ATOMIC_RELAXED);
}

int
udpif_packet_out(struct udpif *udpif, const void *packet, size_t size,
                 uint16_t in_port, const struct ofpacts *ofpacts)
{
    const struct xbridge *br;
    struct xlate_out xout;
    struct flow_md md;
    struct xlate_in xin;
    struct buf key;
    int error = 0;

    memset(&xin, 0, sizeof xin);
    memset(&md, 0, sizeof md);
    xlate_out_init(&xout);
    buf_init(&key, 0, 128);

    vrcu_read_lock();
    br = udpif_xbridge(udpif);
    if (!br) {
        error = ENODEV;
        goto out_unlock;
    }
    if (in_port == OFPP_CONTROLLER || in_port == OFPP_NONE) {
        md.in_port = UINT32_MAX;
    } else {
        const struct xport *xp = xbridge_port_by_ofp(br, in_port);

        if (!xp) {
            error = EINVAL;
            goto out_unlock;
        }
        md.in_port = xp->dp_port;
    }
    flow_extract(packet, size, &md, &xin.flow, NULL);
    xin.br = br;
    xin.version = of_tables_version(br->tables);
    xin.ofpacts = ofpacts;
    xin.may_learn = true;
    xin.credit_stats = true;
    xin.now = vs_time_msec();
    xin.packet_size = size;
    error = xlate_actions(&xin, &xout);
    vrcu_read_unlock();

    if (!error && xout.odp_actions.size) {
        struct flow keyflow = xin.flow;
        char *msg = NULL;

        if (keyflow.in_port == UINT32_MAX) {
            keyflow.in_port = DPIF_PORT_NONE;
        }
        odp_key_from_flow(&key, &keyflow);
        error =
            dpif_execute(udpif->dpif, packet, size, key.data, key.size,
                         xout.odp_actions.data, xout.odp_actions.size, &msg);
        free(msg);
    }
    goto out;

out_unlock:
    vrcu_read_unlock();
out:
    buf_uninit(&key);
    xlate_out_uninit(&xout);
    return error;
}
