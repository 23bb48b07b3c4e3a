/* SPDX-License-Identifier: Apache-2.0 */
/* dpif-netlink-msg: building and parsing the kernel datapath's generic
 * netlink messages (see dpif-netlink-msg.h). */

#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/rtnetlink.h>
#include "vswitch/buf.h"
#include "vswitch/util.h"
#include "dpif-netlink-msg.h"

/* Bytes before the attributes of an ovs_* message. */
#define OVS_HDRLEN                                                            \
    (MNL_ALIGN(sizeof(struct genlmsghdr))                                     \
     + MNL_ALIGN(sizeof(struct ovs_header)))

bool
dpnl_msg_ok(const struct nlmsghdr *nlh, size_t len)
{
    /* Not mnl_nlmsg_ok(): it compares the length as a signed int, so a
     * length above 2 GiB passes and mnl_nlmsg_next() leaps off the
     * buffer (found by fuzz-dpif-netlink-msg). */
    return len >= sizeof *nlh && nlh->nlmsg_len >= sizeof *nlh
           && nlh->nlmsg_len <= len;
}

const struct nlmsghdr *
dpnl_msg_next(const struct nlmsghdr *nlh, size_t *len)
{
    size_t step = MNL_ALIGN(nlh->nlmsg_len);

    if (step > *len) {
        step = *len;
    }
    *len -= step;
    return (const struct nlmsghdr *) ((const uint8_t *) nlh + step);
}

/* Building. */

static size_t
put_msg(struct buf *b, uint16_t type, uint16_t flags, uint32_t seq,
        uint8_t cmd, uint8_t version)
{
    size_t ofs = b->size;
    struct nlmsghdr *nlh;
    struct genlmsghdr *genl;

    /* One allocation: 'nlh' stays valid. */
    nlh = buf_put_zeros(b, MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof *genl));
    genl = (struct genlmsghdr *) ((uint8_t *) nlh + MNL_NLMSG_HDRLEN);
    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = seq;
    genl->cmd = cmd;
    genl->version = version;
    return ofs;
}

static void
put_ovs_header(struct buf *b, int dp_ifindex)
{
    struct ovs_header *oh = buf_put_zeros(b, MNL_ALIGN(sizeof *oh));

    oh->dp_ifindex = dp_ifindex;
}

static void
end_msg(struct buf *b, size_t ofs)
{
    struct nlmsghdr *nlh = (struct nlmsghdr *) (b->data + ofs);

    nlh->nlmsg_len = b->size - ofs;
}

static void
put_attr(struct buf *b, uint16_t type, const void *data, size_t len)
{
    struct nlattr *nla = buf_put_zeros(b, MNL_ALIGN(MNL_ATTR_HDRLEN + len));

    nla->nla_type = type;
    nla->nla_len = MNL_ATTR_HDRLEN + len;
    if (len) {
        memcpy((uint8_t *) nla + MNL_ATTR_HDRLEN, data, len);
    }
}

static void
put_u32(struct buf *b, uint16_t type, uint32_t v)
{
    put_attr(b, type, &v, sizeof v);
}

static void
put_str(struct buf *b, uint16_t type, const char *s)
{
    put_attr(b, type, s, strlen(s) + 1);
}

size_t
dpnl_put_getfamily(struct buf *b, uint32_t seq, const char *name)
{
    size_t ofs =
        put_msg(b, GENL_ID_CTRL, NLM_F_ACK, seq, CTRL_CMD_GETFAMILY, 1);

    put_str(b, CTRL_ATTR_FAMILY_NAME, name);
    end_msg(b, ofs);
    return ofs;
}

