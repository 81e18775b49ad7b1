// SPDX-License-Identifier: GPL-2.0
/*
 * Buffered writes racing on one file from several rings and threads: no
 * request is interleaved with another, every byte is accounted for, and
 * one ring's writes to one file run one at a time, in order (5.10's hashed
 * work). Against native.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define DONE_MS		30000

/* Appenders: rings each in their own thread, and one plain write(2) thread. */
#define RINGS		4
#define PER_RING	48
#define BATCH		16
#define REC		9000	/* not a multiple of the page size */
#define PLAIN_RECS	24
#define WRITERS		(RINGS + 1)

/* Record (t, s): 'R', t, s, '!' then a pattern of t and s. */
static void record(unsigned char *buf, unsigned int t, unsigned int s)
{
	unsigned int i;

	for (i = 0; i < REC; i++)
		buf[i] = (unsigned char)(t * 37 + s * 11 + i * 3 + (i >> 7));
	buf[0] = 'R';
	buf[1] = t;
	buf[2] = s;
	buf[3] = '!';
}

struct appender {
	enum xt_kind kind;
	int fd;
	unsigned int t;
	pthread_barrier_t *start;
	char err[160];
	pthread_t thread;
};

static void *ring_appender(void *arg)
{
	struct appender *a = arg;
	unsigned char *bufs = malloc((size_t)BATCH * REC);
	struct xuring_cqe cqe;
	unsigned int s, i;
	struct xt_ring r;

	if (!bufs || xt_ring_init(&r, a->kind, BATCH, NULL)) {
		snprintf(a->err, sizeof(a->err), "ring %u: setup", a->t);
		pthread_barrier_wait(a->start);
		free(bufs);
		return NULL;
	}
	pthread_barrier_wait(a->start);
	for (s = 0; s < PER_RING; s += BATCH) {
		/* a whole batch in flight at once, some of it forced async */
		for (i = 0; i < BATCH; i++) {
			struct xuring_sqe *sqe = xt_get_sqe(&r);
			unsigned char *buf = bufs + (size_t)i * REC;

			record(buf, a->t, s + i);
			xt_prep(sqe, XURING_OP_WRITE, a->fd, buf, REC, 0, s + i);
			if (i % 3 == 1)
				sqe->flags = XURING_SQE_ASYNC;
		}
		if (xt_submit(&r) != BATCH) {
			snprintf(a->err, sizeof(a->err), "ring %u: submit", a->t);
			break;
		}
		for (i = 0; i < BATCH; i++) {
			if (xt_wait_cqe_ms(&r, &cqe, DONE_MS)) {
				snprintf(a->err, sizeof(a->err),
					 "ring %u: no CQE", a->t);
				goto out;
			}
			if (cqe.res != REC || cqe.user_data < s ||
			    cqe.user_data >= s + BATCH) {
				snprintf(a->err, sizeof(a->err),
					 "ring %u: ud %llu res %d", a->t,
					 (unsigned long long)cqe.user_data,
					 cqe.res);
				goto out;
			}
		}
	}
out:
	xt_ring_exit(&r);
	free(bufs);
	return NULL;
}

static void *plain_appender(void *arg)
{
	struct appender *a = arg;
	unsigned char buf[REC];
	unsigned int s;

	pthread_barrier_wait(a->start);
	for (s = 0; s < PLAIN_RECS; s++) {
		record(buf, a->t, s);
		if (write(a->fd, buf, REC) != REC) {
			snprintf(a->err, sizeof(a->err), "write(2): %s",
				 strerror(errno));
			break;
		}
	}
	return NULL;
}

XT_SCENARIO(append)
{
	struct appender a[WRITERS];
	pthread_barrier_t start;
	unsigned char *file, want[REC];
	unsigned int seen[WRITERS][PER_RING] = { { 0 } };
	int last[WRITERS], out_of_order = 0;
	size_t size, off;
	unsigned int t, s, bad = 0;
	struct stat st;
	char path[64];
	int fd;

	fd = xt_tmpfile(path, sizeof(path));
	ASSERT_LE(0, fd);
	close(fd);
	fd = open(path, O_RDWR | O_APPEND);
	ASSERT_LE(0, fd);
	unlink(path);
	ASSERT_EQ(0, pthread_barrier_init(&start, NULL, WRITERS));
	for (t = 0; t < WRITERS; t++) {
		a[t] = (struct appender){ .kind = kind, .fd = fd, .t = t,
					  .start = &start };
		ASSERT_EQ(0, pthread_create(&a[t].thread, NULL,
					    t < RINGS ? ring_appender :
					    plain_appender, &a[t]));
	}
	for (t = 0; t < WRITERS; t++) {
		pthread_join(a[t].thread, NULL);
		EXPECT_STREQ("", a[t].err);
	}

	ASSERT_EQ(0, fstat(fd, &st));
	size = (size_t)(RINGS * PER_RING + PLAIN_RECS) * REC;
	ASSERT_EQ((off_t)size, st.st_size);
	file = malloc(size);
	ASSERT_NE(NULL, file);
	ASSERT_EQ((ssize_t)size, pread(fd, file, size, 0));
	for (t = 0; t < WRITERS; t++)
		last[t] = -1;
	for (off = 0; off < size; off += REC) {
		unsigned char *rec = file + off;

		t = rec[1];
		s = rec[2];
		if (rec[0] != 'R' || rec[3] != '!' || t >= WRITERS ||
		    s >= (t < RINGS ? PER_RING : PLAIN_RECS)) {
			if (bad++ < 5)
				TH_LOG("no record at %zu", off);
			continue;
		}
		record(want, t, s);
		if (memcmp(rec, want, REC)) {
			if (bad++ < 5)
				TH_LOG("record %u/%u at %zu mixed with another",
				       t, s, off);
			continue;
		}
		if (seen[t][s]++ && bad++ < 5)
			TH_LOG("record %u/%u twice", t, s);
		if ((int)s < last[t])
			out_of_order++;
		last[t] = s;
	}
	EXPECT_EQ(0U, bad);
	/* every record of every writer once */
	for (t = 0; t < WRITERS; t++)
		for (s = 0; s < (t < RINGS ? PER_RING : PLAIN_RECS); s++)
			EXPECT_EQ(1U, seen[t][s]) TH_LOG("record %u/%u", t, s);
	/*
	 * In 5.10 every buffered write to a regular file goes to the ring's
	 * workers, hashed by inode: one at a time, in the order submitted.
	 * Newer kernels write to files that allow it (tmpfs in 6.x) in the
	 * submit call, so only forced-async ones queue: native may reorder.
	 */
	TH_LOG("%s: %d records out of submission order", xt_kind_name(kind),
	       out_of_order);
	if (kind == XT_XURING)
		EXPECT_EQ(0, out_of_order);
	xt_rec(log, bad, "bad");
	xt_rec(log, st.st_size, "size");
	free(file);
	close(fd);
	pthread_barrier_destroy(&start);
}

