// SPDX-License-Identifier: GPL-2.0-only
/*
 * provenance.c - see provenance.h.
 */
#include <inttypes.h>
#include <lz4.h>
#include <lzo/lzoconf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "csv.h"
#include "json.h"
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

/* The 1, 5 and 15 minute load averages (NAN if /proc/loadavg cannot be read). */
static void load_average(double *load)
{
	FILE *f = fopen("/proc/loadavg", "r");

	for (int i = 0; i < PROV_NLOAD; i++)
		load[i] = NAN;
	if (!f)
		return;
	if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
		for (int i = 0; i < PROV_NLOAD; i++)
			load[i] = NAN;
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
	if (gethostname(p->host, sizeof(p->host) - 1))
		snprintf(p->host, sizeof(p->host), "unknown");
	load_average(p->load_start);
	load_average(p->load_end);
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

void provenance_finish(struct provenance *p)
{
	load_average(p->load_end);
}

const char *provenance_load_text(const double *load, char *buf, size_t len)
{
	if (isnan(load[0]))
		snprintf(buf, len, "unknown");
	else
		snprintf(buf, len, "%.2f %.2f %.2f", load[0], load[1], load[2]);
	return buf;
}

static void json_load(struct jw *w, const char *key, const double *load)
{
	jw_key(w, key);
	if (isnan(load[0])) {
		jw_null(w);
		return;
	}
	jw_arr(w);
	for (int i = 0; i < PROV_NLOAD; i++)
		jw_fixed(w, load[i], 2);
	jw_end(w);
}

void provenance_json(struct jw *w, const struct provenance *p)
{
#define S(k, v)               \
	do {                  \
		jw_key(w, k); \
		jw_str(w, v); \
	} while (0)
#define U(k, v)               \
	do {                  \
		jw_key(w, k); \
		jw_u64(w, v); \
	} while (0)
	if (p->source[0])
		S("source", p->source);
	S("zpoolbench", p->version);
	S("git", p->git);
	S("compiler", p->compiler);
	S("cpu", p->cpu);
	U("cores", (uint64_t)p->cores);
	S("kernel", p->kernel);
	S("codecs", p->codecs);
	S("host", p->host);
	json_load(w, "load_start", p->load_start);
	json_load(w, "load_end", p->load_end);
	S("date", p->date);
	S("command", p->command);
	jw_key(w, "timer");
	jw_obj(w);
	S("source", p->timer_source);
	jw_key(w, "ghz");
	jw_fixed(w, p->timer_ghz, 6);
	jw_key(w, "resolution_ns");
	jw_fixed(w, p->timer_resolution_ns, 2);
	jw_key(w, "overhead_ns");
	jw_fixed(w, p->timer_overhead_ns, 2);
	S("description", p->timer);
	jw_end(w);
	if (!p->has_run)
		return;
	S("kind", p->kind);
	S("frontend", p->frontend);
	U("threads", (uint64_t)p->threads);
	U("repeat", (uint64_t)p->repeat);
	U("seed", p->seed);
	U("objects", p->objects);
	U("churn_rounds", p->churn_rounds);
	U("churn_percent", p->churn_percent);
	U("compact_every", p->compact_every);
	S("plan", p->plan);
	U("cells", (uint64_t)p->cells);
	if (p->nshards > 1) {
		jw_key(w, "shard");
		jw_obj(w);
		U("index", (uint64_t)p->shard);
		U("count", (uint64_t)p->nshards);
		jw_end(w);
	}
	if (!strcmp(p->kind, "sweep")) {
		S("prefer", p->prefer);
		U("max_ns_p99", p->max_ns_p99);
		S("baseline", p->baseline);
	}
#undef S
#undef U
}

void provenance_csv(FILE *f, const struct provenance *p)
{
	char a[64], b[64];

	if (p->source[0])
		csv_comment(f, "source: %s", p->source);
	csv_comment(f, "zpoolbench %s, git %s", p->version, p->git);
	csv_comment(f, "compiler: %s", p->compiler);
	csv_comment(f, "cpu: %s (%d cores)", p->cpu, p->cores);
	csv_comment(f, "kernel: %s", p->kernel);
	csv_comment(f, "codecs: %s", p->codecs);
	csv_comment(f, "host: %s; load average %s at the start, %s at the end", p->host,
		    provenance_load_text(p->load_start, a, sizeof(a)),
		    provenance_load_text(p->load_end, b, sizeof(b)));
	csv_comment(f, "date: %s", p->date);
	csv_comment(f, "command: %s", p->command);
	if (p->timer[0])
		csv_comment(f, "timer: %s", p->timer);
	if (!p->has_run)
		return;
	if (p->compact_every)
		csv_comment(f,
			    "frontend: %s; threads: %d; repeat: %d; seed: %" PRIu64
			    "; churn: %u rounds of %u%%, compacted every %u rounds",
			    p->frontend, p->threads, p->repeat, p->seed, p->churn_rounds,
			    p->churn_percent, p->compact_every);
	else
		csv_comment(f,
			    "frontend: %s; threads: %d; repeat: %d; seed: %" PRIu64
			    "; churn: %u rounds of %u%%",
			    p->frontend, p->threads, p->repeat, p->seed, p->churn_rounds,
			    p->churn_percent);
	if (p->nshards > 1)
		csv_comment(f, "shard: %d of %d (0-based) of plan %s, %d cells", p->shard,
			    p->nshards, p->plan, p->cells);
	if (!strcmp(p->kind, "sweep"))
		csv_comment(f, "sweep: prefer %s; max-ns-p99 %" PRIu64 "; baseline %s", p->prefer,
			    p->max_ns_p99, p->baseline);
}

void provenance_md(FILE *f, const struct provenance *p)
{
	char a[64], b[64];

	if (p->source[0])
		fprintf(f, "From `%s`: ", p->source);
	fprintf(f, "`%s`\n\n", p->command);
	fprintf(f,
		"zpoolbench %s (git %s), %s; %s, %d cores; %s; %s; host %s, load average %s "
		"at the start, %s at the end; %s.\n\n",
		p->version, p->git, p->compiler, p->cpu, p->cores, p->kernel, p->codecs, p->host,
		provenance_load_text(p->load_start, a, sizeof(a)),
		provenance_load_text(p->load_end, b, sizeof(b)), p->date);
	if (!p->has_run)
		return;
	fprintf(f, "Front end `%s`, %d thread(s), %s, seed %" PRIu64 ", churn %u rounds of %u%%",
		p->frontend, p->threads,
		p->repeat > 1 ? "figures are the median (min-max) of the repeats"
			      : "1 run per setting (no spread known)",
		p->seed, p->churn_rounds, p->churn_percent);
	if (p->compact_every)
		fprintf(f, ", compacted every %u rounds", p->compact_every);
	fprintf(f, ".\n\n");
	if (p->objects)
		fprintf(f,
			"Each pool stores %" PRIu64 " objects, cycling through the corpus pages "
			"(object i is page i modulo the corpus size).\n\n",
			p->objects);
	if (p->nshards > 1)
		fprintf(f,
			"This folder holds shard %d of %d (0-based) of plan `%s` (%d cells); "
			"`zpoolbench report` merges the shards.\n\n",
			p->shard, p->nshards, p->plan, p->cells);
}
