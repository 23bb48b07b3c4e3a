/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ofp-agent-probe: drives an OpenFlow switch the way ovs-ofctl cannot, and
 * prints one line per finding for a test to compare.
 *
 *   roles TARGET      two OpenFlow 1.3 connections: A becomes master
 *                     (generation 1), B master (generation 2), which makes
 *                     A a slave; A's FLOW_MOD, PACKET_OUT and PORT_MOD are
 *                     refused; a request with generation 1 is stale; A's
 *                     GET_ASYNC reply shows the defaults; B may write.
 *   malformed TARGET  a truncated FLOW_MOD, a header longer than what
 *                     follows it in its frame, an unknown type, an unknown
 *                     multipart type and an experimenter message, each
 *                     answered with its error on a connection that stays up
 *                     (an ECHO_REQUEST after them is answered).
 *   slow TARGET       a peer that sends requests and never reads: prints
 *                     "disconnected" once the switch has dropped it and
 *                     "responsive" if a new connection is served meanwhile.
 *
 * Lines: "NAME: error ERROR" (the OFPT_ERROR's name), "NAME: ok" (barrier
 * reached without error), "NAME: reply TYPE ...".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/stream.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"

#define V13 OFP_VERSION_BIT(OFP13_VERSION)

static const char *target;
static uint32_t next_xid = 100;

static struct vconn *
open13(void)
{
    struct vconn *vc;
    int error = vconn_open_block(target, V13, 5000, &vc);

    if (error) {
        vs_fatal(1, "%s: %s", target, vs_strerror(error));
    }
    return vc;
}

/* Sends 'msg' (xid 'xid') then a BARRIER and reads until its reply.
 * Prints "NAME: error E" for an error answering 'xid', "NAME: reply T"
 * for another message with that xid, or "NAME: ok". */
static void
exchange(struct vconn *vc, const char *name, struct buf *msg, uint32_t xid)
{
    uint32_t bxid = next_xid++;
    struct buf *barrier = buf_new(0, 8);
    long long deadline = vs_time_msec() + 5000;
    bool said = false;

    ofp_start_msg(barrier, vconn_version(vc),
                  vconn_version(vc) == OFP10_VERSION ? OFPT10_BARRIER_REQUEST
                                                     : OFPT13_BARRIER_REQUEST,
                  bxid, 0);
    vconn_send(vc, msg);
    vconn_send(vc, barrier);
    for (;;) {
        struct buf *in;
        int error = vconn_run(vc);

        if (!error) {
            error = vconn_recv(vc, &in);
        }
        if (error == EAGAIN) {
            struct pollfd pfd = {vconn_fd(vc), vconn_events(vc), 0};

            if (vs_time_msec() > deadline) {
                printf("%s: timeout\n", name);
                return;
            }
            poll(&pfd, 1, 100);
            continue;
        } else if (error) {
            printf("%s: connection failed (%s)\n", name, vs_strerror(error));
            return;
        }
        const struct ofp_header *oh = (const void *) in->data;

        if (ntohl(oh->xid) == xid && !said) {
            if (oh->type == OFPT_ERROR && in->size >= 12) {
                const uint8_t *p = in->data;
                uint16_t type = p[8] << 8 | p[9], code = p[10] << 8 | p[11];
                enum ofperr e = ofperr_decode(oh->version, type, code);

                printf("%s: error %s\n", name, e ? ofperr_name(e) : "?");
            } else {
                printf("%s: reply %u\n", name, oh->type);
            }
            said = true;
        } else if (ntohl(oh->xid) == bxid) {
            if (!said) {
                printf("%s: ok\n", name);
            }
            buf_delete(in);
            fflush(stdout);
            return;
        }
        buf_delete(in);
    }
}

static struct buf *
role_request(uint32_t role, uint64_t gen, uint32_t xid)
{
    struct buf *b = buf_new(0, 32);

    ofp_role_encode(OFPT13_ROLE_REQUEST, role, gen, xid, b);
    return b;
}