size_t
dpnl_put_dp(struct buf *b, uint16_t family, uint32_t seq,
            const struct dpnl_dp_req *r)
{
    size_t ofs =
        put_msg(b, family, r->flags, seq, r->cmd, OVS_DATAPATH_VERSION);

    put_ovs_header(b, r->dp_ifindex);
    if (r->name) {
        put_str(b, OVS_DP_ATTR_NAME, r->name);
    }
    if (r->has_upcall_pid) {
        put_u32(b, OVS_DP_ATTR_UPCALL_PID, r->upcall_pid);
    }
    if (r->has_features) {
        put_u32(b, OVS_DP_ATTR_USER_FEATURES, r->user_features);
    }
    if (r->per_cpu_pids) {
        put_attr(b, OVS_DP_ATTR_PER_CPU_PIDS, r->per_cpu_pids,
                 r->n_per_cpu_pids * sizeof *r->per_cpu_pids);
    }
    end_msg(b, ofs);
    return ofs;
}

size_t
dpnl_put_vport(struct buf *b, uint16_t family, uint32_t seq,
               const struct dpnl_vport_req *r)
{
    size_t ofs = put_msg(b, family, r->flags, seq, r->cmd, OVS_VPORT_VERSION);

    put_ovs_header(b, r->dp_ifindex);
    if (r->name) {
        put_str(b, OVS_VPORT_ATTR_NAME, r->name);
    }
    if (r->port_no != DPIF_PORT_NONE) {
        put_u32(b, OVS_VPORT_ATTR_PORT_NO, r->port_no);
    }
    if (r->type != OVS_VPORT_TYPE_UNSPEC) {
        put_u32(b, OVS_VPORT_ATTR_TYPE, r->type);
    }
    if (r->has_upcall_pid) {
        put_u32(b, OVS_VPORT_ATTR_UPCALL_PID, r->upcall_pid);
    }
    if (r->dst_port) {
        size_t nest = b->size;
        uint16_t port = r->dst_port;
        struct nlattr *nla;

        put_attr(b, OVS_VPORT_ATTR_OPTIONS, NULL, 0);
        put_attr(b, OVS_TUNNEL_ATTR_DST_PORT, &port, sizeof port);
        nla = (struct nlattr *) (b->data + nest);
        nla->nla_len = b->size - nest;
    }
    end_msg(b, ofs);
    return ofs;
}

size_t
dpnl_put_flow(struct buf *b, uint16_t family, uint32_t seq,
              const struct dpnl_flow_req *r)
{
    size_t ofs;

    buf_prealloc_tailroom(b,
                          128 + r->key_size + r->mask_size + r->actions_size);
    ofs = put_msg(b, family, r->flags, seq, r->cmd, OVS_FLOW_VERSION);
    put_ovs_header(b, r->dp_ifindex);
    if (r->key) {
        put_attr(b, OVS_FLOW_ATTR_KEY, r->key, r->key_size);
    }
    if (r->mask) {
        put_attr(b, OVS_FLOW_ATTR_MASK, r->mask, r->mask_size);
    }
    if (r->has_actions) {
        put_attr(b, OVS_FLOW_ATTR_ACTIONS, r->actions, r->actions_size);
    }
    if (r->ufid) {
        put_attr(b, OVS_FLOW_ATTR_UFID, r->ufid, sizeof *r->ufid);
    }
    if (r->ufid_flags) {
        put_u32(b, OVS_FLOW_ATTR_UFID_FLAGS, r->ufid_flags);
    }
    if (r->clear) {
        put_attr(b, OVS_FLOW_ATTR_CLEAR, NULL, 0);
    }
    end_msg(b, ofs);
    return ofs;
}

size_t
dpnl_put_execute(struct buf *b, uint16_t family, uint32_t seq, int dp_ifindex,
                 const void *packet, size_t size, const void *key,
                 size_t key_size, const void *actions, size_t actions_size)
{
    size_t ofs;

    buf_prealloc_tailroom(b, 128 + size + key_size + actions_size);
    ofs = put_msg(b, family, NLM_F_ACK, seq, OVS_PACKET_CMD_EXECUTE,
                  OVS_PACKET_VERSION);
    put_ovs_header(b, dp_ifindex);
    put_attr(b, OVS_PACKET_ATTR_PACKET, packet, size);
    put_attr(b, OVS_PACKET_ATTR_KEY, key, key ? key_size : 0);
    put_attr(b, OVS_PACKET_ATTR_ACTIONS, actions, actions_size);
    end_msg(b, ofs);
    return ofs;
}

