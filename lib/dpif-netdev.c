/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dpif-netdev: the userspace datapath ("netdev" dpif provider).
 *
 * Ports are netdevs (netdev.h); each port's receive queue belongs to one
 * I/O thread (port number modulo the thread count), which waits on its
 * queues with epoll, receives bursts of NETDEV_MAX_BURST frames, looks each
 * up and runs the flow's actions (dp-execute.c), batching transmissions
 * per output port until the end of the burst.
 *
 * Megaflow cache: tuple space search.  Every distinct mask has a subtable
 * (a chash from the hash of the masked key to flows); a lookup tries the
 * subtables in rank order (most hits first, re-ranked by dpif_run()) and
 * stops at the first match: megaflows of one datapath never overlap, so
 * the first match is the match.  In front sits a per-thread exact-match
 * cache (EMC) indexed by the hash of the whole extracted flow; an entry is
 * valid only while the datapath's flow generation is unchanged, which any
 * deletion bumps, so the EMC never points at a dead flow.
 *
 * Concurrency: one mutex serializes writers (flow and port changes,
 * configuration).  Packet threads read the port array, the subtable list,
 * the subtables and the flows' actions under RCU and never lock, except to
 * hand a batch of upcalls to the queue.  Counters are per thread (a slot
 * per thread in each flow and subtable, plus one slot for dpif_execute()),
 * summed on read.
 */

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/openvswitch.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "vswitch/buf.h"
#include "vswitch/chash.h"
#include "vswitch/coverage.h"
#include "vswitch/dpif.h"
#include "vswitch/flow.h"
#include "vswitch/hash.h"
#include "vswitch/hmap.h"
#include "vswitch/list.h"
#include "vswitch/netdev.h"
#include "vswitch/odp.h"
#include "vswitch/rcu.h"
#include "vswitch/thread.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"
#include "dp-execute.h"
#include "dpif-provider.h"
#include "tnl-vxlan.h"

VLOG_DEFINE_THIS_MODULE(dpif_netdev);

COVERAGE_DEFINE(dpif_netdev_tnl_no_md);
COVERAGE_DEFINE(dpif_netdev_tnl_too_big);
COVERAGE_DEFINE(dpif_netdev_tnl_icmp_sent);
COVERAGE_DEFINE(dpif_netdev_tnl_gso_bad);
COVERAGE_DEFINE(dpif_netdev_tnl_gso_segmented);
COVERAGE_DEFINE(dpif_netdev_tnl_udp_gso);
COVERAGE_DEFINE(dpif_netdev_tnl_coalesced);

/* A coalesced super-segment's buffer: headroom, L2 with two VLAN tags, a
 * 64 KiB network packet. */
#define TNL_COALESCE_BUF_SIZE (NETDEV_FRAME_HEADROOM + 22 + 65535)

/* Stat slots: one per I/O thread and one for dpif_execute(). */
#define N_SLOTS (DPIF_MAX_THREADS + 1)
#define EXEC_SLOT DPIF_MAX_THREADS
/* Exact-match cache entries per thread (a power of two). */
#define EMC_SIZE 4096
/* Bursts taken from one queue before looking at the others. */
#define MAX_BURSTS_PER_WAKE 8
/* Recirculation budget per packet. */
#define MAX_RECIRC_DEPTH 6
#define DEFAULT_FLOW_LIMIT 200000
#define DEFAULT_UPCALL_QUEUE 1024

struct flow_slot {
    uint64_t n_packets; /* Packets. */
    uint64_t n_bytes;   /* Bytes. */
    long long used;     /* Last hit (vs_time_msec()). */
    uint16_t tcp_flags; /* OR of TCP flags, host order. */
};

struct dp_actions {
    size_t size;                                /* Bytes in 'data'. */
    uint8_t data[] __attribute__((aligned(8))); /* OVS_ACTION_ATTR_*. */
};

struct dp_mask {
    struct flow mask;       /* The mask (normalized). */
    struct chash flows;     /* hash of masked key -> struct dp_flow. */
    size_t n_flows;         /* Flows in 'flows' (writer). */
    uint64_t hits[N_SLOTS]; /* Lookups that matched here, per thread. */
};

/* RCU snapshot of the subtables in rank order. */
struct dp_masks {
    size_t n;                /* Subtables. */
    struct dp_mask *masks[]; /* Best first. */
};

struct dp_flow {
    struct hmap_node ufid_node;      /* In dp->flows (writer). */
    struct dpif_ufid ufid;           /* Identifier. */
    struct flow key;                 /* Key as given (unmasked). */
    struct flow masked;              /* key & mask->mask. */
    uint64_t hash;                   /* Hash of 'masked' in the subtable. */
    struct dp_mask *mask;            /* Its subtable. */
    struct dp_actions *actions;      /* RCU-protected. */
    struct flow_slot stats[N_SLOTS]; /* Per-thread counters. */
    struct flow_slot base;           /* Subtracted on read (zeroed stats). */
};

struct dp_port {
    uint32_t port_no;         /* Number. */
    char *name;               /* Device name. */
    char *type;               /* netdev type. */
    struct netdev *netdev;    /* Device. */
    struct netdev_rxq *rxq;   /* Its receive queue. */
    int thread;               /* I/O thread that owns 'rxq'. */
    uint32_t max_frame;       /* Largest frame without GSO (MTU + L2). */
    struct vxlan_sock *vxlan; /* A "vxlan" port's sockets, else NULL
                               * ('netdev' and 'rxq' are then NULL). */
};

struct emc_entry {
    uint64_t gen;         /* dp->flow_gen when filled. */
    uint64_t hash;        /* flow_hash() of 'key'. */
    struct dp_flow *flow; /* Megaflow that matched. */
    struct flow key;      /* Exact flow. */
};

struct dp_tx {
    unsigned int n;                               /* Queued frames. */
    struct netdev_frame frames[NETDEV_MAX_BURST]; /* Frames. */
    uint8_t *owned[NETDEV_MAX_BURST];             /* Storage to free. */
    bool from_tnl[NETDEV_MAX_BURST]; /* Decapsulated: may be coalesced. */
};

struct dp_counters {
    uint64_t n_hit;         /* Megaflow hits. */
    uint64_t n_missed;      /* Misses. */
    uint64_t n_mask_hit;    /* Subtables probed by hits. */
    uint64_t n_emc_hit;     /* EMC hits. */
    uint64_t n_bad_frame;   /* Runts. */
    uint64_t n_too_big;     /* Over the output MTU. */
    uint64_t n_tx_failed;   /* Refused by the device. */
    uint64_t n_recirc_loop; /* Recirculation budget exceeded. */
    uint64_t n_tnl_no_md;   /* To a tunnel port without set(tunnel). */
    uint64_t n_tnl_too_big; /* Over the tunnel's inner MTU (incl. EMSGSIZE). */
};

struct dp_netdev;

/* Per-thread packet context. */
struct dp_ctx {
    struct dp_netdev *dp;             /* Owner. */
    int slot;                         /* Stats slot. */
    struct emc_entry *emc;            /* EMC_SIZE entries. */
    struct dp_tx *tx[DPIF_MAX_PORTS]; /* Per-port TX batches (lazy). */
    struct vxlan_tx_batch *ttx[DPIF_MAX_PORTS]; /* Tunnel ports' (lazy). */
    uint16_t dirty[DPIF_MAX_PORTS];             /* Ports with queued frames. */
    unsigned int n_dirty;                       /* Entries in 'dirty'. */
    struct vs_list upcalls; /* Pending struct upcall_node. */
    size_t n_upcalls;       /* Entries in 'upcalls'. */
    struct dp_counters c;   /* Counters. */
    long long now;          /* vs_time_msec() at burst start. */
    uint8_t *coalesce_buf;  /* Spare TNL_COALESCE_BUF_SIZE buffer, or NULL. */
};

struct dp_thread {
    struct dp_ctx ctx; /* Packet context. */
    int index;         /* 0..n_threads-1. */
    int epfd;          /* epoll over its rx queues and 'wake_fd'. */
    int wake_fd;       /* eventfd: stop. */
    atomic_bool stop;  /* Exit requested. */
    pthread_t tid;     /* Thread. */
};

struct upcall_node {
    struct vs_list node;   /* In a queue. */
    struct dpif_upcall up; /* The upcall. */
};

