/*
 * greendot-agent — the AgentX subagent; everything is in agent.c and the
 * modules it wires (libgdagent.a, which the unit tests link).
 */
#include "agent.h"

int main(int argc, char **argv)
{
	return agent_main(argc, argv);
}
