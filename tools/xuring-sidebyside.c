// SPDX-License-Identifier: MIT
/*
 * xuring-sidebyside: the same SQEs on native io_uring (liburing) and on
 * xuring, CQE by CQE, then a NOP timing run on each. Exits non-zero if any
 * CQE differs between the two.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>
#include <xuring/xuring.h>

/* Both ABIs are io_uring 5.10's: an SQE prepared once fits either ring. */
_Static_assert(sizeof(struct io_uring_sqe) == sizeof(struct xuring_sqe),
	       "SQE layouts differ");
_Static_assert(offsetof(struct io_uring_sqe, user_data) ==
	       offsetof(struct xuring_sqe, user_data), "SQE layouts differ");

#define RING_ENTRIES	64
#define FILE_BYTES	8192
#define MAX_CQES	16
#define BAD_OPCODE	255

static const char *prog = "xuring-sidebyside";

enum backend_kind { NATIVE, XURING, NR_BACKENDS };

struct backend {
	const char *name;
	bool up;
	struct io_uring nring;
	struct xuring xring;

	/* The scratch file and buffers the steps use. */
	int fd;
	char rbuf[FILE_BYTES];
	char vbuf[3][FILE_BYTES];
	struct iovec iov[3];
};

struct result {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	bool data_bad;		/* the CQE was right, the bytes were not */
};

/* The pattern written to and read back from the scratch file. */
static char pattern[2 * FILE_BYTES];

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* --- one SQE through either backend ------------------------------------ */

static int be_init(struct backend *be, enum backend_kind kind,
		   unsigned int entries)
{
	if (kind == NATIVE)
		return io_uring_queue_init(entries, &be->nring, 0);
	return xuring_queue_init(entries, &be->xring, 0);
}

static void be_exit(struct backend *be, enum backend_kind kind)
{
	if (kind == NATIVE)
		io_uring_queue_exit(&be->nring);
	else
		xuring_queue_exit(&be->xring);
}

static int be_queue(struct backend *be, enum backend_kind kind,
		    const struct xuring_sqe *sqe)
{
	void *slot;

	if (kind == NATIVE)
		slot = io_uring_get_sqe(&be->nring);
	else
		slot = xuring_get_sqe(&be->xring);
	if (!slot)
		return -EBUSY;
	memcpy(slot, sqe, sizeof(*sqe));
	return 0;
}

static int be_submit_and_wait(struct backend *be, enum backend_kind kind,
			      unsigned int nr)
{
	if (kind == NATIVE)
		return io_uring_submit_and_wait(&be->nring, nr);
	return xuring_submit_and_wait(&be->xring, nr);
}

static int be_wait(struct backend *be, enum backend_kind kind,
		   struct result *r)
{
	int ret;

	memset(r, 0, sizeof(*r));
	if (kind == NATIVE) {
		struct io_uring_cqe *cqe;

		ret = io_uring_wait_cqe(&be->nring, &cqe);
		if (ret < 0)
			return ret;
		r->user_data = cqe->user_data;
		r->res = cqe->res;
		r->flags = cqe->flags;
		io_uring_cqe_seen(&be->nring, cqe);
	} else {
		struct xuring_cqe *cqe;

		ret = xuring_wait_cqe(&be->xring, &cqe);
		if (ret < 0)
			return ret;
		r->user_data = cqe->user_data;
		r->res = cqe->res;
		r->flags = cqe->flags;
		xuring_cqe_seen(&be->xring, cqe);
	}
	return 0;
}

/* --- the sequence ------------------------------------------------------- */

struct step {
	const char *name;
	unsigned int nr;	/* SQEs (and CQEs) in this step */
	int expect;		/* io_uring 5.10's res for each CQE */
	/* Fill sqes[0..nr-1]; user_data is set by the caller. */
	void (*prep)(struct backend *be, struct xuring_sqe *sqes);
	/* Check the bytes a read brought in; NULL if nothing to check. */
	bool (*check)(struct backend *be);
};

static void prep_nops(struct backend *be, struct xuring_sqe *sqes)
{
	(void)be;
	for (int i = 0; i < 8; i++)
		xuring_prep_nop(&sqes[i]);
}

static void prep_nop_bad_flags(struct backend *be, struct xuring_sqe *sqes)
{
	(void)be;
	xuring_prep_nop(sqes);
	sqes->flags = 1U << 7;
}

