// SPDX-License-Identifier: GPL-2.0-only
/*
 * corpus_manifest.c - writing a corpus manifest (NAME.json, see corpus.h).
 * The host facts (kernel, arch, date, THP mode) are taken here so every
 * builder records them the same way.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "corpus/corpus.h"
#include "util.h"

/* The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled. */
static void thp_mode(char *out, size_t outlen)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[256], *a, *b;

	snprintf(out, outlen, "unknown");
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && (a = strchr(line, '[')) && (b = strchr(a, ']'))) {
		*b = 0;
		snprintf(out, outlen, "%s", a + 1);
	}
	fclose(f);
}

int corpus_write_manifest(const char *mpath, uint32_t page_size, uint64_t pages, const char *sha256,
			  bool fill_host, void (*extra)(struct jw *w, void *arg), void *arg)
{
	struct afile af;
	struct jw w;

	if (afile_open(&af, mpath))
		return -1;
	jw_init(&w, af.f, true);
	jw_obj(&w);
	jw_key(&w, "format");
	jw_str(&w, CORPUS_FORMAT);
	jw_key(&w, "format_version");
	jw_u64(&w, CORPUS_FORMAT_VERSION);
	jw_key(&w, "page_size");
	jw_u64(&w, page_size);
	jw_key(&w, "pages");
	jw_u64(&w, pages);
	jw_key(&w, "sha256");
	jw_str(&w, sha256);
	if (fill_host) {
		struct utsname u;
		char date[32], thp[32];
		time_t t = time(NULL);
		struct tm tm;

		uname(&u);
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
		thp_mode(thp, sizeof(thp));
		jw_key(&w, "kernel");
		jw_str(&w, u.release);
		jw_key(&w, "arch");
		jw_str(&w, u.machine);
		jw_key(&w, "date");
		jw_str(&w, date);
		jw_key(&w, "thp");
		jw_str(&w, thp);
	}
	if (extra)
		extra(&w, arg);
	jw_end(&w);
	jw_finish(&w);
	return afile_commit(&af);
}

void corpus_manifest_packages(struct jw *w, const char *const *pkgs, int n)
{
	jw_key(w, "packages");
	jw_obj(w);
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(pkgs[i], '=');
		char name[128];

		snprintf(name, sizeof(name), "%.*s", (int)(eq - pkgs[i]), pkgs[i]);
		jw_key(w, name);
		jw_str(w, eq + 1);
	}
	jw_end(w);
}

void corpus_manifest_copy(struct jw *w, const json_t *m, const char *const *skip)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)m, key, v)
	{
		bool drop = false;

		for (int i = 0; skip[i] && !drop; i++)
			drop = !strcmp(skip[i], key);
		if (drop)
			continue;
		jw_key(w, key);
		jw_value(w, v);
	}
}

const char *corpus_manifest_string(const struct corpus *c, const char *key)
{
	return c->manifest ? json_string_value(json_object_get(c->manifest, key)) : NULL;
}
