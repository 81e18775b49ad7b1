/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xuring's core types: the ring context that lives on an open /dev/xuring
 * file, and the request that carries one SQE from submission to its CQE.
 */
#ifndef XR_TYPES_H
#define XR_TYPES_H

#include <linux/cache.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/xuring.h>

struct xr_buf_table;
struct xr_eventfd;
struct xr_iowq;
struct xr_kbuf;
struct xr_sq_data;

/* Head and tail of one ring, each on its own cacheline. */
struct xr_ring_idx {
	u32 head ____cacheline_aligned_in_smp;
	u32 tail ____cacheline_aligned_in_smp;
};

/*
 * The memory shared with userspace, mapped at XURING_OFF_SQ_RING and
 * XURING_OFF_CQ_RING (one mapping serves both: XURING_FEAT_SINGLE_MMAP).
 * The SQ index array follows the CQEs.
 *
 * Userspace writes sq.tail (release), cq.head (release) and the SQ array;
 * the kernel writes sq.head, cq.tail, the CQEs and the counters.
 */
struct xr_rings {
	struct xr_ring_idx sq, cq;
	u32 sq_ring_mask, cq_ring_mask;
	u32 sq_ring_entries, cq_ring_entries;
	u32 sq_dropped;
	atomic_t sq_flags;		/* XURING_SQ_* */
	u32 cq_flags;			/* XURING_CQ_*, written by userspace */
	u32 cq_overflow;		/* CQEs dropped (could not be kept) */
	struct xuring_cqe cqes[] ____cacheline_aligned_in_smp;
};

/* A CQE that did not fit in the CQ ring, waiting on cq_overflow_list. */
struct xr_overflow_cqe {
	struct list_head list;
	struct xuring_cqe cqe;
};

/* REGISTER_RESTRICTIONS: what a ring enabled with ENABLE_RINGS allows. */
struct xr_restrictions {
	DECLARE_BITMAP(register_op, XURING_REGISTER_LAST);
	DECLARE_BITMAP(sqe_op, XURING_OP_LAST);
	u8 sqe_flags_allowed;
	u8 sqe_flags_required;
	bool registered;
};

struct xr_ring_ctx {
	/* Set up once by XURING_IOC_SETUP, read-only afterwards. */
	struct {
		unsigned int flags;		/* XURING_SETUP_* */
		unsigned int sq_entries, sq_mask;
		unsigned int cq_entries, cq_mask;
		struct xr_rings *rings;
		u32 *sq_array;
		struct xuring_sqe *sq_sqes;
		size_t rings_size, sqes_size;	/* bytes, for mmap */
		/* the creator's: requests from it need no references of their own */
		struct mm_struct *mm;
		const struct cred *creds;
		fl_owner_t owner;		/* its fd table, compared only */
		struct pid *pid;		/* its thread group */
		kuid_t uid;			/* counted in max_rings_per_user */
		struct xr_iowq *iowq;		/* workers, maybe shared */
		struct xr_sq_data *sq_data;	/* SQPOLL thread, maybe shared */
		/* SQPOLL: the thread writes under its RLIMIT_FSIZE */
		struct task_struct *sq_creator;
		/* SINGLE_ISSUER: the one task that may submit and register */
		struct task_struct *issuer;
		bool ready;			/* store-release once set up */
	} ____cacheline_aligned_in_smp;

	/* Submission side, under uring_lock. */
	struct {
		struct mutex uring_lock;	/* submit and register */
		unsigned int cached_sq_head;
		unsigned int cached_sq_dropped;
		/*
		 * Singly linked through req->cache_node: no list debugging
		 * on the hot path. The request cache is a stack; the inline
		 * completions a FIFO (compl_last: where the next one goes).
		 */
		struct llist_node *free_cache;
		struct llist_node *compl_first, **compl_last;
		struct file **user_files;	/* REGISTER_FILES table */
		unsigned int nr_user_files;
		/* an IO_LINK chain being put together from the SQ */
		struct xr_req *link_head, *link_last;
		u32 submit_seq;			/* requests initialised so far */
		bool drain_used;		/* an IO_DRAIN was ever seen */
		/* a CQE_SKIP_SUCCESS was: IO_DRAIN is refused from now on */
		bool drain_disabled;
		/* a chain had an IO_DRAIN: the request after it drains too */
		bool drain_next;
		u64 nr_submitted;		/* SQEs consumed (fdinfo) */
	} ____cacheline_aligned_in_smp;

