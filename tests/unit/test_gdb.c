// SPDX-License-Identifier: GPL-2.0
/*
 * gdb stub (sim/gdbstub.c): Debian's gdb-multiarch in batch mode, and a
 * raw protocol client, against `warden-sim run --gdb PORT --gdb-cpu 2`
 * on the tiny scenario. Run from the source tree's top (as ./run test
 * does). Every child is bounded: killed after CHILD_TIMEOUT seconds.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support_run.h"

#define SIM "build/host/warden-sim"
#define SCENARIO "tests/scenarios/tiny-x86.scn"
#define ELF "build/inmates/x86_64/tiny.elf"
#define CHILD_TIMEOUT 40

static struct sockaddr_in loopback(unsigned int port)
{
	struct sockaddr_in sa = { 0 };

	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

/* A port on 127.0.0.1 that is free right now. */
static unsigned int free_port(void)
{
	unsigned int i, port;
	int fd, ok;

	for (i = 0; i < 50; i++) {
		struct sockaddr_in sa;

		port = 20000 + ((unsigned int)getpid() + i * 101) % 10000;
		sa = loopback(port);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_ge(fd, 0);
		ok = !bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		close(fd);
		if (ok)
			return port;
	}
	ck_abort_msg("no free port");
	return 0;
}

static pid_t start_sim(unsigned int port)
{
	char arg[16];
	pid_t pid;

	snprintf(arg, sizeof(arg), "%u", port);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		freopen("/dev/null", "w", stdout);
		execl(SIM, SIM, "run", "--gdb", arg, "--gdb-cpu", "2", SCENARIO,
		      (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Exit status of @pid, killing it after CHILD_TIMEOUT seconds (-1). */
static int wait_bounded(pid_t pid)
{
	struct timespec ms = { 0, 10 * 1000 * 1000 };
	int status, i;

	for (i = 0; i < CHILD_TIMEOUT * 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		nanosleep(&ms, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* Run gdb-multiarch in batch mode against @port; its output in @out. */
static int run_gdb(unsigned int port, char *out, size_t size)
{
	char target[64];
	int fds[2];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	snprintf(target, sizeof(target), "target remote 127.0.0.1:%u", port);
	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execlp("gdb-multiarch", "gdb-multiarch", "--nx", "--batch",
		       "-ex", "set architecture i386:x86-64", "-ex",
		       "set remotetimeout 30", "-ex", target, "-ex",
		       "break inmate_main", "-ex", "continue", "-ex",
		       "print inmate_name", "-ex", "print (int)next_cpu_index",
		       "-ex", "info registers rip", "-ex", "stepi", "-ex",
		       "info registers rip", "-ex", "detach", ELF,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	alarm(CHILD_TIMEOUT); /* a hanging gdb must not hang the suite */
	while (len + 1 < size &&
	       (n = read(fds[0], out + len, size - len - 1)) > 0)
		len += (size_t)n;
	alarm(0);
	out[len] = '\0';
	close(fds[0]);
	return wait_bounded(pid);
}

START_TEST(test_gdb_multiarch)
{
	static char out[16384];
	unsigned int port = free_port();
	pid_t sim = start_sim(port);
	int gdb_rc = run_gdb(port, out, sizeof(out));

	/* The scenario runs on after the detach and passes its checks. */
	ck_assert_int_eq(wait_bounded(sim), 0);
	fputs(out, stdout);
	ck_assert_int_eq(gdb_rc, 0);
	ck_assert_ptr_nonnull(strstr(out, "Breakpoint 1, inmate_main ()"));
	ck_assert_ptr_nonnull(strstr(out, "$1 = \"tiny\""));
	ck_assert_ptr_nonnull(strstr(out, "$2 = 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "0x10f0 <inmate_main>"));
	/* stepi: one instruction further */
	ck_assert_ptr_nonnull(strstr(out, "<inmate_main+"));
	ck_assert_ptr_nonnull(strstr(out, "detached"));
}
END_TEST

/* ---- raw protocol ------------------------------------------------------- */

static int sock = -1;

static void say(const char *s)
{
	ck_assert_int_eq(write(sock, s, strlen(s)), (ssize_t)strlen(s));
}

/* Read until @want has arrived (bounded); false on EOF or timeout. */
static bool expect(const char *want)
{
	static char buf[4096];
	size_t len = 0;
	struct pollfd p = { sock, POLLIN, 0 };
	ssize_t n;

	while (len + 1 < sizeof(buf)) {
		if (poll(&p, 1, CHILD_TIMEOUT * 1000) != 1)
			return false;
		n = read(sock, buf + len, 1);
		if (n <= 0)
			return false;
		buf[++len] = '\0';
		if (strstr(buf, want))
			return true;
	}
	return false;
}

static int connect_retry(unsigned int port)
{
	struct timespec ms = { 0, 20 * 1000 * 1000 };
	struct sockaddr_in sa = loopback(port);
	int fd, i;

	for (i = 0; i < 500; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ck_assert_int_ge(fd, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		close(fd);
		nanosleep(&ms, NULL);
	}
	ck_abort_msg("cannot connect to port %u", port);
	return -1;
}

/* Send packet @data with its checksum. */
static void pkt(const char *data)
{
	char buf[256];
	unsigned int sum = 0;
	const char *p;

	for (p = data; *p; p++)
		sum += (unsigned char)*p;
	snprintf(buf, sizeof(buf), "$%s#%02x", data, sum & 0xff);
	say(buf);
}

START_TEST(test_gdb_raw)
{
	unsigned int port = free_port();
	pid_t sim = start_sim(port);

	sock = connect_retry(port);
	say("$?#00"); /* bad checksum: NAK */
	ck_assert(expect("-"));
	pkt("?"); /* stopped before the CPU's first instruction */
	ck_assert(expect("+$S05#b8"));
	say("+");
	pkt("qAttached");
	ck_assert(expect("$1#31"));
	say("+");
	pkt("p10"); /* rip: the 64-bit entry 0x800 */
	ck_assert(expect("$0008000000000000#"));
	say("+");
	pkt("m3000000,4"); /* not guest memory */
	ck_assert(expect("$E14#"));
	say("+");
	pkt("vFoo"); /* unknown: empty reply */
	ck_assert(expect("$#00"));
	say("+");
	pkt("Z0,10f0,1");
	ck_assert(expect("$OK#9a"));
	say("+");
	pkt("c");
	ck_assert(expect("$T05swbreak:;#"));
	say("+");
	pkt("p10");
	ck_assert(expect("$f010000000000000#"));
	say("+");
	pkt("s");
	ck_assert(expect("$S05#b8"));
	say("+");
	pkt("D");
	ck_assert(expect("$OK#9a"));
	say("+");
	ck_assert_int_eq(wait_bounded(sim), 0);
	close(sock);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gdb");
	TCase *tc = tcase_create("gdb");

	signal(SIGPIPE, SIG_IGN);
	tcase_set_timeout(tc, 2 * CHILD_TIMEOUT + 10);
	tcase_add_test(tc, test_gdb_multiarch);
	tcase_add_test(tc, test_gdb_raw);
	suite_add_tcase(s, tc);
	return check_run(s);
}
