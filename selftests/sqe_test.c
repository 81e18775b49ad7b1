// SPDX-License-Identifier: GPL-2.0
/*
 * SQE validation: unknown opcodes and flags complete with -EINVAL and the
 * user_data; bad SQ array indices are dropped and counted; a failing SQE
 * ends the batch where io_uring ends it, or not with SUBMIT_ALL.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

/* One NOP-shaped SQE with the given opcode and flags; returns res. */
static int submit_raw(struct __test_metadata *_metadata, struct xt_ring *r,
		      unsigned int opcode, unsigned int flags, uint64_t ud)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;

	sqe = xt_get_sqe(r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, ud);
	sqe->opcode = opcode;
	sqe->flags = flags;
	ASSERT_EQ(0, xt_submit_one(r, &cqe));
	EXPECT_EQ(ud, cqe.user_data);
	EXPECT_EQ(0U, cqe.flags);
	return cqe.res;
}

XT_SCENARIO(bad_opcode)
{
	static const unsigned int ops[] = { 255, 254, 128 };
	struct xt_ring r;
	unsigned int i;
	int res;

	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		res = submit_raw(_metadata, &r, ops[i], 0, 0xbad0 + i);
		EXPECT_EQ(-EINVAL, res) TH_LOG("opcode %u", ops[i]);
		xt_rec(log, res, "op%u", ops[i]);
	}
	/* the ring still works */
	EXPECT_EQ(0, submit_raw(_metadata, &r, XURING_OP_NOP, 0, 1));
	xt_ring_exit(&r);
}

TEST(unknown_opcode_einval)
{
	struct xt_ring r;
	unsigned int op;
	int res;

	/* 5.10 knows 0..33: everything from XURING_OP_LAST up is unknown */
	if (xt_xuring_present()) {
		XT_RING(&r, XT_XURING, 4, NULL);
		for (op = XURING_OP_LAST; op < 256; op++) {
			res = submit_raw(_metadata, &r, op, 0, ~0ULL - op);
			EXPECT_EQ(-EINVAL, res) TH_LOG("opcode %u", op);
		}
		xt_ring_exit(&r);
	}
	XT_DIFF(bad_opcode);
}

XT_SCENARIO(bad_flags)
{
	struct xt_ring r;
	int res;

	XT_RING(&r, kind, 4, NULL);
	res = submit_raw(_metadata, &r, XURING_OP_NOP, 0x80, 1);
	EXPECT_EQ(-EINVAL, res);
	xt_rec(log, res, "nop.0x80");
	res = submit_raw(_metadata, &r, 255, 0x80, 2);
	EXPECT_EQ(-EINVAL, res);
	xt_rec(log, res, "bad.0x80");
	res = submit_raw(_metadata, &r, XURING_OP_NOP, 0, 3);
	EXPECT_EQ(0, res);
	xt_rec(log, res, "nop.0");
	xt_ring_exit(&r);
}

TEST(unknown_sqe_flags_einval)
{
	static const unsigned int flags[] = { 0x80, 0xc0, 0xff, 0x81 };
	struct xt_ring r;
	unsigned int i;

	/* bits 0..5 are 5.10's, bit 6 (CQE_SKIP_SUCCESS) 5.17's; 7 is unknown */
	if (xt_xuring_present()) {
		XT_RING(&r, XT_XURING, 4, NULL);
		for (i = 0; i < ARRAY_SIZE(flags); i++)
			EXPECT_EQ(-EINVAL, submit_raw(_metadata, &r,
						      XURING_OP_NOP, flags[i],
						      100 + i))
				TH_LOG("flags 0x%x", flags[i]);
		xt_ring_exit(&r);
	}
	XT_DIFF(bad_flags);
}

