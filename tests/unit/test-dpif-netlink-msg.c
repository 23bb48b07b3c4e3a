/* SPDX-License-Identifier: Apache-2.0 */
/* The kernel datapath's netlink messages, built and parsed without a
 * socket (lib/dpif-netlink-msg.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include "vswitch/buf.h"
#include "lib/dpif-netlink-msg.h"

#define FAMILY 0x20

static struct nlmsghdr *
msg_at(struct buf *b, size_t ofs)
{
    return (struct nlmsghdr *) (b->data + ofs);
}

/* Appends attribute 'type' to the message at 'ofs' (the last in 'b'). */
static void
append_attr(struct buf *b, size_t ofs, uint16_t type, const void *data,
            size_t len)
{
    struct nlattr *a = buf_put_zeros(b, MNL_ALIGN(MNL_ATTR_HDRLEN + len));

    a->nla_type = type;
    a->nla_len = MNL_ATTR_HDRLEN + len;
    memcpy(a + 1, data, len);
    msg_at(b, ofs)->nlmsg_len = b->size - ofs;
}

static const struct nlattr *
find_attr(const struct nlmsghdr *nlh, uint16_t type)
{
    const struct nlattr *a;
    size_t hdr = MNL_ALIGN(GENL_HDRLEN) + MNL_ALIGN(sizeof(struct ovs_header));

    mnl_attr_for_each(a, nlh, hdr)
    {
        if (mnl_attr_get_type(a) == type) {
            return a;
        }
    }
    return NULL;
}

static void
test_flow_request(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    uint8_t key[12] = {8, 0, OVS_KEY_ATTR_IN_PORT, 0, 3, 0, 0, 0};
    struct dpif_ufid ufid = {{1, 2, 3, 4}};
    struct dpnl_flow_req r = {
        .cmd = OVS_FLOW_CMD_NEW,
        .flags = NLM_F_CREATE | NLM_F_ACK,
        .dp_ifindex = 7,
        .key = key,
        .key_size = 8,
        .has_actions = true, /* Empty: drop. */
        .ufid = &ufid,
        .ufid_flags = OVS_UFID_F_OMIT_KEY,
    };
    const struct nlattr *a;
    struct nlmsghdr *nlh;
    size_t ofs;

    ofs = dpnl_put_flow(&b, FAMILY, 42, &r);
    assert_int_equal(ofs, 0);
    nlh = msg_at(&b, 0);
    assert_true(dpnl_msg_ok(nlh, b.size));
    assert_int_equal(nlh->nlmsg_len, b.size);
    assert_int_equal(nlh->nlmsg_type, FAMILY);
    assert_int_equal(nlh->nlmsg_seq, 42);
    assert_int_equal(nlh->nlmsg_flags,
                     NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK);
    assert_int_equal(dpnl_genl_cmd(nlh), OVS_FLOW_CMD_NEW);
    a = find_attr(nlh, OVS_FLOW_ATTR_KEY);
    assert_non_null(a);
    assert_int_equal(mnl_attr_get_payload_len(a), 8);
    assert_memory_equal(mnl_attr_get_payload(a), key, 8);
    a = find_attr(nlh, OVS_FLOW_ATTR_ACTIONS);
    assert_non_null(a);
    assert_int_equal(mnl_attr_get_payload_len(a), 0);
    assert_null(find_attr(nlh, OVS_FLOW_ATTR_MASK));
    assert_null(find_attr(nlh, OVS_FLOW_ATTR_CLEAR));
    a = find_attr(nlh, OVS_FLOW_ATTR_UFID);
    assert_int_equal(mnl_attr_get_payload_len(a), 16);
    assert_memory_equal(mnl_attr_get_payload(a), &ufid, 16);
    a = find_attr(nlh, OVS_FLOW_ATTR_UFID_FLAGS);
    assert_int_equal(mnl_attr_get_u32(a), OVS_UFID_F_OMIT_KEY);
    buf_uninit(&b);
}

/* Several requests in one buffer (one sendmsg): each is whole and
 * carries its own sequence number, even when the buffer grows. */
