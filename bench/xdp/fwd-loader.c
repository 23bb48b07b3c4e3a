/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fwd-loader: loads bench/xdp/fwd.bpf.o (the "xdp-limit" switch) onto a
 * set of switch-side veth ends and keeps it there until it is told to
 * stop.
 *
 *     vsb-xdp-fwd OBJECT IFNAME=PEERMAC IFNAME=PEERMAC...
 *
 * Port i (0-based, in argument order) is the device IFNAME; frames whose
 * destination is PEERMAC (the MAC of the namespace-side end of that veth)
 * are redirected to it.  The program is attached through BPF links, so it
 * goes away with this process: the harness stops the switch by sending
 * SIGTERM (or SIGINT) to the pid, and a crash cannot leave it behind.
 * Prints "ready" on stdout once every port forwards.
 *
 * Exit status: 0 after a clean stop, 1 on any set-up error (with a message
 * on stderr).
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define FWD_MAX_PORTS 8 /* VSB_MAX_PORTS of fwd.bpf.c */

static volatile sig_atomic_t fwd_stop; /* set by the signal handler */

static void
fwd_on_signal(int sig)
{
    (void) sig;
    fwd_stop = 1;
}

/* Parses "aa:bb:cc:dd:ee:ff" into the low 6 bytes of '*key' (the layout
 * fwd.bpf.c uses).  Returns true on success. */
static bool
fwd_parse_mac(const char *s, uint64_t *key)
{
    unsigned int b[6];
    char tail;
    uint8_t mac[8] = {0};
    int i;

    if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4],
               &b[5], &tail)
        != 6) {
        return false;
    }
    for (i = 0; i < 6; i++) {
        if (b[i] > 0xff) {
            return false;
        }
        mac[i] = b[i];
    }
    memcpy(key, mac, sizeof *key);
    return true;
}

int
main(int argc, char *argv[])
{
    struct bpf_link *links[FWD_MAX_PORTS] = {NULL};
    struct bpf_object *obj;
    struct bpf_program *prog;
    int ports_fd, fdb_fd, n_ports, i, status = 1;

    if (argc < 3 || argc - 2 > FWD_MAX_PORTS) {
        fprintf(stderr,
                "usage: %s OBJECT IFNAME=PEERMAC... (1 to %d "
                "ports)\n",
                argv[0], FWD_MAX_PORTS);
        return 1;
    }
    n_ports = argc - 2;

    obj = bpf_object__open_file(argv[1], NULL);
    if (!obj) {
        fprintf(stderr, "%s: cannot open: %s\n", argv[1], strerror(errno));
        return 1;
    }
    if (bpf_object__load(obj)) {
        fprintf(stderr, "%s: cannot load: %s\n", argv[1], strerror(errno));
        goto err_close;
    }
    prog = bpf_object__find_program_by_name(obj, "vsb_fwd");
    ports_fd = bpf_object__find_map_fd_by_name(obj, "vsb_ports");
    fdb_fd = bpf_object__find_map_fd_by_name(obj, "vsb_fdb");
    if (!prog || ports_fd < 0 || fdb_fd < 0) {
        fprintf(stderr, "%s: program or maps missing\n", argv[1]);
        goto err_close;
    }

    for (i = 0; i < n_ports; i++) {
        char name[IF_NAMESIZE + 1];
        const char *arg = argv[i + 2], *eq = strchr(arg, '=');
        uint32_t port = i, ifindex;
        uint64_t key;

        if (!eq || (size_t) (eq - arg) > IF_NAMESIZE
            || !fwd_parse_mac(eq + 1, &key)) {
            fprintf(stderr, "bad port argument '%s' (want IFNAME=MAC)\n", arg);
            goto err_detach;
        }
        memcpy(name, arg, eq - arg);
        name[eq - arg] = '\0';
        ifindex = if_nametoindex(name);
        if (!ifindex) {
            fprintf(stderr, "%s: %s\n", name, strerror(errno));
            goto err_detach;
        }
        if (bpf_map_update_elem(ports_fd, &port, &ifindex, BPF_ANY)
            || bpf_map_update_elem(fdb_fd, &key, &port, BPF_ANY)) {
            fprintf(stderr, "%s: map update: %s\n", name, strerror(errno));
            goto err_detach;
        }
        links[i] = bpf_program__attach_xdp(prog, ifindex);
        if (!links[i]) {
            fprintf(stderr, "%s: XDP attach: %s\n", name, strerror(errno));
            goto err_detach;
        }
    }

    signal(SIGTERM, fwd_on_signal);
    signal(SIGINT, fwd_on_signal);
    printf("ready\n");
    fflush(stdout);
    while (!fwd_stop) {
        pause();
    }
    status = 0;

err_detach:
    for (i = 0; i < n_ports; i++) {
        bpf_link__destroy(links[i]);
    }
err_close:
    bpf_object__close(obj);
    return status;
}
