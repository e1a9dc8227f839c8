/*
 * incidents.h — incidents drafted from the event journal.
 *
 * The monitor journals every status change of a group or a service.  A
 * change to down opens an automatic incident ("Incoming Mail down",
 * status investigating); each further change of that object while it is
 * open adds an update (unknown: the monitor lost sight of it); a change
 * to up or degraded (serving again) resolves it.  A new fall within
 * INC_REOPEN seconds of a recovery reopens the same incident instead of
 * opening another, so a flapping service makes one incident, not fifty.
 *
 * Bounded whatever the journal holds: only objects the current state
 * knows (their titles name the incidents), events up to `now`, incidents
 * resolved within INC_WINDOW or still open, at most INC_MAX of them
 * (the latest), at most INC_UPDATES_MAX updates each (past that the last
 * update is replaced, so the latest news always shows).
 */
#ifndef RENDER_INCIDENTS_H
#define RENDER_INCIDENTS_H

#include <time.h>

#include "journal.h"
#include "model.h"

#define INC_WINDOW (30 * 86400)
#define INC_MAX 30
#define INC_UPDATES_MAX 20
#define INC_REOPEN 900

struct inc_drafter;

/* A drafter for the objects of m (which must outlive it); NULL: out of
 * memory. */
struct inc_drafter *inc_new(const struct model *m, time_t now);
/* One journal record, in journal order.  0, or -1 (out of memory). */
int inc_event(struct inc_drafter *d, const struct gd_event *ev);
/* Appends the incidents to out and frees d.  0, or -1 (out of memory;
 * d is freed all the same). */
int inc_finish(struct inc_drafter *d, struct news *out);

/*
 * Reads the journal at path into m->news.  A missing journal is no
 * incident (0); an unreadable one is logged and -1.
 */
int inc_from_journal(const char *path, struct model *m);

#endif
