/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tunnel: VXLAN options, a bridge's table of tunnel ports and its receive
 * demultiplexer, and the egress route lookup (see tunnel.h).
 */
#include "tunnel.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <inttypes.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "vswitch/util.h"

/* ---- Options. */

bool
tnl_type_is_tunnel(const char *type)
{
    return !strcmp(type, "vxlan");
}

/* Parses 's' as an unsigned number (decimal, or hex with 0x) no larger
 * than 'max'. */
static bool
parse_uint(const char *s, unsigned long long max, unsigned long long *vp)
{
    char *end;

    if (!*s || *s == '-' || *s == '+' || *s == ' ') {
        return false;
    }
    errno = 0;
    *vp = strtoull(s, &end, 0);
    return !errno && !*end && *vp <= max;
}

static bool
parse_ip(const char *s, vs_be32 *ip)
{
    struct in_addr a;

    if (inet_pton(AF_INET, s, &a) != 1) {
        return false;
    }
    *ip = a.s_addr;
    return true;
}

static bool
is_unicast(vs_be32 ip)
{
    uint32_t h = ntohl(ip);

    return h && h != UINT32_MAX && (h >> 28) != 0xe;
}

/* Parses 's' as a unicast IPv6 address into '*ip6'. */
static bool
parse_ip6(const char *s, struct in6_addr *ip6)
{
    if (!strchr(s, ':') || inet_pton(AF_INET6, s, ip6) != 1) {
        return false;
    }
    return !IN6_IS_ADDR_UNSPECIFIED(ip6) && !IN6_IS_ADDR_MULTICAST(ip6)
           && !IN6_IS_ADDR_V4MAPPED(ip6);
}

/* Parses the remote_ip or local_ip value 's' into '*ip' or '*ip6', and
 * '*flow'.  '*family' becomes AF_INET, AF_INET6 or 0 (flow). */
