/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_TNL_VXLAN_H
#define VSWITCH_TNL_VXLAN_H 1

/*
 * tnl-vxlan: VXLAN (RFC 7348) for the userspace datapath.
 *
 * A VXLAN port of the netdev datapath is a pair of UDP sockets bound to
 * 0.0.0.0:dst_port and (IPV6_V6ONLY) [::]:dst_port in the daemon's network
 * namespace: the kernel's UDP stack builds and strips the outer IPv4 or
 * IPv6 and UDP headers, this module the 8-byte VXLAN header.  Receive
 * takes bursts of datagrams from both with recvmmsg(); the outer
 * addresses, TOS (traffic class) and TTL (hop limit) come from the socket
 * address and from IP_PKTINFO/IP_RECVTOS/IP_RECVTTL or IPV6_RECVPKTINFO/
 * IPV6_RECVTCLASS/IPV6_RECVHOPLIMIT control messages and become the
 * packet's 'struct flow_tnl'.  Send takes a burst of inner frames, each
 * with its own destination, source address (IP_PKTINFO, IPV6_PKTINFO),
 * TTL and TOS (control messages), and sends them with one sendmmsg() per
 * class and send socket: over IPv4 "don't fragment" x "UDP checksum" (each class has its
 * own sockets, since both are socket options); over IPv6 one class, always
 * with a UDP checksum (RFC 6935: a zero one needs the receiver's consent,
 * which Linux's vxlan gives only with udp6zerocsumrx) and never
 * fragmented (IPV6_PMTUDISC_DO).  Where the kernel has them, a TCP
 * super-segment leaves as UDP GSO buffers (UDP_SEGMENT: one message of
 * equal-size VXLAN datagrams that the kernel cuts apart) and receive takes
 * UDP GRO buffers (UDP_GRO: several datagrams of one flow, split here at
 * gso_size).  The datapath can merge decapsulated TCP segments back into
 * a super-segment for a port with virtio-net GSO (vxlan_coalesce_*()).
 * Each class has a pool of VXLAN_TX_N_SPORTS send sockets, each bound to
 * its own ephemeral source port; a frame leaves from the one its inner
 * flow hashes to (vxlan_flow_hash()), so the underlay's ECMP and RSS can
 * spread the flows while one flow keeps one port (no reordering).
 *
 * The pure parts (header build/parse, decapsulation of a datagram into
 * tunnel metadata, the ICMP "fragmentation needed"/ICMPv6 "packet too big"
 * reply to an oversized inner packet, software segmentation of virtio-net
 * GSO frames) have no state and are unit-tested and fuzzed on their own.
 *
 * Thread-safety: the pure functions touch only their arguments.  A socket's
 * receive side belongs to one thread (the I/O thread that owns the port);
 * vxlan_sock_send() may be called from several threads at once.  The
 * route MTU cache is per thread.
 */

#include <linux/virtio_net.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include "vswitch/flow.h"

#define VXLAN_HLEN 8             /* The VXLAN header. */
#define VXLAN_FLAG_I 0x08        /* "VNI valid", byte 0 of the header. */
#define VXLAN_DEFAULT_PORT 4789  /* IANA. */
#define VXLAN_IPV4_OVERHEAD 50   /* Outer Ethernet + IPv4 + UDP + VXLAN. */
#define VXLAN_IPV6_OVERHEAD 70   /* Outer Ethernet + IPv6 + UDP + VXLAN. */
#define VXLAN_IPV4_ENCAP_SIZE 36 /* What the socket adds: IPv4+UDP+VXLAN. */
#define VXLAN_IPV6_ENCAP_SIZE 56 /* What the socket adds: IPv6+UDP+VXLAN. */
#define VXLAN_MAX_BURST 32       /* Datagrams per recvmmsg()/sendmmsg(). */
/* Largest datagram received; anything longer is truncated and dropped. */
#define VXLAN_RX_BUF_SIZE 65536
/* Writable bytes in front of a received inner frame (the VXLAN header's
 * 8 bytes included). */
#define VXLAN_RX_HEADROOM 72