static void prep_write(struct backend *be, struct xuring_sqe *sqes)
{
	xuring_prep_write(sqes, be->fd, pattern, FILE_BYTES, 0);
}

static void prep_read(struct backend *be, struct xuring_sqe *sqes)
{
	memset(be->rbuf, 0, sizeof(be->rbuf));
	xuring_prep_read(sqes, be->fd, be->rbuf, FILE_BYTES, 0);
}

static bool check_read(struct backend *be)
{
	return !memcmp(be->rbuf, pattern, FILE_BYTES);
}

/* Three iovecs of odd sizes covering the first FILE_BYTES. */
static void setup_iov(struct backend *be)
{
	static const size_t lens[3] = { 100, 4000, FILE_BYTES - 4100 };

	for (int i = 0; i < 3; i++) {
		memset(be->vbuf[i], 0, sizeof(be->vbuf[i]));
		be->iov[i].iov_base = be->vbuf[i];
		be->iov[i].iov_len = lens[i];
	}
}

static void prep_readv(struct backend *be, struct xuring_sqe *sqes)
{
	setup_iov(be);
	xuring_prep_readv(sqes, be->fd, be->iov, 3, 0);
}

static bool check_readv(struct backend *be)
{
	size_t off = 0;

	for (int i = 0; i < 3; i++) {
		if (memcmp(be->vbuf[i], pattern + off, be->iov[i].iov_len))
			return false;
		off += be->iov[i].iov_len;
	}
	return true;
}

static void prep_writev(struct backend *be, struct xuring_sqe *sqes)
{
	/* The second half of the pattern, appended. */
	setup_iov(be);
	for (int i = 0, off = 0; i < 3; i++) {
		memcpy(be->vbuf[i], pattern + FILE_BYTES + off,
		       be->iov[i].iov_len);
		off += (int)be->iov[i].iov_len;
	}
	xuring_prep_writev(sqes, be->fd, be->iov, 3, FILE_BYTES);
}

static void prep_read_tail(struct backend *be, struct xuring_sqe *sqes)
{
	memset(be->rbuf, 0, sizeof(be->rbuf));
	xuring_prep_read(sqes, be->fd, be->rbuf, FILE_BYTES, FILE_BYTES);
}

static bool check_read_tail(struct backend *be)
{
	return !memcmp(be->rbuf, pattern + FILE_BYTES, FILE_BYTES);
}

/* Offset -1: at (and advancing) the file position (FEAT_RW_CUR_POS). */
static void prep_read_curpos(struct backend *be, struct xuring_sqe *sqes)
{
	memset(be->rbuf, 0, sizeof(be->rbuf));
	xuring_prep_read(sqes, be->fd, be->rbuf, 1000, (uint64_t)-1);
}

static bool check_read_curpos1(struct backend *be)
{
	return !memcmp(be->rbuf, pattern, 1000);
}

static bool check_read_curpos2(struct backend *be)
{
	return !memcmp(be->rbuf, pattern + 1000, 1000);
}

static void prep_read_eof(struct backend *be, struct xuring_sqe *sqes)
{
	xuring_prep_read(sqes, be->fd, be->rbuf, FILE_BYTES, 4 * FILE_BYTES);
}

static void prep_fsync(struct backend *be, struct xuring_sqe *sqes)
{
	xuring_prep_fsync(sqes, be->fd, 0);
}

static void prep_fdatasync(struct backend *be, struct xuring_sqe *sqes)
{
	xuring_prep_fsync(sqes, be->fd, XURING_FSYNC_DATASYNC);
}

static void prep_bad_opcode(struct backend *be, struct xuring_sqe *sqes)
{
	(void)be;
	xuring_prep_nop(sqes);
	sqes->opcode = BAD_OPCODE;
}

static void prep_read_bad_fd(struct backend *be, struct xuring_sqe *sqes)
{
	xuring_prep_read(sqes, -1, be->rbuf, 16, 0);
}

static void prep_read_bad_buf(struct backend *be, struct xuring_sqe *sqes)
{
	/* An address that is never mapped (the zero page). */
	xuring_prep_read(sqes, be->fd, (void *)(uintptr_t)64, 16, 0);
}

