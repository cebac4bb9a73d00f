// SPDX-License-Identifier: GPL-2.0-only
/*
 * progress.c - see progress.h.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"
#include "util.h"

#define BAR_WIDTH 30
#define BAR_INTERVAL 0.2  /* seconds between two frames of the bar */
#define LINE_INTERVAL 5.0 /* and between two lines */

enum mode { OFF, BAR, LINES };

static struct {
	const char *cmd;
	bool lines;	/* --progress was given */
	enum mode mode; /* of the display running now */
	bool sync;	/* ZPB_PROGRESS_INTERVAL=0: drawn by progress_add */
	double interval;
	uint64_t total, done; /* atomic */
	uint64_t t0;
	char what[160]; /* under lock */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool running, stop;
} pg = { .cmd = "zpoolbench", .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER };

void progress_setup(const char *cmd, bool lines)
{
	pg.cmd = cmd;
	pg.lines = lines;
}

/* "2.41M", "812k", "95" */
static void human(char *buf, size_t len, double v)
{
	if (v >= 1e9)
		snprintf(buf, len, "%.2fG", v / 1e9);
	else if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e3)
		snprintf(buf, len, "%.0fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
}

/* "0:07", "1:02:03" */
static void clock_text(char *buf, size_t len, double s)
{
	unsigned long t = s > 0 && s < 1e7 ? (unsigned long)(s + 0.5) : 0;

	if (t >= 3600)
		snprintf(buf, len, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%lu:%02lu", t / 60, t % 60);
}

static int columns(void)
{
	struct winsize ws;

	if (!ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) && ws.ws_col >= 40)
		return ws.ws_col;
	return 80;
}

/* One frame of the bar, or one line; with pg.lock held. */
static void draw(bool last)
{
	uint64_t done = __atomic_load_n(&pg.done, __ATOMIC_RELAXED);
	uint64_t total = __atomic_load_n(&pg.total, __ATOMIC_RELAXED);
	double el = (now_ns() - pg.t0) / 1e9, rate = el > 0 ? done / el : 0;
	/* an estimate may fall short: never 100 % before the end */
	double f = total ? (double)done / total : 0;
	char r[32], left[32], spent[32], line[512];
	int pct;

	f = last ? 1 : f > 0.99 ? 0.99 : f;
	pct = (int)(100 * f);
	human(r, sizeof(r), rate);
	if (done && rate > 0)
		clock_text(left, sizeof(left), total > done ? (total - done) / rate : 0);
	else
		snprintf(left, sizeof(left), "?"); /* nothing done yet: no rate to tell */
	clock_text(spent, sizeof(spent), el);
	if (pg.mode == BAR) {
		char bar[BAR_WIDTH + 1];
		int fill = (int)(BAR_WIDTH * f), w = columns() - 1;

		memset(bar, '#', fill);
		memset(bar + fill, '.', BAR_WIDTH - fill);
		bar[BAR_WIDTH] = '\0';
		if (total)
			snprintf(line, sizeof(line), "[%s] %3d%%  %s op/s  ETA %s  %s", bar, pct, r,
				 left, pg.what);
		else
			snprintf(line, sizeof(line), "%llu operations  %s op/s  %s  %s",
				 (unsigned long long)done, r, spent, pg.what);
		fprintf(stderr, "\r%.*s\033[K", w, line);
	} else if (last) {
		fprintf(stderr, "zpoolbench: %s: progress done: %llu operations in %s, %s op/s\n",
			pg.cmd, (unsigned long long)done, spent, r);
	} else if (total) {
		fprintf(stderr,
			"zpoolbench: %s: progress %d%% (%llu of %llu operations), %s op/s, "
			"elapsed %s, left %s: %s\n",
			pg.cmd, pct, (unsigned long long)done, (unsigned long long)total, r, spent,
			left, pg.what);
	} else {
		fprintf(stderr,
			"zpoolbench: %s: progress %llu operations, %s op/s, elapsed %s: %s\n",
			pg.cmd, (unsigned long long)done, r, spent, pg.what);
	}
	fflush(stderr);
}

static void *display(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pg.lock);
	while (!pg.stop) {
		struct timespec ts;
		double next;

		clock_gettime(CLOCK_REALTIME, &ts);
		next = ts.tv_sec + ts.tv_nsec / 1e9 + pg.interval;
		ts.tv_sec = (time_t)next;
		ts.tv_nsec = (long)((next - (double)ts.tv_sec) * 1e9);
		if (pthread_cond_timedwait(&pg.wake, &pg.lock, &ts) == ETIMEDOUT && !pg.stop)
			draw(false);
	}
	pthread_mutex_unlock(&pg.lock);
	return NULL;
}

void progress_start(uint64_t total)
{
	const char *env = getenv("ZPB_PROGRESS_INTERVAL");
	char *end;
	double iv = env && *env ? strtod(env, &end) : -1;

	if (pg.running)
		progress_stop();
	pg.mode = progress_enabled() ? BAR : pg.lines ? LINES : OFF;
	if (pg.mode == OFF)
		return;
	if (!env || !*env || *end || iv < 0 || iv > 86400)
		iv = pg.mode == BAR ? BAR_INTERVAL : LINE_INTERVAL;
	pg.interval = iv;
	pg.sync = iv == 0;
	__atomic_store_n(&pg.total, total, __ATOMIC_RELAXED);
	__atomic_store_n(&pg.done, 0, __ATOMIC_RELAXED);
	pg.t0 = now_ns();
	pg.what[0] = '\0';
	pg.stop = false;
	if (!pg.sync && pthread_create(&pg.thread, NULL, display, NULL)) {
		pg.mode = OFF; /* no thread, no display: the work goes on */
		return;
	}
	pg.running = true;
}

void progress_what(const char *fmt, ...)
{
	va_list ap;

	if (pg.mode == OFF)
		return;
	pthread_mutex_lock(&pg.lock);
	va_start(ap, fmt);
	vsnprintf(pg.what, sizeof(pg.what), fmt, ap);
	va_end(ap);
	if (pg.mode == BAR || pg.sync)
		draw(false); /* a new step shows at once */
	pthread_mutex_unlock(&pg.lock);
}

void progress_add(uint64_t n)
{
	if (pg.mode == OFF)
		return;
	__atomic_add_fetch(&pg.done, n, __ATOMIC_RELAXED);
	if (pg.sync && !pthread_mutex_trylock(&pg.lock)) {
		draw(false);
		pthread_mutex_unlock(&pg.lock);
	}
}

void progress_stop(void)
{
	if (!pg.running)
		return;
	pthread_mutex_lock(&pg.lock);
	pg.stop = true;
	pthread_cond_signal(&pg.wake);
	pthread_mutex_unlock(&pg.lock);
	if (!pg.sync)
		pthread_join(pg.thread, NULL);
	pg.running = false;
	if (pg.mode == BAR) {
		fputs("\r\033[K", stderr);
	} else if (!zpb_interrupted) {
		pthread_mutex_lock(&pg.lock);
		draw(true);
		pthread_mutex_unlock(&pg.lock);
	}
	pg.mode = OFF;
}

void progress_clear_line(void)
{
	if (pg.mode == BAR)
		fputs("\r\033[K", stderr);
}
