/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/vconn.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include "vswitch/coverage.h"
#include "vswitch/ds.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(vconn);
COVERAGE_DEFINE(vconn_received);
COVERAGE_DEFINE(vconn_sent);
COVERAGE_DEFINE(vconn_echo_replied);

enum vconn_state {
    VCS_CONNECTING, /* TCP connect in progress. */
    VCS_RECV_HELLO, /* Our HELLO is queued; waiting for the peer's. */
    VCS_CONNECTED,  /* Version negotiated. */
    VCS_FAILED,     /* 'error' is set; flushing what is queued. */
};

struct vconn {
    char *name;             /* Peer name for logs. */
    int fd;                 /* Socket (owned). */
    enum vconn_state state; /* See above. */
    uint32_t versions;      /* Versions we offer. */
    uint8_t version;        /* Negotiated version. */
    int error;              /* Sticky error, or 0. */
    struct buf rx;          /* Received bytes not yet framed. */
    struct buf tx;          /* Bytes queued for the socket. */
    size_t max_backlog;     /* Most bytes 'tx' may hold. */
};

static void
fail(struct vconn *vc, int error)
{
    if (!vc->error) {
        vc->error = error;
        vc->state = VCS_FAILED;
        VLOG_DBG("%s: connection failed: %s", vc->name,
                 error == EOF ? "end of file" : vs_strerror(error));
    }
}

static void
queue(struct vconn *vc, const void *data, size_t size)
{
    buf_put(&vc->tx, data, size);
    COVERAGE_INC(vconn_sent);
}

static void
send_hello(struct vconn *vc)
{
    struct buf b;

    buf_init(&b, 0, 64);
    ofp_hello_encode(&b, vc->versions, 0);
    queue(vc, b.data, b.size);
    buf_uninit(&b);
    vc->state = VCS_RECV_HELLO;
}

static struct vconn *
vconn_create(int fd, const char *name, uint32_t versions, bool connected)
{
    struct vconn *vc = xzalloc(sizeof *vc);

    vc->name = xstrdup(name);
    vc->fd = fd;
    vc->versions = versions;
    vc->max_backlog = VCONN_DEFAULT_MAX_BACKLOG;
    buf_init(&vc->rx, 0, 65536);
    buf_init(&vc->tx, 0, 4096);
    vc->state = VCS_CONNECTING;
    if (connected) {
        send_hello(vc);
    }
    return vc;
}

int
vconn_open(const char *name, uint32_t versions, struct vconn **vconnp)
{
    int fd, error = stream_open(name, OFP_TCP_PORT, &fd);

    *vconnp = NULL;
    if (error) {
        return error;
    }
    *vconnp = vconn_create(fd, name, versions, false);
    return 0;
}

struct vconn *
vconn_from_fd(int fd, const char *name, uint32_t versions)
{
    vs_set_nonblocking(fd);
    return vconn_create(fd, name, versions, true);
}

void
vconn_close(struct vconn *vc)
{
    if (vc) {
        close(vc->fd);
        buf_uninit(&vc->rx);
        buf_uninit(&vc->tx);
        free(vc->name);
        free(vc);
    }
}

const char *
vconn_name(const struct vconn *vc)
{
    return vc->name;
}

int
vconn_fd(const struct vconn *vc)
{
    return vc->fd;
}

uint32_t
vconn_events(const struct vconn *vc)
{
    return EPOLLIN
           | (vc->state == VCS_CONNECTING || vc->tx.size ? EPOLLOUT : 0);
}

uint8_t
vconn_version(const struct vconn *vc)
{
    return vc->state == VCS_CONNECTED ? vc->version : 0;
}

size_t
vconn_backlog(const struct vconn *vc)
{
    return vc->tx.size;
}

void
vconn_set_max_backlog(struct vconn *vc, size_t bytes)
{
    vc->max_backlog = bytes;
}

static void
flush(struct vconn *vc)
{
    while (vc->tx.size) {
        ssize_t n = send(vc->fd, vc->tx.data, vc->tx.size,
                         MSG_DONTWAIT | MSG_NOSIGNAL);

        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                fail(vc, errno);
                buf_clear(&vc->tx);
            }
            return;
        }
        buf_pull(&vc->tx, n);
    }
    /* Moving what is left to the front costs its size: only once the sent
     * part is larger, so a long backlog (a big multipart reply) is not
     * moved again after every partial send. */
    if (buf_headroom(&vc->tx) >= vc->tx.size) {
        buf_shift_to_headroom(&vc->tx, 0);
    }
}

