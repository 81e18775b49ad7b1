// SPDX-License-Identifier: MIT
/*
 * xuring-bench: the ring backend, written once to liburing's API and
 * compiled twice: against <liburing.h> (BENCH_RING_FN bench_ring_io_uring,
 * native io_uring) and against xuring's liburing-compatible header
 * (bench_ring_xuring, /dev/xuring). Both objects link into one program:
 * the compat header defines no io_uring_* symbol.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <liburing.h>

#include "bench.h"

#ifndef BENCH_RING_FN
#error "build with -DBENCH_RING_FN=bench_ring_xuring or bench_ring_io_uring"
#endif

struct slot {
	uint64_t block;
	uint64_t start_ns;
	bool busy;
};

struct ring_run {
	const struct bench_cfg *cfg;
	struct bench_result *res;
	struct io_uring ring;
	struct slot slots[BENCH_MAX_QD];
	unsigned int free_list[BENCH_MAX_QD];
	unsigned int nfree;
	char *bufs;
	int fd;			/* fd or fixed-file index */
	unsigned int sqe_flags;
	uint64_t rng;
};

static void prep_op(struct ring_run *r, struct io_uring_sqe *sqe,
		    unsigned int i)
{
	const struct bench_cfg *cfg = r->cfg;
	struct slot *s = &r->slots[i];
	char *buf = r->bufs + (size_t)i * BENCH_BS;
	__u64 off;

	if (cfg->wl == WL_NOP) {
		io_uring_prep_nop(sqe);
	} else {
		s->block = bench_pick_block(cfg, &r->rng, i);
		off = s->block * BENCH_BS;
		if (cfg->wl == WL_RANDWRITE) {
			bench_stamp(buf, s->block, cfg->write_tag);
			if (cfg->fixed_bufs)
				io_uring_prep_write_fixed(sqe, r->fd, buf,
							  BENCH_BS, off, i);
			else
				io_uring_prep_write(sqe, r->fd, buf, BENCH_BS,
						    off);
		} else {
			if (cfg->fixed_bufs)
				io_uring_prep_read_fixed(sqe, r->fd, buf,
							 BENCH_BS, off, i);
			else
				io_uring_prep_read(sqe, r->fd, buf, BENCH_BS,
						   off);
		}
		io_uring_sqe_set_flags(sqe, r->sqe_flags);
	}
	io_uring_sqe_set_data64(sqe, i);
	s->busy = true;
	if (cfg->lat)
		s->start_ns = bench_now_ns();
}

/* Check one CQE and free its slot. false: the run failed. */
static bool complete_op(struct ring_run *r, const struct io_uring_cqe *cqe)
{
	const struct bench_cfg *cfg = r->cfg;
	__u64 i = cqe->user_data;
	struct slot *s;

	if (i >= cfg->qd || !r->slots[i].busy) {
		bench_fail(r->res, "CQE with unknown user_data %llu (res %d)",
			   (unsigned long long)i, cqe->res);
		return false;
	}
	s = &r->slots[i];
	s->busy = false;
	r->free_list[r->nfree++] = (unsigned int)i;
	if (cfg->wl == WL_NOP) {
		if (cqe->res != 0) {
			bench_fail(r->res, "NOP completed with %d", cqe->res);
			return false;
		}
	} else if (!bench_check_rw(cfg, r->res, cfg->wl == WL_RANDWRITE,
				   s->block, r->bufs + i * BENCH_BS,
				   cqe->res)) {
		return false;
	}
	if (cfg->lat)
		bench_lat_add(&r->res->lat, bench_now_ns() - s->start_ns);
	r->res->ops++;
	return true;
}

static int setup(struct ring_run *r)
{
	const struct bench_cfg *cfg = r->cfg;
	struct io_uring_params p;
	unsigned int i;
	int ret;

	memset(&p, 0, sizeof(p));
	if (cfg->iopoll)
		p.flags |= IORING_SETUP_IOPOLL;
	if (cfg->sqpoll) {
		p.flags |= IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 1000;	/* ms */
	}
	ret = io_uring_queue_init_params(cfg->qd, &r->ring, &p);
	if (ret == -EINVAL && p.flags)
		return bench_unsupported(r->res, "setup with %s%s: -EINVAL",
					 cfg->iopoll ? "IOPOLL" : "",
					 cfg->sqpoll ? "SQPOLL" : "");
	if (ret == -EPERM && cfg->sqpoll)
		return bench_unsupported(r->res, "SQPOLL needs privilege: -EPERM");
	if (ret < 0)
		return bench_fail(r->res, "queue_init: %s", strerror(-ret));

	r->fd = cfg->fd;
	if (cfg->wl != WL_NOP && (cfg->fixed_files || cfg->sqpoll)) {
		ret = io_uring_register_files(&r->ring, &cfg->fd, 1);
		if (ret == -EINVAL || ret == -EOPNOTSUPP)
			return bench_unsupported(r->res, "register files: %s",
						 strerror(-ret));
		if (ret < 0)
			return bench_fail(r->res, "register files: %s",
					  strerror(-ret));
		r->fd = 0;
		r->sqe_flags |= IOSQE_FIXED_FILE;
	}

	r->bufs = bench_alloc_bufs(cfg->qd);
	if (!r->bufs)
		return bench_fail(r->res, "out of memory");
	if (cfg->wl != WL_NOP && cfg->fixed_bufs) {
		struct iovec iov[BENCH_MAX_QD];

		for (i = 0; i < cfg->qd; i++) {
			iov[i].iov_base = r->bufs + (size_t)i * BENCH_BS;
			iov[i].iov_len = BENCH_BS;
		}
		ret = io_uring_register_buffers(&r->ring, iov, cfg->qd);
		if (ret == -EINVAL || ret == -EOPNOTSUPP)
			return bench_unsupported(r->res, "register buffers: %s",
						 strerror(-ret));
		if (ret < 0)
			return bench_fail(r->res, "register buffers: %s",
					  strerror(-ret));
	}
	for (i = 0; i < cfg->qd; i++)
		r->free_list[i] = cfg->qd - 1 - i;
	r->nfree = cfg->qd;
	r->rng = cfg->seed | 1;
	return BENCH_OK;
}

