// SPDX-License-Identifier: GPL-2.0-only
/*
 * manpage.c - see manpage.h.
 *
 * What comes from tables is generated: the synopsis (each command's usage
 * line), one subsection per command (its --help text and options), the
 * allocators with their keys.  The rest is fixed text below; what it states
 * is checked by tests/sh/manpage.sh (every option of `help --options` is on
 * the page, every variable the sources read is under ENVIRONMENT, groff
 * finds nothing to warn about).
 */
#define _GNU_SOURCE /* open_memstream */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd/manpage.h"
#include "opt.h"
#include "version.h"
#include "zpool.h"

/* Paragraphs of @text (blank lines between them) as .PP paragraphs. */
static void paragraphs(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char *para = strndup(p, n);

		if (!para)
			return;
		while (n && para[n - 1] == '\n')
			para[--n] = '\0';
		if (n) {
			fputs(".PP\n", f);
			opt_roff(f, para);
			fputc('\n', f);
		}
		free(para);
		p += n;
		while (*p == '\n')
			p++;
	}
}

/* Text a command prints after its options in --help (codecs, front ends): a paragraph a line. */
static void extra(FILE *f, void (*fn)(FILE *f))
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	fn(m);
	fclose(m);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		fputs(".PP\n", f);
		opt_roff(f, line);
		fputc('\n', f);
	}
	free(buf);
}

/* @text as a sentence: a capital first, a full stop last. */
static void sentence(FILE *f, const char *text)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "%s", text);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	opt_roff(f, buf);
	fputs(buf[0] && buf[strlen(buf) - 1] == '.' ? "\n" : ".\n", f);
}

static void synopsis(FILE *f, const struct zpb_cmd *const *cmds, int n)
{
	char usage[1024];

	fputs(".SH SYNOPSIS\n.nf\n", f);
	for (int i = 0; i < n; i++) {
		struct zpb_optset set = zpb_cmd_optset(cmds[i]);

		opt_usage(&set, usage, sizeof(usage));
		fputs("\\fB", f);
		opt_roff(f, usage);
		fputs("\\fR\n", f);
	}
	fputs("\\fBzpoolbench\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR\n"
	      "\\fBzpoolbench help\\fR [\\fB\\-\\-options\\fR | \\fB\\-\\-man\\fR]\n"
	      "\\fBzpoolbench \\-V\\fR | \\fB\\-\\-version\\fR\n.fi\n",
	      f);
}

static const char description[] =
	".SH DESCRIPTION\n"
	"\\fBzpoolbench\\fR measures the compressed-memory pool allocators behind Linux zswap and\n"
	"zram: \\fBzbud\\fR, \\fBz3fold\\fR and \\fBzsmalloc\\fR, ported to userspace behind one\n"
	"zpool-style interface, with \\fBideal\\fR (perfect packing) and glibc \\fBmalloc\\fR as\n"
	"references.  It compresses real memory pages (a corpus) with lz4, lz4hc, zstd or lzo,\n"
	"stores them through a kernel front end (zram, zswap or none) into each allocator and\n"
	"measures what each costs in space (pool pages, density, metadata) and in time (store,\n"
	"load, free, compaction).  Every load is checked against the original page.\n"
	".PP\n"
	"The ports are checked page for page against real kernels: \\fBoracle zram\\fR replays\n"
	"through the running kernel's zsmalloc, \\fBoracle qemu\\fR through Debian's Linux 6.1\n"
	"booted under qemu; both write the kernel's pool size after every operation, in the\n"
	"format \\fBreplay \\-\\-trajectory\\fR writes for the ports.\n"
	".PP\n"
	"An allocator is named by a spec, \\fINAME\\fR[\\fB:\\fR\\fIkey\\fR\\fB=\\fR\\fIvalue\\fR,...],\n"
	"for example \\fBzsmalloc:chain=4\\fR or \\fBz3fold:kernel=6.1\\fR (see \\fBALLOCATORS\\fR\n"
	"below).  \\fBrun\\fR, \\fBsweep\\fR and \\fBscale\\fR expand brace grids:\n"
	"\\fB'z3fold:compaction={none,middle,extra,gated},gap={1..6}'\\fR.\n"
	".SS Options common to every command\n"
	"Options are read through one table per command: \\fB\\-\\-name value\\fR or\n"
	"\\fB\\-\\-name=value\\fR; a word that is not an option is an operand; \\fB\\-\\-\\fR ends the\n"
	"options.  Numbers are decimal; sizes take K, M, G, T (binary); durations take ms, s, m, h.\n"
	"An option given twice, a value out of range or not among the choices is refused with one\n"
	"line naming the option, exit status 2.\n"
	".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\n"
	"The command's usage and options (the text of this page's section for it).\n"
	".TP\n\\fB\\-V\\fR, \\fB\\-\\-version\\fR\n"
	"The program's version and git commit.\n"
	".PP\n"
	"No output is clobbered: an output file or results folder that exists is replaced only with\n"
	"\\fB\\-\\-force\\fR; one that is a device, a FIFO, a link, a folder where a file is\n"
	"expected, or the same file as an input is refused before any work.  Files appear whole or\n"
	"not at all (written to a temporary name, renamed when complete); a results folder is\n"
	"written into a hidden sibling and renamed into place.\n"
	".PP\n"
	"On a terminal \\fBrun\\fR, \\fBsweep\\fR, \\fBscale\\fR, \\fBreplay\\fR and \\fBbench\\fR\n"
	"draw a progress bar with the rate and the time left on standard error; with\n"
	"\\fB\\-\\-progress\\fR they print one progress line every few seconds when standard\n"
	"error is not a terminal (a log file, a pipe).\n";