int
vconn_run(struct vconn *vc)
{
    if (vc->state == VCS_CONNECTING) {
        int error = stream_connect_result(vc->fd);

        if (error == EAGAIN) {
            return 0;
        } else if (error) {
            fail(vc, error);
        } else {
            send_hello(vc);
        }
    }
    flush(vc);
    return vc->state == VCS_FAILED && !vc->tx.size ? vc->error : 0;
}

/* Reads what the socket has; returns 0, or EOF/errno. */
static int
fill(struct vconn *vc)
{
    for (;;) {
        ssize_t n;

        buf_prealloc_tailroom(&vc->rx, 65536);
        n = recv(vc->fd, buf_tail(&vc->rx), buf_tailroom(&vc->rx),
                 MSG_DONTWAIT);
        if (n > 0) {
            vc->rx.size += n;
            if ((size_t) n < 65536) {
                return 0;
            }
        } else if (n == 0) {
            return EOF;
        } else if (errno == EINTR) {
            continue;
        } else {
            return errno == EAGAIN ? 0 : errno;
        }
    }
}

/* Extracts one whole message from 'rx', or returns NULL. */
static struct buf *
frame(struct vconn *vc)
{
    const uint8_t *p = vc->rx.data;
    uint16_t len;
    struct buf *msg;

    if (vc->rx.size < sizeof(struct ofp_header)) {
        return NULL;
    }
    len = (p[2] << 8) | p[3];
    if (len < sizeof(struct ofp_header)) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_WARN_RL(&rl, "%s: message length %u is below 8: framing lost",
                     vc->name, len);
        fail(vc, EPROTO);
        return NULL;
    }
    if (vc->rx.size < len) {
        return NULL;
    }
    msg = buf_clone_data(p, len, 0);
    buf_pull(&vc->rx, len);
    if (!vc->rx.size) {
        buf_shift_to_headroom(&vc->rx, 0);
    }
    COVERAGE_INC(vconn_received);
    return msg;
}

static void
versions_to_string(struct ds *s, uint32_t versions)
{
    bool first = true;

    for (int v = 1; v < 32; v++) {
        if (versions & OFP_VERSION_BIT(v)) {
            ds_put_format(s, "%s0x%02x", first ? "" : ", ", v);
            first = false;
        }
    }
    if (first) {
        ds_put_cstr(s, "none");
    }
}

static void
handle_hello(struct vconn *vc, struct buf *msg)
{
    uint32_t theirs;
    enum ofperr e = ofp_hello_decode(msg->data, msg->size, &theirs);
    uint8_t version = e ? 0 : ofp_negotiate(vc->versions, theirs);

    if (!version) {
        struct ds why = DS_EMPTY_INITIALIZER;
        struct buf err;
        uint8_t peer = ((uint8_t *) msg->data)[0];
        uint8_t ours = ofp_negotiate(vc->versions, UINT32_MAX);

        ds_put_cstr(&why, "We support versions ");
        versions_to_string(&why, vc->versions);
        ds_put_cstr(&why, "; you support ");
        versions_to_string(&why, e ? 0 : theirs);
        ds_put_cstr(&why, ", no common versions.");
        VLOG_WARN("%s: version negotiation failed: %s", vc->name,
                  ds_cstr(&why));
        buf_init(&err, 0, 128);
        ofperr_encode(&err, OFPERR_HELLO_INCOMPATIBLE,
                      peer && peer < ours ? peer : ours, 0, NULL, 0);
        buf_put(&err, why.string, why.length);
        ofp_finish_msg(&err, 0);
        queue(vc, err.data, err.size);
        buf_uninit(&err);
        ds_destroy(&why);
        fail(vc, EPROTONOSUPPORT);
        flush(vc);
        return;
    }
    vc->version = version;
    vc->state = VCS_CONNECTED;
    VLOG_DBG("%s: negotiated OpenFlow version 0x%02x", vc->name, version);
}

