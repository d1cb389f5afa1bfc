// SPDX-License-Identifier: GPL-2.0
/*
 * gdb stub: the remote serial protocol for one simulated x86-64 CPU.
 *
 * gdbstub_start() listens on 127.0.0.1:PORT, accepts one debugger and adds
 * a code hook to the chosen CPU's engines (sim/exec.c). The hook stops the
 * CPU (it serves the debugger from inside the hook, so the whole single-
 * threaded simulation waits: deterministic) before the CPU's first
 * instruction, at software breakpoints (Z0, kept by the stub: guest memory
 * is never patched) and after a single step.
 *
 * Packets: ? g G p P m M Z0/z0 (Z1 alike) s c k D H qSupported qAttached;
 * anything else gets the empty reply. Register layout (i386:x86-64 without
 * a target description): rax rbx rcx rdx rsi rdi rbp rsp r8-r15 (8 bytes)
 * rip (8) eflags cs ss ds es fs gs (4 bytes each), little endian. Stops
 * are reported as "T05swbreak:;" (so gdb does not rewind RIP) or "S05".
 * Every wait for the debugger is bounded by GDBSTUB_TIMEOUT; a lost or
 * silent debugger is treated like a detach.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unicorn/unicorn.h>

#include "exec.h"
#include "gdbstub.h"

#define MAX_BPS 64
#define PKT_MAX 4096
#define MEM_MAX 1024 /* bytes per m/M packet */

enum action {
	ACT_CONTINUE,
	ACT_STEP,
	ACT_DETACH
};

static struct {
	int fd;
	unsigned int cpu;
	bool first, stepping, waiting; /* waiting: gdb expects a stop reply */
	uint64_t bps[MAX_BPS];
	unsigned int num_bps;
	char last_stop[32];
} gs = { .fd = -1 };

static const int regs[] = {
	UC_X86_REG_RAX, UC_X86_REG_RBX,	   UC_X86_REG_RCX, UC_X86_REG_RDX,
	UC_X86_REG_RSI, UC_X86_REG_RDI,	   UC_X86_REG_RBP, UC_X86_REG_RSP,
	UC_X86_REG_R8,	UC_X86_REG_R9,	   UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13,	   UC_X86_REG_R14, UC_X86_REG_R15,
	UC_X86_REG_RIP, UC_X86_REG_EFLAGS, UC_X86_REG_CS,  UC_X86_REG_SS,
	UC_X86_REG_DS,	UC_X86_REG_ES,	   UC_X86_REG_FS,  UC_X86_REG_GS,
};
#define NUM_REGS (sizeof(regs) / sizeof(regs[0]))

static unsigned int reg_size(unsigned int n)
{
	return n <= 16 ? 8 : 4;
}

/* ---- connection --------------------------------------------------------- */

static void disconnect(void)
{
	if (gs.fd >= 0)
		close(gs.fd);
	gs.fd = -1;
	gs.num_bps = 0;
	gs.stepping = gs.first = gs.waiting = false;
}

/* One byte from the debugger, or -1 (EOF, error, timeout). */
static int get_byte(void)
{
	struct pollfd p = { gs.fd, POLLIN, 0 };
	unsigned char c;

	if (gs.fd < 0 || poll(&p, 1, GDBSTUB_TIMEOUT * 1000) != 1 ||
	    read(gs.fd, &c, 1) != 1)
		return -1;
	return c;
}

