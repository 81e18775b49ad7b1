// SPDX-License-Identifier: GPL-2.0
/*
 * XURING_IOC_SETUP: sizing, CQSIZE/CLAMP, parameter validation, features,
 * the one-ring-per-file rule and the offsets it hands back.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

static unsigned int roundup_pow2(unsigned int v)
{
	unsigned int r = 1;

	while (r < v)
		r <<= 1;
	return r;
}

/* Set up one ring; returns 0 or -errno and records the result. */
static int try_setup(enum xt_kind kind, struct xt_log *log, const char *tag,
		     unsigned int entries, struct xuring_params *p)
{
	int fd = -1, ret;

	ret = xt_sys_setup(kind, entries, p, &fd);
	xt_rec(log, ret, "%s.ret", tag);
	if (!ret) {
		xt_rec(log, p->sq_entries, "%s.sq_entries", tag);
		xt_rec(log, p->cq_entries, "%s.cq_entries", tag);
		close(fd);
	}
	return ret;
}

XT_SCENARIO(round_up)
{
	static const unsigned int in[] = {
		1, 2, 3, 4, 5, 7, 8, 9, 31, 100, 1000, 4095, 4097, 16385,
		32767, 32768,
	};
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		memset(&p, 0, sizeof(p));
		snprintf(tag, sizeof(tag), "entries%u", in[i]);
		ASSERT_EQ(0, try_setup(kind, log, tag, in[i], &p))
			TH_LOG("%s: entries %u", xt_kind_name(kind), in[i]);
		EXPECT_EQ(roundup_pow2(in[i]), p.sq_entries);
		EXPECT_EQ(2 * roundup_pow2(in[i]), p.cq_entries);
	}
}

TEST(entries_round_up_to_power_of_two)
{
	XT_DIFF(round_up);
}

XT_SCENARIO(zero_entries)
{
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	EXPECT_EQ(-EINVAL, try_setup(kind, log, "zero", 0, &p));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CLAMP;
	EXPECT_EQ(-EINVAL, try_setup(kind, log, "zero-clamp", 0, &p));
}

TEST(zero_entries_einval)
{
	XT_DIFF(zero_entries);
}

XT_SCENARIO(too_many)
{
	static const unsigned int in[] = {
		32769, 65536, 1U << 20, 1U << 31, 0xffffffffU,
	};
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		memset(&p, 0, sizeof(p));
		snprintf(tag, sizeof(tag), "entries%u", in[i]);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, in[i], &p))
			TH_LOG("%s: entries %u", xt_kind_name(kind), in[i]);
	}
}

TEST(too_many_entries_einval)
{
	XT_DIFF(too_many);
}

XT_SCENARIO(clamp)
{
	static const unsigned int in[] = {
		32769, 65536, 100000, 1U << 31, 0xffffffffU,
	};
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_CLAMP;
		snprintf(tag, sizeof(tag), "clamp%u", in[i]);
		ASSERT_EQ(0, try_setup(kind, log, tag, in[i], &p));
		EXPECT_EQ(32768U, p.sq_entries);
		EXPECT_EQ(65536U, p.cq_entries);
	}
	/* CLAMP changes nothing for sizes in range */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CLAMP;
	ASSERT_EQ(0, try_setup(kind, log, "clamp-small", 5, &p));
	EXPECT_EQ(8U, p.sq_entries);
	EXPECT_EQ(16U, p.cq_entries);
}

TEST(clamp_limits_entries)
{
	XT_DIFF(clamp);
}

XT_SCENARIO(cqsize)
{
	static const struct { unsigned int sq, cq, want; } c[] = {
		{ 4, 8, 8 }, { 4, 9, 16 }, { 4, 100, 128 }, { 1, 1, 1 },
		{ 8, 5, 8 },	/* compared after rounding up: 8 >= 8 */
		{ 3, 4, 4 }, { 16, 65536, 65536 }, { 32768, 32768, 32768 },
	};
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_CQSIZE;
		p.cq_entries = c[i].cq;
		snprintf(tag, sizeof(tag), "sq%u-cq%u", c[i].sq, c[i].cq);
		ASSERT_EQ(0, try_setup(kind, log, tag, c[i].sq, &p))
			TH_LOG("%s: %s", xt_kind_name(kind), tag);
		EXPECT_EQ(roundup_pow2(c[i].sq), p.sq_entries);
		EXPECT_EQ(c[i].want, p.cq_entries) TH_LOG("%s", tag);
	}
}

