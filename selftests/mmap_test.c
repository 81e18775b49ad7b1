// SPDX-License-Identifier: GPL-2.0
/*
 * mmap of the ring fd: the three regions at io_uring's offsets, bad offsets
 * and sizes, SINGLE_MMAP sharing, and mappings that outlive the fd.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "xtest.h"

#define PROT_RW (PROT_READ | PROT_WRITE)

static long page_size(void)
{
	return sysconf(_SC_PAGESIZE);
}

/* mmap returning the mapping or NULL with errno. */
static void *map(int fd, size_t len, off_t off)
{
	void *p = mmap(NULL, len, PROT_RW, MAP_SHARED, fd, off);

	return p == MAP_FAILED ? NULL : p;
}

static int setup_fd(struct __test_metadata *_metadata, enum xt_kind kind,
		    unsigned int entries, struct xuring_params *p)
{
	int fd = -1;

	memset(p, 0, sizeof(*p));
	ASSERT_EQ(0, xt_sys_setup(kind, entries, p, &fd));
	return fd;
}

XT_SCENARIO(three_regions)
{
	struct xuring_params p;
	struct xuring_sqe *sqes;
	struct xuring_cqe *cqes;
	char *sq, *cq;
	unsigned int *sq_tail, *cq_tail, *cq_head;
	int fd;

	fd = setup_fd(_metadata, kind, 8, &p);
	sq = map(fd, xt_sq_ring_size(&p), XURING_OFF_SQ_RING);
	ASSERT_NE(NULL, sq) TH_LOG("%s: SQ ring: %m", xt_kind_name(kind));
	cq = map(fd, xt_cq_ring_size(&p), XURING_OFF_CQ_RING);
	ASSERT_NE(NULL, cq) TH_LOG("%s: CQ ring: %m", xt_kind_name(kind));
	sqes = map(fd, xt_sqes_size(&p), XURING_OFF_SQES);
	ASSERT_NE(NULL, sqes) TH_LOG("%s: SQEs: %m", xt_kind_name(kind));

	EXPECT_EQ(8U, *(unsigned int *)(sq + p.sq_off.ring_entries));
	EXPECT_EQ(7U, *(unsigned int *)(sq + p.sq_off.ring_mask));
	EXPECT_EQ(16U, *(unsigned int *)(cq + p.cq_off.ring_entries));
	EXPECT_EQ(15U, *(unsigned int *)(cq + p.cq_off.ring_mask));

	/* drive one NOP through the three separate mappings */
	xt_prep(&sqes[5], XURING_OP_NOP, -1, NULL, 0, 0, 0x1234);
	((unsigned int *)(sq + p.sq_off.array))[0] = 5;
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	__atomic_store_n(sq_tail, 1, __ATOMIC_RELEASE);
	EXPECT_EQ(1, xt_sys_enter(kind, fd, 1, 1, XURING_ENTER_GETEVENTS,
				  NULL, 8));
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	EXPECT_EQ(1U, __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE));
	EXPECT_EQ(1U, *(unsigned int *)(sq + p.sq_off.head));
	cqes = (struct xuring_cqe *)(cq + p.cq_off.cqes);
	EXPECT_EQ(0x1234ULL, (unsigned long long)cqes[0].user_data);
	EXPECT_EQ(0, cqes[0].res);
	*cq_head = 1;
	xt_rec(log, cqes[0].res, "res");
	xt_rec(log, cqes[0].flags, "flags");

	munmap(sq, xt_sq_ring_size(&p));
	munmap(cq, xt_cq_ring_size(&p));
	munmap(sqes, xt_sqes_size(&p));
	close(fd);
}

TEST(three_regions_at_their_offsets)
{
	XT_DIFF(three_regions);
}

