/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Benchmarks of the core on the simulator backend (built without
 * sanitizers, -O2). Prints figures; asserts nothing.
 *
 *   bench dispatch N   traps/s straight into the core's entries
 *   bench replay N     traps/s of `warden-sim replay` on an N-record trace
 *   bench loop KIND N  N traps of one KIND (mmio, pio, hvc) in
 *                      bench_trap_loop(), for callgrind's instruction count
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../sim/replay.h"
#include "../unit/support_cfg.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Default machine, "tiny" running on CPU 2. */
static void machine(void)
{
	if (fx_enable(NULL) || fx_tiny_running() != 1) {
		fprintf(stderr, "bench: could not set up the machine\n");
		exit(1);
	}
}

enum kind {
	K_MMIO,
	K_PIO,
	K_HVC
};

/* One trap of @kind; all are allowed, so nothing fails on the way. */
static void trap(enum kind kind)
{
	uint64_t v = 0;
	uint32_t p = 0;

	switch (kind) {
	case K_MMIO: /* root's sub-page device: dispatch, checks, forward */
		fx_mmio(0, false, T_SUBPAGE + 4, 4, &v);
		break;
	case K_PIO: /* tiny's own UART port */
		fx_pio(2, true, 0x2f8, 1, &p);
		break;
	case K_HVC: /* tiny reads its own state */
		hc(2, WD_HC_CELL_GET_STATE, 1, 0);
		break;
	}
}

/* Kept out of line: callgrind counts exactly this function's calls. */
__attribute__((noinline)) void bench_trap_loop(enum kind kind, long n)
{
	while (n--)
		trap(kind);
}

static void dispatch(long n)
{
	static const char *const names[] = { "mmio", "pio", "hvc" };
	double t;
	int k;

	machine();
	for (k = K_MMIO; k <= K_HVC; k++) {
		t = now();
		bench_trap_loop((enum kind)k, n);
		t = now() - t;
		printf("dispatch %-5s %10.2f M traps/s\n", names[k],
		       n / t / 1e6);
	}
}

/* A trace of @n allowed traps, alternating the three kinds. */
static void write_trace(const char *path, long n)
{
	FILE *f = fopen(path, "w");
	long i;

	if (!f) {
		perror(path);
		exit(1);
	}
	char top[4096];

	if (!getcwd(top, sizeof(top))) {
		perror("getcwd");
		exit(1);
	}
	fprintf(f,
		"warden-trace 1\n"
		"machine ram=0x0 size=0x10000000 cpus=4\n"
		"system %s/build/host/tests/configs/sys-x86.cell\n"
		"load 0x200000 %s/build/host/tests/configs/tiny-x86.cell\n"
		"enable\n"
		"hvc cpu=0 cell=root code=1 arg1=0x200000 arg2=0x0 -> ret=1\n"
		"hvc cpu=0 cell=root code=2 arg1=0x1 arg2=0x0 -> ret=0\n",
		top, top);
	for (i = 0; i < n; i++) {
		switch (i % 3) {
		case 0:
			fputs("mmio cpu=1 cell=root dir=r addr=0xfed01004 "
			      "size=4 -> fwd val=0x0\n",
			      f);
			break;
		case 1:
			fputs("pio cpu=2 cell=tiny dir=w port=0x2f8 size=1 "
			      "val=0x41 -> fwd\n",
			      f);
			break;
		default:
			fputs("hvc cpu=2 cell=tiny code=6 arg1=0x1 arg2=0x0 "
			      "-> ret=0\n",
			      f);
			break;
		}
	}
	fclose(f);
}

static void replay(long n)
{
	char path[] = "/tmp/warden-bench-XXXXXX";
	struct replay_opts opts = { 0 };
	char err[512];
	double t;
	int fd = mkstemp(path);

	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	close(fd);
	write_trace(path, n);
	t = now();
	if (replay_file(path, &opts, err, sizeof(err))) {
		fprintf(stderr, "bench: %s\n", err);
		unlink(path);
		exit(1);
	}
	t = now() - t;
	unlink(path);
	printf("replay (parse + core + compare) %8.2f M traps/s (%ld records, "
	       "%.2f s)\n",
	       n / t / 1e6, n, t);
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[argc - 1]) : 1000000;

	if (argc >= 3 && !strcmp(argv[1], "dispatch")) {
		dispatch(n);
	} else if (argc >= 3 && !strcmp(argv[1], "replay")) {
		replay(n);
	} else if (argc == 4 && !strcmp(argv[1], "loop")) {
		machine();
		bench_trap_loop(!strcmp(argv[2], "mmio") ? K_MMIO :
				!strcmp(argv[2], "pio")	 ? K_PIO :
							   K_HVC,
				n);
	} else {
		fprintf(stderr, "usage: bench dispatch N | replay N | "
				"loop mmio|pio|hvc N\n");
		return 2;
	}
	return 0;
}