/* A ROLE_REQUEST's answer as "reply ROLE" or "error E". */
static void
role(struct vconn *vc, const char *name, uint32_t r, uint64_t gen)
{
    uint32_t xid = next_xid++;
    struct buf *reply;
    int error = vconn_transact(vc, role_request(r, gen, xid), 5000, &reply);

    if (error) {
        printf("%s: failed (%s)\n", name, vs_strerror(error));
        return;
    }
    if (reply->size >= 12 && ((uint8_t *) reply->data)[1] == OFPT_ERROR) {
        const uint8_t *p = reply->data;
        enum ofperr e =
            ofperr_decode(p[0], p[8] << 8 | p[9], p[10] << 8 | p[11]);

        printf("%s: error %s\n", name, e ? ofperr_name(e) : "?");
    } else {
        uint32_t got;
        uint64_t g;

        if (ofp_role_decode(reply->data, reply->size, &got, &g)) {
            printf("%s: bad reply\n", name);
        } else {
            printf("%s: role %s generation %llu\n", name,
                   got == OFPCR_ROLE_MASTER  ? "master"
                   : got == OFPCR_ROLE_SLAVE ? "slave"
                                             : "equal",
                   (unsigned long long) g);
        }
    }
    buf_delete(reply);
    fflush(stdout);
}

static struct buf *
flow_mod(const char *text, uint32_t xid)
{
    struct ofp_flow_mod fm;
    struct buf *b = buf_new(0, 128);
    char *err;

    if (ofp_flow_mod_parse(&fm, text, OFPFC_ADD, &err)) {
        vs_fatal(1, "%s", err);
    }
    ofp_flow_mod_encode(&fm, OFP13_VERSION, xid, b);
    ofp_flow_mod_uninit(&fm);
    return b;
}

static struct buf *
packet_out(uint32_t xid)
{
    static const uint8_t frame[14] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0,
                                      0,    0,    0,    1,    0x88, 0xb5};
    struct ofp_packet_out po = {
        .buffer_id = OFP_NO_BUFFER,
        .in_port = OFPP_CONTROLLER,
        .packet = frame,
        .packet_len = sizeof frame,
    };
    struct buf *b = buf_new(0, 64);

    ofpacts_init(&po.ofpacts);
    ofp_packet_out_encode(&po, OFP13_VERSION, xid, b);
    ofpacts_uninit(&po.ofpacts);
    return b;
}

static int
cmd_roles(void)
{
    struct vconn *a = open13(), *b = open13();
    struct ofp_port_mod pm = {.port_no = OFPP_LOCAL};
    struct buf *m;
    uint32_t xid;

    role(a, "A master gen 1", OFPCR_ROLE_MASTER, 1);
    role(b, "B master gen 2", OFPCR_ROLE_MASTER, 2);
    role(a, "A nochange", OFPCR_ROLE_NOCHANGE, 0);
    xid = next_xid++;
    exchange(a, "A flow_mod", flow_mod("priority=4,ip,actions=drop", xid),
             xid);
    xid = next_xid++;
    exchange(a, "A packet_out", packet_out(xid), xid);
    xid = next_xid++;
    m = buf_new(0, 64);
    ofp_port_mod_encode(&pm, OFP13_VERSION, xid, m);
    exchange(a, "A port_mod", m, xid);
    role(a, "A slave gen 1", OFPCR_ROLE_SLAVE, 1);
    role(a, "A equal", OFPCR_ROLE_EQUAL, 0);
    xid = next_xid++;
    exchange(b, "B flow_mod", flow_mod("priority=4,ip,actions=drop", xid),
             xid);
    role(b, "B slave gen 3", OFPCR_ROLE_SLAVE, 3);
    xid = next_xid++;
    exchange(b, "B flow_mod as slave",
             flow_mod("priority=5,ip,actions=drop", xid), xid);
    xid = next_xid++;
    exchange(a, "A flow_mod as equal",
             flow_mod("priority=6,ip,actions=drop", xid), xid);
    vconn_close(a);
    vconn_close(b);
    return 0;
}

static struct buf *
raw(uint8_t version, uint8_t type, uint32_t xid, const void *body, size_t size,
    int length_delta)
{
    struct buf *b = buf_new(0, 8 + size);
    struct ofp_header *oh = ofp_start_msg(b, version, type, xid, 0);

    buf_put(b, body, size);
    oh->length = htons(8 + size + length_delta);
    return b;
}