static void
test_batch(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    uint8_t big[3000];
    const struct nlmsghdr *nlh;
    size_t len;
    int n = 0;

    memset(big, 0, sizeof big);
    for (int i = 0; i < 10; i++) {
        struct dpnl_flow_req r = {
            .cmd = OVS_FLOW_CMD_DEL,
            .flags = NLM_F_ACK,
            .key = big,
            .key_size = 100 * i,
        };

        dpnl_put_flow(&b, FAMILY, 100 + i, &r);
    }
    len = b.size;
    for (nlh = (const void *) b.data; dpnl_msg_ok(nlh, len);
         nlh = dpnl_msg_next(nlh, &len)) {
        assert_int_equal(nlh->nlmsg_seq, 100 + n);
        assert_int_equal(dpnl_genl_cmd(nlh), OVS_FLOW_CMD_DEL);
        n++;
    }
    assert_int_equal(n, 10);
    assert_int_equal(len, 0);
    buf_uninit(&b);
}

/* A length above 2 GiB is not "fits" (libmnl's signed compare says it
 * does), and stepping over a message never leaves the buffer. */
static void
test_msg_bounds(void **state)
{
    struct nlmsghdr h[4];
    const struct nlmsghdr *next;
    size_t len = sizeof h;

    memset(h, 0, sizeof h);
    h[0].nlmsg_len = 0xf900002c;
    assert_false(dpnl_msg_ok(&h[0], sizeof h));
    h[0].nlmsg_len = sizeof h[0] - 1;
    assert_false(dpnl_msg_ok(&h[0], sizeof h));
    h[0].nlmsg_len = sizeof h + 1;
    assert_false(dpnl_msg_ok(&h[0], sizeof h));
    h[0].nlmsg_len = sizeof h[0];
    assert_true(dpnl_msg_ok(&h[0], sizeof h));
    next = dpnl_msg_next(&h[0], &len);
    assert_ptr_equal(next, &h[1]);
    assert_int_equal(len, 3 * sizeof h[0]);
}

static void
test_dp_and_vport_requests(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    uint32_t pids[3] = {11, 12, 11};
    struct dpnl_dp_req dr = {
        .cmd = OVS_DP_CMD_SET,
        .dp_ifindex = 9,
        .has_features = true,
        .user_features = OVS_DP_F_DISPATCH_UPCALL_PER_CPU,
        .per_cpu_pids = pids,
        .n_per_cpu_pids = 3,
    };
    struct dpnl_vport_req vr = {
        .cmd = OVS_VPORT_CMD_NEW,
        .dp_ifindex = 9,
        .name = "p1",
        .port_no = DPIF_PORT_NONE,
        .type = OVS_VPORT_TYPE_NETDEV,
        .has_upcall_pid = true,
        .upcall_pid = 0,
    };
    const struct nlattr *a;
    size_t ofs;

    dpnl_put_dp(&b, FAMILY, 1, &dr);
    a = find_attr(msg_at(&b, 0), OVS_DP_ATTR_PER_CPU_PIDS);
    assert_int_equal(mnl_attr_get_payload_len(a), sizeof pids);
    assert_memory_equal(mnl_attr_get_payload(a), pids, sizeof pids);
    assert_null(find_attr(msg_at(&b, 0), OVS_DP_ATTR_NAME));
    assert_null(find_attr(msg_at(&b, 0), OVS_DP_ATTR_UPCALL_PID));

    ofs = dpnl_put_vport(&b, FAMILY, 2, &vr);
    assert_string_equal(
        mnl_attr_get_str(find_attr(msg_at(&b, ofs), OVS_VPORT_ATTR_NAME)),
        "p1");
    /* The kernel insists on an upcall pid, even 0. */
    assert_non_null(find_attr(msg_at(&b, ofs), OVS_VPORT_ATTR_UPCALL_PID));
    assert_null(find_attr(msg_at(&b, ofs), OVS_VPORT_ATTR_PORT_NO));
    buf_uninit(&b);
}

