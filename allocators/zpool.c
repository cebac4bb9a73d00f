// SPDX-License-Identifier: GPL-2.0-only
/*
 * zpool.c - driver registry and the allocator-spec parser.
 *
 * Spec grammar:  NAME [ ':' KEY '=' VALUE { ',' KEY '=' VALUE } ]
 * Keys are validated against the driver's zpool_param table; every key the
 * driver declares gets a value (explicit or default) in struct zpool_config.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "zpool.h"

#define MAX_DRIVERS 32

static const struct zpool_driver *drivers[MAX_DRIVERS];
static int ndrivers;

void zpool_register_driver(const struct zpool_driver *drv)
{
	int i, j;

	if (ndrivers == MAX_DRIVERS)
		abort();
	/* keep the table sorted by ->order so listings are stable */
	for (i = 0; i < ndrivers && drivers[i]->order <= drv->order; i++)
		;
	for (j = ndrivers; j > i; j--)
		drivers[j] = drivers[j - 1];
	drivers[i] = drv;
	ndrivers++;
}

const struct zpool_driver *zpool_find_driver(const char *name)
{
	for (int i = 0; i < ndrivers; i++)
		if (!strcmp(drivers[i]->name, name))
			return drivers[i];
	return NULL;
}

int zpool_drivers(const struct zpool_driver **out, int max)
{
	int n = ndrivers < max ? ndrivers : max;

	memcpy(out, drivers, n * sizeof(*out));
	return n;
}

void zpool_driver_names(char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < ndrivers && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "", drivers[i]->name);
}

static void errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	/* the spec is user text: a control character in it must not break the line */
	for (char *c = err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
}

static const struct zpool_param *find_param(const struct zpool_driver *drv, const char *key,
					    size_t keylen)
{
	if (!drv->params)
		return NULL;
	for (const struct zpool_param *p = drv->params; p->key; p++)
		if (strlen(p->key) == keylen && !strncmp(p->key, key, keylen))
			return p;
	return NULL;
}

static void param_keys(const struct zpool_driver *drv, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	if (!drv->params || !drv->params->key) {
		snprintf(buf, len, "none");
		return;
	}
	for (const struct zpool_param *p = drv->params; p->key && off < len; p++)
		off += snprintf(buf + off, len - off, "%s%s", p == drv->params ? "" : ", ", p->key);
}

static void param_valid(const struct zpool_param *p, char *buf, size_t len)
{
	if (p->values)
		snprintf(buf, len, "%s", p->values);
	else
		snprintf(buf, len, "%ld..%ld", p->min, p->max);
}

/* Resolve @text for @p into @v; -EINVAL if it is not an accepted value. */
static int param_value(const struct zpool_param *p, const char *text, size_t textlen,
		       struct zpool_config_value *v)
{
	if (textlen == 0 || textlen >= sizeof(v->text))
		return -EINVAL;
	memcpy(v->text, text, textlen);
	v->text[textlen] = '\0';
	v->param = p;

	if (p->values) {
		const char *w = p->values;
		long idx = 0;

		for (;;) {
			const char *end = strchr(w, '|');
			size_t wl = end ? (size_t)(end - w) : strlen(w);

			if (wl == textlen && !strncmp(w, text, wl)) {
				v->ival = idx;
				return 0;
			}
			if (!end)
				return -EINVAL;
			w = end + 1;
			idx++;
		}
	} else {
		char *end;
		long val;

		errno = 0;
		val = strtol(v->text, &end, 10);
		if (errno || *end || end == v->text || val < p->min || val > p->max)
			return -EINVAL;
		v->ival = val;
		/* one spelling per value: "chain=08" is "chain=8" */
		snprintf(v->text, sizeof(v->text), "%ld", val);
		return 0;
	}
}