struct dp_netdev {
    char *name;                            /* Datapath name. */
    struct vs_mutex mutex;                 /* Serializes writers. */
    struct dp_port *ports[DPIF_MAX_PORTS]; /* RCU-protected, by number. */
    struct hmap flows;                     /* dp_flow by UFID (writer). */
    struct dp_masks *masks;                /* RCU-protected subtables. */
    atomic_uint_fast64_t flow_gen;         /* Bumped by every deletion. */
    long long flow_limit;                  /* Most flows. */
    struct dp_thread *threads;             /* I/O threads. */
    int n_threads;                         /* Count. */
    atomic_bool busy_poll;                 /* I/O threads never sleep. */
    struct dp_ctx exec_ctx;                /* dpif_execute()'s context. */
    struct vs_mutex exec_mutex;            /* Serializes 'exec_ctx'. */
    struct vs_mutex upcall_mutex;          /* Protects the queue below. */
    struct vs_list upcall_queue;           /* struct upcall_node. */
    size_t n_queued;                       /* In 'upcall_queue'. */
    size_t max_queued;                     /* Limit. */
    uint64_t n_lost;                       /* Upcalls dropped. */
    int upcall_fd;           /* eventfd: readable while queued. */
    struct dp_counters dead; /* Counters of stopped threads. */
};

/* Contexts. */

static void
ctx_init(struct dp_ctx *ctx, struct dp_netdev *dp, int slot)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->dp = dp;
    ctx->slot = slot;
    ctx->emc = xcalloc(EMC_SIZE, sizeof *ctx->emc);
    vs_list_init(&ctx->upcalls);
}

static void
ctx_uninit(struct dp_ctx *ctx)
{
    free(ctx->emc);
    for (size_t i = 0; i < DPIF_MAX_PORTS; i++) {
        free(ctx->tx[i]);
        vxlan_tx_batch_destroy(ctx->ttx[i]);
    }
    free(ctx->coalesce_buf);
}

static void
counters_add(struct dp_counters *dst, const struct dp_counters *src)
{
    const uint64_t *s = (const uint64_t *) src;
    uint64_t *d = (uint64_t *) dst;

    for (size_t i = 0; i < sizeof *dst / sizeof(uint64_t); i++) {
        d[i] += s[i];
    }
}

/* Upcalls. */

static void
queue_upcall(struct dp_ctx *ctx, enum dpif_upcall_type type,
             const struct dp_pkt *pkt, const struct flow *flow,
             const void *uattrs, size_t usize)
{
    struct upcall_node *n = malloc(sizeof *n);
    struct buf key = BUF_EMPTY_INITIALIZER;

    if (!n) {
        ctx->dp->n_lost++; /* Racy, but only under memory exhaustion. */
        return;
    }
    memset(n, 0, sizeof *n);
    n->up.type = type;
    n->up.in_port = pkt->md.in_port;
    n->up.packet = xmemdup(pkt->data, pkt->size);
    n->up.packet_size = pkt->size;
    odp_key_from_flow(&key, flow);
    n->up.key = xmemdup(key.data, key.size);
    n->up.key_size = key.size;
    buf_uninit(&key);
    if (uattrs) {
        const struct nlattr *a;

        for (a = uattrs; mnl_attr_ok(
                 a, (int) ((const char *) uattrs + usize - (const char *) a));
             a = mnl_attr_next(a)) {
            if (mnl_attr_get_type(a) == OVS_USERSPACE_ATTR_PID) {
                n->up.pid = mnl_attr_get_u32(a);
            } else if (mnl_attr_get_type(a) == OVS_USERSPACE_ATTR_USERDATA) {
                n->up.userdata_size = mnl_attr_get_payload_len(a);
                n->up.userdata =
                    xmemdup(mnl_attr_get_payload(a), n->up.userdata_size);
            }
        }
    }
    vs_list_push_back(&ctx->upcalls, &n->node);
    ctx->n_upcalls++;
}

/* Hands the context's pending upcalls to the queue in one batch. */
static void
flush_upcalls(struct dp_ctx *ctx)
{
    struct dp_netdev *dp = ctx->dp;
    struct upcall_node *n;
    bool wake = false;

    if (!ctx->n_upcalls) {
        return;
    }
    vs_mutex_lock(&dp->upcall_mutex);
    LIST_FOR_EACH_POP (n, node, &ctx->upcalls) {
        if (dp->n_queued >= dp->max_queued) {
            dp->n_lost++;
            dpif_upcall_uninit(&n->up);
            free(n);
        } else {
            wake = wake || !dp->n_queued;
            vs_list_push_back(&dp->upcall_queue, &n->node);
            dp->n_queued++;
        }
    }
    vs_mutex_unlock(&dp->upcall_mutex);
    ctx->n_upcalls = 0;
    if (wake) {
        uint64_t one = 1;

        if (write(dp->upcall_fd, &one, sizeof one) < 0) {
            /* Counter saturated: it is readable anyway. */
        }
    }
}

/* Transmission. */

/* Merges runs of consecutive decapsulated TCP segments of one flow in 'tx'
 * (bound for a port that takes virtio-net GSO) into super-segments, so
 * the port's kernel side gets one frame instead of dozens. */
static void
tnl_coalesce_tx(struct dp_ctx *ctx, struct dp_tx *tx)
{
    unsigned int w = 0;

    for (unsigned int i = 0; i < tx->n;) {
        struct netdev_frame *f = &tx->frames[i];
        struct vxlan_coalesce c;
        unsigned int j = i + 1;

        if (tx->from_tnl[i] && !f->has_vnet && j < tx->n && tx->from_tnl[j]
            && !tx->frames[j].has_vnet) {
            if (!ctx->coalesce_buf) {
                ctx->coalesce_buf = malloc(TNL_COALESCE_BUF_SIZE);
            }
            c.buf = ctx->coalesce_buf + NETDEV_FRAME_HEADROOM;
            c.cap = TNL_COALESCE_BUF_SIZE - NETDEV_FRAME_HEADROOM;
            if (ctx->coalesce_buf
                && vxlan_coalesce_start(&c, f->data, f->size)) {
                while (j < tx->n && tx->from_tnl[j] && !tx->frames[j].has_vnet
                       && vxlan_coalesce_add(&c, tx->frames[j].data,
                                             tx->frames[j].size)) {
                    j++;
                }
            }
        }
        if (j - i < 2) {
            tx->frames[w] = tx->frames[i];
            tx->owned[w] = tx->owned[i];
            w++;
            i++;
            continue;
        }
        vxlan_coalesce_finish(&c);
        for (unsigned int k = i; k < j; k++) {
            free(tx->owned[k]);
        }
        tx->frames[w].data = c.buf;
        tx->frames[w].size = c.size;
        tx->frames[w].has_vnet = true;
        tx->frames[w].vnet = c.vnet;
        tx->owned[w] = ctx->coalesce_buf;
        ctx->coalesce_buf = NULL;
        COVERAGE_INC(dpif_netdev_tnl_coalesced);
        w++;
        i = j;
    }
    tx->n = w;
}

static void
flush_tx(struct dp_ctx *ctx)
{
    for (unsigned int i = 0; i < ctx->n_dirty; i++) {
        uint32_t port_no = ctx->dirty[i];
        struct dp_tx *tx = ctx->tx[port_no];
        struct dp_port *port = VRCU_GET(ctx->dp->ports[port_no]);
        struct vxlan_tx_batch *ttx = ctx->ttx[port_no];

        if (ttx && ttx->queued) {
            if (port && port->vxlan && ttx->n) {
                ctx->c.n_tnl_too_big += vxlan_sock_send(port->vxlan, ttx);
            }
            ttx->n = 0;
            ttx->queued = false;
        }
        if (!tx) {
            continue;
        }
        if (port && tx->n > 1 && port->netdev
            && netdev_has_vnet_hdr(port->netdev)) {
            tnl_coalesce_tx(ctx, tx);
        }
        if (port && tx->n) {
            if (netdev_send(port->netdev, tx->frames, tx->n)) {
                ctx->c.n_tx_failed++;
            }
        }
        for (unsigned int j = 0; j < tx->n; j++) {
            free(tx->owned[j]);
        }
        tx->n = 0;
    }
    ctx->n_dirty = 0;
}

static void exec_output(void *ctx_, struct dp_pkt *, uint32_t port_no,
                        bool last);

/* Answers the inner frame 'frame' that does not fit 'mtu' with an ICMP
 * "fragmentation needed" or ICMPv6 "packet too big" out of its input port
 * 'in_port', where one is due. */