TEST(cqsize_rounds_up)
{
	XT_DIFF(cqsize);
}

XT_SCENARIO(cqsize_small)
{
	static const struct { unsigned int sq, cq; } c[] = {
		{ 16, 5 }, { 16, 8 }, { 2, 1 }, { 32768, 1 }, { 32768, 16384 },
	};
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_CQSIZE;
		p.cq_entries = c[i].cq;
		snprintf(tag, sizeof(tag), "sq%u-cq%u", c[i].sq, c[i].cq);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, c[i].sq, &p))
			TH_LOG("%s: %s", xt_kind_name(kind), tag);
	}
}

TEST(cqsize_smaller_than_sq_einval)
{
	XT_DIFF(cqsize_small);
}

XT_SCENARIO(cqsize_zero)
{
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE;
	EXPECT_EQ(-EINVAL, try_setup(kind, log, "cq0", 4, &p));
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE | XURING_SETUP_CLAMP;
	EXPECT_EQ(-EINVAL, try_setup(kind, log, "cq0-clamp", 4, &p));
}

TEST(cqsize_zero_einval)
{
	XT_DIFF(cqsize_zero);
}

XT_SCENARIO(cqsize_big)
{
	static const unsigned int in[] = { 65537, 1U << 20, 0xffffffffU };
	struct xuring_params p;
	char tag[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(in); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_CQSIZE;
		p.cq_entries = in[i];
		snprintf(tag, sizeof(tag), "cq%u", in[i]);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, 4, &p));

		memset(&p, 0, sizeof(p));
		p.flags = XURING_SETUP_CQSIZE | XURING_SETUP_CLAMP;
		p.cq_entries = in[i];
		snprintf(tag, sizeof(tag), "cq%u-clamp", in[i]);
		ASSERT_EQ(0, try_setup(kind, log, tag, 4, &p));
		EXPECT_EQ(4U, p.sq_entries);
		EXPECT_EQ(65536U, p.cq_entries);
	}
	/* both clamped */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_CQSIZE | XURING_SETUP_CLAMP;
	p.cq_entries = 0xffffffffU;
	ASSERT_EQ(0, try_setup(kind, log, "both-clamp", 0xffffffffU, &p));
	EXPECT_EQ(32768U, p.sq_entries);
	EXPECT_EQ(65536U, p.cq_entries);
}

TEST(cqsize_too_big_einval_unless_clamp)
{
	XT_DIFF(cqsize_big);
}

XT_SCENARIO(cq_ignored)
{
	struct xuring_params p;

	/* without CQSIZE, cq_entries on input is ignored */
	memset(&p, 0, sizeof(p));
	p.cq_entries = 5;
	ASSERT_EQ(0, try_setup(kind, log, "cq5", 4, &p));
	EXPECT_EQ(8U, p.cq_entries);
	memset(&p, 0, sizeof(p));
	p.cq_entries = 0xffffffffU;
	ASSERT_EQ(0, try_setup(kind, log, "cqmax", 4, &p));
	EXPECT_EQ(8U, p.cq_entries);
}

TEST(cq_entries_ignored_without_cqsize)
{
	XT_DIFF(cq_ignored);
}

XT_SCENARIO(bad_flags)
{
	static const unsigned int bits[] = { 31, 30, 29, 24 };
	struct xuring_params p;
	unsigned int i;
	char tag[32];

	/* bits no kernel knows */
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		memset(&p, 0, sizeof(p));
		p.flags = 1U << bits[i];
		snprintf(tag, sizeof(tag), "bit%u", bits[i]);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, 4, &p));
	}
	/* SQ_AFF needs SQPOLL */
	memset(&p, 0, sizeof(p));
	p.flags = XURING_SETUP_SQ_AFF;
	EXPECT_EQ(-EINVAL, try_setup(kind, log, "sq_aff", 4, &p));
}

