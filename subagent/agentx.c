/*
 * agentx.c — net-snmp in the agent's event loop; see agentx.h.
 */
#include "agentx.h"

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>
#include <net-snmp/agent/agent_callbacks.h>
#include <net-snmp/library/large_fd_set.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static struct {
	struct ev_loop *loop;
	struct ev_timer timer;		/* net-snmp's next timeout */
	netsnmp_large_fd_set want;	/* scratch: what net-snmp watches */
	netsnmp_large_fd_set rd;	/* scratch: the one fd to read */
	int *fds;			/* the descriptors we watch for it */
	size_t nfds, capfds;
	unsigned gen, synced_gen;	/* bumped on connect and disconnect */
	bool connected, announce;
	bool started;
	agx_conn_cb cb;
	void *arg;
	char *name;
} agx;

/* --- net-snmp callbacks ------------------------------------------------------ */

static int on_log(int major, int minor, void *serverarg, void *clientarg)
{
	const struct snmp_log_message *slm = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	gd_log(slm->priority, "net-snmp: %s", slm->msg);
	return 0;
}

/* Every session net-snmp opens (the AgentX one included): a frozen master
 * must cost a third of a second per request, not the default 5 x 1 s. */
static int on_session_init(int major, int minor, void *serverarg,
			   void *clientarg)
{
	netsnmp_session *s = serverarg;

	(void)major;
	(void)minor;
	(void)clientarg;
	if (s != NULL) {
		s->timeout = AGX_TIMEOUT_US;
		s->retries = 0;
	}
	return 0;
}

/* INDEX_START: connected (registrations follow in the same call, so the
 * news waits for announce()); INDEX_STOP: the session is gone. */
static int on_session_change(int major, int minor, void *serverarg,
			     void *clientarg)
{
	(void)major;
	(void)serverarg;
	(void)clientarg;
	agx.connected = minor == SNMPD_CALLBACK_INDEX_START;
	agx.gen++;
	agx.announce = true;
	return 0;
}

static void announce(void)
{
	if (!agx.announce)
		return;
	agx.announce = false;
	log_notice("AgentX master %s", agx.connected ? "connected" :
			"not reachable");
	if (agx.cb != NULL)
		agx.cb(agx.arg, agx.connected);
}

/* --- descriptors and timer --------------------------------------------------- */

static void on_read(struct ev_loop *loop, int fd, uint32_t events, void *arg);

static void watch(int fd)
{
	if (agx.nfds == agx.capfds) {
		size_t cap = agx.capfds ? agx.capfds * 2 : 8;
		int *p = realloc(agx.fds, cap * sizeof *p);

		if (p == NULL)
			return;
		agx.fds = p;
		agx.capfds = cap;
	}
	/* net-snmp's reads must not block the loop */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (ev_io_add(agx.loop, fd, EPOLLIN, on_read, NULL) < 0) {
		log_err("cannot watch net-snmp descriptor %d: %m", fd);
		return;
	}
	agx.fds[agx.nfds++] = fd;
}

static bool watching(int fd)
{
	for (size_t i = 0; i < agx.nfds; i++)
		if (agx.fds[i] == fd)
			return true;
	return false;
}

/* Drops the descriptors net-snmp no longer has (all of them after a
 * reconnect: the number may be the same, the file is not). */
static void unwatch_gone(bool all)
{
	for (size_t i = 0; i < agx.nfds;) {
		int fd = agx.fds[i];

		if (all || !NETSNMP_LARGE_FD_ISSET(fd, &agx.want)) {
			ev_io_del(agx.loop, fd);
			agx.fds[i] = agx.fds[--agx.nfds];
		} else {
			i++;
		}
	}
}

void agx_kick(void)
{
	int numfds = 0, block = 1;
	struct timeval tv = { 0, 0 };

	if (agx.loop == NULL)
		return;
	NETSNMP_LARGE_FD_ZERO(&agx.want);
	snmp_select_info2(&numfds, &agx.want, &tv, &block);
	unwatch_gone(agx.gen != agx.synced_gen);
	agx.synced_gen = agx.gen;
	for (int fd = 0; fd < numfds; fd++)
		if (NETSNMP_LARGE_FD_ISSET(fd, &agx.want) && !watching(fd))
			watch(fd);
	if (block) {
		ev_timer_stop(agx.loop, &agx.timer);
		return;
	}
	ev_timer_start(agx.loop, &agx.timer, ev_monotonic_ns() +
		       (uint64_t)tv.tv_sec * EV_NS_PER_SEC +
		       (uint64_t)tv.tv_usec * 1000);
}

