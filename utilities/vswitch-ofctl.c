/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitch-ofctl: an OpenFlow 1.0/1.3 client for a switch's flow tables,
 * ports and groups (the counterpart of ovs-ofctl).  Output follows
 * ovs-ofctl's where scripts parse it: dump-flows lines, dump-tables,
 * dump-ports, show's port lines, error replies.
 *
 *   vswitch-ofctl [OPTIONS] COMMAND TARGET [ARG...]
 *
 * TARGET is a bridge name (its management socket RUNDIR/BR.mgmt), or
 * "unix:PATH", or "tcp:IP[:PORT]" (port 6653 by default).
 *
 * Exit status: 0 success, 1 failure (bad command line, unreachable switch,
 * an OFPT_ERROR in reply).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include "vswitch/buf.h"
#include "vswitch/ds.h"
#include "vswitch/ofp-actions.h"
#include "vswitch/ofp-errors.h"
#include "vswitch/ofp-flow.h"
#include "vswitch/ofp-group.h"
#include "vswitch/ofp-msgs.h"
#include "vswitch/ofp-port.h"
#include "vswitch/ofp-switch.h"
#include "vswitch/ofp-wire.h"
#include "vswitch/util.h"
#include "vswitch/vconn.h"

static uint32_t versions = OFP_VERSION_BIT(OFP10_VERSION);
static bool strict;
static bool no_stats;
static int timeout_ms = 0; /* 0: none (monitor), else --timeout. */
static long long max_msgs = -1;
static uint32_t next_xid = 1;
static const char *target_arg;
static bool use_names = true;

/* ovs-ofctl looks up table and port names over two connections of their
 * own before commands that take flow text (unless --no-names); their
 * HELLOs and requests use four transaction ids.  We skip the lookups but
 * keep the numbering, so that "(xid=0x6)" reads the same. */
static void
skip_lookup_xids(void)
{
    if (use_names) {
        next_xid += 4;
    }
}

#define IO_TIMEOUT_MS 60000

