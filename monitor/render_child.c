/*
 * render_child.c — greendot-render as a child process; see
 * render_child.h.
 */
#include "render_child.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "evloop.h"
#include "log.h"

#define RENDER_NAME "greendot-render"
#define RENDER_WAIT_MS 5000	/* at exit, for a render under way */

struct rchild {
	struct ev_loop *loop;
	char *data, *out, *news;
	char exe[PATH_MAX];
	pid_t pid;		/* 0: none running */
	bool again;		/* requested while one ran */
	bool missing_logged;
	rchild_idle_cb idle;
	void *arg;
	struct gd_ratelimit rl;
};

/* The folder of our own binary, then "/greendot-render". */
static int find_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (slash == NULL ||
	    (size_t)(slash - buf) + sizeof("/" RENDER_NAME) > len)
		return -1;
	strcpy(slash + 1, RENDER_NAME);
	return 0;
}

static void child_exec(const struct rchild *r)
{
	char *argv[] = {
		(char *)RENDER_NAME, (char *)"--data", r->data,
		(char *)"--out", r->out,
		r->news ? (char *)"--news" : NULL, r->news, NULL,
	};
	sigset_t none;

	/* the loop blocks the signals it reads through its signalfd; a
	 * child must not inherit that */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(r->exe, argv);
	_exit(127);
}

static void start(struct rchild *r)
{
	pid_t pid;

	if (access(r->exe, X_OK) < 0) {
		if (!r->missing_logged)
			log_warn("--render-to: %s: %s; not rendering", r->exe,
				 strerror(errno));
		r->missing_logged = true;
		return;
	}
	pid = fork();
	if (pid < 0) {
		log_err("--render-to: fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		child_exec(r);
	r->pid = pid;
}

static void report(struct rchild *r, int status)
{
	unsigned suppressed = 0;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	if (!gd_ratelimit(&r->rl, time(NULL), &suppressed))
		return;
	if (WIFEXITED(status))
		log_warn("%s exited with status %d%s", RENDER_NAME,
			 WEXITSTATUS(status),
			 WEXITSTATUS(status) == 127 ? " (cannot run it)" : "");
	else
		log_warn("%s killed by signal %d", RENDER_NAME,
			 WTERMSIG(status));
}

static void finished(struct rchild *r, int status)
{
	r->pid = 0;
	report(r, status);
	if (r->again) {
		r->again = false;
		start(r);
	}
	if (r->pid == 0 && r->idle != NULL)
		r->idle(r->arg);
}

static void sigchld(struct ev_loop *loop, int signo, void *arg)
{
	struct rchild *r = arg;
	int status;
	pid_t pid;

	(void)loop;
	(void)signo;
	/* signals coalesce: reap every child that is done */
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (pid == r->pid)
			finished(r, status);
}

struct rchild *rchild_new(struct ev_loop *loop, const char *data,
			  const char *out, const char *news,
			  rchild_idle_cb idle, void *arg)
{
	struct rchild *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	r->loop = loop;
	r->idle = idle;
	r->arg = arg;
	r->rl = (struct gd_ratelimit)GD_RATELIMIT_INIT(600, 3);
	r->data = strdup(data);
	r->out = strdup(out);
	r->news = news ? strdup(news) : NULL;
	if (r->data == NULL || r->out == NULL || (news && r->news == NULL) ||
	    find_exe(r->exe, sizeof r->exe) < 0 ||
	    ev_signal_add(loop, SIGCHLD, sigchld, r) < 0) {
		log_err("--render-to: cannot set up the renderer");
		rchild_free(r);
		return NULL;
	}
	return r;
}

void rchild_request(struct rchild *r)
{
	if (r->pid != 0) {
		r->again = true;
		return;
	}
	start(r);
	if (r->pid == 0 && r->idle != NULL)
		r->idle(r->arg);
}

bool rchild_idle(const struct rchild *r)
{
	return r->pid == 0;
}

void rchild_free(struct rchild *r)
{
	int status;

	if (r == NULL)
		return;
	for (int ms = 0; r->pid != 0 && ms < RENDER_WAIT_MS; ms += 10) {
		if (waitpid(r->pid, &status, WNOHANG) == r->pid)
			r->pid = 0;
		else
			usleep(10000);
	}
	if (r->pid != 0) {
		kill(r->pid, SIGTERM);
		waitpid(r->pid, &status, 0);
	}
	free(r->data);
	free(r->out);
	free(r->news);
	free(r);
}
