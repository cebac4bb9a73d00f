// SPDX-License-Identifier: GPL-2.0-only
/*
 * provenance.c - see provenance.h.
 */
#include <lz4.h>
#include <lzo/lzoconf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <zstd.h>

#include "driver/pageset.h"
#include "output/provenance.h"
#include "util.h"
#include "timer.h"
#include "version.h"

static void cpu_model(char *out, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(out, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			colon++;
			while (*colon == ' ' || *colon == '\t')
				colon++;
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(out, len, "%s", colon);
			break;
		}
	}
	fclose(f);
}

void provenance_collect(struct provenance *p, int argc, char **argv)
{
	struct utsname u;
	time_t now = time(NULL);
	struct tm tm;
	size_t off = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->version, sizeof(p->version), "%s", ZPB_VERSION);
	snprintf(p->git, sizeof(p->git), "%s", ZPB_GIT);
#ifdef __clang__
	snprintf(p->compiler, sizeof(p->compiler), "clang %s", __clang_version__);
#elif defined(__GNUC__)
	snprintf(p->compiler, sizeof(p->compiler), "gcc %s", __VERSION__);
#else
	snprintf(p->compiler, sizeof(p->compiler), "unknown");
#endif
	cpu_model(p->cpu, sizeof(p->cpu));
	p->cores = online_cpus();
	if (!uname(&u))
		snprintf(p->kernel, sizeof(p->kernel), "%s %s %s", u.sysname, u.release, u.machine);
	snprintf(p->codecs, sizeof(p->codecs), "lz4 %s, zstd %s, lzo %s", LZ4_versionString(),
		 ZSTD_versionString(), lzo_version_string());
	gmtime_r(&now, &tm);
	strftime(p->date, sizeof(p->date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	timer_describe(p->timer, sizeof(p->timer));
	snprintf(p->timer_source, sizeof(p->timer_source), "%s", timer_info()->source);
	p->timer_ghz = timer_info()->ghz;
	p->timer_resolution_ns = timer_info()->resolution_ns;
	p->timer_overhead_ns = timer_info()->overhead_ns;
	for (int i = 0; i < argc && off < sizeof(p->command); i++)
		off += snprintf(p->command + off, sizeof(p->command) - off, "%s%s", i ? " " : "",
				argv[i]);
}