	/* Completion side, under completion_lock. */
	struct {
		spinlock_t completion_lock;	/* CQ tail, overflow list */
		unsigned int cached_cq_tail;
		unsigned int cached_cq_overflow;
		bool check_overflow;		/* cq_overflow_list not empty */
		struct list_head cq_overflow_list;
		/* requests freed without uring_lock, taken back in batches */
		struct llist_head locked_free;
		wait_queue_head_t cq_wait;	/* XURING_ENTER_GETEVENTS */
		wait_queue_head_t poll_wait;	/* poll(2) on the ring fd */
		wait_queue_head_t sq_space_wait;	/* XURING_ENTER_SQ_WAIT */
		u32 cq_produced;		/* CQEs ever posted, dropped too */
		u32 cq_timeouts;		/* of which fired/expired TIMEOUTs */
		struct list_head timeout_list;	/* armed TIMEOUTs */
		/* posted under the lock, to be freed outside it */
		struct list_head posted_reqs;
		struct list_head defer_list;	/* waiting behind an IO_DRAIN */
		bool drain_active;		/* drain_seq has been issued */
		u32 drain_seq;
		/* xr_commit_flush() running; post_again: run it once more */
		bool post_running, post_again;
		u64 nr_overflowed;		/* CQEs that went on the list */
	} ____cacheline_aligned_in_smp;

	/* Requests that outlive the submit call, and the ring's teardown. */
	struct {
		spinlock_t cancel_lock;		/* poll_list, dying */
		struct list_head poll_list;	/* armed FAST_POLL requests */
		u64 nr_poll_armed;		/* FAST_POLL waits armed (fdinfo) */
		atomic_long_t nr_async;		/* requests handed to workers */
		bool dying;			/* the file is closed */
		/* the ring's file until it is released, for xr_req_ring_file() */
		struct file __rcu *file;
		/* the file's reference, plus one per request gone async */
		refcount_t refs;
		struct work_struct free_work;
		struct list_head sqd_node;	/* on sq_data->ctx_list */
		/* the processes it serves (tctx.c), under tctx_lock */
		spinlock_t tctx_lock;
		struct list_head tctx_list;
		bool tctx_closed;		/* the file is released */
		struct xr_tctx __rcu *tctx_last;	/* the last one seen */
		atomic_t nr_maps;		/* mappings of the rings */
		/* one exited, or the last mapping went */
		struct work_struct exit_work;
	} ____cacheline_aligned_in_smp;

	/*
	 * Registered state (rsrc.c, kbuf.c, register.c), changed under
	 * uring_lock unless noted, and IOPOLL (iopoll.c).
	 */
	struct {
		struct xr_buf_table *buf_table;	/* REGISTER_BUFFERS */
		/* unregistered tables whose last user went in irq context */
		struct llist_head dead_buf_tables;
		/* charged for pinned pages; NULL with CAP_IPC_LOCK */
		struct user_struct *user;
		unsigned long ring_pages;	/* ... and for the ring's */
		struct xarray personalities;	/* id -> const struct cred */
		u32 pers_next;			/* where the id search resumes */
		struct xr_restrictions restrictions;
		bool restricted;		/* enforced since ENABLE_RINGS */
		bool r_disabled;		/* R_DISABLED until ENABLE_RINGS */
		struct xr_eventfd __rcu *ev_fd;	/* REGISTER_EVENTFD(_ASYNC) */
		/* in xr_submit_sqes(): what it completes is not async */
		struct task_struct *submit_task;
		spinlock_t kbuf_lock;		/* the provided buffer lists */
		struct xarray kbuf_groups;	/* buffer group id -> list */
		spinlock_t iopoll_lock;		/* iopoll_list */
		struct list_head iopoll_list;	/* issued, waiting to be polled */
		/* issued in the submit call, for iopoll_list at its end */
		struct list_head iopoll_issued;
		atomic_t iopoll_inflight;	/* XR_REQ_F_IOPOLL requests */
		atomic_long_t iopoll_reaped;	/* found done by a reaper */
	} ____cacheline_aligned_in_smp;
};

/*
 * Request flags. The low bits are the SQE's flags, with the same values;
 * the ones above are xuring's own.
 */