int
vconn_recv(struct vconn *vc, struct buf **msgp)
{
    *msgp = NULL;
    for (;;) {
        struct buf *msg;
        int error;

        if (vc->state == VCS_FAILED) {
            return vc->error;
        }
        if (vc->state == VCS_CONNECTING) {
            return EAGAIN;
        }
        msg = frame(vc);
        if (!msg) {
            if (vc->state == VCS_FAILED) {
                return vc->error;
            }
            error = fill(vc);
            if (error) {
                fail(vc, error);
                return error;
            }
            msg = frame(vc);
            if (!msg) {
                return vc->state == VCS_FAILED ? vc->error : EAGAIN;
            }
        }
        if (vc->state == VCS_RECV_HELLO) {
            if (((uint8_t *) msg->data)[1] != OFPT_HELLO) {
                VLOG_WARN("%s: first message is not HELLO", vc->name);
                buf_delete(msg);
                fail(vc, EPROTO);
                return EPROTO;
            }
            handle_hello(vc, msg);
            buf_delete(msg);
            continue;
        }
        if (((uint8_t *) msg->data)[0] != vc->version) {
            /* Every message after HELLO must use the negotiated version. */
            struct buf err;

            buf_init(&err, 0, 80);
            ofperr_encode(&err, OFPERR_BAD_VERSION, vc->version,
                          ntohl(((struct ofp_header *) msg->data)->xid),
                          msg->data, msg->size);
            queue(vc, err.data, err.size);
            buf_uninit(&err);
            buf_delete(msg);
            flush(vc);
            continue;
        }
        if (((uint8_t *) msg->data)[1] == OFPT_ECHO_REQUEST) {
            struct buf reply;

            buf_init(&reply, 0, msg->size);
            ofp_echo_reply_encode(&reply, msg->data, msg->size);
            queue(vc, reply.data, reply.size);
            buf_uninit(&reply);
            buf_delete(msg);
            COVERAGE_INC(vconn_echo_replied);
            flush(vc);
            continue;
        }
        *msgp = msg;
        return 0;
    }
}

int
vconn_send(struct vconn *vc, struct buf *msg)
{
    if (vc->state == VCS_FAILED) {
        buf_delete(msg);
        return vc->error;
    }
    if (vc->tx.size + msg->size > vc->max_backlog) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 5);

        VLOG_WARN_RL(&rl,
                     "%s: peer is not reading (%zu bytes queued); "
                     "disconnecting",
                     vc->name, vc->tx.size);
        buf_delete(msg);
        buf_clear(&vc->tx);
        fail(vc, ENOBUFS);
        return ENOBUFS;
    }
    queue(vc, msg->data, msg->size);
    buf_delete(msg);
    if (vc->state != VCS_CONNECTING) {
        flush(vc);
    }
    return 0;
}

static int
wait_for(struct vconn *vc, long long deadline)
{
    struct pollfd p = {.fd = vc->fd, .events = POLLIN};
    long long left = deadline - vs_time_msec();

    if (left <= 0) {
        return ETIMEDOUT;
    }
    if (vconn_events(vc) & EPOLLOUT) {
        p.events |= POLLOUT;
    }
    if (poll(&p, 1, left) < 0 && errno != EINTR) {
        return errno;
    }
    return 0;
}

int
vconn_open_block(const char *name, uint32_t versions, int timeout_ms,
                 struct vconn **vconnp)
{
    long long deadline = vs_time_msec() + timeout_ms;
    struct vconn *vc;
    int error = vconn_open(name, versions, &vc);

    *vconnp = NULL;
    if (error) {
        return error;
    }
    while (!vconn_version(vc)) {
        struct buf *msg;

        error = vconn_run(vc);
        if (!error) {
            error = vconn_recv(vc, &msg);
            if (!error) {
                buf_delete(msg); /* Nothing should come before HELLO. */
                continue;
            }
        }
        if (error == EAGAIN) {
            if (vconn_version(vc)) {
                break; /* The HELLO just read completed negotiation. */
            }
            error = wait_for(vc, deadline);
        }
        if (error) {
            vconn_close(vc);
            return error;
        }
    }
    *vconnp = vc;
    return 0;
}

int
vconn_transact(struct vconn *vc, struct buf *request, int timeout_ms,
               struct buf **replyp)
{
    long long deadline = vs_time_msec() + timeout_ms;
    uint32_t xid = ((struct ofp_header *) request->data)->xid;
    int error = vconn_send(vc, request);

    *replyp = NULL;
    while (!error) {
        struct buf *msg;

        error = vconn_run(vc);
        if (error) {
            break;
        }
        error = vconn_recv(vc, &msg);
        if (!error) {
            if (((struct ofp_header *) msg->data)->xid == xid) {
                *replyp = msg;
                return 0;
            }
            buf_delete(msg);
        } else if (error == EAGAIN) {
            error = wait_for(vc, deadline);
        }
    }
    return error;
}
