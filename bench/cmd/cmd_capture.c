// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd_capture.c - `zpoolbench capture`: runs zpb-capture, the BPF tracer of
 * a zram device (bench/kernel/trace/), which lives beside this program in a
 * build tree and in PREFIX/libexec/zpoolbench when installed.  It is a
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
	char tool[2 * PATH_MAX];

	(void)opts;
	(void)argc;
	if (zpb_helper("zpb-capture", tool, sizeof(tool)) || access(tool, X_OK)) {
		zpb_err("capture: zpb-capture is not in %s: it is built only where clang, bpftool, "
			"libbpf-dev and libelf-dev are installed (in the source tree: "
			"'scripts/deps.sh bpf', then 'make' and 'make install')",
			tool);
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