static void
tnl_reply_too_big(struct dp_ctx *ctx, const uint8_t *frame, size_t size,
                  uint32_t mtu, uint32_t in_port)
{
    size_t cap = NETDEV_FRAME_HEADROOM + 1400;
    uint8_t *buf = malloc(cap);
    struct dp_pkt reply;
    size_t n;

    if (!buf) {
        return;
    }
    n = vxlan_build_too_big(frame, size, mtu, buf + NETDEV_FRAME_HEADROOM,
                            cap - NETDEV_FRAME_HEADROOM);
    if (!n) {
        free(buf);
        return;
    }
    memset(&reply, 0, sizeof reply);
    reply.data = buf + NETDEV_FRAME_HEADROOM;
    reply.size = n;
    reply.headroom = NETDEV_FRAME_HEADROOM;
    reply.owned = buf;
    reply.md.in_port = in_port;
    COVERAGE_INC(dpif_netdev_tnl_icmp_sent);
    exec_output(ctx, &reply, in_port, true);
    dp_pkt_uninit(&reply);
}

struct tnl_out {
    struct dp_ctx *ctx;       /* Context. */
    struct dp_port *port;     /* Tunnel port. */
    const struct flow_md *md; /* The packet's metadata. */
};

/* Queues one inner frame (no offloads pending) on the tunnel port, or
 * handles it as too big. */
static void
tnl_queue(void *out_, uint8_t *frame, size_t size)
{
    struct tnl_out *out = out_;
    struct dp_ctx *ctx = out->ctx;
    uint32_t port_no = out->port->port_no;
    struct vxlan_tx_batch *ttx = ctx->ttx[port_no];
    bool v6 = vxlan_tnl_is_ipv6(&out->md->tunnel);
    uint32_t mtu = vxlan_tnl_route_mtu(&out->md->tunnel);
    uint16_t eth_type;
    size_t l3 = 14;
    uint32_t inner_mtu;

    /* The inner MTU counts the network packet: underlay MTU - 50 (IPv4) or
     * - 70 (IPv6) for an untagged frame, 4 less per inner VLAN tag. */
    vxlan_l3_size(frame, size, &l3, &eth_type);
    inner_mtu = vxlan_inner_mtu(mtu, v6, l3);
    if (size + vxlan_encap_size(v6) > mtu) {
        ctx->c.n_tnl_too_big++;
        COVERAGE_INC(dpif_netdev_tnl_too_big);
        atomic_fetch_add_explicit(
            &vxlan_sock_stats(out->port->vxlan)->tx_dropped, 1,
            memory_order_relaxed);
        tnl_reply_too_big(ctx, frame, size, inner_mtu, out->md->in_port);
        return;
    }
    if (!ttx) {
        ttx = ctx->ttx[port_no] = xzalloc(sizeof *ttx);
    }
    if (ttx->n == VXLAN_MAX_BURST) {
        ctx->c.n_tnl_too_big += vxlan_sock_send(out->port->vxlan, ttx);
    }
    vxlan_tx_queue(ttx, frame, size, &out->md->tunnel);
    if (!ttx->queued) {
        ttx->queued = true;
        ctx->dirty[ctx->n_dirty++] = port_no;
    }
}

/* Queues one UDP GSO buffer of 'n_segs' VXLAN datagrams on the tunnel
 * port (its datagrams were checked against the route MTU already). */
static void
tnl_queue_gso(void *out_, uint8_t *buf, size_t size, size_t gso_size,
              unsigned int n_segs)
{
    struct tnl_out *out = out_;
    struct dp_ctx *ctx = out->ctx;
    uint32_t port_no = out->port->port_no;
    struct vxlan_tx_batch *ttx = ctx->ttx[port_no];

    if (!ttx) {
        ttx = ctx->ttx[port_no] = xzalloc(sizeof *ttx);
    }
    if (ttx->n == VXLAN_MAX_BURST) {
        ctx->c.n_tnl_too_big += vxlan_sock_send(out->port->vxlan, ttx);
    }
    vxlan_tx_queue_gso(ttx, buf, size, gso_size, n_segs, &out->md->tunnel);
    if (!ttx->queued) {
        ttx->queued = true;
        ctx->dirty[ctx->n_dirty++] = port_no;
    }
}

/* Sends the TCP super-segment 'pkt' with UDP GSO: one buffer of VXLAN
 * datagrams per up to 64 segments, segmented by the kernel.  Returns
 * false if it cannot (no UDP GSO, a segment over the route MTU, odd
 * offloads): the caller then segments in software. */
static bool
tnl_output_udp_gso(struct tnl_out *out, struct dp_pkt *pkt, uint32_t size)
{
    uint32_t mtu, encap;

    if (!vxlan_sock_has_gso(out->port->vxlan)) {
        return false;
    }
    mtu = vxlan_tnl_route_mtu(&out->md->tunnel);
    encap = vxlan_encap_size(vxlan_tnl_is_ipv6(&out->md->tunnel));
    if (mtu <= encap) {
        return false;
    }
    /* Each datagram with its outer IPv4/IPv6 and UDP headers fits the
     * MTU. */
    if (vxlan_gso_build(pkt->data, size, &pkt->vnet,
                        (uint32_t) be64toh(out->md->tunnel.tun_id),
                        mtu - (encap - VXLAN_HLEN), tnl_queue_gso, out)) {
        return false;
    }
    COVERAGE_INC(dpif_netdev_tnl_udp_gso);
    return true;
}

/* Output to a VXLAN port: encapsulates with the packet's md.tunnel; GSO
 * super-segments go out with UDP GSO where the kernel has it and are
 * segmented in software otherwise, and partial checksums are completed
 * first, since a UDP socket carries no virtio-net offloads. */
static void
tnl_output(struct dp_ctx *ctx, struct dp_port *port, struct dp_pkt *pkt,
           uint32_t size)
{
    struct tnl_out out = {.ctx = ctx, .port = port, .md = &pkt->md};

    if (!pkt->md.tunnel.ip_dst && !vxlan_tnl_is_ipv6(&pkt->md.tunnel)) {
        ctx->c.n_tnl_no_md++;
        COVERAGE_INC(dpif_netdev_tnl_no_md);
        atomic_fetch_add_explicit(&vxlan_sock_stats(port->vxlan)->tx_dropped,
                                  1, memory_order_relaxed);
        return;
    }
    if (pkt->has_vnet && pkt->vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
        if (tnl_output_udp_gso(&out, pkt, size)) {
            return;
        }
        if (vxlan_gso_segment(pkt->data, size, &pkt->vnet, tnl_queue, &out)) {
            ctx->c.n_bad_frame++;
            COVERAGE_INC(dpif_netdev_tnl_gso_bad);
        } else {
            COVERAGE_INC(dpif_netdev_tnl_gso_segmented);
        }
        return;
    }
    if (pkt->has_vnet && pkt->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        /* The frame may be shared with later actions: complete the
         * checksum on a copy. */
        uint8_t *copy = malloc(size);

        if (!copy) {
            return;
        }
        memcpy(copy, pkt->data, size);
        if (vxlan_complete_csum(copy, size, &pkt->vnet)) {
            ctx->c.n_bad_frame++;
        } else {
            tnl_queue(&out, copy, size);
        }
        free(copy);
        return;
    }
    tnl_queue(&out, pkt->data, size);
}