XT_SCENARIO(personality)
{
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;

	/* no personality is registered: any id is invalid */
	XT_RING(&r, kind, 4, NULL);
	sqe = xt_get_sqe(&r);
	ASSERT_NE(NULL, sqe);
	xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, 42);
	sqe->personality = 1234;
	ASSERT_EQ(0, xt_submit_one(&r, &cqe));
	EXPECT_EQ(42ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(-EINVAL, cqe.res);
	xt_rec(log, cqe.res, "res");
	xt_ring_exit(&r);
}

TEST(unknown_personality_einval)
{
	XT_DIFF(personality);
}

/* Queue NOPs whose SQ array slots hold the given SQE indices. */
static void queue_indices(struct xt_ring *r, const unsigned int *idx,
			  unsigned int n, uint64_t ud_base)
{
	unsigned int i, slot;

	for (i = 0; i < n; i++) {
		slot = r->sqe_tail & (r->p.sq_entries - 1);
		if (idx[i] < r->p.sq_entries)
			xt_prep(&r->sqes[idx[i]], XURING_OP_NOP, -1, NULL, 0,
				0, ud_base + idx[i]);
		r->sq_array[slot] = idx[i];
		r->sqe_tail++;
	}
	xt_flush(r);
}

XT_SCENARIO(bad_index)
{
	static const unsigned int idx[] = { 0, 1, 8, 3 };
	static const unsigned int idx2[] = { 0xffffffffU, 5 };
	struct xuring_cqe cqe;
	struct xt_ring r;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	queue_indices(&r, idx, 4, 100);
	/* both stop at the bad entry, which is consumed and counted */
	ret = xt_enter(&r, 4, 0, 0);
	EXPECT_EQ(2, ret);
	EXPECT_EQ(1U, *r.sq_dropped);
	EXPECT_EQ(3U, *r.sq_head);
	xt_rec(log, ret, "ret1");
	xt_rec(log, *r.sq_dropped, "dropped1");
	xt_rec(log, *r.sq_head, "head1");
	ret = xt_enter(&r, 1, 0, 0);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "ret2");
	EXPECT_EQ(3U, xt_cq_ready(&r));
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	EXPECT_EQ(100ULL, (unsigned long long)cqe.user_data);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	EXPECT_EQ(101ULL, (unsigned long long)cqe.user_data);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	EXPECT_EQ(103ULL, (unsigned long long)cqe.user_data);

	/* a bad first entry: nothing submitted, still consumed */
	queue_indices(&r, idx2, 2, 200);
	ret = xt_enter(&r, 2, 0, 0);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(2U, *r.sq_dropped);
	EXPECT_EQ(5U, *r.sq_head);
	xt_rec(log, ret, "ret3");
	xt_rec(log, *r.sq_dropped, "dropped3");
	ret = xt_enter(&r, 1, 1, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(1, ret);
	ASSERT_EQ(0, xt_peek_cqe(&r, &cqe));
	EXPECT_EQ(205ULL, (unsigned long long)cqe.user_data);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	EXPECT_EQ(0U, *r.cq_overflow);
	xt_ring_exit(&r);
}

TEST(sq_index_out_of_range_dropped)
{
	XT_DIFF(bad_index);
}

XT_SCENARIO(many_drops)
{
	unsigned int idx[8], i, round;
	struct xt_ring r;
	int ret;

	XT_RING(&r, kind, 8, NULL);
	for (round = 0; round < 10; round++) {
		for (i = 0; i < 8; i++)
			idx[i] = 8 + round * 8 + i;
		queue_indices(&r, idx, 8, 0);
		/* each enter consumes one bad entry and stops */
		for (i = 0; i < 8; i++) {
			ret = xt_enter(&r, 8 - i, 0, 0);
			EXPECT_EQ(0, ret);
		}
	}
	EXPECT_EQ(80U, *r.sq_dropped);
	EXPECT_EQ(80U, *r.sq_head);
	EXPECT_EQ(0U, xt_cq_ready(&r));
	xt_rec(log, *r.sq_dropped, "dropped");
	xt_rec(log, *r.sq_head, "head");
	xt_ring_exit(&r);
}