TEST(mmap_before_setup_einval)
{
	static const off_t offs[] = {
		XURING_OFF_SQ_RING, XURING_OFF_CQ_RING, XURING_OFF_SQES,
	};
	unsigned int i;
	void *p;
	int fd;

	XT_NEED_XURING();
	fd = xt_dev_open();
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		p = map(fd, page_size(), offs[i]);
		EXPECT_EQ(NULL, p) TH_LOG("offset 0x%lx mapped", (long)offs[i]);
		EXPECT_EQ(EINVAL, errno);
		if (p)
			munmap(p, page_size());
	}
	close(fd);
}

XT_SCENARIO(wrong_offset_common)
{
	/* offsets that no io_uring version maps */
	static const off_t offs[] = { 0x18000000, 0x40000000 };
	struct xuring_params p;
	unsigned int i;
	void *m;
	int fd;

	fd = setup_fd(_metadata, kind, 8, &p);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		m = map(fd, page_size(), offs[i]);
		EXPECT_EQ(NULL, m) TH_LOG("%s: offset 0x%lx mapped",
					  xt_kind_name(kind), (long)offs[i]);
		/* 6.1 fails these with ENOMEM, 5.10 and 6.18 with EINVAL */
		xt_rec(log, !m, "off%lx.failed", (long)offs[i]);
		if (m)
			munmap(m, page_size());
	}
	close(fd);
}

TEST(wrong_offset_einval)
{
	/* 5.10 maps exactly the three offsets; everything else is EINVAL */
	static const off_t offs[] = {
		0x1000, 0x2000, 0x4000000, 0x7fff000, 0x8001000, 0xc000000,
		0x10001000, 0x18000000, 0x20000000, 0x30000000, 0x40000000,
		0x80000000L, 0xfffff000L, 0x100000000L,
	};
	struct xuring_params p;
	unsigned int i;
	void *m;
	int fd;

	if (xt_xuring_present()) {
		fd = setup_fd(_metadata, XT_XURING, 8, &p);
		for (i = 0; i < ARRAY_SIZE(offs); i++) {
			m = map(fd, page_size(), offs[i]);
			EXPECT_EQ(NULL, m)
				TH_LOG("offset 0x%lx mapped", (long)offs[i]);
			EXPECT_EQ(EINVAL, errno)
				TH_LOG("offset 0x%lx", (long)offs[i]);
			if (m)
				munmap(m, page_size());
		}
		close(fd);
	}
	XT_DIFF(wrong_offset_common);
}

TEST(size_too_big_einval)
{
	static const off_t offs[] = {
		XURING_OFF_SQ_RING, XURING_OFF_CQ_RING, XURING_OFF_SQES,
	};
	static const size_t sizes[] = { 16UL << 20, 1UL << 30 };
	struct xuring_params p;
	unsigned int i, j;
	void *m;
	int fd;

	XT_NEED_XURING();
	fd = setup_fd(_metadata, XT_XURING, 4, &p);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			m = map(fd, sizes[j], offs[i]);
			EXPECT_EQ(NULL, m) TH_LOG("0x%lx bytes at 0x%lx mapped",
						  sizes[j], (long)offs[i]);
			EXPECT_EQ(EINVAL, errno);
			if (m)
				munmap(m, sizes[j]);
		}
	}
	close(fd);

	/* Record what native does; newer kernels may map fewer pages. */
	if (xt_native_available()) {
		fd = setup_fd(_metadata, XT_NATIVE, 4, &p);
		m = map(fd, 16UL << 20, XURING_OFF_SQ_RING);
		TH_LOG("native: 16 MiB SQ ring mapping %s (%s)",
		       m ? "succeeds" : "fails", m ? "-" : strerror(errno));
		if (m)
			munmap(m, 16UL << 20);
		close(fd);
	}
}

