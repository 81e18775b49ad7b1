// SPDX-License-Identifier: MIT
/*
 * xuring-bench: the same workload through xuring, native io_uring
 * (liburing), libaio and psync, with the same parameters; every op is
 * checked, and a run that failed is never reported with numbers.
 *
 *   xuring-bench [-b BACKENDS] [-w WORKLOAD] [-d QD[,QD...]] [-B BATCH]
 *                [-P] [-S] [-F] [-X] [-t SECS | -n OPS] [-f PATH]
 *                [-s MIB] [-r REPS] [-L] [--csv FILE] [--plot PNG]
 *   xuring-bench --matrix [-r REPS] [-t SECS] [--csv FILE] [--summary-csv FILE]
 *   xuring-bench --plot-from CSV --plot PNG
 * See usage() and tools/README.md.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"

static const char *prog = "xuring-bench";

/* --- backends and workloads ---------------------------------------------- */

struct backend {
	const char *name;
	int (*run)(const struct bench_cfg *cfg, struct bench_result *res);
};

static const struct backend backends[] = {
	{ "xuring",	bench_ring_xuring },
	{ "io_uring",	bench_ring_io_uring },
	{ "libaio",	bench_libaio },
	{ "psync",	bench_psync },
};
#define NR_BACKENDS	(sizeof(backends) / sizeof(backends[0]))

static const char *const wl_names[] = {
	[WL_NOP] = "nop", [WL_RANDREAD] = "randread",
	[WL_RANDWRITE] = "randwrite", [WL_BUFREAD] = "bufread",
};

/* The standard matrix of `make bench`. */
struct mrow {
	const char *label;
	enum bench_workload wl;
	unsigned int qd, batch;
	bool iopoll, sqpoll;
	bool skip_cqes;
};

static const struct mrow matrix[] = {
	{ "nop batch 32",		WL_NOP,      32, 32, false, false, false },
	{ "nop batch 32 CQE_SKIP",	WL_NOP,      32, 32, false, false, true  },
	{ "randread QD1 irq",		WL_RANDREAD,  1,  1, false, false, false },
	{ "randread QD32 irq",		WL_RANDREAD, 32,  8, false, false, false },
	{ "randread QD32 IOPOLL",	WL_RANDREAD, 32,  8, true,  false, false },
	{ "randread QD32 SQPOLL",	WL_RANDREAD, 32,  8, false, true,  false },
	{ "bufread QD32",		WL_BUFREAD,  32,  8, false, false, false },
};
#define NR_MROWS	(sizeof(matrix) / sizeof(matrix[0]))

/* --- options ------------------------------------------------------------- */

static struct {
	unsigned int backends;		/* bit per backends[] entry */
	enum bench_workload wl;
	unsigned int qds[16], nqds;
	unsigned int batch;		/* 0: the default for the depth */
	bool iopoll, sqpoll, fixed_files, fixed_bufs, lat;
	double secs;
	uint64_t ops;
	const char *path;
	unsigned int region_mib;
	unsigned int reps;
	const char *csv, *summary_csv, *plot, *plot_from;
	bool matrix;
	bool quiet;
} opt = {
	.backends = (1U << NR_BACKENDS) - 1,
	.wl = WL_RANDREAD,
	.secs = 3,
	.region_mib = 64,
	.reps = 1,
	.lat = true,
};

