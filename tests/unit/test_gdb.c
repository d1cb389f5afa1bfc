// SPDX-License-Identifier: GPL-2.0
/*
 * gdb stub (sim/gdbstub.c): Debian's gdb-multiarch in batch mode, and a
 * raw protocol client, against `warden-sim run --gdb PORT --gdb-cpu 2`
 * on the tiny scenarios, x86-64 and ARMv7. Run from the source tree's top
 * (as ./run test does). Every child is bounded: killed after CHILD_TIMEOUT
 * seconds.
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
#define X86_SCENARIO "tests/scenarios/tiny-x86.scn"
#define X86_ELF "build/inmates/x86_64/tiny.elf"
#define ARM_SCENARIO "tests/scenarios/tiny-arm.scn"
#define ARM_ELF "build/inmates/armv7/tiny.elf"
#define CHILD_TIMEOUT 40
#define MAX_ARGS 64

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

static pid_t start_sim(unsigned int port, const char *scenario)
{
	char arg[16];
	pid_t pid;

	snprintf(arg, sizeof(arg), "%u", port);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		freopen("/dev/null", "w", stdout);
		execl(SIM, SIM, "run", "--gdb", arg, "--gdb-cpu", "2", scenario,
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

/*
 * Run gdb-multiarch in batch mode on @elf: the commands @setup, then
 * "target remote" to @port, then @session (both NULL-terminated). Its
 * output in @out; returns its exit status.
 */