static VS_NO_RETURN void
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: ", vs_program_name());
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static uint64_t
rd(const uint8_t *p, int n)
{
    uint64_t v = 0;

    for (int i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void
wr(uint8_t *p, int n, uint64_t v)
{
    for (int i = n - 1; i >= 0; i--) {
        p[i] = v & 0xff;
        v >>= 8;
    }
}

static int
io_timeout(void)
{
    return timeout_ms > 0 ? timeout_ms : IO_TIMEOUT_MS;
}

/* Waits up to 100 ms for 'vc' to have something to do.  Short slices: a
 * connection whose state changes without a poll event (a unix socket that
 * connected at once) still makes progress through vconn_run(). */
static void
wait_vconn(struct vconn *vc, long long deadline)
{
    struct pollfd pfd = {vconn_fd(vc), POLLIN, 0};
    long long left = deadline < 0 ? 100 : deadline - vs_time_msec();

    if (vconn_events(vc) & EPOLLOUT) {
        pfd.events |= POLLOUT;
    }
    poll(&pfd, 1, left < 0 ? 0 : left > 100 ? 100 : (int) left);
}

/* The next message within 'deadline' (exits on failure). */
static struct buf *
recv_block(struct vconn *vc, long long deadline, const char *what)
{
    for (;;) {
        struct buf *m;
        int error = vconn_run(vc);

        if (!error) {
            error = vconn_recv(vc, &m);
        }
        if (!error) {
            return m;
        }
        if (error != EAGAIN) {
            vs_fatal(1, "%s: %s failed (%s)", vconn_name(vc), what,
                     error == EOF ? "connection closed" : vs_strerror(error));
        }
        if (vs_time_msec() >= deadline) {
            vs_fatal(1, "%s: timeout waiting for %s", vconn_name(vc), what);
        }
        wait_vconn(vc, deadline);
    }
}

/* The socket name for TARGET. */
static char *
target_name(const char *t)
{
    if (!strncmp(t, "unix:", 5)) {
        return xstrdup(t);
    }
    if (!strncmp(t, "tcp:", 4)) {
        const char *colon = strchr(t + 4, ':');

        if (colon || t[4] == '[') {
            return xstrdup(t);
        }
        return xasprintf("%s:%d", t, OFP_TCP_PORT);
    }
    if (strchr(t, ':') || strchr(t, '/')) {
        vs_fatal(1,
                 "%s: unknown target (use BRIDGE, unix:PATH or "
                 "tcp:IP[:PORT])",
                 t);
    }
    const char *rundir = getenv("VSWITCH_RUNDIR");
    return xasprintf("unix:%s/%s.mgmt",
                     rundir && *rundir ? rundir : "/run/vswitch", t);
}

static struct vconn *
open_target(void)
{
    char *name = target_name(target_arg);
    long long deadline = vs_time_msec() + io_timeout();
    struct vconn *vc;
    int error = vconn_open(name, versions, &vc);

    while (!error && !vconn_version(vc)) {
        struct buf *m;

        error = vconn_run(vc);
        if (!error) {
            error = vconn_recv(vc, &m);
            if (!error) {
                buf_delete(m);
                continue;
            }
        }
        if (error == EAGAIN) {
            error = vs_time_msec() >= deadline ? ETIMEDOUT : 0;
            wait_vconn(vc, deadline);
        }
    }
    if (error) {
        if (error == EPROTONOSUPPORT) {
            vs_fatal(1, "%s: version negotiation failed", name);
        }
        vs_fatal(1, "connecting to %s (%s)", name,
                 error == EOF ? "connection closed" : vs_strerror(error));
    }
    free(name);
    return vc;
}

static uint8_t
ver(struct vconn *vc)
{
    return vconn_version(vc);
}

/* "OFPT_X (OF1.3) (xid=0x5):" prefix. */
static void
put_header(struct ds *s, const char *what, uint8_t version, uint32_t xid)
{
    ds_put_cstr(s, what);
    if (version != OFP10_VERSION) {
        ds_put_format(s, " (OF1.%d)", version - 1);
    }
    ds_put_format(s, " (xid=0x%" PRIx32 "):", xid);
}

/* Error names as ovs-ofctl prints them. */
static const char *
error_prefix(uint8_t version, uint16_t type)
{
    static const char *const p10[] = {"OFPHFC",  "OFPBRC",  "OFPBAC",
                                      "OFPFMFC", "OFPPMFC", "OFPQOFC"};
    static const char *const p13[] = {
        "OFPHFC",  "OFPBRC",  "OFPBAC",  "OFPBIC",  "OFPBMC",
        "OFPFMFC", "OFPGMFC", "OFPPMFC", "OFPTMFC", "OFPQOFC",
        "OFPSCFC", "OFPRRFC", "OFPMMFC", "OFPTFFC"};

    if (version == OFP10_VERSION) {
        return type < 6 ? p10[type] : NULL;
    }
    return type < 14 ? p13[type] : NULL;
}

static void
format_error_name(struct ds *s, uint8_t version, uint16_t type, uint16_t code)
{
    static const struct {
        const char *from, *to;
    } renames[] = {
        {"HELLO_", ""},          {"FLOW_MOD_", ""},
        {"PORT_MOD_", ""},       {"TABLE_MOD_", ""},
        {"QUEUE_OP_", ""},       {"SWITCH_CONFIG_", ""},
        {"TABLE_FEATURES_", ""}, {"GROUP_MOD_", ""},
        {"BAD_ACTION_", "BAD_"}, {"BAD_INST_", "BAD_"},
        {"BAD_MATCH_", "BAD_"},  {"BAD_GROUP_", "BAD_"},
        {"BAD_REQUEST_", ""},    {"GROUP_LOOP", "LOOP"},
    };
    enum ofperr e = ofperr_decode(version, type, code);
    const char *prefix = error_prefix(version, type);

    if (!e || !prefix) {
        ds_put_format(s, "***decode error: type %u code %u***", type, code);
        return;
    }
    const char *name = ofperr_name(e);
    char *n = NULL;
    for (size_t i = 0; i < sizeof renames / sizeof *renames; i++) {
        size_t len = strlen(renames[i].from);
        if (!strncmp(name, renames[i].from, len)) {
            n = xasprintf("%s%s", renames[i].to, name + len);
            break;
        }
    }
    if (version == OFP10_VERSION) {
        if (e == OFPERR_BAD_EXPERIMENTER
            || e == OFPERR_BAD_ACTION_EXPERIMENTER) {
            free(n);
            n = xstrdup("BAD_VENDOR");
        } else if (e == OFPERR_BAD_MULTIPART) {
            free(n);
            n = xstrdup("BAD_STAT");
        } else if (e == OFPERR_BAD_EXP_TYPE
                   || e == OFPERR_BAD_ACTION_EXP_TYPE) {
            free(n);
            n = xstrdup("BAD_SUBTYPE");
        }
    }
    ds_put_format(s, "%s_%s", prefix, n ? n : name);
    free(n);
}

/* "00000000  01 0e 00 48 00 00 00 06-00 38 20 ef 00 00 00 00 |...H..|". */
static void
put_hex_dump(struct ds *s, const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n; off += 16) {
        size_t k = n - off < 16 ? n - off : 16;

        ds_put_format(s, "%08zx ", off);
        for (size_t i = 0; i < 16; i++) {
            if (i < k) {
                ds_put_format(s, "%c%02x", i == 8 ? '-' : ' ', p[off + i]);
            } else {
                ds_put_cstr(s, "   ");
            }
        }
        ds_put_cstr(s, " |");
        for (size_t i = 0; i < k; i++) {
            uint8_t c = p[off + i];
            ds_put_char(s, c >= 32 && c < 127 ? (char) c : '.');
        }
        ds_put_cstr(s, "|\n");
    }
}

/* Prints an OFPT_ERROR reply to stderr. */
static void
print_error(const struct buf *msg)
{
    const uint8_t *p = msg->data;
    struct ds s;

    ds_init(&s);
    put_header(&s, "OFPT_ERROR", p[0], (uint32_t) rd(p + 4, 4));
    if (msg->size < 12) {
        ds_put_cstr(&s, " ***truncated***\n");
    } else {
        uint16_t type = rd(p + 8, 2), code = rd(p + 10, 2);

        ds_put_char(&s, ' ');
        format_error_name(&s, p[0], type, code);
        ds_put_char(&s, '\n');
        if (type == 0) {
            ds_put_buffer(&s, (const char *) p + 12, msg->size - 12);
            ds_put_char(&s, '\n');
        } else if (msg->size >= 20) {
            const uint8_t *req = p + 12;
            size_t have = msg->size - 12, full = rd(req + 2, 2);
            enum ofptype t;

            if (full > have || ofp_decode_type(req, full, &t)) {
                /* Truncated: name it by its raw type. */
                bool v10 = req[0] == OFP10_VERSION;
                t = req[1] == OFPT_FLOW_MOD              ? OFPTYPE_FLOW_MOD
                    : req[1] == OFPT_PACKET_OUT          ? OFPTYPE_PACKET_OUT
                    : !v10 && req[1] == OFPT13_GROUP_MOD ? OFPTYPE_GROUP_MOD
                                                         : OFPTYPE_N;
            }
            if (t < OFPTYPE_N) {
                struct ds h;
                ds_init(&h);
                ds_put_format(&h, "OFPT_%s", ofptype_name(t));
                put_header(&s, ds_cstr(&h), req[0], (uint32_t) rd(req + 4, 4));
                ds_put_char(&s, '\n');
                ds_destroy(&h);
            }
            if (full > have) {
                ds_put_format(&s, "(***truncated to %zu bytes from %zu***)\n",
                              have, full);
            }
            put_hex_dump(&s, req, have);
        }
    }
    fputs(ds_cstr(&s), stderr);
    ds_destroy(&s);
}

static bool
is_error(const struct buf *msg)
{
    return msg->size >= 8 && ((const uint8_t *) msg->data)[1] == OFPT_ERROR;
}

/* Sends 'req' and returns the reply with its xid (an ERROR is printed and
 * makes the program exit 1). */
static struct buf *
transact(struct vconn *vc, struct buf *req)
{
    uint32_t xid = (uint32_t) rd(req->data + 4, 4);
    long long deadline = vs_time_msec() + io_timeout();
    int error = vconn_send(vc, req);

    if (error) {
        vs_fatal(1, "%s: send failed (%s)", vconn_name(vc),
                 vs_strerror(error));
    }
    for (;;) {
        struct buf *reply = recv_block(vc, deadline, "a reply");

        if (rd(reply->data + 4, 4) != xid) {
            buf_delete(reply);
            continue;
        }
        if (is_error(reply)) {
            print_error(reply);
            exit(1);
        }
        return reply;
    }
}

static uint32_t
take_xid(void)
{
    return next_xid++;
}

static struct buf *
new_msg(uint8_t version, uint8_t type, uint32_t xid, size_t body)
{
    struct buf *b = buf_new(0, 64 + body);

    ofp_start_msg(b, version, type, xid, body);
    return b;
}

static uint8_t
mp_request_type(uint8_t v)
{
    return v == OFP10_VERSION ? OFPT10_STATS_REQUEST
                              : OFPT13_MULTIPART_REQUEST;
}

/* A body-less stats/multipart request of 'mp_type' (plus 'body'). */
static struct buf *
mp_request(uint8_t v, uint16_t mp_type, uint32_t xid, size_t body)
{
    size_t hdr = v == OFP10_VERSION ? 4 : 8;
    struct buf *b = new_msg(v, mp_request_type(v), xid, hdr + body);
    uint8_t *p = b->data;

    wr(p + 8, 2, mp_type);
    ofp_finish_msg(b, 0);
    return b;
}

static size_t
mp_hdr(uint8_t v)
{
    return v == OFP10_VERSION ? 12 : 16;
}

static bool
mp_more(const struct buf *m)
{
    return rd((const uint8_t *) m->data + 10, 2) & OFPMPF_MORE;
}

/* Sends a multipart request and calls 'cb' on each reply message until the
 * last. */
static void
mp_dump(struct vconn *vc, struct buf *req,
        void (*cb)(const struct buf *, uint8_t version, void *), void *aux)
{
    uint32_t xid = rd(req->data + 4, 4);
    struct buf *reply = transact(vc, req);
    long long deadline = vs_time_msec() + io_timeout();

    for (;;) {
        cb(reply, ver(vc), aux);
        bool more = mp_more(reply);
        buf_delete(reply);
        if (!more) {
            return;
        }
        for (;;) {
            reply = recv_block(vc, deadline, "a reply");
            if (rd(reply->data + 4, 4) == xid) {
                break;
            }
            buf_delete(reply);
        }
        if (is_error(reply)) {
            print_error(reply);
            exit(1);
        }
    }
}

/* Sends every message of 'msgs' then a BARRIER; prints each ERROR reply
 * (with 'texts[i]' for the message it answers).  Returns the number of
 * errors. */
static int
send_batch(struct vconn *vc, struct buf **msgs, char **texts, size_t n)
{
    uint8_t v = ver(vc);
    uint32_t first = n ? (uint32_t) rd(msgs[0]->data + 4, 4) : 0;
    int errors = 0;

    for (size_t i = 0; i < n; i++) {
        int error = vconn_send(vc, msgs[i]);
        if (error) {
            vs_fatal(1, "%s: send failed (%s)", vconn_name(vc),
                     vs_strerror(error));
        }
    }
    uint32_t bxid = take_xid();
    struct buf *barrier = new_msg(v,
                                  v == OFP10_VERSION ? OFPT10_BARRIER_REQUEST
                                                     : OFPT13_BARRIER_REQUEST,
                                  bxid, 0);
    ofp_finish_msg(barrier, 0);
    vconn_send(vc, barrier);

    long long deadline = vs_time_msec() + io_timeout();
    for (;;) {
        struct buf *m = recv_block(vc, deadline, "the barrier reply");
        uint32_t xid = rd(m->data + 4, 4);

        if (is_error(m)) {
            print_error(m);
            if (texts && xid >= first && xid - first < n
                && texts[xid - first]) {
                fprintf(stderr, "(flow: %s)\n", texts[xid - first]);
            }
            errors++;
        } else if (xid == bxid) {
            buf_delete(m);
            return errors;
        }
        buf_delete(m);
    }
}

/* ---- show, dump-ports-desc. */

struct port_list {
    struct ofp_port_desc *ports;
    size_t n;
};

static void
add_port(struct port_list *pl, const struct ofp_port_desc *pd)
{
    pl->ports = xrealloc(pl->ports, (pl->n + 1) * sizeof *pl->ports);
    pl->ports[pl->n++] = *pd;
}

static int
port_order(const void *a_, const void *b_)
{
    const struct ofp_port_desc *a = a_, *b = b_;

    return a->port_no < b->port_no ? -1 : a->port_no > b->port_no;
}

static void
put_bits(struct ds *s, uint32_t bits, const char *const names[], int n)
{
    bool any = false;

    for (int i = 0; i < n; i++) {
        if (bits & (1u << i)) {
            ds_put_format(s, "%s%s", any ? " " : "",
                          names[i] ? names[i] : "?");
            any = true;
        }
    }
    if (!any) {
        ds_put_char(s, '0');
    }
}

static void
put_features(struct ds *s, const char *what, uint32_t f)
{
    static const char *const names[] = {
        "10MB-HD",  "10MB-FD",  "100MB-HD",   "100MB-FD",
        "1GB-HD",   "1GB-FD",   "10GB-FD",    "40GB-FD",
        "100GB-FD", "1TB-FD",   "OTHER",      "COPPER",
        "FIBER",    "AUTO_NEG", "AUTO_PAUSE", "AUTO_PAUSE_ASYM"};

    if (f) {
        ds_put_format(s, "     %s:", what);
        for (int i = 0; i < 16; i++) {
            if (f & (1u << i)) {
                ds_put_format(s, " %s", names[i]);
            }
        }
        ds_put_char(s, '\n');
    }
}

static uint32_t
features_speed_mbps(uint32_t f)
{
    static const uint32_t mbps[] = {10,   10,    100,   100,    1000,
                                    1000, 10000, 40000, 100000, 1000000};
    uint32_t best = 0;

    for (int i = 0; i < 10; i++) {
        if (f & (1u << i) && mbps[i] > best) {
            best = mbps[i];
        }
    }
    return best;
}

static void
print_ports(struct port_list *pl, uint8_t v)
{
    static const char *const config_names[] = {
        "PORT_DOWN", "NO_STP", "NO_RECV",     "NO_RECV_STP",
        "NO_FLOOD",  "NO_FWD", "NO_PACKET_IN"};
    struct ds s;

    qsort(pl->ports, pl->n, sizeof *pl->ports, port_order);
    ds_init(&s);
    for (size_t i = 0; i < pl->n; i++) {
        const struct ofp_port_desc *pd = &pl->ports[i];
        char pbuf[16], name[17];
        const uint8_t *a = pd->hw_addr;

        memcpy(name, pd->name, 16);
        name[16] = '\0';
        ds_put_format(&s,
                      " %s(%s): addr:%02x:%02x:%02x:%02x:%02x:%02x\n"
                      "     config:     ",
                      ofp_port_to_string(pd->port_no, pbuf), name, a[0], a[1],
                      a[2], a[3], a[4], a[5]);
        put_bits(&s, pd->config, config_names, 7);
        ds_put_cstr(&s, "\n     state:      ");
        if (v == OFP10_VERSION) {
            uint32_t st = pd->state;
            static const char *const stp[] = {"STP_LISTEN", "STP_LEARN",
                                              "STP_FORWARD", "STP_BLOCK"};
            if (st & OFPPS_LINK_DOWN) {
                ds_put_cstr(&s, "LINK_DOWN");
                if ((st >> 8) & 3) {
                    ds_put_format(&s, " %s", stp[(st >> 8) & 3]);
                }
            } else if ((st >> 8) & 3) {
                ds_put_cstr(&s, stp[(st >> 8) & 3]);
            } else {
                ds_put_char(&s, '0');
            }
        } else {
            static const char *const st13[] = {"LINK_DOWN", "BLOCKED", "LIVE"};
            put_bits(&s, pd->state, st13, 3);
        }
        ds_put_char(&s, '\n');
        put_features(&s, "current", pd->curr);
        put_features(&s, "advertised", pd->advertised);
        put_features(&s, "supported", pd->supported);
        put_features(&s, "peer", pd->peer);
        uint32_t now, max;
        if (v == OFP10_VERSION) {
            now = features_speed_mbps(pd->curr);
            max = features_speed_mbps(pd->supported);
        } else {
            now = pd->curr_speed / 1000;
            max = pd->max_speed / 1000;
        }
        ds_put_format(
            &s, "     speed: %" PRIu32 " Mbps now, %" PRIu32 " Mbps max\n",
            now, max);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(pl->ports);
    pl->ports = NULL;
    pl->n = 0;
}

static void
collect_port_desc(const struct buf *m, uint8_t v, void *pl_)
{
    size_t step = v == OFP10_VERSION ? OFP10_PORT_SIZE : OFP13_PORT_SIZE;
    const uint8_t *p = (const uint8_t *) m->data + mp_hdr(v);
    size_t left = m->size - mp_hdr(v);
    struct port_list *pl = pl_;

    for (; left >= step; p += step, left -= step) {
        struct ofp_port_desc pd;

        if (!ofp_port_desc_decode(p, step, v, &pd)) {
            add_port(pl, &pd);
        }
    }
}

static void
print_port_desc_header(const struct buf *m, uint8_t v, void *pl)
{
    struct ds s;

    ds_init(&s);
    put_header(&s, "OFPST_PORT_DESC reply", v, (uint32_t) rd(m->data + 4, 4));
    puts(ds_cstr(&s));
    ds_destroy(&s);
    collect_port_desc(m, v, pl);
}

static void
cmd_show(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    (void) argv;
    uint8_t v = ver(vc);
    struct buf *req = new_msg(v, OFPT_FEATURES_REQUEST, take_xid(), 0);
    ofp_finish_msg(req, 0);
    struct buf *r = transact(vc, req);
    const uint8_t *p = r->data;
    struct port_list pl = {NULL, 0};
    struct ds s;

    if (r->size < 32) {
        vs_fatal(1, "short FEATURES_REPLY");
    }
    ds_init(&s);
    put_header(&s, "OFPT_FEATURES_REPLY", v, (uint32_t) rd(p + 4, 4));
    ds_put_format(&s, " dpid:%016" PRIx64 "\n", rd(p + 8, 8));
    ds_put_format(&s, "n_tables:%u, n_buffers:%" PRIu64 "\n", p[20],
                  rd(p + 16, 4));
    uint32_t caps = rd(p + 24, 4);
    ds_put_cstr(&s, "capabilities:");
    static const char *const capn[] = {
        "FLOW_STATS", "TABLE_STATS", "PORT_STATS",   "GROUP_STATS", "STP",
        "IP_REASM",   "QUEUE_STATS", "ARP_MATCH_IP", "PORT_BLOCKED"};
    for (int i = 0; i < 9; i++) {
        if (caps & (1u << i)) {
            ds_put_format(&s, " %s", capn[i]);
        }
    }
    ds_put_char(&s, '\n');
    if (v == OFP10_VERSION) {
        static const char *const actn[] = {
            "output",     "set_vlan_vid", "set_vlan_pcp", "strip_vlan",
            "mod_dl_src", "mod_dl_dst",   "mod_nw_src",   "mod_nw_dst",
            "mod_nw_tos", "mod_tp_src",   "mod_tp_dst",   "enqueue"};
        static const int order[] = {0, 11, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        uint32_t acts = rd(p + 28, 4);
        if (acts) {
            ds_put_cstr(&s, "actions:");
            for (int i = 0; i < 12; i++) {
                if (acts & (1u << order[i])) {
                    ds_put_format(&s, " %s", actn[order[i]]);
                }
            }
            ds_put_char(&s, '\n');
        }
        fputs(ds_cstr(&s), stdout);
        for (size_t off = 32; off + OFP10_PORT_SIZE <= r->size;
             off += OFP10_PORT_SIZE) {
            struct ofp_port_desc pd;
            if (!ofp_port_desc_decode(p + off, OFP10_PORT_SIZE, v, &pd)) {
                add_port(&pl, &pd);
            }
        }
        print_ports(&pl, v);
    } else {
        fputs(ds_cstr(&s), stdout);
        mp_dump(vc, mp_request(v, OFPMP_PORT_DESC, take_xid(), 0),
                print_port_desc_header, &pl);
        print_ports(&pl, v);
        take_xid(); /* ovs-ofctl's second connection's HELLO. */
    }
    buf_delete(r);
    ds_destroy(&s);

    if (v == OFP10_VERSION) {
        take_xid();
    }
    req = new_msg(v, OFPT_GET_CONFIG_REQUEST, take_xid(), 0);
    ofp_finish_msg(req, 0);
    r = transact(vc, req);
    p = r->data;
    if (r->size >= 12) {
        static const char *const frags[] = {"normal", "drop", "reassemble",
                                            "nx-match"};
        ds_init(&s);
        put_header(&s, "OFPT_GET_CONFIG_REPLY", v, (uint32_t) rd(p + 4, 4));
        ds_put_format(&s, " frags=%s miss_send_len=%" PRIu64,
                      frags[rd(p + 8, 2) & 3], rd(p + 10, 2));
        puts(ds_cstr(&s));
        ds_destroy(&s);
    }
    buf_delete(r);
}

static void
cmd_dump_ports_desc(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    (void) argv;
    struct port_list pl = {NULL, 0};

    mp_dump(vc, mp_request(ver(vc), OFPMP_PORT_DESC, take_xid(), 0),
            print_port_desc_header, &pl);
    print_ports(&pl, ver(vc));
}

/* ---- dump-desc. */

static void
print_desc(const struct buf *m, uint8_t v, void *aux)
{
    (void) aux;
    const char *p = (const char *) m->data + mp_hdr(v);
    struct ds s;

    if (m->size < mp_hdr(v) + 1056) {
        vs_fatal(1, "short DESC reply");
    }
    ds_init(&s);
    put_header(&s, "OFPST_DESC reply", v, (uint32_t) rd(m->data + 4, 4));
    ds_put_format(&s,
                  "\nManufacturer: %.256s\nHardware: %.256s\n"
                  "Software: %.256s\nSerial Num: %.32s\n"
                  "DP Description: %.256s\n",
                  p, p + 256, p + 512, p + 768, p + 800);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
}

static void
cmd_dump_desc(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    (void) argv;
    mp_dump(vc, mp_request(ver(vc), OFPMP_DESC, take_xid(), 0), print_desc,
            NULL);
}

/* ---- dump-tables. */

struct table_entry {
    uint8_t id;
    char name[33];
    uint32_t wildcards, max_entries, active;
    uint64_t lookup, matched;
};

struct table_list {
    struct table_entry *t;
    size_t n;
    uint32_t xid;
};

static void
collect_tables(const struct buf *m, uint8_t v, void *tl_)
{
    struct table_list *tl = tl_;
    size_t step = v == OFP10_VERSION ? 64 : 24;
    const uint8_t *p = (const uint8_t *) m->data + mp_hdr(v);
    size_t left = m->size - mp_hdr(v);

    tl->xid = rd(m->data + 4, 4);
    for (; left >= step; p += step, left -= step) {
        struct table_entry e;

        memset(&e, 0, sizeof e);
        e.id = p[0];
        if (v == OFP10_VERSION) {
            memcpy(e.name, p + 4, 32);
            e.wildcards = rd(p + 36, 4);
            e.max_entries = rd(p + 40, 4);
            e.active = rd(p + 44, 4);
            e.lookup = rd(p + 48, 8);
            e.matched = rd(p + 56, 8);
        } else {
            e.active = rd(p + 4, 4);
            e.lookup = rd(p + 8, 8);
            e.matched = rd(p + 16, 8);
        }
        tl->t = xrealloc(tl->t, (tl->n + 1) * sizeof *tl->t);
        tl->t[tl->n++] = e;
    }
}

static void
put_table_head(struct ds *s, const struct table_entry *e)
{
    ds_put_format(s, "  table %u", e->id);
    if (e->name[0]) {
        ds_put_format(s, " (\"%s\")", e->name);
    }
    ds_put_char(s, ':');
}

static void
cmd_dump_tables(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    (void) argv;
    uint8_t v = ver(vc);
    struct table_list tl = {NULL, 0, 0};
    struct ds s;

    mp_dump(vc, mp_request(v, OFPMP_TABLE, take_xid(), 0), collect_tables,
            &tl);
    ds_init(&s);
    put_header(&s, "OFPST_TABLE reply", v, tl.xid);
    ds_put_char(&s, '\n');
    for (size_t i = 0; i < tl.n; i++) {
        const struct table_entry *e = &tl.t[i],
                                 *prev = i ? &tl.t[i - 1] : NULL;
        bool same_stats = prev && prev->active == e->active
                          && prev->lookup == e->lookup
                          && prev->matched == e->matched;
        bool same_features = prev && prev->wildcards == e->wildcards
                             && prev->max_entries == e->max_entries;

        if (same_stats && same_features) {
            /* A run of tables like the one before: "ditto", runs of
             * nameless tables collapsed into one line. */
            size_t j = i;
            if (!e->name[0]) {
                while (j + 1 < tl.n && !tl.t[j + 1].name[0]
                       && tl.t[j + 1].active == e->active
                       && tl.t[j + 1].lookup == e->lookup
                       && tl.t[j + 1].matched == e->matched
                       && tl.t[j + 1].wildcards == e->wildcards
                       && tl.t[j + 1].max_entries == e->max_entries) {
                    j++;
                }
            }
            if (j > i) {
                ds_put_format(&s, "  tables %u...%u: ditto\n", e->id,
                              tl.t[j].id);
                i = j;
            } else {
                put_table_head(&s, e);
                ds_put_cstr(&s, " ditto\n");
            }
            continue;
        }
        put_table_head(&s, e);
        ds_put_format(&s,
                      "\n    active=%" PRIu32 ", lookup=%" PRIu64
                      ", matched=%" PRIu64 "\n",
                      e->active, e->lookup, e->matched);
        if (v == OFP10_VERSION) {
            if (same_features) {
                ds_put_cstr(&s, "    (same features)\n");
            } else {
                ds_put_format(&s, "    max_entries=%" PRIu32 "\n",
                              e->max_entries);
                ds_put_cstr(&s, "    matching:\n");
                if ((e->wildcards & 0x3fffff) == 0x3fffff
                    || (e->wildcards & 0x3820ff) == 0x3820ff) {
                    ds_put_cstr(&s, "      exact match or wildcard: in_port "
                                    "eth_{src,dst,type} vlan_{vid,pcp} "
                                    "ip_{src,dst} nw_{proto,tos} "
                                    "tcp_{src,dst}\n");
                } else {
                    ds_put_format(&s, "      wildcards=0x%" PRIx32 "\n",
                                  e->wildcards);
                }
            }
        }
        ds_put_char(&s, '\n');
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    free(tl.t);
}

/* ---- flows. */

/* Parses 'text' (a flow for 'command') or exits with its error. */
static void
parse_flow(struct ofp_flow_mod *fm, const char *text, int command)
{
    char *err = NULL;

    ofp_flow_mod_init(fm);
    if (ofp_flow_mod_parse(fm, text, command, &err)) {
        fprintf(stderr, "%s: %s\n", vs_program_name(), err ? err : "bad flow");
        exit(1);
    }
}

/* OpenFlow 1.0 cannot select flows by cookie; ovs-ofctl then looks for a
 * Nicira flow format and, with a plain 1.0 switch, gives up. */
static void
check_cookie_10(uint8_t v, uint64_t cookie_mask)
{
    if (v == OFP10_VERSION && cookie_mask) {
        vs_fatal(1, "switch does not support any of the usable flow formats "
                    "(NXM,OXM,OpenFlow11)");
    }
}

static void
stats_request_from(struct ofp_flow_stats_request *r, int argc, char *argv[],
                   bool aggregate)
{
    memset(r, 0, sizeof *r);
    r->aggregate = aggregate;
    r->table_id = OFPTT_ALL;
    r->out_port = OFPP_NONE;
    r->out_group = OFPG_ANY;
    match_init_catchall(&r->match);
    if (argc > 0) {
        struct ofp_flow_mod fm;

        parse_flow(&fm, argv[0], OFPFC_DELETE);
        r->match = fm.match;
        r->table_id = fm.table_id;
        r->out_port = fm.out_port;
        r->out_group = fm.out_group;
        r->cookie = fm.cookie;
        r->cookie_mask = fm.cookie_mask;
        ofp_flow_mod_uninit(&fm);
    }
}

static void
print_flows(const struct buf *m, uint8_t v, void *aux)
{
    (void) aux;
    const uint8_t *p = (const uint8_t *) m->data + mp_hdr(v);
    size_t left = m->size - mp_hdr(v);
    struct ofp_flow_stats fs;
    struct ds s, line;

    ds_init(&s);
    ds_init(&line);
    if (!no_stats) {
        put_header(&s, "OFPST_FLOW reply", v, (uint32_t) rd(m->data + 4, 4));
        ds_put_char(&s, '\n');
    }
    memset(&fs, 0, sizeof fs);
    ofpacts_init(&fs.ofpacts);
    while (left > 0) {
        enum ofperr e = ofp_flow_stats_pull(&p, &left, v, &fs);
        if (e) {
            ds_put_format(&s, " ***parse error: %s***\n", ofperr_name(e));
            break;
        }
        ds_clear(&line);
        ofp_flow_stats_format(&fs, v, &line);
        if (no_stats) {
            /* Drop "duration=..., ", "table=0, " stays?  ovs-ofctl
             * --no-stats drops cookie 0, duration, table 0, n_packets,
             * n_bytes, idle_age and hard_age. */
            const char *t = ds_cstr(&line);
            struct ds o;
            ds_init(&o);
            while (*t) {
                const char *end = strstr(t, ", ");
                const char *sp = strchr(t, ' ');
                size_t len;
                if (!end || (sp && sp < end)) {
                    ds_put_cstr(&o, t);
                    break;
                }
                len = end - t;
                bool drop = (!strncmp(t, "duration=", 9)
                             || !strncmp(t, "n_packets=", 10)
                             || !strncmp(t, "n_bytes=", 8)
                             || !strncmp(t, "idle_age=", 9)
                             || !strncmp(t, "hard_age=", 9)
                             || (len == 10 && !strncmp(t, "cookie=0x0", 10))
                             || (len == 7 && !strncmp(t, "table=0", 7)));
                if (!drop) {
                    ds_put_buffer(&o, t, len);
                    ds_put_cstr(&o, ", ");
                }
                t = end + 2;
            }
            ds_put_format(&s, " %s\n", ds_cstr(&o));
            ds_destroy(&o);
        } else {
            ds_put_format(&s, " %s\n", ds_cstr(&line));
        }
    }
    ofpacts_uninit(&fs.ofpacts);
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
    ds_destroy(&line);
}

static void
cmd_dump_flows(struct vconn *vc, int argc, char *argv[])
{
    struct ofp_flow_stats_request r;
    uint8_t v = ver(vc);
    struct buf *b = buf_new(0, 128);

    stats_request_from(&r, argc, argv, false);
    check_cookie_10(v, r.cookie_mask);
    if (argc > 0) {
        skip_lookup_xids();
    }
    if (v == OFP10_VERSION) {
        next_xid += 2; /* ovs-ofctl's Nicira flow-format attempt. */
    }
    ofp_flow_stats_request_encode(&r, v, take_xid(), b);
    mp_dump(vc, b, print_flows, NULL);
}

static void
cmd_dump_aggregate(struct vconn *vc, int argc, char *argv[])
{
    struct ofp_flow_stats_request r;
    struct ofp_aggregate_stats as;
    uint8_t v = ver(vc);
    struct buf *b = buf_new(0, 128);

    stats_request_from(&r, argc, argv, true);
    check_cookie_10(v, r.cookie_mask);
    if (argc > 0) {
        skip_lookup_xids();
    }
    if (v == OFP10_VERSION) {
        next_xid += 2;
    }
    ofp_flow_stats_request_encode(&r, v, take_xid(), b);
    struct buf *reply = transact(vc, b);
    if (ofp_aggregate_reply_decode(reply->data, reply->size, &as)) {
        vs_fatal(1, "bad AGGREGATE reply");
    }
    struct ds s;
    ds_init(&s);
    put_header(&s, "OFPST_AGGREGATE reply", v,
               (uint32_t) rd(reply->data + 4, 4));
    ds_put_format(&s,
                  " packet_count=%" PRIu64 " byte_count=%" PRIu64
                  " flow_count=%" PRIu32,
                  as.packet_count, as.byte_count, as.flow_count);
    puts(ds_cstr(&s));
    ds_destroy(&s);
    buf_delete(reply);
}

/* Flow-mod commands: each text a FLOW_MOD, one barrier after all. */
static int
flow_mods(struct vconn *vc, char **texts, size_t n, int command,
          bool show_text)
{
    uint8_t v = ver(vc);
    struct buf **msgs = xcalloc(n ? n : 1, sizeof *msgs);

    skip_lookup_xids();

    for (size_t i = 0; i < n; i++) {
        struct ofp_flow_mod fm;
        char *err = NULL;

        ofp_flow_mod_init(&fm);
        if (ofp_flow_mod_parse(&fm, texts[i], command, &err)) {
            fprintf(stderr, "%s: %s\n", vs_program_name(),
                    err ? err : "bad flow");
            exit(1);
        }
        if (command != OFPFC_ADD) {
            check_cookie_10(v, fm.cookie_mask);
        }
        msgs[i] = buf_new(0, 256);
        enum ofperr e = ofp_flow_mod_encode(&fm, v, take_xid(), msgs[i]);
        if (e) {
            fprintf(stderr, "%s: %s: cannot say this in %s (%s)\n",
                    vs_program_name(), texts[i], ofp_version_name(v),
                    ofperr_name(e));
            exit(1);
        }
        ofp_flow_mod_uninit(&fm);
    }
    int errors = send_batch(vc, msgs, show_text ? texts : NULL, n);
    free(msgs);
    return errors ? 1 : 0;
}

static int
read_lines(const char *file, char ***linesp, size_t *np)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
    char *line = NULL;
    size_t cap = 0, n = 0;
    char **lines = NULL;

    if (!f) {
        vs_fatal(1, "%s: open failed (%s)", file, vs_strerror(errno));
    }
    while (getline(&line, &cap, f) >= 0) {
        char *s = line, *e;

        while (*s == ' ' || *s == '\t') {
            s++;
        }
        e = s + strlen(s);
        while (e > s
               && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '
                   || e[-1] == '\t')) {
            *--e = '\0';
        }
        if (!*s || *s == '#') {
            continue;
        }
        lines = xrealloc(lines, (n + 1) * sizeof *lines);
        lines[n++] = xstrdup(s);
    }
    free(line);
    if (f != stdin) {
        fclose(f);
    }
    *linesp = lines;
    *np = n;
    return 0;
}

/* add-flow/mod-flows/del-flows take "FLOW"; add-flows "FILE". */
static int
cmd_add_flow(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    return flow_mods(vc, argv, 1, OFPFC_ADD, false);
}

static int
cmd_add_flows(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    char **lines;
    size_t n;

    read_lines(argv[0], &lines, &n);
    return flow_mods(vc, lines, n, OFPFC_ADD, true);
}

static int
cmd_mod_flows(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    return flow_mods(vc, argv, 1, strict ? OFPFC_MODIFY_STRICT : OFPFC_MODIFY,
                     false);
}

static int
cmd_del_flows(struct vconn *vc, int argc, char *argv[])
{
    char *all = (char *) "";

    return flow_mods(vc, argc ? argv : &all, 1,
                     strict ? OFPFC_DELETE_STRICT : OFPFC_DELETE, false);
}

/* ---- dump-ports. */

static void
put_stat(struct ds *s, const char *name, uint64_t v, bool last)
{
    if (v == UINT64_MAX) {
        ds_put_format(s, "%s=?", name);
    } else {
        ds_put_format(s, "%s=%" PRIu64, name, v);
    }
    ds_put_cstr(s, last ? "\n" : ", ");
}

static void
print_port_stats(const struct buf *m, uint8_t v, void *aux)
{
    (void) aux;
    size_t step = v == OFP10_VERSION ? 104 : 112;
    const uint8_t *p = (const uint8_t *) m->data + mp_hdr(v);
    size_t left = m->size - mp_hdr(v);
    struct ds s;

    ds_init(&s);
    put_header(&s, "OFPST_PORT reply", v, (uint32_t) rd(m->data + 4, 4));
    ds_put_format(&s, " %zu ports\n", left / step);
    for (; left >= step; p += step, left -= step) {
        uint16_t port;
        char pbuf[16];

        if (v == OFP10_VERSION) {
            port = rd(p, 2);
        } else if (ofp_port_from_ofp13((uint32_t) rd(p, 4), &port)) {
            port = OFPP_NONE;
        }
        const uint8_t *c = p + 8;
        ds_put_format(&s, "  port %2s: rx ", ofp_port_to_string(port, pbuf));
        put_stat(&s, "pkts", rd(c, 8), false);
        put_stat(&s, "bytes", rd(c + 16, 8), false);
        put_stat(&s, "drop", rd(c + 32, 8), false);
        put_stat(&s, "errs", rd(c + 48, 8), false);
        put_stat(&s, "frame", rd(c + 64, 8), false);
        put_stat(&s, "over", rd(c + 72, 8), false);
        put_stat(&s, "crc", rd(c + 80, 8), true);
        ds_put_cstr(&s, "           tx ");
        put_stat(&s, "pkts", rd(c + 8, 8), false);
        put_stat(&s, "bytes", rd(c + 24, 8), false);
        put_stat(&s, "drop", rd(c + 40, 8), false);
        put_stat(&s, "errs", rd(c + 56, 8), false);
        put_stat(&s, "coll", rd(c + 88, 8), true);
        if (v != OFP10_VERSION) {
            uint32_t sec = rd(c + 96, 4), nsec = rd(c + 100, 4);
            if (sec != UINT32_MAX) {
                ds_put_format(
                    &s, "           duration=%" PRIu32 ".%03" PRIu32 "s\n",
                    sec, nsec / 1000000);
            }
        }
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
}

static void
cmd_dump_ports(struct vconn *vc, int argc, char *argv[])
{
    uint16_t port = OFPP_NONE;
    struct buf *b = buf_new(0, 64);

    if (argc > 0 && !ofp_port_from_string(argv[0], &port)) {
        vs_fatal(1, "%s: bad port", argv[0]);
    }
    ofp_port_stats_request_encode(ver(vc), port, take_xid(), b);
    mp_dump(vc, b, print_port_stats, NULL);
}

/* ---- groups. */

static void
need13(struct vconn *vc, const char *what)
{
    if (ver(vc) == OFP10_VERSION) {
        vs_fatal(1, "%s needs OpenFlow 1.1 or later (use -O OpenFlow13)",
                 what);
    }
}

static void
print_groups(const struct buf *m, uint8_t v, void *aux)
{
    (void) aux;
    const uint8_t *p = (const uint8_t *) m->data + mp_hdr(v);
    size_t left = m->size - mp_hdr(v);
    struct ds s;

    ds_init(&s);
    put_header(&s, "OFPST_GROUP_DESC reply", v, (uint32_t) rd(m->data + 4, 4));
    ds_put_char(&s, '\n');
    while (left > 0) {
        struct ofp_group_mod_req gm;

        memset(&gm, 0, sizeof gm);
        enum ofperr e = ofp_group_desc_pull(&p, &left, &gm);
        if (e) {
            ds_put_format(&s, " ***parse error: %s***\n", ofperr_name(e));
            break;
        }
        ds_put_char(&s, ' ');
        ofp_group_format(gm.group_id, gm.type, gm.buckets, gm.n_buckets, &s);
        ds_put_char(&s, '\n');
        ofp_group_mod_uninit(&gm);
    }
    fputs(ds_cstr(&s), stdout);
    ds_destroy(&s);
}

static void
cmd_dump_groups(struct vconn *vc, int argc, char *argv[])
{
    uint32_t id = OFPG_ALL;
    struct buf *b = buf_new(0, 64);

    need13(vc, "dump-groups");
    if (argc > 0) {
        long long v;
        if (!vs_str_to_llong(argv[0], 0, UINT32_MAX, &v)) {
            vs_fatal(1, "%s: bad group id", argv[0]);
        }
        id = v;
    }
    /* GROUP_DESC lists every group (its request has no group id). */
    (void) id;
    ofp_group_stats_request_encode(OFPMP_GROUP_DESC, OFPG_ALL, take_xid(), b);
    mp_dump(vc, b, print_groups, NULL);
}

static int
group_mod(struct vconn *vc, const char *text, int command)
{
    struct ofp_group_mod_req gm;
    char *err = NULL;
    char *t = (char *) text;

    need13(vc, "group commands");
    memset(&gm, 0, sizeof gm);
    if (ofp_group_mod_parse(&gm, text, command, &err)) {
        fprintf(stderr, "%s: %s\n", vs_program_name(),
                err ? err : "bad group");
        exit(1);
    }
    struct buf *b = buf_new(0, 256);
    skip_lookup_xids();
    ofp_group_mod_encode(&gm, take_xid(), b);
    ofp_group_mod_uninit(&gm);
    (void) t;
    return send_batch(vc, &b, NULL, 1) ? 1 : 0;
}

static int
cmd_add_group(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    return group_mod(vc, argv[0], OFPGC_ADD);
}

static int
cmd_mod_group(struct vconn *vc, int argc, char *argv[])
{
    (void) argc;
    return group_mod(vc, argv[0], OFPGC_MODIFY);
}

static int
cmd_del_groups(struct vconn *vc, int argc, char *argv[])
{
    return group_mod(vc, argc ? argv[0] : "", OFPGC_DELETE);
}

/* ---- packet-out. */

static void
parse_hex(const char *s, struct buf *b)
{
    for (; *s; s++) {
        unsigned int v;

        if (*s == ' ' || *s == '.' || *s == ':') {
            continue;
        }
        if (!s[1] || sscanf(s, "%2x", &v) != 1) {
            vs_fatal(1, "bad packet hex near \"%s\"", s);
        }
        *(uint8_t *) buf_put_uninit(b, 1) = v;
        s++;
    }
}

static int
cmd_packet_out(struct vconn *vc, int argc, char *argv[])
{
    struct ofp_packet_out po;
    struct buf data;
    char *actions = NULL, *in_port = NULL;
    char *err = NULL;

    buf_init(&data, 0, 1500);
    memset(&po, 0, sizeof po);
    ofpacts_init(&po.ofpacts);
    po.buffer_id = OFP_NO_BUFFER;
    po.in_port = OFPP_CONTROLLER;
    if (argc == 1) {
        /* "in_port=P packet=HEX actions=A" (space or comma separated;
         * actions= last). */
        char *s = xstrdup(argv[0]);
        char *a = strstr(s, "actions=");
        if (!a) {
            vs_fatal(1, "packet-out: missing actions=");
        }
        *a = '\0';
        actions = xstrdup(a + 8);
        for (char *tok = strtok(s, " ,"); tok; tok = strtok(NULL, " ,")) {
            if (!strncmp(tok, "in_port=", 8)) {
                in_port = xstrdup(tok + 8);
            } else if (!strncmp(tok, "packet=", 7)) {
                parse_hex(tok + 7, &data);
            } else {
                vs_fatal(1, "packet-out: unknown field \"%s\"", tok);
            }
        }
        free(s);
    } else if (argc >= 2) {
        in_port = xstrdup(argv[0]);
        actions = xstrdup(argv[1]);
        if (argc >= 3) {
            parse_hex(argv[2], &data);
        }
    } else {
        vs_fatal(1, "packet-out needs \"in_port=P packet=HEX actions=A\"");
    }
    if (in_port && !ofp_port_from_string(in_port, &po.in_port)) {
        vs_fatal(1, "%s: bad in_port", in_port);
    }
    struct match m;
    match_init_catchall(&m);
    if (ofpacts_parse(actions, &m, &po.ofpacts, &err)) {
        fprintf(stderr, "%s: %s\n", vs_program_name(),
                err ? err : "bad actions");
        exit(1);
    }
    po.packet = data.data;
    po.packet_len = data.size;
    struct buf *b = buf_new(0, 256 + data.size);
    skip_lookup_xids();
    enum ofperr e = ofp_packet_out_encode(&po, ver(vc), take_xid(), b);
    if (e) {
        vs_fatal(1, "packet-out: %s", ofperr_name(e));
    }
    int rc = send_batch(vc, &b, NULL, 1) ? 1 : 0;
    ofpacts_uninit(&po.ofpacts);
    buf_uninit(&data);
    free(actions);
    free(in_port);
    return rc;
}

/* ---- monitor. */

static void
print_async(const struct buf *m, uint8_t v)
{
    enum ofptype t;
    const uint8_t *p = m->data;
    struct ds s;

    if (ofp_decode_type(m->data, m->size, &t)) {
        return;
    }
    ds_init(&s);
    switch (t) {
    case OFPTYPE_PACKET_IN: {
        struct ofp_packet_in pin;
        char pbuf[16];
        static const char *const why[] = {"no_match", "action", "invalid_ttl"};
        if (ofp_packet_in_decode(m->data, m->size, &pin)) {
            break;
        }
        put_header(&s, "OFPT_PACKET_IN", v, (uint32_t) rd(p + 4, 4));
        ds_put_format(&s, " total_len=%u in_port=%s (via %s) data_len=%zu",
                      pin.total_len, ofp_port_to_string(pin.in_port, pbuf),
                      pin.reason < 3 ? why[pin.reason] : "?", pin.packet_len);
        if (pin.buffer_id == OFP_NO_BUFFER) {
            ds_put_cstr(&s, " (unbuffered)\n");
        } else {
            ds_put_format(&s, " buffer=0x%08" PRIx32 "\n", pin.buffer_id);
        }
        put_hex_dump(&s, pin.packet, pin.packet_len);
        break;
    }
    case OFPTYPE_FLOW_REMOVED: {
        struct ofp_flow_removed fr;
        static const char *const why[] = {"idle", "hard", "delete",
                                          "group_delete"};
        if (ofp_flow_removed_decode(m->data, m->size, &fr)) {
            break;
        }
        put_header(&s, "OFPT_FLOW_REMOVED", v, (uint32_t) rd(p + 4, 4));
        ds_put_format(&s,
                      " priority=%u reason=%s table_id=%u cookie:0x%" PRIx64
                      " duration%" PRIu32 ".%03" PRIu32 "s pkts%" PRIu64
                      " bytes%" PRIu64 "\n",
                      fr.priority, fr.reason < 4 ? why[fr.reason] : "?",
                      fr.table_id, fr.cookie, fr.duration_sec,
                      fr.duration_nsec / 1000000, fr.packet_count,
                      fr.byte_count);
        break;
    }
    case OFPTYPE_PORT_STATUS: {
        static const char *const why[] = {"ADD", "DELETE", "MODIFY"};
        size_t psize = v == OFP10_VERSION ? OFP10_PORT_SIZE : OFP13_PORT_SIZE;
        struct ofp_port_desc pd;
        put_header(&s, "OFPT_PORT_STATUS", v, (uint32_t) rd(p + 4, 4));
        ds_put_format(&s, " %s:", p[8] < 3 ? why[p[8]] : "?");
        fputs(ds_cstr(&s), stdout);
        ds_clear(&s);
        if (m->size >= 16 + psize
            && !ofp_port_desc_decode(p + 16, psize, v, &pd)) {
            struct port_list pl = {NULL, 0};
            add_port(&pl, &pd);
            print_ports(&pl, v);
        } else {
            putchar('\n');
        }
        break;
    }
    default:
        put_header(&s, "OFPT_", v, (uint32_t) rd(p + 4, 4));
        ds_clear(&s);
        ds_put_format(&s, "%s", ofptype_name(t));
        put_header(&s, "", v, (uint32_t) rd(p + 4, 4));
        ds_put_char(&s, '\n');
        break;
    }
    fputs(ds_cstr(&s), stdout);
    fflush(stdout);
    ds_destroy(&s);
}

static int
cmd_monitor(struct vconn *vc, int argc, char *argv[])
{
    uint8_t v = ver(vc);
    long long deadline = timeout_ms > 0 ? vs_time_msec() + timeout_ms : -1;
    long long count = 0;

    if (argc > 0) {
        long long miss;
        if (!vs_str_to_llong(argv[0], 0, 65535, &miss)) {
            vs_fatal(1, "%s: bad miss_send_len", argv[0]);
        }
        struct buf *b = new_msg(v, OFPT_SET_CONFIG, take_xid(), 4);
        wr((uint8_t *) b->data + 10, 2, miss);
        ofp_finish_msg(b, 0);
        vconn_send(vc, b);
    }
    if (v != OFP10_VERSION) {
        /* A table-miss goes nowhere in 1.3 unless a flow says so; nothing
         * to configure here. */
    }
    send_batch(vc, NULL, NULL, 0);
    while (max_msgs < 0 || count < max_msgs) {
        struct buf *m;
        int error = vconn_run(vc);

        if (!error) {
            error = vconn_recv(vc, &m);
        }
        if (!error) {
            uint8_t type = ((uint8_t *) m->data)[1];
            if (type == OFPT_PACKET_IN || type == OFPT_FLOW_REMOVED
                || type == OFPT_PORT_STATUS || type == OFPT_ERROR) {
                if (type == OFPT_ERROR) {
                    print_error(m);
                } else {
                    print_async(m, v);
                }
                count++;
            }
            buf_delete(m);
            continue;
        }
        if (error == EOF) {
            return 0;
        }
        if (error != EAGAIN) {
            vs_fatal(1, "%s: receive failed (%s)", vconn_name(vc),
                     vs_strerror(error));
        }
        if (deadline >= 0 && vs_time_msec() >= deadline) {
            return 0;
        }
        wait_vconn(vc, deadline);
    }
    return 0;
}

/* ---- commands. */

struct command {
    const char *name;
    int min_args, max_args; /* After TARGET. */
    int (*run)(struct vconn *, int argc, char *argv[]);
    void (*run_void)(struct vconn *, int argc, char *argv[]);
};

static const struct command commands[] = {
    {"show", 0, 0, NULL, cmd_show},
    {"dump-desc", 0, 0, NULL, cmd_dump_desc},
    {"dump-tables", 0, 0, NULL, cmd_dump_tables},
    {"dump-flows", 0, 1, NULL, cmd_dump_flows},
    {"dump-aggregate", 0, 1, NULL, cmd_dump_aggregate},
    {"add-flow", 1, 1, cmd_add_flow, NULL},
    {"add-flows", 1, 1, cmd_add_flows, NULL},
    {"mod-flows", 1, 1, cmd_mod_flows, NULL},
    {"del-flows", 0, 1, cmd_del_flows, NULL},
    {"dump-ports", 0, 1, NULL, cmd_dump_ports},
    {"dump-ports-desc", 0, 0, NULL, cmd_dump_ports_desc},
    {"dump-groups", 0, 1, NULL, cmd_dump_groups},
    {"add-group", 1, 1, cmd_add_group, NULL},
    {"mod-group", 1, 1, cmd_mod_group, NULL},
    {"del-groups", 0, 1, cmd_del_groups, NULL},
    {"packet-out", 1, 3, cmd_packet_out, NULL},
    {"monitor", 0, 1, cmd_monitor, NULL},
};

static void
usage(void)
{
    printf("%s: OpenFlow switch management utility\n"
           "usage: %s [OPTIONS] COMMAND TARGET [ARG...]\n\n"
           "Commands:\n"
           "  show | dump-desc | dump-tables | dump-ports-desc TARGET\n"
           "  dump-flows | dump-aggregate TARGET [FLOW]\n"
           "  add-flow | mod-flows TARGET FLOW;  del-flows TARGET [FLOW]\n"
           "  add-flows TARGET FILE (- for stdin)\n"
           "  dump-ports TARGET [PORT]\n"
           "  dump-groups TARGET;  add-group | mod-group TARGET GROUP;"
           "  del-groups TARGET [GROUP]\n"
           "  packet-out TARGET \"in_port=P packet=HEX actions=A\"\n"
           "  monitor TARGET [MISS_LEN]  (bounded by --timeout or --count)\n"
           "\nTARGET: BRIDGE (RUNDIR/BRIDGE.mgmt, RUNDIR from "
           "$VSWITCH_RUNDIR or /run/vswitch),\n"
           "        unix:PATH, tcp:IP[:PORT] (port %d by default)\n"
           "\nOptions:\n"
           "  -O, --protocols=OpenFlow10|OpenFlow13[,...]\n"
           "  --strict            mod-flows/del-flows: exact match and "
           "priority\n"
           "  --no-stats          dump-flows: leave out the counters\n"
           "  --names, --no-names accepted (ports print as numbers)\n"
           "  -t, --timeout=SECS  give up after SECS seconds\n"
           "  --count=N           monitor: stop after N messages\n"
           "  -h, --help  -V, --version\n",
           vs_program_name(), vs_program_name(), OFP_TCP_PORT);
}

static void
parse_protocols(const char *arg)
{
    char *copy = xstrdup(arg), *save = NULL;

    versions = 0;
    for (char *t = strtok_r(copy, ",", &save); t;
         t = strtok_r(NULL, ",", &save)) {
        uint8_t v = ofp_version_from_name(t);
        if (!v || !ofp_version_is_supported(v)) {
            usage_error("%s: unknown or unsupported OpenFlow version "
                        "(use OpenFlow10 or OpenFlow13)",
                        t);
        }
        versions |= OFP_VERSION_BIT(v);
    }
    free(copy);
    if (!versions) {
        usage_error("-O %s: no version", arg);
    }
}

int
main(int argc, char *argv[])
{
    enum {
        OPT_STRICT = 256,
        OPT_NAMES,
        OPT_NO_NAMES,
        OPT_NO_STATS,
        OPT_COUNT
    };
    static const struct option long_options[] = {
        {"protocols", required_argument, NULL, 'O'},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"names", no_argument, NULL, OPT_NAMES},
        {"no-names", no_argument, NULL, OPT_NO_NAMES},
        {"no-stats", no_argument, NULL, OPT_NO_STATS},
        {"timeout", required_argument, NULL, 't'},
        {"count", required_argument, NULL, OPT_COUNT},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    long long n;
    int c;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "O:t:hV", long_options, NULL)) != -1) {
        switch (c) {
        case 'O':
            parse_protocols(optarg);
            break;
        case OPT_STRICT:
            strict = true;
            break;
        case OPT_NAMES:
            use_names = true;
            break;
        case OPT_NO_NAMES:
            use_names = false;
            break;
        case OPT_NO_STATS:
            no_stats = true;
            break;
        case 't':
            if (!vs_str_to_llong(optarg, 1, 86400, &n)) {
                usage_error("--timeout: \"%s\" is not a number of seconds",
                            optarg);
            }
            timeout_ms = (int) (n * 1000);
            break;
        case OPT_COUNT:
            if (!vs_str_to_llong(optarg, 0, 1LL << 40, &max_msgs)) {
                usage_error("--count: \"%s\" is not a number", optarg);
            }
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);
            return 0;
        case '?':
            if (optopt) {
                fprintf(stderr,
                        "%s: option '-%c' is unknown or needs an argument "
                        "(use --help for help)\n",
                        vs_program_name(), optopt);
            } else {
                usage_error("unknown option '%s' (use --help for help)",
                            argv[optind - 1]);
            }
            return 1;
        default:
            usage_error("%s", "bad option");
        }
    }
    argc -= optind;
    argv += optind;
    if (argc < 1) {
        usage_error("%s", "missing command name; use --help for help");
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (!strcmp(argv[0], commands[i].name)) {
            cmd = &commands[i];
        }
    }
    if (!cmd) {
        usage_error("unknown command '%s'; use --help for help", argv[0]);
    }
    if (argc < 2) {
        usage_error("'%s' command requires at least 1 arguments", cmd->name);
    }
    if (argc - 2 < cmd->min_args) {
        fprintf(stderr, "%s: '%s' command requires at least %d arguments\n",
                vs_program_name(), cmd->name, cmd->min_args + 1);
        return 1;
    }
    if (argc - 2 > cmd->max_args) {
        fprintf(stderr, "%s: '%s' command takes at most %d arguments\n",
                vs_program_name(), cmd->name, cmd->max_args + 1);
        return 1;
    }
    target_arg = argv[1];
    /* Parse flow text before connecting, as ovs-ofctl does, so that bad
     * input fails fast even with no switch. */
    if (!strcmp(cmd->name, "add-flow") || !strcmp(cmd->name, "mod-flows")) {
        struct ofp_flow_mod fm;
        parse_flow(&fm, argv[2],
                   !strcmp(cmd->name, "add-flow") ? OFPFC_ADD : OFPFC_MODIFY);
        ofp_flow_mod_uninit(&fm);
    }
    struct vconn *vc = open_target();
    next_xid = 2; /* Our HELLO is the first transaction, as ovs-ofctl's. */
    int rc = 0;
    if (cmd->run) {
        rc = cmd->run(vc, argc - 2, argv + 2);
    } else {
        cmd->run_void(vc, argc - 2, argv + 2);
    }
    vconn_close(vc);
    return rc;
}
