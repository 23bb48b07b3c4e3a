/* SPDX-License-Identifier: Apache-2.0 */
/*
 * upcall: the handler thread of a bridge's slow path (see upcall.h).
 *
 * The handler sleeps in poll() on the datapath's upcall fd and its own
 * eventfd (wake-ups for shutdown), with a one-second timeout for upkeep
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
 * translates every installed megaflow again and keeps, fixes or deletes it
 * (revalidator.h); requests that come while it works make one more pass.
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
 * Threads: udpif_create() starts one handler and one revalidator;
 * udpif_destroy() stops and joins them.  udpif_set_xbridge(),
 * udpif_revalidate() and udpif_packet_out() may be called from any
 * thread.
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
COVERAGE_DEFINE(upcall_revalidate);
COVERAGE_DEFINE(upcall_mac_flows_fixed);

/* Upcalls received per batch. */
#define UPCALL_BATCH 64
/* Upkeep period, ms. */
#define UPCALL_UPKEEP_MS 1000
/* Megaflows not hit for this long are deleted, ms (default of
 * udpif_set_max_idle()). */
#define UPCALL_MAX_IDLE_MS 10000

struct udpif {
    struct dpif *dpif;                      /* The datapath. */
    struct udpif_callbacks cb;              /* Owner's callbacks. */
    void *aux;                              /* Their argument. */
    struct xbridge *xbridge;                /* RCU; may be NULL. */
    void (*free_xbridge)(struct xbridge *); /* For 'xbridge'. */
    struct vs_mutex put_mutex;              /* Installs vs. revalidation. */
    uint64_t reval_seq;                     /* [put_mutex] Requests so far. */
    bool need_reval;                        /* [put_mutex] A pass is due. */
    bool in_reval;         /* [put_mutex] A pass is running. */
    int wake_fd;           /* eventfd: stop (handler). */
    int reval_fd;          /* eventfd: work or stop. */
    uint64_t n_passes;     /* Revalidation passes done (atomic). */
    long long pass_ms;     /* Duration of the last one (atomic). */
    long long sweep_ms;    /* Duration of the last sweep (atomic). */
    long long max_idle;    /* ms, idle megaflows' lifetime (atomic). */
    bool exiting;          /* Atomic. */
    pthread_t handler;     /* The handler thread. */
    pthread_t revalidator; /* The revalidator thread. */
};

/* One miss of a batch being handled. */
struct upcall_op {
    struct dpif_upcall *up;      /* The upcall. */
    struct flow flow;            /* Its flow (in_port: datapath number). */
    struct xlate_out xout;       /* Translation (unless 'dup'). */
    const struct upcall_op *dup; /* Earlier op whose megaflow it is in. */
    bool ok;                     /* Translated. */
};

static struct xbridge *
udpif_xbridge(struct udpif *udpif)
{
    return VRCU_GET(udpif->xbridge);
}

/* Whether 'flow' lies inside the megaflow of 'op'. */
static bool
in_megaflow(const struct flow *flow, const struct upcall_op *op)
{
    const uint64_t *a = flow_u64(flow), *b = flow_u64(&op->flow);
    const uint64_t *m = flow_u64(&op->xout.wc);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((a[i] ^ b[i]) & m[i]) {
            return false;
        }
    }
    return true;
}

static void
flow_from_upcall(const struct dpif_upcall *up, struct flow *flow)
{
    if (odp_key_to_flow(up->key, up->key_size, NULL, 0, flow, NULL, NULL)) {
        struct flow_md md;

        COVERAGE_INC(upcall_bad_key);
        memset(&md, 0, sizeof md);
        md.in_port = up->in_port;
        flow_extract(up->packet, up->packet_size, &md, flow, NULL);
    }
}

