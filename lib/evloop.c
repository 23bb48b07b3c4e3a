/* SPDX-License-Identifier: Apache-2.0 */
#include "vswitch/evloop.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>
#include "vswitch/list.h"
#include "vswitch/util.h"
#include "vswitch/vlog.h"

VLOG_DEFINE_THIS_MODULE(evloop);

#define EVLOOP_MAX_EVENTS 64

struct evloop_fd {
    struct evloop *loop;    /* Owning loop. */
    int fd;                 /* Watched descriptor (not owned). */
    uint32_t events;        /* EPOLL* mask. */
    evloop_fd_cb *cb;       /* Callback. */
    void *aux;              /* Callback argument. */
    bool dead;              /* Removed; freed after this round. */
    struct vs_list gc_node; /* In loop->garbage while dead. */
};

struct evloop_timer {
    struct evloop *loop; /* Owning loop. */
    long long when;      /* Next expiry, vs_time_msec(). */
    long long period;    /* Re-arm interval, or 0 for one-shot. */
    evloop_timer_cb *cb; /* Callback. */
    void *aux;           /* Callback argument. */
    size_t heap_idx;     /* Index in loop->heap, or SIZE_MAX. */
    bool running;        /* Its callback is executing. */
    bool cancelled;      /* Cancelled (maybe from its own callback). */
};

struct post {
    struct vs_list node; /* In loop->posts. */
    evloop_post_cb *cb;  /* Function to run. */
    void *aux;           /* Its argument. */
};

struct signal_handler {
    evloop_signal_cb *cb; /* Callback, or NULL. */
    void *aux;            /* Callback argument. */
};

struct evloop {
    int epfd;                              /* epoll instance. */
    int wake_fd;                           /* eventfd for posts and stop. */
    struct evloop_fd *wake_handle;         /* Watches 'wake_fd'. */
    int sig_fd;                            /* signalfd, or -1. */
    struct evloop_fd *sig_handle;          /* Watches 'sig_fd'. */
    sigset_t sigs;                         /* Signals routed to 'sig_fd'. */
    struct signal_handler handlers[_NSIG]; /* By signal number. */
    struct evloop_timer **heap; /* Min-heap of armed timers by 'when'. */
    size_t n_timers;            /* Timers in 'heap'. */
    size_t heap_allocated;      /* Capacity of 'heap'. */
    struct vs_list garbage;     /* Dead evloop_fds to free. */
    pthread_mutex_t post_mutex; /* Protects 'posts'. */
    struct vs_list posts;       /* Pending struct post. */
    bool stop;                  /* Accessed atomically. */
};

/* ---- Timer heap. */

static void
heap_set(struct evloop *loop, size_t i, struct evloop_timer *t)
{
    loop->heap[i] = t;
    t->heap_idx = i;
}

static void
heap_up(struct evloop *loop, size_t i)
{
    struct evloop_timer *t = loop->heap[i];

    while (i > 0) {
        size_t parent = (i - 1) / 2;

        if (loop->heap[parent]->when <= t->when) {
            break;
        }
        heap_set(loop, i, loop->heap[parent]);
        i = parent;
    }
    heap_set(loop, i, t);
}

static void
heap_down(struct evloop *loop, size_t i)
{
    struct evloop_timer *t = loop->heap[i];
    size_t n = loop->n_timers;

    for (;;) {
        size_t child = 2 * i + 1;

        if (child >= n) {
            break;
        }
        if (child + 1 < n
            && loop->heap[child + 1]->when < loop->heap[child]->when) {
            child++;
        }
        if (t->when <= loop->heap[child]->when) {
            break;
        }
        heap_set(loop, i, loop->heap[child]);
        i = child;
    }
    heap_set(loop, i, t);
}

static void
heap_insert(struct evloop *loop, struct evloop_timer *t)
{
    if (loop->n_timers >= loop->heap_allocated) {
        loop->heap_allocated = loop->heap_allocated * 2 + 8;
        loop->heap =
            xrealloc(loop->heap, loop->heap_allocated * sizeof *loop->heap);
    }
    heap_set(loop, loop->n_timers++, t);
    heap_up(loop, t->heap_idx);
}

static void
heap_remove(struct evloop *loop, struct evloop_timer *t)
{
    size_t i = t->heap_idx;
    struct evloop_timer *last;

    if (i == SIZE_MAX) {
        return;
    }
    t->heap_idx = SIZE_MAX;
    last = loop->heap[--loop->n_timers];
    if (last != t) {
        heap_set(loop, i, last);
        heap_up(loop, i);
        heap_down(loop, last->heap_idx);
    }
}