static void on_read(struct ev_loop *loop, int fd, uint32_t events, void *arg)
{
	(void)loop;
	(void)events;
	(void)arg;
	NETSNMP_LARGE_FD_ZERO(&agx.rd);
	NETSNMP_LARGE_FD_SET(fd, &agx.rd);
	snmp_read2(&agx.rd);
	netsnmp_check_outstanding_agent_requests();
	agx_kick();
	announce();
}

static void on_timeout(struct ev_loop *loop, void *arg)
{
	(void)loop;
	(void)arg;
	snmp_timeout();
	run_alarms();
	netsnmp_check_outstanding_agent_requests();
	agx_kick();
	announce();
}

/* --- life cycle ----------------------------------------------------------------- */

static void log_to_gd(void)
{
	snmp_disable_log();
	snmp_register_callback(SNMP_CALLBACK_LIBRARY, SNMP_CALLBACK_LOGGING,
			       on_log, NULL);
	snmp_enable_calllog();
}

static void subagent_setup(const struct agx_opts *o)
{
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID,
			       NETSNMP_DS_AGENT_ROLE, 1);
	if (o->socket != NULL)
		netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID,
				      NETSNMP_DS_AGENT_X_SOCKET, o->socket);
	snmp_register_callback(SNMP_CALLBACK_LIBRARY,
			       SNMP_CALLBACK_SESSION_INIT, on_session_init,
			       NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_START, on_session_change,
			       NULL);
	snmp_register_callback(SNMP_CALLBACK_APPLICATION,
			       SNMPD_CALLBACK_INDEX_STOP, on_session_change,
			       NULL);
}

/* net-snmp's settings before init_agent(). */
static void library_setup(const struct agx_opts *o)
{
	log_to_gd();
	/* An agent needs no MIB files (its handlers know their OIDs), and
	 * Debian ships few: loading the default list only logs noise. */
	setenv("MIBS", "", 1);
	/* alarms through snmp_select_info2's timeout, not SIGALRM */
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_ALARM_DONT_USE_SIG, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
			       NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	if (o->master)
		netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID,
				       NETSNMP_DS_LIB_DONT_READ_CONFIGS, 1);
	else
		subagent_setup(o);
}

int agx_init(struct ev_loop *loop, const struct agx_opts *o, agx_conn_cb cb,
	     void *arg)
{
	int ping = o->ping_interval > 0 ? o->ping_interval : AGX_PING_DEFAULT;

	agx.loop = loop;
	agx.cb = cb;
	agx.arg = arg;
	agx.name = strdup(o->name);
	if (agx.name == NULL)
		return -1;
	library_setup(o);
	if (init_agent(agx.name) != 0)
		return -1;
	/* init_agent() has just reset it to 15 s */
	netsnmp_ds_set_int(NETSNMP_DS_APPLICATION_ID,
			   NETSNMP_DS_AGENT_AGENTX_PING_INTERVAL, ping);
	ev_timer_init(&agx.timer, on_timeout, NULL);
	netsnmp_large_fd_set_init(&agx.want, FD_SETSIZE);
	netsnmp_large_fd_set_init(&agx.rd, FD_SETSIZE);
	return 0;
}

void agx_start(void)
{
	init_snmp(agx.name);
	agx.started = true;
	agx_kick();
	announce();
}

void agx_disconnect(void)
{
	if (agx.loop == NULL || agx.name == NULL || !agx.started)
		return;
	unwatch_gone(true);
	ev_timer_stop(agx.loop, &agx.timer);
	snmp_shutdown(agx.name);
	agx.started = false;
	agx.connected = false;
}

void agx_shutdown(void)
{
	if (agx.loop == NULL)
		return;
	agx_disconnect();
	unwatch_gone(true);
	ev_timer_stop(agx.loop, &agx.timer);
	shutdown_agent();
	netsnmp_large_fd_set_cleanup(&agx.want);
	netsnmp_large_fd_set_cleanup(&agx.rd);
	free(agx.fds);
	free(agx.name);
	agx = (typeof(agx)){ 0 };
}

bool agx_connected(void)
{
	return agx.connected;
}
