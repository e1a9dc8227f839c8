/*
 * fakeagent — a GREENDOT-MIB agent that answers right, or wrong on
 * purpose, for tests/integration/fault_snmp_malformed.sh.
 *
 *   fakeagent -l udp:127.0.0.1:PORT -m MODEFILE [-n SERVERS]
 *   fakeagent -J udp:127.0.0.1:PORT [-N COUNT] [-s SEED]
 *
 * -l: answers SNMP GET and GETBULK (v1/v2c, any community) from a small
 * MIB: the agent scalars, one area, one group, SERVERS servers (default
 * 5) and one service, every value of the type poll_table.c expects (the
 * table descriptions are the poller's own).  Before each answer the
 * first word of MODEFILE says how to answer:
 *
 *   good       right
 *   wrongtype  every value but the ids of the wrong type
 *   noname     the Name columns INTEGERs
 *   range      enumerations out of range (99)
 *   huge       gdSiteTitle 60,000 bytes, s1's title 6,000 bytes with
 *              invalid UTF-8 and control bytes
 *   badindex   row 1 with index 0, row 2 with two sub-identifiers
 *   repeat     GETBULK answers that do not move on (same OIDs again)
 *   earlyend   endOfMibView after row 2 of each table
 *   nosuch     noSuchObject for everything
 *   errstat    error-status genErr, index 1
 *   toobig     error-status tooBig, no varbinds
 *   empty      no varbinds
 *   missing    every third varbind left out
 *   dup        every varbind twice
 *   garbage    random bytes instead of an answer
 *   truncated  an answer cut short (BER lengths beyond the datagram)
 *   wrongid    a right answer with another request-id
 *   silent     no answer
 *
 * Each request is logged on stdout as "answer MODE get|getbulk".
 *
 * -J: sends COUNT (default 100) junk datagrams to the address — random
 * bytes, truncated BER, absurd lengths, a bad version — and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include "gd_mib.h"
#include "poll_table.h"
#include "timefmt.h"

#define MAX_ENTS 4096
#define MAX_VARBINDS 1000
#define HUGE_TITLE 60000
#define HUGE_ROW 6000	/* a walk may cross it 8 times in one answer */

enum mode {
	M_GOOD, M_WRONGTYPE, M_NONAME, M_RANGE, M_HUGE, M_BADINDEX, M_REPEAT,
	M_EARLYEND, M_NOSUCH, M_ERRSTAT, M_TOOBIG, M_EMPTY, M_MISSING, M_DUP,
	M_GARBAGE, M_TRUNCATED, M_WRONGID, M_SILENT, M_COUNT
};

static const char *const mode_names[M_COUNT] = {
	"good", "wrongtype", "noname", "range", "huge", "badindex", "repeat",
	"earlyend", "nosuch", "errstat", "toobig", "empty", "missing", "dup",
	"garbage", "truncated", "wrongid", "silent",
};

struct ent {
	oid name[PTAB_MAX_ENTRY_LEN + 2];
	size_t len;
	u_char type;
	long ival;
	struct counter64 c64;
	u_char *str;
	size_t slen;
	const struct ptab_column *col;	/* NULL: a scalar */
	enum ptab_id table;
	unsigned row;
};

static struct ent mib[MAX_ENTS];
static size_t nmib;
static const char *mode_file;
static netsnmp_transport *transport;
static u_char when[11];

/* --- the MIB -------------------------------------------------------- */

static struct ent *ent_new(const oid *name, size_t len)
{
	struct ent *e;

	if (nmib == MAX_ENTS) {
		fprintf(stderr, "fakeagent: too many objects\n");
		exit(1);
	}
	e = &mib[nmib++];
	memcpy(e->name, name, len * sizeof *name);
	e->len = len;
	return e;
}

static void ent_string(struct ent *e, const char *s)
{
	e->type = ASN_OCTET_STR;
	e->str = (u_char *)strdup(s);
	e->slen = strlen(s);
}

static void ent_time(struct ent *e)
{
	e->type = ASN_OCTET_STR;
	e->str = when;
	e->slen = sizeof when;
}

static void add_scalar(unsigned which, const char *text)
{
	oid name[] = { GD_OID_AGENT, which, 0 };
	struct ent *e = ent_new(name, sizeof name / sizeof name[0]);

	if (text != NULL)
		ent_string(e, text);
	else
		ent_time(e);
}