static void
test_parse_vport(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct dpnl_vport_req vr = {
        .cmd = OVS_VPORT_CMD_NEW,
        .dp_ifindex = 5,
        .name = "veth0",
        .port_no = 3,
        .type = OVS_VPORT_TYPE_INTERNAL,
    };
    struct ovs_vport_stats st = {.rx_packets = 10, .tx_bytes = 99};
    struct dpnl_vport_reply r;
    uint16_t bad = 1;

    /* A reply has the request's layout. */
    dpnl_put_vport(&b, FAMILY, 1, &vr);
    append_attr(&b, 0, OVS_VPORT_ATTR_STATS, &st, sizeof st);
    append_attr(&b, 0, 200, "unknown", 7); /* Skipped. */
    assert_int_equal(dpnl_parse_vport(msg_at(&b, 0), &r), 0);
    assert_int_equal(r.dp_ifindex, 5);
    assert_int_equal(r.port_no, 3);
    assert_int_equal(r.type, OVS_VPORT_TYPE_INTERNAL);
    assert_string_equal(r.name, "veth0");
    assert_int_equal(r.stats.rx_packets, 10);
    assert_int_equal(r.stats.tx_bytes, 99);

    /* No name: refused. */
    buf_clear(&b);
    vr.name = NULL;
    dpnl_put_vport(&b, FAMILY, 1, &vr);
    assert_int_equal(dpnl_parse_vport(msg_at(&b, 0), &r), EINVAL);

    /* A port number of the wrong size: refused. */
    buf_clear(&b);
    vr.name = "x";
    vr.port_no = DPIF_PORT_NONE;
    dpnl_put_vport(&b, FAMILY, 1, &vr);
    append_attr(&b, 0, OVS_VPORT_ATTR_PORT_NO, &bad, sizeof bad);
    assert_int_equal(dpnl_parse_vport(msg_at(&b, 0), &r), EINVAL);

    /* A name without its NUL: refused. */
    buf_clear(&b);
    vr.name = NULL;
    vr.port_no = 1;
    dpnl_put_vport(&b, FAMILY, 1, &vr);
    append_attr(&b, 0, OVS_VPORT_ATTR_NAME, "abcd", 4);
    assert_int_equal(dpnl_parse_vport(msg_at(&b, 0), &r), EINVAL);

    /* Truncated below the headers: refused. */
    msg_at(&b, 0)->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
    assert_int_equal(dpnl_parse_vport(msg_at(&b, 0), &r), EINVAL);
    buf_uninit(&b);
}

static void
test_parse_flow(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    uint8_t key[8] = {8, 0, OVS_KEY_ATTR_IN_PORT, 0, 3, 0, 0, 0};
    uint8_t actions[8] = {8, 0, OVS_ACTION_ATTR_OUTPUT, 0, 2, 0, 0, 0};
    struct dpif_ufid ufid = {{0xdeadbeef, 2, 3, 4}};
    struct dpnl_flow_req req = {
        .cmd = OVS_FLOW_CMD_NEW,
        .dp_ifindex = 4,
        .key = key,
        .key_size = sizeof key,
        .mask = key,
        .mask_size = sizeof key,
        .actions = actions,
        .actions_size = sizeof actions,
        .has_actions = true,
        .ufid = &ufid,
    };
    struct ovs_flow_stats st = {.n_packets = 5, .n_bytes = 500};
    uint64_t used = 123456;
    uint8_t flags = 0x12;
    struct dpnl_flow_reply r;

    dpnl_put_flow(&b, FAMILY, 1, &req);
    append_attr(&b, 0, OVS_FLOW_ATTR_STATS, &st, sizeof st);
    append_attr(&b, 0, OVS_FLOW_ATTR_USED, &used, sizeof used);
    append_attr(&b, 0, OVS_FLOW_ATTR_TCP_FLAGS, &flags, 1);
    assert_int_equal(dpnl_parse_flow(msg_at(&b, 0), &r), 0);
    assert_int_equal(r.dp_ifindex, 4);
    assert_int_equal(r.key_size, sizeof key);
    assert_memory_equal(r.key, key, sizeof key);
    assert_int_equal(r.mask_size, sizeof key);
    assert_int_equal(r.actions_size, sizeof actions);
    assert_memory_equal(r.actions, actions, sizeof actions);
    assert_true(r.has_ufid);
    assert_memory_equal(&r.ufid, &ufid, sizeof ufid);
    assert_int_equal(r.n_packets, 5);
    assert_int_equal(r.n_bytes, 500);
    assert_int_equal(r.used, 123456);
    assert_int_equal(r.tcp_flags, 0x12);

    /* Stats of the wrong size: refused. */
    append_attr(&b, 0, OVS_FLOW_ATTR_STATS, &st, sizeof st - 1);
    assert_int_equal(dpnl_parse_flow(msg_at(&b, 0), &r), EINVAL);
    buf_uninit(&b);
}

