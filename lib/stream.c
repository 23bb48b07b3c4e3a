/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/stream.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include "vswitch/util.h"

static int
parse_error(char **errorp, const char *fmt, const char *name)
{
    if (errorp) {
        *errorp = xasprintf(fmt, name);
    }
    return EINVAL;
}

static bool
parse_port(const char *s, uint16_t *port)
{
    long long v;

    if (!vs_str_to_llong(s, 0, 65535, &v)) {
        return false;
    }
    *port = v;
    return true;
}

/* Fills 'addr' with IP 'host' ("" = any) and 'port'. */
static bool
make_inet(const char *host, uint16_t port, bool passive,
          struct stream_addr *addr)
{
    memset(&addr->ss, 0, sizeof addr->ss);
    if (!*host && passive) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &addr->ss;

        /* Dual-stack "any". */
        sin6->sin6_family = AF_INET6;
        sin6->sin6_addr = in6addr_any;
        sin6->sin6_port = htons(port);
        addr->family = AF_INET6;
        addr->ss_len = sizeof *sin6;
        return true;
    }
    {
        struct sockaddr_in *sin = (struct sockaddr_in *) &addr->ss;

        if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
            sin->sin_family = AF_INET;
            sin->sin_port = htons(port);
            addr->family = AF_INET;
            addr->ss_len = sizeof *sin;
            return true;
        }
    }
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &addr->ss;

        if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
            sin6->sin6_family = AF_INET6;
            sin6->sin6_port = htons(port);
            addr->family = AF_INET6;
            addr->ss_len = sizeof *sin6;
            return true;
        }
    }
    return false;
}

/* Splits "HOST[:PORT]" (HOST may be "[v6]") for active TCP, or
 * "[PORT][:HOST]" for passive TCP. */
static int
parse_tcp(const char *rest, uint16_t default_port, bool passive,
          struct stream_addr *addr, const char *name, char **errorp)
{
    char *copy = xstrdup(rest), *host, *port_s;
    uint16_t port = default_port;
    int error = 0;

    if (passive) {
        port_s = copy;
        host = strchr(copy, ':');
        if (host) {
            *host++ = '\0';
        } else {
            host = copy + strlen(copy);
        }
    } else {
        host = copy;
        if (host[0] == '[') {
            char *end = strchr(host, ']');

            if (!end) {
                error = parse_error(errorp, "%s: missing ']'", name);
                goto out;
            }
            *end = '\0';
            port_s = end[1] == ':' ? end + 2 : NULL;
            if (end[1] && end[1] != ':') {
                error = parse_error(errorp, "%s: junk after ']'", name);
                goto out;
            }
            host++;
        } else {
            port_s = strchr(host, ':');
            if (port_s) {
                *port_s++ = '\0';
            }
        }
        if (!*host) {
            error = parse_error(errorp, "%s: an address is required", name);
            goto out;
        }
    }
    if (host[0] == '[' && passive) {
        size_t len = strlen(host);

        if (len < 2 || host[len - 1] != ']') {
            error = parse_error(errorp, "%s: missing ']'", name);
            goto out;
        }
        host[len - 1] = '\0';
        host++;
    }
    if (port_s && *port_s && !parse_port(port_s, &port)) {
        error = parse_error(errorp, "%s: bad port number", name);
        goto out;
    }
    if (!make_inet(host, port, passive, addr)) {
        error = parse_error(errorp,
                            "%s: not an IPv4 or IPv6 address (host names "
                            "are not resolved)",
                            name);
    }
out:
    free(copy);
    return error;
}