/* The text of a TEXT column: the references name the one area and
 * group; the rest says where it is. */
static const char *text_of(enum ptab_id t, const struct ptab_column *c,
			   unsigned row, char *buf, size_t len)
{
	if (t == PTAB_GROUP && c->column == GD_GROUP_AREA)
		return "a1";
	if (t == PTAB_SERVER && c->column == GD_SERVER_GROUP)
		return "g1";
	if (t == PTAB_SERVER && c->column == GD_SERVER_LAST_ERROR)
		return "";
	if (t == PTAB_AREA && c->column == GD_AREA_COLOUR)
		return "blue";
	snprintf(buf, len, "%s %u", c->name, row);
	return buf;
}

static void add_cell(enum ptab_id t, const struct ptab_column *c,
		     unsigned row)
{
	static const char prefix[PTAB_COUNT] = { 'a', 'g', 's', 'v' };
	const struct ptab_table *tb = ptab_table(t);
	oid name[PTAB_MAX_ENTRY_LEN + 2];
	char buf[64];
	struct ent *e;

	memcpy(name, tb->entry, tb->entry_len * sizeof *name);
	name[tb->entry_len] = c->column;
	name[tb->entry_len + 1] = row;
	e = ent_new(name, tb->entry_len + 2);
	e->col = c;
	e->table = t;
	e->row = row;
	switch (c->kind) {
	case PTAB_K_ID:
		snprintf(buf, sizeof buf, "%c%u", prefix[t], row);
		ent_string(e, buf);
		break;
	case PTAB_K_TEXT:
		ent_string(e, text_of(t, c, row, buf, sizeof buf));
		break;
	case PTAB_K_ENUM:
		e->type = ASN_INTEGER;
		e->ival = c->min;	/* up, active, tcp */
		break;
	case PTAB_K_U32:
		e->type = ASN_UNSIGNED;
		e->ival = (long)row;
		break;
	case PTAB_K_U64:
		e->type = ASN_COUNTER64;
		e->c64.low = row;
		break;
	case PTAB_K_TIME:
		ent_time(e);
		break;
	}
}

/* In OID order: the scalars, then each table column by column. */
static void mib_build(unsigned nservers)
{
	gd_time_to_dateandtime(1700000000, when);
	add_scalar(GD_AGENT_VERSION, "fakeagent 1");
	add_scalar(GD_AGENT_START_TIME, NULL);
	add_scalar(GD_CONFIG_LOADED, NULL);
	add_scalar(GD_SITE_TITLE, "Fake agent");
	for (unsigned t = 0; t < PTAB_COUNT; t++) {
		const struct ptab_table *tb = ptab_table(t);
		unsigned rows = t == PTAB_SERVER ? nservers : 1;

		for (size_t c = 0; c < tb->ncols; c++)
			for (unsigned r = 1; r <= rows; r++)
				add_cell(t, &tb->cols[c], r);
	}
}

/* The first object after name, or NULL past the end. */
static const struct ent *mib_next(const oid *name, size_t len)
{
	for (size_t i = 0; i < nmib; i++)
		if (snmp_oid_compare(mib[i].name, mib[i].len, name, len) > 0)
			return &mib[i];
	return NULL;
}

static const struct ent *mib_get(const oid *name, size_t len)
{
	for (size_t i = 0; i < nmib; i++)
		if (snmp_oid_compare(mib[i].name, mib[i].len, name, len) == 0)
			return &mib[i];
	return NULL;
}

/* --- answers -------------------------------------------------------- */

static enum mode read_mode(void)
{
	char word[32] = "good";
	FILE *f = fopen(mode_file, "r");

	if (f != NULL) {
		if (fscanf(f, "%31s", word) != 1)
			strcpy(word, "good");
		fclose(f);
	}
	for (unsigned m = 0; m < M_COUNT; m++)
		if (strcmp(word, mode_names[m]) == 0)
			return m;
	fprintf(stderr, "fakeagent: unknown mode '%s', answering right\n",
		word);
	return M_GOOD;
}

static u_char *huge_text(size_t n)
{
	u_char *s = malloc(n);

	for (size_t i = 0; s != NULL && i < n; i++)
		s[i] = i % 97 == 5 ? 0xff : i % 89 == 3 ? '\n' :
		       i % 83 == 1 ? 0xc3 : (u_char)('a' + i % 26);
	return s;
}