/*
 * NOP batches with CQE_SKIP_SUCCESS on all but the last: one CQE per batch
 * (issue 16's row). Every batch is waited for before the next goes in.
 */
static int run_skip(struct ring_run *r)
{
	const struct bench_cfg *cfg = r->cfg;
	struct bench_result *res = r->res;
	uint64_t start = bench_now_ns(), deadline;
	struct io_uring_cqe *cqe;
	unsigned int i;
	int ret;

	deadline = start + (uint64_t)(cfg->secs * 1e9);
	while (cfg->ops ? res->ops < cfg->ops : bench_now_ns() < deadline) {
		for (i = 0; i < cfg->batch; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

			if (!sqe)
				return bench_fail(res, "no SQE for a batch");
			io_uring_prep_nop(sqe);
			if (i + 1 < cfg->batch)
				io_uring_sqe_set_flags(sqe,
						       IOSQE_CQE_SKIP_SUCCESS);
			io_uring_sqe_set_data64(sqe, i);
		}
		ret = io_uring_submit_and_wait(&r->ring, 1);
		if (ret < 0)
			return bench_fail(res, "submit_and_wait: %s",
					  strerror(-ret));
		res->submits++;
		/* the batch's last NOP, and nothing else */
		if (io_uring_cq_ready(&r->ring) != 1 ||
		    io_uring_peek_cqe(&r->ring, &cqe))
			return bench_fail(res, "%u CQEs for a batch, not 1",
					  io_uring_cq_ready(&r->ring));
		if (cqe->user_data != cfg->batch - 1 || cqe->res)
			return bench_fail(res, "CQE %llu res %d for a batch",
					  (unsigned long long)cqe->user_data,
					  cqe->res);
		io_uring_cqe_seen(&r->ring, cqe);
		res->ops += cfg->batch;
	}
	res->secs = (double)(bench_now_ns() - start) / 1e9;
	return BENCH_OK;
}

static int run(struct ring_run *r)
{
	const struct bench_cfg *cfg = r->cfg;
	struct bench_result *res = r->res;
	uint64_t start = bench_now_ns(), deadline, issued = 0;
	unsigned int inflight = 0;
	bool stop = false;

	deadline = start + (uint64_t)(cfg->secs * 1e9);
	while (inflight || !stop) {
		struct io_uring_cqe *cqe;
		unsigned int n = 0, head, seen = 0, wait_nr = 0;
		int ret;

		/* Queue up to one batch, as room in the depth allows. */
		while (!stop && r->nfree && n < cfg->batch) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(&r->ring);

			if (!sqe)
				break;
			prep_op(r, sqe, r->free_list[--r->nfree]);
			n++;
			inflight++;
			if (cfg->ops && ++issued >= cfg->ops)
				stop = true;
		}
		/* Wait for a batch once the depth is full (or at the end). */
		if (inflight && (!r->nfree || stop || !n))
			wait_nr = inflight < cfg->batch ? inflight : cfg->batch;
		if (n || wait_nr) {
			ret = io_uring_submit_and_wait(&r->ring, wait_nr);
			if (ret < 0 && ret != -EINTR) {
				bench_fail(res, "submit_and_wait(%u): %s",
					   wait_nr, strerror(-ret));
				return BENCH_FAILED;
			}
			res->submits++;
		}

		io_uring_for_each_cqe(&r->ring, head, cqe) {
			seen++;
			if (!complete_op(r, cqe)) {
				io_uring_cq_advance(&r->ring, seen);
				return BENCH_FAILED;
			}
		}
		io_uring_cq_advance(&r->ring, seen);
		inflight -= seen;

		if (!stop && !cfg->ops && bench_now_ns() >= deadline)
			stop = true;
	}
	res->secs = (double)(bench_now_ns() - start) / 1e9;
	if (cfg->ops && res->ops != cfg->ops)
		return bench_fail(res, "%llu ops completed of %llu",
				  (unsigned long long)res->ops,
				  (unsigned long long)cfg->ops);
	return BENCH_OK;
}

int BENCH_RING_FN(const struct bench_cfg *cfg, struct bench_result *res)
{
	struct ring_run *r = calloc(1, sizeof(*r));
	int ret;

	if (!r)
		return bench_fail(res, "out of memory");
	r->cfg = cfg;
	r->res = res;
	if (cfg->qd > BENCH_MAX_QD)
		ret = bench_fail(res, "queue depth over %u", BENCH_MAX_QD);
	else
		ret = setup(r);
	if (ret == BENCH_OK && cfg->skip_cqes &&
	    !(r->ring.features & IORING_FEAT_CQE_SKIP))
		ret = bench_unsupported(res, "no IORING_FEAT_CQE_SKIP");
	else if (ret == BENCH_OK)
		ret = cfg->skip_cqes ? run_skip(r) : run(r);
	/* A failed run may leave ops in flight: queue_exit cancels them
	 * before the buffers go. */
	if (r->ring.ring_fd > 0)
		io_uring_queue_exit(&r->ring);
	free(r->bufs);
	free(r);
	return ret;
}