static void commands(FILE *f, const struct zpb_cmd *const *cmds, int n)
{
	char usage[1024];

	fputs(".SH COMMANDS\n", f);
	for (int i = 0; i < n; i++) {
		struct zpb_optset set = zpb_cmd_optset(cmds[i]);

		fprintf(f, ".SS \"%s\"\n", cmds[i]->name);
		opt_usage(&set, usage, sizeof(usage));
		fputs("\\fB", f);
		opt_roff(f, usage);
		fputs("\\fR\n.PP\n", f);
		sentence(f, cmds[i]->summary);
		if (cmds[i]->root) {
			fputs("Needs root (", f);
			opt_roff(f, cmds[i]->root);
			fputs(").\n", f);
		}
		if (cmds[i]->about)
			paragraphs(f, cmds[i]->about);
		opt_man(f, &set);
		if (cmds[i]->help_extra)
			extra(f, cmds[i]->help_extra);
	}
}

static void allocators(FILE *f)
{
	const struct zpool_driver *drv[32];
	int n = zpool_drivers(drv, 32);
	char range[64];

	fputs(".SH ALLOCATORS\n"
	      "The allocators this program has, with the keys of their specs, the valid values\n"
	      "and the defaults (\\fBzpoolbench list\\fR prints the same; \\fBlist \\-\\-check\\fR\n"
	      "checks a spec).  A preset key (\\fBkernel=\\fR) sets several keys; keys given\n"
	      "explicitly override it.\n",
	      f);
	for (int i = 0; i < n; i++) {
		fprintf(f, ".SS \"%s\"\n", drv[i]->name);
		sentence(f, drv[i]->summary);
		for (const struct zpool_param *p = drv[i]->params; p && p->key; p++) {
			snprintf(range, sizeof(range), "%ld..%ld", p->min, p->max);
			fputs(".TP\n\\fB", f);
			opt_roff(f, p->key);
			fputs("=\\fR\\fI", f);
			opt_roff(f, p->values ? p->values : range);
			fputs("\\fR\n", f);
			opt_roff(f, p->help);
			fputs(" (default ", f);
			opt_roff(f, p->def);
			fputs(")\n", f);
		}
	}
}