/* Installs the megaflow of 'op': key and mask of flow & wc. */
static void
put_megaflow(struct udpif *udpif, const struct upcall_op *op)
    VS_REQUIRES(udpif->put_mutex)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);
    struct buf key, mask, ufid_bytes;
    struct dpif_ufid ufid;
    char *error = NULL;
    int err;

    buf_init(&key, 0, 256);
    buf_init(&mask, 0, 256);
    xlate_megaflow_key(&op->flow, &op->xout.wc, &key, &mask);

    buf_init(&ufid_bytes, 0, key.size + mask.size);
    buf_put(&ufid_bytes, key.data, key.size);
    buf_put(&ufid_bytes, mask.data, mask.size);
    dpif_ufid_from_key(ufid_bytes.data, ufid_bytes.size, &ufid);
    buf_uninit(&ufid_bytes);

    err = dpif_flow_put(udpif->dpif, DPIF_FP_CREATE, key.data, key.size,
                        mask.data, mask.size, op->xout.odp_actions.data,
                        op->xout.odp_actions.size, &ufid, NULL, &error);
    if (err && err != EEXIST) {
        COVERAGE_INC(upcall_put_failed);
        VLOG_WARN_RL(&rl, "%s: megaflow install failed: %s",
                     dpif_name(udpif->dpif), error ? error : vs_strerror(err));
    }
    free(error);
    buf_uninit(&key);
    buf_uninit(&mask);
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

/* Handles the misses among the 'n' upcalls in 'ups', with 'ops' (at least
 * 'n', their xlate_outs initialized) as scratch space. */