static const struct step steps[] = {
	{ "NOP (batch of 8)",	8, 0,		prep_nops, NULL },
	{ "WRITE 8 KiB",	1, FILE_BYTES,	prep_write, NULL },
	{ "READ 8 KiB",		1, FILE_BYTES,	prep_read, check_read },
	{ "READV 3 iovecs",	1, FILE_BYTES,	prep_readv, check_readv },
	{ "WRITEV 3 iovecs",	1, FILE_BYTES,	prep_writev, NULL },
	{ "READ after WRITEV",	1, FILE_BYTES,	prep_read_tail,
	  check_read_tail },
	{ "READ off -1 (1st)",	1, 1000,	prep_read_curpos,
	  check_read_curpos1 },
	{ "READ off -1 (2nd)",	1, 1000,	prep_read_curpos,
	  check_read_curpos2 },
	{ "READ past EOF",	1, 0,		prep_read_eof, NULL },
	{ "FSYNC",		1, 0,		prep_fsync, NULL },
	{ "FSYNC DATASYNC",	1, 0,		prep_fdatasync, NULL },
	{ "opcode 255",		1, -EINVAL,	prep_bad_opcode, NULL },
	{ "NOP bad sqe flags",	1, -EINVAL,	prep_nop_bad_flags, NULL },
	{ "READ bad fd",	1, -EBADF,	prep_read_bad_fd, NULL },
	{ "READ bad buffer",	1, -EFAULT,	prep_read_bad_buf, NULL },
};
#define NR_STEPS (sizeof(steps) / sizeof(steps[0]))

static int open_scratch(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/xuring-sbs.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/*
 * Run one step on one backend: queue its SQEs (user_data identifies step
 * and index), submit, and collect its CQEs ordered by user_data.
 */
static int run_step(struct backend *be, enum backend_kind kind,
		    unsigned int s, struct result *out)
{
	const struct step *st = &steps[s];
	struct xuring_sqe sqes[MAX_CQES];
	unsigned int i;
	int ret;

	memset(sqes, 0, sizeof(sqes));
	st->prep(be, sqes);
	for (i = 0; i < st->nr; i++) {
		sqes[i].user_data = ((uint64_t)(s + 1) << 32) | (0xa0 + i);
		ret = be_queue(be, kind, &sqes[i]);
		if (ret < 0)
			return ret;
	}
	ret = be_submit_and_wait(be, kind, st->nr);
	if (ret < 0)
		return ret;
	if ((unsigned int)ret != st->nr)
		return -EIO;

	for (i = 0; i < st->nr; i++) {
		struct result r;
		uint64_t idx;

		ret = be_wait(be, kind, &r);
		if (ret < 0)
			return ret;
		idx = (r.user_data & 0xffffffffULL) - 0xa0;
		if (r.user_data >> 32 != s + 1 || idx >= st->nr) {
			fprintf(stderr, "%s: %s: unexpected user_data 0x%llx\n",
				prog, be->name,
				(unsigned long long)r.user_data);
			return -EPROTO;
		}
		out[idx] = r;
	}
	if (st->check && out[0].res == st->expect && !st->check(be))
		out[0].data_bad = true;
	return 0;
}

/* --- output ------------------------------------------------------------- */

static const char *errname(int err)
{
	switch (err) {
	case EINVAL:	return "EINVAL";
	case EBADF:	return "EBADF";
	case EFAULT:	return "EFAULT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ENOMEM:	return "ENOMEM";
	case EAGAIN:	return "EAGAIN";
	case EBUSY:	return "EBUSY";
	case ECANCELED:	return "ECANCELED";
	case EIO:	return "EIO";
	case ESPIPE:	return "ESPIPE";
	case EACCES:	return "EACCES";
	case EPERM:	return "EPERM";
	default:	return NULL;
	}
}

static void fmt_res(char *buf, size_t len, int res)
{
	const char *name = res < 0 ? errname(-res) : NULL;

	if (name)
		snprintf(buf, len, "-%s", name);
	else
		snprintf(buf, len, "%d", res);
}

static void fmt_cell(char *buf, size_t len, const struct result *r)
{
	char res[24];

	fmt_res(res, sizeof(res), r->res);
	snprintf(buf, len, "%s/0x%x%s", res, r->flags,
		 r->data_bad ? " BADDATA" : "");
}

static bool same(const struct result *a, const struct result *b)
{
	return a->user_data == b->user_data && a->res == b->res &&
	       a->flags == b->flags && !a->data_bad && !b->data_bad;
}

/* --- NOP timing --------------------------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_native(struct io_uring *ring, unsigned long nr,
			unsigned int batch)
{
	struct io_uring_cqe *cqes[RING_ENTRIES];
	unsigned long done = 0;

	while (done < nr) {
		unsigned int n = nr - done < batch ? nr - done : batch;
		unsigned int got = 0;
		int ret;

		for (unsigned int i = 0; i < n; i++)
			io_uring_prep_nop(io_uring_get_sqe(ring));
		ret = io_uring_submit_and_wait(ring, n);
		if (ret < 0)
			return ret;
		while (got < n) {
			unsigned int c = io_uring_peek_batch_cqe(ring, cqes,
								 n - got);

			for (unsigned int i = 0; i < c; i++)
				if (cqes[i]->res != 0)
					return -EIO;
			io_uring_cq_advance(ring, c);
			got += c;
			if (got < n) {
				ret = io_uring_submit_and_wait(ring, n - got);
				if (ret < 0)
					return ret;
			}
		}
		done += n;
	}
	return 0;
}

static int bench_xuring(struct xuring *ring, unsigned long nr,
			unsigned int batch)
{
	struct xuring_cqe *cqes[RING_ENTRIES];
	unsigned long done = 0;

	while (done < nr) {
		unsigned int n = nr - done < batch ? nr - done : batch;
		unsigned int got = 0;
		int ret;

		for (unsigned int i = 0; i < n; i++) {
			struct xuring_sqe *sqe = xuring_get_sqe(ring);

			if (!sqe)
				return -EBUSY;	/* the batch fits the ring */
			xuring_prep_nop(sqe);
		}
		ret = xuring_submit_and_wait(ring, n);
		if (ret < 0)
			return ret;
		while (got < n) {
			unsigned int c = xuring_peek_batch_cqe(ring, cqes,
							       n - got);

			for (unsigned int i = 0; i < c; i++)
				if (cqes[i]->res != 0)
					return -EIO;
			xuring_cq_advance(ring, c);
			got += c;
			if (got < n) {
				ret = xuring_submit_and_wait(ring, n - got);
				if (ret < 0)
					return ret;
			}
		}
		done += n;
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-n NOPS] [-b BATCH] [-h]\n"
		"Run the same SQEs on native io_uring and on xuring, print each\n"
		"CQE side by side, then time NOPS NOPs (default 100000; 0 skips)\n"
		"submitted BATCH at a time (default 32, at most %d) on each.\n"
		"Exit status 1 if any CQE differs (or, without native io_uring,\n"
		"differs from io_uring 5.10's expected result).\n",
		prog, RING_ENTRIES);
}

