/* SPDX-License-Identifier: MIT */
/*
 * xuring-bench: what the backends (ring.c for xuring and io_uring, aio.c,
 * psync.c) share with the driver (xuring-bench.c): a run's configuration,
 * its result, the block stamps that let every read be checked, the
 * latency histogram and the random block picker.
 */
#ifndef XURING_BENCH_H
#define XURING_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_BS	4096U		/* every op moves one 4 KiB block */
#define BENCH_MAX_QD	256U

enum bench_workload { WL_NOP, WL_RANDREAD, WL_RANDWRITE, WL_BUFREAD };

struct bench_cfg {
	enum bench_workload wl;
	unsigned int qd;	/* ops in flight (psync: threads) */
	unsigned int batch;	/* SQEs per submit call, CQEs per wait */
	bool iopoll;		/* polled completions (IOPOLL / RWF_HIPRI) */
	bool sqpoll;		/* SQ thread (ring backends; implies fixed files) */
	bool fixed_files;	/* registered file */
	bool fixed_bufs;	/* registered buffers (READ/WRITE_FIXED) */
	bool skip_cqes;		/* nop: CQE_SKIP_SUCCESS but the batch's last */
	double secs;		/* run this long ... */
	uint64_t ops;		/* ... or this many ops, if not 0 */
	bool lat;		/* measure per-op latency */

	int fd;			/* the file or device (not for nop) */
	uint64_t nblocks;	/* blocks [0, nblocks) of it are used */
	uint32_t *tags;		/* tag expected in each block's stamp */
	uint32_t write_tag;	/* tag this run's writes stamp */
	uint64_t seed;
};

/* Latency histogram: 16 sub-buckets per power of two of nanoseconds. */
#define LAT_SUB_BITS	4
#define LAT_BUCKETS	(64 << LAT_SUB_BITS)
struct bench_lat {
	uint64_t count;
	uint32_t bucket[LAT_BUCKETS];
};

struct bench_result {
	uint64_t ops;		/* completed and verified */
	uint64_t submits;	/* submit calls (io_uring_submit*, io_submit,
				 * one per pread/pwrite) */
	double secs;
	struct bench_lat lat;
	char unsupported[160];	/* set: the backend cannot run this */
	char error[256];	/* set: the run failed; no numbers count */
};

enum { BENCH_OK = 0, BENCH_UNSUPPORTED = 1, BENCH_FAILED = -1 };

/* Backends: each returns BENCH_OK, BENCH_UNSUPPORTED (res->unsupported
 * says why) or BENCH_FAILED (res->error says what went wrong). */
int bench_ring_xuring(const struct bench_cfg *cfg, struct bench_result *res);
int bench_ring_io_uring(const struct bench_cfg *cfg, struct bench_result *res);
int bench_libaio(const struct bench_cfg *cfg, struct bench_result *res);
int bench_psync(const struct bench_cfg *cfg, struct bench_result *res);

/* common.c */
uint64_t bench_now_ns(void);
int bench_unsupported(struct bench_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bench_fail(struct bench_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void *bench_alloc_bufs(unsigned int n);	/* n aligned blocks, or NULL */

static inline uint64_t bench_rand(uint64_t *s)
{
	/* xorshift64* */
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A random block of slot's stripe (blocks b with b % qd == slot): no two
 * ops in flight ever touch the same block, so each write's outcome is
 * known when it completes. */
static inline uint64_t bench_pick_block(const struct bench_cfg *cfg,
					uint64_t *rng, unsigned int slot)
{
	uint64_t per = cfg->nblocks / cfg->qd;

	return (bench_rand(rng) % per) * cfg->qd + slot;
}

void bench_stamp(void *buf, uint64_t block, uint32_t tag);
bool bench_stamp_ok(const void *buf, uint64_t block, uint32_t tag);

/* Check one completed op (res: bytes or -errno) on block with buf. On a
 * write, record the new tag. false: res->error says why. */
bool bench_check_rw(const struct bench_cfg *cfg, struct bench_result *res,
		    bool write, uint64_t block, const void *buf, long ret);

void bench_lat_add(struct bench_lat *lat, uint64_t ns);
void bench_lat_merge(struct bench_lat *to, const struct bench_lat *from);
double bench_lat_pct_us(const struct bench_lat *lat, double pct);

#endif /* XURING_BENCH_H */
