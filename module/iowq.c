// SPDX-License-Identifier: GPL-2.0
/*
 * The workers (the io-wq role): each ring has a pool, shared by rings set
 * up with XURING_SETUP_ATTACH_WQ. A worker is a work item on an unbound
 * workqueue that takes requests off its class's pending list until it is
 * empty. There are two classes, as io-wq has:
 *  - bound: at most min(SQ entries, 2 x CPUs) workers, for work that ends
 *    by itself (regular files, fsync, and the like);
 *  - unbound: at most XR_IOWQ_MAX_UNBOUND (and RLIMIT_NPROC) workers, for
 *    ops on pipes, sockets and devices, which may block for as long as
 *    their peer likes (a splice waiting for data). Were they bound, a few
 *    of them would hold every worker, and the request that would feed
 *    them could never run.
 *
 * Buffered writes carry a hash of their inode: two requests with the same
 * hash never run at once, so writers to one file are serialised, and those
 * writes take at most one worker per file.
 *
 * Each user's workers are the work items of a workqueue of that user's own:
 * a workqueue runs at most max_active items at once, and one user's
 * blocked workers (splices of pipes nobody writes to) must not keep
 * another user's from running.
 */
#include <linux/bitmap.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "core.h"
#include "iowq.h"

#define XR_IOWQ_HASH_BUCKETS	BIT(XR_IOWQ_HASH_BITS)

/* Unbound workers per pool at most (io-wq's limit is RLIMIT_NPROC). */
#define XR_IOWQ_MAX_UNBOUND	64

enum {
	XR_IOWQ_BOUND,
	XR_IOWQ_UNBOUND,
	XR_IOWQ_CLASSES,
};

struct xr_iowq_worker {
	struct work_struct work;
	struct xr_iowq *wq;
	struct list_head node;		/* on wq->idle or wq->busy */
	/* the request it runs, for cancellation to recognise */
	struct xr_ring_ctx *cur_ctx;
	u64 cur_user_data;
	fl_owner_t cur_owner;
	struct pid *cur_pid;
	struct task_struct *task;	/* the kworker running it */
	bool interrupted;		/* TIF_SIGPENDING set by a cancel */
	u8 class;			/* XR_IOWQ_BOUND or _UNBOUND */
};

/* The workqueue of one user's pools. */
struct xr_iowq_user {
	struct hlist_node node;
	kuid_t uid;
	unsigned int pools;		/* under xr_iowq_users_lock */
	struct workqueue_struct *wq;
};

static DEFINE_HASHTABLE(xr_iowq_users, 6);
static DEFINE_MUTEX(xr_iowq_users_lock);

struct xr_iowq {
	refcount_t refs;		/* one per ring using it */
	struct xr_iowq_user *user;	/* whose workqueue runs the workers */
	spinlock_t lock;		/* everything below */
	/* per class: requests waiting, and the workers waiting for them */
	struct list_head pending[XR_IOWQ_CLASSES];
	struct list_head idle[XR_IOWQ_CLASSES];
	struct list_head busy;
	DECLARE_BITMAP(hash_busy, XR_IOWQ_HASH_BUCKETS);
	unsigned int nr_workers;
	struct xr_iowq_worker workers[];
};

static unsigned int xr_iowq_class(const struct xr_req *req)
{
	return req->flags & XR_REQ_F_UNBOUND ? XR_IOWQ_UNBOUND : XR_IOWQ_BOUND;
}

/* The first pending request of @class that may run now; its hash is taken. */
static struct xr_req *xr_iowq_next(struct xr_iowq *wq, unsigned int class)
	__must_hold(&wq->lock)
{
	struct xr_req *req;

	lockdep_assert_held(&wq->lock);
	list_for_each_entry(req, &wq->pending[class], list) {
		if (req->flags & XR_REQ_F_HASHED) {
			if (test_bit(req->hash, wq->hash_busy))
				continue;
			__set_bit(req->hash, wq->hash_busy);
		}
		list_del(&req->list);
		return req;
	}
	return NULL;
}