TEST(unknown_flags_einval)
{
	struct xuring_params p;
	unsigned int bit;
	int fd = -1, ret;

	/*
	 * Above R_DISABLED, 5.10's last, xuring knows SUBMIT_ALL (5.18),
	 * COOP_TASKRUN and TASKRUN_FLAG (5.19) and SINGLE_ISSUER (6.0).
	 */
	if (xt_xuring_present()) {
		for (bit = 10; bit < 32; bit++) {
			if (bit == 12)
				continue;
			memset(&p, 0, sizeof(p));
			p.flags = 1U << bit;
			ret = xt_sys_setup(XT_XURING, 4, &p, &fd);
			EXPECT_EQ(-EINVAL, ret) TH_LOG("flag bit %u", bit);
			if (!ret)
				close(fd);
		}
	}
	XT_DIFF(bad_flags);
}

XT_SCENARIO(resv)
{
	struct xuring_params p;
	unsigned int i;
	char tag[32];

	for (i = 0; i < 3; i++) {
		memset(&p, 0, sizeof(p));
		p.resv[i] = 1;
		snprintf(tag, sizeof(tag), "resv%u", i);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, 4, &p));
		memset(&p, 0, sizeof(p));
		p.resv[i] = 0x80000000U;
		snprintf(tag, sizeof(tag), "resv%u-high", i);
		EXPECT_EQ(-EINVAL, try_setup(kind, log, tag, 4, &p));
	}
}

TEST(nonzero_resv_einval)
{
	XT_DIFF(resv);
}

XT_SCENARIO(ignored_inputs)
{
	struct xuring_params p;

	/* fields only meaningful with SQPOLL/ATTACH_WQ, and the outputs */
	memset(&p, 0, sizeof(p));
	p.sq_thread_cpu = 1;
	p.sq_thread_idle = 1000;
	p.wq_fd = 12345;
	p.features = 0xffffffffU;
	memset(&p.sq_off, 0xa5, sizeof(p.sq_off));
	memset(&p.cq_off, 0x5a, sizeof(p.cq_off));
	ASSERT_EQ(0, try_setup(kind, log, "ignored", 4, &p));
	EXPECT_EQ(4U, p.sq_entries);
	/* offsets come back rewritten, reserved words cleared */
	EXPECT_EQ(0U, p.sq_off.resv1);
	EXPECT_EQ(0ULL, (unsigned long long)p.sq_off.resv2);
	EXPECT_EQ(0U, p.cq_off.resv1);
	EXPECT_EQ(0ULL, (unsigned long long)p.cq_off.resv2);
	EXPECT_NE(0xa5a5a5a5U, p.sq_off.array);
	EXPECT_NE(0x5a5a5a5aU, p.cq_off.cqes);
	xt_rec(log, p.sq_off.resv1 | p.cq_off.resv1, "resv1");
	xt_rec(log, p.features & 0xf, "features&0xf");
}

TEST(inputs_ignored_without_their_flags)
{
	XT_DIFF(ignored_inputs);
}

TEST(features_reported)
{
	/* 5.10's: POLL_32BITS too, or programs take their pre-5.9 path */
	const unsigned int want = XURING_FEAT_SINGLE_MMAP | XURING_FEAT_NODROP |
				  XURING_FEAT_SUBMIT_STABLE |
				  XURING_FEAT_RW_CUR_POS |
				  XURING_FEAT_CUR_PERSONALITY |
				  XURING_FEAT_FAST_POLL |
				  XURING_FEAT_POLL_32BITS;
	struct xuring_params p;
	int fd = -1;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, xt_sys_setup(XT_XURING, 8, &p, &fd));
	EXPECT_EQ(want, p.features & want)
		TH_LOG("features 0x%x lack some of 0x%x", p.features, want);
	close(fd);
	if (xt_native_available()) {
		memset(&p, 0, sizeof(p));
		ASSERT_EQ(0, xt_sys_setup(XT_NATIVE, 8, &p, &fd));
		EXPECT_EQ(want, p.features & want);
		close(fd);
	}
}

