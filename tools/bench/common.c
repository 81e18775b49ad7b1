// SPDX-License-Identifier: MIT
/*
 * xuring-bench: helpers every backend uses: clocks, error reporting, block
 * stamps and their checks, the latency histogram.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"

#define STAMP_MAGIC	0x78757262U	/* "xurb" */

uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int bench_unsupported(struct bench_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->unsupported, sizeof(res->unsupported), fmt, ap);
	va_end(ap);
	return BENCH_UNSUPPORTED;
}

int bench_fail(struct bench_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->error[0])	/* keep the first */
		return BENCH_FAILED;
	va_start(ap, fmt);
	vsnprintf(res->error, sizeof(res->error), fmt, ap);
	va_end(ap);
	return BENCH_FAILED;
}

void *bench_alloc_bufs(unsigned int n)
{
	void *p;

	if (posix_memalign(&p, BENCH_BS, (size_t)n * BENCH_BS))
		return NULL;
	memset(p, 0, (size_t)n * BENCH_BS);
	return p;
}

/*
 * A block's stamp: magic, tag and block number at both ends, so a read that
 * returned the wrong block, a stale write or a torn one shows.
 */
struct stamp {
	uint32_t magic;
	uint32_t tag;
	uint64_t block;
};

void bench_stamp(void *buf, uint64_t block, uint32_t tag)
{
	struct stamp s = { STAMP_MAGIC, tag, block };

	memcpy(buf, &s, sizeof(s));
	memcpy((char *)buf + BENCH_BS - sizeof(s), &s, sizeof(s));
}

bool bench_stamp_ok(const void *buf, uint64_t block, uint32_t tag)
{
	struct stamp s = { STAMP_MAGIC, tag, block };

	return !memcmp(buf, &s, sizeof(s)) &&
	       !memcmp((const char *)buf + BENCH_BS - sizeof(s), &s, sizeof(s));
}

bool bench_check_rw(const struct bench_cfg *cfg, struct bench_result *res,
		    bool write, uint64_t block, const void *buf, long ret)
{
	if (ret < 0) {
		bench_fail(res, "%s of block %llu: %s", write ? "write" : "read",
			   (unsigned long long)block, strerror((int)-ret));
		return false;
	}
	if (ret != (long)BENCH_BS) {
		bench_fail(res, "%s of block %llu: %ld bytes, want %u",
			   write ? "write" : "read", (unsigned long long)block,
			   ret, BENCH_BS);
		return false;
	}
	if (write) {
		cfg->tags[block] = cfg->write_tag;
		return true;
	}
	if (!bench_stamp_ok(buf, block, cfg->tags[block])) {
		const struct stamp *s = buf;

		bench_fail(res, "read of block %llu returned the wrong data "
			   "(magic %#x tag %u block %llu, want tag %u)",
			   (unsigned long long)block, s->magic, s->tag,
			   (unsigned long long)s->block, cfg->tags[block]);
		return false;
	}
	return true;
}

static unsigned int lat_index(uint64_t ns)
{
	unsigned int msb, sub;

	if (ns < (1U << LAT_SUB_BITS))
		return (unsigned int)ns;
	msb = 63 - (unsigned int)__builtin_clzll(ns);
	sub = (unsigned int)(ns >> (msb - LAT_SUB_BITS)) & ((1U << LAT_SUB_BITS) - 1);
	return ((msb - LAT_SUB_BITS + 1) << LAT_SUB_BITS) + sub;
}

/* The middle of bucket i, in ns. */
static double lat_value(unsigned int i)
{
	unsigned int grp = i >> LAT_SUB_BITS, sub = i & ((1U << LAT_SUB_BITS) - 1);
	unsigned int msb;
	double lo, width;

	if (!grp)
		return sub;
	msb = grp + LAT_SUB_BITS - 1;
	width = (double)(1ULL << (msb - LAT_SUB_BITS));
	lo = (double)(1ULL << msb) + sub * width;
	return lo + width / 2;
}

void bench_lat_add(struct bench_lat *lat, uint64_t ns)
{
	unsigned int i = lat_index(ns);

	if (i >= LAT_BUCKETS)
		i = LAT_BUCKETS - 1;
	lat->bucket[i]++;
	lat->count++;
}

void bench_lat_merge(struct bench_lat *to, const struct bench_lat *from)
{
	unsigned int i;

	for (i = 0; i < LAT_BUCKETS; i++)
		to->bucket[i] += from->bucket[i];
	to->count += from->count;
}

double bench_lat_pct_us(const struct bench_lat *lat, double pct)
{
	uint64_t want, seen = 0;
	unsigned int i;

	if (!lat->count)
		return -1;
	want = (uint64_t)(lat->count * pct / 100.0);
	if (want >= lat->count)
		want = lat->count - 1;
	for (i = 0; i < LAT_BUCKETS; i++) {
		seen += lat->bucket[i];
		if (seen > want)
			return lat_value(i) / 1000.0;
	}
	return -1;
}
