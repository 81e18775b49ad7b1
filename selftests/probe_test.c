// SPDX-License-Identifier: GPL-2.0
/*
 * REGISTER_PROBE: last_op and ops_len, the trunk's ops flagged supported,
 * argument validation, and unflagged ops really failing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xuring/xuring.h>

#include "kselftest_harness.h"
#include "xtest.h"

/* Ops the trunk issue requires to work. */
static const unsigned int trunk_ops[] = {
	XURING_OP_NOP, XURING_OP_READV, XURING_OP_WRITEV, XURING_OP_FSYNC,
	XURING_OP_READ, XURING_OP_WRITE,
};

static struct xuring_probe *probe_alloc(unsigned int nr)
{
	return calloc(1, sizeof(struct xuring_probe) +
			 nr * sizeof(struct xuring_probe_op));
}

static int probe(struct xt_ring *r, struct xuring_probe *p, unsigned int nr)
{
	return xt_sys_register(r->kind, r->fd, XURING_REGISTER_PROBE, p, nr);
}

TEST(probe_reports_5_10_opcodes)
{
	struct xuring_probe *p = probe_alloc(256);
	struct xt_ring r;
	unsigned int i;

	XT_NEED_XURING();
	ASSERT_NE(NULL, p);
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, probe(&r, p, 256));
	EXPECT_EQ(XURING_OP_LAST - 1, p->last_op);
	EXPECT_EQ(XURING_OP_LAST, p->ops_len);
	EXPECT_EQ(0, p->resv);
	for (i = 0; i < 3; i++)
		EXPECT_EQ(0U, p->resv2[i]);
	for (i = 0; i < XURING_OP_LAST; i++) {
		EXPECT_EQ(i, p->ops[i].op);
		EXPECT_EQ(0, p->ops[i].resv);
		EXPECT_EQ(0U, p->ops[i].resv2);
		EXPECT_EQ(0, p->ops[i].flags & ~XURING_OP_SUPPORTED)
			TH_LOG("op %u flags 0x%x", i, p->ops[i].flags);
	}
	/* entries past ops_len are left alone */
	for (; i < 256; i++) {
		EXPECT_EQ(0, p->ops[i].op);
		EXPECT_EQ(0, p->ops[i].flags);
	}
	xt_ring_exit(&r);
	free(p);
}

TEST(trunk_ops_supported)
{
	struct xuring_probe *p = probe_alloc(64);
	struct xt_ring r;
	unsigned int i, op;

	XT_NEED_XURING();
	ASSERT_NE(NULL, p);
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, probe(&r, p, 64));
	for (i = 0; i < ARRAY_SIZE(trunk_ops); i++) {
		op = trunk_ops[i];
		EXPECT_EQ(XURING_OP_SUPPORTED, p->ops[op].flags)
			TH_LOG("%s (%u) not flagged supported",
			       xuring_op_name(op), op);
	}
	xt_ring_exit(&r);

	/* native io_uring flags the same ones */
	XT_NATIVE_OR_SKIP();
	memset(p, 0, sizeof(*p) + 64 * sizeof(p->ops[0]));
	XT_RING(&r, XT_NATIVE, 4, NULL);
	ASSERT_EQ(0, probe(&r, p, 64));
	for (i = 0; i < ARRAY_SIZE(trunk_ops); i++)
		EXPECT_EQ(XURING_OP_SUPPORTED, p->ops[trunk_ops[i]].flags);
	xt_ring_exit(&r);
	free(p);
}

TEST(unflagged_ops_fail)
{
	struct xuring_probe *p = probe_alloc(64);
	struct xuring_sqe *sqe;
	struct xuring_cqe cqe;
	struct xt_ring r;
	unsigned int op;

	/* "flagging only what really works": the rest must not succeed */
	XT_NEED_XURING();
	ASSERT_NE(NULL, p);
	XT_RING(&r, XT_XURING, 4, NULL);
	ASSERT_EQ(0, probe(&r, p, 64));
	for (op = 0; op < XURING_OP_LAST; op++) {
		if (p->ops[op].flags & XURING_OP_SUPPORTED)
			continue;
		sqe = xt_get_sqe(&r);
		ASSERT_NE(NULL, sqe);
		xt_prep(sqe, op, -1, NULL, 0, 0, op);
		ASSERT_EQ(0, xt_submit_one(&r, &cqe));
		EXPECT_EQ(op, cqe.user_data);
		EXPECT_TRUE(cqe.res == -EINVAL || cqe.res == -EOPNOTSUPP)
			TH_LOG("unsupported %s (%u) completed with %d",
			       xuring_op_name(op), op, cqe.res);
	}
	xt_ring_exit(&r);
	free(p);
}

XT_SCENARIO(small)
{
	static const unsigned int nrs[] = { 0, 1, 4, 6, 33, 34 };
	struct xuring_probe *p = probe_alloc(40);
	struct xt_ring r;
	unsigned int i, j;
	int ret;

	ASSERT_NE(NULL, p);
	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		memset(p, 0, sizeof(*p) + 40 * sizeof(p->ops[0]));
		ret = probe(&r, p, nrs[i]);
		EXPECT_EQ(0, ret);
		EXPECT_EQ(nrs[i], p->ops_len);
		for (j = 0; j < nrs[i]; j++)
			EXPECT_EQ(j, p->ops[j].op);
		/* nothing is written past nr_args */
		for (j = nrs[i]; j < 40; j++)
			EXPECT_EQ(0, p->ops[j].op | p->ops[j].flags);
		xt_rec(log, ret, "nr%u.ret", nrs[i]);
		xt_rec(log, p->ops_len, "nr%u.ops_len", nrs[i]);
		for (j = 0; j < nrs[i] && j < ARRAY_SIZE(trunk_ops); j++)
			xt_rec(log, p->ops[trunk_ops[j]].flags,
			       "nr%u.op%u", nrs[i], trunk_ops[j]);
	}
	xt_ring_exit(&r);
	free(p);
}