static void
exec_output(void *ctx_, struct dp_pkt *pkt, uint32_t port_no, bool last)
{
    struct dp_ctx *ctx = ctx_;
    struct dp_port *port;
    struct dp_tx *tx;
    uint32_t size = pkt->size;
    uint8_t *data = pkt->data, *owned = NULL;
    bool gso;

    if (port_no >= DPIF_MAX_PORTS) {
        return;
    }
    port = VRCU_GET(ctx->dp->ports[port_no]);
    if (!port) {
        return;
    }
    if (pkt->cutlen && pkt->cutlen < size) {
        size = pkt->cutlen;
    }
    if (port->vxlan) {
        tnl_output(ctx, port, pkt, size);
        return;
    }
    gso = pkt->has_vnet && pkt->vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE;
    if (size > port->max_frame && !gso) {
        ctx->c.n_too_big++;
        return;
    }
    tx = ctx->tx[port_no];
    if (!tx) {
        tx = ctx->tx[port_no] = xzalloc(sizeof *tx);
    }
    if (tx->n == NETDEV_MAX_BURST) {
        unsigned int n_dirty = ctx->n_dirty;

        /* Flush just this port: move it to be the only dirty one. */
        ctx->dirty[0] = port_no;
        ctx->n_dirty = 1;
        flush_tx(ctx);
        ctx->n_dirty = 0;
        for (unsigned int i = 0; i < n_dirty; i++) {
            uint16_t p = ctx->dirty[i];

            if (p != port_no
                && ((ctx->tx[p] && ctx->tx[p]->n)
                    || (ctx->ttx[p] && ctx->ttx[p]->queued))) {
                ctx->dirty[ctx->n_dirty++] = p;
            }
        }
    }
    if (last && pkt->owned) {
        owned = pkt->owned;
        pkt->owned = NULL;
    } else if (!last) {
        owned = malloc(size);
        if (!owned) {
            return;
        }
        memcpy(owned, data, size);
        data = owned;
    }
    if (!tx->n) {
        ctx->dirty[ctx->n_dirty++] = port_no;
    }
    tx->frames[tx->n].data = data;
    tx->frames[tx->n].size = size;
    tx->frames[tx->n].has_vnet = pkt->has_vnet;
    tx->frames[tx->n].vnet = pkt->vnet;
    tx->owned[tx->n] = owned;
    tx->from_tnl[tx->n] = pkt->md.tunnel.ip_dst != 0;
    tx->n++;
}

static void
exec_userspace(void *ctx_, const struct dp_pkt *pkt, const void *attrs,
               size_t size)
{
    struct dp_ctx *ctx = ctx_;
    struct flow flow;

    flow_extract(pkt->data, pkt->size, &pkt->md, &flow, NULL);
    queue_upcall(ctx, DPIF_UC_ACTION, pkt, &flow, attrs, size);
}

static void process_packet(struct dp_ctx *, struct dp_pkt *);

/* Recirculation: 'pkt' is ours.  'recirc_depth' bounds the nesting. */
static __thread int recirc_depth;

static void
exec_recirc(void *ctx_, struct dp_pkt *pkt)
{
    struct dp_ctx *ctx = ctx_;

    if (recirc_depth >= MAX_RECIRC_DEPTH) {
        ctx->c.n_recirc_loop++;
    } else {
        recirc_depth++;
        process_packet(ctx, pkt);
        recirc_depth--;
    }
    dp_pkt_uninit(pkt);
}

static const struct dp_exec_ops exec_ops = {
    .output = exec_output,
    .userspace = exec_userspace,
    .recirc = exec_recirc,
};

/* Lookup. */

static bool
flow_matches(const struct flow *flow, const struct flow *mask,
             const struct flow *masked)
{
    const uint64_t *f = flow_u64(flow), *m = flow_u64(mask);
    const uint64_t *k = flow_u64(masked);

    for (size_t i = 0; i < FLOW_U64S; i++) {
        if ((f[i] & m[i]) != k[i]) {
            return false;
        }
    }
    return true;
}

static struct dp_flow *
lookup(struct dp_ctx *ctx, const struct flow *flow)
{
    struct dp_netdev *dp = ctx->dp;
    uint64_t gen = atomic_load_explicit(&dp->flow_gen, memory_order_acquire);
    uint64_t h = flow_hash(flow, 0);
    struct emc_entry *e = &ctx->emc[h & (EMC_SIZE - 1)];
    const struct dp_masks *masks;

    if (e->flow && e->gen == gen && e->hash == h
        && flow_equal(&e->key, flow)) {
        ctx->c.n_emc_hit++;
        return e->flow;
    }
    masks = VRCU_GET(dp->masks);
    for (size_t i = 0; masks && i < masks->n; i++) {
        struct dp_mask *m = masks->masks[i];
        uint64_t mh = flow_hash_masked(flow, &m->mask, 0);

        for (const struct chash_node *n = chash_first(&m->flows, mh); n;
             n = chash_next(n)) {
            struct dp_flow *f = n->data;

            if (flow_matches(flow, &m->mask, &f->masked)) {
                m->hits[ctx->slot]++;
                ctx->c.n_mask_hit += i + 1;
                e->gen = gen;
                e->hash = h;
                e->flow = f;
                e->key = *flow;
                return f;
            }
        }
    }
    return NULL;
}

static void
process_packet(struct dp_ctx *ctx, struct dp_pkt *pkt)
{
    const struct dp_actions *actions;
    struct flow_slot *s;
    struct dp_flow *f;
    struct flow flow;

    if (pkt->size < 14) {
        ctx->c.n_bad_frame++;
        return;
    }
    flow_extract(pkt->data, pkt->size, &pkt->md, &flow, NULL);
    f = lookup(ctx, &flow);
    if (!f) {
        ctx->c.n_missed++;
        queue_upcall(ctx, DPIF_UC_MISS, pkt, &flow, NULL, 0);
        return;
    }
    ctx->c.n_hit++;
    s = &f->stats[ctx->slot];
    s->n_packets++;
    s->n_bytes += pkt->size;
    s->used = ctx->now;
    s->tcp_flags |= ntohs(flow.tcp_flags);
    actions = VRCU_GET(f->actions);
    dp_execute_actions(pkt, actions->data, actions->size, &exec_ops, ctx);
}

static void
process_batch(struct dp_ctx *ctx, struct dp_port *port,
              struct netdev_batch *batch)
{
    ctx->now = vs_time_msec();
    for (unsigned int i = 0; i < batch->count; i++) {
        struct netdev_frame *fr = &batch->frames[i];
        struct dp_pkt pkt = {
            .data = fr->data,
            .size = fr->size,
            /* A VLAN tag put back by the netdev took 4 bytes of it. */
            .headroom = NETDEV_FRAME_HEADROOM - 4,
            .has_vnet = fr->has_vnet,
            .vnet = fr->vnet,
        };

        pkt.md.in_port = port->port_no;
        process_packet(ctx, &pkt);
        dp_pkt_uninit(&pkt);
    }
    flush_tx(ctx);
}

/* I/O threads. */

#define WAKE_TOKEN UINT64_MAX

/* An epoll token: the port number in the low 32 bits, above them which of
 * a tunnel port's sockets (VXLAN_RX_*; 0 for other ports). */
static uint64_t
port_token(uint32_t port_no, unsigned int which)
{
    return (uint64_t) which << 32 | port_no;
}

/* The same for a tunnel port, from its receive sockets in 'which'
 * (VXLAN_RX_*): decapsulated frames enter with md.in_port = the port and
 * md.tunnel = the outer headers. */
static void
poll_tnl_port(struct dp_thread *t, struct dp_port *port, unsigned int which)
{
    struct vxlan_rx_batch batch;

    for (int b = 0; b < MAX_BURSTS_PER_WAKE; b++) {
        int error = vxlan_sock_recv(port->vxlan, which, &batch);

        if (error) {
            if (error != EAGAIN) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

                VLOG_WARN_RL(&rl, "%s: receive: %s", port->name,
                             vs_strerror(error));
            }
            break;
        }
        t->ctx.now = vs_time_msec();
        for (unsigned int i = 0; i < batch.n; i++) {
            struct vxlan_rx_frame *fr = &batch.frames[i];
            struct dp_pkt pkt = {
                .data = fr->data,
                .size = fr->size,
                .headroom = fr->headroom,
                .has_vnet = fr->has_vnet,
                .vnet = fr->vnet,
            };

            pkt.md.in_port = port->port_no;
            pkt.md.tunnel = fr->tnl;
            process_packet(&t->ctx, &pkt);
            dp_pkt_uninit(&pkt);
        }
        flush_tx(&t->ctx);
    }
}

/* Receives up to MAX_BURSTS_PER_WAKE bursts from 'port' and forwards them;
 * for a tunnel port from its sockets in 'which' (VXLAN_RX_*). */
static void
poll_port(struct dp_thread *t, struct dp_port *port,
          struct netdev_batch *batch, unsigned int which)
{
    if (port->vxlan) {
        poll_tnl_port(t, port, which);
        return;
    }
    for (int b = 0; b < MAX_BURSTS_PER_WAKE; b++) {
        int error = netdev_rxq_recv(port->rxq, batch);

        if (error) {
            if (error != EAGAIN) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);

                VLOG_WARN_RL(&rl, "%s: receive: %s", port->name,
                             vs_strerror(error));
            }
            break;
        }
        process_batch(&t->ctx, port, batch);
    }
}