/* Builds an upcall of 'cmd' with a packet and, if 'with_key', a key. */
static void
put_upcall(struct buf *b, uint8_t cmd, bool with_key)
{
    struct nlmsghdr *nlh = buf_put_zeros(b, MNL_NLMSG_HDRLEN);
    struct genlmsghdr *genl;
    uint8_t key[16] = {8, 0, OVS_KEY_ATTR_PRIORITY, 0, 0, 0, 0, 0,
                       8, 0, OVS_KEY_ATTR_IN_PORT,  0, 6, 0, 0, 0};

    nlh->nlmsg_type = FAMILY;
    genl = buf_put_zeros(b, GENL_HDRLEN);
    genl->cmd = cmd;
    buf_put_zeros(b, sizeof(struct ovs_header));
    msg_at(b, 0)->nlmsg_len = b->size;
    append_attr(b, 0, OVS_PACKET_ATTR_PACKET, "0123456789abcdef", 16);
    if (with_key) {
        append_attr(b, 0, OVS_PACKET_ATTR_KEY, key, sizeof key);
    }
    append_attr(b, 0, OVS_PACKET_ATTR_USERDATA, "ud", 2);
}

static void
test_parse_upcall(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct dpnl_upcall_reply r;

    put_upcall(&b, OVS_PACKET_CMD_MISS, true);
    assert_int_equal(dpnl_parse_upcall(msg_at(&b, 0), &r), 0);
    assert_int_equal(r.cmd, OVS_PACKET_CMD_MISS);
    assert_int_equal(r.packet_size, 16);
    assert_memory_equal(r.packet, "0123456789abcdef", 16);
    assert_int_equal(r.key_size, 16);
    assert_int_equal(r.in_port, 6);
    assert_int_equal(r.userdata_size, 2);

    buf_clear(&b);
    put_upcall(&b, OVS_PACKET_CMD_MISS, false);
    assert_int_equal(dpnl_parse_upcall(msg_at(&b, 0), &r), EINVAL);

    buf_clear(&b);
    put_upcall(&b, OVS_PACKET_CMD_EXECUTE, true);
    assert_int_equal(dpnl_parse_upcall(msg_at(&b, 0), &r), EINVAL);
    buf_uninit(&b);
}

static void
test_parse_error(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct nlmsghdr *nlh;
    struct nlmsgerr *err;
    const char *extack;
    int error;

    /* A capped error with the kernel's message. */
    nlh = buf_put_zeros(&b, MNL_NLMSG_HDRLEN + sizeof *err);
    nlh->nlmsg_type = NLMSG_ERROR;
    nlh->nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
    err = (struct nlmsgerr *) (nlh + 1);
    err->error = -EINVAL;
    err->msg.nlmsg_len = 64; /* The request's, not echoed. */
    msg_at(&b, 0)->nlmsg_len = b.size;
    append_attr(&b, 0, NLMSGERR_ATTR_MSG, "bad key", 8);
    assert_int_equal(dpnl_parse_error(msg_at(&b, 0), &error, &extack), 0);
    assert_int_equal(error, EINVAL);
    assert_string_equal(extack, "bad key");

    /* A plain ack. */
    err = (struct nlmsgerr *) (msg_at(&b, 0) + 1);
    err->error = 0;
    msg_at(&b, 0)->nlmsg_flags = NLM_F_CAPPED;
    assert_int_equal(dpnl_parse_error(msg_at(&b, 0), &error, &extack), 0);
    assert_int_equal(error, 0);
    assert_null(extack);

    /* An uncapped error whose echoed request claims more than there is:
     * no message, no overread. */
    msg_at(&b, 0)->nlmsg_flags = NLM_F_ACK_TLVS;
    err->error = -ENOENT;
    err->msg.nlmsg_len = 4000;
    assert_int_equal(dpnl_parse_error(msg_at(&b, 0), &error, &extack), 0);
    assert_int_equal(error, ENOENT);
    assert_null(extack);

    /* Too short to be an error: refused. */
    msg_at(&b, 0)->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
    assert_int_equal(dpnl_parse_error(msg_at(&b, 0), &error, &extack), EINVAL);
    buf_uninit(&b);
}

static void
test_family_and_dp(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct ovs_dp_stats st = {
        .n_hit = 1, .n_missed = 2, .n_lost = 3, .n_flows = 4};
    struct dpnl_dp_req dr = {
        .cmd = OVS_DP_CMD_NEW,
        .dp_ifindex = 12,
        .name = "br0",
        .has_features = true,
        .user_features = OVS_DP_F_UNALIGNED,
    };
    struct dpnl_dp_reply r;
    uint16_t id = 0x1234, got = 0;

    dpnl_put_getfamily(&b, 1, OVS_FLOW_FAMILY);
    append_attr(&b, 0, CTRL_ATTR_FAMILY_ID, &id, sizeof id);
    assert_int_equal(dpnl_parse_family(msg_at(&b, 0), &got), 0);
    assert_int_equal(got, 0x1234);

    buf_clear(&b);
    dpnl_put_dp(&b, FAMILY, 1, &dr);
    append_attr(&b, 0, OVS_DP_ATTR_STATS, &st, sizeof st);
    assert_int_equal(dpnl_parse_dp(msg_at(&b, 0), &r), 0);
    assert_int_equal(r.dp_ifindex, 12);
    assert_string_equal(r.name, "br0");
    assert_int_equal(r.user_features, OVS_DP_F_UNALIGNED);
    assert_int_equal(r.stats.n_lost, 3);
    assert_int_equal(r.stats.n_flows, 4);
    buf_uninit(&b);
}