static int run_gdb(unsigned int port, const char *elf, const char *const *setup,
		   const char *const *session, char *out, size_t size)
{
	const char *argv[MAX_ARGS];
	char target[64];
	unsigned int n = 0;
	int fds[2];
	size_t len = 0;
	ssize_t r;
	pid_t pid;

	snprintf(target, sizeof(target), "target remote 127.0.0.1:%u", port);
	argv[n++] = "gdb-multiarch";
	argv[n++] = "--nx";
	argv[n++] = "--batch";
	for (; *setup; setup++) {
		argv[n++] = "-ex";
		argv[n++] = *setup;
	}
	argv[n++] = "-ex";
	argv[n++] = "set remotetimeout 30";
	argv[n++] = "-ex";
	argv[n++] = target;
	for (; *session && n + 3 < MAX_ARGS; session++) {
		argv[n++] = "-ex";
		argv[n++] = *session;
	}
	ck_assert(!*session);
	argv[n++] = elf;
	argv[n] = NULL;

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		close(fds[0]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	alarm(CHILD_TIMEOUT); /* a hanging gdb must not hang the suite */
	while (len + 1 < size &&
	       (r = read(fds[0], out + len, size - len - 1)) > 0)
		len += (size_t)r;
	alarm(0);
	out[len] = '\0';
	close(fds[0]);
	return wait_bounded(pid);
}

/* Assert that gdb printed @want. */
#define ck_assert_printed(out, want) \
	ck_assert_msg(strstr(out, want), "gdb did not print '%s'", want)

START_TEST(test_gdb_multiarch)
{
	static const char *const setup[] = { "set architecture i386:x86-64",
					     NULL };
	static const char *const session[] = {
		"break inmate_main",
		"continue",
		"print inmate_name",
		"print (int)next_cpu_index",
		"info registers rip",
		"stepi",
		"info registers rip",
		"detach",
		NULL,
	};
	static char out[16384];
	unsigned int port = free_port();
	pid_t sim = start_sim(port, X86_SCENARIO);
	int gdb_rc = run_gdb(port, X86_ELF, setup, session, out, sizeof(out));

	/* The scenario runs on after the detach and passes its checks. */
	ck_assert_int_eq(wait_bounded(sim), 0);
	fputs(out, stdout);
	fflush(stdout);
	ck_assert_int_eq(gdb_rc, 0);
	ck_assert_printed(out, "Breakpoint 1, inmate_main ()");
	ck_assert_printed(out, "$1 = \"tiny\"");
	ck_assert_printed(out, "$2 = 1\n");
	ck_assert_printed(out, "0x10f0 <inmate_main>");
	/* stepi: one instruction further */
	ck_assert_printed(out, "<inmate_main+");
	ck_assert_printed(out, "detached");
}
END_TEST

/*
 * ARMv7: gdb learns the architecture and register layout from the stub's
 * target description (no "set architecture"). "set osabi none" (a bare
 * metal inmate) makes gdb single-step with 's' rather than with
 * breakpoints of its own.
 */
START_TEST(test_gdb_multiarch_arm)
{
	static const char *const setup[] = { "set osabi none", NULL };
	static const char *const session[] = {
		"show architecture",
		"break inmate_main",
		"continue",
		"print inmate_name", /* $1 */
		"print next_index",  /* $2 */
		"info registers pc",
		"print $pc == (unsigned int)&inmate_main", /* $3 */
		"print/x $cpsr & 0x3f", /* $4: SVC, ARM state */
		"print next_index = 7", /* $5: memory write */
		"print next_index",	/* $6 */
		"set var next_index = 1",
		"stepi",
		"info registers pc",
		"print (unsigned int)$pc - (unsigned int)&inmate_main", /* $7 */
		"detach",
		NULL,
	};
	static char out[16384];
	unsigned int port = free_port();
	pid_t sim = start_sim(port, ARM_SCENARIO);
	int gdb_rc = run_gdb(port, ARM_ELF, setup, session, out, sizeof(out));

	ck_assert_int_eq(wait_bounded(sim), 0);
	fputs(out, stdout);
	fflush(stdout);
	ck_assert_int_eq(gdb_rc, 0);
	ck_assert_printed(out, "(currently \"arm");
	ck_assert_printed(out, "Breakpoint 1, inmate_main ()");
	ck_assert_printed(out, "$1 = \"tiny\"\n");
	ck_assert_printed(out, "$2 = 1\n");
	ck_assert_printed(out, " <inmate_main>\n");
	ck_assert_printed(out, "$3 = 1\n");
	ck_assert_printed(out, "$4 = 0x13\n");
	ck_assert_printed(out, "$5 = 7\n");
	ck_assert_printed(out, "$6 = 7\n");
	/* stepi: one ARM instruction further */
	ck_assert_printed(out, " <inmate_main+4>\n");
	ck_assert_printed(out, "$7 = 4\n");
	ck_assert_printed(out, "detached");
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
	pid_t sim = start_sim(port, X86_SCENARIO);

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

/* Send @data, expect @reply and acknowledge it. */
static void ask(const char *data, const char *reply)
{
	pkt(data);
	ck_assert_msg(expect(reply), "%s: no %s", data, reply);
	say("+");
}

/* ARMv7: target description, single step, and malformed packets. */
START_TEST(test_gdb_raw_arm)
{
	unsigned int port = free_port();
	pid_t sim = start_sim(port, ARM_SCENARIO);

	sock = connect_retry(port);
	ask("?", "+$S05#b8");
	ask("qSupported:swbreak+", ";qXfer:features:read+#");
	ask("qXfer:features:read:target.xml:0,10", "$m<?xml version=\"1#");
	ask("qXfer:features:read:target.xml:0,fff",
	    "<feature name=\"org.gnu.gdb.arm.core\">");
	ck_assert(expect("<reg name=\"cpsr\" bitsize=\"32\"/>"
			 "</feature></target>#"));
	say("+");
	ask("qXfer:features:read:other.xml:0,10", "$E00#");
	ask("qXfer:features:read:target.xml:0", "$E01#");
	ask("qXfer:features:read:target.xml:ffff,10", "$E01#");
	ask("pf", "$00000000#");  /* pc: the reset address 0 */
	ask("p10", "$d3010000#"); /* cpsr: 0x1d3, as after handover */
	ask("p11", "$#00");	  /* no such register */
	ask("p", "$E01#");
	ask("pf,", "$E01#");
	ask("Pf=12", "$E01#"); /* short value */
	ask("Pf=0000000g", "$E01#");
	ask("P0=0000000011", "$E01#"); /* too long */
	ask("G00", "$E01#");
	ask("m", "$E01#");
	ask("m10f0", "$E01#");
	ask("mf0000000,4", "$E14#"); /* not guest memory */
	ask("Mf0000000,1:00", "$E14#");
	ask("M10f0,2:00", "$E01#"); /* data shorter than the length */
	ask("m10f0,4x", "$E01#");
	ask("m100000000,4", "$E14#");	      /* beyond 32 bits */
	ask("m10000000000000000,4", "$E01#"); /* beyond 64 bits */
	/* The UART page: device space, which a debugger must not touch (the
	 * PL011 model would print the byte). */
	ask("m9000018,4", "$E14#");
	ask("M9000000,1:41", "$E14#");
	ask("Z0,10f0", "$E01#");  /* no kind */
	ask("Z2,10f0,4", "$#00"); /* watchpoints: not supported */
	ask("Z0,10f0,4", "$OK#9a");
	ask("c", "$T05swbreak:;#");
	ask("pf", "$f0100000#");
	ask("m10f0,4", "$f0402de9#"); /* push {r4, r5, r6, r7, lr} */
	ask("s", "$S05#b8");
	ask("pf", "$f4100000#");
	ask("Pf=f4100000", "$OK#9a"); /* unchanged pc */
	ask("D", "$OK#9a");
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
	tcase_add_test(tc, test_gdb_multiarch_arm);
	tcase_add_test(tc, test_gdb_raw_arm);
	suite_add_tcase(s, tc);
	return check_run(s);
}