int
stream_parse(const char *name, uint16_t default_port, struct stream_addr *addr,
             char **errorp)
{
    const char *colon = strchr(name, ':');
    size_t kind_len = colon ? (size_t) (colon - name) : 0;
    const char *rest = colon ? colon + 1 : NULL;

    if (errorp) {
        *errorp = NULL;
    }
    memset(addr, 0, sizeof *addr);
    if (!colon) {
        return parse_error(errorp,
                           "%s: expected unix:, tcp:, punix: or ptcp: "
                           "before the address",
                           name);
    }
    addr->passive = name[0] == 'p';
    if ((kind_len == 4 && !strncmp(name, "unix", 4))
        || (kind_len == 5 && !strncmp(name, "punix", 5))) {
        struct sockaddr_un *sun = (struct sockaddr_un *) &addr->ss;

        if (!*rest) {
            return parse_error(errorp, "%s: a path is required", name);
        }
        if (strlen(rest) >= sizeof sun->sun_path) {
            return parse_error(errorp, "%s: path too long", name);
        }
        sun->sun_family = AF_UNIX;
        strcpy(sun->sun_path, rest);
        addr->family = AF_UNIX;
        addr->ss_len = sizeof *sun;
        return 0;
    }
    if ((kind_len == 3 && !strncmp(name, "tcp", 3))
        || (kind_len == 4 && !strncmp(name, "ptcp", 4))) {
        return parse_tcp(rest, default_port, addr->passive, addr, name,
                         errorp);
    }
    return parse_error(errorp, "%s: unknown connection method", name);
}

bool
stream_name_is_active(const char *name)
{
    struct stream_addr addr;

    return !stream_parse(name, 1, &addr, NULL) && !addr.passive;
}

bool
stream_name_is_passive(const char *name)
{
    struct stream_addr addr;

    return !stream_parse(name, 1, &addr, NULL) && addr.passive;
}

static int
new_socket(int family)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

    if (fd >= 0 && family != AF_UNIX) {
        int one = 1;

        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

int
stream_open(const char *name, uint16_t default_port, int *fdp)
{
    struct stream_addr addr;
    int fd, error;

    *fdp = -1;
    error = stream_parse(name, default_port, &addr, NULL);
    if (error) {
        return error;
    }
    if (addr.passive) {
        return EINVAL;
    }
    fd = new_socket(addr.family);
    if (fd < 0) {
        return errno;
    }
    if (connect(fd, (struct sockaddr *) &addr.ss, addr.ss_len) < 0
        && errno != EINPROGRESS) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

int
stream_connect_result(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int error = 0;

    if (getpeername(fd, (struct sockaddr *) &ss, &len) == 0) {
        return 0;
    }
    len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return errno;
    }
    return error ? error : EAGAIN;
}

int
pstream_open(const char *name, uint16_t default_port, int *fdp)
{
    struct stream_addr addr;
    int fd, error, one = 1;

    *fdp = -1;
    error = stream_parse(name, default_port, &addr, NULL);
    if (error) {
        return error;
    }
    if (!addr.passive) {
        return EINVAL;
    }
    fd = new_socket(addr.family);
    if (fd < 0) {
        return errno;
    }
    if (addr.family == AF_UNIX) {
        unlink(((struct sockaddr_un *) &addr.ss)->sun_path);
    } else {
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    }
    if (bind(fd, (struct sockaddr *) &addr.ss, addr.ss_len) < 0
        || listen(fd, 128) < 0) {
        error = errno;
        close(fd);
        return error;
    }
    *fdp = fd;
    return 0;
}

int
pstream_accept(int listen_fd, int *fdp)
{
    int fd;

    *fdp = -1;
    do {
        fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        return errno == EWOULDBLOCK ? EAGAIN : errno;
    }
    {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int one = 1;

        if (!getsockname(fd, (struct sockaddr *) &ss, &len)
            && ss.ss_family != AF_UNIX) {
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
    }
    *fdp = fd;
    return 0;
}

uint16_t
pstream_get_port(int listen_fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;

    if (getsockname(listen_fd, (struct sockaddr *) &ss, &len) < 0) {
        return 0;
    }
    if (ss.ss_family == AF_INET) {
        return ntohs(((struct sockaddr_in *) &ss)->sin_port);
    }
    if (ss.ss_family == AF_INET6) {
        return ntohs(((struct sockaddr_in6 *) &ss)->sin6_port);
    }
    return 0;
}