static void
handle_misses(struct udpif *udpif, struct dpif_upcall *ups, size_t n,
              struct upcall_op *ops)
{
    const struct xbridge *br;
    uint64_t reval_seq;
    long long now = vs_time_msec();
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
        op = &ops[n_ops++];
        op->up = &ups[i];
        op->dup = NULL;
        op->ok = false;
        flow_from_upcall(&ups[i], &op->flow);
        for (size_t j = 0; j + 1 < n_ops; j++) {
            if (ops[j].ok && !ops[j].dup && in_megaflow(&op->flow, &ops[j])) {
                op->dup = &ops[j];
                break;
            }
        }
        if (op->dup) {
            COVERAGE_INC(upcall_dup_miss);
            op->ok = true;
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

    vs_mutex_lock(&udpif->put_mutex);
    for (size_t i = 0; i < n_ops; i++) {
        const struct upcall_op *op = &ops[i];

        if (!op->ok || op->dup || op->xout.slow) {
            continue;
        }
        if (udpif->reval_seq != reval_seq) {
            COVERAGE_INC(upcall_put_skipped);
            continue;
        }
        put_megaflow(udpif, op);
    }
    vs_mutex_unlock(&udpif->put_mutex);

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
handler_main(void *udpif_)
{
    struct udpif *udpif = udpif_;
    struct dpif_upcall ups[UPCALL_BATCH];
    struct upcall_op *ops = xcalloc(UPCALL_BATCH, sizeof *ops);
    long long next_upkeep = vs_time_msec() + UPCALL_UPKEEP_MS;

    /* Scratch space kept across batches: no allocation per batch. */
    for (size_t i = 0; i < UPCALL_BATCH; i++) {
        xlate_out_init(&ops[i].xout);
    }
    vrcu_register_thread();
    while (!__atomic_load_n(&udpif->exiting, __ATOMIC_ACQUIRE)) {
        struct pollfd pfd[2] = {
            {.fd = dpif_recv_fd(udpif->dpif), .events = POLLIN},
            {.fd = udpif->wake_fd, .events = POLLIN},
        };
        long long now = vs_time_msec();
        size_t n = 0;

        if (now >= next_upkeep) {
            mac_upkeep(udpif, true);
            next_upkeep = now + UPCALL_UPKEEP_MS;
        }
        if (dpif_recv_batch(udpif->dpif, ups, UPCALL_BATCH, &n) || !n) {
            poll(pfd, 2, (int) (next_upkeep - now));
            continue;
        }
        handle_misses(udpif, ups, n, ops);
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
    udpif->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    udpif->reval_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (udpif->wake_fd < 0 || udpif->reval_fd < 0) {
        vs_fatal(1, "eventfd: %s", vs_strerror(errno));
    }
    udpif->handler = vs_thread_create("handler", handler_main, udpif);
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
    wake(udpif->wake_fd);
    wake(udpif->reval_fd);
    pthread_join(udpif->handler, NULL);
    pthread_join(udpif->revalidator, NULL);
    close(udpif->wake_fd);
    close(udpif->reval_fd);
    if (udpif->xbridge) {
        vrcu_synchronize();
        if (udpif->free_xbridge) {
            udpif->free_xbridge(udpif->xbridge);
        }
    }
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

void
udpif_revalidate(struct udpif *udpif)
{
    COVERAGE_INC(upcall_revalidate);
    vs_mutex_lock(&udpif->put_mutex);
    udpif->reval_seq++;
    udpif->need_reval = true;
    vs_mutex_unlock(&udpif->put_mutex);
    wake(udpif->reval_fd);
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
revalidate_pass(struct udpif *udpif)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
    const struct xbridge *br;
    struct reval_counts c;
    long long start = vs_time_msec();

    vrcu_read_lock();
    br = udpif_xbridge(udpif);
    if (br) {
        revalidate_megaflows(udpif->dpif, br, start, &c);
    } else {
        dpif_flow_flush(udpif->dpif);
    }
    vrcu_read_unlock();
    __atomic_store_n(&udpif->pass_ms, vs_time_msec() - start,
                     __ATOMIC_RELAXED);
    __atomic_add_fetch(&udpif->n_passes, 1, __ATOMIC_RELAXED);
    if (br) {
        VLOG_DBG_RL(&rl,
                    "%s: revalidated in %lld ms: %zu kept, %zu modified, "
                    "%zu deleted",
                    dpif_name(udpif->dpif), vs_time_msec() - start, c.n_kept,
                    c.n_modified, c.n_deleted);
    }
}

static void *
revalidator_main(void *udpif_)
{
    struct udpif *udpif = udpif_;
    struct reval_cache *cache = reval_cache_create();
    long long next_idle = vs_time_msec() + UPCALL_UPKEEP_MS;

    vrcu_register_thread();
    while (!__atomic_load_n(&udpif->exiting, __ATOMIC_ACQUIRE)) {
        struct pollfd pfd = {.fd = udpif->reval_fd, .events = POLLIN};
        long long now = vs_time_msec();
        uint64_t count;
        bool need;

        if (now >= next_idle) {
            vrcu_read_lock();
            revalidate_sweep(udpif->dpif, udpif_xbridge(udpif), cache, now,
                             udpif_get_max_idle(udpif));
            vrcu_read_unlock();
            __atomic_store_n(&udpif->sweep_ms, vs_time_msec() - now,
                             __ATOMIC_RELAXED);
            next_idle = now + UPCALL_UPKEEP_MS;
        }
        vs_mutex_lock(&udpif->put_mutex);
        need = udpif->need_reval;
        udpif->need_reval = false;
        udpif->in_reval = need;
        vs_mutex_unlock(&udpif->put_mutex);
        if (need) {
            revalidate_pass(udpif);
            vs_mutex_lock(&udpif->put_mutex);
            udpif->in_reval = false;
            vs_mutex_unlock(&udpif->put_mutex);
            continue;
        }
        poll(&pfd, 1, (int) (next_idle - now));
        if (read(udpif->reval_fd, &count, sizeof count) < 0) {
            /* Nothing to read: a timeout. */
        }
    }
    reval_cache_destroy(cache);
    vrcu_unregister_thread();
    return NULL;
}

void
udpif_show(struct udpif *udpif, struct ds *s)
{
    struct dpif_dp_stats st;

    memset(&st, 0, sizeof st);
    dpif_get_stats(udpif->dpif, &st);
    ds_put_format(s, "%s:\n", dpif_full_name(udpif->dpif));
    ds_put_format(
        s, "  flows         : (current %" PRIu64 ") (masks %" PRIu64 ")\n",
        st.n_flows, st.n_masks);
    ds_put_format(s,
                  "  lookups       : hit %" PRIu64 " missed %" PRIu64
                  " lost %" PRIu64 "\n",
                  st.n_hit, st.n_missed, st.n_lost);
    ds_put_format(s,
                  "  revalidation  : %" PRIu64 " passes, last %lldms; "
                  "sweep %lldms, max-idle %dms\n",
                  __atomic_load_n(&udpif->n_passes, __ATOMIC_RELAXED),
                  __atomic_load_n(&udpif->pass_ms, __ATOMIC_RELAXED),
                  __atomic_load_n(&udpif->sweep_ms, __ATOMIC_RELAXED),
                  (int) udpif_get_max_idle(udpif));
    ds_put_cstr(s, "  threads       : 1 handler, 1 revalidator\n");
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