/* Parsing. */

/* How an attribute's length is checked. */
enum len_rule {
    LEN_ANY,    /* Any length (nested, binary). */
    LEN_EXACT,  /* Exactly 'len' bytes. */
    LEN_MIN,    /* At least 'len' bytes. */
    LEN_STRING, /* A NUL-terminated string. */
};

struct attr_policy {
    enum len_rule rule; /* The check. */
    size_t len;         /* Its length. */
};

/* Checks attribute 'a' against 'policy'; true if it may be read. */
static bool
attr_valid(const struct nlattr *a, const struct attr_policy *p)
{
    size_t len = mnl_attr_get_payload_len(a);

    switch (p->rule) {
    case LEN_ANY:
        return true;
    case LEN_EXACT:
        return len == p->len;
    case LEN_MIN:
        return len >= p->len;
    case LEN_STRING:
        return len && memchr(mnl_attr_get_payload(a), '\0', len) != NULL;
    }
    return false;
}

/* Parses the attributes that follow 'offset' bytes of payload in 'nlh'
 * into 'tb' (max_type + 1 entries, zeroed here): unknown types are
 * skipped, a known one that breaks 'policy' fails the message.  Never
 * reads past 'nlh->nlmsg_len' (not even its alignment padding, which
 * libmnl's iterator would). */
static int parse_range(const uint8_t *p, const uint8_t *end,
                       const struct attr_policy *policy, unsigned int max_type,
                       const struct nlattr **tb);

static int
parse_attrs(const struct nlmsghdr *nlh, size_t offset,
            const struct attr_policy *policy, unsigned int max_type,
            const struct nlattr **tb)
{
    const uint8_t *p =
        (const uint8_t *) nlh + MNL_NLMSG_HDRLEN + MNL_ALIGN(offset);
    const uint8_t *end = (const uint8_t *) nlh + nlh->nlmsg_len;

    memset(tb, 0, (max_type + 1) * sizeof *tb);
    if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + MNL_ALIGN(offset)) {
        return EINVAL;
    }
    return parse_range(p, end, policy, max_type, tb);
}

/* The attributes nested in 'nest' (whose length parse_range() checked),
 * as parse_attrs(). */
static int
parse_nested(const struct nlattr *nest, const struct attr_policy *policy,
             unsigned int max_type, const struct nlattr **tb)
{
    const uint8_t *p = mnl_attr_get_payload(nest);

    memset(tb, 0, (max_type + 1) * sizeof *tb);
    return parse_range(p, p + mnl_attr_get_payload_len(nest), policy, max_type,
                       tb);
}

/* The attribute walk of parse_attrs() over [p, end); 'tb' zeroed. */
static int
parse_range(const uint8_t *p, const uint8_t *end,
            const struct attr_policy *policy, unsigned int max_type,
            const struct nlattr **tb)
{
    while ((size_t) (end - p) >= MNL_ATTR_HDRLEN) {
        const struct nlattr *a = (const void *) p;
        uint16_t type = mnl_attr_get_type(a);
        size_t step;

        if (a->nla_len < MNL_ATTR_HDRLEN || a->nla_len > (size_t) (end - p)) {
            return EINVAL;
        }
        if (type <= max_type) {
            if (!attr_valid(a, &policy[type])) {
                return EINVAL;
            }
            tb[type] = a;
        }
        step = MNL_ALIGN(a->nla_len);
        p += step < (size_t) (end - p) ? step : (size_t) (end - p);
    }
    return 0;
}