static bool
parse_tnl_ip(const char *s, vs_be32 *ip, struct in6_addr *ip6, bool *flow,
             int *family)
{
    *flow = !strcmp(s, "flow");
    *family = 0;
    if (*flow) {
        return true;
    }
    if (parse_ip(s, ip) && is_unicast(*ip)) {
        *family = AF_INET;
        return true;
    }
    *ip = 0;
    if (parse_ip6(s, ip6)) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static bool
parse_key(const char *s, uint32_t *key, bool *flow)
{
    unsigned long long v;

    *flow = !strcmp(s, "flow");
    if (*flow) {
        *key = 0;
        return true;
    }
    if (!parse_uint(s, TNL_MAX_KEY, &v)) {
        return false;
    }
    *key = (uint32_t) v;
    return true;
}

static bool
parse_bool(const char *s, bool *b)
{
    if (!strcmp(s, "true")) {
        *b = true;
    } else if (!strcmp(s, "false")) {
        *b = false;
    } else {
        return false;
    }
    return true;
}

bool
tnl_cfg_parse(const char *type, const char *const *keys,
              const char *const *values, size_t n, struct tnl_cfg *cfg,
              char **errorp)
{
    const char *key = NULL, *in_key = NULL, *out_key = NULL;
    int remote_family = 0, local_family = 0;
    bool has_remote = false;
    unsigned long long v;

    *errorp = NULL;
    memset(cfg, 0, sizeof *cfg);
    cfg->dst_port = TNL_VXLAN_DST_PORT;
    cfg->ttl = TNL_DEFAULT_TTL;
    cfg->df = true;
    if (!tnl_type_is_tunnel(type)) {
        *errorp = xasprintf("%s is not a tunnel type", type);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const char *k = keys[i], *val = values[i];

        if (!strcmp(k, "remote_ip")) {
            has_remote = true;
            if (!parse_tnl_ip(val, &cfg->remote_ip, &cfg->remote_ip6,
                              &cfg->remote_flow, &remote_family)) {
                *errorp = xasprintf("%s: bad remote_ip \"%s\" (a unicast "
                                    "IPv4 or IPv6 address or \"flow\")",
                                    type, val);
                return false;
            }
        } else if (!strcmp(k, "local_ip")) {
            if (!parse_tnl_ip(val, &cfg->local_ip, &cfg->local_ip6,
                              &cfg->local_flow, &local_family)) {
                *errorp = xasprintf("%s: bad local_ip \"%s\" (a unicast "
                                    "IPv4 or IPv6 address or \"flow\")",
                                    type, val);
                return false;
            }
        } else if (!strcmp(k, "key")) {
            key = val;
        } else if (!strcmp(k, "in_key")) {
            in_key = val;
        } else if (!strcmp(k, "out_key")) {
            out_key = val;
        } else if (!strcmp(k, "dst_port")) {
            if (!parse_uint(val, 65535, &v) || !v) {
                *errorp =
                    xasprintf("%s: bad dst_port \"%s\" (1-65535)", type, val);
                return false;
            }
            cfg->dst_port = (uint16_t) v;
        } else if (!strcmp(k, "tos")) {
            cfg->tos_inherit = !strcmp(val, "inherit");
            if (!cfg->tos_inherit) {
                if (!parse_uint(val, 255, &v)) {
                    *errorp = xasprintf("%s: bad tos \"%s\" (0-255 or "
                                        "\"inherit\")",
                                        type, val);
                    return false;
                }
                cfg->tos = (uint8_t) v;
            }
        } else if (!strcmp(k, "ttl")) {
            cfg->ttl_inherit = !strcmp(val, "inherit");
            if (!cfg->ttl_inherit) {
                if (!parse_uint(val, 255, &v) || !v) {
                    *errorp = xasprintf("%s: bad ttl \"%s\" (1-255 or "
                                        "\"inherit\")",
                                        type, val);
                    return false;
                }
                cfg->ttl = (uint8_t) v;
            }
        } else if (!strcmp(k, "df_default")) {
            if (!parse_bool(val, &cfg->df)) {
                *errorp = xasprintf("%s: bad df_default \"%s\" (true or "
                                    "false)",
                                    type, val);
                return false;
            }
        } else if (!strcmp(k, "csum")) {
            if (!parse_bool(val, &cfg->csum)) {
                *errorp = xasprintf("%s: bad csum \"%s\" (true or false)",
                                    type, val);
                return false;
            }
        } else {
            *errorp = xasprintf("%s: unknown option \"%s\"", type, k);
            return false;
        }
    }
    if (!has_remote) {
        *errorp = xasprintf("%s: options:remote_ip is required", type);
        return false;
    }
    if (remote_family && local_family && remote_family != local_family) {
        *errorp = xasprintf("%s: remote_ip and local_ip are of different "
                            "address families",
                            type);
        return false;
    }
    cfg->ipv6 = remote_family == AF_INET6 || local_family == AF_INET6;
    /* key sets both directions; in_key/out_key override it. */
    {
        const char *names[2] = {"in_key", "out_key"};
        const char *vals[2] = {in_key ? in_key : key, out_key ? out_key : key};
        uint32_t *keyp[2] = {&cfg->in_key, &cfg->out_key};
        bool *flowp[2] = {&cfg->in_key_flow, &cfg->out_key_flow};

        for (int i = 0; i < 2; i++) {
            if (vals[i] && !parse_key(vals[i], keyp[i], flowp[i])) {
                const char *name = vals[i] == key ? "key" : names[i];

                *errorp = xasprintf("%s: bad %s \"%s\" (a VNI, 0-%d, or "
                                    "\"flow\")",
                                    type, name, vals[i], TNL_MAX_KEY);
                return false;
            }
        }
    }
    return true;
}

bool
tnl_cfg_same_receive(const struct tnl_cfg *a, const struct tnl_cfg *b)
{
    return a->dst_port == b->dst_port && a->remote_flow == b->remote_flow
           && a->remote_ip == b->remote_ip && a->local_flow == b->local_flow
           && a->local_ip == b->local_ip && a->ipv6 == b->ipv6
           && IN6_ARE_ADDR_EQUAL(&a->remote_ip6, &b->remote_ip6)
           && IN6_ARE_ADDR_EQUAL(&a->local_ip6, &b->local_ip6)
           && a->in_key_flow == b->in_key_flow && a->in_key == b->in_key;
}

void
tnl_dp_port_name(const char *type, uint16_t dst_port, char *name, size_t size)
{
    snprintf(name, size, "%s_sys_%u", type, dst_port);
}

/* ---- Tables and the demultiplexer. */

static int
compare_ofp(const void *a_, const void *b_)
{
    const struct tnl_port *a = a_, *b = b_;

    return a->ofp_port < b->ofp_port ? -1 : a->ofp_port > b->ofp_port;
}

struct tnl_table *
tnl_table_create(const struct tnl_port *ports, size_t n)
{
    struct tnl_table *t;

    if (!n) {
        return NULL;
    }
    t = xzalloc(sizeof *t);
    t->ports = xmemdup(ports, n * sizeof *ports);
    t->n_ports = n;
    qsort(t->ports, n, sizeof *t->ports, compare_ofp);
    return t;
}

struct tnl_table *
tnl_table_clone(const struct tnl_table *t)
{
    return t ? tnl_table_create(t->ports, t->n_ports) : NULL;
}

void
tnl_table_destroy(struct tnl_table *t)
{
    if (t) {
        free(t->ports);
        free(t);
    }
}

static bool
port_equal(const struct tnl_port *a, const struct tnl_port *b)
{
    const struct tnl_cfg *x = &a->cfg, *y = &b->cfg;

    return a->ofp_port == b->ofp_port && a->dp_port == b->dp_port
           && !strcmp(a->name, b->name) && tnl_cfg_same_receive(x, y)
           && x->out_key == y->out_key && x->out_key_flow == y->out_key_flow
           && x->tos == y->tos && x->tos_inherit == y->tos_inherit
           && x->ttl == y->ttl && x->ttl_inherit == y->ttl_inherit
           && x->df == y->df && x->csum == y->csum;
}

bool
tnl_table_equal(const struct tnl_table *a, const struct tnl_table *b)
{
    size_t na = a ? a->n_ports : 0, nb = b ? b->n_ports : 0;

    if (na != nb) {
        return false;
    }
    for (size_t i = 0; i < na; i++) {
        if (!port_equal(&a->ports[i], &b->ports[i])) {
            return false;
        }
    }
    return true;
}

const struct tnl_port *
tnl_table_find(const struct tnl_table *t, uint16_t ofp_port)
{
    size_t lo = 0, hi = t ? t->n_ports : 0;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint16_t p = t->ports[mid].ofp_port;

        if (p == ofp_port) {
            return &t->ports[mid];
        } else if (p < ofp_port) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

bool
tnl_table_has_dp_port(const struct tnl_table *t, uint32_t dp_port)
{
    for (size_t i = 0; t && i < t->n_ports; i++) {
        if (t->ports[i].dp_port == dp_port) {
            return true;
        }
    }
    return false;
}

static bool
tnl_ipv6_is_zero(const struct in6_addr *a)
{
    return IN6_IS_ADDR_UNSPECIFIED(a);
}

const struct tnl_port *
tnl_table_demux(const struct tnl_table *t, uint32_t dp_port,
                const struct flow_tnl *tnl, struct flow_tnl *wc)
{
    const struct tnl_port *best = NULL;
    int best_rank = -1;

    for (size_t i = 0; t && i < t->n_ports; i++) {
        const struct tnl_port *p = &t->ports[i];
        const struct tnl_cfg *c = &p->cfg;
        int rank = 0;

        if (p->dp_port != dp_port) {
            continue;
        }
        /* Whatever a candidate compares is read, whether or not it wins:
         * a packet differing there could choose another port. */
        if (!c->remote_flow) {
            if (c->ipv6) {
                if (wc) {
                    memset(&wc->ipv6_src, 0xff, sizeof wc->ipv6_src);
                }
                if (!IN6_ARE_ADDR_EQUAL(&tnl->ipv6_src, &c->remote_ip6)) {
                    continue;
                }
            } else {
                if (wc) {
                    wc->ip_src = UINT32_MAX;
                }
                if (tnl->ip_src != c->remote_ip) {
                    continue;
                }
            }
            rank += 4;
        } else if (!tnl->ip_src && tnl_ipv6_is_zero(&tnl->ipv6_src)) {
            if (wc) {
                wc->ip_src = UINT32_MAX;
                memset(&wc->ipv6_src, 0xff, sizeof wc->ipv6_src);
            }
            continue;
        }
        if (!c->local_flow && c->ipv6 && !tnl_ipv6_is_zero(&c->local_ip6)) {
            if (wc) {
                memset(&wc->ipv6_dst, 0xff, sizeof wc->ipv6_dst);
            }
            if (!IN6_ARE_ADDR_EQUAL(&tnl->ipv6_dst, &c->local_ip6)) {
                continue;
            }
            rank += 2;
        } else if (!c->local_flow && c->local_ip) {
            if (wc) {
                wc->ip_dst = UINT32_MAX;
            }
            if (tnl->ip_dst != c->local_ip) {
                continue;
            }
            rank += 2;
        }
        if (!c->in_key_flow) {
            if (wc) {
                wc->tun_id = UINT64_MAX;
                wc->flags |= FLOW_TNL_F_KEY;
            }
            if (be64toh(tnl->tun_id) != c->in_key) {
                continue;
            }
            rank += 1;
        }
        if (rank > best_rank) {
            best = p;
            best_rank = rank;
        }
    }
    return best;
}

/* ---- Egress route. */

struct route_reply {
    uint32_t oif; /* RTA_OIF, 0 if none. */
};

static int
route_attr_cb(const struct nlattr *a, void *data)
{
    struct route_reply *r = data;

    if (mnl_attr_get_type(a) == RTA_OIF
        && mnl_attr_validate(a, MNL_TYPE_U32) >= 0) {
        r->oif = mnl_attr_get_u32(a);
    }
    return MNL_CB_OK;
}

static int
route_msg_cb(const struct nlmsghdr *nlh, void *data)
{
    if (nlh->nlmsg_type != RTM_NEWROUTE
        || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct rtmsg))) {
        return MNL_CB_OK;
    }
    mnl_attr_parse(nlh, sizeof(struct rtmsg), route_attr_cb, data);
    return MNL_CB_OK;
}