TEST(appends_from_rings_and_threads)
{
	XT_DIFF(append);
}

/*
 * Writers overwriting the same 64 KiB, round after round, each round from
 * every ring at once: afterwards the range is one writer's, whole.
 */
#define OVER		(64 * 1024)
#define ROUNDS		16

struct overwriter {
	enum xt_kind kind;
	int fd;
	unsigned int t;
	pthread_barrier_t *round;
	char err[160];
	pthread_t thread;
};

static void *overwrite_fn(void *arg)
{
	struct overwriter *o = arg;
	unsigned char *buf = malloc(OVER);
	struct xuring_cqe cqe;
	struct iovec iov[3];
	struct xt_ring r;
	unsigned int n;
	bool ok = buf && !xt_ring_init(&r, o->kind, 4, NULL);

	for (n = 0; n < ROUNDS; n++) {
		pthread_barrier_wait(o->round);		/* go */
		if (ok && !o->err[0]) {
			struct xuring_sqe *sqe = xt_get_sqe(&r);

			memset(buf, 1 + o->t * ROUNDS + n, OVER);
			if (n & 1) {
				iov[0] = (struct iovec){ buf, 5000 };
				iov[1] = (struct iovec){ buf + 5000, 30000 };
				iov[2] = (struct iovec){ buf + 35000,
							 OVER - 35000 };
				xt_prep(sqe, XURING_OP_WRITEV, o->fd, iov, 3, 0,
					n);
			} else {
				xt_prep(sqe, XURING_OP_WRITE, o->fd, buf, OVER,
					0, n);
			}
			if (n % 4 == 2)
				sqe->flags = XURING_SQE_ASYNC;
			if (xt_submit(&r) != 1 ||
			    xt_wait_cqe_ms(&r, &cqe, DONE_MS) ||
			    cqe.res != OVER || cqe.user_data != n)
				snprintf(o->err, sizeof(o->err),
					 "writer %u round %u: res %d", o->t, n,
					 cqe.res);
		} else if (!o->err[0]) {
			snprintf(o->err, sizeof(o->err), "writer %u: setup",
				 o->t);
		}
		pthread_barrier_wait(o->round);		/* done */
		pthread_barrier_wait(o->round);		/* checked */
	}
	if (ok)
		xt_ring_exit(&r);
	free(buf);
	return NULL;
}

XT_SCENARIO(overwrite)
{
	struct overwriter o[RINGS];
	pthread_barrier_t round;
	unsigned char *got;
	unsigned int t, n, i, mixed = 0;
	int fd;

	fd = xt_sparse_file(0);
	ASSERT_LE(0, fd);
	got = malloc(OVER);
	ASSERT_NE(NULL, got);
	ASSERT_EQ(0, pthread_barrier_init(&round, NULL, RINGS + 1));
	for (t = 0; t < RINGS; t++) {
		o[t] = (struct overwriter){ .kind = kind, .fd = fd, .t = t,
					    .round = &round };
		ASSERT_EQ(0, pthread_create(&o[t].thread, NULL, overwrite_fn,
					    &o[t]));
	}
	for (n = 0; n < ROUNDS; n++) {
		pthread_barrier_wait(&round);
		pthread_barrier_wait(&round);
		ASSERT_EQ(OVER, pread(fd, got, OVER, 0));
		for (i = 1; i < OVER; i++)
			if (got[i] != got[0])
				break;
		if (i < OVER) {
			if (mixed++ < 5)
				TH_LOG("round %u: byte %u is %u, byte 0 is %u",
				       n, i, got[i], got[0]);
		} else if ((unsigned int)(got[0] - 1) % ROUNDS != n) {
			if (mixed++ < 5)
				TH_LOG("round %u: content of round %u", n,
				       (got[0] - 1) % ROUNDS);
		}
		pthread_barrier_wait(&round);
	}
	for (t = 0; t < RINGS; t++) {
		pthread_join(o[t].thread, NULL);
		EXPECT_STREQ("", o[t].err);
	}
	EXPECT_EQ(0U, mixed);
	xt_rec(log, mixed, "mixed");
	free(got);
	close(fd);
	pthread_barrier_destroy(&round);
}

TEST(overwrites_never_interleave)
{
	XT_DIFF(overwrite);
}

TEST_HARNESS_MAIN