static int
ovs_header_get(const struct nlmsghdr *nlh)
{
    const struct ovs_header *oh =
        (const void *) ((const uint8_t *) nlh + MNL_NLMSG_HDRLEN
                        + MNL_ALIGN(GENL_HDRLEN));
    int ifindex;

    memcpy(&ifindex, &oh->dp_ifindex, sizeof ifindex);
    return ifindex;
}

static uint32_t
attr_u32(const struct nlattr *a)
{
    uint32_t v;

    memcpy(&v, mnl_attr_get_payload(a), sizeof v);
    return v;
}

uint8_t
dpnl_genl_cmd(const struct nlmsghdr *nlh)
{
    const struct genlmsghdr *genl;

    if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN) {
        return 0;
    }
    genl = mnl_nlmsg_get_payload(nlh);
    return genl->cmd;
}

static const struct attr_policy extack_policy[NLMSGERR_ATTR_MAX + 1] = {
    [NLMSGERR_ATTR_MSG] = {LEN_STRING, 0},
};

int
dpnl_parse_error(const struct nlmsghdr *nlh, int *errorp, const char **extackp)
{
    const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
    const struct nlmsgerr *err;
    size_t offset;
    int e;

    *errorp = 0;
    *extackp = NULL;
    if (nlh->nlmsg_type != NLMSG_ERROR
        || nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof *err) {
        return EINVAL;
    }
    err = mnl_nlmsg_get_payload(nlh);
    memcpy(&e, &err->error, sizeof e);
    if (e > 0 || e < -4095) {
        return EINVAL;
    }
    *errorp = -e;
    if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS)) {
        return 0;
    }
    offset = sizeof *err;
    if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
        uint32_t inner_len;

        memcpy(&inner_len, &err->msg.nlmsg_len, sizeof inner_len);
        if (inner_len < MNL_NLMSG_HDRLEN
            || inner_len > nlh->nlmsg_len - MNL_NLMSG_HDRLEN - offset) {
            return 0;
        }
        offset += MNL_ALIGN(inner_len) - MNL_NLMSG_HDRLEN;
    }
    if (offset > nlh->nlmsg_len - MNL_NLMSG_HDRLEN) {
        return 0;
    }
    if (!parse_attrs(nlh, offset, extack_policy, NLMSGERR_ATTR_MAX, tb)
        && tb[NLMSGERR_ATTR_MSG]) {
        *extackp = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
    }
    return 0;
}

static const struct attr_policy family_policy[CTRL_ATTR_MAX + 1] = {
    [CTRL_ATTR_FAMILY_ID] = {LEN_EXACT, sizeof(uint16_t)},
    [CTRL_ATTR_FAMILY_NAME] = {LEN_STRING, 0},
};

int
dpnl_parse_family(const struct nlmsghdr *nlh, uint16_t *idp)
{
    const struct nlattr *tb[CTRL_ATTR_MAX + 1];
    int error;

    if (nlh->nlmsg_type != GENL_ID_CTRL) {
        return EINVAL;
    }
    error = parse_attrs(nlh, GENL_HDRLEN, family_policy, CTRL_ATTR_MAX, tb);
    if (error || !tb[CTRL_ATTR_FAMILY_ID]) {
        return EINVAL;
    }
    *idp = mnl_attr_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
    return 0;
}

static const struct attr_policy dp_policy[OVS_DP_ATTR_MAX + 1] = {
    [OVS_DP_ATTR_NAME] = {LEN_STRING, 0},
    [OVS_DP_ATTR_STATS] = {LEN_MIN, sizeof(struct ovs_dp_stats)},
    [OVS_DP_ATTR_MEGAFLOW_STATS] = {LEN_MIN,
                                    sizeof(struct ovs_dp_megaflow_stats)},
    [OVS_DP_ATTR_USER_FEATURES] = {LEN_EXACT, sizeof(uint32_t)},
};

