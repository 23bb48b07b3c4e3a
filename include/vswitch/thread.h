/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_THREAD_H
#define VSWITCH_THREAD_H 1

/*
 * thread: mutexes that clang's -Wthread-safety can check, and thread
 * creation with names.
 *
 * Annotate what a lock protects and what a function needs:
 *
 *     static struct vs_mutex mutex = VS_MUTEX_INITIALIZER;
 *     static int counter VS_GUARDED_BY(mutex);
 *     static void bump(void) VS_REQUIRES(mutex);
 *
 * Under clang, touching 'counter' without holding 'mutex', or calling bump()
 * without it, is a compile error (-Werror).  Under gcc the annotations
 * vanish.
 *
 * A vs_rwlock has many readers or one writer: take it with
 * vs_rwlock_rdlock() (shared: VS_REQUIRES_SHARED) or vs_rwlock_wrlock()
 * (exclusive: VS_REQUIRES) and drop it with vs_rwlock_unlock().
 *
 * vs_mutex_lock() and the vs_rwlock calls abort if the underlying pthread
 * call fails (that is a bug, not a condition to handle).
 */

#include <pthread.h>
#include <stdbool.h>

#if defined(__clang__)
#define VS_TSA(x) __attribute__((x))
#else
#define VS_TSA(x)
#endif

#define VS_CAPABILITY(x) VS_TSA(capability(x))
#define VS_GUARDED_BY(x) VS_TSA(guarded_by(x))
#define VS_PT_GUARDED_BY(x) VS_TSA(pt_guarded_by(x))
#define VS_REQUIRES(...) VS_TSA(requires_capability(__VA_ARGS__))
#define VS_REQUIRES_SHARED(...) VS_TSA(requires_shared_capability(__VA_ARGS__))
#define VS_ACQUIRES(...) VS_TSA(acquire_capability(__VA_ARGS__))
#define VS_ACQUIRES_SHARED(...) VS_TSA(acquire_shared_capability(__VA_ARGS__))
#define VS_RELEASES(...) VS_TSA(release_capability(__VA_ARGS__))
#define VS_RELEASES_GENERIC(...)                                              \
    VS_TSA(release_generic_capability(__VA_ARGS__))
#define VS_EXCLUDES(...) VS_TSA(locks_excluded(__VA_ARGS__))
#define VS_TRY_ACQUIRE(...) VS_TSA(try_acquire_capability(__VA_ARGS__))
#define VS_NO_THREAD_SAFETY_ANALYSIS VS_TSA(no_thread_safety_analysis)

struct VS_CAPABILITY("mutex") vs_mutex {
    pthread_mutex_t lock; /* The underlying mutex. */
};

#define VS_MUTEX_INITIALIZER                                                  \
    {                                                                         \
        PTHREAD_MUTEX_INITIALIZER                                             \
    }

void vs_mutex_init(struct vs_mutex *);
void vs_mutex_destroy(struct vs_mutex *);
void vs_mutex_lock(struct vs_mutex *mutex) VS_ACQUIRES(mutex);
void vs_mutex_unlock(struct vs_mutex *mutex) VS_RELEASES(mutex);
bool vs_mutex_trylock(struct vs_mutex *mutex) VS_TRY_ACQUIRE(true, mutex);

struct VS_CAPABILITY("rwlock") vs_rwlock {
    pthread_rwlock_t lock; /* The underlying lock. */
};

void vs_rwlock_init(struct vs_rwlock *);
void vs_rwlock_destroy(struct vs_rwlock *);
void vs_rwlock_rdlock(struct vs_rwlock *rwlock) VS_ACQUIRES_SHARED(rwlock);
void vs_rwlock_wrlock(struct vs_rwlock *rwlock) VS_ACQUIRES(rwlock);
void vs_rwlock_unlock(struct vs_rwlock *rwlock) VS_RELEASES_GENERIC(rwlock);

/* Starts a thread named 'name' (shown by ps/top, at most 15 characters)
 * running 'start(aux)'.  Aborts on failure. */
pthread_t vs_thread_create(const char *name, void *(*start)(void *),
                           void *aux);

#endif /* VSWITCH_THREAD_H */