int zpool_parse_spec(const char *spec, struct zpool_config *cfg, char *err, size_t errlen)
{
	const char *colon, *s;
	const struct zpool_driver *drv;
	char name[64], buf[512];
	size_t namelen;
	int n = 0;

	memset(cfg, 0, sizeof(*cfg));
	if (!spec || !*spec) {
		zpool_driver_names(buf, sizeof(buf));
		errf(err, errlen, "empty allocator spec (valid allocators: %s)", buf);
		return -EINVAL;
	}
	colon = strchr(spec, ':');
	namelen = colon ? (size_t)(colon - spec) : strlen(spec);
	if (namelen >= sizeof(name))
		namelen = sizeof(name) - 1;
	memcpy(name, spec, namelen);
	name[namelen] = '\0';

	drv = zpool_find_driver(name);
	if (!drv) {
		zpool_driver_names(buf, sizeof(buf));
		errf(err, errlen, "unknown allocator '%s' (valid: %s)", name, buf);
		return -EINVAL;
	}
	cfg->drv = drv;

	/* defaults first, so every declared key has a value */
	for (const struct zpool_param *p = drv->params; p && p->key; p++) {
		if (n == ZPOOL_MAX_PARAMS)
			abort();
		if (param_value(p, p->def, strlen(p->def), &cfg->v[n])) {
			errf(err, errlen, "%s: bad default for %s", drv->name, p->key);
			return -EINVAL;
		}
		n++;
	}
	cfg->nparams = n;

	snprintf(cfg->spec, sizeof(cfg->spec), "%s", drv->name);
	if (!colon)
		return 0;

	s = colon + 1;
	if (!*s) {
		param_keys(drv, buf, sizeof(buf));
		errf(err, errlen, "%s: empty parameter list after ':' (valid keys: %s)", drv->name,
		     buf);
		return -EINVAL;
	}
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t toklen = comma ? (size_t)(comma - s) : strlen(s);
		const char *eq = memchr(s, '=', toklen);
		size_t keylen = eq ? (size_t)(eq - s) : toklen;
		const struct zpool_param *p = find_param(drv, s, keylen);
		struct zpool_config_value *v;
		char valid[256];

		if (!p) {
			param_keys(drv, buf, sizeof(buf));
			errf(err, errlen, "%s: unknown key '%.*s' (valid keys: %s)", drv->name,
			     (int)keylen, s, buf);
			return -EINVAL;
		}
		v = &cfg->v[p - drv->params];
		param_valid(p, valid, sizeof(valid));
		if (!eq) {
			errf(err, errlen, "%s: key '%s' needs a value: %s=VALUE (valid: %s)",
			     drv->name, p->key, p->key, valid);
			return -EINVAL;
		}
		if (v->set) {
			errf(err, errlen, "%s: key '%s' given twice", drv->name, p->key);
			return -EINVAL;
		}
		if (param_value(p, eq + 1, toklen - keylen - 1, v)) {
			errf(err, errlen, "%s: bad value '%.*s' for %s (valid: %s)", drv->name,
			     (int)(toklen - keylen - 1), eq + 1, p->key, valid);
			return -EINVAL;
		}
		v->set = true;
		if (!comma)
			break;
		s = comma + 1;
		if (!*s) {
			errf(err, errlen, "%s: trailing ',' in spec", drv->name);
			return -EINVAL;
		}
	}

	/* normalised spec: explicit keys in the driver's declaration order */
	{
		size_t off = strlen(cfg->spec);
		char sep = ':';

		for (int i = 0; i < cfg->nparams; i++) {
			if (!cfg->v[i].set)
				continue;
			off += snprintf(cfg->spec + off, sizeof(cfg->spec) - off, "%c%s=%s", sep,
					cfg->v[i].param->key, cfg->v[i].text);
			sep = ',';
			if (off >= sizeof(cfg->spec))
				break;
		}
	}
	return 0;
}

static const struct zpool_config_value *cfg_find(const struct zpool_config *cfg, const char *key)
{
	for (int i = 0; i < cfg->nparams; i++)
		if (!strcmp(cfg->v[i].param->key, key))
			return &cfg->v[i];
	/* asking for a key the driver does not declare is a programming error */
	fprintf(stderr, "zpoolbench: internal error: %s has no parameter '%s'\n",
		cfg->drv ? cfg->drv->name : "?", key);
	abort();
}