/* ---- Posts and wake-ups. */

static void
wake(struct evloop *loop)
{
    uint64_t one = 1;

    if (write(loop->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN) {
        VLOG_ERR("eventfd write failed: %s", vs_strerror(errno));
    }
}

static void
run_posts(int fd, uint32_t events, void *loop_)
{
    struct evloop *loop = loop_;
    struct vs_list todo;
    struct post *p;
    uint64_t n;

    if (read(fd, &n, sizeof n) < 0 && errno != EAGAIN) {
        VLOG_ERR("eventfd read failed: %s", vs_strerror(errno));
    }
    vs_list_init(&todo);
    pthread_mutex_lock(&loop->post_mutex);
    vs_list_splice_tail(&todo, &loop->posts);
    pthread_mutex_unlock(&loop->post_mutex);
    LIST_FOR_EACH_POP (p, node, &todo) {
        p->cb(p->aux);
        free(p);
    }
}

void
evloop_post(struct evloop *loop, evloop_post_cb *cb, void *aux)
{
    struct post *p = xmalloc(sizeof *p);

    p->cb = cb;
    p->aux = aux;
    pthread_mutex_lock(&loop->post_mutex);
    vs_list_push_back(&loop->posts, &p->node);
    pthread_mutex_unlock(&loop->post_mutex);
    wake(loop);
}

void
evloop_stop(struct evloop *loop)
{
    __atomic_store_n(&loop->stop, true, __ATOMIC_RELEASE);
    wake(loop);
}

bool
evloop_is_stopped(const struct evloop *loop)
{
    return __atomic_load_n(&loop->stop, __ATOMIC_ACQUIRE);
}

/* ---- Creation. */

struct evloop *
evloop_create(void)
{
    struct evloop *loop = xzalloc(sizeof *loop);

    loop->epfd = epoll_create1(EPOLL_CLOEXEC);
    loop->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (loop->epfd < 0 || loop->wake_fd < 0) {
        vs_abort("evloop: cannot create epoll/eventfd: %s",
                 vs_strerror(errno));
    }
    loop->sig_fd = -1;
    sigemptyset(&loop->sigs);
    vs_list_init(&loop->garbage);
    vs_list_init(&loop->posts);
    pthread_mutex_init(&loop->post_mutex, NULL);
    loop->wake_handle =
        evloop_add_fd(loop, loop->wake_fd, EPOLLIN, run_posts, loop);
    return loop;
}

static void
collect_garbage(struct evloop *loop)
{
    struct evloop_fd *h;

    LIST_FOR_EACH_POP (h, gc_node, &loop->garbage) {
        free(h);
    }
}

void
evloop_destroy(struct evloop *loop)
{
    struct post *p;

    if (!loop) {
        return;
    }
    while (loop->n_timers) {
        struct evloop_timer *t = loop->heap[loop->n_timers - 1];

        heap_remove(loop, t);
        free(t);
    }
    free(loop->heap);
    evloop_del_fd(loop->wake_handle);
    if (loop->sig_handle) {
        evloop_del_fd(loop->sig_handle);
        close(loop->sig_fd);
    }
    collect_garbage(loop);
    LIST_FOR_EACH_POP (p, node, &loop->posts) {
        free(p);
    }
    close(loop->wake_fd);
    close(loop->epfd);
    pthread_mutex_destroy(&loop->post_mutex);
    free(loop);
}

/* ---- File descriptors. */

struct evloop_fd *
evloop_add_fd(struct evloop *loop, int fd, uint32_t events, evloop_fd_cb *cb,
              void *aux)
{
    struct evloop_fd *h = xzalloc(sizeof *h);
    struct epoll_event ev = {.events = events, .data.ptr = h};

    h->loop = loop;
    h->fd = fd;
    h->events = events;
    h->cb = cb;
    h->aux = aux;
    if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        vs_abort("evloop: EPOLL_CTL_ADD fd %d: %s", fd, vs_strerror(errno));
    }
    return h;
}

void
evloop_mod_fd(struct evloop_fd *h, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = h};

    if (h->dead || h->events == events) {
        return;
    }
    h->events = events;
    if (epoll_ctl(h->loop->epfd, EPOLL_CTL_MOD, h->fd, &ev) < 0) {
        VLOG_ERR("EPOLL_CTL_MOD fd %d: %s", h->fd, vs_strerror(errno));
    }
}