/* Why a received datagram was refused. */
enum vxlan_rx_verdict {
    VXLAN_RX_OK,        /* Well formed. */
    VXLAN_RX_SHORT,     /* Shorter than the header plus an Ethernet header. */
    VXLAN_RX_BAD_FLAGS, /* Flags other than exactly the I bit. */
    VXLAN_RX_RESERVED,  /* A reserved field is not zero. */
    VXLAN_RX_TRUNCATED, /* Did not fit the receive buffer. */
};

/* The outer headers of a received datagram, as the socket reported them
 * (addresses and ports in network order). */
struct vxlan_outer {
    vs_be32 ip_src;           /* Remote VTEP (IPv4; 0 over IPv6). */
    vs_be32 ip_dst;           /* Local address it was sent to (IPv4). */
    struct in6_addr ipv6_src; /* Remote VTEP over IPv6, else ::. */
    struct in6_addr ipv6_dst; /* Local IPv6 address it was sent to. */
    vs_be16 tp_src;           /* Remote UDP port. */
    vs_be16 tp_dst;           /* Our UDP port. */
    uint8_t tos;              /* Outer TOS. */
    uint8_t ttl;              /* Outer TTL. */
};

/* Writes the 8-byte header for 'vni' (low 24 bits used) to 'hdr'. */
void vxlan_header_put(uint8_t hdr[VXLAN_HLEN], uint32_t vni);

/* Parses the VXLAN header at the start of the 'size' bytes at 'data': the
 * flags must be exactly the I bit and the reserved fields zero (as Linux's
 * vxlan and our kernel module demand), and an Ethernet header must follow.
 * On VXLAN_RX_OK stores the VNI in '*vni'. */
enum vxlan_rx_verdict vxlan_header_parse(const uint8_t *data, size_t size,
                                         uint32_t *vni);

/* Decapsulates the UDP payload 'dgram' ('size' bytes) that arrived with
 * 'outer': on VXLAN_RX_OK fills 'tnl' (tun_id = the VNI, big-endian 64-bit;
 * ip_src/ip_dst or ipv6_src/ipv6_dst, ip_tos/ip_ttl/tp_src/tp_dst from
 * 'outer'; flags = FLOW_TNL_F_KEY: a UDP socket does not tell whether the
 * datagram had a checksum, over IPv4 or IPv6) and '*inner_ofs'
 * (VXLAN_HLEN: the inner Ethernet frame's offset in 'dgram'). */
enum vxlan_rx_verdict vxlan_decap(const uint8_t *dgram, size_t size,
                                  const struct vxlan_outer *outer,
                                  struct flow_tnl *tnl, size_t *inner_ofs);

/* The size of a frame's network packet: 'size' minus the Ethernet header
 * and any VLAN tags, or 0 if the frame is shorter than its L2 headers.
 * '*l3_ofs' gets the network header's offset and '*eth_type' (network
 * order) its type. */
size_t vxlan_l3_size(const uint8_t *frame, size_t size, size_t *l3_ofs,
                     uint16_t *eth_type);

/* Builds, in 'out' ('out_size' bytes, at least 1300), the reply to the
 * inner frame 'frame' ('size' bytes) that does not fit a tunnel whose inner
 * MTU is 'mtu': for IPv4 with DF an ICMP "fragmentation needed" (type 3
 * code 4, next-hop MTU 'mtu'), for IPv6 an ICMPv6 "packet too big" (MTU
 * 'mtu'), from the inner destination to the inner source with the Ethernet
 * addresses swapped, quoting as much of the packet as RFC 792/RFC 4443
 * allow (576 / 1280 bytes in all).  Returns the reply's size, or 0 if none
 * is due (not IP, IPv4 without DF, an ICMP error itself, malformed): the
 * caller then drops the frame. */
size_t vxlan_build_too_big(const uint8_t *frame, size_t size, uint32_t mtu,
                           uint8_t *out, size_t out_size);

/* Splits the TCP super-segment 'frame' ('size' bytes, offloads in 'vnet':
 * VIRTIO_NET_HDR_GSO_TCPV4/TCPV6, with csum_start at the TCP header) into
 * segments of at most vnet->gso_size payload bytes with complete IPv4 and
 * TCP checksums, calling 'cb' with each ('seg' is scratch memory valid
 * during the call).  Returns 0, or EINVAL for an unsupported or malformed
 * frame (nothing was passed to 'cb' then). */