long zpool_cfg_int(const struct zpool_config *cfg, const char *key)
{
	return cfg_find(cfg, key)->ival;
}

const char *zpool_cfg_str(const struct zpool_config *cfg, const char *key)
{
	return cfg_find(cfg, key)->text;
}

bool zpool_cfg_isset(const struct zpool_config *cfg, const char *key)
{
	return cfg_find(cfg, key)->set;
}

static const struct zpool_config_value *page_value(const struct zpool_config *cfg)
{
	for (int i = 0; i < cfg->nparams; i++)
		if (!strcmp(cfg->v[i].param->key, "page"))
			return &cfg->v[i];
	return NULL;
}

size_t zpool_cfg_page_size(const struct zpool_config *cfg)
{
	const struct zpool_config_value *v = page_value(cfg);

	return v ? strtoul(v->text, NULL, 10) : ZPOOL_PAGE_SIZE;
}

bool zpool_cfg_page_set(const struct zpool_config *cfg)
{
	const struct zpool_config_value *v = page_value(cfg);

	return v && v->set;
}

int zpool_split_specs(const char *list, char (*out)[ZPOOL_SPEC_MAX], int max, char *err,
		      size_t errlen)
{
	int n = 0;
	const char *s = list;

	if (!list || !*list) {
		errf(err, errlen, "empty allocator list");
		return -EINVAL;
	}
	while (*s) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		const char *eq = memchr(s, '=', len);
		const char *colon = memchr(s, ':', len);

		if (len == 0) {
			errf(err, errlen, "empty allocator spec in list '%s'", list);
			return -EINVAL;
		}
		if (eq && !colon) {
			/* continues the previous spec */
			size_t cur;

			if (n == 0) {
				errf(err, errlen,
				     "'%.*s' is a parameter with no allocator before it", (int)len,
				     s);
				return -EINVAL;
			}
			cur = strlen(out[n - 1]);
			if (cur + 1 + len >= ZPOOL_SPEC_MAX)
				goto toolong;
			out[n - 1][cur] = strchr(out[n - 1], ':') ? ',' : ':';
			memcpy(out[n - 1] + cur + 1, s, len);
			out[n - 1][cur + 1 + len] = '\0';
		} else {
			if (n == max) {
				errf(err, errlen, "too many allocator specs (at most %d)", max);
				return -EINVAL;
			}
			if (len >= ZPOOL_SPEC_MAX)
				goto toolong;
			memcpy(out[n], s, len);
			out[n][len] = '\0';
			n++;
		}
		if (!comma)
			break;
		s = comma + 1;
		if (!*s) {
			errf(err, errlen, "trailing ',' in allocator list '%s'", list);
			return -EINVAL;
		}
	}
	return n;
toolong:
	errf(err, errlen, "allocator spec too long (at most %d characters)", ZPOOL_SPEC_MAX - 1);
	return -EINVAL;
}

struct zpool *zpool_create(const char *spec, const struct zpool_evict_ops *ops, char *err,
			   size_t errlen)
{
	struct zpool *zp = calloc(1, sizeof(*zp));

	if (!zp) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	if (zpool_parse_spec(spec, &zp->cfg, err, errlen))
		goto fail;
	zp->drv = zp->cfg.drv;
	zp->page_size = zpool_cfg_page_size(&zp->cfg);
	zp->pool = zp->drv->create(&zp->cfg, ops, err, errlen);
	if (!zp->pool)
		goto fail;
	return zp;
fail:
	free(zp);
	return NULL;
}

void zpool_destroy(struct zpool *zp)
{
	if (!zp)
		return;
	zp->drv->destroy(zp->pool);
	free(zp);
}

void zpool_get_stats(struct zpool *zp, struct zpool_stats *st)
{
	memset(st, 0, sizeof(*st));
	zp->drv->stats(zp->pool, st);
}