/* One varbind of e as mode m shows it. */
static void add_var(netsnmp_pdu *r, const struct ent *e, enum mode m)
{
	oid name[PTAB_MAX_ENTRY_LEN + 3];
	size_t len = e->len;
	u_char type = e->type;
	const void *val = e->str;
	size_t vlen = e->slen;
	long ival = e->ival;
	static u_char *big;
	bool id = e->col != NULL && e->col->kind == PTAB_K_ID;
	bool version = e->col == NULL && e->name[e->len - 2] == GD_AGENT_VERSION;

	memcpy(name, e->name, len * sizeof *name);
	if (type == ASN_INTEGER || type == ASN_UNSIGNED) {
		val = &ival;
		vlen = sizeof ival;
	} else if (type == ASN_COUNTER64) {
		val = &e->c64;
		vlen = sizeof e->c64;
	}
	if (m == M_WRONGTYPE && !id && !version) {
		if (type == ASN_OCTET_STR) {
			type = ASN_INTEGER, ival = 7, val = &ival;
			vlen = sizeof ival;
		} else {
			type = ASN_OCTET_STR, val = "wrong", vlen = 5;
		}
	} else if (m == M_NONAME && id) {
		type = ASN_INTEGER, ival = 1, val = &ival, vlen = sizeof ival;
	} else if (m == M_RANGE && e->col && e->col->kind == PTAB_K_ENUM) {
		ival = 99;
	} else if (m == M_HUGE && (e->col == NULL ? e->name[e->len - 2] ==
				   GD_SITE_TITLE : e->row == 1 &&
				   e->table == PTAB_SERVER &&
				   e->col->column == GD_SERVER_TITLE)) {
		if (big == NULL)
			big = huge_text(HUGE_TITLE);
		val = big;
		vlen = e->col == NULL ? HUGE_TITLE : HUGE_ROW;
	} else if (m == M_BADINDEX && e->col && e->row <= 2) {
		if (e->row == 1)
			name[len - 1] = 0;
		else
			name[len++] = 5;
	} else if ((m == M_EARLYEND && e->col && e->row > 2) || m == M_NOSUCH) {
		type = m == M_NOSUCH ? SNMP_NOSUCHOBJECT : SNMP_ENDOFMIBVIEW;
		val = NULL, vlen = 0;
	}
	snmp_pdu_add_variable(r, name, len, type, val, vlen);
}

static void add_end(netsnmp_pdu *r, const oid *name, size_t len)
{
	snmp_pdu_add_variable(r, name, len, SNMP_ENDOFMIBVIEW, NULL, 0);
}

static void answer_get(netsnmp_pdu *r, const netsnmp_pdu *req, enum mode m)
{
	for (netsnmp_variable_list *v = req->variables; v; v = v->next_variable) {
		const struct ent *e = mib_get(v->name, v->name_length);

		if (e != NULL)
			add_var(r, e, m);
		else
			snmp_pdu_add_variable(r, v->name, v->name_length,
					      SNMP_NOSUCHOBJECT, NULL, 0);
	}
}

/* GETBULK: repetition after repetition, each repeater moved on by one
 * (M_REPEAT: not moved on). */
static void answer_bulk(netsnmp_pdu *r, const netsnmp_pdu *req, enum mode m)
{
	const netsnmp_variable_list *v;
	const struct ent *cur[64];
	size_t n = 0, total = 0;
	long reps = req->max_repetitions;

	for (v = req->variables; v && n < 64; v = v->next_variable)
		cur[n++] = mib_next(v->name, v->name_length);
	if (reps < 1)
		reps = 1;
	for (long i = 0; i < reps && total < MAX_VARBINDS; i++) {
		v = req->variables;
		for (size_t j = 0; j < n; j++, v = v->next_variable, total++) {
			if (cur[j] == NULL) {
				add_end(r, v->name, v->name_length);
				continue;
			}
			add_var(r, cur[j], m);
			if (m != M_REPEAT)
				cur[j] = mib_next(cur[j]->name, cur[j]->len);
		}
	}
}