int vxlan_gso_segment(const uint8_t *frame, size_t size,
                      const struct virtio_net_hdr *vnet,
                      void (*cb)(void *aux, uint8_t *seg, size_t seg_size),
                      void *aux);

/* UDP GSO (UDP_SEGMENT) limits: a send carries at most this many
 * segments and this many bytes of UDP payload (the IPv4 datagram's 64 KiB
 * less the IPv4 and UDP headers; IPv6 would allow 20 bytes more, the same
 * limit serves both). */
#define VXLAN_GSO_MAX_SEGS 64
#define VXLAN_GSO_MAX_SIZE (65535 - 20 - 8)

/* Builds, from the TCP super-segment 'frame' ('size' bytes, offloads in
 * 'vnet' as for vxlan_gso_segment()), UDP GSO buffers: each a run of
 * VXLAN datagram payloads (the header for 'vni', then one segment as
 * vxlan_gso_segment() makes it) of 'gso_size' bytes each, except that the
 * frame's last may be shorter, at most VXLAN_GSO_MAX_SEGS and
 * VXLAN_GSO_MAX_SIZE bytes per buffer.  Calls 'cb' with each buffer
 * ('buf' is scratch memory valid during the call) and its number of
 * datagrams.  Returns 0; EINVAL for an unsupported or malformed frame, or
 * EMSGSIZE if a datagram would exceed 'max_dgram' bytes or fewer than two
 * fit a buffer (nothing was passed to 'cb' then: segment in software). */
int vxlan_gso_build(const uint8_t *frame, size_t size,
                    const struct virtio_net_hdr *vnet, uint32_t vni,
                    size_t max_dgram,
                    void (*cb)(void *aux, uint8_t *buf, size_t buf_size,
                               size_t gso_size, unsigned int n_segs),
                    void *aux);

/* Splits a UDP GRO buffer of 'size' bytes received with 'gso_size' (0:
 * not coalesced) into its datagrams: each 'gso_size' bytes but the last,
 * which may be shorter.  Stores at most 'max' offsets in 'ofs' and sizes
 * in 'lens' and returns how many were stored. */
unsigned int vxlan_gro_split(size_t size, size_t gso_size, size_t *ofs,
                             size_t *lens, unsigned int max);

/* Receive coalescing: consecutive inner TCP segments of one flow, merged
 * back into one super-segment for a port that takes virtio-net GSO. */
struct vxlan_coalesce {
    uint8_t *buf;               /* The super-segment (caller-owned). */
    size_t size;                /* Bytes at 'buf'. */
    size_t cap;                 /* Bytes allocated at 'buf'. */
    size_t l3;                  /* Network header offset. */
    size_t l4;                  /* TCP header offset. */
    size_t hlen;                /* All headers' bytes. */
    size_t mss;                 /* The first segment's payload bytes. */
    uint32_t next_seq;          /* Sequence number expected next. */
    unsigned int n_segs;        /* Segments merged. */
    bool v4;                    /* IPv4, else IPv6. */
    bool closed;                /* A short or PSH segment ended it. */
    struct virtio_net_hdr vnet; /* Set by vxlan_coalesce_finish(). */
};

/* Starts 'c' (whose 'buf' and 'cap' the caller provides, at least 64 KiB)
 * with 'frame' ('size' bytes) if it is a plain IPv4/IPv6 TCP segment with
 * payload, flags ACK or ACK|PSH, unfragmented, without IP options and with
 * correct checksums.  Returns whether it did. */
bool vxlan_coalesce_start(struct vxlan_coalesce *c, const uint8_t *frame,
                          size_t size);
/* Appends the segment 'frame' to 'c' if it continues it: the same L2, IP
 * and TCP headers but for length, ID, checksums and sequence number (which
 * must be the next one expected), flags ACK or ACK|PSH, a payload no
 * longer than the first's, correct checksums, room left (64 KiB, 64
 * segments).  A shorter or PSH segment closes 'c'.  Returns whether it
 * did. */
bool vxlan_coalesce_add(struct vxlan_coalesce *c, const uint8_t *frame,
                        size_t size);
/* Completes 'c''s headers (lengths, IPv4 checksum, the TCP checksum left
 * partial as a pseudo-header seed) and fills 'c->vnet' (NEEDS_CSUM,
 * TCPV4/TCPV6 with gso_size = the first segment's payload). */