static const char rest[] =
	".SH EXIT STATUS\n"
	".TP\n0\nSuccess.\n"
	".TP\n1\n"
	"The work failed: an input that cannot be read or is wrong (a corpus, a manifest, a trace;\n"
	"the message names the file, and the line for a trace), an output that cannot be written\n"
	"or would be clobbered, a loaded page that differs from the original, a kernel that\n"
	"refused, out of memory, standard output that did not take everything (a full disk), or\n"
	"figures that could not be drawn (no gnuplot, no plot scripts) without\n"
	"\\fB\\-\\-no\\-plots\\fR.  One line on standard error says what and why.\n"
	".TP\n2\n"
	"The command line is wrong: an unknown command or option, a missing or bad value, an\n"
	"allocator spec, codec or front end that does not parse.  One line names the option.\n"
	".PP\n"
	"\\fBcompare\\fR also exits 1 when a gate (\\fB\\-\\-max\\-density\\-drop\\fR,\n"
	"\\fB\\-\\-max\\-tput\\-drop\\fR) fails, and 2 for an input that is not a results folder.\n"
	".PP\n"
	"SIGINT, SIGTERM and SIGHUP end a command after it has undone what it changed (zram\n"
	"devices reset, temporary files and unfinished results removed); the process then dies of\n"
	"that signal.\n"
	".SH ENVIRONMENT\n"
	".TP\n\\fBZPB_CCACHE_DIR\\fR\n"
	"The compression cache folder when \\fB\\-\\-ccache\\fR is not given (\\fBoff\\fR: no cache).\n"
	".TP\n\\fBXDG_CACHE_HOME\\fR, \\fBHOME\\fR\n"
	"Without \\fBZPB_CCACHE_DIR\\fR, the cache is \\fI$XDG_CACHE_HOME/zpoolbench\\fR, else\n"
	"\\fI$HOME/.cache/zpoolbench\\fR; the qemu oracle's cache is under the same folder.\n"
	".TP\n\\fBTMPDIR\\fR\n"
	"Where temporary files go (a run without a cache, the qemu oracle's operation list);\n"
	"default \\fI/tmp\\fR.\n"
	".TP\n\\fBZPB_PLOTS\\fR\n"
	"A folder of gnuplot scripts to use instead of the installed ones.\n"
	".TP\n\\fBZPB_PROGRESS_INTERVAL\\fR\n"
	"Seconds between two updates of the progress display: frames of the bar on a terminal\n"
	"(default 0.2), lines of \\fB\\-\\-progress\\fR otherwise (default 5).  0: an update\n"
	"every 1024 operations (for tests).\n"
	".TP\n\\fBZPOOLBENCH_GUARD_PAGES\\fR\n"
	"Set and not 0: a pool page the allocator freed is made inaccessible until it is handed\n"
	"out again, so an allocator that touches a freed page faults (slow; for debugging an\n"
	"allocator).\n"
	".TP\n\\fBZPB_ORACLE_DIR\\fR\n"
	"The folder holding \\fIqemu\\-oracle.sh\\fR and the sources it builds, instead of the\n"
	"installed one.\n"
	".TP\n\\fBZPB_CACHE_DIR\\fR\n"
	"The qemu oracle's cache (kernel packages, module, initramfs) is\n"
	"\\fI$ZPB_CACHE_DIR/oracle\\-qemu\\fR; default\n"
	"\\fI${XDG_CACHE_HOME:\\-$HOME/.cache}/zpoolbench\\fR.\n"
	".TP\n\\fBZPB_ORACLE_KERNEL\\fR\n"
	"A Debian kernel version (6.1.0\\-\\fINN\\fR\\-amd64) for \\fBoracle qemu\\fR to use instead of\n"
	"the cached or newest one.\n"
	".TP\n\\fBZPB_ORACLE_TIMEOUT\\fR\n"
	"Seconds one qemu boot may take (default: from the number of operations).\n"
	".TP\n\\fBZPB_QEMU\\fR\n"
	"The qemu binary (default \\fBqemu\\-system\\-x86_64\\fR).\n"
	".TP\n\\fBZPB_ORACLE_SETTLE_US\\fR\n"
	"Microseconds the qemu guest sleeps after every free (to check that z3fold's sizes do not\n"
	"depend on timing).\n"
	".TP\n\\fBZPB_ORACLE_WAIT_Z3FOLD\\fR\n"
	"Set to 0: the qemu guest does not wait for z3fold's compaction work after a free (shows\n"
	"what the waiting changes).\n"
	".TP\n\\fBZPB_TEST_BETWEEN_CODECS\\fR\n"
	"For the test suite: a shell command \\fBrun\\fR executes between two codecs of a corpus.\n"
	".TP\n\\fBZPB_TEST_MODEL_CLOCK\\fR\n"
	"For the test suite: set, every latency is a cost computed from the operation instead of a\n"
	"clock reading, so that two runs give equal figures.  Never for measurements.\n"
	".SH FILES\n"
	".TP\n\\fINAME\\fB.pages\\fR, \\fINAME\\fB.pages.zst\\fR\n"
	"A corpus: 4096\\-byte pages, raw or compressed with zstd (any number of frames).  It is\n"
	"read as a stream through one descriptor; a corpus that changes during a run fails the run.\n"
	".TP\n\\fINAME\\fB.json\\fR\n"
	"The corpus manifest beside it (optional for your own corpora): \\fBformat\\fR\n"
	"(\"zpoolbench\\-corpus\"), \\fBformat_version\\fR (1), \\fBpage_size\\fR (4096), \\fBpages\\fR\n"
	"and \\fBsha256\\fR of the raw pages (both checked), and what it holds: \\fBsource\\fR,\n"
	"\\fBworkload\\fR, \\fBcommand\\fR, \\fBpackages\\fR, \\fBkernel\\fR, \\fBarch\\fR,\n"
	"\\fBdate\\fR, \\fBselection\\fR.  At most 1 MiB; a repeated key is refused.\n"
	".TP\nsize trace\n"
	"Text, first line \\fB# zpoolbench\\-trace v1\\fR, then one operation a line:\n"
	"\\fBa\\fR \\fIID SIZE\\fR (store \\fISIZE\\fR bytes, 1..4096, under \\fIID\\fR),\n"
	"\\fBf\\fR \\fIID\\fR (free it), \\fBc\\fR (compact); \\fB#\\fR starts a comment.  IDs are\n"
	"decimal below 2^64; a line holds at most 4096 bytes.  \\fB\\-\\fR reads the trace from\n"
	"standard input.  Written by \\fBcapture\\fR and \\fBoracle zram\\fR, read by\n"
	"\\fBreplay\\fR, \\fBrun \\-\\-workload replay\\fR, \\fBbench\\fR and \\fBoracle qemu\\fR.\n"
	".TP\ntrajectory\n"
	"One line per operation of a trace, \\fIOPINDEX POOL_PAGES\\fR: the pool's size in pages\n"
	"after it.  The oracles and \\fBreplay \\-\\-trajectory\\fR write the same format, so a\n"
	"port and a kernel are compared with \\fBcmp\\fR(1).\n"
	".TP\n\\fIDIR\\fB/\\fR (\\fBrun\\fR, \\fBsweep\\fR, \\fBreport\\fR, \\fBcompare \\-\\-out\\fR)\n"
	"The results folder: \\fBresults.csv\\fR and \\fBresults.json\\fR (one row per corpus,\n"
	"codec, allocator and workload, with the provenance; \\fBresults.json\\fR keeps every\n"
	"repeat's counts, which \\fBreport\\fR and \\fBcompare\\fR read back), \\fBsizes.csv\\fR,\n"
	"\\fBbounds.csv\\fR, \\fBchurn.csv\\fR, \\fBsweep.csv\\fR, \\fBcompare.csv\\fR, the figures\n"
	"(\\fBtradeoff\\fR, \\fBsizes\\fR, \\fBchurn\\fR, \\fBlatency\\fR, \\fBsweep\\fR,\n"
	"\\fBcompare\\fR; PNG and SVG) and \\fBreport.md\\fR.\n"
	".TP\n\\fI$ZPB_CCACHE_DIR\\fR, \\fI$XDG_CACHE_HOME/zpoolbench\\fR, \\fI~/.cache/zpoolbench\\fR\n"
	"The compression cache: \\fISHA256\\fB\\-\\fICODEC\\fB.zpbcc\\fR, the compressed sizes and\n"
	"pages of one corpus and codec, checked before use and rebuilt when wrong\n"
	"(\\fB\\-\\-ccache off\\fR: none).  Safe to delete.\n"
	".TP\n\\fIPREFIX\\fB/share/zpoolbench/plots/*.gp\\fR\n"
	"The gnuplot scripts of the figures.\n"
	".TP\n\\fIPREFIX\\fB/share/zpoolbench/corpora/default.pages.zst\\fR, \\fBdefault.json\\fR\n"
	"The bundled corpus: 6,000 pages of seven real programs (\\fBbench\\fR's default input),\n"
	"and its manifest; \\fBexample.trace\\fR beside them is a small size trace.\n"
	".TP\n\\fIPREFIX\\fB/share/zpoolbench/oracle/\\fR\n"
	"\\fBqemu\\-oracle.sh\\fR, the kernel module and the guest program \\fBoracle qemu\\fR builds.\n"
	".TP\n\\fIPREFIX\\fB/share/zpoolbench/scripts/deps.sh\\fR\n"
	"Installs (as root) or names the Debian packages a part needs: \\fBdeps.sh plot\\fR,\n"
	"\\fBdeps.sh qemu\\fR, \\fBdeps.sh bpf\\fR.\n"
	".TP\n\\fIPREFIX\\fB/libexec/zpoolbench/zpb\\-capture\\fR\n"
	"The BPF tracer \\fBcapture\\fR runs (installed where it was built: clang, bpftool and\n"
	"libbpf were present).\n"
	".PP\n"
	"\\fIPREFIX\\fR is the folder above the one holding the \\fBzpoolbench\\fR binary\n"
	"(\\fI/usr/local\\fR by default): an installed tree can be staged or moved as a whole.\n"
	".SH EXAMPLES\n"
	"Three allocators on the bundled corpus, results and figures in \\fIresults/x\\fR:\n"
	".PP\n.nf\n.RS\n"
	"c=/usr/local/share/zpoolbench/corpora/default.pages.zst\n"
	"zpoolbench run \\-\\-corpus $c \\-\\-alloc zbud,z3fold,zsmalloc:chain=4 \\e\n"
	"    \\-\\-codec lz4:1,zstd:3 \\-\\-repeat 3 \\-\\-out results/x\n"
	".RE\n.fi\n.PP\n"
	"z3fold's compaction levels as a grid, with a recommendation:\n"
	".PP\n.nf\n.RS\n"
	"zpoolbench sweep \\-\\-corpus my.pages \\e\n"
	"    \\-\\-alloc 'z3fold:compaction={none,middle,extra,gated}' \\e\n"
	"    \\-\\-prefer balanced \\-\\-out results/sweep\n"
	".RE\n.fi\n.PP\n"
	"A port against the running kernel's zsmalloc, operation by operation (root):\n"
	".PP\n.nf\n.RS\n"
	"zpoolbench oracle zram \\-\\-corpus my.pages \\-\\-pages 20000 \\-\\-churn 2 \\e\n"
	"    \\-\\-trace k.trace \\-\\-trajectory k.traj\n"
	"zpoolbench replay \\-\\-trace k.trace \\-\\-alloc zsmalloc:kernel=6.18 \\e\n"
	"    \\-\\-trajectory p.traj\n"
	"cmp k.traj p.traj\n"
	".RE\n.fi\n.PP\n"
	"A regression gate: the same run on two builds, compared repeat by repeat:\n"
	".PP\n.nf\n.RS\n"
	"zpoolbench compare \\-\\-max\\-tput\\-drop 5 \\-\\-max\\-density\\-drop 0 \\e\n"
	"    results/old results/new\n"
	".RE\n.fi\n.PP\n"
	"The results on standard output only, as CSV, with a progress line every few seconds in a\n"
	"log:\n"
	".PP\n.nf\n.RS\n"
	"zpoolbench run \\-\\-corpus my.pages \\-\\-alloc zsmalloc \\-\\-format csv \\e\n"
	"    \\-\\-progress > results.csv 2> progress.log\n"
	".RE\n.fi\n"
	".SH SEE ALSO\n"
	"\\fBgnuplot\\fR(1), \\fBzramctl\\fR(8), \\fBparallel\\fR(1) and \\fBsbatch\\fR(1) for the shards of\n"
	"\\fBrun \\-\\-shard\\fR (docs/scale\\-out.md); the kernel's Documentation/admin\\-guide/mm/zswap.rst\n"
	"and Documentation/admin\\-guide/blockdev/zram.rst.  The project's README.md and docs/\n"
	"(installed in \\fIPREFIX\\fB/share/doc/zpoolbench\\fR) explain the measurements.\n";

void manpage_write(FILE *f, const struct zpb_cmd *const *cmds, int n)
{
	fprintf(f,
		".\\\" Generated by `zpoolbench help --man` from the option tables; do not edit.\n"
		".TH ZPOOLBENCH 1 \"\" \"zpoolbench %s\" \"User Commands\"\n"
		".nh\n.ad l\n"
		".SH NAME\n"
		"zpoolbench \\- benchmark the compressed\\-memory pool allocators of Linux "
		"(zbud, z3fold, zsmalloc)\n",
		ZPB_VERSION);
	synopsis(f, cmds, n);
	fputs(description, f);
	commands(f, cmds, n);
	allocators(f);
	fputs(rest, f);
}