TEST(second_setup_ebusy)
{
	struct xuring_params p, p2;
	struct xuring_cqe cqe;
	struct xt_ring r;
	int fd;

	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	ASSERT_EQ(0, xt_sys_setup(XT_XURING, 4, &p, &fd));
	memset(&p2, 0, sizeof(p2));
	p2.sq_entries = 16;
	EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p2));
	EXPECT_EQ(EBUSY, errno);
	/* a bad second SETUP is still EBUSY or EINVAL, never a new ring */
	memset(&p2, 0, sizeof(p2));
	p2.sq_entries = 0;
	EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p2));
	/* the first ring is untouched and works */
	ASSERT_EQ(0, xt_ring_map(&r, XT_XURING, fd, &p));
	EXPECT_EQ(4U, *r.sq_entries);
	EXPECT_EQ(8U, *r.cq_entries);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 77));
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(77ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(0, cqe.res);
	xt_ring_exit(&r);
}

TEST(failed_setup_leaves_file_unset)
{
	struct xuring_params p;
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 0;
	EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p));
	EXPECT_EQ(EINVAL, errno);
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	p.resv[1] = 1;
	EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p));
	EXPECT_EQ(EINVAL, errno);
	/* still no ring: ENTER is EBADFD */
	EXPECT_EQ(-EBADFD, xt_sys_enter(XT_XURING, fd, 0, 0, 0, NULL, 8));
	/* a good SETUP now works */
	memset(&p, 0, sizeof(p));
	p.sq_entries = 4;
	EXPECT_EQ(0, ioctl(fd, XURING_IOC_SETUP, &p));
	EXPECT_EQ(4U, p.sq_entries);
	EXPECT_EQ(0, xt_sys_enter(XT_XURING, fd, 0, 0, 0, NULL, 8));
	close(fd);
}

TEST(enter_before_setup_ebadfd)
{
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADFD, xt_sys_enter(XT_XURING, fd, 0, 0, 0, NULL, 8));
	EXPECT_EQ(-EBADFD, xt_sys_enter(XT_XURING, fd, 1, 0, 0, NULL, 8));
	EXPECT_EQ(-EBADFD, xt_sys_enter(XT_XURING, fd, 0, 1,
					XURING_ENTER_GETEVENTS, NULL, 8));
	close(fd);
}

TEST(register_before_setup_ebadfd)
{
	char buf[16 + 8 * 64];
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(-EBADFD, xt_sys_register(XT_XURING, fd, XURING_REGISTER_PROBE,
					   buf, 64));
	EXPECT_EQ(-EBADFD, xt_sys_register(XT_XURING, fd,
					   XURING_UNREGISTER_BUFFERS, NULL, 0));
	close(fd);
}

/* Offsets lie inside their regions, do not overlap, and mean what they say. */
XT_SCENARIO(offsets)
{
	static const unsigned int sizes[] = { 1, 4, 64, 4096 };
	struct xuring_params p;
	struct xt_ring r;
	unsigned int i, j, k;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		const unsigned int n = sizes[i];
		unsigned int sq[6], cq[6];
		size_t sq_sz, cq_sz;

		memset(&p, 0, sizeof(p));
		XT_RING(&r, kind, n, &p);
		sq_sz = xt_sq_ring_size(&p);
		cq_sz = xt_cq_ring_size(&p);
		sq[0] = p.sq_off.head;
		sq[1] = p.sq_off.tail;
		sq[2] = p.sq_off.ring_mask;
		sq[3] = p.sq_off.ring_entries;
		sq[4] = p.sq_off.flags;
		sq[5] = p.sq_off.dropped;
		cq[0] = p.cq_off.head;
		cq[1] = p.cq_off.tail;
		cq[2] = p.cq_off.ring_mask;
		cq[3] = p.cq_off.ring_entries;
		cq[4] = p.cq_off.overflow;
		cq[5] = p.cq_off.flags;
		for (j = 0; j < 6; j++) {
			EXPECT_EQ(0U, sq[j] % 4);
			EXPECT_EQ(0U, cq[j] % 4);
			EXPECT_LE(sq[j] + 4, p.sq_off.array)
				TH_LOG("sq scalar %u overlaps the array", j);
			EXPECT_LE(cq[j] + 4, p.cq_off.cqes)
				TH_LOG("cq scalar %u overlaps the cqes", j);
			for (k = 0; k < j; k++) {
				EXPECT_NE(sq[k], sq[j]);
				EXPECT_NE(cq[k], cq[j]);
			}
		}
		EXPECT_EQ(0U, p.sq_off.array % 4);
		EXPECT_EQ(0U, p.cq_off.cqes % 16);
		EXPECT_GE((size_t)r.sq_sz, sq_sz);
		EXPECT_GE((size_t)r.cq_sz, cq_sz);

		/* what the mapped ring says */
		EXPECT_EQ(p.sq_entries, *r.sq_entries);
		EXPECT_EQ(p.sq_entries - 1, *r.sq_mask);
		EXPECT_EQ(p.cq_entries, *r.cq_entries);
		EXPECT_EQ(p.cq_entries - 1, *r.cq_mask);
		EXPECT_EQ(0U, *r.sq_head);
		EXPECT_EQ(0U, *r.sq_tail);
		EXPECT_EQ(0U, *r.cq_head);
		EXPECT_EQ(0U, *r.cq_tail);
		EXPECT_EQ(0U, *r.sq_dropped);
		EXPECT_EQ(0U, *r.cq_overflow);
		EXPECT_EQ(0U, *r.sq_flags);
		EXPECT_EQ(0U, *r.cq_flags);
		xt_rec(log, *r.sq_entries, "n%u.sq_entries", n);
		xt_rec(log, *r.sq_mask, "n%u.sq_mask", n);
		xt_rec(log, *r.cq_entries, "n%u.cq_entries", n);
		xt_rec(log, *r.cq_mask, "n%u.cq_mask", n);
		xt_ring_exit(&r);
	}
}