static void usage(FILE *f)
{
	fprintf(f,
"usage: %s [options]            one workload, the chosen backends\n"
"       %s --matrix [-r N] [-t S] the standard matrix (make bench)\n"
"       %s --plot-from CSV --plot PNG\n"
"  -b LIST     backends: xuring,io_uring,libaio,psync (default all)\n"
"  -w NAME     nop | randread | randwrite | bufread (default randread)\n"
"  -d QD[,QD]  queue depth(s) (default 32; psync: threads)\n"
"  -B N        ops per submit call and completions per wait\n"
"              (default: QD for nop, QD/4 for the rest)\n"
"  -P          polled completions (IOPOLL; psync: RWF_HIPRI)\n"
"  -S          SQPOLL (ring backends; registers the file)\n"
"  -F          registered (fixed) file\n"
"  -X          registered (fixed) buffers\n"
"  -t SECS     run each case this long (default 3)\n"
"  -n OPS      or run this many ops\n"
"  -f PATH     device or file (randread/randwrite: $XURING_NULLB, else\n"
"              /dev/nullb0; bufread: a new file in $TMPDIR)\n"
"  -s MIB      region of PATH used (default 64)\n"
"  -r N        repetitions (matrix default 3); the median is reported\n"
"  -L          no latency measurement\n"
"  -q          no per-run lines\n"
"  --csv FILE          every run as CSV ('-': stdout)\n"
"  --summary-csv FILE  the matrix summary as CSV\n"
"  --plot PNG          IOPS against queue depth per backend (gnuplot)\n"
"  --plot-from CSV     ... from a --csv file written before\n"
"Unsupported combinations are reported as such; a failed check fails the\n"
"run (exit 1) and its numbers are not shown.\n",
		prog, prog, prog);
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static unsigned int parse_backends(const char *s)
{
	unsigned int mask = 0, i;
	char *dup = strdup(s), *tok, *save = NULL;

	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NR_BACKENDS; i++)
			if (!strcmp(tok, backends[i].name))
				break;
		if (i == NR_BACKENDS)
			die("unknown backend '%s'", tok);
		mask |= 1U << i;
	}
	free(dup);
	return mask;
}

static void parse_qds(const char *s)
{
	char *dup = strdup(s), *tok, *save = NULL;

	opt.nqds = 0;
	for (tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v = strtoul(tok, NULL, 0);

		if (!v || v > BENCH_MAX_QD)
			die("queue depth '%s' not in 1..%u", tok, BENCH_MAX_QD);
		if (opt.nqds == sizeof(opt.qds) / sizeof(opt.qds[0]))
			die("too many queue depths");
		opt.qds[opt.nqds++] = (unsigned int)v;
	}
	free(dup);
}

/* --- the file or device a workload uses ---------------------------------- */

struct target {
	int fd;
	uint64_t nblocks;
	uint32_t *tags;
	uint32_t next_tag;
	const char *path;
};

static struct target targets[4];	/* by workload; fd 0 = not open */
static char *made_files[4];

static void remove_made_files(void)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (made_files[i])
			unlink(made_files[i]);
}

/* Stamp every block of the region with tag 1 and remember it. */
static void prefill(struct target *t)
{
	const unsigned int chunk = 256;	/* blocks per write: 1 MiB */
	char *buf = bench_alloc_bufs(chunk);
	uint64_t b, i;

	if (!buf)
		die("out of memory");
	for (b = 0; b < t->nblocks; b += chunk) {
		uint64_t n = t->nblocks - b < chunk ? t->nblocks - b : chunk;
		size_t len = (size_t)n * BENCH_BS, done = 0;

		for (i = 0; i < n; i++)
			bench_stamp(buf + i * BENCH_BS, b + i, 1);
		while (done < len) {
			ssize_t w = pwrite(t->fd, buf + done, len - done,
					   (off_t)(b * BENCH_BS + done));

			if (w <= 0)
				die("%s: writing the region: %s", t->path,
				    w < 0 ? strerror(errno) : "short write");
			done += (size_t)w;
		}
		for (i = 0; i < n; i++)
			t->tags[b + i] = 1;
	}
	free(buf);
	t->next_tag = 2;
}

/* Read the whole region back and check every block's stamp. */
static bool verify_region(struct target *t, char *err, size_t errlen)
{
	const unsigned int chunk = 256;
	char *buf = bench_alloc_bufs(chunk);
	uint64_t b, i;
	bool ok = true;

	if (!buf)
		die("out of memory");
	for (b = 0; b < t->nblocks && ok; b += chunk) {
		uint64_t n = t->nblocks - b < chunk ? t->nblocks - b : chunk;
		ssize_t r = pread(t->fd, buf, (size_t)n * BENCH_BS,
				  (off_t)(b * BENCH_BS));

		if (r != (ssize_t)(n * BENCH_BS)) {
			snprintf(err, errlen, "reading back blocks at %llu: %s",
				 (unsigned long long)b,
				 r < 0 ? strerror(errno) : "short read");
			ok = false;
			break;
		}
		for (i = 0; i < n; i++) {
			if (!bench_stamp_ok(buf + i * BENCH_BS, b + i, t->tags[b + i])) {
				snprintf(err, errlen, "block %llu read back "
					 "without the stamp of its last write",
					 (unsigned long long)(b + i));
				ok = false;
				break;
			}
		}
	}
	free(buf);
	return ok;
}

