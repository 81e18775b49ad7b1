// SPDX-License-Identifier: MIT
/*
 * xuring-bench: the psync backend: 'qd' threads, each doing one pread or
 * pwrite at a time (preadv2/pwritev2 with RWF_HIPRI for the polled runs).
 * One call per op. No NOP, no SQ thread, no registered files or buffers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"

struct worker {
	pthread_t tid;
	const struct bench_cfg *cfg;
	unsigned int slot;
	uint64_t deadline;
	struct bench_result res;	/* this thread's share */
	char *buf;
	bool failed;
};

static uint64_t ops_left;		/* op-count runs: ops not yet claimed */
static volatile int stop_all;		/* a worker failed: everyone stops */

static bool claim_op(const struct bench_cfg *cfg)
{
	uint64_t left = __atomic_load_n(&ops_left, __ATOMIC_RELAXED);

	if (!cfg->ops)
		return true;
	do {
		if (!left)
			return false;
	} while (!__atomic_compare_exchange_n(&ops_left, &left, left - 1, true,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
	return true;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	const struct bench_cfg *cfg = w->cfg;
	uint64_t rng = (cfg->seed + w->slot * 0x9E3779B97F4A7C15ULL) | 1;
	bool write = cfg->wl == WL_RANDWRITE;

	while (!__atomic_load_n(&stop_all, __ATOMIC_RELAXED)) {
		struct iovec iov = { w->buf, BENCH_BS };
		uint64_t block, t0 = 0;
		off_t off;
		long ret;

		if (!cfg->ops && bench_now_ns() >= w->deadline)
			break;
		if (!claim_op(cfg))
			break;
		block = bench_pick_block(cfg, &rng, w->slot);
		off = (off_t)(block * BENCH_BS);
		if (cfg->lat)
			t0 = bench_now_ns();
		if (write) {
			bench_stamp(w->buf, block, cfg->write_tag);
			ret = cfg->iopoll ?
			      pwritev2(cfg->fd, &iov, 1, off, RWF_HIPRI) :
			      pwrite(cfg->fd, w->buf, BENCH_BS, off);
		} else {
			ret = cfg->iopoll ?
			      preadv2(cfg->fd, &iov, 1, off, RWF_HIPRI) :
			      pread(cfg->fd, w->buf, BENCH_BS, off);
		}
		if (ret < 0)
			ret = -errno;
		w->res.submits++;
		if (!bench_check_rw(cfg, &w->res, write, block, w->buf, ret)) {
			w->failed = true;
			__atomic_store_n(&stop_all, 1, __ATOMIC_RELAXED);
			break;
		}
		if (cfg->lat)
			bench_lat_add(&w->res.lat, bench_now_ns() - t0);
		w->res.ops++;
	}
	return NULL;
}

int bench_psync(const struct bench_cfg *cfg, struct bench_result *res)
{
	struct worker *w;
	uint64_t start;
	unsigned int i, started = 0;
	int ret = BENCH_OK;

	if (cfg->wl == WL_NOP)
		return bench_unsupported(res, "psync has no NOP");
	if (cfg->sqpoll)
		return bench_unsupported(res, "psync has no SQ thread");
	if (cfg->fixed_files || cfg->fixed_bufs)
		return bench_unsupported(res, "psync has no registered files or buffers");

	w = calloc(cfg->qd, sizeof(*w));
	if (!w)
		return bench_fail(res, "out of memory");
	ops_left = cfg->ops;
	stop_all = 0;
	start = bench_now_ns();
	for (i = 0; i < cfg->qd; i++) {
		w[i].cfg = cfg;
		w[i].slot = i;
		w[i].deadline = start + (uint64_t)(cfg->secs * 1e9);
		w[i].buf = bench_alloc_bufs(1);
		if (!w[i].buf || pthread_create(&w[i].tid, NULL, worker_main, &w[i])) {
			ret = bench_fail(res, "starting thread %u failed", i);
			__atomic_store_n(&stop_all, 1, __ATOMIC_RELAXED);
			break;
		}
		started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(w[i].tid, NULL);
		res->ops += w[i].res.ops;
		res->submits += w[i].res.submits;
		bench_lat_merge(&res->lat, &w[i].res.lat);
		if (w[i].failed && ret == BENCH_OK) {
			ret = bench_fail(res, "%s", w[i].res.error);
		}
	}
	res->secs = (double)(bench_now_ns() - start) / 1e9;
	for (i = 0; i < cfg->qd; i++)
		free(w[i].buf);
	free(w);
	if (ret == BENCH_OK && cfg->ops && res->ops != cfg->ops)
		ret = bench_fail(res, "%llu ops completed of %llu",
				 (unsigned long long)res->ops,
				 (unsigned long long)cfg->ops);
	return ret;
}
