// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_capture.c - `zpoolbench capture`: runs zpb-capture, the BPF tracer of
 * a zram device (bench/kernel/trace/), which lives beside this program.  It is a
 * separate binary so that zpoolbench itself never needs libbpf: the tracer
 * is built only where clang, bpftool and libbpf are present.  Both read the
 * one option table of kernel/trace/capture_opts.c: here the options are
 * parsed and the output files checked before zpb-capture is started with
 * the same words.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "kernel/trace/capture_opts.h"
#include "util.h"

static int capture_run(void *opts, int argc, char **argv)
{
	char self[PATH_MAX], tool[PATH_MAX + 32];

	(void)opts;
	(void)argc;
	if (zpb_exe_dir(self, sizeof(self))) {
		zpb_err("capture: cannot find this program's directory: %s", strerror(errno));
		return 1;
	}
	snprintf(tool, sizeof(tool), "%s/zpb-capture", self);
	if (access(tool, X_OK)) {
		zpb_err("capture: %s is not built (it needs clang, bpftool, libbpf-dev, libelf-dev: "
			"run 'scripts/deps.sh bpf' then 'make')", tool);
		return 1;
	}
	argv[0] = tool;
	fflush(stdout);
	execv(tool, argv);
	zpb_err("capture: cannot run %s: %s", tool, strerror(errno));
	return 1;
}

static const struct zpb_cmd capture_cmd = {
	.name = "capture",
	.summary = "trace a zram device with BPF: size trace, pages, latency, pool pages",
	.about = capture_about,
	.opts = capture_opt_table,
	.size = sizeof(struct capture_opts),
	.root = "BPF and the zram device",
	.run = capture_run,
	.order = 60,
};
ZPB_COMMAND(capture_cmd);