void
evloop_del_fd(struct evloop_fd *h)
{
    if (!h || h->dead) {
        return;
    }
    /* The fd may already be closed, in which case epoll dropped it. */
    epoll_ctl(h->loop->epfd, EPOLL_CTL_DEL, h->fd, NULL);
    h->dead = true;
    vs_list_push_back(&h->loop->garbage, &h->gc_node);
}

/* ---- Timers. */

struct evloop_timer *
evloop_add_timer(struct evloop *loop, long long delay_ms, long long period_ms,
                 evloop_timer_cb *cb, void *aux)
{
    struct evloop_timer *t = xzalloc(sizeof *t);

    t->loop = loop;
    t->when = vs_time_msec() + (delay_ms > 0 ? delay_ms : 0);
    t->period = period_ms > 0 ? period_ms : 0;
    t->cb = cb;
    t->aux = aux;
    t->heap_idx = SIZE_MAX;
    heap_insert(loop, t);
    return t;
}

void
evloop_cancel_timer(struct evloop_timer *t)
{
    if (!t) {
        return;
    }
    if (t->running) {
        t->cancelled = true; /* Freed when its callback returns. */
        return;
    }
    heap_remove(t->loop, t);
    free(t);
}

static void
run_timers(struct evloop *loop)
{
    long long now = vs_time_msec();

    while (loop->n_timers && loop->heap[0]->when <= now
           && !evloop_is_stopped(loop)) {
        struct evloop_timer *t = loop->heap[0];

        heap_remove(loop, t);
        t->running = true;
        t->cb(t->aux);
        t->running = false;
        if (t->period && !t->cancelled) {
            t->when += t->period;
            if (t->when < now) {
                t->when = now + t->period; /* Fell behind: skip ticks. */
            }
            heap_insert(loop, t);
        } else {
            free(t);
        }
    }
}

/* ---- Signals. */

static void
read_signals(int fd, uint32_t events, void *loop_)
{
    struct evloop *loop = loop_;
    struct signalfd_siginfo si;

    while (read(fd, &si, sizeof si) == sizeof si) {
        struct signal_handler *h = &loop->handlers[si.ssi_signo];

        if (si.ssi_signo < _NSIG && h->cb) {
            h->cb(si.ssi_signo, h->aux);
        }
    }
}

int
evloop_add_signal(struct evloop *loop, int signo, evloop_signal_cb *cb,
                  void *aux)
{
    if (signo <= 0 || signo >= _NSIG) {
        return EINVAL;
    }
    sigaddset(&loop->sigs, signo);
    if (pthread_sigmask(SIG_BLOCK, &loop->sigs, NULL)) {
        return errno;
    }
    loop->sig_fd =
        signalfd(loop->sig_fd, &loop->sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (loop->sig_fd < 0) {
        return errno;
    }
    if (!loop->sig_handle) {
        loop->sig_handle =
            evloop_add_fd(loop, loop->sig_fd, EPOLLIN, read_signals, loop);
    }
    loop->handlers[signo].cb = cb;
    loop->handlers[signo].aux = aux;
    return 0;
}

/* ---- Running. */

int
evloop_run_once(struct evloop *loop, long long max_wait_ms)
{
    struct epoll_event events[EVLOOP_MAX_EVENTS];
    long long timeout = max_wait_ms;
    int n;

    if (loop->n_timers) {
        long long until = loop->heap[0]->when - vs_time_msec();

        if (until < 0) {
            until = 0;
        }
        if (timeout < 0 || until < timeout) {
            timeout = until;
        }
    }
    if (evloop_is_stopped(loop)) {
        timeout = 0;
    }
    n = epoll_wait(loop->epfd, events, EVLOOP_MAX_EVENTS,
                   timeout > INT32_MAX ? INT32_MAX : (int) timeout);
    if (n < 0) {
        return errno == EINTR ? 0 : errno;
    }
    for (int i = 0; i < n; i++) {
        struct evloop_fd *h = events[i].data.ptr;

        if (!h->dead) {
            h->cb(h->fd, events[i].events, h->aux);
        }
    }
    run_timers(loop);
    collect_garbage(loop);
    return 0;
}

int
evloop_run(struct evloop *loop)
{
    int error = 0;

    while (!evloop_is_stopped(loop)) {
        error = evloop_run_once(loop, -1);
        if (error) {
            VLOG_ERR("epoll_wait failed: %s", vs_strerror(error));
            break;
        }
    }
    return error;
}