/* Leaves out every third varbind, or doubles each. */
static void reshape(netsnmp_pdu *r, enum mode m)
{
	netsnmp_variable_list **pp = &r->variables, *v;
	unsigned k = 0;

	while ((v = *pp) != NULL) {
		if (m == M_MISSING && ++k % 3 == 0) {
			*pp = v->next_variable;
			v->next_variable = NULL;
			snmp_free_varbind(v);
			continue;
		}
		if (m == M_DUP) {
			netsnmp_variable_list *c = snmp_clone_varbind(v);

			if (c != NULL) {
				snmp_free_varbind(c->next_variable);
				c->next_variable = v->next_variable;
				v->next_variable = c;
				pp = &c->next_variable;
				continue;
			}
		}
		pp = &v->next_variable;
	}
}

/* --- junk ----------------------------------------------------------- */

/* The k-th junk datagram into buf; its length. */
static size_t junk(unsigned k, long reqid, u_char *buf, size_t cap)
{
	static const u_char head[] = {
		0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x01, 0x04, 0x06,
		'p', 'u', 'b', 'l', 'i', 'c', 0xa2, 0x81, 0xf0, 0x02, 0x04,
	};
	static const u_char absurd[] = {
		0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x01, 0x04,
		0x84, 0x7f, 0xff, 0xff, 0xff, 'x',
	};
	static const u_char badver[] = {
		0x30, 0x1c, 0x02, 0x01, 0x09, 0x04, 0x06, 'p', 'u', 'b', 'l',
		'i', 'c', 0xa7, 0x0f, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02,
		0x01, 0x00, 0x30, 0x04, 0x30, 0x02, 0x05, 0x00,
	};
	size_t n;

	switch (k % 4) {
	case 0:		/* random bytes, random length */
		n = 1 + (size_t)rand() % (cap < 1400 ? cap : 1400);
		for (size_t i = 0; i < n; i++)
			buf[i] = (u_char)rand();
		return n;
	case 1:		/* a response header, then nothing */
		memcpy(buf, head, sizeof head);
		for (int i = 0; i < 4; i++)
			buf[sizeof head + i] = (u_char)(reqid >> (24 - 8 * i));
		return sizeof head + 4 + (size_t)rand() % 3;
	case 2:
		memcpy(buf, absurd, sizeof absurd);
		return sizeof absurd;
	default:
		memcpy(buf, badver, sizeof badver);
		return sizeof badver;
	}
}

static void send_junk(const netsnmp_pdu *req, enum mode m)
{
	const netsnmp_indexed_addr_pair *ap = req->transport_data;
	u_char buf[1500];
	size_t n;

	if (ap == NULL || transport == NULL)
		return;
	n = junk(m == M_GARBAGE ? 0 : 1, req->reqid, buf, sizeof buf);
	if (sendto(transport->sock, buf, n, 0, &ap->remote_addr.sa,
		   sizeof ap->remote_addr.sin) < 0)
		perror("fakeagent: sendto");
}

static void respond(void *sessp, const netsnmp_pdu *req)
{
	enum mode m = read_mode();
	bool bulk = req->command != SNMP_MSG_GET;	/* GETNEXT: one repetition */
	netsnmp_pdu *r;

	printf("answer %s %s\n", mode_names[m], bulk ? "getbulk" : "get");
	if (m == M_SILENT)
		return;
	if (m == M_GARBAGE || m == M_TRUNCATED) {
		send_junk(req, m);
		return;
	}
	r = snmp_clone_pdu((netsnmp_pdu *)req);
	if (r == NULL)
		return;
	snmp_free_varbind(r->variables);
	r->variables = NULL;
	r->command = SNMP_MSG_RESPONSE;
	r->errstat = 0;
	r->errindex = 0;
	r->msgMaxSize = 65507;
	if (m == M_WRONGID)
		r->reqid++;
	if (m == M_ERRSTAT) {
		r->variables = snmp_clone_varbind(req->variables);
		r->errstat = SNMP_ERR_GENERR;
		r->errindex = 1;
	} else if (m == M_TOOBIG) {
		r->errstat = SNMP_ERR_TOOBIG;
	} else if (m != M_EMPTY) {
		if (bulk)
			answer_bulk(r, req, m);
		else
			answer_get(r, req, m);
		reshape(r, m);
	}
	/* snmp_sess_send takes r when it returns non-zero */
	if (snmp_sess_send(sessp, r) == 0) {
		fprintf(stderr, "fakeagent: %s answer not sent: %s\n", mode_names[m], snmp_api_errstring(snmp_sess_session(sessp)->s_snmp_errno));
		snmp_free_pdu(r);
	}
}