TEST(probe_fills_only_nr_args)
{
	XT_DIFF(small);
}

XT_SCENARIO(too_big)
{
	static const unsigned int nrs[] = { 257, 1000, 65536, 0xffffffffU };
	struct xuring_probe *p = probe_alloc(257);
	struct xt_ring r;
	unsigned int i;
	int ret;

	ASSERT_NE(NULL, p);
	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < ARRAY_SIZE(nrs); i++) {
		ret = probe(&r, p, nrs[i]);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("nr_args %u", nrs[i]);
		xt_rec(log, ret, "nr%u", nrs[i]);
	}
	/* 256 is the limit, inclusive */
	memset(p, 0, sizeof(*p) + 257 * sizeof(p->ops[0]));
	ret = probe(&r, p, 256);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "nr256");
	xt_ring_exit(&r);
	free(p);
}

TEST(nr_args_over_256_einval)
{
	XT_DIFF(too_big);
}

XT_SCENARIO(dirty)
{
	struct xuring_probe *p = probe_alloc(8);
	unsigned char *bytes = (unsigned char *)p;
	const size_t size = sizeof(*p) + 8 * sizeof(p->ops[0]);
	struct xt_ring r;
	size_t off;
	int ret;

	/* any nonzero byte in the input is refused */
	ASSERT_NE(NULL, p);
	XT_RING(&r, kind, 4, NULL);
	for (off = 0; off < size; off += 3) {
		memset(p, 0, size);
		bytes[off] = 0x80;
		ret = probe(&r, p, 8);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("byte %zu set", off);
		xt_rec(log, ret, "byte%zu", off);
	}
	memset(p, 0, size);
	bytes[size - 1] = 1;
	ret = probe(&r, p, 8);
	EXPECT_EQ(-EINVAL, ret);
	/* but bytes beyond nr_args are not looked at */
	ret = probe(&r, p, 7);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "beyond");
	xt_ring_exit(&r);
	free(p);
}

TEST(nonzero_probe_input_einval)
{
	XT_DIFF(dirty);
}

XT_SCENARIO(bad_ptr)
{
	struct xt_ring r;
	size_t avail;
	char *end;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	ret = probe(&r, NULL, 0);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "null0");
	ret = probe(&r, NULL, 4);
	EXPECT_EQ(-EINVAL, ret);
	xt_rec(log, ret, "null4");
	ret = probe(&r, xt_unmapped_page(), 4);
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "unmapped");
	/* header in bounds, ops running into a page that faults */
	end = xt_guarded_end(&avail);
	ASSERT_NE(NULL, end);
	memset(end, 0, avail);
	ret = probe(&r, (void *)(end + avail - 32), 4);
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "straddle");
	/* exactly fitting is fine */
	ret = probe(&r, (void *)(end + avail - 48), 4);
	EXPECT_EQ(0, ret);
	xt_rec(log, ret, "fits");
	ret = probe(&r, (void *)0xffff888000000000UL, 4);
	EXPECT_EQ(-EFAULT, ret);
	xt_rec(log, ret, "kernel");
	xt_ring_exit(&r);
}

TEST(probe_bad_pointers)
{
	XT_DIFF(bad_ptr);
}

XT_SCENARIO(bad_opcode)
{
	static const unsigned int ops[] = { 200, 255, 1000, 0x7fffffff };
	struct xt_ring r;
	unsigned int i;
	int ret;

	XT_RING(&r, kind, 4, NULL);
	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		ret = xt_sys_register(kind, r.fd, ops[i], NULL, 0);
		EXPECT_EQ(-EINVAL, ret) TH_LOG("register opcode %u", ops[i]);
		xt_rec(log, ret, "op%u", ops[i]);
	}
	xt_ring_exit(&r);
}

TEST(unknown_register_opcode_einval)
{
	struct xt_ring r;
	unsigned int op;

	/* 5.10 knows 0..12 */
	if (xt_xuring_present()) {
		XT_RING(&r, XT_XURING, 4, NULL);
		for (op = XURING_REGISTER_LAST; op < 300; op++)
			EXPECT_EQ(-EINVAL, xt_sys_register(XT_XURING, r.fd, op,
							   NULL, 0))
				TH_LOG("register opcode %u", op);
		xt_ring_exit(&r);
	}
	XT_DIFF(bad_opcode);
}

TEST(libxuring_probe_agrees)
{
	struct xuring_probe *p;
	struct xuring ring;
	unsigned int i;

	XT_NEED_XURING();
	ASSERT_EQ(0, xuring_queue_init(4, &ring, 0));
	p = xuring_get_probe_ring(&ring);
	ASSERT_NE(NULL, p);
	for (i = 0; i < ARRAY_SIZE(trunk_ops); i++)
		EXPECT_TRUE(xuring_opcode_supported(p, trunk_ops[i]));
	EXPECT_FALSE(xuring_opcode_supported(p, XURING_OP_LAST));
	EXPECT_FALSE(xuring_opcode_supported(p, 255));
	xuring_free_probe(p);
	xuring_queue_exit(&ring);
}

TEST_HARNESS_MAIN