/* An I/O thread sleeps in epoll until one of its ports is readable; with
 * busy polling on (set-config busy-poll=1) it never sleeps: it polls every
 * port it owns in turn and looks at epoll only for wake-ups. */
static void *
io_thread_main(void *t_)
{
    struct dp_thread *t = t_;
    struct dp_netdev *dp = t->ctx.dp;
    struct netdev_batch *batch = xmalloc(sizeof *batch);

    vrcu_register_thread();
    while (!atomic_load(&t->stop)) {
        struct epoll_event events[16];
        bool busy = atomic_load_explicit(&dp->busy_poll, memory_order_relaxed);
        int n = epoll_wait(t->epfd, events, ARRAY_SIZE(events), busy ? 0 : -1);

        if (n < 0) {
            if (errno != EINTR) {
                VLOG_ERR("epoll_wait: %s", vs_strerror(errno));
                break;
            }
            continue;
        }
        vrcu_read_lock();
        for (int i = 0; i < n; i++) {
            uint32_t port_no;
            struct dp_port *port;

            if (events[i].data.u64 == WAKE_TOKEN) {
                uint64_t v;

                if (read(t->wake_fd, &v, sizeof v) < 0) {
                    /* Nothing to read: fine. */
                }
                continue;
            }
            if (busy) {
                continue; /* Polled below. */
            }
            port_no = (uint32_t) events[i].data.u64;
            port =
                port_no < DPIF_MAX_PORTS ? VRCU_GET(dp->ports[port_no]) : NULL;
            if (port && port->thread == t->index) {
                poll_port(t, port, batch,
                          (unsigned int) (events[i].data.u64 >> 32));
            }
        }
        for (uint32_t p = 0; busy && p < DPIF_MAX_PORTS; p++) {
            struct dp_port *port = VRCU_GET(dp->ports[p]);

            if (port && port->thread == t->index) {
                poll_port(t, port, batch, VXLAN_RX_BOTH);
            }
        }
        flush_upcalls(&t->ctx);
        vrcu_read_unlock();
    }
    vrcu_unregister_thread();
    free(batch);
    return NULL;
}

/* The descriptor that is readable when 'port' has frames. */
static int
port_fd(const struct dp_port *port)
{
    return port->vxlan ? vxlan_sock_fd(port->vxlan) : netdev_rxq_fd(port->rxq);
}

static void
thread_watch_port(struct dp_thread *t, struct dp_port *port)
{
    struct epoll_event ev = {.events = EPOLLIN};

    ev.data.u64 = port_token(port->port_no, port->vxlan ? VXLAN_RX_V4 : 0);
    if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, port_fd(port), &ev)) {
        VLOG_ERR("%s: epoll_ctl: %s", port->name, vs_strerror(errno));
    }
    /* A tunnel port's IPv6 socket wakes the same port, which then reads
     * only that socket (an IPv4-only underlay pays no extra system call
     * per burst). */
    ev.data.u64 = port_token(port->port_no, VXLAN_RX_V6);
    if (port->vxlan && vxlan_sock_fd6(port->vxlan) >= 0
        && epoll_ctl(t->epfd, EPOLL_CTL_ADD, vxlan_sock_fd6(port->vxlan),
                     &ev)) {
        VLOG_ERR("%s: epoll_ctl (IPv6): %s", port->name, vs_strerror(errno));
    }
}

static void
start_threads(struct dp_netdev *dp, int n) VS_REQUIRES(dp->mutex)
{
    dp->threads = xcalloc(n, sizeof *dp->threads);
    dp->n_threads = n;
    for (int i = 0; i < n; i++) {
        struct dp_thread *t = &dp->threads[i];
        struct epoll_event ev = {.events = EPOLLIN};

        ctx_init(&t->ctx, dp, i);
        t->index = i;
        t->epfd = epoll_create1(EPOLL_CLOEXEC);
        t->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (t->epfd < 0 || t->wake_fd < 0) {
            vs_abort("dpif-netdev: cannot create epoll/eventfd: %s",
                     vs_strerror(errno));
        }
        ev.data.u64 = WAKE_TOKEN;
        epoll_ctl(t->epfd, EPOLL_CTL_ADD, t->wake_fd, &ev);
        atomic_init(&t->stop, false);
    }
    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        struct dp_port *port = dp->ports[p];

        if (port) {
            port->thread = p % n;
            thread_watch_port(&dp->threads[port->thread], port);
        }
    }
    for (int i = 0; i < n; i++) {
        char name[16];

        snprintf(name, sizeof name, "dp_io%d", i);
        dp->threads[i].tid =
            vs_thread_create(name, io_thread_main, &dp->threads[i]);
    }
}

static void
stop_threads(struct dp_netdev *dp) VS_REQUIRES(dp->mutex)
{
    for (int i = 0; i < dp->n_threads; i++) {
        struct dp_thread *t = &dp->threads[i];
        uint64_t one = 1;

        atomic_store(&t->stop, true);
        if (write(t->wake_fd, &one, sizeof one) < 0) {
            VLOG_WARN("cannot wake I/O thread: %s", vs_strerror(errno));
        }
    }
    for (int i = 0; i < dp->n_threads; i++) {
        struct dp_thread *t = &dp->threads[i];

        pthread_join(t->tid, NULL);
        flush_upcalls(&t->ctx);
        counters_add(&dp->dead, &t->ctx.c);
        ctx_uninit(&t->ctx);
        close(t->epfd);
        close(t->wake_fd);
    }
    free(dp->threads);
    dp->threads = NULL;
    dp->n_threads = 0;
}

/* Datapath life. */

static int
dpn_create(const char *name, void **dpp)
{
    struct dp_netdev *dp = xzalloc(sizeof *dp);

    vrcu_thread_init();
    dp->name = xstrdup(name);
    vs_mutex_init(&dp->mutex);
    vs_mutex_init(&dp->exec_mutex);
    vs_mutex_init(&dp->upcall_mutex);
    hmap_init(&dp->flows);
    dp->masks = xzalloc(sizeof *dp->masks);
    atomic_init(&dp->flow_gen, 1);
    atomic_init(&dp->busy_poll, false);
    dp->flow_limit = DEFAULT_FLOW_LIMIT;
    vs_list_init(&dp->upcall_queue);
    dp->max_queued = DEFAULT_UPCALL_QUEUE;
    dp->upcall_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (dp->upcall_fd < 0) {
        int error = errno;

        free(dp->masks);
        free(dp->name);
        free(dp);
        return error;
    }
    ctx_init(&dp->exec_ctx, dp, EXEC_SLOT);
    vs_mutex_lock(&dp->mutex);
    start_threads(dp, 1);
    vs_mutex_unlock(&dp->mutex);
    *dpp = dp;
    return 0;
}

static int dpn_flow_flush(void *dp_);
static int dpn_port_del(void *dp_, uint32_t port_no);

static void
dpn_destroy(void *dp_)
{
    struct dp_netdev *dp = dp_;
    struct upcall_node *n;

    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        if (dp->ports[p]) {
            dpn_port_del(dp, p);
        }
    }
    dpn_flow_flush(dp);
    vs_mutex_lock(&dp->mutex);
    stop_threads(dp);
    vs_mutex_unlock(&dp->mutex);
    vrcu_barrier();
    LIST_FOR_EACH_POP (n, node, &dp->upcall_queue) {
        dpif_upcall_uninit(&n->up);
        free(n);
    }
    ctx_uninit(&dp->exec_ctx);
    close(dp->upcall_fd);
    hmap_destroy(&dp->flows);
    free(dp->masks);
    vs_mutex_destroy(&dp->mutex);
    vs_mutex_destroy(&dp->exec_mutex);
    vs_mutex_destroy(&dp->upcall_mutex);
    free(dp->name);
    free(dp);
}

static int
dpn_set_config(void *dp_, const struct dpif_config *cfg)
{
    struct dp_netdev *dp = dp_;

    if (cfg->n_threads < 0 || cfg->n_threads > DPIF_MAX_THREADS
        || cfg->flow_limit < 0 || cfg->upcall_queue < 0 || cfg->busy_poll < 0
        || cfg->busy_poll > 2) {
        return EINVAL;
    }
    vs_mutex_lock(&dp->mutex);
    if (cfg->flow_limit) {
        dp->flow_limit = cfg->flow_limit;
    }
    if (cfg->upcall_queue) {
        vs_mutex_lock(&dp->upcall_mutex);
        dp->max_queued = cfg->upcall_queue;
        vs_mutex_unlock(&dp->upcall_mutex);
    }
    if (cfg->busy_poll) {
        atomic_store(&dp->busy_poll, cfg->busy_poll == 1);
    }
    if (cfg->n_threads && cfg->n_threads != dp->n_threads) {
        stop_threads(dp);
        start_threads(dp, cfg->n_threads);
    }
    vs_mutex_unlock(&dp->mutex);
    return 0;
}

