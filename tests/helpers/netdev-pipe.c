/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netdev-pipe: a two-port wire built on the netdev layer.  Every frame
 * received on one port is sent out of the other, offload headers included.
 * Tests use it to prove the port I/O path (VLAN tags, checksum and GSO
 * offloads, tap devices) independently of the switch logic.
 *
 * usage: netdev-pipe [--count-file FILE] NAME1[:TYPE] NAME2[:TYPE]
 *
 * Runs until SIGTERM/SIGINT; then, with --count-file, writes
 * "a_to_b b_to_a" frame counts to FILE.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/evloop.h"
#include "vswitch/netdev.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(netdev_pipe);

struct port {
    struct netdev *netdev;
    struct netdev_rxq *rxq;
    struct port *peer;
    unsigned long long forwarded;
};

static void
on_readable(int fd, uint32_t events, void *port_)
{
    struct port *port = port_;
    struct netdev_batch batch;

    for (int i = 0; i < 8; i++) {
        int error = netdev_rxq_recv(port->rxq, &batch);

        if (error) {
            if (error != EAGAIN) {
                VLOG_WARN("%s: receive: %s", netdev_get_name(port->netdev),
                          vs_strerror(error));
            }
            return;
        }
        netdev_send(port->peer->netdev, batch.frames, batch.count);
        port->forwarded += batch.count;
    }
}

static void
on_signal(int signo, void *loop)
{
    evloop_stop(loop);
}

static void
open_port(const char *spec, struct port *port)
{
    char *name = xstrdup(spec), *type = strchr(name, ':');
    int error;

    if (type) {
        *type++ = '\0';
    }
    error = netdev_open(name, type ? type : "system", &port->netdev);
    if (!error) {
        error = netdev_rxq_open(port->netdev, &port->rxq);
    }
    if (error) {
        vs_fatal(1, "%s: %s", spec, vs_strerror(error));
    }
    free(name);
}

int
main(int argc, char *argv[])
{
    static const struct option options[] = {
        {"count-file", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    const char *count_file = NULL;
    struct port ports[2];
    struct evloop *loop;
    int c;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'c') {
            count_file = optarg;
        } else {
            vs_fatal(2, "unknown option (usage: netdev-pipe [--count-file "
                        "FILE] NAME1[:TYPE] NAME2[:TYPE])");
        }
    }
    if (argc - optind != 2) {
        vs_fatal(2, "two ports are required");
    }
    memset(ports, 0, sizeof ports);
    open_port(argv[optind], &ports[0]);
    open_port(argv[optind + 1], &ports[1]);
    ports[0].peer = &ports[1];
    ports[1].peer = &ports[0];

    loop = evloop_create();
    evloop_add_signal(loop, SIGTERM, on_signal, loop);
    evloop_add_signal(loop, SIGINT, on_signal, loop);
    for (int i = 0; i < 2; i++) {
        evloop_add_fd(loop, netdev_rxq_fd(ports[i].rxq), EPOLLIN, on_readable,
                      &ports[i]);
    }
    printf("ready\n");
    fflush(stdout);
    evloop_run(loop);

    if (count_file) {
        FILE *f = fopen(count_file, "w");

        if (f) {
            fprintf(f, "%llu %llu\n", ports[0].forwarded, ports[1].forwarded);
            fclose(f);
        }
    }
    for (int i = 0; i < 2; i++) {
        netdev_rxq_close(ports[i].rxq);
        netdev_close(ports[i].netdev);
    }
    evloop_destroy(loop);
    return 0;
}