enum {
	XR_REQ_F_CUR_POS_BIT = 8,	/* offset -1: use and advance f_pos */
	XR_REQ_F_FAIL_BIT,		/* completed with an error */
	XR_REQ_F_NOWAIT_BIT,		/* -EAGAIN goes to userspace */
	XR_REQ_F_ASYNC_BIT,		/* holds a ctx reference */
	XR_REQ_F_OWN_MM_BIT,		/* req->mm is a reference of its own */
	XR_REQ_F_OWN_CREDS_BIT,		/* req->creds is a reference of its own */
	XR_REQ_F_HASHED_BIT,		/* serialised with its inode's writes */
	XR_REQ_F_REISSUE_BIT,		/* the block layer said -EAGAIN late */
	XR_REQ_F_POLLED_BIT,		/* has waited with FAST_POLL */
	XR_REQ_F_TASK_BIT,		/* holds a reference to req->task */
	XR_REQ_F_LTIMEOUT_BIT,		/* a LINK_TIMEOUT follows: arm it */
	XR_REQ_F_LTIMEOUT_ARMED_BIT,	/* ... taken: completion disarms it */
	XR_REQ_F_RW_INIT_BIT,		/* rw: kiocb set up for its file */
	XR_REQ_F_BUFFER_SELECTED_BIT,	/* holds req->kbuf, a provided buffer */
	XR_REQ_F_FIXED_BUF_BIT,		/* holds req->buf_table */
	XR_REQ_F_IOPOLL_BIT,		/* counted in ctx->iopoll_inflight */
	XR_REQ_F_PERSONALITY_BIT,	/* req->creds: a registered personality */
	XR_REQ_F_UNBOUND_BIT,		/* for the pool's unbound workers */
	XR_REQ_F_RING_FILE_BIT,		/* its fd is a ring's: req->ring */
	XR_REQ_F_OWN_PID_BIT,		/* req->pid is a reference of its own */
	XR_REQ_F_QUIET_BIT,		/* no CQE: its chain's head skipped it */
};

#define XR_REQ_F_CUR_POS	BIT(XR_REQ_F_CUR_POS_BIT)
#define XR_REQ_F_FAIL		BIT(XR_REQ_F_FAIL_BIT)
#define XR_REQ_F_NOWAIT		BIT(XR_REQ_F_NOWAIT_BIT)
#define XR_REQ_F_ASYNC		BIT(XR_REQ_F_ASYNC_BIT)
#define XR_REQ_F_OWN_MM		BIT(XR_REQ_F_OWN_MM_BIT)
#define XR_REQ_F_OWN_CREDS	BIT(XR_REQ_F_OWN_CREDS_BIT)
#define XR_REQ_F_HASHED		BIT(XR_REQ_F_HASHED_BIT)
#define XR_REQ_F_REISSUE	BIT(XR_REQ_F_REISSUE_BIT)
#define XR_REQ_F_POLLED		BIT(XR_REQ_F_POLLED_BIT)
#define XR_REQ_F_TASK		BIT(XR_REQ_F_TASK_BIT)
#define XR_REQ_F_LTIMEOUT	BIT(XR_REQ_F_LTIMEOUT_BIT)
#define XR_REQ_F_LTIMEOUT_ARMED	BIT(XR_REQ_F_LTIMEOUT_ARMED_BIT)
#define XR_REQ_F_RW_INIT	BIT(XR_REQ_F_RW_INIT_BIT)

#define XR_REQ_F_BUFFER_SELECTED	BIT(XR_REQ_F_BUFFER_SELECTED_BIT)
#define XR_REQ_F_FIXED_BUF	BIT(XR_REQ_F_FIXED_BUF_BIT)
#define XR_REQ_F_IOPOLL		BIT(XR_REQ_F_IOPOLL_BIT)
#define XR_REQ_F_PERSONALITY	BIT(XR_REQ_F_PERSONALITY_BIT)
#define XR_REQ_F_UNBOUND	BIT(XR_REQ_F_UNBOUND_BIT)
#define XR_REQ_F_RING_FILE	BIT(XR_REQ_F_RING_FILE_BIT)
#define XR_REQ_F_OWN_PID	BIT(XR_REQ_F_OWN_PID_BIT)
#define XR_REQ_F_QUIET		BIT(XR_REQ_F_QUIET_BIT)