static bool put(const char *buf, size_t len)
{
	ssize_t n;

	while (gs.fd >= 0 && len) {
		n = write(gs.fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return gs.fd >= 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Send "$data#cc" and wait for the '+' (resend on '-', at most 3 times). */
static bool send_packet(const char *data)
{
	static const char hex[] = "0123456789abcdef";
	char tail[3];
	unsigned int sum = 0, tries;
	const char *p;
	int c;

	for (p = data; *p; p++)
		sum += (unsigned char)*p;
	tail[0] = '#';
	tail[1] = hex[(sum >> 4) & 0xf];
	tail[2] = hex[sum & 0xf];
	for (tries = 0; tries < 3; tries++) {
		if (!put("$", 1) || !put(data, strlen(data)) || !put(tail, 3))
			return false;
		do
			c = get_byte();
		while (c >= 0 && c != '+' && c != '-');
		if (c == '+')
			return true;
		if (c < 0)
			return false;
	}
	return false;
}

/* Receive one packet into @buf (NUL-terminated); false on a lost link. */
static bool recv_packet(char *buf, size_t size)
{
	unsigned int sum, want;
	size_t len;
	int c, h, l;

	for (;;) {
		do
			c = get_byte();
		while (c >= 0 && c != '$'); /* acks, ^C: we are stopped */
		if (c < 0)
			return false;
		len = 0;
		sum = 0;
		while ((c = get_byte()) >= 0 && c != '#') {
			sum += (unsigned int)c;
			if (len + 1 < size)
				buf[len++] = (char)c;
		}
		h = hexval(get_byte());
		l = hexval(get_byte());
		if (c < 0 || h < 0 || l < 0)
			return false;
		buf[len] = '\0';
		want = (unsigned int)(h << 4 | l);
		if ((sum & 0xff) == want)
			return put("+", 1);
		if (!put("-", 1))
			return false;
	}
}

/* ---- packets -------------------------------------------------------------- */

static void to_hex(char *out, const uint8_t *in, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* Parse @n bytes of hex at @in; false if short or not hex. */
static bool from_hex(uint8_t *out, const char *in, size_t n)
{
	size_t i;
	int h, l;

	for (i = 0; i < n; i++) {
		h = hexval(in[2 * i]);
		l = h < 0 ? -1 : hexval(in[2 * i + 1]);
		if (l < 0)
			return false;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

static bool parse_num(const char **p, uint64_t *v)
{
	const char *s = *p;
	int d;

	*v = 0;
	while ((d = hexval(**p)) >= 0) {
		*v = *v << 4 | (uint64_t)d;
		(*p)++;
	}
	return *p != s;
}

static void reg_get(uc_engine *uc, unsigned int n, char *out)
{
	uint64_t v = 0;
	uint8_t b[8];
	unsigned int i;

	uc_reg_read(uc, regs[n], &v);
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	to_hex(out, b, reg_size(n));
}

static bool reg_set(uc_engine *uc, unsigned int n, const char *in)
{
	uint8_t b[8];
	uint64_t v = 0, old = 0;
	unsigned int i, sz = reg_size(n);

	if (!from_hex(b, in, sz))
		return false;
	for (i = 0; i < sz; i++)
		v |= (uint64_t)b[i] << (8 * i);
	uc_reg_read(uc, regs[n], &old);
	if (sz == 4)
		old &= 0xffffffff;
	/* Writing RIP from a hook restarts the block: only when it changes. */
	return v == old || !uc_reg_write(uc, regs[n], &v);
}

static void read_mem(uc_engine *uc, const char *args, char *out)
{
	uint8_t data[MEM_MAX];
	uint64_t addr, len, i;

	if (!parse_num(&args, &addr) || *args++ != ',' ||
	    !parse_num(&args, &len)) {
		strcpy(out, "E01");
		return;
	}
	if (len > MEM_MAX)
		len = MEM_MAX;
	if (uc_mem_read(uc, addr, data, len)) {
		/* Partly mapped: as many bytes as can be read. */
		for (i = 0; i < len && !uc_mem_read(uc, addr + i, data + i, 1);
		     i++)
			;
		len = i;
	}
	if (!len)
		strcpy(out, "E14");
	else
		to_hex(out, data, len);
}

static void write_mem(uc_engine *uc, const char *args, char *out)
{
	uint8_t data[MEM_MAX];
	uint64_t addr, len;

	if (!parse_num(&args, &addr) || *args++ != ',' ||
	    !parse_num(&args, &len) || *args++ != ':' || len > MEM_MAX ||
	    strlen(args) != 2 * len || !from_hex(data, args, len) ||
	    uc_mem_write(uc, addr, data, len))
		strcpy(out, "E14");
	else
		strcpy(out, "OK");
}

static void breakpoint(bool insert, const char *args, char *out)
{
	uint64_t type, addr;
	unsigned int i;

	out[0] = '\0';
	if (!parse_num(&args, &type) || type > 1 || *args++ != ',' ||
	    !parse_num(&args, &addr))
		return; /* unsupported kind: empty reply */
	for (i = 0; i < gs.num_bps && gs.bps[i] != addr; i++)
		;
	if (insert && i == gs.num_bps) {
		if (gs.num_bps == MAX_BPS) {
			strcpy(out, "E0c");
			return;
		}
		gs.bps[gs.num_bps++] = addr;
	} else if (!insert && i < gs.num_bps) {
		gs.bps[i] = gs.bps[--gs.num_bps];
	}
	strcpy(out, "OK");
}

/* Resume at the address of 'c ADDR' / 's ADDR', if any. */
static void resume_at(uc_engine *uc, const char *args)
{
	uint64_t addr;

	if (parse_num(&args, &addr))
		uc_reg_write(uc, UC_X86_REG_RIP, &addr);
}

/* Serve the debugger while the CPU is stopped. */
static enum action serve(uc_engine *uc)
{
	static char in[PKT_MAX], out[PKT_MAX];
	unsigned int n;
	uint64_t v;
	const char *p;

	if (gs.waiting && !send_packet(gs.last_stop))
		return ACT_DETACH;
	gs.waiting = false;
	while (recv_packet(in, sizeof(in))) {
		out[0] = '\0';
		switch (in[0]) {
		case '?':
			snprintf(out, sizeof(out), "%s", gs.last_stop);
			break;
		case 'g':
			for (n = 0; n < NUM_REGS; n++)
				reg_get(uc, n, out + strlen(out));
			break;
		case 'G':
			p = in + 1;
			for (n = 0;
			     n < NUM_REGS && strlen(p) >= 2 * reg_size(n);
			     n++) {
				reg_set(uc, n, p);
				p += 2 * reg_size(n);
			}
			strcpy(out, "OK");
			break;
		case 'p':
			p = in + 1;
			if (parse_num(&p, &v) && v < NUM_REGS)
				reg_get(uc, (unsigned int)v, out);
			break;
		case 'P':
			p = in + 1;
			if (parse_num(&p, &v) && *p++ == '=' && v < NUM_REGS)
				strcpy(out, reg_set(uc, (unsigned int)v, p) ?
						    "OK" :
						    "E01");
			break;
		case 'm':
			read_mem(uc, in + 1, out);
			break;
		case 'M':
			write_mem(uc, in + 1, out);
			break;
		case 'Z':
		case 'z':
			breakpoint(in[0] == 'Z', in + 1, out);
			break;
		case 'H':
			strcpy(out, "OK");
			break;
		case 'c':
		case 's':
			resume_at(uc, in + 1);
			gs.waiting = true;
			return in[0] == 's' ? ACT_STEP : ACT_CONTINUE;
		case 'k':
			return ACT_DETACH;
		case 'D':
			send_packet("OK");
			return ACT_DETACH;
		case 'q':
			if (!strncmp(in, "qSupported", 10))
				snprintf(out, sizeof(out),
					 "PacketSize=%x;swbreak+",
					 PKT_MAX - 16);
			else if (!strcmp(in, "qAttached"))
				strcpy(out, "1");
			break;
		}
		if (!send_packet(out))
			break;
	}
	return ACT_DETACH;
}

static void hook(void *uc, uint64_t addr, uint32_t size, void *arg)
{
	unsigned int i;
	bool bp = false;

	(void)size;
	(void)arg;
	if (gs.fd < 0)
		return;
	for (i = 0; i < gs.num_bps && !bp; i++)
		bp = gs.bps[i] == addr;
	if (!bp && !gs.first && !gs.stepping)
		return;
	snprintf(gs.last_stop, sizeof(gs.last_stop), "%s",
		 bp ? "T05swbreak:;" : "S05");
	gs.first = gs.stepping = false;
	switch (serve(uc)) {
	case ACT_STEP:
		gs.stepping = true;
		break;
	case ACT_CONTINUE:
		break;
	case ACT_DETACH:
		disconnect(); /* the scenario runs on without the debugger */
		break;
	}
}

/* ---- set-up --------------------------------------------------------------- */

int gdbstub_start(unsigned int port, unsigned int cpu, char *err,
		  size_t err_len)
{
	struct sockaddr_in sa = { 0 };
	struct pollfd p;
	int one = 1, lfd;

	if (!port || port > 65535) {
		snprintf(err, err_len, "gdb: bad port %u", port);
		return -1;
	}
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		snprintf(err, err_len, "gdb: socket: %s", strerror(errno));
		return -1;
	}
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback only */
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 1)) {
		snprintf(err, err_len, "gdb: 127.0.0.1:%u: %s", port,
			 strerror(errno));
		close(lfd);
		return -1;
	}
	fprintf(stderr, "gdb: waiting on 127.0.0.1:%u for CPU %u\n", port, cpu);
	p = (struct pollfd){ lfd, POLLIN, 0 };
	disconnect();
	if (poll(&p, 1, GDBSTUB_TIMEOUT * 1000) == 1)
		gs.fd = accept(lfd, NULL, NULL);
	close(lfd);
	if (gs.fd < 0) {
		snprintf(err, err_len, "gdb: no debugger connected to port %u",
			 port);
		return -1;
	}
	setsockopt(gs.fd, IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
	gs.cpu = cpu;
	gs.first = true;
	snprintf(gs.last_stop, sizeof(gs.last_stop), "S05");
	if (exec_add_code_hook(cpu, hook, NULL)) {
		disconnect();
		snprintf(err, err_len, "gdb: cannot hook CPU %u", cpu);
		return -1;
	}
	return 0;
}

void gdbstub_stop(int status)
{
	char msg[8];

	if (gs.fd >= 0) {
		snprintf(msg, sizeof(msg), "W%02x", status & 0xff);
		send_packet(msg);
	}
	disconnect();
}