int main(int argc, char **argv)
{
	static struct backend be[NR_BACKENDS] = {
		[NATIVE] = { .name = "native io_uring" },
		[XURING] = { .name = "xuring" },
	};
	static struct result res[NR_BACKENDS][NR_STEPS][MAX_CQES];
	unsigned long nops = 100000;
	unsigned int batch = 32;
	double secs[NR_BACKENDS] = { 0 };
	struct utsname uts;
	int mismatches = 0, opt, ret;
	char *end;

	prog = basename_of(argv[0] && argv[0][0] ? argv[0] : prog);
	while ((opt = getopt(argc, argv, "n:b:h")) != -1) {
		switch (opt) {
		case 'n':
			errno = 0;
			nops = strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end) {
				fprintf(stderr, "%s: bad -n '%s'\n", prog,
					optarg);
				return 2;
			}
			break;
		case 'b':
			errno = 0;
			batch = (unsigned int)strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end || !batch ||
			    batch > RING_ENTRIES) {
				fprintf(stderr, "%s: bad -b '%s'\n", prog,
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}

	if (uname(&uts) == 0)
		printf("kernel %s %s\n\n", uts.release, uts.machine);

	for (unsigned int i = 0; i < sizeof(pattern); i++)
		pattern[i] = (char)(i * 31 + (i >> 8) + 7);

	for (int k = 0; k < NR_BACKENDS; k++) {
		ret = be_init(&be[k], k, RING_ENTRIES);
		if (ret < 0) {
			if (k == NATIVE) {
				printf("native io_uring unavailable "
				       "(io_uring_queue_init: %s); showing "
				       "xuring only, against io_uring 5.10's "
				       "expected results\n\n", strerror(-ret));
				continue;
			}
			fprintf(stderr, "%s: xuring: setting up a ring on %s: "
				"%s\n", prog, XURING_DEV_PATH, strerror(-ret));
			if (ret == -ENOENT || ret == -ENODEV || ret == -ENXIO)
				fprintf(stderr, "%s: is the module loaded? "
					"(insmod xuring.ko)\n", prog);
			return 1;
		}
		be[k].fd = open_scratch();
		if (be[k].fd < 0) {
			fprintf(stderr, "%s: scratch file: %s\n", prog,
				strerror(-be[k].fd));
			return 1;
		}
		be[k].up = true;
	}

	for (int k = 0; k < NR_BACKENDS; k++) {
		if (!be[k].up)
			continue;
		for (unsigned int s = 0; s < NR_STEPS; s++) {
			ret = run_step(&be[k], k, s, res[k][s]);
			if (ret < 0) {
				fprintf(stderr, "%s: %s: step '%s': %s\n",
					prog, be[k].name, steps[s].name,
					strerror(-ret));
				return 1;
			}
		}
	}

	printf("%-22s %-10s %-18s %-18s %s\n", "op", "expect",
	       "native res/flags", "xuring res/flags", "match");
	for (unsigned int s = 0; s < NR_STEPS; s++) {
		for (unsigned int i = 0; i < steps[s].nr; i++) {
			const struct result *x = &res[XURING][s][i];
			const struct result *n = &res[NATIVE][s][i];
			char name[32], exp[24], nc[40], xc[40];
			bool ok;

			if (steps[s].nr > 1)
				snprintf(name, sizeof(name), "%.16s #%u",
					 steps[s].name, i);
			else
				snprintf(name, sizeof(name), "%s",
					 steps[s].name);
			fmt_res(exp, sizeof(exp), steps[s].expect);
			fmt_cell(xc, sizeof(xc), x);
			if (be[NATIVE].up) {
				fmt_cell(nc, sizeof(nc), n);
				ok = same(n, x);
			} else {
				snprintf(nc, sizeof(nc), "n/a");
				ok = x->res == steps[s].expect && !x->flags &&
				     !x->data_bad;
			}
			if (!ok)
				mismatches++;
			printf("%-22s %-10s %-18s %-18s %s\n", name, exp, nc,
			       xc, ok ? "yes" : "NO");
		}
	}
	if (be[NATIVE].up) {
		for (unsigned int s = 0; s < NR_STEPS; s++)
			if (res[NATIVE][s][0].res != steps[s].expect)
				printf("note: native '%s' gave %d where 5.10 "
				       "gives %d\n", steps[s].name,
				       res[NATIVE][s][0].res, steps[s].expect);
	}

	if (nops) {
		printf("\n%lu NOPs, batches of %u:\n", nops, batch);
		for (int k = 0; k < NR_BACKENDS; k++) {
			double t0;

			if (!be[k].up)
				continue;
			/* An untimed warm-up first, so neither backend pays
			 * for first-touch faults and cold caches. */
			t0 = 0;
			for (int pass = 0; pass < 2; pass++) {
				unsigned long n = pass ? nops :
					(nops < 4096 ? nops : 4096);

				if (pass)
					t0 = now();
				if (k == NATIVE)
					ret = bench_native(&be[k].nring, n,
							   batch);
				else
					ret = bench_xuring(&be[k].xring, n,
							   batch);
				if (ret < 0)
					break;
			}
			secs[k] = now() - t0;
			if (ret < 0) {
				fprintf(stderr, "%s: %s: NOP run: %s\n", prog,
					be[k].name, strerror(-ret));
				return 1;
			}
			printf("  %-16s %8.3f s  %8.1f ns/op  %10.0f ops/s\n",
			       be[k].name, secs[k], secs[k] * 1e9 / nops,
			       nops / secs[k]);
		}
		if (be[NATIVE].up && secs[NATIVE] > 0)
			printf("  xuring / native time ratio: %.2fx\n",
			       secs[XURING] / secs[NATIVE]);
	}

	for (int k = 0; k < NR_BACKENDS; k++) {
		if (!be[k].up)
			continue;
		close(be[k].fd);
		be_exit(&be[k], k);
	}

	if (mismatches) {
		printf("\n%d CQE%s differ%s\n", mismatches,
		       mismatches == 1 ? "" : "s", mismatches == 1 ? "s" : "");
		return 1;
	}
	printf("\nall CQEs match\n");
	return 0;
}