/* An RTM_NEWLINK/RTM_DELLINK message for 'ifindex' with no attributes. */
static void
put_link(struct buf *b, uint16_t type, int ifindex, unsigned int flags)
{
    struct nlmsghdr *nlh = buf_put_zeros(b, MNL_NLMSG_HDRLEN);
    struct ifinfomsg *ifi = buf_put_zeros(b, MNL_ALIGN(sizeof *ifi));

    nlh->nlmsg_type = type;
    ifi->ifi_index = ifindex;
    ifi->ifi_flags = flags;
    msg_at(b, 0)->nlmsg_len = b->size;
}

static void
test_link_events(void **state)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x11};
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct dpnl_port_event ev;
    uint32_t mtu = 9000, master = 7;
    uint16_t bad16 = 1;

    (void) state;
    put_link(&b, RTM_NEWLINK, 42, IFF_UP | IFF_LOWER_UP);
    append_attr(&b, 0, IFLA_IFNAME, "p1", 3);
    append_attr(&b, 0, IFLA_MTU, &mtu, sizeof mtu);
    append_attr(&b, 0, IFLA_ADDRESS, mac, sizeof mac);
    append_attr(&b, 0, IFLA_MASTER, &master, sizeof master);
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), 0);
    assert_int_equal(ev.kind, DPNL_EV_LINK_NEW);
    assert_int_equal(ev.ifindex, 42);
    assert_string_equal(ev.name, "p1");
    assert_true(ev.flags & IFF_UP);
    assert_true(ev.has_mtu);
    assert_int_equal(ev.mtu, 9000);
    assert_true(ev.has_mac);
    assert_memory_equal(ev.mac, mac, 6);
    assert_int_equal(ev.master, 7);

    /* Deleted, without a name; a non-Ethernet address is not a MAC. */
    buf_clear(&b);
    put_link(&b, RTM_DELLINK, 43, 0);
    append_attr(&b, 0, IFLA_ADDRESS, mac, 4);
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), 0);
    assert_int_equal(ev.kind, DPNL_EV_LINK_DEL);
    assert_null(ev.name);
    assert_false(ev.has_mac);
    assert_false(ev.has_mtu);

    /* Refused: an MTU of the wrong size, an unterminated name, another
     * message type, a header cut short. */
    buf_clear(&b);
    put_link(&b, RTM_NEWLINK, 1, 0);
    append_attr(&b, 0, IFLA_MTU, &bad16, sizeof bad16);
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), EINVAL);
    buf_clear(&b);
    put_link(&b, RTM_NEWLINK, 1, 0);
    append_attr(&b, 0, IFLA_IFNAME, "p1", 2);
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), EINVAL);
    buf_clear(&b);
    put_link(&b, RTM_NEWADDR, 1, 0);
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), EINVAL);
    buf_clear(&b);
    put_link(&b, RTM_NEWLINK, 1, 0);
    msg_at(&b, 0)->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
    assert_int_equal(dpnl_parse_link_event(msg_at(&b, 0), &ev), EINVAL);
    buf_uninit(&b);
}