void vxlan_coalesce_finish(struct vxlan_coalesce *c);

/* Completes, in place, a checksum left to the hardware
 * (VIRTIO_NET_HDR_F_NEEDS_CSUM in 'vnet').  Returns 0 or EINVAL. */
int vxlan_complete_csum(uint8_t *frame, size_t size,
                        const struct virtio_net_hdr *vnet);

/* A sender on this host (a VTEP in another namespace across veth) hands
 * its inner TCP/UDP checksum over unfinished (CHECKSUM_PARTIAL crosses
 * veth, and local UDP delivery does not finish it): the field holds only
 * the pseudo-header sum.  If the inner IPv4/IPv6 TCP or UDP checksum of
 * 'frame' is wrong and equals that seed, completes it in place and returns
 * true; a correct, absent or otherwise wrong checksum is left alone (a
 * corrupt packet stays corrupt). */
bool vxlan_rx_complete_csum(uint8_t *frame, size_t size);

/* A sender on this host can also hand over a whole TCP super-segment in one
 * datagram (a UDP-tunnel GSO packet crossing veth reaches the socket
 * unsegmented).  If 'frame''s network packet is IPv4/IPv6 TCP longer than
 * 'mtu', fills 'vnet' to describe it as a super-segment of MSS-sized
 * segments that fit 'mtu' (checksum left partial, as it arrived) and
 * returns true. */
bool vxlan_rx_gso(const uint8_t *frame, size_t size, uint32_t mtu,
                  struct virtio_net_hdr *vnet);

/* The MTU of the route to 'dst' (network order), from a per-thread cache
 * refreshed every second (a connected UDP socket's IP_MTU).  1500 if the
 * kernel cannot tell (no route: the send will then fail and be counted). */
uint32_t vxlan_route_mtu(vs_be32 dst);
/* The same for the IPv6 destination 'dst' (IPV6_MTU). */
uint32_t vxlan_route_mtu6(const struct in6_addr *dst);

/* Whether 'tnl' sends over IPv6: no IPv4 destination, an IPv6 one. */
bool vxlan_tnl_is_ipv6(const struct flow_tnl *tnl);
/* The MTU of the route to 'tnl''s destination, IPv4 or IPv6. */
uint32_t vxlan_tnl_route_mtu(const struct flow_tnl *tnl);
/* What the socket puts in front of an inner frame: VXLAN_IPV6_ENCAP_SIZE
 * over IPv6, else VXLAN_IPV4_ENCAP_SIZE. */
uint32_t vxlan_encap_size(bool ipv6);
/* The largest network packet behind 'l3_ofs' bytes of L2 headers (14
 * untagged, 4 more per VLAN tag) that fits, encapsulated, a route MTU of
 * 'route_mtu': 'route_mtu' - vxlan_encap_size('ipv6') - 'l3_ofs', or 0 if
 * nothing fits.  (1500 gives 1450 over IPv4, 1430 over IPv6.) */
uint32_t vxlan_inner_mtu(uint32_t route_mtu, bool ipv6, size_t l3_ofs);

/* Sockets. */

/* Counters of one port, added once per burst (relaxed atomics). */
struct vxlan_stats {
    atomic_uint_fast64_t rx_packets; /* Frames decapsulated. */
    atomic_uint_fast64_t rx_bytes;   /* Their inner bytes. */
    atomic_uint_fast64_t rx_errors;  /* Malformed datagrams. */
    atomic_uint_fast64_t tx_packets; /* Frames sent. */
    atomic_uint_fast64_t tx_bytes;   /* Their inner bytes. */
    atomic_uint_fast64_t tx_dropped; /* Too big, no tunnel metadata. */
    atomic_uint_fast64_t tx_errors;  /* Refused by the socket. */
};

/* One received inner frame. */
struct vxlan_rx_frame {
    uint8_t *data;              /* Inner Ethernet header. */
    uint32_t size;              /* Bytes at 'data'. */
    uint32_t headroom;          /* Writable bytes before 'data'. */
    struct flow_tnl tnl;        /* Tunnel metadata. */
    bool has_vnet;              /* 'vnet' is meaningful. */
    struct virtio_net_hdr vnet; /* A TCP super-segment's offloads. */
};