static struct target *get_target(enum bench_workload wl)
{
	struct target *t = &targets[wl];
	uint64_t size = 0, region = (uint64_t)opt.region_mib << 20;
	struct stat st;
	const char *path = opt.path;
	int flags = O_RDWR;

	if (wl == WL_NOP || t->tags)
		return t;
	if (wl == WL_BUFREAD) {
		if (!path) {
			const char *dir = getenv("TMPDIR");
			char *p;

			if (asprintf(&p, "%s/xuring-bench.%d.dat",
				     dir ? dir : "/tmp", (int)getpid()) < 0)
				die("out of memory");
			made_files[wl] = p;
			path = p;
			flags |= O_TRUNC;
		}
		flags |= O_CREAT;
	} else {
		flags |= O_DIRECT;
		if (path)
			flags |= O_CREAT;	/* a file of the user's */
		if (!path)
			path = getenv("XURING_NULLB");
		if (!path)
			path = "/dev/nullb0";
	}
	t->path = path;
	t->fd = open(path, flags, 0600);
	if (t->fd < 0)
		die("%s: %s", path, strerror(errno));
	if (fstat(t->fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	if (S_ISBLK(st.st_mode)) {
		if (ioctl(t->fd, BLKGETSIZE64, &size) < 0)
			die("%s: BLKGETSIZE64: %s", path, strerror(errno));
	} else if (S_ISREG(st.st_mode)) {
		size = (uint64_t)st.st_size;
		if (size < region) {
			if (ftruncate(t->fd, (off_t)region) < 0)
				die("%s: %s", path, strerror(errno));
			size = region;
		}
	} else {
		die("%s: not a block device or regular file", path);
	}
	if (size > region)
		size = region;
	t->nblocks = size / BENCH_BS;
	if (t->nblocks < BENCH_MAX_QD)
		die("%s: region too small (%llu blocks)", path,
		    (unsigned long long)t->nblocks);
	t->tags = calloc(t->nblocks, sizeof(*t->tags));
	if (!t->tags)
		die("out of memory");
	prefill(t);
	if (wl == WL_BUFREAD) {
		char err[256];

		/* Reading it all once both checks it and caches it. */
		if (!verify_region(t, err, sizeof(err)))
			die("%s: %s", path, err);
	}
	return t;
}

/* --- running and reporting ----------------------------------------------- */

struct run {
	const char *label;
	const char *backend;
	struct bench_cfg cfg;
	unsigned int rep;
	int status;
	struct bench_result res;
	double iops, per_submit, p50, p99;
};

static FILE *csv;

static void csv_header(FILE *f)
{
	fprintf(f, "label,workload,backend,qd,batch,iopoll,sqpoll,fixed_files,"
		   "fixed_bufs,rep,status,ops,secs,iops,ops_per_submit,p50_us,"
		   "p99_us,note\n");
}

static const char *status_name(int status)
{
	return status == BENCH_OK ? "ok" :
	       status == BENCH_UNSUPPORTED ? "unsupported" : "failed";
}

static void csv_run(const struct run *r)
{
	const char *note = r->status == BENCH_UNSUPPORTED ? r->res.unsupported :
			   r->status == BENCH_FAILED ? r->res.error : "";
	char clean[256];
	size_t i;

	if (!csv)
		return;
	/* the note is free text: no commas or quotes in a CSV field */
	for (i = 0; note[i] && i < sizeof(clean) - 1; i++)
		clean[i] = (note[i] == ',' || note[i] == '"') ? ';' : note[i];
	clean[i] = 0;
	fprintf(csv, "%s,%s,%s,%u,%u,%d,%d,%d,%d,%u,%s,", r->label,
		wl_names[r->cfg.wl], r->backend, r->cfg.qd, r->cfg.batch,
		r->cfg.iopoll, r->cfg.sqpoll, r->cfg.fixed_files,
		r->cfg.fixed_bufs, r->rep, status_name(r->status));
	if (r->status == BENCH_OK)
		fprintf(csv, "%llu,%.3f,%.0f,%.2f,%.1f,%.1f,%s\n",
			(unsigned long long)r->res.ops, r->res.secs, r->iops,
			r->per_submit, r->p50, r->p99, clean);
	else
		fprintf(csv, ",,,,,,%s\n", clean);
	fflush(csv);
}

static void print_run(const struct run *r)
{
	if (opt.quiet)
		return;
	printf("  %-22s %-9s rep %u: ", r->label, r->backend, r->rep);
	if (r->status == BENCH_OK) {
		printf("%9.0f IOPS  %5.1f ops/submit", r->iops, r->per_submit);
		if (r->p50 >= 0)
			printf("  p50 %.1f us  p99 %.1f us", r->p50, r->p99);
		printf("\n");
	} else if (r->status == BENCH_UNSUPPORTED) {
		printf("unsupported: %s\n", r->res.unsupported);
	} else {
		printf("FAILED: %s\n", r->res.error);
	}
	fflush(stdout);
}

/* Run one case; a failed run gets its cause and no numbers. */
static void do_run(struct run *r, unsigned int backend)
{
	struct target *t = get_target(r->cfg.wl);
	static uint64_t seed = 0x5eed;

	r->backend = backends[backend].name;
	r->cfg.fd = t->fd;
	r->cfg.nblocks = t->nblocks;
	r->cfg.tags = t->tags;
	r->cfg.write_tag = t->next_tag++;
	r->cfg.seed = seed += 0x9E3779B97F4A7C15ULL;
	r->cfg.lat = opt.lat && r->cfg.wl != WL_NOP;
	memset(&r->res, 0, sizeof(r->res));
	r->status = backends[backend].run(&r->cfg, &r->res);
	if (r->status == BENCH_OK && r->cfg.wl == WL_RANDWRITE &&
	    !verify_region(t, r->res.error, sizeof(r->res.error)))
		r->status = BENCH_FAILED;
	if (r->status == BENCH_OK && (!r->res.ops || r->res.secs <= 0)) {
		snprintf(r->res.error, sizeof(r->res.error), "no ops completed");
		r->status = BENCH_FAILED;
	}
	if (r->status == BENCH_OK) {
		r->iops = (double)r->res.ops / r->res.secs;
		r->per_submit = r->res.submits ?
				(double)r->res.ops / (double)r->res.submits : 0;
		r->p50 = bench_lat_pct_us(&r->res.lat, 50);
		r->p99 = bench_lat_pct_us(&r->res.lat, 99);
	}
	print_run(r);
	csv_run(r);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One backend's runs of one case, summarised. */
struct cell {
	int status;		/* FAILED if any rep failed, UNSUPPORTED ... */
	char note[256];
	unsigned int n;
	double iops[32], per_submit[32], p50[32], p99[32];
	double med, min, max, med_per_submit, med_p50, med_p99;
};

static void cell_add(struct cell *c, const struct run *r)
{
	if (r->status == BENCH_FAILED) {
		c->status = BENCH_FAILED;
		snprintf(c->note, sizeof(c->note), "%s", r->res.error);
		return;
	}
	if (r->status == BENCH_UNSUPPORTED) {
		if (c->status != BENCH_FAILED)
			c->status = BENCH_UNSUPPORTED;
		snprintf(c->note, sizeof(c->note), "%s", r->res.unsupported);
		return;
	}
	if (c->n < 32) {
		c->iops[c->n] = r->iops;
		c->per_submit[c->n] = r->per_submit;
		c->p50[c->n] = r->p50;
		c->p99[c->n] = r->p99;
		c->n++;
	}
}

static void cell_finish(struct cell *c)
{
	unsigned int i;

	if (c->status != BENCH_OK || !c->n)
		return;
	c->min = c->max = c->iops[0];
	for (i = 1; i < c->n; i++) {
		if (c->iops[i] < c->min)
			c->min = c->iops[i];
		if (c->iops[i] > c->max)
			c->max = c->iops[i];
	}
	c->med = median(c->iops, c->n);
	c->med_per_submit = median(c->per_submit, c->n);
	c->med_p50 = median(c->p50, c->n);
	c->med_p99 = median(c->p99, c->n);
}

static const char *fmt_iops(char *buf, size_t len, double v)
{
	if (v >= 1e6)
		snprintf(buf, len, "%.2fM", v / 1e6);
	else if (v >= 1e4)
		snprintf(buf, len, "%.1fk", v / 1e3);
	else
		snprintf(buf, len, "%.0f", v);
	return buf;
}

static void print_cell_line(const char *label, const char *backend,
			    const struct cell *c)
{
	char a[16], b[16], m[16];

	printf("%-22s %-9s ", label, backend);
	if (c->status == BENCH_FAILED) {
		printf("FAILED: %s\n", c->note);
	} else if (c->status == BENCH_UNSUPPORTED) {
		printf("unsupported: %s\n", c->note);
	} else if (!c->n) {
		printf("-\n");
	} else {
		printf("%9s", fmt_iops(m, sizeof(m), c->med));
		if (c->n > 1)
			printf(" [%s - %s]", fmt_iops(a, sizeof(a), c->min),
			       fmt_iops(b, sizeof(b), c->max));
		printf("  %5.1f ops/submit", c->med_per_submit);
		if (c->med_p50 >= 0)
			printf("  p50 %.1f us  p99 %.1f us", c->med_p50, c->med_p99);
		printf("\n");
	}
}

static void print_header(void)
{
	struct utsname u;
	time_t now = time(NULL);
	char date[64];

	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	printf("# xuring-bench %s on %s %s, %ld CPUs\n", date, u.sysname,
	       u.release, sysconf(_SC_NPROCESSORS_ONLN));
}

/*
 * The backend that runs k-th in repetition @rep. The order flips every
 * repetition: whatever the run before leaves behind (a warm or a busy
 * machine, the host's own load) does not always favour the same backend.
 */
static unsigned int backend_at(unsigned int rep, unsigned int k)
{
	return rep % 2 ? k : NR_BACKENDS - 1 - k;
}

/* --- the matrix ---------------------------------------------------------- */

static int run_matrix(void)
{
	static struct cell cells[NR_MROWS][NR_BACKENDS];
	FILE *sum = NULL;
	unsigned int rep, i, b, k;
	int failed = 0;

	print_header();
	printf("# standard matrix: %u repetitions of %.1f s each; median "
	       "[min - max] IOPS\n", opt.reps, opt.secs);
	/* Repetitions interleave the backends, so slow drift in the
	 * machine's load spreads over all of them. */
	for (rep = 1; rep <= opt.reps; rep++) {
		for (i = 0; i < NR_MROWS; i++) {
			for (k = 0; k < NR_BACKENDS; k++) {
				struct run r = { 0 };

				b = backend_at(rep, k);
				if (!(opt.backends & (1U << b)))
					continue;
				r.label = matrix[i].label;
				r.rep = rep;
				r.cfg.wl = matrix[i].wl;
				r.cfg.qd = matrix[i].qd;
				r.cfg.batch = matrix[i].batch;
				r.cfg.iopoll = matrix[i].iopoll;
				r.cfg.sqpoll = matrix[i].sqpoll;
				r.cfg.skip_cqes = matrix[i].skip_cqes;
				r.cfg.secs = opt.secs;
				r.cfg.ops = opt.ops;
				do_run(&r, b);
				cell_add(&cells[i][b], &r);
			}
		}
	}

	printf("\n# per backend\n");
	for (i = 0; i < NR_MROWS; i++) {
		for (b = 0; b < NR_BACKENDS; b++) {
			if (!(opt.backends & (1U << b)))
				continue;
			cell_finish(&cells[i][b]);
			print_cell_line(matrix[i].label, backends[b].name,
					&cells[i][b]);
			if (cells[i][b].status == BENCH_FAILED)
				failed = 1;
		}
	}

	if (opt.summary_csv) {
		sum = strcmp(opt.summary_csv, "-") ? fopen(opt.summary_csv, "w") : stdout;
		if (!sum)
			die("%s: %s", opt.summary_csv, strerror(errno));
		fprintf(sum, "row,backend,status,iops_median,iops_min,iops_max,"
			     "ops_per_submit,p50_us,p99_us,xuring_ratio,note\n");
	}
	printf("\n# median IOPS, and xuring's median over each other backend's\n");
	printf("%-22s %9s %9s %9s %9s  %11s %9s %9s\n", "row", "xuring",
	       "io_uring", "libaio", "psync", "xu/io_uring", "xu/libaio",
	       "xu/psync");
	for (i = 0; i < NR_MROWS; i++) {
		const struct cell *xu = &cells[i][0];
		char m[16];

		printf("%-22s", matrix[i].label);
		for (b = 0; b < NR_BACKENDS; b++) {
			const struct cell *c = &cells[i][b];

			if (!(opt.backends & (1U << b)))
				printf(" %9s", "-");
			else if (c->status == BENCH_FAILED)
				printf(" %9s", "FAILED");
			else if (c->status == BENCH_UNSUPPORTED)
				printf(" %9s", "unsupp.");
			else
				printf(" %9s", c->n ? fmt_iops(m, sizeof(m), c->med) : "-");
		}
		printf(" ");
		for (b = 1; b < NR_BACKENDS; b++) {
			const struct cell *c = &cells[i][b];
			bool ok = (opt.backends & 1) && (opt.backends & (1U << b)) &&
				  xu->status == BENCH_OK && xu->n &&
				  c->status == BENCH_OK && c->n && c->med > 0;

			if (ok)
				printf(" %*.2f", b == 1 ? 11 : 9, xu->med / c->med);
			else
				printf(" %*s", b == 1 ? 11 : 9, "n/a");
		}
		printf("\n");
		for (b = 0; sum && b < NR_BACKENDS; b++) {
			const struct cell *c = &cells[i][b];

			if (!(opt.backends & (1U << b)))
				continue;
			fprintf(sum, "%s,%s,%s,", matrix[i].label, backends[b].name,
				status_name(c->status));
			if (c->status == BENCH_OK && c->n)
				fprintf(sum, "%.0f,%.0f,%.0f,%.2f,%.1f,%.1f,",
					c->med, c->min, c->max, c->med_per_submit,
					c->med_p50, c->med_p99);
			else
				fprintf(sum, ",,,,,,");
			if (b && xu->status == BENCH_OK && xu->n &&
			    c->status == BENCH_OK && c->n && c->med > 0)
				fprintf(sum, "%.3f,", xu->med / c->med);
			else
				fprintf(sum, ",");
			for (const char *p = c->note; *p; p++)
				fputc(*p == ',' ? ';' : *p, sum);
			fputc('\n', sum);
		}
	}
	printf("# unsupp.: the backend cannot run that case (see the lines above);\n"
	       "# n/a: no ratio. Measurements on a shared or emulated machine are noisy.\n");
	if (sum && sum != stdout)
		fclose(sum);
	if (failed)
		printf("# at least one run FAILED its checks: its numbers are not reported\n");
	return failed;
}

/* --- one workload, one or more depths ------------------------------------ */

static int run_single(void)
{
	unsigned int q, b, k, rep;
	int failed = 0;

	print_header();
	printf("# %s, batch %s, %s%s%s%s, %s\n", wl_names[opt.wl],
	       opt.batch ? "fixed" : "default", opt.iopoll ? "IOPOLL" : "irq",
	       opt.sqpoll ? " SQPOLL" : "", opt.fixed_files ? " fixed-files" : "",
	       opt.fixed_bufs ? " fixed-buffers" : "",
	       opt.ops ? "op count" : "timed");
	for (q = 0; q < opt.nqds; q++) {
		static struct cell cells[NR_BACKENDS];
		char label[32];

		memset(cells, 0, sizeof(cells));
		snprintf(label, sizeof(label), "%s QD%u", wl_names[opt.wl], opt.qds[q]);
		for (rep = 1; rep <= opt.reps; rep++) {
			for (k = 0; k < NR_BACKENDS; k++) {
				struct run r = { 0 };

				b = backend_at(rep, k);
				if (!(opt.backends & (1U << b)))
					continue;
				r.label = label;
				r.rep = rep;
				r.cfg.wl = opt.wl;
				r.cfg.qd = opt.qds[q];
				r.cfg.batch = opt.batch ? opt.batch :
					      opt.wl == WL_NOP ? opt.qds[q] :
					      (opt.qds[q] + 3) / 4;
				if (r.cfg.batch > r.cfg.qd)
					r.cfg.batch = r.cfg.qd;
				r.cfg.iopoll = opt.iopoll;
				r.cfg.sqpoll = opt.sqpoll;
				r.cfg.fixed_files = opt.fixed_files;
				r.cfg.fixed_bufs = opt.fixed_bufs;
				r.cfg.secs = opt.secs;
				r.cfg.ops = opt.ops;
				do_run(&r, b);
				cell_add(&cells[b], &r);
			}
		}
		printf("\n%-22s %-9s %s\n", "case", "backend",
		       opt.reps > 1 ? "median IOPS [min - max]" : "IOPS");
		for (b = 0; b < NR_BACKENDS; b++) {
			if (!(opt.backends & (1U << b)))
				continue;
			cell_finish(&cells[b]);
			print_cell_line(label, backends[b].name, &cells[b]);
			if (cells[b].status == BENCH_FAILED)
				failed = 1;
		}
	}
	return failed;
}

/* --- plotting ------------------------------------------------------------ */

/* Median IOPS per (backend, qd) from a --csv file, one gnuplot data block
 * per backend, then gnuplot renders the PNG. */
static int plot_from_csv(const char *csvpath, const char *png)
{
	struct { double v[64]; unsigned int n; } pts[NR_BACKENDS][BENCH_MAX_QD + 1];
	char line[1024], datpath[4096], gppath[4096], cmd[8400], wl[32] = "";
	FILE *in = fopen(csvpath, "r"), *dat, *gp;
	unsigned int b, q, blocks = 0;
	int ret;

	if (!in)
		die("%s: %s", csvpath, strerror(errno));
	memset(pts, 0, sizeof(pts));
	while (fgets(line, sizeof(line), in)) {
		char *f[18], *save = NULL, *p = line;
		unsigned int n = 0;

		/* strtok would merge the empty fields of unsupported runs */
		while (n < 18 && (f[n] = strsep(&p, ",")) != NULL)
			n++;
		(void)save;
		if (n < 14 || strcmp(f[10], "ok"))
			continue;
		for (b = 0; b < NR_BACKENDS; b++)
			if (!strcmp(f[2], backends[b].name))
				break;
		q = (unsigned int)strtoul(f[3], NULL, 0);
		if (b == NR_BACKENDS || !q || q > BENCH_MAX_QD)
			continue;
		if (!wl[0])
			snprintf(wl, sizeof(wl), "%s", f[1]);
		if (pts[b][q].n < 64)
			pts[b][q].v[pts[b][q].n++] = strtod(f[13], NULL);
	}
	fclose(in);

	snprintf(datpath, sizeof(datpath), "%s.dat", png);
	snprintf(gppath, sizeof(gppath), "%s.gp", png);
	dat = fopen(datpath, "w");
	gp = fopen(gppath, "w");
	if (!dat || !gp)
		die("%s: %s", datpath, strerror(errno));
	fprintf(gp, "set terminal png size 900,560\nset output '%s'\n"
		    "set title 'xuring-bench %s: IOPS against queue depth'\n"
		    "set logscale x 2\nset xlabel 'queue depth'\n"
		    "set ylabel 'IOPS (median)'\nset key left top\nset grid\nset termoption noenhanced\n"
		    "plot ", png, wl);
	for (b = 0; b < NR_BACKENDS; b++) {
		bool any = false;

		for (q = 1; q <= BENCH_MAX_QD; q++) {
			if (!pts[b][q].n)
				continue;
			if (!any)
				fprintf(dat, "# %s\n", backends[b].name);
			any = true;
			fprintf(dat, "%u %.0f\n", q, median(pts[b][q].v, pts[b][q].n));
		}
		if (!any)
			continue;
		fprintf(dat, "\n\n");
		fprintf(gp, "%s'%s' index %u with linespoints lw 2 title '%s'",
			blocks ? ", " : "", datpath, blocks, backends[b].name);
		blocks++;
	}
	fprintf(gp, "\n");
	fclose(dat);
	fclose(gp);
	if (!blocks)
		die("%s: no successful runs to plot", csvpath);
	snprintf(cmd, sizeof(cmd), "gnuplot '%s'", gppath);
	ret = system(cmd);
	if (ret) {
		fprintf(stderr, "%s: gnuplot failed (is it installed?); script "
			"left in %s\n", prog, gppath);
		return 1;
	}
	printf("# plot: %s\n", png);
	return 0;
}

/* --- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "matrix",	 no_argument,	    NULL, 'M' },
		{ "csv",	 required_argument, NULL, 'C' },
		{ "summary-csv", required_argument, NULL, 'U' },
		{ "plot",	 required_argument, NULL, 'G' },
		{ "plot-from",	 required_argument, NULL, 'R' },
		{ "help",	 no_argument,	    NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool reps_set = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "b:w:d:B:PSFXt:n:f:s:r:Lqh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'b': opt.backends = parse_backends(optarg); break;
		case 'w':
			for (c = 0; c < 4; c++)
				if (!strcmp(optarg, wl_names[c]))
					break;
			if (c == 4)
				die("unknown workload '%s'", optarg);
			opt.wl = (enum bench_workload)c;
			break;
		case 'd': parse_qds(optarg); break;
		case 'B':
			opt.batch = (unsigned int)strtoul(optarg, NULL, 0);
			if (!opt.batch || opt.batch > BENCH_MAX_QD)
				die("batch not in 1..%u", BENCH_MAX_QD);
			break;
		case 'P': opt.iopoll = true; break;
		case 'S': opt.sqpoll = true; break;
		case 'F': opt.fixed_files = true; break;
		case 'X': opt.fixed_bufs = true; break;
		case 't': opt.secs = strtod(optarg, NULL); break;
		case 'n': opt.ops = strtoull(optarg, NULL, 0); break;
		case 'f': opt.path = optarg; break;
		case 's': opt.region_mib = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'r':
			opt.reps = (unsigned int)strtoul(optarg, NULL, 0);
			reps_set = true;
			break;
		case 'L': opt.lat = false; break;
		case 'q': opt.quiet = true; break;
		case 'M': opt.matrix = true; break;
		case 'C': opt.csv = optarg; break;
		case 'U': opt.summary_csv = optarg; break;
		case 'G': opt.plot = optarg; break;
		case 'R': opt.plot_from = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (opt.plot_from) {
		if (!opt.plot)
			die("--plot-from wants --plot PNG");
		return plot_from_csv(opt.plot_from, opt.plot);
	}
	if (opt.secs <= 0 && !opt.ops)
		die("-t wants a positive time");
	if (opt.matrix && !reps_set)
		opt.reps = 3;
	if (!opt.reps || opt.reps > 32)
		die("-r not in 1..32");
	if (opt.region_mib < 1)
		die("-s wants at least 1 MiB");
	if (!opt.nqds) {
		opt.qds[0] = 32;
		opt.nqds = 1;
	}
	atexit(remove_made_files);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (opt.csv) {
		csv = strcmp(opt.csv, "-") ? fopen(opt.csv, "w") : stdout;
		if (!csv)
			die("%s: %s", opt.csv, strerror(errno));
		csv_header(csv);
	}
	ret = opt.matrix ? run_matrix() : run_single();
	if (csv && csv != stdout)
		fclose(csv);
	if (opt.plot && !opt.matrix) {
		if (!opt.csv || !strcmp(opt.csv, "-"))
			fprintf(stderr, "%s: --plot needs --csv FILE\n", prog);
		else if (plot_from_csv(opt.csv, opt.plot))
			ret = ret ? ret : 1;
	}
	return ret ? 1 : 0;
}