static int
dpn_get_stats(const void *dp_, struct dpif_dp_stats *st)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    struct dp_counters c;

    vs_mutex_lock(&dp->mutex);
    c = dp->dead;
    for (int i = 0; i < dp->n_threads; i++) {
        counters_add(&c, &dp->threads[i].ctx.c);
    }
    counters_add(&c, &dp->exec_ctx.c);
    st->n_flows = hmap_count(&dp->flows);
    st->n_masks = dp->masks->n;
    vs_mutex_unlock(&dp->mutex);
    vs_mutex_lock(&dp->upcall_mutex);
    st->n_lost = dp->n_lost;
    vs_mutex_unlock(&dp->upcall_mutex);
    st->n_hit = c.n_hit;
    st->n_missed = c.n_missed;
    st->n_mask_hit = c.n_mask_hit;
    st->n_emc_hit = c.n_emc_hit;
    st->n_bad_frame = c.n_bad_frame;
    st->n_too_big = c.n_too_big;
    st->n_tx_failed = c.n_tx_failed;
    st->n_recirc_loop = c.n_recirc_loop;
    st->n_tnl_no_md = c.n_tnl_no_md;
    st->n_tnl_too_big = c.n_tnl_too_big;
    st->n_dropped = c.n_bad_frame + c.n_too_big + c.n_tx_failed
                    + c.n_recirc_loop + c.n_tnl_no_md + c.n_tnl_too_big;
    return 0;
}

static uint64_t
mask_hits(const struct dp_mask *m)
{
    uint64_t sum = 0;

    for (int i = 0; i < N_SLOTS; i++) {
        sum += m->hits[i];
    }
    return sum;
}

static int
cmp_masks(const void *a_, const void *b_)
{
    const struct dp_mask *const *a = a_, *const *b = b_;
    uint64_t ha = mask_hits(*a), hb = mask_hits(*b);

    return ha > hb ? -1 : ha < hb;
}

/* Re-ranks the subtables by hits. */
static void
dpn_run(void *dp_)
{
    struct dp_netdev *dp = dp_;
    struct dp_masks *old, *new;
    size_t size;

    vs_mutex_lock(&dp->mutex);
    old = dp->masks;
    if (old->n > 1) {
        size = sizeof *old + old->n * sizeof old->masks[0];
        new = xmemdup(old, size);
        qsort(new->masks, new->n, sizeof new->masks[0], cmp_masks);
        if (memcmp(new, old, size)) {
            VRCU_SET(dp->masks, new);
            vrcu_postpone_free(old);
        } else {
            free(new);
        }
    }
    vs_mutex_unlock(&dp->mutex);
}

/* Ports. */

/* Adds VXLAN port 'port_no' named 'devname': no device, a UDP socket on
 * 'opts->dst_port' (0 or no 'opts': 4789). */
static int
tnl_port_add(struct dp_netdev *dp, const char *devname,
             const struct dpif_port_opts *opts, uint32_t port_no)
    VS_REQUIRES(dp->mutex)
{
    uint16_t dst_port =
        opts && opts->dst_port ? opts->dst_port : VXLAN_DEFAULT_PORT;
    struct vxlan_sock *sock;
    struct dp_port *port;
    int error;

    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        if (dp->ports[p] && dp->ports[p]->vxlan
            && vxlan_sock_port(dp->ports[p]->vxlan) == dst_port) {
            return EEXIST;
        }
    }
    error = vxlan_sock_open(dst_port, &sock);
    if (error) {
        VLOG_WARN("%s: %s: cannot open UDP port %u: %s", dp->name, devname,
                  dst_port, vs_strerror(error));
        return error;
    }
    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->name = xstrdup(devname);
    port->type = xstrdup("vxlan");
    port->vxlan = sock;
    port->max_frame = UINT32_MAX;
    port->thread = port_no % dp->n_threads;
    VRCU_SET(dp->ports[port_no], port);
    thread_watch_port(&dp->threads[port->thread], port);
    VLOG_INFO("%s: added port %u: %s (vxlan, UDP port %u)", dp->name, port_no,
              devname, dst_port);
    return 0;
}

static int
dpn_port_add(void *dp_, const char *devname, const char *type,
             const struct dpif_port_opts *opts, uint32_t *port_nop)
{
    struct dp_netdev *dp = dp_;
    struct dp_port *port;
    struct netdev *netdev;
    uint32_t port_no = *port_nop;
    int error, mtu;

    vs_mutex_lock(&dp->mutex);
    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        if (dp->ports[p] && !strcmp(dp->ports[p]->name, devname)) {
            error = EEXIST;
            goto out;
        }
    }
    if (port_no == DPIF_PORT_NONE) {
        for (port_no = 1; port_no < DPIF_MAX_PORTS; port_no++) {
            if (!dp->ports[port_no]) {
                break;
            }
        }
        if (port_no >= DPIF_MAX_PORTS) {
            error = EFBIG;
            goto out;
        }
    } else if (port_no >= DPIF_MAX_PORTS) {
        error = EINVAL;
        goto out;
    } else if (dp->ports[port_no]) {
        error = EBUSY;
        goto out;
    }
    if (!strcmp(type, "vxlan")) {
        error = tnl_port_add(dp, devname, opts, port_no);
        if (!error) {
            *port_nop = port_no;
        }
        goto out;
    }
    error = netdev_open(devname, type, &netdev);
    if (error) {
        goto out;
    }
    port = xzalloc(sizeof *port);
    port->port_no = port_no;
    port->name = xstrdup(devname);
    port->type = xstrdup(type);
    port->netdev = netdev;
    port->max_frame = netdev_get_mtu(netdev, &mtu) || mtu <= 0
                          ? UINT32_MAX
                          : (uint32_t) mtu + 18;
    error = netdev_rxq_open(netdev, &port->rxq);
    if (error) {
        netdev_close(netdev);
        free(port->name);
        free(port->type);
        free(port);
        goto out;
    }
    netdev_set_up(netdev, true);
    port->thread = port_no % dp->n_threads;
    VRCU_SET(dp->ports[port_no], port);
    thread_watch_port(&dp->threads[port->thread], port);
    *port_nop = port_no;
    VLOG_INFO("%s: added port %u: %s (%s)", dp->name, port_no, devname, type);
out:
    vs_mutex_unlock(&dp->mutex);
    return error;
}

static int
dpn_port_del(void *dp_, uint32_t port_no)
{
    struct dp_netdev *dp = dp_;
    struct dp_port *port;

    if (port_no >= DPIF_MAX_PORTS) {
        return EINVAL;
    }
    vs_mutex_lock(&dp->mutex);
    port = dp->ports[port_no];
    if (!port) {
        vs_mutex_unlock(&dp->mutex);
        return ENOENT;
    }
    VRCU_SET(dp->ports[port_no], NULL);
    epoll_ctl(dp->threads[port->thread].epfd, EPOLL_CTL_DEL, port_fd(port),
              NULL);
    if (port->vxlan && vxlan_sock_fd6(port->vxlan) >= 0) {
        epoll_ctl(dp->threads[port->thread].epfd, EPOLL_CTL_DEL,
                  vxlan_sock_fd6(port->vxlan), NULL);
    }
    vs_mutex_unlock(&dp->mutex);

    vrcu_synchronize();
    VLOG_INFO("%s: deleted port %u: %s", dp->name, port_no, port->name);
    if (port->vxlan) {
        vxlan_sock_close(port->vxlan);
    } else {
        netdev_rxq_close(port->rxq);
        netdev_close(port->netdev);
    }
    free(port->name);
    free(port->type);
    free(port);
    return 0;
}

static void
fill_port(const struct dp_port *port, struct dpif_port *out)
{
    out->name = xstrdup(port->name);
    out->type = xstrdup(port->type);
    out->port_no = port->port_no;
}

