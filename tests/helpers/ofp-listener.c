/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-listener: accepts OpenFlow connections on a passive name and serves
 * the connection layer only — version negotiation, echo, framing, the
 * errors the specification prescribes for malformed or unknown messages
 * (via ofp_decode_type), BARRIER and EXPERIMENTER refusals.  Tests point
 * Debian's ovs-ofctl at it to prove that layer against the real tool.
 *
 * usage: ofp-listener PASSIVE-NAME   (e.g. punix:/tmp/x.sock, ptcp:0)
 * Prints "listening" (and the TCP port) once ready; runs until SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "vswitch/evloop.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(ofp_listener);

struct conn {
    struct vconn *vc;
    struct evloop_fd *h;
};

static struct evloop *loop;

static void
reply(struct conn *c, struct buf *msg)
{
    vconn_send(c->vc, msg);
}

static void
serve(struct conn *c, struct buf *msg)
{
    struct ofp_header *oh = (void *) msg->data;
    enum ofptype type;
    enum ofperr e = ofp_decode_type(msg->data, msg->size, &type);
    struct buf *out = buf_new(0, 128);

    if (!e
        && (type == OFPTYPE_EXPERIMENTER
            || type == OFPTYPE_EXPERIMENTER_STATS_REQUEST)) {
        e = OFPERR_BAD_EXPERIMENTER;
    }
    if (e) {
        ofperr_encode(out, e, vconn_version(c->vc), ntohl(oh->xid), msg->data,
                      msg->size);
        reply(c, out);
    } else if (type == OFPTYPE_BARRIER_REQUEST) {
        ofp_start_msg(out, oh->version,
                      oh->version == OFP10_VERSION ? OFPT10_BARRIER_REPLY
                                                   : OFPT13_BARRIER_REPLY,
                      ntohl(oh->xid), 0);
        reply(c, out);
    } else {
        VLOG_INFO("%s: %s not served here", vconn_name(c->vc),
                  ofptype_name(type));
        buf_delete(out);
    }
}

static void
conn_event(int fd, uint32_t events, void *c_)
{
    struct conn *c = c_;
    struct buf *msg;
    int error = vconn_run(c->vc);

    while (!error && !(error = vconn_recv(c->vc, &msg))) {
        serve(c, msg);
        buf_delete(msg);
    }
    vconn_run(c->vc);
    if (error && error != EAGAIN) {
        evloop_del_fd(c->h);
        vconn_close(c->vc);
        free(c);
        return;
    }
    evloop_mod_fd(c->h, vconn_events(c->vc));
}

static void
accept_event(int fd, uint32_t events, void *aux)
{
    int cfd;

    while (!pstream_accept(fd, &cfd)) {
        struct conn *c = xzalloc(sizeof *c);

        c->vc = vconn_from_fd(cfd, "client", OFP_SUPPORTED_VERSIONS);
        vconn_run(c->vc);
        c->h = evloop_add_fd(loop, cfd, vconn_events(c->vc), conn_event, c);
    }
}

static void
on_signal(int signo, void *aux)
{
    evloop_stop(loop);
}

int
main(int argc, char *argv[])
{
    int lfd, error;

    vs_set_program_name(argv[0]);
    if (argc != 2) {
        vs_fatal(2, "usage: ofp-listener PASSIVE-NAME");
    }
    error = pstream_open(argv[1], OFP_TCP_PORT, &lfd);
    if (error) {
        vs_fatal(1, "%s: %s", argv[1], vs_strerror(error));
    }
    loop = evloop_create();
    evloop_add_signal(loop, SIGTERM, on_signal, NULL);
    evloop_add_signal(loop, SIGINT, on_signal, NULL);
    evloop_add_fd(loop, lfd, EPOLLIN, accept_event, NULL);
    printf("listening %u\n", pstream_get_port(lfd));
    fflush(stdout);
    evloop_run(loop);
    close(lfd);
    return 0;
}