TEST(dropped_counter_accumulates)
{
	XT_DIFF(many_drops);
}

/* Take @n CQEs (user_data 0 .. n-1) into res[] by user_data; which came. */
static unsigned int reap_by_ud(struct __test_metadata *_metadata,
			       struct xt_ring *r, unsigned int n, int *res)
{
	struct xuring_cqe cqe;
	unsigned int i, seen = 0;

	for (i = 0; i < n; i++) {
		EXPECT_EQ(0, xt_peek_cqe(r, &cqe));
		if (cqe.user_data >= n)
			continue;
		res[cqe.user_data] = cqe.res;
		seen |= 1U << cqe.user_data;
	}
	return seen;
}

XT_SCENARIO(fail_stops)
{
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;
	int ret, res[5];

	XT_RING(&r, kind, 8, NULL);
	/* NOP, bad opcode, NOP, bad flags, NOP */
	for (i = 0; i < 5; i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, i);
		if (i == 1)
			sqe->opcode = 200;
		if (i == 3)
			sqe->flags = 0x80;
	}
	xt_flush(&r);
	/* the failing SQE counts as submitted and ends the batch */
	ret = xt_enter(&r, 5, 0, 0);
	EXPECT_EQ(2, ret);
	xt_rec(log, ret, "ret1");
	EXPECT_EQ(2U, *r.sq_head);
	ret = xt_enter(&r, 3, 0, 0);
	EXPECT_EQ(2, ret);
	xt_rec(log, ret, "ret2");
	ret = xt_enter(&r, 1, 5, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(1, ret);
	xt_rec(log, ret, "ret3");
	/*
	 * Match by user_data: 5.10 posts a failed SQE's CQE at once and
	 * the batch's inline completions after the loop, 6.x in order.
	 */
	EXPECT_EQ(0x1fU, reap_by_ud(_metadata, &r, 5, res));
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(i == 1 || i == 3 ? -EINVAL : 0, res[i]);
		xt_rec(log, res[i], "cqe%u.res", i);
	}
	xt_ring_exit(&r);
}

TEST(failing_sqe_ends_batch)
{
	XT_DIFF(fail_stops);
}

/*
 * XURING_SETUP_SUBMIT_ALL (5.18): the batch goes on past a failing SQE;
 * a chain a bad SQE is in still fails whole.
 */
XT_SCENARIO(submit_all)
{
	struct xuring_params p = { .flags = XURING_SETUP_SUBMIT_ALL };
	struct xuring_sqe *sqe;
	struct xt_ring r;
	unsigned int i;
	int ret, res[7];

	XT_RING(&r, kind, 8, &p);
	/* NOP, bad opcode, NOP, bad flags, NOP, then NOP(LINK) -> bad */
	for (i = 0; i < 7; i++) {
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, XURING_OP_NOP, -1, NULL, 0, 0, i);
		if (i == 1 || i == 6)
			sqe->opcode = 200;
		if (i == 3)
			sqe->flags = 0x80;
		if (i == 5)
			sqe->flags = XURING_SQE_IO_LINK;
	}
	ret = xt_enter(&r, xt_flush(&r), 7, XURING_ENTER_GETEVENTS);
	EXPECT_EQ(7, ret);
	xt_rec(log, ret, "ret");
	EXPECT_EQ(7U, *r.sq_head);
	EXPECT_EQ(0x7fU, reap_by_ud(_metadata, &r, 7, res));
	for (i = 0; i < 7; i++) {
		EXPECT_EQ(i == 1 || i == 3 || i == 6 ? -EINVAL :
			  i == 5 ? -ECANCELED : 0, res[i]);
		xt_rec(log, res[i], "cqe%u.res", i);
	}
	xt_ring_exit(&r);
}

TEST(submit_all_goes_past_failing_sqes)
{
	XT_DIFF(submit_all);
}

TEST_HARNESS_MAIN