static int
dpn_port_query(const void *dp_, const char *devname, uint32_t port_no,
               struct dpif_port *out)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    int error = ENODEV;

    vs_mutex_lock(&dp->mutex);
    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        struct dp_port *port = dp->ports[p];

        if (port && (devname ? !strcmp(port->name, devname) : p == port_no)) {
            fill_port(port, out);
            error = 0;
            break;
        }
    }
    vs_mutex_unlock(&dp->mutex);
    return error;
}

static int
dpn_port_dump(const void *dp_, struct dpif_port **portsp, size_t *np)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    size_t n = 0;

    vs_mutex_lock(&dp->mutex);
    *portsp = xcalloc(DPIF_MAX_PORTS, sizeof **portsp);
    for (uint32_t p = 0; p < DPIF_MAX_PORTS; p++) {
        if (dp->ports[p]) {
            fill_port(dp->ports[p], &(*portsp)[n++]);
        }
    }
    vs_mutex_unlock(&dp->mutex);
    *np = n;
    return 0;
}

static int
dpn_port_get_stats(const void *dp_, uint32_t port_no,
                   struct dpif_port_stats *st)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    struct netdev_stats ns;
    int error = ENODEV;

    vs_mutex_lock(&dp->mutex);
    if (port_no < DPIF_MAX_PORTS && dp->ports[port_no]
        && dp->ports[port_no]->vxlan) {
        struct vxlan_stats *vs = vxlan_sock_stats(dp->ports[port_no]->vxlan);

        memset(st, 0, sizeof *st);
        st->rx_packets = atomic_load(&vs->rx_packets);
        st->rx_bytes = atomic_load(&vs->rx_bytes);
        st->rx_errors = atomic_load(&vs->rx_errors);
        st->tx_packets = atomic_load(&vs->tx_packets);
        st->tx_bytes = atomic_load(&vs->tx_bytes);
        st->tx_dropped = atomic_load(&vs->tx_dropped);
        st->tx_errors = atomic_load(&vs->tx_errors);
        error = 0;
    } else if (port_no < DPIF_MAX_PORTS && dp->ports[port_no]) {
        error = netdev_get_stats(dp->ports[port_no]->netdev, &ns);
        if (!error) {
            st->rx_packets = ns.rx_packets;
            st->rx_bytes = ns.rx_bytes;
            st->rx_dropped = ns.rx_dropped;
            st->rx_errors = ns.rx_errors;
            st->tx_packets = ns.tx_packets;
            st->tx_bytes = ns.tx_bytes;
            st->tx_dropped = ns.tx_dropped;
            st->tx_errors = ns.tx_errors;
        }
    }
    vs_mutex_unlock(&dp->mutex);
    return error;
}

/* Flows. */

static struct dp_flow *
flow_by_ufid(const struct dp_netdev *dp, const struct dpif_ufid *ufid)
{
    struct dp_flow *f;
    size_t h = hash_bytes(ufid, sizeof *ufid, 0);

    HMAP_FOR_EACH_WITH_HASH (f, ufid_node, h, &dp->flows) {
        if (dpif_ufid_equal(&f->ufid, ufid)) {
            return f;
        }
    }
    return NULL;
}

static void
flow_read_stats(const struct dp_flow *f, struct dpif_flow_stats *st)
{
    memset(st, 0, sizeof *st);
    for (int i = 0; i < N_SLOTS; i++) {
        const struct flow_slot *s = &f->stats[i];

        st->n_packets += s->n_packets;
        st->n_bytes += s->n_bytes;
        st->used = s->used > st->used ? s->used : st->used;
        st->tcp_flags |= s->tcp_flags;
    }
    st->n_packets -= f->base.n_packets;
    st->n_bytes -= f->base.n_bytes;
    if (st->used <= f->base.used) {
        st->used = 0;
        st->tcp_flags = 0;
    }
}

static struct dp_actions *
actions_create(const void *actions, size_t size)
{
    struct dp_actions *a = xmalloc(sizeof *a + size + 8);

    a->size = size;
    if (size) { /* A drop flow's 'actions' may be NULL. */
        memcpy(a->data, actions, size);
    }
    return a;
}

static struct dp_mask *
mask_find_or_create(struct dp_netdev *dp, const struct flow *mask)
    VS_REQUIRES(dp->mutex)
{
    struct dp_masks *old = dp->masks, *new;
    struct dp_mask *m;

    for (size_t i = 0; i < old->n; i++) {
        if (flow_equal(&old->masks[i]->mask, mask)) {
            return old->masks[i];
        }
    }
    m = xzalloc(sizeof *m);
    m->mask = *mask;
    chash_init(&m->flows);
    new = xmalloc(sizeof *new + (old->n + 1) * sizeof new->masks[0]);
    new->n = old->n + 1;
    memcpy(new->masks, old->masks, old->n * sizeof old->masks[0]);
    new->masks[old->n] = m;
    VRCU_SET(dp->masks, new);
    vrcu_postpone_free(old);
    return m;
}

static void
free_mask(void *m_)
{
    struct dp_mask *m = m_;

    chash_destroy(&m->flows);
    free(m);
}

static void
mask_remove(struct dp_netdev *dp, struct dp_mask *m) VS_REQUIRES(dp->mutex)
{
    struct dp_masks *old = dp->masks, *new;
    size_t j = 0;

    new = xmalloc(sizeof *new + old->n * sizeof new->masks[0]);
    for (size_t i = 0; i < old->n; i++) {
        if (old->masks[i] != m) {
            new->masks[j++] = old->masks[i];
        }
    }
    new->n = j;
    VRCU_SET(dp->masks, new);
    vrcu_postpone_free(old);
    vrcu_postpone(free_mask, m);
}

static void
free_flow(void *f_)
{
    struct dp_flow *f = f_;

    free(f->actions);
    free(f);
}

static void
flow_remove(struct dp_netdev *dp, struct dp_flow *f) VS_REQUIRES(dp->mutex)
{
    struct dp_mask *m = f->mask;

    chash_remove(&m->flows, f->hash, f);
    hmap_remove(&dp->flows, &f->ufid_node);
    atomic_fetch_add_explicit(&dp->flow_gen, 1, memory_order_release);
    if (--m->n_flows == 0) {
        mask_remove(dp, m);
    }
    vrcu_postpone(free_flow, f);
}

static int
dpn_flow_put(void *dp_, enum dpif_put_flags flags, const void *key,
             size_t key_size, const void *mask_attrs, size_t mask_size,
             const void *actions, size_t actions_size,
             const struct dpif_ufid *ufid, struct dpif_flow_stats *stats,
             char **errorp)
{
    struct dp_netdev *dp = dp_;
    struct flow flow, mask;
    struct dp_flow *f;
    struct dp_mask *m;
    int error;

    if (stats) {
        memset(stats, 0, sizeof *stats);
    }
    error = odp_actions_validate(actions, actions_size, errorp);
    if (!error) {
        error = dp_actions_check(actions, actions_size, errorp);
    }
    if (!error && key_size) {
        error = odp_key_to_flow(key, key_size, mask_attrs, mask_size, &flow,
                                &mask, errorp);
    } else if (!error) {
        flow_zero(&flow);
        flow_zero(&mask);
    }
    if (error) {
        return error;
    }
    odp_mask_normalize(&flow, &mask);
    /* A flow without recirc_id() matches only first-pass packets. */
    mask.recirc_id = UINT32_MAX;

    vs_mutex_lock(&dp->mutex);
    f = flow_by_ufid(dp, ufid);
    if (f) {
        struct dp_actions *old = f->actions;

        if (!(flags & DPIF_FP_MODIFY)) {
            error = EEXIST;
            goto out;
        }
        if (key_size
            && (!flow_equal(&f->mask->mask, &mask)
                || !flow_matches(&flow, &mask, &f->masked))) {
            if (errorp && !*errorp) {
                *errorp = xstrdup("flow exists with another key or mask");
            }
            error = EINVAL;
            goto out;
        }
        if (stats) {
            flow_read_stats(f, stats);
        }
        VRCU_SET(f->actions, actions_create(actions, actions_size));
        vrcu_postpone_free(old);
        if (flags & DPIF_FP_ZERO_STATS) {
            struct dpif_flow_stats cur;

            flow_read_stats(f, &cur);
            f->base.n_packets += cur.n_packets;
            f->base.n_bytes += cur.n_bytes;
            f->base.used = vs_time_msec();
        }
        goto out;
    }
    if (!(flags & DPIF_FP_CREATE)) {
        error = ENOENT;
        goto out;
    }
    if (!key_size) {
        if (errorp && !*errorp) {
            *errorp = xstrdup("a new flow needs a key");
        }
        error = EINVAL;
        goto out;
    }
    if ((long long) hmap_count(&dp->flows) >= dp->flow_limit) {
        error = EFBIG;
        goto out;
    }
    m = mask_find_or_create(dp, &mask);
    f = xzalloc(sizeof *f);
    f->ufid = *ufid;
    f->key = flow;
    flow_and(&f->masked, &flow, &mask);
    f->hash = flow_hash_masked(&flow, &mask, 0);
    for (const struct chash_node *n = chash_first(&m->flows, f->hash); n;
         n = chash_next(n)) {
        const struct dp_flow *other = n->data;

        if (flow_equal(&other->masked, &f->masked)) {
            if (errorp && !*errorp) {
                *errorp = xstrdup("a flow with this key and mask exists "
                                  "under another UFID");
            }
            free(f);
            if (!m->n_flows) {
                mask_remove(dp, m);
            }
            error = EEXIST;
            goto out;
        }
    }
    f->mask = m;
    f->actions = actions_create(actions, actions_size);
    m->n_flows++;
    hmap_insert(&dp->flows, &f->ufid_node, hash_bytes(ufid, sizeof *ufid, 0));
    chash_insert(&m->flows, f->hash, f);
out:
    vs_mutex_unlock(&dp->mutex);
    return error;
}