static int
cmd_malformed(void)
{
    struct vconn *vc = open13();
    uint8_t body[64];
    uint32_t xid;

    memset(body, 0, sizeof body);
    xid = next_xid++;
    exchange(vc, "truncated flow_mod",
             raw(OFP13_VERSION, OFPT_FLOW_MOD, xid, body, 16, 0), xid);
    xid = next_xid++;
    exchange(vc, "unknown type", raw(OFP13_VERSION, 200, xid, body, 8, 0),
             xid);
    xid = next_xid++;
    body[1] = 99; /* Multipart type 99. */
    exchange(vc, "unknown multipart",
             raw(OFP13_VERSION, OFPT13_MULTIPART_REQUEST, xid, body, 8, 0),
             xid);
    xid = next_xid++;
    memset(body, 0, sizeof body);
    body[0] = 0x00, body[1] = 0x00, body[2] = 0x23, body[3] = 0x20;
    exchange(vc, "experimenter",
             raw(OFP13_VERSION, OFPT_EXPERIMENTER, xid, body, 8, 0), xid);
    xid = next_xid++;
    exchange(vc, "bad length features_request",
             raw(OFP13_VERSION, OFPT_FEATURES_REQUEST, xid, body, 4, 0), xid);
    xid = next_xid++;
    exchange(vc, "echo after",
             raw(OFP13_VERSION, OFPT_ECHO_REQUEST, xid, NULL, 0, 0), xid);
    vconn_close(vc);
    return 0;
}

static int
cmd_slow(void)
{
    struct vconn *probe;
    struct buf *reply;
    uint8_t hello[8] = {OFP13_VERSION, OFPT_HELLO, 0, 8, 0, 0, 0, 1};
    uint8_t desc[16] = {OFP13_VERSION, OFPT13_MULTIPART_REQUEST, 0, 16};
    long long deadline;
    size_t sent = 0;
    int fd, error;
    int rcvbuf = 4096;

    error = stream_open(target, OFP_TCP_PORT, &fd);
    if (error) {
        vs_fatal(1, "%s: %s", target, vs_strerror(error));
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    for (int i = 0; i < 50 && stream_connect_result(fd) == EAGAIN; i++) {
        usleep(100000);
    }
    if (write(fd, hello, sizeof hello) != sizeof hello) {
        vs_fatal(1, "write failed");
    }
    /* DESC requests (1 KiB replies each) until the switch stops taking
     * them or 64 MiB of replies are due. */
    deadline = vs_time_msec() + 20000;
    while (sent < 65536 && vs_time_msec() < deadline) {
        struct pollfd pfd = {fd, POLLOUT, 0};

        if (poll(&pfd, 1, 200) <= 0) {
            continue;
        }
        if (pfd.revents & (POLLERR | POLLHUP)) {
            break;
        }
        desc[7] = sent & 0xff;
        if (write(fd, desc, sizeof desc) != sizeof desc) {
            break;
        }
        sent++;
    }
    error = vconn_open_block(target, V13, 5000, &probe);
    if (!error) {
        struct buf *req = buf_new(0, 8);

        ofp_start_msg(req, OFP13_VERSION, OFPT_ECHO_REQUEST, 7, 0);
        error = vconn_transact(probe, req, 5000, &reply);
        if (!error) {
            printf("responsive\n");
            buf_delete(reply);
        }
        vconn_close(probe);
    }
    if (error) {
        printf("unresponsive (%s)\n", vs_strerror(error));
    }
    /* Now read what was queued: the switch must have closed. */
    deadline = vs_time_msec() + 20000;
    for (;;) {
        char buf[65536];
        ssize_t n = read(fd, buf, sizeof buf);

        if (n == 0 || (n < 0 && errno == ECONNRESET)) {
            printf("disconnected\n");
            break;
        }
        if (n < 0 && errno == EAGAIN) {
            struct pollfd pfd = {fd, POLLIN, 0};

            if (vs_time_msec() > deadline) {
                printf("still connected\n");
                break;
            }
            poll(&pfd, 1, 200);
        } else if (n < 0) {
            printf("read failed (%s)\n", vs_strerror(errno));
            break;
        }
    }
    close(fd);
    return 0;
}

int
main(int argc, char *argv[])
{
    vs_set_program_name(argv[0]);
    if (argc != 3) {
        vs_fatal(2, "usage: ofp-agent-probe roles|malformed|slow TARGET");
    }
    target = argv[2];
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(argv[1], "roles")) {
        return cmd_roles();
    } else if (!strcmp(argv[1], "malformed")) {
        return cmd_malformed();
    } else if (!strcmp(argv[1], "slow")) {
        return cmd_slow();
    }
    vs_fatal(2, "unknown command %s", argv[1]);
}