static void xr_iowq_worker_fn(struct work_struct *work)
{
	struct xr_iowq_worker *w = container_of(work, struct xr_iowq_worker,
						 work);
	struct xr_iowq *wq = w->wq;
	struct xr_req *req;

	spin_lock_irq(&wq->lock);
	while ((req = xr_iowq_next(wq, w->class))) {
		bool hashed = req->flags & XR_REQ_F_HASHED;
		unsigned int hash = req->hash;

		w->cur_ctx = req->ctx;
		w->cur_user_data = req->user_data;
		w->cur_owner = req->owner;
		w->cur_pid = req->pid;
		w->task = current;
		spin_unlock_irq(&wq->lock);

		/* @req may be gone once this returns */
		xr_run_async(req);
		cond_resched();

		spin_lock_irq(&wq->lock);
		w->cur_ctx = NULL;
		if (w->interrupted) {
			/* that was for the request that just finished */
			flush_signals(current);
			w->interrupted = false;
		}
		if (hashed)
			__clear_bit(hash, wq->hash_busy);
	}
	list_move(&w->node, &wq->idle[w->class]);
	spin_unlock_irq(&wq->lock);
}

/* The workqueue for @uid's pools, made with its first pool. */
static struct xr_iowq_user *xr_iowq_user_get(kuid_t uid)
{
	struct xr_iowq_user *u;

	mutex_lock(&xr_iowq_users_lock);
	hash_for_each_possible(xr_iowq_users, u, node, __kuid_val(uid))
		if (uid_eq(u->uid, uid))
			goto found;
	u = kzalloc(sizeof(*u), GFP_KERNEL_ACCOUNT);
	if (!u)
		goto out;
	/* every worker of the user's may block at once: as many as it can */
	u->wq = alloc_workqueue("xuring-iowq-%u", WQ_UNBOUND,
				WQ_UNBOUND_MAX_ACTIVE, __kuid_val(uid));
	if (!u->wq) {
		kfree(u);
		u = NULL;
		goto out;
	}
	u->uid = uid;
	hash_add(xr_iowq_users, &u->node, __kuid_val(uid));
found:
	u->pools++;
out:
	mutex_unlock(&xr_iowq_users_lock);
	return u;
}

/* A pool is gone, its workers done; the last one takes the workqueue. */
static void xr_iowq_user_put(struct xr_iowq_user *u)
{
	mutex_lock(&xr_iowq_users_lock);
	if (--u->pools)
		u = NULL;
	else
		hash_del(&u->node);
	mutex_unlock(&xr_iowq_users_lock);
	if (u) {
		destroy_workqueue(u->wq);
		kfree(u);
	}
}

/*
 * A pool of @bound bound workers, and of unbound ones as many as the
 * creating task's RLIMIT_NPROC allows, up to XR_IOWQ_MAX_UNBOUND.
 */
struct xr_iowq *xr_iowq_create(unsigned int bound)
{
	unsigned int unbound = clamp_t(unsigned long, rlimit(RLIMIT_NPROC), 1,
				       XR_IOWQ_MAX_UNBOUND);
	unsigned int i, c, nr = bound + unbound;
	struct xr_iowq *wq;

	wq = kvzalloc(struct_size(wq, workers, nr), GFP_KERNEL_ACCOUNT);
	if (!wq)
		return NULL;
	wq->user = xr_iowq_user_get(current_uid());
	if (!wq->user) {
		kvfree(wq);
		return NULL;
	}
	refcount_set(&wq->refs, 1);
	spin_lock_init(&wq->lock);
	for (c = 0; c < XR_IOWQ_CLASSES; c++) {
		INIT_LIST_HEAD(&wq->pending[c]);
		INIT_LIST_HEAD(&wq->idle[c]);
	}
	INIT_LIST_HEAD(&wq->busy);
	wq->nr_workers = nr;
	for (i = 0; i < nr; i++) {
		struct xr_iowq_worker *w = &wq->workers[i];

		INIT_WORK(&w->work, xr_iowq_worker_fn);
		w->wq = wq;
		w->class = i < bound ? XR_IOWQ_BOUND : XR_IOWQ_UNBOUND;
		list_add_tail(&w->node, &wq->idle[w->class]);
	}
	return wq;
}

