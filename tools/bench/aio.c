// SPDX-License-Identifier: MIT
/*
 * xuring-bench: the libaio backend (io_submit / io_getevents), with the
 * same depth and batching as the ring backend. libaio has no NOP, no
 * polled completions, no SQ thread and no registered files or buffers:
 * those runs are reported unsupported.
 */
#include <errno.h>
#include <libaio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct aio_slot {
	struct iocb iocb;
	uint64_t block;
	uint64_t start_ns;
	bool busy;
};

int bench_libaio(const struct bench_cfg *cfg, struct bench_result *res)
{
	struct aio_slot *slots = NULL;
	struct iocb *batch[BENCH_MAX_QD];
	struct io_event events[BENCH_MAX_QD];
	unsigned int free_list[BENCH_MAX_QD], nfree, inflight = 0, i;
	uint64_t start, deadline, issued = 0, rng = cfg->seed | 1;
	io_context_t ctx = 0;
	bool stop = false;
	char *bufs = NULL;
	int ret = BENCH_OK;

	if (cfg->wl == WL_NOP)
		return bench_unsupported(res, "libaio has no NOP");
	if (cfg->iopoll)
		return bench_unsupported(res, "libaio has no polled completions");
	if (cfg->sqpoll)
		return bench_unsupported(res, "libaio has no SQ thread");
	if (cfg->fixed_files || cfg->fixed_bufs)
		return bench_unsupported(res, "libaio has no registered files or buffers");
	if (cfg->qd > BENCH_MAX_QD)
		return bench_fail(res, "queue depth over %u", BENCH_MAX_QD);

	ret = io_setup((int)cfg->qd, &ctx);
	if (ret < 0)
		return bench_fail(res, "io_setup: %s", strerror(-ret));
	slots = calloc(cfg->qd, sizeof(*slots));
	bufs = bench_alloc_bufs(cfg->qd);
	if (!slots || !bufs) {
		ret = bench_fail(res, "out of memory");
		goto out;
	}
	for (i = 0; i < cfg->qd; i++)
		free_list[i] = cfg->qd - 1 - i;
	nfree = cfg->qd;

	start = bench_now_ns();
	deadline = start + (uint64_t)(cfg->secs * 1e9);
	while (inflight || !stop) {
		unsigned int n = 0, wait_nr = 0;
		int got, sub;

		while (!stop && nfree && n < cfg->batch) {
			unsigned int s = free_list[--nfree];
			struct aio_slot *sl = &slots[s];
			char *buf = bufs + (size_t)s * BENCH_BS;

			sl->block = bench_pick_block(cfg, &rng, s);
			if (cfg->wl == WL_RANDWRITE) {
				bench_stamp(buf, sl->block, cfg->write_tag);
				io_prep_pwrite(&sl->iocb, cfg->fd, buf, BENCH_BS,
					       (long long)(sl->block * BENCH_BS));
			} else {
				io_prep_pread(&sl->iocb, cfg->fd, buf, BENCH_BS,
					      (long long)(sl->block * BENCH_BS));
			}
			sl->iocb.data = sl;
			sl->busy = true;
			if (cfg->lat)
				sl->start_ns = bench_now_ns();
			batch[n++] = &sl->iocb;
			if (cfg->ops && ++issued >= cfg->ops)
				stop = true;
		}
		if (n) {
			sub = io_submit(ctx, (long)n, batch);
			res->submits++;
			if (sub < 0) {
				ret = bench_fail(res, "io_submit: %s", strerror(-sub));
				goto drain;
			}
			/* A short submit: the rest were never queued. */
			for (i = (unsigned int)sub; i < n; i++) {
				struct aio_slot *sl = batch[i]->data;

				sl->busy = false;
				free_list[nfree++] = (unsigned int)(sl - slots);
				if (cfg->ops)
					issued--, stop = false;
			}
			inflight += (unsigned int)sub;
		}
		if (inflight && (!nfree || stop || !n))
			wait_nr = inflight < cfg->batch ? inflight : cfg->batch;
		got = io_getevents(ctx, wait_nr, (long)cfg->qd, events, NULL);
		if (got < 0 && got != -EINTR) {
			ret = bench_fail(res, "io_getevents: %s", strerror(-got));
			goto drain;
		}
		for (i = 0; got > 0 && i < (unsigned int)got; i++) {
			struct aio_slot *sl = events[i].data;
			long r = (long)events[i].res;

			if (!sl || !sl->busy) {
				ret = bench_fail(res, "event for an idle iocb");
				goto drain;
			}
			sl->busy = false;
			inflight--;
			free_list[nfree++] = (unsigned int)(sl - slots);
			if (!bench_check_rw(cfg, res, cfg->wl == WL_RANDWRITE,
					    sl->block,
					    bufs + (size_t)(sl - slots) * BENCH_BS,
					    r)) {
				ret = BENCH_FAILED;
				goto drain;
			}
			if (cfg->lat)
				bench_lat_add(&res->lat, bench_now_ns() - sl->start_ns);
			res->ops++;
		}
		if (!stop && !cfg->ops && bench_now_ns() >= deadline)
			stop = true;
	}
	res->secs = (double)(bench_now_ns() - start) / 1e9;
	goto out;
drain:
	/* Let what is in flight land before its buffers go. */
	while (inflight) {
		int got = io_getevents(ctx, 1, (long)cfg->qd, events, NULL);

		if (got < 0 && got != -EINTR)
			break;
		if (got > 0)
			inflight -= (unsigned int)got;
	}
out:
	io_destroy(ctx);
	free(bufs);
	free(slots);
	return ret;
}
