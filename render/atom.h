/*
 * atom.h — OUT/feed.atom, incidents, maintenance and announcements as
 * an Atom 1.0 feed (RFC 4287).
 *
 * One entry per item, newest first.  An entry's <updated> is its last
 * update (so adding an <update> to an incident moves it up in feed
 * readers); a maintenance entry's also moves when its window starts and
 * ends.  Ids: with a base URL, BASE#news-ID (the item's anchor on the
 * page) and BASE + "feed.atom" for the feed; without one, tag URIs under
 * ATOM_TAG_AUTHORITY, stable but not globally yours: give the base URL
 * (greendot-render's base-url option) when the feed is published.
 */
#ifndef RENDER_ATOM_H
#define RENDER_ATOM_H

#include <stddef.h>

#include "model.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define ATOM_TAG_AUTHORITY "greendot.invalid"

/* base_url: NULL or "https://status.example.net/" (ending in '/').
 * The feed into *out (malloc'ed, *len bytes).  0, or -1. */
int atom_feed(const struct model *m, const char *base_url, char **out,
	      size_t *len);

#endif