/* Asks the kernel for the route to 'dst' ('size' bytes of family
 * 'family') and names its device in 'name'. */
static int
route_lookup(int family, const void *dst, size_t size, char *name)
{
    char buf[MNL_SOCKET_BUFFER_SIZE];
    struct route_reply reply = {0};
    struct mnl_socket *s;
    struct nlmsghdr *nlh;
    struct rtmsg *rtm;
    unsigned int seq = (unsigned int) time(NULL), portid;
    int error = 0;
    ssize_t n;

    s = mnl_socket_open(NETLINK_ROUTE);
    if (!s) {
        return errno;
    }
    if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0) {
        error = errno;
        goto err_close;
    }
    portid = mnl_socket_get_portid(s);
    nlh = mnl_nlmsg_put_header(buf);
    nlh->nlmsg_type = RTM_GETROUTE;
    nlh->nlmsg_flags = NLM_F_REQUEST;
    nlh->nlmsg_seq = seq;
    rtm = mnl_nlmsg_put_extra_header(nlh, sizeof *rtm);
    rtm->rtm_family = (unsigned char) family;
    rtm->rtm_dst_len = (unsigned char) (size * 8);
    mnl_attr_put(nlh, RTA_DST, size, dst);
    if (mnl_socket_sendto(s, nlh, nlh->nlmsg_len) < 0) {
        error = errno;
        goto err_close;
    }
    n = mnl_socket_recvfrom(s, buf, sizeof buf);
    if (n < 0) {
        error = errno;
        goto err_close;
    }
    if (mnl_cb_run(buf, (size_t) n, seq, portid, route_msg_cb, &reply) < 0) {
        error = errno ? errno : EPROTO;
        goto err_close;
    }
    if (!reply.oif) {
        error = ENETUNREACH;
    } else if (!if_indextoname(reply.oif, name)) {
        error = errno;
    }
err_close:
    mnl_socket_close(s);
    return error;
}

int
tnl_route_lookup(vs_be32 dst, char *name)
{
    return route_lookup(AF_INET, &dst, sizeof dst, name);
}

int
tnl_route_lookup6(const struct in6_addr *dst, char *name)
{
    return route_lookup(AF_INET6, dst, sizeof *dst, name);
}
