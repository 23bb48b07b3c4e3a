/* SPDX-License-Identifier: Apache-2.0 */
#ifndef VSWITCH_LIST_H
#define VSWITCH_LIST_H 1

/*
 * list: an intrusive, circular, doubly linked list.
 *
 * A list is a sentinel 'struct vs_list' whose 'next' and 'prev' point to
 * itself when the list is empty.  Elements embed a 'struct vs_list' member
 * and are recovered with CONTAINER_OF / the LIST_FOR_EACH macros.  All
 * operations are O(1) except vs_list_size().  Not thread-safe: callers
 * serialize access.
 *
 * A node that is not on any list may be "poisoned" (vs_list_poison()) so that
 * use after removal faults at once.
 */

#include <stdbool.h>
#include <stddef.h>
#include "vswitch/util.h"

struct vs_list {
    struct vs_list *prev; /* Previous element, or the list head. */
    struct vs_list *next; /* Next element, or the list head. */
};

#define VS_LIST_INITIALIZER(LIST)                                             \
    {                                                                         \
        LIST, LIST                                                            \
    }

static inline void
vs_list_init(struct vs_list *list)
{
    list->next = list->prev = list;
}

static inline void
vs_list_poison(struct vs_list *node)
{
    node->next = node->prev = (struct vs_list *) (uintptr_t) 0xdeadbeefUL;
}

/* Inserts 'elem' just before 'before'. */
static inline void
vs_list_insert(struct vs_list *before, struct vs_list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}

static inline void
vs_list_push_front(struct vs_list *list, struct vs_list *elem)
{
    vs_list_insert(list->next, elem);
}

static inline void
vs_list_push_back(struct vs_list *list, struct vs_list *elem)
{
    vs_list_insert(list, elem);
}

/* Removes 'elem' from its list; returns the element that followed it. */
static inline struct vs_list *
vs_list_remove(struct vs_list *elem)
{
    struct vs_list *next = elem->next;

    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    return next;
}

static inline bool
vs_list_is_empty(const struct vs_list *list)
{
    return list->next == list;
}

static inline bool
vs_list_is_singleton(const struct vs_list *list)
{
    return !vs_list_is_empty(list) && list->next == list->prev;
}

/* Removes and returns the first (last) element; the list must not be empty. */
static inline struct vs_list *
vs_list_pop_front(struct vs_list *list)
{
    struct vs_list *front = list->next;

    vs_list_remove(front);
    return front;
}

static inline struct vs_list *
vs_list_pop_back(struct vs_list *list)
{
    struct vs_list *back = list->prev;

    vs_list_remove(back);
    return back;
}

static inline struct vs_list *
vs_list_front(const struct vs_list *list)
{
    return list->next;
}

static inline struct vs_list *
vs_list_back(const struct vs_list *list)
{
    return list->prev;
}

/* Moves every element of 'src' to the end of 'dst'; 'src' becomes empty. */
static inline void
vs_list_splice_tail(struct vs_list *dst, struct vs_list *src)
{
    if (!vs_list_is_empty(src)) {
        src->next->prev = dst->prev;
        dst->prev->next = src->next;
        src->prev->next = dst;
        dst->prev = src->prev;
        vs_list_init(src);
    }
}

/* Replaces 'elem' by 'replacement' (which takes its place in the list). */
static inline void
vs_list_replace(struct vs_list *replacement, const struct vs_list *elem)
{
    replacement->next = elem->next;
    replacement->prev = elem->prev;
    replacement->next->prev = replacement;
    replacement->prev->next = replacement;
}

static inline size_t
vs_list_size(const struct vs_list *list)
{
    const struct vs_list *e;
    size_t n = 0;

    for (e = list->next; e != list; e = e->next) {
        n++;
    }
    return n;
}

/* Iterates 'ITER' (a pointer to the element type) over 'LIST', whose nodes
 * are member 'MEMBER' of the element type.  The body must not remove ITER;
 * use LIST_FOR_EACH_SAFE for that. */
#define LIST_FOR_EACH(ITER, MEMBER, LIST)                                     \
    for (ITER = OBJECT_CONTAINING((LIST)->next, ITER, MEMBER);                \
         &(ITER)->MEMBER != (LIST);                                           \
         ITER = OBJECT_CONTAINING((ITER)->MEMBER.next, ITER, MEMBER))

#define LIST_FOR_EACH_REVERSE(ITER, MEMBER, LIST)                             \
    for (ITER = OBJECT_CONTAINING((LIST)->prev, ITER, MEMBER);                \
         &(ITER)->MEMBER != (LIST);                                           \
         ITER = OBJECT_CONTAINING((ITER)->MEMBER.prev, ITER, MEMBER))

/* Like LIST_FOR_EACH, but the body may remove (and free) ITER.  'NEXT' is a
 * second variable of ITER's type. */
#define LIST_FOR_EACH_SAFE(ITER, NEXT, MEMBER, LIST)                          \
    for (ITER = OBJECT_CONTAINING((LIST)->next, ITER, MEMBER);                \
         &(ITER)->MEMBER != (LIST)                                            \
         && ((NEXT = OBJECT_CONTAINING((ITER)->MEMBER.next, ITER, MEMBER)),   \
             1);                                                              \
         ITER = NEXT)

/* Pops every element off 'LIST' front to back into ITER. */
#define LIST_FOR_EACH_POP(ITER, MEMBER, LIST)                                 \
    while (!vs_list_is_empty(LIST)                                            \
           && ((ITER = OBJECT_CONTAINING(vs_list_pop_front(LIST), ITER,       \
                                         MEMBER)),                            \
               1))

#endif /* VSWITCH_LIST_H */
