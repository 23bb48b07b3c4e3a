/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-netlink: the "system" datapath type, the kernel fast path
 * (vswitch_dp.ko or openvswitch.ko) over generic netlink.
 *
 * The kernel is the registry: a datapath exists until OVS_DP_CMD_DEL, and
 * every process that opens it by name gets the same one.  Each handle owns
 * one request socket (serialized by 'mutex'); dumps open a socket of their
 * own, so that a dump callback may issue requests on the handle.
 *
 * Upcalls: a handle does not touch the datapath's upcall configuration
 * until it asks for upcalls (dpif_handlers_set(), dpif_recv_fd() or
 * dpif_recv_batch()), so that a tool
 * opening a datapath never steals a daemon's upcalls.  Then it opens one
 * netlink socket per handler and offers the kernel per-CPU dispatch
 * (OVS_DP_F_DISPATCH_UPCALL_PER_CPU: CPU c's misses go to handler
 * c % n_handlers); a kernel that refuses it gets per-vport PIDs instead
 * (port p's misses go to handler p % n_handlers).  Handler i owns socket
 * i: dpif_recv_fd(i) is that socket and dpif_recv_batch(i) reads only it,
 * so handlers neither share a lock on the receive path nor steal each
 * other's upcalls.  ENOBUFS on a handler socket means the kernel dropped
 * upcalls for it: counted in that handler's 'n_lost'.
 *
 * Thread-safety: any thread; 'mutex' serializes requests on the handle's
 * socket.  'upcall_lock' guards the set of handler sockets: readers
 * (dpif_recv_*(), port numbering, stats) take it shared, so handlers
 * never wait on each other, and replacing the sockets takes it
 * exclusive.  A handler's socket and buffer are used only by the one
 * caller that reads its id (the dpif.h contract).
 */

#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <unistd.h>
#include "vswitch/buf.h"
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/ds.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "dpif-netlink-msg.h"
#include "dpif-provider.h"

VLOG_DEFINE_THIS_MODULE(dpif_netlink);

COVERAGE_DEFINE(dpif_netlink_upcall);
COVERAGE_DEFINE(dpif_netlink_upcall_lost);
COVERAGE_DEFINE(dpif_netlink_bad_reply);

/* Receive buffer of request sockets: the kernel caps dump messages at
 * 32 KiB. */
#define DPNL_RECV_SIZE (64 * 1024)
/* Receive buffer of upcall sockets: the kernel segments GSO packets before
 * queueing them, so one upcall is at most 64 KiB plus its key. */
#define DPNL_UPCALL_SIZE (64 * 1024 + 8192)
/* Kernel socket buffer asked for per handler socket. */
#define DPNL_UPCALL_RCVBUF (4 * 1024 * 1024)
/* Seconds a request socket waits for the kernel's next reply. */
#define DPNL_REPLY_TIMEOUT 10
/* Handler sockets opened by a first dpif_recv_*() without
 * dpif_handlers_set(): one, which then gets every upcall. */
#define DPNL_DEFAULT_HANDLERS 1

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* A netlink socket and its sequence numbers. */
struct nls {
    struct mnl_socket *mnl; /* The socket. */
    uint32_t seq;           /* Last sequence number used. */
    uint8_t *rbuf;          /* DPNL_RECV_SIZE bytes for replies. */
};

/* One handler's upcall socket. */
struct dpnl_handler {
    struct mnl_socket *mnl; /* Nonblocking. */
    uint32_t pid;           /* Its port id. */
    uint8_t *buf;           /* DPNL_UPCALL_SIZE bytes to receive into. */
    atomic_ullong n_lost;   /* Upcalls lost on it (ENOBUFS, too big). */
};

struct dpnl_dp {
    char *name;            /* The datapath's name. */
    int dp_ifindex;        /* Its local port's ifindex (its id). */
    struct vs_mutex mutex; /* Serializes 'sock'. */
    struct nls sock;       /* Requests. */

    struct vs_rwlock upcall_lock;  /* Guards the three below. */
    struct dpnl_handler *handlers; /* [upcall_lock] Sockets, by id. */
    size_t n_handlers;             /* [upcall_lock] At 'handlers'. */
    bool per_cpu;                  /* [upcall_lock] Per-CPU dispatch. */
    atomic_ullong n_lost_closed;   /* 'n_lost' of handlers since closed. */
};

/* Families, resolved once they exist. */
static struct vs_mutex families_mutex = VS_MUTEX_INITIALIZER;
static struct dpnl_families families VS_GUARDED_BY(families_mutex);
static bool families_ok VS_GUARDED_BY(families_mutex);

/* Sockets. */

static int
nls_open(struct nls *s)
{
    struct timeval timeout = {DPNL_REPLY_TIMEOUT, 0};
    int one = 1;

    memset(s, 0, sizeof *s);
    s->mnl = mnl_socket_open(NETLINK_GENERIC);
    if (!s->mnl) {
        return errno;
    }
    /* Extended acks (the kernel's message) and capped acks (no echo of
     * the request): both are best effort on old kernels. */
    mnl_socket_setsockopt(s->mnl, NETLINK_EXT_ACK, &one, sizeof one);
    mnl_socket_setsockopt(s->mnl, NETLINK_CAP_ACK, &one, sizeof one);
    /* The kernel always answers; a reply that never comes must not hang
     * the caller forever. */
    setsockopt(mnl_socket_get_fd(s->mnl), SOL_SOCKET, SO_RCVTIMEO, &timeout,
               sizeof timeout);
    if (mnl_socket_bind(s->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
        int error = errno;

        mnl_socket_close(s->mnl);
        s->mnl = NULL;
        return error;
    }
    s->seq = vs_time_msec() & 0xffffff;
    s->rbuf = xmalloc(DPNL_RECV_SIZE);
    return 0;
}

static void
nls_close(struct nls *s)
{
    if (s->mnl) {
        mnl_socket_close(s->mnl);
        s->mnl = NULL;
    }
    free(s->rbuf);
    s->rbuf = NULL;
}

/* Receives one datagram into 's->rbuf', its size into '*lenp'. */
static int
nls_recv(struct nls *s, size_t *lenp)
{
    for (;;) {
        ssize_t got = mnl_socket_recvfrom(s->mnl, s->rbuf, DPNL_RECV_SIZE);

        if (got >= 0) {
            *lenp = got;
            return 0;
        } else if (errno != EINTR) {
            return errno == EAGAIN ? ETIMEDOUT : errno;
        }
    }
}

/* Called for each data reply of request number 'i' of a batch. */
typedef void nls_reply_cb(size_t i, const struct nlmsghdr *, void *aux);

/* Sends the 'n' requests in 'req' (built with sequence numbers s->seq + 1
 * through s->seq + n, each with NLM_F_ACK) in one sendmsg() and collects
 * every reply and ack.  'errors[i]' receives request i's result; with
 * 'extacks', the kernel's message for it (malloc'd) or NULL.  Returns 0 or
 * a transport error (then 'errors' is meaningless). */
static int
nls_transact(struct nls *s, const struct buf *req, size_t n, nls_reply_cb *cb,
             void *aux, int *errors, char **extacks)
{
    uint32_t first = s->seq + 1;
    size_t n_done = 0;

    for (size_t i = 0; i < n; i++) {
        errors[i] = -1;
        if (extacks) {
            extacks[i] = NULL;
        }
    }
    s->seq += n;
    if (mnl_socket_sendto(s->mnl, req->data, req->size) < 0) {
        return errno;
    }
    while (n_done < n) {
        const struct nlmsghdr *nlh = (const void *) s->rbuf;
        size_t len;
        int rerror = nls_recv(s, &len);

        if (rerror) {
            return rerror;
        }
        for (; dpnl_msg_ok(nlh, len); nlh = dpnl_msg_next(nlh, &len)) {
            size_t i = nlh->nlmsg_seq - first;
            const char *extack;
            int error;

            if (i >= n) {
                continue; /* A stale reply. */
            }
            if (nlh->nlmsg_type == NLMSG_ERROR) {
                if (dpnl_parse_error(nlh, &error, &extack)) {
                    COVERAGE_INC(dpif_netlink_bad_reply);
                    error = EPROTO;
                    extack = NULL;
                }
                if (errors[i] == -1) {
                    n_done++;
                }
                errors[i] = error;
                if (extacks && extack) {
                    free(extacks[i]);
                    extacks[i] = xstrdup(extack);
                }
            } else if (cb && nlh->nlmsg_type >= NLMSG_MIN_TYPE) {
                cb(i, nlh, aux);
            }
        }
    }
    return 0;
}

/* One request, one reply callback, and the kernel's error (with its
 * message in '*extackp' if nonnull). */
static int
nls_transact1(struct nls *s, const struct buf *req, nls_reply_cb *cb,
              void *aux, char **extackp)
{
    int error, result;

    error =
        nls_transact(s, req, 1, cb, aux, &result, extackp ? extackp : NULL);
    return error ? error : result;
}

/* Sends the dump request in 'req' and calls 'cb' for each reply until the
 * kernel says done; drains the dump if 'cb' sets '*stop'. */
typedef void nls_dump_cb(const struct nlmsghdr *, void *aux, bool *stop);

static int
nls_dump(struct nls *s, const struct buf *req, nls_dump_cb *cb, void *aux)
{
    uint32_t seq = s->seq + 1;
    bool stop = false;

    s->seq++;
    if (mnl_socket_sendto(s->mnl, req->data, req->size) < 0) {
        return errno;
    }
    for (;;) {
        const struct nlmsghdr *nlh = (const void *) s->rbuf;
        size_t len;
        int rerror = nls_recv(s, &len);

        if (rerror) {
            return rerror;
        }
        for (; dpnl_msg_ok(nlh, len); nlh = dpnl_msg_next(nlh, &len)) {
            if (nlh->nlmsg_seq != seq) {
                continue;
            }
            if (nlh->nlmsg_type == NLMSG_DONE) {
                return 0;
            } else if (nlh->nlmsg_type == NLMSG_ERROR) {
                const char *extack;
                int error;

                if (dpnl_parse_error(nlh, &error, &extack)) {
                    return EPROTO;
                }
                if (error) {
                    return error;
                }
            } else if (!stop) {
                cb(nlh, aux, &stop);
            }
        }
    }
}

/* The family a dump goes to. */
enum dump_family {
    DUMP_DATAPATHS, /* 'req' is a struct dpnl_dp_req. */
    DUMP_VPORTS,    /* 'req' is a struct dpnl_vport_req. */
    DUMP_FLOWS,     /* 'req' is a struct dpnl_flow_req. */
};

static int get_families(struct dpnl_families *);

/* Runs dump request 'r' of 'family' on a socket of its own, so that 'cb'
 * may make requests on the handle meanwhile. */
static int
dump_fresh(enum dump_family family, const void *r, nls_dump_cb *cb, void *aux)
{
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_families f;
    struct nls s;
    int error;

    error = get_families(&f);
    if (error) {
        return error;
    }
    error = nls_open(&s);
    if (error) {
        return error;
    }
    switch (family) {
    case DUMP_DATAPATHS:
        dpnl_put_dp(&req, f.datapath, s.seq + 1, r);
        break;
    case DUMP_VPORTS:
        dpnl_put_vport(&req, f.vport, s.seq + 1, r);
        break;
    case DUMP_FLOWS:
        dpnl_put_flow(&req, f.flow, s.seq + 1, r);
        break;
    }
    error = nls_dump(&s, &req, cb, aux);
    nls_close(&s);
    buf_uninit(&req);
    return error;
}

/* Families. */

struct family_aux {
    uint16_t ids[4]; /* Resolved ids, 0 if not. */
};

static void
family_reply(size_t i, const struct nlmsghdr *nlh, void *aux_)
{
    struct family_aux *aux = aux_;
    uint16_t id;

    if (!dpnl_parse_family(nlh, &id)) {
        aux->ids[i] = id;
    }
}

/* Resolves the ovs_* families into '*f'.  ENODEV if the kernel has no
 * datapath module loaded. */
static int
get_families(struct dpnl_families *f)
{
    static const char *const names[4] = {
        OVS_DATAPATH_FAMILY,
        OVS_VPORT_FAMILY,
        OVS_FLOW_FAMILY,
        OVS_PACKET_FAMILY,
    };
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct family_aux aux = {{0}};
    int errors[4], error;
    struct nls s;

    vs_mutex_lock(&families_mutex);
    if (families_ok) {
        *f = families;
        vs_mutex_unlock(&families_mutex);
        return 0;
    }
    error = nls_open(&s);
    if (error) {
        goto out;
    }
    for (size_t i = 0; i < 4; i++) {
        dpnl_put_getfamily(&req, s.seq + 1 + i, names[i]);
    }
    error = nls_transact(&s, &req, 4, family_reply, &aux, errors, NULL);
    nls_close(&s);
    buf_uninit(&req);
    for (size_t i = 0; !error && i < 4; i++) {
        if (errors[i] || !aux.ids[i]) {
            error = ENODEV;
        }
    }
    if (!error) {
        families.datapath = aux.ids[0];
        families.vport = aux.ids[1];
        families.flow = aux.ids[2];
        families.packet = aux.ids[3];
        families_ok = true;
        *f = families;
    }
out:
    vs_mutex_unlock(&families_mutex);
    return error;
}

static bool
dpnl_available(void)
{
    struct dpnl_families f;

    return !get_families(&f);
}

/* Logs 'extack' (if any) for 'what' and returns 'error'. */
static int
report(const char *what, int error, char *extack)
{
    if (error && extack) {
        /* dpif.h has no message channel for these requests: the kernel's
         * reason goes to the log (lookups that miss are not news). */
        if (error == ENODEV || error == ENOENT) {
            VLOG_DBG_RL(&rl, "%s: %s (%s)", what, vs_strerror(error), extack);
        } else {
            VLOG_WARN_RL(&rl, "%s: %s (%s)", what, vs_strerror(error), extack);
        }
    }
    free(extack);
    return error;
}

/* Datapaths. */

struct dp_aux {
    struct dpnl_dp_reply reply; /* Parsed reply. */
    bool ok;                    /* Whether one came. */
    char *name;                 /* Its name (copy). */
};

static void
dp_reply(size_t i, const struct nlmsghdr *nlh, void *aux_)
{
    struct dp_aux *aux = aux_;

    if (!aux->ok && !dpnl_parse_dp(nlh, &aux->reply)) {
        aux->ok = true;
        free(aux->name);
        aux->name = aux->reply.name ? xstrdup(aux->reply.name) : NULL;
        aux->reply.name = NULL;
    }
}

/* Sends datapath request 'r' on 's' and parses the reply into 'aux'. */
static int
dp_transact(struct nls *s, const struct dpnl_dp_req *r, struct dp_aux *aux)
{
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_families f;
    struct dpnl_dp_req rr = *r;
    char *extack = NULL;
    int error;

    error = get_families(&f);
    if (error) {
        return error;
    }
    /* NLM_F_ECHO: a module that answers changes with a notification
     * sends it back to us as well. */
    rr.flags |= NLM_F_ACK | NLM_F_ECHO;
    dpnl_put_dp(&req, f.datapath, s->seq + 1, &rr);
    memset(aux, 0, sizeof *aux);
    error = nls_transact1(s, &req, dp_reply, aux, &extack);
    buf_uninit(&req);
    if (!error && !aux->ok && r->cmd != OVS_DP_CMD_DEL) {
        error = EPROTO;
    }
    return report(r->name ? r->name : "datapath", error, extack);
}

static int
dpnl_open(const char *name, bool create, void **dpp)
{
    struct dpnl_dp *dp;
    struct dp_aux aux;
    struct dpnl_dp_req r = {
        .cmd = OVS_DP_CMD_GET,
        .name = name,
    };
    int error;

    *dpp = NULL;
    dp = xzalloc(sizeof *dp);
    error = nls_open(&dp->sock);
    if (error) {
        goto err_free;
    }
    error = dp_transact(&dp->sock, &r, &aux);
    if (error == ENODEV && create) {
        r.cmd = OVS_DP_CMD_NEW;
        r.has_upcall_pid = true; /* 0: nobody, until a handle asks. */
        r.has_features = true;
        r.user_features = OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS;
        free(aux.name);
        error = dp_transact(&dp->sock, &r, &aux);
        if (error == EOPNOTSUPP || error == EINVAL) {
            r.user_features = 0;
            free(aux.name);
            error = dp_transact(&dp->sock, &r, &aux);
        }
        if (!error) {
            VLOG_INFO("system@%s: created (features 0x%" PRIx32 ")", name,
                      aux.reply.user_features);
        }
    } else if (!error && create) {
        /* dpif_open(create) of an existing kernel datapath: adopt it, as
         * a restarted daemon must. */
    }
    free(aux.name);
    if (error) {
        goto err_close;
    }
    dp->name = xstrdup(name);
    dp->dp_ifindex = aux.reply.dp_ifindex;
    vs_mutex_init(&dp->mutex);
    vs_rwlock_init(&dp->upcall_lock);
    *dpp = dp;
    return 0;

err_close:
    nls_close(&dp->sock);
err_free:
    free(dp);
    return error;
}

static int
dpnl_create(const char *name, void **dpp)
{
    return dpnl_open(name, true, dpp);
}

static void
handlers_destroy(struct dpnl_dp *dp) VS_REQUIRES(dp->upcall_lock)
{
    for (size_t i = 0; i < dp->n_handlers; i++) {
        struct dpnl_handler *h = &dp->handlers[i];

        atomic_fetch_add(&dp->n_lost_closed, atomic_load(&h->n_lost));
        mnl_socket_close(h->mnl);
        free(h->buf);
    }
    free(dp->handlers);
    dp->handlers = NULL;
    dp->n_handlers = 0;
}

static void
dpnl_close(void *dp_)
{
    struct dpnl_dp *dp = dp_;

    if (!dp) {
        return;
    }
    vs_rwlock_wrlock(&dp->upcall_lock);
    handlers_destroy(dp);
    vs_rwlock_unlock(&dp->upcall_lock);
    nls_close(&dp->sock);
    vs_mutex_destroy(&dp->mutex);
    vs_rwlock_destroy(&dp->upcall_lock);
    free(dp->name);
    free(dp);
}

static void
dpnl_destroy(void *dp_)
{
    struct dpnl_dp *dp = dp_;
    struct dpnl_dp_req r = {.cmd = OVS_DP_CMD_DEL};
    struct dp_aux aux;
    int error;

    if (!dp) {
        return;
    }
    r.dp_ifindex = dp->dp_ifindex;
    vs_mutex_lock(&dp->mutex);
    error = dp_transact(&dp->sock, &r, &aux);
    vs_mutex_unlock(&dp->mutex);
    free(aux.name);
    if (error && error != ENODEV) {
        VLOG_WARN("system@%s: delete failed (%s)", dp->name,
                  vs_strerror(error));
    }
    dpnl_close(dp);
}

struct enum_aux {
    struct ds *out; /* "system@NAME\n" lines. */
};

static void
enum_reply(const struct nlmsghdr *nlh, void *aux_, bool *stop)
{
    struct enum_aux *aux = aux_;
    struct dpnl_dp_reply r;

    if (!dpnl_parse_dp(nlh, &r) && r.name) {
        ds_put_format(aux->out, "system@%s\n", r.name);
    } else {
        COVERAGE_INC(dpif_netlink_bad_reply);
    }
}

static int
dpnl_enumerate(struct ds *out)
{
    struct dpnl_dp_req r = {.cmd = OVS_DP_CMD_GET, .flags = NLM_F_DUMP};
    struct enum_aux aux = {out};

    return dump_fresh(DUMP_DATAPATHS, &r, enum_reply, &aux);
}

static int
dpnl_get_stats(const void *dp_, struct dpif_dp_stats *st)
{
    struct dpnl_dp *dp = (struct dpnl_dp *) dp_;
    struct dpnl_dp_req r = {.cmd = OVS_DP_CMD_GET};
    struct dp_aux aux;
    int error;

    r.dp_ifindex = dp->dp_ifindex;
    vs_mutex_lock(&dp->mutex);
    error = dp_transact(&dp->sock, &r, &aux);
    vs_mutex_unlock(&dp->mutex);
    free(aux.name);
    if (error) {
        return error;
    }
    st->n_hit = aux.reply.stats.n_hit;
    st->n_missed = aux.reply.stats.n_missed;
    st->n_lost = aux.reply.stats.n_lost + atomic_load(&dp->n_lost_closed);
    vs_rwlock_rdlock(&dp->upcall_lock);
    for (size_t i = 0; i < dp->n_handlers; i++) {
        st->n_lost += atomic_load(&dp->handlers[i].n_lost);
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    st->n_flows = aux.reply.stats.n_flows;
    st->n_masks = aux.reply.mflow.n_masks;
    st->n_mask_hit = aux.reply.mflow.n_mask_hit;
    return 0;
}

/* Vports. */

static uint32_t
vport_type_from_netdev(const char *type)
{
    if (!strcmp(type, "internal")) {
        return OVS_VPORT_TYPE_INTERNAL;
    } else if (!strcmp(type, "system") || !strcmp(type, "netdev")
               || !strcmp(type, "tap") || !*type) {
        return OVS_VPORT_TYPE_NETDEV;
    } else if (!strcmp(type, "vxlan")) {
        return OVS_VPORT_TYPE_VXLAN;
    }
    return OVS_VPORT_TYPE_UNSPEC;
}

static const char *
vport_type_to_netdev(uint32_t type)
{
    switch (type) {
    case OVS_VPORT_TYPE_NETDEV:
        return "system";
    case OVS_VPORT_TYPE_INTERNAL:
        return "internal";
    case OVS_VPORT_TYPE_GRE:
        return "gre";
    case OVS_VPORT_TYPE_VXLAN:
        return "vxlan";
    case OVS_VPORT_TYPE_GENEVE:
        return "geneve";
    default:
        return "unknown";
    }
}

struct vport_aux {
    struct dpif_port *ports;      /* Collected ports (malloc'd). */
    size_t n;                     /* Entries at 'ports'. */
    struct dpif_port_stats stats; /* Stats of the first. */
};

static void
vport_collect(struct vport_aux *aux, const struct nlmsghdr *nlh)
{
    struct dpnl_vport_reply r;
    struct dpif_port *p;

    if (dpnl_parse_vport(nlh, &r)) {
        COVERAGE_INC(dpif_netlink_bad_reply);
        return;
    }
    aux->ports = xrealloc(aux->ports, (aux->n + 1) * sizeof *aux->ports);
    p = &aux->ports[aux->n++];
    p->name = xstrdup(r.name);
    p->type = xstrdup(vport_type_to_netdev(r.type));
    p->port_no = r.port_no;
    if (aux->n == 1) {
        aux->stats.rx_packets = r.stats.rx_packets;
        aux->stats.tx_packets = r.stats.tx_packets;
        aux->stats.rx_bytes = r.stats.rx_bytes;
        aux->stats.tx_bytes = r.stats.tx_bytes;
        aux->stats.rx_errors = r.stats.rx_errors;
        aux->stats.tx_errors = r.stats.tx_errors;
        aux->stats.rx_dropped = r.stats.rx_dropped;
        aux->stats.tx_dropped = r.stats.tx_dropped;
    }
}

static void
vport_reply(size_t i, const struct nlmsghdr *nlh, void *aux)
{
    vport_collect(aux, nlh);
}

static void
vport_aux_free(struct vport_aux *aux)
{
    for (size_t i = 0; i < aux->n; i++) {
        dpif_port_destroy(&aux->ports[i]);
    }
    free(aux->ports);
}

/* Sends vport request 'r' and collects the reply into 'aux'. */
static int
vport_transact(struct dpnl_dp *dp, const struct dpnl_vport_req *r,
               struct vport_aux *aux)
{
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_vport_req rr = *r;
    struct dpnl_families f;
    char *extack = NULL;
    int error;

    memset(aux, 0, sizeof *aux);
    error = get_families(&f);
    if (error) {
        return error;
    }
    rr.flags |= NLM_F_ACK | NLM_F_ECHO;
    vs_mutex_lock(&dp->mutex);
    dpnl_put_vport(&req, f.vport, dp->sock.seq + 1, &rr);
    error = nls_transact1(&dp->sock, &req, vport_reply, aux, &extack);
    vs_mutex_unlock(&dp->mutex);
    buf_uninit(&req);
    return report(r->name ? r->name : dp->name, error, extack);
}

/* The upcall pid for port 'port_no' in per-vport mode (0 if this handle
 * takes no upcalls). */
static uint32_t
port_pid(struct dpnl_dp *dp, uint32_t port_no)
{
    uint32_t pid = 0;

    vs_rwlock_rdlock(&dp->upcall_lock);
    if (dp->n_handlers && !dp->per_cpu) {
        pid = dp->handlers[port_no % dp->n_handlers].pid;
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    return pid;
}

static int
dpnl_port_add(void *dp_, const char *devname, const char *type,
              const struct dpif_port_opts *opts, uint32_t *port_nop)
{
    struct dpnl_dp *dp = dp_;
    struct dpnl_vport_req r = {
        .cmd = OVS_VPORT_CMD_NEW,
        .dp_ifindex = dp->dp_ifindex,
        .name = devname,
        .port_no = *port_nop,
        .type = vport_type_from_netdev(type),
        .has_upcall_pid = true,
    };
    struct vport_aux aux;
    int error;

    if (r.type == OVS_VPORT_TYPE_UNSPEC) {
        return EAFNOSUPPORT;
    }
    if (r.type == OVS_VPORT_TYPE_VXLAN) {
        /* openvswitch.ko refuses a VXLAN vport without its port. */
        r.dst_port = opts->dst_port ? opts->dst_port : 4789;
    }
    r.upcall_pid = port_pid(dp, *port_nop == DPIF_PORT_NONE ? 0 : *port_nop);
    error = vport_transact(dp, &r, &aux);
    if (!error && !aux.n) {
        error = EPROTO;
    }
    if (!error) {
        *port_nop = aux.ports[0].port_no;
        if (*port_nop != r.port_no
            && port_pid(dp, *port_nop) != r.upcall_pid) {
            struct dpnl_vport_req set = {
                .cmd = OVS_VPORT_CMD_SET,
                .dp_ifindex = dp->dp_ifindex,
                .port_no = *port_nop,
                .has_upcall_pid = true,
                .upcall_pid = port_pid(dp, *port_nop),
            };
            struct vport_aux aux2;

            vport_transact(dp, &set, &aux2);
            vport_aux_free(&aux2);
        }
    }
    vport_aux_free(&aux);
    return error;
}

static int
dpnl_port_del(void *dp_, uint32_t port_no)
{
    struct dpnl_dp *dp = dp_;
    struct dpnl_vport_req r = {
        .cmd = OVS_VPORT_CMD_DEL,
        .dp_ifindex = dp->dp_ifindex,
        .port_no = port_no,
    };
    struct vport_aux aux;
    int error = vport_transact(dp, &r, &aux);

    vport_aux_free(&aux);
    return error;
}

static int
dpnl_port_query__(struct dpnl_dp *dp, const char *devname, uint32_t port_no,
                  struct dpif_port *port, struct dpif_port_stats *stats)
{
    struct dpnl_vport_req r = {
        .cmd = OVS_VPORT_CMD_GET,
        .dp_ifindex = dp->dp_ifindex,
        .name = devname,
        .port_no = devname ? DPIF_PORT_NONE : port_no,
    };
    struct vport_aux aux;
    int error = vport_transact(dp, &r, &aux);

    if (!error && !aux.n) {
        error = ENODEV;
    }
    if (!error) {
        if (port) {
            *port = aux.ports[0];
            aux.ports[0] = (struct dpif_port){NULL, NULL, 0};
        }
        if (stats) {
            *stats = aux.stats;
        }
    }
    vport_aux_free(&aux);
    return error == ENOENT ? ENODEV : error;
}

static int
dpnl_port_query(const void *dp, const char *devname, uint32_t port_no,
                struct dpif_port *port)
{
    return dpnl_port_query__((struct dpnl_dp *) dp, devname, port_no, port,
                             NULL);
}

static int
dpnl_port_get_stats(const void *dp, uint32_t port_no,
                    struct dpif_port_stats *stats)
{
    return dpnl_port_query__((struct dpnl_dp *) dp, NULL, port_no, NULL,
                             stats);
}

static void
vport_dump_reply(const struct nlmsghdr *nlh, void *aux, bool *stop)
{
    vport_collect(aux, nlh);
}

static int
port_cmp(const void *a_, const void *b_)
{
    const struct dpif_port *a = a_, *b = b_;

    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

static int
dpnl_port_dump(const void *dp_, struct dpif_port **portsp, size_t *np)
{
    const struct dpnl_dp *dp = dp_;
    struct dpnl_vport_req r = {
        .cmd = OVS_VPORT_CMD_GET,
        .flags = NLM_F_DUMP,
        .dp_ifindex = dp->dp_ifindex,
        .port_no = DPIF_PORT_NONE,
    };
    struct vport_aux aux = {0};
    int error;

    *portsp = NULL;
    *np = 0;
    error = dump_fresh(DUMP_VPORTS, &r, vport_dump_reply, &aux);
    if (error) {
        vport_aux_free(&aux);
        return error;
    }
    qsort(aux.ports, aux.n, sizeof *aux.ports, port_cmp);
    *portsp = aux.ports;
    *np = aux.n;
    return 0;
}

/* Flows. */

static void
flow_stats_from_reply(const struct dpnl_flow_reply *r,
                      struct dpif_flow_stats *st)
{
    st->n_packets = r->n_packets;
    st->n_bytes = r->n_bytes;
    st->used = r->used;
    st->tcp_flags = r->tcp_flags;
}

struct flow_aux {
    struct dpif_flow_stats stats; /* Stats of the reply. */
    struct buf *storage;          /* flow_get: where to copy attributes. */
    struct dpif_flow *flow;       /* flow_get: the flow. */
    bool got;                     /* A reply came. */
};

static void
flow_reply(size_t i, const struct nlmsghdr *nlh, void *aux_)
{
    struct flow_aux *aux = aux_;
    struct dpnl_flow_reply r;

    if (aux->got || dpnl_parse_flow(nlh, &r)) {
        return;
    }
    aux->got = true;
    flow_stats_from_reply(&r, &aux->stats);
    if (aux->flow) {
        struct buf *b = aux->storage;
        size_t ofs;

        buf_prealloc_tailroom(b, r.key_size + r.mask_size + r.actions_size);
        ofs = b->size;
        buf_put(b, r.key, r.key_size);
        buf_put(b, r.mask, r.mask_size);
        buf_put(b, r.actions, r.actions_size);
        aux->flow->key = b->data + ofs;
        aux->flow->key_size = r.key_size;
        aux->flow->mask = b->data + ofs + r.key_size;
        aux->flow->mask_size = r.mask_size;
        aux->flow->actions = b->data + ofs + r.key_size + r.mask_size;
        aux->flow->actions_size = r.actions_size;
        aux->flow->stats = aux->stats;
        if (r.has_ufid) {
            aux->flow->ufid = r.ufid;
        }
    }
}

/* Sends flow request 'r' on the handle's socket; the reply (if any) goes
 * to 'aux'.  On error, '*errorp' (if nonnull) gets the kernel's message. */
static int
flow_transact(struct dpnl_dp *dp, const struct dpnl_flow_req *r,
              struct flow_aux *aux, char **errorp)
{
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_flow_req rr = *r;
    struct dpnl_families f;
    char *extack = NULL;
    int error;

    error = get_families(&f);
    if (error) {
        return error;
    }
    rr.flags |= NLM_F_ACK;
    rr.dp_ifindex = dp->dp_ifindex;
    vs_mutex_lock(&dp->mutex);
    dpnl_put_flow(&req, f.flow, dp->sock.seq + 1, &rr);
    error = nls_transact1(&dp->sock, &req, flow_reply, aux, &extack);
    vs_mutex_unlock(&dp->mutex);
    buf_uninit(&req);
    if (error && errorp && extack) {
        *errorp = extack;
        extack = NULL;
    }
    free(extack);
    return error;
}

/* Fills 'r' with the request for a put of 'flags' (counters wanted back
 * if 'want_stats').  EINVAL if 'flags' ask for nothing. */
static int
flow_put_req(struct dpnl_flow_req *r, enum dpif_put_flags flags,
             const void *key, size_t key_size, const void *mask,
             size_t mask_size, const void *actions, size_t actions_size,
             const struct dpif_ufid *ufid, bool want_stats)
{
    *r = (struct dpnl_flow_req){
        .key = key,
        .key_size = key_size,
        .mask = mask_size ? mask : NULL,
        .mask_size = mask_size,
        .actions = actions,
        .actions_size = actions_size,
        .has_actions = true,
        .ufid = ufid,
        .clear = (flags & DPIF_FP_ZERO_STATS) != 0,
    };
    if (flags & DPIF_FP_CREATE) {
        r->cmd = OVS_FLOW_CMD_NEW;
        r->flags = NLM_F_CREATE | (flags & DPIF_FP_MODIFY ? 0 : NLM_F_EXCL);
    } else if (flags & DPIF_FP_MODIFY) {
        r->cmd = OVS_FLOW_CMD_SET;
    } else {
        return EINVAL;
    }
    if (want_stats) {
        /* Only the counters are wanted back. */
        r->flags |= NLM_F_ECHO;
        r->ufid_flags = OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK
                        | OVS_UFID_F_OMIT_ACTIONS;
    }
    return 0;
}

/* Fills 'r' with the request that deletes the flow 'ufid' and returns its
 * counters. */
static void
flow_del_req(struct dpnl_flow_req *r, const struct dpif_ufid *ufid)
{
    *r = (struct dpnl_flow_req){
        .cmd = OVS_FLOW_CMD_DEL,
        .flags = NLM_F_ECHO,
        .ufid = ufid,
        .ufid_flags = OVS_UFID_F_OMIT_KEY | OVS_UFID_F_OMIT_MASK
                      | OVS_UFID_F_OMIT_ACTIONS,
    };
}

static int
dpnl_flow_put(void *dp_, enum dpif_put_flags flags, const void *key,
              size_t key_size, const void *mask, size_t mask_size,
              const void *actions, size_t actions_size,
              const struct dpif_ufid *ufid, struct dpif_flow_stats *stats,
              char **errorp)
{
    struct dpnl_dp *dp = dp_;
    struct flow_aux aux = {0};
    struct dpnl_flow_req r;
    int error;

    error = flow_put_req(&r, flags, key, key_size, mask, mask_size, actions,
                         actions_size, ufid, stats != NULL);
    if (error) {
        return error;
    }
    if (stats) {
        memset(stats, 0, sizeof *stats);
    }
    error = flow_transact(dp, &r, &aux, errorp);
    if (!error && stats) {
        *stats = aux.stats;
    }
    if (error && !(flags & DPIF_FP_PROBE) && errorp && *errorp) {
        VLOG_DBG_RL(&rl, "system@%s: flow put: %s (%s)", dp->name,
                    vs_strerror(error), *errorp);
    }
    return error;
}

static int
dpnl_flow_del(void *dp_, const void *key, size_t key_size,
              const struct dpif_ufid *ufid, struct dpif_flow_stats *stats)
{
    struct dpnl_dp *dp = dp_;
    struct flow_aux aux = {0};
    struct dpnl_flow_req r;
    int error;

    flow_del_req(&r, ufid);
    error = flow_transact(dp, &r, &aux, NULL);
    if (error == ENOENT && key && key_size) {
        /* A flow installed without a UFID (by another tool) is named by
         * its key. */
        r.ufid = NULL;
        r.key = key;
        r.key_size = key_size;
        error = flow_transact(dp, &r, &aux, NULL);
    }
    if (!error && stats) {
        *stats = aux.stats;
    }
    return error;
}

static int
dpnl_flow_get(const void *dp_, const void *key, size_t key_size,
              const struct dpif_ufid *ufid, struct buf *storage,
              struct dpif_flow *flow)
{
    struct dpnl_dp *dp = (struct dpnl_dp *) dp_;
    struct dpnl_flow_req r = {
        .cmd = OVS_FLOW_CMD_GET,
        .ufid = ufid,
    };
    struct flow_aux aux = {.storage = storage, .flow = flow};
    int error;

    memset(flow, 0, sizeof *flow);
    flow->ufid = *ufid;
    error = flow_transact(dp, &r, &aux, NULL);
    if (error == ENOENT && key && key_size) {
        r.ufid = NULL;
        r.key = key;
        r.key_size = key_size;
        error = flow_transact(dp, &r, &aux, NULL);
    }
    if (!error && !aux.got) {
        error = EPROTO;
    }
    return error;
}

static int
dpnl_flow_flush(void *dp_)
{
    struct dpnl_flow_req r = {.cmd = OVS_FLOW_CMD_DEL};

    return flow_transact(dp_, &r, &(struct flow_aux){0}, NULL);
}

/* Ops per sendmsg(): bounded so that the echoed replies and the acks fit
 * the socket's receive buffer. */
#define DPNL_OP_BATCH 64

static void
op_reply(size_t i, const struct nlmsghdr *nlh, void *ops_)
{
    struct dpif_op *ops = ops_;
    struct dpnl_flow_reply r;

    if (ops[i].stats && !dpnl_parse_flow(nlh, &r)) {
        flow_stats_from_reply(&r, ops[i].stats);
    }
}

static void
dpnl_operate(void *dp_, struct dpif_op *ops, const bool *keyed, size_t n_ops)
{
    struct dpnl_dp *dp = dp_;
    struct buf req = BUF_EMPTY_INITIALIZER;
    int errors[DPNL_OP_BATCH];
    struct dpnl_families f;
    int error;

    error = get_families(&f);
    for (size_t start = 0; start < n_ops; start += DPNL_OP_BATCH) {
        size_t n =
            n_ops - start < DPNL_OP_BATCH ? n_ops - start : DPNL_OP_BATCH;
        size_t n_sent = 0;

        buf_clear(&req);
        vs_mutex_lock(&dp->mutex);
        for (size_t i = 0; !error && i < n; i++) {
            struct dpif_op *op = &ops[start + i];
            struct dpnl_flow_req r;

            if (op->stats) {
                memset(op->stats, 0, sizeof *op->stats);
            }
            if (op->type == DPIF_OP_FLOW_PUT) {
                op->error = flow_put_req(&r, op->flags, op->key, op->key_size,
                                         op->mask, op->mask_size, op->actions,
                                         op->actions_size, op->ufid,
                                         op->stats != NULL);
            } else {
                flow_del_req(&r, op->ufid);
                op->error = 0;
            }
            if (op->error) {
                /* Still sent, as a no-op GET, to keep the numbering. */
                r = (struct dpnl_flow_req){.cmd = OVS_FLOW_CMD_GET,
                                           .ufid = op->ufid};
            }
            r.flags |= NLM_F_ACK;
            r.dp_ifindex = dp->dp_ifindex;
            dpnl_put_flow(&req, f.flow, dp->sock.seq + 1 + i, &r);
            n_sent++;
        }
        if (!error) {
            error = nls_transact(&dp->sock, &req, n_sent, op_reply,
                                 ops + start, errors, NULL);
        }
        vs_mutex_unlock(&dp->mutex);
        for (size_t i = 0; i < n; i++) {
            struct dpif_op *op = &ops[start + i];

            if (error) {
                op->error = error;
            } else if (!op->error) {
                op->error = errors[i];
            }
            if (op->error == ENOENT && op->type == DPIF_OP_FLOW_DEL
                && keyed[start + i]) {
                op->error = dpnl_flow_del(dp, op->key, op->key_size, op->ufid,
                                          op->stats);
            }
        }
    }
    buf_uninit(&req);
}

struct flow_dump_aux {
    dpif_flow_dump_cb *cb; /* The caller's callback. */
    void *aux;             /* Its argument. */
};

static void
flow_dump_reply(const struct nlmsghdr *nlh, void *aux_, bool *stop)
{
    struct flow_dump_aux *aux = aux_;
    struct dpnl_flow_reply r;
    struct dpif_flow f;

    if (dpnl_parse_flow(nlh, &r)) {
        COVERAGE_INC(dpif_netlink_bad_reply);
        return;
    }
    memset(&f, 0, sizeof f);
    f.key = r.key;
    f.key_size = r.key_size;
    f.mask = r.mask;
    f.mask_size = r.mask_size;
    f.actions = r.actions;
    f.actions_size = r.actions_size;
    if (r.has_ufid) {
        f.ufid = r.ufid;
    } else {
        dpif_ufid_from_key(r.key, r.key_size, &f.ufid);
    }
    flow_stats_from_reply(&r, &f.stats);
    if (!aux->cb(&f, aux->aux)) {
        *stop = true;
    }
}

static int
dpnl_flow_dump(const void *dp_, dpif_flow_dump_cb *cb, void *cb_aux)
{
    const struct dpnl_dp *dp = dp_;
    struct dpnl_flow_req r = {
        .cmd = OVS_FLOW_CMD_GET,
        .flags = NLM_F_DUMP,
        .dp_ifindex = dp->dp_ifindex,
    };
    struct flow_dump_aux aux = {cb, cb_aux};

    return dump_fresh(DUMP_FLOWS, &r, flow_dump_reply, &aux);
}

/* Execute. */

static int
dpnl_execute(void *dp_, const void *packet, size_t size, const void *key,
             size_t key_size, const void *actions, size_t actions_size,
             char **errorp)
{
    struct dpnl_dp *dp = dp_;
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_families f;
    char *extack = NULL;
    int error;

    error = get_families(&f);
    if (error) {
        return error;
    }
    vs_mutex_lock(&dp->mutex);
    dpnl_put_execute(&req, f.packet, dp->sock.seq + 1, dp->dp_ifindex, packet,
                     size, key, key_size, actions, actions_size);
    error = nls_transact1(&dp->sock, &req, NULL, NULL, &extack);
    vs_mutex_unlock(&dp->mutex);
    buf_uninit(&req);
    if (error && errorp) {
        *errorp = extack ? extack : xstrdup(vs_strerror(error));
        extack = NULL;
    }
    free(extack);
    return error;
}

/* Upcalls. */

/* Opens one nonblocking upcall socket with a large receive buffer. */
static int
handler_open(struct dpnl_handler *h)
{
    int size = DPNL_UPCALL_RCVBUF, fd;

    atomic_init(&h->n_lost, 0);
    h->mnl = mnl_socket_open2(NETLINK_GENERIC, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (!h->mnl) {
        return errno;
    }
    if (mnl_socket_bind(h->mnl, 0, MNL_SOCKET_AUTOPID) < 0) {
        int error = errno;

        mnl_socket_close(h->mnl);
        return error;
    }
    fd = mnl_socket_get_fd(h->mnl);
    /* Beyond net.core.rmem_max only with CAP_NET_ADMIN. */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size)) {
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    }
    h->pid = mnl_socket_get_portid(h->mnl);
    h->buf = xmalloc(DPNL_UPCALL_SIZE);
    return 0;
}

/* Points every vport's upcalls at this handle's handlers ('per_cpu' off). */
static void
set_vport_pids(struct dpnl_dp *dp) VS_REQUIRES(dp->upcall_lock)
{
    struct buf req = BUF_EMPTY_INITIALIZER;
    struct dpnl_families f;
    struct dpif_port *ports;
    size_t n_ports;
    int *errors;

    if (get_families(&f) || dpnl_port_dump(dp, &ports, &n_ports)) {
        return;
    }
    /* One sendmsg for every port; the acks are collected together. */
    vs_mutex_lock(&dp->mutex);
    for (size_t i = 0; i < n_ports; i++) {
        struct dpnl_vport_req r = {
            .cmd = OVS_VPORT_CMD_SET,
            .flags = NLM_F_ACK,
            .dp_ifindex = dp->dp_ifindex,
            .port_no = ports[i].port_no,
            .has_upcall_pid = true,
            .upcall_pid = dp->handlers[ports[i].port_no % dp->n_handlers].pid,
        };

        dpnl_put_vport(&req, f.vport, dp->sock.seq + 1 + i, &r);
    }
    errors = xcalloc(n_ports + 1, sizeof *errors);
    if (n_ports) {
        nls_transact(&dp->sock, &req, n_ports, NULL, NULL, errors, NULL);
    }
    vs_mutex_unlock(&dp->mutex);
    for (size_t i = 0; i < n_ports; i++) {
        if (errors[i]) {
            VLOG_WARN_RL(&rl, "system@%s: port %s: setting upcall pid: %s",
                         dp->name, ports[i].name, vs_strerror(errors[i]));
        }
        dpif_port_destroy(&ports[i]);
    }
    free(errors);
    free(ports);
    buf_uninit(&req);
}

/* True if the environment asks for per-vport dispatch even where the
 * kernel offers per-CPU dispatch (VSWITCH_DPNL_DISPATCH=per-vport), so
 * that tests reach the fallback on kernels that never need it. */
static bool
force_per_vport(void)
{
    const char *v = getenv("VSWITCH_DPNL_DISPATCH");

    return v && !strcmp(v, "per-vport");
}

/* Replaces the handler sockets by 'n' new ones and registers them with the
 * kernel: per-CPU dispatch if it takes it, else per-vport PIDs. */
static int
handlers_set__(struct dpnl_dp *dp, size_t n) VS_REQUIRES(dp->upcall_lock)
{
    struct dpnl_dp_req r = {.cmd = OVS_DP_CMD_SET, .has_features = true};
    size_t n_cpus = get_nprocs_conf();
    uint32_t *pids;
    struct dp_aux aux;
    int error = 0;

    handlers_destroy(dp);
    dp->handlers = xcalloc(n, sizeof *dp->handlers);
    for (size_t i = 0; i < n; i++) {
        error = handler_open(&dp->handlers[i]);
        if (error) {
            handlers_destroy(dp);
            return error;
        }
        dp->n_handlers++;
    }

    pids = xcalloc(n_cpus ? n_cpus : 1, sizeof *pids);
    for (size_t i = 0; i < n_cpus; i++) {
        pids[i] = dp->handlers[i % n].pid;
    }
    r.dp_ifindex = dp->dp_ifindex;
    r.user_features = OVS_DP_F_UNALIGNED | OVS_DP_F_DISPATCH_UPCALL_PER_CPU;
    r.per_cpu_pids = pids;
    r.n_per_cpu_pids = n_cpus;
    vs_mutex_lock(&dp->mutex);
    if (force_per_vport()) {
        error = EOPNOTSUPP;
        memset(&aux, 0, sizeof aux);
    } else {
        error = dp_transact(&dp->sock, &r, &aux);
        free(aux.name);
    }
    dp->per_cpu =
        !error && aux.reply.user_features & OVS_DP_F_DISPATCH_UPCALL_PER_CPU;
    if (!dp->per_cpu) {
        r.user_features = OVS_DP_F_UNALIGNED | OVS_DP_F_VPORT_PIDS;
        r.per_cpu_pids = NULL;
        r.n_per_cpu_pids = 0;
        error = dp_transact(&dp->sock, &r, &aux);
        free(aux.name);
    }
    vs_mutex_unlock(&dp->mutex);
    free(pids);
    if (!dp->per_cpu) {
        set_vport_pids(dp);
    }
    VLOG_INFO("system@%s: %zu upcall handler(s), dispatch mode: %s", dp->name,
              n, dp->per_cpu ? "per-cpu" : "per-vport");
    return error;
}

/* Sets 'n' handler sockets unless there are that many already (or, if
 * 'n' is 0, unless there are any: then DPNL_DEFAULT_HANDLERS). */
static int
handlers_ensure(struct dpnl_dp *dp, size_t n) VS_EXCLUDES(dp->upcall_lock)
{
    int error = 0;

    vs_rwlock_wrlock(&dp->upcall_lock);
    if (!n ? !dp->n_handlers : n != dp->n_handlers) {
        error = handlers_set__(dp, n ? n : DPNL_DEFAULT_HANDLERS);
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    return error;
}

static int
dpnl_handlers_set(void *dp, size_t n_handlers)
{
    return handlers_ensure(dp, n_handlers);
}

/* Takes 'upcall_lock' shared, with handlers set (a first dpif_recv_*()
 * sets the default). */
static int
upcall_rdlock(struct dpnl_dp *dp) VS_ACQUIRES_SHARED(dp->upcall_lock)
{
    int error = 0;

    vs_rwlock_rdlock(&dp->upcall_lock);
    while (!dp->n_handlers && !error) {
        vs_rwlock_unlock(&dp->upcall_lock);
        error = handlers_ensure(dp, 0);
        vs_rwlock_rdlock(&dp->upcall_lock);
    }
    return error;
}

static int
dpnl_set_config(void *dp_, const struct dpif_config *cfg)
{
    (void) dp_;
    /* The kernel has no I/O threads: n_threads is refused (the upcall
     * sockets are dpif_handlers_set()'s, called by the daemon that reads
     * them; a tool must not replace them).  flow_limit, upcall_queue and
     * busy_poll belong to the userspace datapath: no such knobs here. */
    return cfg->n_threads ? EOPNOTSUPP : 0;
}

/* Fills 'u' from upcall message 'nlh'. */
static int
upcall_from_msg(const struct nlmsghdr *nlh, struct dpif_upcall *u)
{
    struct dpnl_upcall_reply r;

    if (dpnl_parse_upcall(nlh, &r)) {
        COVERAGE_INC(dpif_netlink_bad_reply);
        return EINVAL;
    }
    memset(u, 0, sizeof *u);
    u->type = r.cmd == OVS_PACKET_CMD_MISS ? DPIF_UC_MISS : DPIF_UC_ACTION;
    u->in_port = r.in_port;
    u->packet = xmemdup(r.packet, r.packet_size);
    u->packet_size = r.packet_size;
    u->key = xmemdup(r.key, r.key_size);
    u->key_size = r.key_size;
    if (r.userdata) {
        u->userdata = xmemdup(r.userdata, r.userdata_size);
        u->userdata_size = r.userdata_size;
    }
    return 0;
}

static int
dpnl_recv_batch(void *dp_, uint32_t handler_id, struct dpif_upcall *upcalls,
                size_t max, size_t *n)
{
    struct dpnl_dp *dp = dp_;
    struct dpnl_handler *h;
    int error, fd;

    error = upcall_rdlock(dp);
    if (!error && handler_id >= dp->n_handlers) {
        error = EINVAL;
    }
    if (error) {
        vs_rwlock_unlock(&dp->upcall_lock);
        return error;
    }
    h = &dp->handlers[handler_id];
    fd = mnl_socket_get_fd(h->mnl);
    /* This handler's socket only, until 'max' or it is empty. */
    while (*n < max) {
        ssize_t got =
            recv(fd, h->buf, DPNL_UPCALL_SIZE, MSG_DONTWAIT | MSG_TRUNC);
        const struct nlmsghdr *nlh = (const void *) h->buf;
        size_t len = got;

        if (got < 0) {
            if (errno == ENOBUFS) {
                /* The kernel dropped upcalls for this socket. */
                atomic_fetch_add(&h->n_lost, 1);
                COVERAGE_INC(dpif_netlink_upcall_lost);
                continue;
            }
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                VLOG_WARN_RL(&rl, "system@%s: upcall socket %" PRIu32 ": %s",
                             dp->name, handler_id, vs_strerror(errno));
            }
            break;
        }
        if (len > DPNL_UPCALL_SIZE) {
            atomic_fetch_add(&h->n_lost, 1);
            continue;
        }
        for (; dpnl_msg_ok(nlh, len) && *n < max;
             nlh = dpnl_msg_next(nlh, &len)) {
            if (!upcall_from_msg(nlh, &upcalls[*n])) {
                COVERAGE_INC(dpif_netlink_upcall);
                (*n)++;
            }
        }
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    return 0;
}

/* dpif_port_get_pid(): in per-CPU mode the kernel sends a userspace()
 * action's packet to the CPU's handler whatever the PID, but refuses 0. */
static uint32_t
dpnl_port_get_pid(const void *dp_, uint32_t port_no)
{
    struct dpnl_dp *dp = (struct dpnl_dp *) dp_;
    uint32_t pid = 0;

    vs_rwlock_rdlock(&dp->upcall_lock);
    if (dp->n_handlers) {
        pid = dp->handlers[dp->per_cpu ? 0 : port_no % dp->n_handlers].pid;
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    return pid;
}

static int
dpnl_recv_fd(const void *dp_, uint32_t handler_id)
{
    struct dpnl_dp *dp = (struct dpnl_dp *) dp_;
    int fd = -1;

    if (!upcall_rdlock(dp) && handler_id < dp->n_handlers) {
        fd = mnl_socket_get_fd(dp->handlers[handler_id].mnl);
    }
    vs_rwlock_unlock(&dp->upcall_lock);
    return fd;
}

const struct dpif_class dpif_netlink_class = {
    .type = "system",
    .available = dpnl_available,
    .open = dpnl_open,
    .close = dpnl_close,
    .enumerate = dpnl_enumerate,
    .create = dpnl_create,
    .destroy = dpnl_destroy,
    .set_config = dpnl_set_config,
    .get_stats = dpnl_get_stats,
    .port_add = dpnl_port_add,
    .port_del = dpnl_port_del,
    .port_query = dpnl_port_query,
    .port_dump = dpnl_port_dump,
    .port_get_stats = dpnl_port_get_stats,
    .port_get_pid = dpnl_port_get_pid,
    .flow_put = dpnl_flow_put,
    .flow_del = dpnl_flow_del,
    .flow_get = dpnl_flow_get,
    .flow_flush = dpnl_flow_flush,
    .operate = dpnl_operate,
    .flow_dump = dpnl_flow_dump,
    .execute = dpnl_execute,
    .handlers_set = dpnl_handlers_set,
    .recv_batch = dpnl_recv_batch,
    .recv_fd = dpnl_recv_fd,
};