static int on_input(int op, netsnmp_session *s, int reqid, netsnmp_pdu *pdu,
		    void *magic)
{
	(void)s;
	(void)reqid;
	if (op == NETSNMP_CALLBACK_OP_RECEIVED_MESSAGE && pdu != NULL &&
	    (pdu->command == SNMP_MSG_GET || pdu->command == SNMP_MSG_GETBULK ||
	     pdu->command == SNMP_MSG_GETNEXT))
		respond(magic, pdu);
	return 1;
}

/* --- main ----------------------------------------------------------- */

static void *listen_on(const char *addr)
{
	netsnmp_session s;
	void *sessp;

	transport = netsnmp_tdomain_transport(addr, 1, "udp");
	if (transport == NULL) {
		fprintf(stderr, "fakeagent: cannot listen on %s\n", addr);
		return NULL;
	}
	snmp_sess_init(&s);
	s.peername = SNMP_DEFAULT_PEERNAME;
	s.version = SNMP_DEFAULT_VERSION;
	s.callback = on_input;
	s.isAuthoritative = SNMP_SESS_AUTHORITATIVE;
	/* room for the huge answers: a UDP datagram's limit */
	s.sndMsgMaxSize = s.rcvMsgMaxSize = 65507;
	sessp = snmp_sess_add(&s, transport, NULL, NULL);
	if (sessp != NULL)
		snmp_sess_session(sessp)->callback_magic = sessp;
	return sessp;
}

static int serve(const char *addr, unsigned nservers)
{
	void *sessp;

	mib_build(nservers);
	sessp = listen_on(addr);
	if (sessp == NULL)
		return 1;
	printf("listening on %s, %zu objects\n", addr, nmib);
	for (;;) {
		fd_set fds;
		struct timeval tv;
		int nfds = 0, block = 1;

		FD_ZERO(&fds);
		snmp_sess_select_info(sessp, &nfds, &fds, &tv, &block);
		if (select(nfds, &fds, NULL, NULL, block ? NULL : &tv) < 0 &&
		    errno != EINTR)
			return 1;
		snmp_sess_read(sessp, &fds);
	}
}

/* "udp:A.B.C.D:PORT" or "A.B.C.D:PORT" into sin. */
static int parse_addr(const char *addr, struct sockaddr_in *sin)
{
	char host[64];
	const char *colon;

	if (strncmp(addr, "udp:", 4) == 0)
		addr += 4;
	colon = strrchr(addr, ':');
	if (colon == NULL || (size_t)(colon - addr) >= sizeof host)
		return -1;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	memset(sin, 0, sizeof *sin);
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)atoi(colon + 1));
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static int junk_to(const char *addr, unsigned count)
{
	struct sockaddr_in sin;
	u_char buf[1500];
	unsigned sent = 0;
	int fd;

	if (parse_addr(addr, &sin) < 0 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0) {
		fprintf(stderr, "fakeagent: cannot send to %s\n", addr);
		return 1;
	}
	for (unsigned k = 0; k < count; k++) {
		size_t n = junk(k, (long)k, buf, sizeof buf);

		if (sendto(fd, buf, n, 0, (struct sockaddr *)&sin,
			   sizeof sin) >= 0)
			sent++;
	}
	close(fd);
	printf("sent %u junk datagrams to %s\n", sent, addr);
	return sent == count ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *listen_addr = NULL, *junk_addr = NULL;
	unsigned nservers = 5, count = 100;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "l:m:n:J:N:s:")) != -1) {
		switch (c) {
		case 'l': listen_addr = optarg; break;
		case 'm': mode_file = optarg; break;
		case 'n': nservers = (unsigned)atoi(optarg); break;
		case 'J': junk_addr = optarg; break;
		case 'N': count = (unsigned)atoi(optarg); break;
		case 's': srand((unsigned)atoi(optarg)); break;
		default: return 2;
		}
	}
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	setenv("MIBS", "", 1);		/* no MIB needed, nor its noise */
	setenv("MIBDIRS", "/nonexistent", 1);
	init_snmp("fakeagent");
	if (junk_addr != NULL)
		return junk_to(junk_addr, count);
	if (listen_addr == NULL || mode_file == NULL || nservers == 0 ||
	    nservers > 200) {
		fprintf(stderr, "usage: fakeagent -l ADDR -m MODEFILE [-n 1..200]"
			"\n       fakeagent -J ADDR [-N COUNT] [-s SEED]\n");
		return 2;
	}
	return serve(listen_addr, nservers);
}