#define XR_REQ_F_LINK_FLAGS	(XURING_SQE_IO_LINK | XURING_SQE_IO_HARDLINK)

/*
 * State bits of a FAST_POLL wait. Whoever takes a request off ARMED owns it;
 * while ARMING is set, xr_poll_arm() still runs and finishes for the others.
 */
enum {
	XR_POLL_ARMED = BIT(0),		/* on the file's wait queue */
	XR_POLL_FIRED = BIT(1),		/* woken */
	XR_POLL_CANCELED = BIT(2),	/* taken off by cancellation */
	XR_POLL_ARMING = BIT(3),	/* xr_poll_arm() has not returned */
	XR_POLL_CANCEL_REQ = BIT(4),	/* canceled while arming */
};

/*
 * A request waiting for its file to become ready (XURING_FEAT_FAST_POLL).
 * Some files (pipes) wait on two queues; wait.private points at the request.
 */
struct xr_poll {
	struct {
		struct wait_queue_entry wait;
		/* NULL once off the queue; POLLFREE may take it away */
		struct wait_queue_head *head;
	} e[2];
	__poll_t events;
	__poll_t fired;			/* what the wakeup said was ready */
	atomic_t state;			/* XR_POLL_* */
};

/* Room each op family has for its own per-request state. */
#define XR_CMD_SIZE	72

struct xr_req {
	/* op-private state, see xr_req_cmd() */
	u64 cmd[XR_CMD_SIZE / sizeof(u64)];

	struct xr_ring_ctx *ctx;
	struct file *file;
	u64 user_data;
	u32 flags;			/* XR_REQ_F_* | sqe->flags */
	u8 opcode;
	u8 iopoll_done;			/* IOPOLL: the block layer is done */
	u16 buf_index;			/* sqe->buf_index, or buf_group */
	s32 res;
	u32 cflags;
	u32 seq;			/* submission order, for IO_DRAIN */
	/* iowq, IOPOLL list, drain and posted lists */
	struct list_head list;
	/* request cache, inline completion FIFO, locked_free */
	struct llist_node cache_node;
	struct xr_req *link;		/* next in its IO_LINK chain */
	union {
		struct xr_kbuf *kbuf;		/* XR_REQ_F_BUFFER_SELECTED */
		struct xr_buf_table *buf_table;	/* XR_REQ_F_FIXED_BUF */
	};

	/* For work done outside the submit call: who the submitter was. */
	struct mm_struct *mm;
	const struct cred *creds;
	fl_owner_t owner;		/* its fd table, compared only */
	struct pid *pid;		/* its thread group (process) */
	unsigned long fsize;		/* its RLIMIT_FSIZE */
	void *async_data;		/* op state saved for a retry */
	unsigned int hash;		/* XR_REQ_F_HASHED: iowq bucket */
	struct xr_poll poll;
	struct list_head poll_node;	/* on ctx->poll_list while armed */
	union {
		struct work_struct work;	/* deferred completion */
		struct callback_head task_work;	/* retry in the submitter */
	};
	/* submitter_only ops: the task whose fd table they act on */
	struct task_struct *task;
	/* XR_REQ_F_RING_FILE: the ring its fd names, held instead of the file */
	struct xr_ring_ctx *ring;
};

/* The op-private state of @req, as its op family's type. */
#define xr_req_cmd(req, type) ({					\
	BUILD_BUG_ON(sizeof(type) > sizeof((req)->cmd));		\
	(type *)(req)->cmd;						\
})

/* The request whose op-private state is @cmd. */
#define xr_cmd_to_req(p) \
	((struct xr_req *)((char *)(p) - offsetof(struct xr_req, cmd)))

/* How an issue handler is called. */
enum {
	/* must not block: return -EAGAIN instead, the core retries it */
	XR_ISSUE_F_NONBLOCK = BIT(0),
	/* in the submit call, uring_lock held */
	XR_ISSUE_F_INLINE = BIT(1),
};

/* What an issue handler returns, besides a negative errno. */
enum {
	XR_ISSUE_DONE = 0,	/* result set with xr_req_set_res() */
	/* completes later, through xr_req_complete_post() */
	XR_ISSUE_QUEUED = -EIOCBQUEUED,
};

#endif /* XR_TYPES_H */