XT_SCENARIO(single_mmap)
{
	struct xuring_params p;
	size_t sz;
	char *sq, *cq;
	unsigned int *a, *b;
	int fd;

	fd = setup_fd(_metadata, kind, 8, &p);
	ASSERT_TRUE(p.features & XURING_FEAT_SINGLE_MMAP);
	sz = xt_sq_ring_size(&p);
	if (xt_cq_ring_size(&p) > sz)
		sz = xt_cq_ring_size(&p);
	sq = map(fd, sz, XURING_OFF_SQ_RING);
	ASSERT_NE(NULL, sq);
	cq = map(fd, sz, XURING_OFF_CQ_RING);
	ASSERT_NE(NULL, cq);
	ASSERT_NE(sq, cq);

	/* the CQ fields read the same through either mapping */
	EXPECT_EQ(16U, *(unsigned int *)(sq + p.cq_off.ring_entries));
	EXPECT_EQ(8U, *(unsigned int *)(cq + p.sq_off.ring_entries));
	/* a write through one shows in the other */
	a = (unsigned int *)(sq + p.cq_off.cqes);
	b = (unsigned int *)(cq + p.cq_off.cqes);
	*a = 0xfeedf00d;
	EXPECT_EQ(0xfeedf00dU, *b);
	b[1] = 0x12345678;
	EXPECT_EQ(0x12345678U, a[1]);
	a = (unsigned int *)(sq + p.sq_off.array);
	b = (unsigned int *)(cq + p.sq_off.array);
	b[3] = 3;
	EXPECT_EQ(3U, a[3]);
	xt_rec(log, *b == *a, "same");

	munmap(sq, sz);
	munmap(cq, sz);
	close(fd);
}

TEST(single_mmap_cq_ring_is_sq_ring)
{
	XT_DIFF(single_mmap);
}

XT_SCENARIO(survive_close)
{
	struct xuring_params p;
	struct xt_ring r;
	unsigned int i;

	memset(&p, 0, sizeof(p));
	XT_RING(&r, kind, 8, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 4, 100));
	ASSERT_EQ(4, xt_submit(&r));
	ASSERT_EQ(0, close(r.fd));
	r.fd = -1;

	/* the memory is still the ring's: CQEs readable, all writable */
	EXPECT_EQ(4U, xt_cq_ready(&r));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(100ULL + i, (unsigned long long)r.cqes[i].user_data);
	EXPECT_EQ(8U, *r.sq_entries);
	EXPECT_EQ(16U, *r.cq_entries);
	memset(r.sqes, 0x5a, r.sqes_sz);
	for (i = 0; i < 8; i++)
		r.sq_array[i] = 0xffffffff;
	*r.cq_head = 4;
	*r.sq_tail = 12345;
	EXPECT_EQ(0x5a5a5a5aU, ((unsigned int *)r.sqes)[r.sqes_sz / 4 - 1]);
	EXPECT_EQ(12345U, *r.sq_tail);
	xt_rec(log, xt_cq_ready(&r), "ready");
	xt_ring_exit(&r);	/* munmap: now the ring can be freed */

	/* and a new ring works afterwards */
	memset(&p, 0, sizeof(p));
	XT_RING(&r, kind, 8, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 1, 1));
	EXPECT_EQ(1, xt_submit_and_wait(&r, 1));
	EXPECT_EQ(1U, xt_cq_ready(&r));
	xt_ring_exit(&r);
}

TEST(mapping_survives_close)
{
	XT_DIFF(survive_close);
}

TEST(mapping_survives_close_in_child)
{
	struct xuring_params p;
	struct xt_ring r;
	int status;
	pid_t pid;

	/*
	 * The child holds the only mapping while the parent closes the fd
	 * and unmaps; the ring must stay alive until the child exits.
	 */
	XT_NEED_XURING();
	memset(&p, 0, sizeof(p));
	XT_RING(&r, XT_XURING, 4, &p);
	ASSERT_EQ(0, xt_queue_nops(&r, 2, 9));
	ASSERT_EQ(2, xt_submit(&r));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int i, bad = 0;

		close(r.fd);
		xt_sleep_ms(100);
		for (i = 0; i < 2; i++)
			bad += r.cqes[i].user_data != 9 + i;
		memset(r.sqes, 0, r.sqes_sz);
		*r.cq_head = 2;
		_exit(bad ? 1 : 0);
	}
	xt_ring_exit(&r);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