int
dpnl_parse_dp(const struct nlmsghdr *nlh, struct dpnl_dp_reply *r)
{
    const struct nlattr *tb[OVS_DP_ATTR_MAX + 1];
    int error;

    memset(r, 0, sizeof *r);
    error = parse_attrs(nlh, OVS_HDRLEN, dp_policy, OVS_DP_ATTR_MAX, tb);
    if (error) {
        return error;
    }
    r->dp_ifindex = ovs_header_get(nlh);
    if (tb[OVS_DP_ATTR_NAME]) {
        r->name = mnl_attr_get_str(tb[OVS_DP_ATTR_NAME]);
    }
    if (tb[OVS_DP_ATTR_STATS]) {
        memcpy(&r->stats, mnl_attr_get_payload(tb[OVS_DP_ATTR_STATS]),
               sizeof r->stats);
    }
    if (tb[OVS_DP_ATTR_MEGAFLOW_STATS]) {
        memcpy(&r->mflow, mnl_attr_get_payload(tb[OVS_DP_ATTR_MEGAFLOW_STATS]),
               sizeof r->mflow);
    }
    if (tb[OVS_DP_ATTR_USER_FEATURES]) {
        r->user_features = attr_u32(tb[OVS_DP_ATTR_USER_FEATURES]);
    }
    return 0;
}

static const struct attr_policy vport_policy[OVS_VPORT_ATTR_MAX + 1] = {
    [OVS_VPORT_ATTR_PORT_NO] = {LEN_EXACT, sizeof(uint32_t)},
    [OVS_VPORT_ATTR_TYPE] = {LEN_EXACT, sizeof(uint32_t)},
    [OVS_VPORT_ATTR_NAME] = {LEN_STRING, 0},
    [OVS_VPORT_ATTR_UPCALL_PID] = {LEN_MIN, sizeof(uint32_t)},
    [OVS_VPORT_ATTR_STATS] = {LEN_MIN, sizeof(struct ovs_vport_stats)},
};

int
dpnl_parse_vport(const struct nlmsghdr *nlh, struct dpnl_vport_reply *r)
{
    const struct nlattr *tb[OVS_VPORT_ATTR_MAX + 1];
    int error;

    memset(r, 0, sizeof *r);
    error = parse_attrs(nlh, OVS_HDRLEN, vport_policy, OVS_VPORT_ATTR_MAX, tb);
    if (error) {
        return error;
    }
    if (!tb[OVS_VPORT_ATTR_PORT_NO] || !tb[OVS_VPORT_ATTR_TYPE]
        || !tb[OVS_VPORT_ATTR_NAME]) {
        return EINVAL;
    }
    r->dp_ifindex = ovs_header_get(nlh);
    r->port_no = attr_u32(tb[OVS_VPORT_ATTR_PORT_NO]);
    r->type = attr_u32(tb[OVS_VPORT_ATTR_TYPE]);
    r->name = mnl_attr_get_str(tb[OVS_VPORT_ATTR_NAME]);
    if (tb[OVS_VPORT_ATTR_STATS]) {
        memcpy(&r->stats, mnl_attr_get_payload(tb[OVS_VPORT_ATTR_STATS]),
               sizeof r->stats);
    }
    if (tb[OVS_VPORT_ATTR_UPCALL_PID]) {
        r->upcall_pid = attr_u32(tb[OVS_VPORT_ATTR_UPCALL_PID]);
    }
    return 0;
}

static const struct attr_policy flow_policy[OVS_FLOW_ATTR_MAX + 1] = {
    [OVS_FLOW_ATTR_KEY] = {LEN_ANY, 0},
    [OVS_FLOW_ATTR_MASK] = {LEN_ANY, 0},
    [OVS_FLOW_ATTR_ACTIONS] = {LEN_ANY, 0},
    [OVS_FLOW_ATTR_STATS] = {LEN_EXACT, sizeof(struct ovs_flow_stats)},
    [OVS_FLOW_ATTR_TCP_FLAGS] = {LEN_EXACT, sizeof(uint8_t)},
    [OVS_FLOW_ATTR_USED] = {LEN_EXACT, sizeof(uint64_t)},
    [OVS_FLOW_ATTR_UFID] = {LEN_MIN, 1},
};

