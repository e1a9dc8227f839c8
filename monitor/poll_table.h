/*
 * poll_table.h — GREENDOT-MIB's tables as the poller walks them:
 * varbind lists to model.
 *
 * Each table is described once (its entry OID and, per column, the ASN.1
 * type it must have and the field of the common/state.h row it fills).
 * A walk splits a table into index ranges (ptab_plan, from the rows of
 * the previous cycle) and walks each range with GETBULKs that ask for
 * every column at once; a range keeps one cursor per column, because a
 * hole in one column (a row without that value) makes the columns of a
 * GETBULK answer drift apart.  Rows are merged by index (a hash), so the
 * answers of several ranges may arrive in any order.
 *
 * What an agent may get wrong, and what happens:
 *   - a value of the wrong type, or out of its range: counted, the field
 *     stays missing (its default: unknown for statuses);
 *   - a missing column: the row is incomplete, the field keeps its
 *     default (NULL for text: "not known" in state.xml); a row without
 *     its Name column is dropped (counted): the name is the object's
 *     identity;
 *   - an index that is not one Unsigned32, or that does not increase:
 *     counted, that column of the range stops (no loop on a bad agent);
 *   - end of table: the column's OID leaves the column, or
 *     endOfMibView/noSuchObject; end of a range: an index at or past the
 *     next range's first index.
 */
#ifndef GD_POLL_TABLE_H
#define GD_POLL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

enum ptab_id { PTAB_AREA, PTAB_GROUP, PTAB_SERVER, PTAB_SERVICE, PTAB_COUNT };

#define PTAB_MAX_COLS 16
#define PTAB_MAX_ENTRY_LEN 16

enum ptab_kind {
	PTAB_K_ID,	/* OCTET STRING, a valid config id (gd_id_valid) */
	PTAB_K_TEXT,	/* OCTET STRING, kept as UTF-8 text */
	PTAB_K_ENUM,	/* INTEGER in [min, max], into an enum field */
	PTAB_K_U32,	/* Unsigned32 / Gauge32, into a 32-bit field */
	PTAB_K_U64,	/* Counter64 */
	PTAB_K_TIME,	/* DateAndTime, into a time_t (0: not known) */
};

struct ptab_column {
	unsigned column;	/* gdXEntry.column */
	enum ptab_kind kind;
	size_t offset;		/* of the field in the row struct */
	long min, max;		/* PTAB_K_ENUM: accepted values */
	long dflt;		/* numeric kinds: the value when missing */
	const char *name;	/* the MIB's name, for logs */
};

struct ptab_table {
	enum ptab_id id;
	const char *name;		/* "gdServerTable" */
	oid entry[PTAB_MAX_ENTRY_LEN];	/* gdXEntry */
	size_t entry_len;
	size_t row_size;		/* sizeof(struct gd_state_x) */
	const struct ptab_column *cols;	/* cols[0] is the Name column */
	size_t ncols;
};

const struct ptab_table *ptab_table(enum ptab_id id);

struct ptab_stats {
	size_t wrong_type;	/* values of the wrong type or range */
	size_t bad_index;	/* OIDs whose index is not one Unsigned32 */
	size_t out_of_order;	/* indexes that did not increase */
	size_t incomplete;	/* rows with a missing column */
	size_t no_name;		/* rows dropped: no Name */
	char last[160];		/* the last problem, for the log */
};

/* The rows of one table in one cycle. */
struct ptab_rows {
	const struct ptab_table *table;
	size_t n, cap;
	unsigned char *rows;	/* n rows of table->row_size bytes */
	uint32_t *index;	/* each row's index */
	uint32_t *seen;		/* each row's columns that arrived (bit slot) */
	uint32_t *slots;	/* hash: index -> row + 1, 0 empty */
	size_t nslots;
	struct ptab_stats stats;
};

void ptab_rows_init(struct ptab_rows *r, const struct ptab_table *t);
/* Frees the rows still owned (with their strings) and the hash. */
void ptab_rows_clear(struct ptab_rows *r);
/* The row of index idx, created with its defaults when new; NULL when
 * out of memory. */
void *ptab_rows_get(struct ptab_rows *r, uint32_t idx);
/*
 * After the walk: drops the rows without a Name, counts incomplete rows
 * and sorts the rows by index.  0, or -1 when out of memory.
 */
int ptab_rows_finish(struct ptab_rows *r);
/*
 * After ptab_rows_finish: whether the walk went wrong enough that the
 * rows are not the table — an index that is not one Unsigned32 or that
 * did not increase stopped a column early, or no row kept its Name (an
 * empty table, to whoever reads the rows).  The poller fails such a cycle
 * (the objects unknown) rather than report the missing rows as removed.
 */
bool ptab_rows_broken(const struct ptab_rows *r);
/*
 * Hands the rows array (struct gd_state_x[n]) and the index array to the
 * caller, who frees them (the row strings with the state's free); the
 * rows struct is left empty.
 */
void *ptab_rows_take(struct ptab_rows *r, size_t *n, uint32_t **index);
/* Frees n rows of table t as ptab_rows_take returned them. */
void ptab_rows_free(const struct ptab_table *t, void *rows, size_t n);

/*
 * Splits a table whose previous rows had the sorted indexes idx[0..n-1]
 * into at most max ranges of about per rows each: lo[i] is the first
 * index of range i (lo[0] is 0: from the start), the last range is open.
 * Returns the number of ranges (>= 1).
 */
size_t ptab_plan(const uint32_t *idx, size_t n, size_t per, size_t max,
		 uint32_t *lo);

/* One index range of one table being walked. */
struct ptab_range {
	const struct ptab_table *table;
	uint32_t lo, hi;		/* lo <= index < hi; hi 0: no end */
	uint32_t cursor[PTAB_MAX_COLS];	/* last index seen, per column */
	uint32_t started;		/* bit slot: cursor is valid */
	uint32_t done;			/* bit slot: column finished */
	unsigned req[PTAB_MAX_COLS];	/* column slots of the request */
	size_t nreq;
	uint32_t count[PTAB_MAX_COLS];	/* values seen, per column */
	uint32_t got;			/* the most of any column: rows */
	uint32_t expect;		/* rows the plan expects (caller's) */
};

void ptab_range_init(struct ptab_range *r, const struct ptab_table *t,
		     uint32_t lo, uint32_t hi);
bool ptab_range_done(const struct ptab_range *r);
/* Adds one null varbind per unfinished column to pdu (a GETBULK) and
 * remembers their order.  Returns the number added, -1 when out of
 * memory. */
int ptab_range_request(struct ptab_range *r, netsnmp_pdu *pdu);
/*
 * Feeds a response's varbinds (in the order of the last request, as many
 * repetitions as the agent sent) into rows.  Returns how many columns
 * moved on (advanced or finished): 0 means the answer made no progress
 * (the caller must not ask again forever); -1 when out of memory.
 */
int ptab_range_input(struct ptab_range *r, struct ptab_rows *rows,
		     const netsnmp_variable_list *vars);

#endif