/* Frames one vxlan_sock_recv() can return: a burst of UDP GRO buffers,
 * each of up to VXLAN_GSO_MAX_SEGS datagrams. */
#define VXLAN_RX_MAX_FRAMES (VXLAN_MAX_BURST * VXLAN_GSO_MAX_SEGS)

struct vxlan_rx_batch {
    unsigned int n;                                    /* Frames. */
    struct vxlan_rx_frame frames[VXLAN_RX_MAX_FRAMES]; /* Frames. */
};

/* One frame queued for sending. */
struct vxlan_tx_slot {
    uint8_t hdr[VXLAN_HLEN]; /* VXLAN header. */
    uint8_t *buf;            /* Copy of the inner frame (slot-owned). */
    size_t cap;              /* Bytes allocated at 'buf'. */
    size_t size;             /* Inner frame bytes. */
    vs_be32 dst;             /* Remote VTEP over IPv4. */
    vs_be32 src;             /* Source address, 0: the route's. */
    struct in6_addr dst6;    /* Remote VTEP over IPv6 (cls VXLAN_TX_V6). */
    struct in6_addr src6;    /* Source address, :: for the route's. */
    uint8_t tos;             /* Outer TOS (traffic class). */
    uint8_t ttl;             /* Outer TTL (hop limit), 0: the default. */
    uint8_t cls;             /* VXLAN_TX_DF | VXLAN_TX_CSUM, or _V6. */
    uint8_t sport;           /* Send socket in the class's pool. */
    uint16_t gso_size;       /* 0, or 'buf' holds whole UDP payloads... */
    uint16_t n_segs;         /* ...this many, of 'gso_size' bytes each. */
};

#define VXLAN_TX_DF 1   /* Outer "don't fragment" (IPv4). */
#define VXLAN_TX_CSUM 2 /* Outer UDP checksum (IPv4). */
/* Over IPv6, a class of its own: always a UDP checksum, never
 * fragmented (DF and CSUM do not apply). */
#define VXLAN_TX_V6 4
#define VXLAN_TX_N_CLS 5

/* Send sockets per class, each with its own ephemeral UDP source port: a
 * frame leaves from the one its inner flow hashes to (RFC 7348 section 5's
 * source-port entropy for ECMP/RSS in the underlay).  A power of two. */
#define VXLAN_TX_N_SPORTS 8

/* A hash of the inner frame 'frame' ('size' bytes): its Ethernet
 * addresses, and for IPv4 and IPv6 the addresses and protocol, and for TCP
 * and UDP (not fragmented, IPv6 without extension headers) the ports.
 * Every packet of a flow, every segment of a TCP super-segment, has the
 * same hash.  Reads nothing past 'size' bytes: a truncated frame hashes by
 * what it has. */
uint32_t vxlan_flow_hash(const uint8_t *frame, size_t size);

/* Room for the control messages vxlan_tx_put_cmsgs() writes. */
#define VXLAN_TX_CMSG_SPACE                                                   \
    (CMSG_SPACE(sizeof(struct in6_pktinfo)) + 2 * CMSG_SPACE(sizeof(int))     \
     + CMSG_SPACE(sizeof(uint16_t)))

struct vxlan_tx_batch {
    unsigned int n;                              /* Queued frames. */
    bool queued;                                 /* On a flush list. */
    struct vxlan_tx_slot slots[VXLAN_MAX_BURST]; /* Frames. */
};

struct vxlan_sock;

/* Writes into 'm''s control buffer (msg_control, at least
 * VXLAN_TX_CMSG_SPACE bytes, aligned for a cmsghdr) the control messages
 * that send slot 'sl' needs: its source address (IP_PKTINFO or
 * IPV6_PKTINFO, if set), TTL (IP_TTL or IPV6_HOPLIMIT, if not 0), TOS
 * (IP_TOS or IPV6_TCLASS, if not 0) and UDP_SEGMENT (if a GSO buffer);
 * sets msg_controllen, or msg_control to NULL if none is due. */
void vxlan_tx_put_cmsgs(struct msghdr *m, const struct vxlan_tx_slot *sl);