int
dpnl_parse_flow(const struct nlmsghdr *nlh, struct dpnl_flow_reply *r)
{
    const struct nlattr *tb[OVS_FLOW_ATTR_MAX + 1];
    int error;

    memset(r, 0, sizeof *r);
    error = parse_attrs(nlh, OVS_HDRLEN, flow_policy, OVS_FLOW_ATTR_MAX, tb);
    if (error) {
        return error;
    }
    r->dp_ifindex = ovs_header_get(nlh);
    if (tb[OVS_FLOW_ATTR_KEY]) {
        r->key = mnl_attr_get_payload(tb[OVS_FLOW_ATTR_KEY]);
        r->key_size = mnl_attr_get_payload_len(tb[OVS_FLOW_ATTR_KEY]);
    }
    if (tb[OVS_FLOW_ATTR_MASK]) {
        r->mask = mnl_attr_get_payload(tb[OVS_FLOW_ATTR_MASK]);
        r->mask_size = mnl_attr_get_payload_len(tb[OVS_FLOW_ATTR_MASK]);
    }
    if (tb[OVS_FLOW_ATTR_ACTIONS]) {
        r->actions = mnl_attr_get_payload(tb[OVS_FLOW_ATTR_ACTIONS]);
        r->actions_size = mnl_attr_get_payload_len(tb[OVS_FLOW_ATTR_ACTIONS]);
    }
    if (tb[OVS_FLOW_ATTR_UFID]) {
        size_t n = mnl_attr_get_payload_len(tb[OVS_FLOW_ATTR_UFID]);

        if (n > sizeof r->ufid) {
            n = sizeof r->ufid;
        }
        memcpy(&r->ufid, mnl_attr_get_payload(tb[OVS_FLOW_ATTR_UFID]), n);
        r->has_ufid = true;
    }
    if (tb[OVS_FLOW_ATTR_STATS]) {
        struct ovs_flow_stats st;

        memcpy(&st, mnl_attr_get_payload(tb[OVS_FLOW_ATTR_STATS]), sizeof st);
        r->n_packets = st.n_packets;
        r->n_bytes = st.n_bytes;
    }
    if (tb[OVS_FLOW_ATTR_USED]) {
        memcpy(&r->used, mnl_attr_get_payload(tb[OVS_FLOW_ATTR_USED]),
               sizeof r->used);
    }
    if (tb[OVS_FLOW_ATTR_TCP_FLAGS]) {
        r->tcp_flags = mnl_attr_get_u8(tb[OVS_FLOW_ATTR_TCP_FLAGS]);
    }
    return 0;
}

static const struct attr_policy packet_policy[OVS_PACKET_ATTR_MAX + 1] = {
    [OVS_PACKET_ATTR_PACKET] = {LEN_ANY, 0},
    [OVS_PACKET_ATTR_KEY] = {LEN_ANY, 0},
    [OVS_PACKET_ATTR_USERDATA] = {LEN_ANY, 0},
};

/* Finds OVS_KEY_ATTR_IN_PORT among the 'size' bytes of key attributes at
 * 'key'; DPIF_PORT_NONE if absent or malformed. */
static uint32_t
key_in_port(const void *key, size_t size)
{
    const uint8_t *p = key;

    while (size >= MNL_ATTR_HDRLEN) {
        const struct nlattr *a = (const void *) p;
        uint16_t len, type;

        memcpy(&len, &a->nla_len, sizeof len);
        memcpy(&type, &a->nla_type, sizeof type);
        if (len < MNL_ATTR_HDRLEN || len > size) {
            break;
        }
        if ((type & NLA_TYPE_MASK) == OVS_KEY_ATTR_IN_PORT
            && len == MNL_ATTR_HDRLEN + sizeof(uint32_t)) {
            uint32_t v;

            memcpy(&v, p + MNL_ATTR_HDRLEN, sizeof v);
            return v;
        }
        if ((size_t) MNL_ALIGN(len) >= size) {
            break;
        }
        p += MNL_ALIGN(len);
        size -= MNL_ALIGN(len);
    }
    return DPIF_PORT_NONE;
}

