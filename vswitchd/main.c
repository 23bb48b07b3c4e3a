/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitchd: the switch daemon.
 *
 * For now it hosts the userspace datapath without the database: datapaths
 * and ports come from the command line or from unixctl (`dpctl/add-dp`,
 * `dpctl/add-if`), flows from `vswitch-dpctl` (the dpctl commands).  The datapath
 * code lives in lib/ (dpif, dpif-netdev, dpctl); this file is glue that the
 * bridge layer will replace.
 *
 * usage: vswitchd [--datapath=NAME] [--add-if=IFACE[,type=T]]...
 *                 [--dp-threads=N] [DAEMON OPTIONS]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include "vswitch/daemon.h"
#include "vswitch/dpctl.h"
#include "vswitch/ds.h"
#include "vswitch/evloop.h"
#include "vswitch/unixctl.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(vswitchd);

enum {
    OPT_DATAPATH = 2000,
    OPT_ADD_IF,
    OPT_DP_THREADS,
};

static void
usage(void)
{
    printf("%s: vswitch daemon (userspace datapath)\n"
           "usage: %s [OPTIONS]\n"
           "  --datapath=NAME        create netdev datapath NAME\n"
           "  --add-if=IFACE[,type=T]  add a port to it (repeatable)\n"
           "  --dp-threads=N         I/O threads of the datapath\n"
           "  -h, --help             this help\n"
           "  -V, --version          version\n",
           vs_program_name(), vs_program_name());
    daemon_usage();
}

static void
run_or_die(int argc, const char *argv[])
{
    struct ds out = DS_EMPTY_INITIALIZER;

    if (dpctl_run(argc, argv, &out)) {
        vs_fatal(1, "%s", ds_cstr(&out));
    }
    ds_destroy(&out);
}

static void
periodic(void *aux)
{
    dpctl_run_periodic();
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        DAEMON_LONG_OPTIONS,
        {"datapath", required_argument, NULL, OPT_DATAPATH},
        {"add-if", required_argument, NULL, OPT_ADD_IF},
        {"dp-threads", required_argument, NULL, OPT_DP_THREADS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    static const int caps[] = {CAP_NET_ADMIN, CAP_NET_RAW};
    const char *datapath = NULL, *threads = NULL;
    struct unixctl_server *server;
    const char **ifaces = NULL;
    struct evloop *loop;
    int c, error, n_ifaces = 0;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hVv::", long_options, NULL)) != -1) {
        switch (c) {
            DAEMON_OPTION_HANDLERS
        case OPT_DATAPATH:
            datapath = optarg;
            break;
        case OPT_ADD_IF:
            ifaces = xrealloc(ifaces, (n_ifaces + 1) * sizeof *ifaces);
            ifaces[n_ifaces++] = optarg;
            break;
        case OPT_DP_THREADS:
            threads = optarg;
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);
            return 0;
        default:
            vs_fatal(2,
                     "unknown option or missing argument '%s' (use --help "
                     "for help)",
                     argv[optind - 1]);
        }
    }
    if (optind < argc) {
        vs_fatal(2, "unexpected argument \"%s\"", argv[optind]);
    }
    if ((n_ifaces || threads) && !datapath) {
        vs_fatal(2, "--add-if and --dp-threads need --datapath");
    }

    daemon_keep_capabilities(caps, ARRAY_SIZE(caps));
    daemon_start();
    loop = evloop_create();
    error = unixctl_server_create(loop, daemon_unixctl_path(), &server);
    if (error) {
        vs_fatal(1, "cannot create control socket: %s", vs_strerror(error));
    }
    dpctl_unixctl_register();
    if (datapath) {
        const char *add_dp[] = {"add-dp", datapath};

        run_or_die(2, add_dp);
        if (threads) {
            char *kv = xasprintf("n-threads=%s", threads);
            const char *cfg[] = {"set-config", datapath, kv};

            run_or_die(3, cfg);
            free(kv);
        }
        for (int i = 0; i < n_ifaces; i++) {
            const char *add_if[] = {"add-if", datapath, ifaces[i]};

            run_or_die(3, add_if);
        }
    }
    free(ifaces);
    evloop_add_timer(loop, 1000, 1000, periodic, NULL);
    daemon_install_signals(loop);
    daemon_ready();

    evloop_run(loop);

    VLOG_INFO("exiting");
    dpctl_destroy_all();
    unixctl_server_destroy(server);
    evloop_destroy(loop);
    daemon_cleanup();
    return 0;
}