/* Opens a VXLAN port's sockets for UDP port 'port' (host order): the
 * receive sockets bound to 0.0.0.0:'port' and [::]:'port' and the send
 * sockets, VXLAN_TX_N_SPORTS per class (2 + 5 * VXLAN_TX_N_SPORTS
 * descriptors in all, 2 + 4 * VXLAN_TX_N_SPORTS without IPv6).  Without IPv6 in the kernel (EAFNOSUPPORT) the port is IPv4
 * only.  Returns 0 or a positive errno (EADDRINUSE if the port is
 * taken). */
int vxlan_sock_open(uint16_t port, struct vxlan_sock **);
void vxlan_sock_close(struct vxlan_sock *);
/* The receive sockets, for epoll (VXLAN_RX_V4 and VXLAN_RX_V6 for
 * vxlan_sock_recv()); vxlan_sock_fd6() is -1 for a port without IPv6. */
int vxlan_sock_fd(const struct vxlan_sock *);
int vxlan_sock_fd6(const struct vxlan_sock *);
uint16_t vxlan_sock_port(const struct vxlan_sock *);
struct vxlan_stats *vxlan_sock_stats(struct vxlan_sock *);

/* Which receive sockets vxlan_sock_recv() reads. */
#define VXLAN_RX_V4 1 /* 0.0.0.0:dst_port. */
#define VXLAN_RX_V6 2 /* [::]:dst_port. */
#define VXLAN_RX_BOTH (VXLAN_RX_V4 | VXLAN_RX_V6)

/* Receives up to VXLAN_MAX_BURST datagrams from the receive sockets in
 * 'which' (VXLAN_RX_*: the one epoll found readable, or both; with both,
 * which goes first alternates from call to call), or UDP GRO buffers of
 * several datagrams of one flow (UDP_GRO, Linux 5.0, where the kernel
 * takes it),
 * and decapsulates them into 'batch' (frames valid until the next call,
 * each with 'headroom' writable bytes in front: VXLAN_RX_HEADROOM for a
 * buffer's first datagram, VXLAN_HLEN for the others, whose front is the
 * previous one's tail).  Malformed ones are counted and skipped.  Returns 0 (even
 * if every datagram was malformed and 'batch' is empty), EAGAIN if
 * nothing was waiting, or another errno. */
int vxlan_sock_recv(struct vxlan_sock *, unsigned int which,
                    struct vxlan_rx_batch *batch);

/* Queues a copy of 'frame' in 'batch' (which must not be full) with the
 * header for 'tnl''s tun_id and its outer parameters: class VXLAN_TX_V6
 * if vxlan_tnl_is_ipv6('tnl') (ipv6_dst, ipv6_src), else by 'tnl''s df
 * and csum flags (ip_dst, ip_src); the send socket of the class by
 * vxlan_flow_hash('frame'). */
void vxlan_tx_queue(struct vxlan_tx_batch *batch, const uint8_t *frame,
                    size_t size, const struct flow_tnl *tnl);
/* Queues a copy of the UDP GSO buffer 'buf' ('size' bytes: 'n_segs' VXLAN
 * datagram payloads of 'gso_size' bytes, the last possibly shorter, as
 * vxlan_gso_build() makes them) in 'batch' (which must not be full) with
 * 'tnl''s outer parameters, on the send socket the first segment's inner
 * frame hashes to (all are one flow).  The kernel refuses UDP GSO without a UDP
 * checksum, so the buffer always leaves with one. */
void vxlan_tx_queue_gso(struct vxlan_tx_batch *batch, const uint8_t *buf,
                        size_t size, size_t gso_size, unsigned int n_segs,
                        const struct flow_tnl *tnl);
/* Whether the kernel takes UDP GSO (UDP_SEGMENT, Linux 4.18), probed once
 * when the port was opened. */
bool vxlan_sock_has_gso(const struct vxlan_sock *);
/* Sends and empties 'batch', counting in the socket's stats: one
 * sendmmsg() per (class, send socket) that has frames, in queue order
 * within each.  Returns the number of frames refused with EMSGSIZE
 * (already counted as tx_dropped). */
unsigned int vxlan_sock_send(struct vxlan_sock *, struct vxlan_tx_batch *);
/* Frees the slots' buffers. */
void vxlan_tx_batch_destroy(struct vxlan_tx_batch *);

#endif /* VSWITCH_TNL_VXLAN_H */