XT_SCENARIO(partial)
{
	struct xuring_params p;
	long pg = page_size();
	unsigned int *m;
	void *s;
	int fd;

	fd = setup_fd(_metadata, kind, 256, &p);
	ASSERT_GT(xt_sq_ring_size(&p), (size_t)pg);
	/* one page of a bigger region is fine */
	m = map(fd, pg, XURING_OFF_SQ_RING);
	ASSERT_NE(NULL, m);
	EXPECT_EQ(256U, m[p.sq_off.ring_entries / 4]);
	xt_rec(log, m[p.sq_off.ring_entries / 4], "entries");
	munmap(m, pg);
	/*
	 * 5.10 maps any size up to the region's; 6.18 insists on the whole
	 * SQE array, so this part is xuring's alone.
	 */
	if (kind == XT_XURING) {
		ASSERT_GT(xt_sqes_size(&p), (size_t)pg);
		s = map(fd, pg, XURING_OFF_SQES);
		ASSERT_NE(NULL, s);
		memset(s, 0, pg);
		munmap(s, pg);
	}
	close(fd);
}

TEST(partial_mapping)
{
	XT_DIFF(partial);
}

XT_SCENARIO(twice)
{
	struct xuring_params p;
	size_t sz;
	char *a, *b;
	int fd;

	fd = setup_fd(_metadata, kind, 8, &p);
	sz = xt_sqes_size(&p);
	a = map(fd, sz, XURING_OFF_SQES);
	b = map(fd, sz, XURING_OFF_SQES);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(a, b);
	a[0] = 42;
	b[sz - 1] = 43;
	EXPECT_EQ(42, b[0]);
	EXPECT_EQ(43, a[sz - 1]);
	xt_rec(log, b[0], "b0");
	munmap(a, sz);
	/* the other mapping stays valid */
	b[1] = 1;
	EXPECT_EQ(42, b[0]);
	munmap(b, sz);
	close(fd);
}

TEST(same_region_mapped_twice)
{
	XT_DIFF(twice);
}

XT_SCENARIO(mremap_grow)
{
	struct xuring_params p;
	long pg = page_size();
	size_t sz;
	void *m, *n;
	int fd;

	fd = setup_fd(_metadata, kind, 4, &p);
	sz = (xt_sqes_size(&p) + pg - 1) & ~(pg - 1);
	m = map(fd, sz, XURING_OFF_SQES);
	ASSERT_NE(NULL, m);
	/* growing past the region must not expose unbacked pages */
	n = mremap(m, sz, sz + 16 * pg, MREMAP_MAYMOVE);
	EXPECT_EQ(MAP_FAILED, n)
		TH_LOG("%s: mremap grew the SQE mapping", xt_kind_name(kind));
	xt_rec(log, n == MAP_FAILED ? errno : 0, "errno");
	if (n != MAP_FAILED)
		munmap(n, sz + 16 * pg);
	else
		munmap(m, sz);
	close(fd);
}

TEST(mremap_cannot_grow)
{
	XT_DIFF(mremap_grow);
}

XT_SCENARIO(map_loop)
{
	struct xuring_params p;
	unsigned int i;
	int fd, fails = 0;
	void *m;

	fd = setup_fd(_metadata, kind, 32, &p);
	for (i = 0; i < 300; i++) {
		m = map(fd, xt_sq_ring_size(&p), XURING_OFF_SQ_RING);
		if (!m) {
			fails++;
			continue;
		}
		((unsigned int *)m)[p.sq_off.array / 4] = i;
		munmap(m, xt_sq_ring_size(&p));
	}
	EXPECT_EQ(0, fails);
	xt_rec(log, fails, "fails");
	close(fd);
}

TEST(map_unmap_many_times)
{
	XT_DIFF(map_loop);
}

TEST_HARNESS_MAIN