static int
dpn_flow_del(void *dp_, const void *key, size_t key_size,
             const struct dpif_ufid *ufid, struct dpif_flow_stats *stats)
{
    struct dp_netdev *dp = dp_;
    struct dp_flow *f;
    int error = 0;

    vs_mutex_lock(&dp->mutex);
    f = flow_by_ufid(dp, ufid);
    if (!f) {
        error = ENOENT;
    } else {
        if (stats) {
            flow_read_stats(f, stats);
        }
        flow_remove(dp, f);
    }
    vs_mutex_unlock(&dp->mutex);
    return error;
}

static int
dpn_flow_flush(void *dp_)
{
    struct dp_netdev *dp = dp_;
    struct dp_flow *f;

    vs_mutex_lock(&dp->mutex);
    HMAP_FOR_EACH_SAFE (f, ufid_node, &dp->flows) {
        flow_remove(dp, f);
    }
    vs_mutex_unlock(&dp->mutex);
    return 0;
}

/* Encodes 'f' into 'storage' and points 'out' into it. */
static void
flow_to_dpif(const struct dp_flow *f, struct buf *storage,
             struct dpif_flow *out)
{
    size_t key_ofs, mask_ofs, act_ofs;
    const struct dp_actions *a = f->actions;

    key_ofs = storage->size;
    odp_key_from_flow(storage, &f->key);
    mask_ofs = storage->size;
    odp_mask_from_flow(storage, &f->key, &f->mask->mask);
    act_ofs = storage->size;
    buf_put(storage, a->data, a->size);
    out->key = (const uint8_t *) storage->data + key_ofs;
    out->key_size = mask_ofs - key_ofs;
    out->mask = (const uint8_t *) storage->data + mask_ofs;
    out->mask_size = act_ofs - mask_ofs;
    out->actions = (const uint8_t *) storage->data + act_ofs;
    out->actions_size = a->size;
    out->ufid = f->ufid;
    flow_read_stats(f, &out->stats);
}

static int
dpn_flow_get(const void *dp_, const void *key, size_t key_size,
             const struct dpif_ufid *ufid, struct buf *storage,
             struct dpif_flow *out)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    struct dp_flow *f;
    int error = 0;

    vs_mutex_lock(&dp->mutex);
    f = flow_by_ufid(dp, ufid);
    if (f) {
        flow_to_dpif(f, storage, out);
    } else {
        error = ENOENT;
    }
    vs_mutex_unlock(&dp->mutex);
    return error;
}

static int
dpn_flow_dump(const void *dp_, dpif_flow_dump_cb *cb, void *aux)
{
    struct dp_netdev *dp = (struct dp_netdev *) dp_;
    struct buf *bufs;
    struct dpif_flow *flows;
    struct dp_flow *f;
    size_t n = 0;

    /* Snapshot under the lock; call back without it, so that the callback
     * may query the datapath (port names). */
    vs_mutex_lock(&dp->mutex);
    bufs = xcalloc(hmap_count(&dp->flows) + 1, sizeof *bufs);
    flows = xcalloc(hmap_count(&dp->flows) + 1, sizeof *flows);
    HMAP_FOR_EACH (f, ufid_node, &dp->flows) {
        flow_to_dpif(f, &bufs[n], &flows[n]);
        n++;
    }
    vs_mutex_unlock(&dp->mutex);
    for (size_t i = 0; i < n; i++) {
        if (!cb(&flows[i], aux)) {
            break;
        }
    }
    for (size_t i = 0; i < n; i++) {
        buf_uninit(&bufs[i]);
    }
    free(bufs);
    free(flows);
    return 0;
}

/* Execute and upcalls. */

static int
dpn_execute(void *dp_, const void *packet, size_t size, const void *key,
            size_t key_size, const void *actions, size_t actions_size,
            char **errorp)
{
    struct dp_netdev *dp = dp_;
    struct flow flow;
    struct dp_pkt pkt, src;
    int error;

    error = odp_actions_validate(actions, actions_size, errorp);
    if (!error) {
        error = dp_actions_check(actions, actions_size, errorp);
    }
    if (!error && key_size) {
        error = odp_key_to_flow(key, key_size, NULL, 0, &flow, NULL, errorp);
    } else {
        flow_zero(&flow);
    }
    if (error) {
        return error;
    }
    memset(&src, 0, sizeof src);
    src.data = (uint8_t *) packet;
    src.size = size;
    dp_pkt_clone(&src, &pkt);
    pkt.md.tunnel = flow.tunnel;
    pkt.md.in_port = flow.in_port;
    pkt.md.recirc_id = flow.recirc_id;
    pkt.md.dp_hash = flow.dp_hash;
    pkt.md.skb_mark = flow.skb_mark;
    pkt.md.skb_priority = flow.skb_priority;

    vrcu_thread_init();
    vs_mutex_lock(&dp->exec_mutex);
    dp->exec_ctx.now = vs_time_msec();
    vrcu_read_lock();
    dp_execute_actions(&pkt, actions, actions_size, &exec_ops, &dp->exec_ctx);
    flush_tx(&dp->exec_ctx);
    flush_upcalls(&dp->exec_ctx);
    vrcu_read_unlock();
    vs_mutex_unlock(&dp->exec_mutex);
    dp_pkt_uninit(&pkt);
    return 0;
}

/* One queue for every handler id: 'handler_id' is not used. */
static int
dpn_recv_batch(void *dp_, uint32_t handler_id, struct dpif_upcall *ups,
               size_t max, size_t *n)
{
    struct dp_netdev *dp = dp_;
    uint64_t v;

    (void) handler_id;
    vs_mutex_lock(&dp->upcall_mutex);
    while (*n < max && dp->n_queued) {
        struct upcall_node *u = CONTAINER_OF(
            vs_list_pop_front(&dp->upcall_queue), struct upcall_node, node);

        ups[(*n)++] = u->up;
        free(u);
        dp->n_queued--;
    }
    if (!dp->n_queued) {
        if (read(dp->upcall_fd, &v, sizeof v) < 0) {
            /* Already drained. */
        }
    }
    vs_mutex_unlock(&dp->upcall_mutex);
    return 0;
}

static int
dpn_recv_fd(const void *dp_, uint32_t handler_id)
{
    const struct dp_netdev *dp = dp_;

    (void) handler_id;
    return dp->upcall_fd;
}

const struct dpif_class dpif_netdev_class = {
    .type = "netdev",
    .create = dpn_create,
    .destroy = dpn_destroy,
    .set_config = dpn_set_config,
    .get_stats = dpn_get_stats,
    .run = dpn_run,
    .port_add = dpn_port_add,
    .port_del = dpn_port_del,
    .port_query = dpn_port_query,
    .port_dump = dpn_port_dump,
    .port_get_stats = dpn_port_get_stats,
    .flow_put = dpn_flow_put,
    .flow_del = dpn_flow_del,
    .flow_get = dpn_flow_get,
    .flow_flush = dpn_flow_flush,
    .flow_dump = dpn_flow_dump,
    .execute = dpn_execute,
    .recv_batch = dpn_recv_batch,
    .recv_fd = dpn_recv_fd,
};
