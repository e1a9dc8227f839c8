/*
 * agent.h — greendot-agent: config, model, prober, MIB, notifications and
 * net-snmp wired together in one event loop.
 *
 *   prober --result--> model --event--> notify --Notify PDU--> master
 *                        ^  \
 *           SET (mib.c) -'   '-- rows read by mib.c on GET
 *
 * SIGHUP reloads the config (a bad one is refused with its file:line
 * errors and the old one stays); SIGTERM and SIGINT end the loop, the
 * state file is written and everything freed.
 */
#ifndef GD_AGENT_H
#define GD_AGENT_H

/* The whole program; returns the exit status. */
int agent_main(int argc, char **argv);

#endif