static void
test_vport_events(void **state)
{
    struct dpnl_vport_req r = {
        .cmd = OVS_VPORT_CMD_NEW,
        .dp_ifindex = 9,
        .name = "tap0",
        .port_no = 3,
        .type = OVS_VPORT_TYPE_NETDEV,
    };
    struct buf b = BUF_EMPTY_INITIALIZER;
    struct dpnl_port_event ev;

    (void) state;
    dpnl_put_vport(&b, FAMILY, 0, &r);
    assert_int_equal(dpnl_parse_vport_event(msg_at(&b, 0), FAMILY, &ev), 0);
    assert_int_equal(ev.kind, DPNL_EV_VPORT_NEW);
    assert_int_equal(ev.ifindex, 9);
    assert_int_equal(ev.port_no, 3);
    assert_string_equal(ev.name, "tap0");
    /* Another family's message, or no family known yet. */
    assert_int_equal(dpnl_parse_vport_event(msg_at(&b, 0), FAMILY + 1, &ev),
                     EINVAL);
    assert_int_equal(dpnl_parse_vport_event(msg_at(&b, 0), 0, &ev), EINVAL);
    buf_clear(&b);
    r.cmd = OVS_VPORT_CMD_DEL;
    dpnl_put_vport(&b, FAMILY, 0, &r);
    assert_int_equal(dpnl_parse_vport_event(msg_at(&b, 0), FAMILY, &ev), 0);
    assert_int_equal(ev.kind, DPNL_EV_VPORT_DEL);
    /* A GET is no event. */
    buf_clear(&b);
    r.cmd = OVS_VPORT_CMD_GET;
    dpnl_put_vport(&b, FAMILY, 0, &r);
    assert_int_equal(dpnl_parse_vport_event(msg_at(&b, 0), FAMILY, &ev),
                     EINVAL);
    buf_uninit(&b);
}

/* Appends a nest of type 'type' holding group 'name' with id 'id' to the
 * buffer 'nest' (raw attributes). */
static void
put_group(struct buf *nest, uint16_t type, const char *name, uint32_t id)
{
    struct buf g = BUF_EMPTY_INITIALIZER;
    struct nlattr *a;
    size_t len = strlen(name) + 1;

    a = buf_put_zeros(&g, MNL_ALIGN(MNL_ATTR_HDRLEN + len));
    a->nla_type = CTRL_ATTR_MCAST_GRP_NAME;
    a->nla_len = MNL_ATTR_HDRLEN + len;
    memcpy(a + 1, name, len);
    a = buf_put_zeros(&g, MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof id));
    a->nla_type = CTRL_ATTR_MCAST_GRP_ID;
    a->nla_len = MNL_ATTR_HDRLEN + sizeof id;
    memcpy(a + 1, &id, sizeof id);
    a = buf_put_zeros(nest, MNL_ATTR_HDRLEN);
    a->nla_type = type | NLA_F_NESTED;
    a->nla_len = MNL_ATTR_HDRLEN + g.size;
    buf_put(nest, g.data, g.size);
    buf_uninit(&g);
}

static void
test_mcast_group(void **state)
{
    struct buf b = BUF_EMPTY_INITIALIZER, nest = BUF_EMPTY_INITIALIZER;
    uint16_t family = 0x25;
    uint32_t id = 0;

    (void) state;
    dpnl_put_getfamily(&b, 1, OVS_VPORT_FAMILY);
    append_attr(&b, 0, CTRL_ATTR_FAMILY_ID, &family, sizeof family);
    assert_int_equal(dpnl_parse_mcast_group(msg_at(&b, 0), "ovs_vport", &id),
                     ENOENT);
    put_group(&nest, 1, "other", 5);
    put_group(&nest, 2, "ovs_vport", 6);
    append_attr(&b, 0, CTRL_ATTR_MCAST_GROUPS, nest.data, nest.size);
    assert_int_equal(dpnl_parse_mcast_group(msg_at(&b, 0), "ovs_vport", &id),
                     0);
    assert_int_equal(id, 6);
    assert_int_equal(dpnl_parse_mcast_group(msg_at(&b, 0), "none", &id),
                     ENOENT);
    /* A group whose id has the wrong size fails the message. */
    buf_clear(&b);
    buf_clear(&nest);
    dpnl_put_getfamily(&b, 1, OVS_VPORT_FAMILY);
    put_group(&nest, 1, "ovs_vport", 6);
    ((struct nlattr *) (nest.data + nest.size - 8))->nla_len = 6;
    append_attr(&b, 0, CTRL_ATTR_MCAST_GROUPS, nest.data, nest.size);
    assert_int_equal(dpnl_parse_mcast_group(msg_at(&b, 0), "ovs_vport", &id),
                     EINVAL);
    buf_uninit(&nest);
    buf_uninit(&b);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_request),
        cmocka_unit_test(test_batch),
        cmocka_unit_test(test_msg_bounds),
        cmocka_unit_test(test_dp_and_vport_requests),
        cmocka_unit_test(test_parse_vport),
        cmocka_unit_test(test_parse_flow),
        cmocka_unit_test(test_parse_upcall),
        cmocka_unit_test(test_parse_error),
        cmocka_unit_test(test_family_and_dp),
        cmocka_unit_test(test_link_events),
        cmocka_unit_test(test_vport_events),
        cmocka_unit_test(test_mcast_group),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