int
dpnl_parse_upcall(const struct nlmsghdr *nlh, struct dpnl_upcall_reply *r)
{
    const struct nlattr *tb[OVS_PACKET_ATTR_MAX + 1];
    int error;

    memset(r, 0, sizeof *r);
    r->cmd = dpnl_genl_cmd(nlh);
    if (r->cmd != OVS_PACKET_CMD_MISS && r->cmd != OVS_PACKET_CMD_ACTION) {
        return EINVAL;
    }
    error =
        parse_attrs(nlh, OVS_HDRLEN, packet_policy, OVS_PACKET_ATTR_MAX, tb);
    if (error || !tb[OVS_PACKET_ATTR_PACKET] || !tb[OVS_PACKET_ATTR_KEY]) {
        return EINVAL;
    }
    r->dp_ifindex = ovs_header_get(nlh);
    r->packet = mnl_attr_get_payload(tb[OVS_PACKET_ATTR_PACKET]);
    r->packet_size = mnl_attr_get_payload_len(tb[OVS_PACKET_ATTR_PACKET]);
    r->key = mnl_attr_get_payload(tb[OVS_PACKET_ATTR_KEY]);
    r->key_size = mnl_attr_get_payload_len(tb[OVS_PACKET_ATTR_KEY]);
    if (tb[OVS_PACKET_ATTR_USERDATA]) {
        r->userdata = mnl_attr_get_payload(tb[OVS_PACKET_ATTR_USERDATA]);
        r->userdata_size =
            mnl_attr_get_payload_len(tb[OVS_PACKET_ATTR_USERDATA]);
    }
    r->in_port = key_in_port(r->key, r->key_size);
    return 0;
}

/* ---- Port change notifications. */

static const struct attr_policy mcast_grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] =
    {
        [CTRL_ATTR_MCAST_GRP_NAME] = {LEN_STRING, 0},
        [CTRL_ATTR_MCAST_GRP_ID] = {LEN_EXACT, sizeof(uint32_t)},
};

static const struct attr_policy family_groups_policy[CTRL_ATTR_MAX + 1] = {
    [CTRL_ATTR_FAMILY_ID] = {LEN_EXACT, sizeof(uint16_t)},
    [CTRL_ATTR_FAMILY_NAME] = {LEN_STRING, 0},
    [CTRL_ATTR_MCAST_GROUPS] = {LEN_ANY, 0},
};

int
dpnl_parse_mcast_group(const struct nlmsghdr *nlh, const char *group,
                       uint32_t *idp)
{
    const struct nlattr *tb[CTRL_ATTR_MAX + 1];
    const struct nlattr *groups;
    const uint8_t *p, *end;
    int error;

    if (nlh->nlmsg_type != GENL_ID_CTRL) {
        return EINVAL;
    }
    error =
        parse_attrs(nlh, GENL_HDRLEN, family_groups_policy, CTRL_ATTR_MAX, tb);
    if (error) {
        return error;
    }
    groups = tb[CTRL_ATTR_MCAST_GROUPS];
    if (!groups) {
        return ENOENT;
    }
    /* A nest of nests, one per group (their types are indexes). */
    p = mnl_attr_get_payload(groups);
    end = p + mnl_attr_get_payload_len(groups);
    while ((size_t) (end - p) >= MNL_ATTR_HDRLEN) {
        const struct nlattr *g = (const void *) p;
        const struct nlattr *gtb[CTRL_ATTR_MCAST_GRP_MAX + 1];
        size_t step;

        if (g->nla_len < MNL_ATTR_HDRLEN || g->nla_len > (size_t) (end - p)) {
            return EINVAL;
        }
        if (parse_nested(g, mcast_grp_policy, CTRL_ATTR_MCAST_GRP_MAX, gtb)) {
            return EINVAL;
        }
        if (gtb[CTRL_ATTR_MCAST_GRP_NAME] && gtb[CTRL_ATTR_MCAST_GRP_ID]
            && !strcmp(mnl_attr_get_str(gtb[CTRL_ATTR_MCAST_GRP_NAME]),
                       group)) {
            *idp = attr_u32(gtb[CTRL_ATTR_MCAST_GRP_ID]);
            return 0;
        }
        step = MNL_ALIGN(g->nla_len);
        p += step < (size_t) (end - p) ? step : (size_t) (end - p);
    }
    return ENOENT;
}

