/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vswitch-appctl: send a command to a running vswitch daemon's control
 * socket and print the answer (the counterpart of ovs-appctl).
 *
 * Exit status: 0 success, 1 the command failed or the daemon could not be
 * reached, 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vswitch/unixctl.h"
#include "vswitch/util.h"

static void
usage(void)
{
    printf("%s: control a running vswitch daemon\n"
           "usage: %s [OPTIONS] COMMAND [ARG...]\n"
           "The command list-commands shows what a daemon accepts.\n"
           "\nOptions:\n"
           "  -t, --target=TARGET  daemon name (PID read from "
           "RUNDIR/TARGET.pid) or socket path\n"
           "                       (default: vswitchd; RUNDIR is %s)\n"
           "  -T, --timeout=SECS   wait at most SECS seconds for an answer\n"
           "  -h, --help           this help\n"
           "  -V, --version        version\n",
           vs_program_name(), vs_program_name(), vs_rundir());
}

int
main(int argc, char *argv[])
{
    static const struct option long_options[] = {
        {"target", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'T'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *target = "vswitchd";
    struct unixctl_client *client;
    char *path, *result, *reply_error, *error;
    long long timeout = -1;
    int c, rc;

    vs_set_program_name(argv[0]);
    opterr = 0;
    while ((c = getopt_long(argc, argv, "+t:T:hV", long_options, NULL))
           != -1) {
        switch (c) {
        case 't':
            target = optarg;
            break;
        case 'T':
            if (!vs_str_to_llong(optarg, 0, 86400, &timeout)) {
                vs_fatal(2, "--timeout: \"%s\" is not a number of seconds",
                         optarg);
            }
            timeout *= 1000;
            break;
        case 'h':
            usage();
            return 0;
        case 'V':
            printf("%s (vswitch) %s\n", vs_program_name(), VSWITCH_VERSION);
            return 0;
        case '?':
            if (optopt) {
                vs_fatal(2,
                         "option '-%c' is unknown or needs an argument "
                         "(use --help for help)",
                         optopt);
            }
            vs_fatal(2, "unknown option '%s' (use --help for help)",
                     argv[optind - 1]);
        default:
            vs_fatal(2, "bad option (use --help for help)");
        }
    }
    if (optind >= argc) {
        vs_fatal(2, "at least one non-option argument is required "
                    "(use --help for help)");
    }

    path = unixctl_resolve_target(target, &error);
    if (!path) {
        vs_fatal(1, "%s", error);
    }
    rc = unixctl_client_create(path, &client);
    if (rc) {
        vs_fatal(1, "cannot connect to \"%s\" (%s)", path, vs_strerror(rc));
    }
    rc = unixctl_client_transact(client, argv[optind], argc - optind - 1,
                                 &argv[optind + 1], (int) timeout, &result,
                                 &reply_error);
    if (rc) {
        vs_fatal(1, "%s: transaction error (%s)", path,
                 rc == ETIMEDOUT ? "timed out" : vs_strerror(rc));
    }
    unixctl_client_destroy(client);
    free(path);
    if (reply_error) {
        fputs(reply_error, stderr);
        if (*reply_error && reply_error[strlen(reply_error) - 1] != '\n') {
            fputc('\n', stderr);
        }
        fprintf(stderr, "%s: server returned an error\n", vs_program_name());
        free(reply_error);
        return 1;
    }
    fputs(result, stdout);
    free(result);
    return 0;
}
