// SPDX-License-Identifier: GPL-2.0-only
/*
 * qemu_oracle.c - see qemu_oracle.h.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kernel/qemu_oracle.h"
#include "util.h"

#define SCRIPT "qemu-oracle.sh"

static const struct qo_kernel kernels[] = {
	{ "6.1", "6.1", 4096, "Linux 6.1 (x86-64, 4 KiB pages)", "zbud, z3fold, zsmalloc" },
	{ "6.12", "6.12", 4096, "Linux 6.12 (x86-64, 4 KiB pages)", "zbud, zsmalloc" },
	{ "6.12-arm64-16k", "6.12", 16384, "Linux 6.12 (arm64, 16 KiB pages)", "zbud, zsmalloc" },
};

const struct qo_kernel *qo_kernel(const char *name)
{
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (!strcmp(kernels[i].name, name))
			return &kernels[i];
	return NULL;
}

const struct qo_kernel *qo_kernel_for(const char *version, uint32_t page_size)
{
	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (!strcmp(kernels[i].version, version) && kernels[i].page_size == page_size)
			return &kernels[i];
	return NULL;
}

/* the one run of this process the clean-up hook knows */
static struct qo_run *active;

/* the files a run keeps in its directory (qo_path names no others) */
static const char *const run_files[] = { "ops", "out.img", "info", "pages", NULL };

/* async-signal-safe: runs from the signal handler too */
static void qo_cleanup(void *arg)
{
	struct qo_run *r = arg;
	char path[PATH_MAX + 32];

	if (r->child > 0)
		kill(-r->child, SIGTERM);
	for (int i = 0; run_files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", r->dir, run_files[i]);
		unlink(path);
	}
	rmdir(r->dir);
}

int qo_begin(struct qo_run *r, const char *cmd)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "%s/zpb-oracle.XXXXXX", tmp_dir());
	if (!mkdtemp(r->dir)) {
		zpb_err("%s: cannot create a temporary directory in %s: %s", cmd, tmp_dir(),
			strerror(errno));
		return -1;
	}
	snprintf(r->info, sizeof(r->info), "%s/info", r->dir);
	active = r;
	zpb_cleanup_push(qo_cleanup, r);
	return 0;
}

void qo_path(const struct qo_run *r, const char *name, char *buf, size_t len)
{
	int known = 0;

	for (int i = 0; run_files[i]; i++)
		known |= !strcmp(run_files[i], name);
	if (!known)
		abort(); /* the clean-up hook would leave it behind */
	snprintf(buf, len, "%s/%s", r->dir, name);
}

void qo_end(struct qo_run *r)
{
	if (active == r) {
		zpb_cleanup_pop(true);
		active = NULL;
	}
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/*
 * qemu-oracle.sh and the sources it builds: $ZPB_ORACLE_DIR, else
 * PREFIX/share/zpoolbench/oracle beside an installed binary or
 * bench/kernel/oracle beside a built one (util.h: zpb_data_dir).  0, or -1
 * with the places looked in, in @buf.
 */
static int find_script(char *buf, size_t len)
{
	const char *env = getenv("ZPB_ORACLE_DIR");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(buf, len, "%s/" SCRIPT, env);
		if (exists(buf))
			return 0;
		snprintf(buf, len, "%s (from $ZPB_ORACLE_DIR)", env);
		return -1;
	}
	if (zpb_data_dir("oracle", "bench/kernel/oracle", SCRIPT, dir, sizeof(dir))) {
		snprintf(buf, len, "%s", dir);
		return -1;
	}
	snprintf(buf, len, "%s/" SCRIPT, dir);
	return 0;
}

/* "kernel VERSION" from the script's stdout. */
static void read_release(struct qo_run *r)
{
	FILE *f = fopen(r->info, "r");
	char line[256];

	snprintf(r->release, sizeof(r->release), "?");
	snprintf(r->qemu_seconds, sizeof(r->qemu_seconds), "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "kernel ", 7))
			snprintf(r->release, sizeof(r->release), "%.60s", line + 7);
		else if (!strncmp(line, "qemu_seconds ", 13))
			snprintf(r->qemu_seconds, sizeof(r->qemu_seconds), "%.20s", line + 13);
	}
	fclose(f);
}

int qo_script(struct qo_run *r, const char *cmd, const char *const *args)
{
	char script[PATH_MAX + 64];
	const char *argv[16];
	int n = 0, status;
	pid_t pid;

	if (find_script(script, sizeof(script))) {
		zpb_err("%s: " SCRIPT " is not in %s; reinstall zpoolbench, or set ZPB_ORACLE_DIR "
			"to the folder holding it",
			cmd, script);
		return -1;
	}
	argv[n++] = "sh";
	argv[n++] = script;
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		zpb_err("%s: fork: %s", cmd, strerror(errno));
		return -1;
	}
	if (!pid) {
		FILE *info = freopen(r->info, "w", stdout);

		/* own process group, so that a signal to us can stop qemu too */
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (info)
			execv("/bin/sh", (char *const *)argv);
		fprintf(stderr, "zpoolbench: %s: cannot run %s: %s\n", cmd, script, strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	r->child = pid;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			zpb_err("%s: waitpid: %s", cmd, strerror(errno));
			return -1;
		}
	}
	r->child = 0;
	read_release(r);
	/* the script has printed its one-line reason */
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
