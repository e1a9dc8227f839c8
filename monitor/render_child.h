/*
 * render_child.h — re-renders the status site (--render-to) without
 * blocking the loop.
 *
 * Runs `greendot-render --data DATA --out OUT [--news FILE]`, the binary
 * found next to the monitor's own (the folder of /proc/self/exe), as a
 * child process: fork/exec, reaped through SIGCHLD in the event loop.
 * Requests coalesce: while a render runs, any number of requests make
 * one more render after it.  A missing binary is logged once and the
 * monitor carries on; a failing render is logged (rate-limited).
 *
 * The loop's SIGCHLD belongs to this module.
 */
#ifndef GD_RENDER_CHILD_H
#define GD_RENDER_CHILD_H

#include <stdbool.h>

struct ev_loop;
struct rchild;

typedef void (*rchild_idle_cb)(void *arg);

/* NULL on error (logged).  idle (may be NULL) is called whenever the last
 * requested render has finished. */
struct rchild *rchild_new(struct ev_loop *loop, const char *data,
			  const char *out, const char *news,
			  rchild_idle_cb idle, void *arg);
void rchild_request(struct rchild *r);
bool rchild_idle(const struct rchild *r);
/* Waits for a running render (at most a few seconds), then frees. */
void rchild_free(struct rchild *r);

#endif
