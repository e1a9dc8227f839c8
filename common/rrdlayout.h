/*
 * rrdlayout.h — the RRD files of the data directory, in one place.
 *
 *   DATA/rrd/server/<id>.rrd   DS up (0..1), latency (seconds)
 *   DATA/rrd/group/<id>.rrd    DS up (0..1), members (active members up)
 *   DATA/rrd/service/<id>.rrd  DS up (0..1)
 *
 * Step 60 s, heartbeat 120 s; RRAs keep 1-minute detail for 2 days,
 * 5-minute for 2 weeks, 1-hour for 2 months (62 days), 1-day for 5 years;
 * AVERAGE everywhere plus MIN and MAX for the consolidated ones.
 *
 * Values written (the availability rule builds on them):
 *   server  up = 1 up, 0 down, U unknown or admin not active (maintenance
 *           and standby are excluded from availability, not counted down);
 *           latency = seconds of the last successful probe, U otherwise
 *   group   up = 1 up or degraded (serving), 0 down, U unknown;
 *           members = gdGroupMembersUp, U when unknown
 *   service up = 1 up or degraded, 0 down, U unknown
 *
 * Availability over a window = AVERAGE of `up` over the known (non-U)
 * samples of the window; unknown time is neither up nor down.
 */
#ifndef GD_RRDLAYOUT_H
#define GD_RRDLAYOUT_H

#define GD_RRD_STEP 60
#define GD_RRD_HEARTBEAT 120

enum gd_rrd_kind { GD_RRD_SERVER, GD_RRD_GROUP, GD_RRD_SERVICE };

/* "server", "group", "service": the folder under DATA/rrd/ */
#define GD_RRD_KIND_DIRS { "server", "group", "service" }

/* Data sources, in file order, per kind. */
#define GD_RRD_SERVER_DS \
	"DS:up:GAUGE:120:0:1", "DS:latency:GAUGE:120:0:U"
#define GD_RRD_GROUP_DS \
	"DS:up:GAUGE:120:0:1", "DS:members:GAUGE:120:0:U"
#define GD_RRD_SERVICE_DS \
	"DS:up:GAUGE:120:0:1"

#define GD_RRD_RRAS \
	"RRA:AVERAGE:0.5:1:2880", \
	"RRA:AVERAGE:0.5:5:4032", \
	"RRA:MIN:0.5:5:4032", \
	"RRA:MAX:0.5:5:4032", \
	"RRA:AVERAGE:0.5:60:1488", \
	"RRA:MIN:0.5:60:1488", \
	"RRA:MAX:0.5:60:1488", \
	"RRA:AVERAGE:0.5:1440:1825", \
	"RRA:MIN:0.5:1440:1825", \
	"RRA:MAX:0.5:1440:1825"

#endif