static const struct attr_policy link_policy[IFLA_MAX + 1] = {
    [IFLA_IFNAME] = {LEN_STRING, 0},
    [IFLA_MTU] = {LEN_EXACT, sizeof(uint32_t)},
    [IFLA_ADDRESS] = {LEN_ANY, 0}, /* Ethernet or not: checked below. */
    [IFLA_MASTER] = {LEN_EXACT, sizeof(uint32_t)},
};

int
dpnl_parse_link_event(const struct nlmsghdr *nlh, struct dpnl_port_event *ev)
{
    const struct nlattr *tb[IFLA_MAX + 1];
    struct ifinfomsg ifi;
    int error;

    memset(ev, 0, sizeof *ev);
    if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK) {
        return EINVAL;
    }
    error = parse_attrs(nlh, sizeof ifi, link_policy, IFLA_MAX, tb);
    if (error) {
        return error;
    }
    memcpy(&ifi, (const uint8_t *) nlh + MNL_NLMSG_HDRLEN, sizeof ifi);
    ev->kind =
        nlh->nlmsg_type == RTM_NEWLINK ? DPNL_EV_LINK_NEW : DPNL_EV_LINK_DEL;
    ev->ifindex = ifi.ifi_index;
    ev->flags = ifi.ifi_flags;
    if (tb[IFLA_IFNAME]) {
        ev->name = mnl_attr_get_str(tb[IFLA_IFNAME]);
    }
    if (tb[IFLA_MTU]) {
        ev->mtu = attr_u32(tb[IFLA_MTU]);
        ev->has_mtu = true;
    }
    if (tb[IFLA_ADDRESS]
        && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == sizeof ev->mac) {
        memcpy(ev->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]),
               sizeof ev->mac);
        ev->has_mac = true;
    }
    if (tb[IFLA_MASTER]) {
        ev->master = (int) attr_u32(tb[IFLA_MASTER]);
    }
    return 0;
}

int
dpnl_parse_vport_event(const struct nlmsghdr *nlh, uint16_t vport_family,
                       struct dpnl_port_event *ev)
{
    struct dpnl_vport_reply v;
    int error;

    memset(ev, 0, sizeof *ev);
    if (!vport_family || nlh->nlmsg_type != vport_family) {
        return EINVAL;
    }
    error = dpnl_parse_vport(nlh, &v);
    if (error) {
        return error;
    }
    switch (dpnl_genl_cmd(nlh)) {
    case OVS_VPORT_CMD_NEW:
        ev->kind = DPNL_EV_VPORT_NEW;
        break;
    case OVS_VPORT_CMD_DEL:
        ev->kind = DPNL_EV_VPORT_DEL;
        break;
    case OVS_VPORT_CMD_SET:
        ev->kind = DPNL_EV_VPORT_SET;
        break;
    default:
        return EINVAL;
    }
    ev->ifindex = v.dp_ifindex;
    ev->name = v.name;
    ev->port_no = v.port_no;
    return 0;
}