void xr_iowq_get(struct xr_iowq *wq)
{
	refcount_inc(&wq->refs);
}

/* The last ring is gone, so no request is left: wait for workers to return. */
void xr_iowq_put(struct xr_iowq *wq)
{
	unsigned int i;

	if (!refcount_dec_and_test(&wq->refs))
		return;
	WARN_ON_ONCE(!list_empty(&wq->pending[XR_IOWQ_BOUND]) ||
		     !list_empty(&wq->pending[XR_IOWQ_UNBOUND]));
	for (i = 0; i < wq->nr_workers; i++)
		flush_work(&wq->workers[i].work);
	xr_iowq_user_put(wq->user);
	kvfree(wq);
}

/* Queue @req for a worker; any context. */
void xr_iowq_enqueue(struct xr_iowq *wq, struct xr_req *req)
{
	unsigned int class = xr_iowq_class(req);
	struct xr_iowq_worker *w;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	list_add_tail(&req->list, &wq->pending[class]);
	w = list_first_entry_or_null(&wq->idle[class], struct xr_iowq_worker,
				     node);
	/*
	 * Queued under the lock: once it is dropped, another worker may run
	 * @req to its end, the last ring put free the pool, and xr_iowq_put()
	 * flush only the work items queued by then.
	 */
	if (w) {
		list_move(&w->node, &wq->busy);
		queue_work(wq->user->wq, &w->work);
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

/* What xr_iowq_cancel() looks for. */
struct xr_iowq_target {
	struct xr_ring_ctx *ctx;
	u64 user_data;
	bool all;		/* every request, not only @user_data's */
	fl_owner_t owner;	/* only the ones from this fd table, or any */
	struct pid *pid;	/* only the ones this process submitted, or any */
};

static bool xr_iowq_match(const struct xr_iowq_target *t,
			  struct xr_ring_ctx *ctx, u64 user_data,
			  fl_owner_t owner, struct pid *pid)
{
	return ctx == t->ctx && (t->all || user_data == t->user_data) &&
	       (!t->owner || owner == t->owner) && (!t->pid || pid == t->pid);
}

/*
 * Interrupt a running request, as io-wq signals its worker. A kworker
 * never delivers signals: a pending one ends interruptible waits, and a
 * pending SIGKILL (@fatal) killable ones too, as the SIGKILL of an exiting
 * process ends its io-wq threads' waits. The worker flushes them when the
 * request returns (under wq->lock, so never for the next one).
 */
static void xr_iowq_interrupt(struct xr_iowq_worker *w, bool fatal)
	__must_hold(&w->wq->lock)
{
	/* it runs a request of ours, under wq->lock: it and its sighand stay */
	struct sighand_struct *sighand =
		rcu_dereference_protected(w->task->sighand, true);
	unsigned long flags;

	spin_lock_irqsave(&sighand->siglock, flags);
	if (fatal)
		sigaddset(&w->task->pending.signal, SIGKILL);
	set_tsk_thread_flag(w->task, TIF_SIGPENDING);
	spin_unlock_irqrestore(&sighand->siglock, flags);
	w->interrupted = true;
	wake_up_process(w->task);
}

/*
 * Cancel @ctx's requests with @user_data (or all of them, or all that the
 * fd table @owner or the process @pid submitted, for an exit or the end of
 * the ring, which also ends killable waits): pending ones complete with -ECANCELED and 0 is
 * returned; -EALREADY when it is running, -ENOENT when the pool does not
 * have it.
 */
int xr_iowq_cancel(struct xr_iowq *wq, struct xr_ring_ctx *ctx,
		   u64 user_data, bool all, fl_owner_t owner, struct pid *pid)
{
	const struct xr_iowq_target t = {
		.ctx = ctx, .user_data = user_data, .all = all, .owner = owner,
		.pid = pid,
	};
	struct xr_iowq_worker *w;
	struct xr_req *req, *tmp;
	LIST_HEAD(canceled);
	int ret = -ENOENT;
	unsigned int c;

	spin_lock_irq(&wq->lock);
	for (c = 0; c < XR_IOWQ_CLASSES && (all || ret); c++) {
		list_for_each_entry_safe(req, tmp, &wq->pending[c], list) {
			if (!xr_iowq_match(&t, req->ctx, req->user_data,
					   req->owner, req->pid))
				continue;
			list_move_tail(&req->list, &canceled);
			ret = 0;
			if (!all)
				break;
		}
	}
	if (ret == -ENOENT || all) {
		list_for_each_entry(w, &wq->busy, node) {
			if (xr_iowq_match(&t, w->cur_ctx, w->cur_user_data,
					  w->cur_owner, w->cur_pid)) {
				xr_iowq_interrupt(w, all);
				if (all)
					continue;
				ret = -EALREADY;
				break;
			}
		}
	}
	spin_unlock_irq(&wq->lock);

	list_for_each_entry_safe(req, tmp, &canceled, list)
		xr_req_cancel_queued(req);
	return ret;
}

/* How many of a ring's waiting and running requests fdinfo names. */
#define XR_IOWQ_SHOW_MAX	8

struct xr_iowq_class_state {
	unsigned int pending, active, workers;
	unsigned int nr_mine;		/* @ctx's pending ones, named below */
	u64 mine[XR_IOWQ_SHOW_MAX];
};

/*
 * For fdinfo: per class, the requests waiting for a worker and the workers
 * at work, the ring's own by user_data (the first few), and then the ring's
 * requests the workers run. A snapshot taken under the pool's lock, printed
 * after it.
 */
void xr_iowq_show(struct seq_file *m, struct xr_iowq *wq,
		  struct xr_ring_ctx *ctx)
{
	static const char *const names[XR_IOWQ_CLASSES] = {
		[XR_IOWQ_BOUND] = "Bound", [XR_IOWQ_UNBOUND] = "Unbound",
	};
	struct xr_iowq_class_state st[XR_IOWQ_CLASSES] = {};
	unsigned int c, i, nr_running = 0;
	u64 running[XR_IOWQ_SHOW_MAX];
	struct xr_iowq_worker *w;
	struct xr_req *req;

	spin_lock_irq(&wq->lock);
	for (c = 0; c < XR_IOWQ_CLASSES; c++) {
		list_for_each_entry(req, &wq->pending[c], list) {
			st[c].pending++;
			if (req->ctx == ctx && st[c].nr_mine < XR_IOWQ_SHOW_MAX)
				st[c].mine[st[c].nr_mine++] = req->user_data;
		}
	}
	list_for_each_entry(w, &wq->busy, node) {
		st[w->class].active++;
		if (w->cur_ctx == ctx && nr_running < XR_IOWQ_SHOW_MAX)
			running[nr_running++] = w->cur_user_data;
	}
	for (i = 0; i < wq->nr_workers; i++)
		st[wq->workers[i].class].workers++;
	spin_unlock_irq(&wq->lock);

	for (c = 0; c < XR_IOWQ_CLASSES; c++) {
		seq_printf(m, "Iowq%s:	pending %u, workers %u of %u, waiting:",
			   names[c], st[c].pending, st[c].active,
			   st[c].workers);
		for (i = 0; i < st[c].nr_mine; i++)
			seq_printf(m, " %llu", st[c].mine[i]);
		seq_putc(m, '\n');
	}
	seq_puts(m, "IowqRunning:");
	for (i = 0; i < nr_running; i++)
		seq_printf(m, " %llu", running[i]);
	seq_putc(m, '\n');
}

/* Module unload: every ring, and so every pool and workqueue, is gone. */
void xr_iowq_exit(void)
{
	WARN_ON_ONCE(!hash_empty(xr_iowq_users));
}