TEST(offsets_sane)
{
	XT_DIFF(offsets);
}

XT_SCENARIO(many_rings)
{
	struct xuring_params p;
	int fds[64];
	unsigned int i;
	int ret, ok = 0;

	for (i = 0; i < ARRAY_SIZE(fds); i++) {
		memset(&p, 0, sizeof(p));
		ret = xt_sys_setup(kind, 64, &p, &fds[i]);
		EXPECT_EQ(0, ret) TH_LOG("%s: ring %u", xt_kind_name(kind), i);
		if (ret)
			fds[i] = -1;
		else
			ok++;
	}
	for (i = 0; i < ARRAY_SIZE(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	xt_rec(log, ok, "rings");
}

TEST(many_rings_at_once)
{
	XT_DIFF(many_rings);
}

struct setup_racer {
	int fd;
	pthread_t thread;
	int ret;
	unsigned int entries;
};

static void *setup_race_fn(void *arg)
{
	struct setup_racer *s = arg;
	struct xuring_params p;

	memset(&p, 0, sizeof(p));
	p.sq_entries = s->entries;
	s->ret = ioctl(s->fd, XURING_IOC_SETUP, &p) ? -errno : 0;
	if (!s->ret)
		s->entries = p.sq_entries;
	return NULL;
}

TEST(concurrent_setup_one_wins)
{
	struct setup_racer s[4];
	struct xuring_params p;
	unsigned int round, i, wins;
	int fd;

	/* threads racing SETUP on one file: one ring, the rest EBUSY */
	XT_NEED_XURING();
	for (round = 0; round < 50; round++) {
		fd = xt_dev_open();
		ASSERT_LE(0, fd);
		for (i = 0; i < 4; i++) {
			s[i].fd = fd;
			s[i].entries = 2 << i;
			ASSERT_EQ(0, pthread_create(&s[i].thread, NULL,
						    setup_race_fn, &s[i]));
		}
		wins = 0;
		for (i = 0; i < 4; i++) {
			pthread_join(s[i].thread, NULL);
			if (!s[i].ret)
				wins++;
			else
				EXPECT_EQ(-EBUSY, s[i].ret);
		}
		EXPECT_EQ(1U, wins);
		memset(&p, 0, sizeof(p));
		p.sq_entries = 4;
		EXPECT_EQ(-1, ioctl(fd, XURING_IOC_SETUP, &p));
		EXPECT_EQ(0, xt_sys_enter(XT_XURING, fd, 0, 0, 0, NULL, 8));
		close(fd);
	}
}

TEST_HARNESS_MAIN
