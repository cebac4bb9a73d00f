/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * list.h - a circular doubly linked list with the node embedded in the
 * element, the shape the kernel allocators are written around.  Written for
 * zpoolbench; names follow the kernel's so ports read like their originals.
 */
#ifndef ZPB_LIST_H
#define ZPB_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head {
	struct list_head *next, *prev;
};

/* clang-format off */
#define LIST_HEAD_INIT(name) { &(name), &(name) }
/* clang-format on */

/* clang-format off */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
/* clang-format on */

static inline void INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline void list_link_between(struct list_head *n, struct list_head *prev,
				     struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

/* Insert @n right after @head (LIFO order when popping from the head). */
static inline void list_add(struct list_head *n, struct list_head *head)
{
	list_link_between(n, head, head->next);
}

/* Insert @n right before @head, i.e. at the tail. */
static inline void list_add_tail(struct list_head *n, struct list_head *head)
{
	list_link_between(n, head->prev, head);
}

/* Unlink @n and leave it pointing at itself, so list_empty(n) is true. */
static inline void list_del_init(struct list_head *n)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	INIT_LIST_HEAD(n);
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

/* Move @n to the head of @head (unlinking it from wherever it is). */
static inline void list_move(struct list_head *n, struct list_head *head)
{
	list_del_init(n);
	list_add(n, head);
}

static inline void list_move_tail(struct list_head *n, struct list_head *head)
{
	list_del_init(n);
	list_add_tail(n, head);
}

#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(head, type, member) list_entry((head)->next, type, member)
#define list_last_entry(head, type, member) list_entry((head)->prev, type, member)

/* clang-format off */
#define list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)
/* clang-format on */

/* clang-format off */
#define list_for_each_safe(pos, tmp, head)                            \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)
/* clang-format on */

#endif /* ZPB_LIST_H */
