// SPDX-License-Identifier: GPL-2.0
/*
 * gdb stub: the remote serial protocol for one simulated CPU, x86-64 or
 * ARMv7 in ARM state.
 *
 * gdbstub_start() listens on 127.0.0.1:PORT, accepts one debugger and adds
 * a code hook to the chosen CPU's engines (sim/exec.c). The hook stops the
 * CPU (it serves the debugger from inside the hook, so the whole single-
 * threaded simulation waits: deterministic) before the CPU's first
 * instruction, at software breakpoints (Z0, kept by the stub: guest memory
 * is never patched) and after a single step.
 *
 * Packets: ? g G p P m M Z0/z0 (Z1 alike) s c k D H qSupported qAttached
 * qXfer:features:read; anything else gets the empty reply, malformed
 * arguments an error (Exx). The engine tells the architecture when the
 * CPU stops. Register layouts, little endian:
 * - x86-64 (i386:x86-64, no target description): rax rbx rcx rdx rsi rdi
 *   rbp rsp r8-r15 rip (8 bytes each) eflags cs ss ds es fs gs (4 each).
 * - ARMv7: r0-r12 sp lr pc cpsr (4 bytes each), announced by a target
 *   description with the org.gnu.gdb.arm.core feature: gdb picks ARM and
 *   this layout by itself.
 * Stops are reported as "T05swbreak:;" (so gdb does not rewind the PC) or
 * "S05".
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
#include "sim.h"

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
	const struct arch *arch; /* of the stopped CPU's engine */
} gs = { .fd = -1 };

struct reg {
	int id;		   /* Unicorn's */
	unsigned int size; /* bytes */
};

/* A CPU architecture as gdb sees it: registers in gdb's order. */
struct arch {
	const struct reg *regs;
	unsigned int num_regs;
	int pc;
	uint64_t addr_max; /* highest guest address */
	const char *xml;   /* target description, or NULL */
};

static const struct reg x86_regs[] = {
	{ UC_X86_REG_RAX, 8 }, { UC_X86_REG_RBX, 8 }, { UC_X86_REG_RCX, 8 },
	{ UC_X86_REG_RDX, 8 }, { UC_X86_REG_RSI, 8 }, { UC_X86_REG_RDI, 8 },
	{ UC_X86_REG_RBP, 8 }, { UC_X86_REG_RSP, 8 }, { UC_X86_REG_R8, 8 },
	{ UC_X86_REG_R9, 8 },  { UC_X86_REG_R10, 8 }, { UC_X86_REG_R11, 8 },
	{ UC_X86_REG_R12, 8 }, { UC_X86_REG_R13, 8 }, { UC_X86_REG_R14, 8 },
	{ UC_X86_REG_R15, 8 }, { UC_X86_REG_RIP, 8 }, { UC_X86_REG_EFLAGS, 4 },
	{ UC_X86_REG_CS, 4 },  { UC_X86_REG_SS, 4 },  { UC_X86_REG_DS, 4 },
	{ UC_X86_REG_ES, 4 },  { UC_X86_REG_FS, 4 },  { UC_X86_REG_GS, 4 },
};

static const struct reg arm_regs[] = {
	{ UC_ARM_REG_R0, 4 },  { UC_ARM_REG_R1, 4 },   { UC_ARM_REG_R2, 4 },
	{ UC_ARM_REG_R3, 4 },  { UC_ARM_REG_R4, 4 },   { UC_ARM_REG_R5, 4 },
	{ UC_ARM_REG_R6, 4 },  { UC_ARM_REG_R7, 4 },   { UC_ARM_REG_R8, 4 },
	{ UC_ARM_REG_R9, 4 },  { UC_ARM_REG_R10, 4 },  { UC_ARM_REG_R11, 4 },
	{ UC_ARM_REG_R12, 4 }, { UC_ARM_REG_SP, 4 },   { UC_ARM_REG_LR, 4 },
	{ UC_ARM_REG_PC, 4 },  { UC_ARM_REG_CPSR, 4 },
};

/* The same registers for gdb; numbered in order, so cpsr is 16. */
static const char arm_xml[] =
	"<?xml version=\"1.0\"?>"
	"<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
	"<target><architecture>arm</architecture>"
	"<feature name=\"org.gnu.gdb.arm.core\">"
	"<reg name=\"r0\" bitsize=\"32\"/>"
	"<reg name=\"r1\" bitsize=\"32\"/>"
	"<reg name=\"r2\" bitsize=\"32\"/>"
	"<reg name=\"r3\" bitsize=\"32\"/>"
	"<reg name=\"r4\" bitsize=\"32\"/>"
	"<reg name=\"r5\" bitsize=\"32\"/>"
	"<reg name=\"r6\" bitsize=\"32\"/>"
	"<reg name=\"r7\" bitsize=\"32\"/>"
	"<reg name=\"r8\" bitsize=\"32\"/>"
	"<reg name=\"r9\" bitsize=\"32\"/>"
	"<reg name=\"r10\" bitsize=\"32\"/>"
	"<reg name=\"r11\" bitsize=\"32\"/>"
	"<reg name=\"r12\" bitsize=\"32\"/>"
	"<reg name=\"sp\" bitsize=\"32\" type=\"data_ptr\"/>"
	"<reg name=\"lr\" bitsize=\"32\"/>"
	"<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\"/>"
	"<reg name=\"cpsr\" bitsize=\"32\"/>"
	"</feature></target>";

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_REGS 24
_Static_assert(ARRAY_LEN(x86_regs) <= MAX_REGS &&
		       ARRAY_LEN(arm_regs) <= MAX_REGS,
	       "MAX_REGS");

static const struct arch arch_x86 = { x86_regs, ARRAY_LEN(x86_regs),
				      UC_X86_REG_RIP, UINT64_MAX, NULL };
static const struct arch arch_arm = { arm_regs, ARRAY_LEN(arm_regs),
				      UC_ARM_REG_PC, UINT32_MAX, arm_xml };

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
		h = sim_hex_digit(get_byte());
		l = sim_hex_digit(get_byte());
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
		h = sim_hex_digit(in[2 * i]);
		l = h < 0 ? -1 : sim_hex_digit(in[2 * i + 1]);
		if (l < 0)
			return false;
		out[i] = (uint8_t)(h << 4 | l);
	}
	return true;
}

/* A hex number of at most 64 bits; false if none or too long. */
static bool parse_num(const char **p, uint64_t *v)
{
	const char *s = *p;
	int d;

	*v = 0;
	while ((d = sim_hex_digit(**p)) >= 0) {
		if (*v >> 60)
			return false;
		*v = *v << 4 | (uint64_t)d;
		(*p)++;
	}
	return *p != s;
}

static void reg_get(uc_engine *uc, unsigned int n, char *out)
{
	const struct reg *r = &gs.arch->regs[n];
	uint64_t v = 0;
	uint8_t b[8];
	unsigned int i;

	uc_reg_read(uc, r->id, &v);
	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	to_hex(out, b, r->size);
}

/* Parse register @n's value at @in; false if short or not hex. */
static bool reg_parse(unsigned int n, const char *in, uint64_t *v)
{
	unsigned int i, size = gs.arch->regs[n].size;
	uint8_t b[8];

	if (strnlen(in, 2 * size) < 2 * size || !from_hex(b, in, size))
		return false;
	for (*v = 0, i = 0; i < size; i++)
		*v |= (uint64_t)b[i] << (8 * i);
	return true;
}

static bool reg_set(uc_engine *uc, unsigned int n, uint64_t v)
{
	const struct reg *r = &gs.arch->regs[n];
	uint64_t old = 0;

	uc_reg_read(uc, r->id, &old);
	if (r->size == 4)
		old &= 0xffffffff;
	/* Writing the PC from a hook restarts the block: only when it changes. */
	return v == old || !uc_reg_write(uc, r->id, &v);
}

/* G: all registers at once, or none if the packet is malformed. */
static bool regs_set(uc_engine *uc, const char *in)
{
	uint64_t v[MAX_REGS];
	unsigned int n;
	bool ok = true;

	for (n = 0; n < gs.arch->num_regs; n++) {
		if (!reg_parse(n, in, &v[n]))
			return false;
		in += 2 * gs.arch->regs[n].size;
	}
	if (*in)
		return false;
	for (n = 0; n < gs.arch->num_regs; n++)
		ok = reg_set(uc, n, v[n]) && ok;
	return ok;
}

/* p N: a register we do not have gets the empty reply (gdb asks for x86
 * registers beyond the g packet that way), a malformed packet E01. */
static void read_reg(uc_engine *uc, const char *args, char *out)
{
	uint64_t n;

	if (!parse_num(&args, &n) || *args)
		strcpy(out, "E01");
	else if (n < gs.arch->num_regs)
		reg_get(uc, (unsigned int)n, out);
}

/* P N=VALUE */
static void write_reg(uc_engine *uc, const char *args, char *out)
{
	uint64_t n, v;

	if (!parse_num(&args, &n) || *args++ != '=')
		strcpy(out, "E01");
	else if (n >= gs.arch->num_regs)
		return; /* as for p */
	else if (!reg_parse((unsigned int)n, args, &v) ||
		 args[2 * gs.arch->regs[n].size] ||
		 !reg_set(uc, (unsigned int)n, v))
		strcpy(out, "E01");
	else
		strcpy(out, "OK");
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void read_features(const char *args, char *out)
{
	static const char annex[] = "target.xml:";
	const char *xml = gs.arch->xml;
	uint64_t off, len, size;

	if (!xml)
		return; /* no target description: empty reply */
	size = strlen(xml);
	if (strncmp(args, annex, sizeof(annex) - 1)) {
		strcpy(out, "E00"); /* unknown annex */
		return;
	}
	args += sizeof(annex) - 1;
	if (!parse_num(&args, &off) || *args++ != ',' ||
	    !parse_num(&args, &len) || *args || off > size) {
		strcpy(out, "E01");
		return;
	}
	/* The description holds none of $ # } * (no escaping needed). */
	if (len > PKT_MAX - 32)
		len = PKT_MAX - 32;
	if (len > size - off)
		len = size - off;
	snprintf(out, PKT_MAX, "%c%.*s", off + len < size ? 'm' : 'l', (int)len,
		 xml + off);
}

/*
 * How many of the @len bytes at @addr the debugger may touch: guest RAM up
 * to the first unmapped byte or device page (an access there would reach
 * the core or a device model and change what happens).
 */
static uint64_t ram_span(uc_engine *uc, uint64_t addr, uint64_t len)
{
	uint64_t n;
	uint8_t b;

	for (n = 0; n < len; n++)
		if (addr + n < addr || addr + n > gs.arch->addr_max ||
		    exec_is_device(gs.cpu, addr + n) ||
		    uc_mem_read(uc, addr + n, &b, 1))
			break;
	return n;
}

/* m ADDR,LEN: as many bytes as may be read (a short reply is fine). */
static void read_mem(uc_engine *uc, const char *args, char *out)
{
	uint8_t data[MEM_MAX];
	uint64_t addr, len;

	if (!parse_num(&args, &addr) || *args++ != ',' ||
	    !parse_num(&args, &len) || *args) {
		strcpy(out, "E01");
		return;
	}
	len = ram_span(uc, addr, len < MEM_MAX ? len : MEM_MAX);
	if (!len || uc_mem_read(uc, addr, data, len))
		strcpy(out, "E14");
	else
		to_hex(out, data, len);
}

/* M ADDR,LEN:DATA: all bytes or none. */
static void write_mem(uc_engine *uc, const char *args, char *out)
{
	uint8_t data[MEM_MAX];
	uint64_t addr, len;

	if (!parse_num(&args, &addr) || *args++ != ',' ||
	    !parse_num(&args, &len) || *args++ != ':' || len > MEM_MAX ||
	    strlen(args) != 2 * len || !from_hex(data, args, len))
		strcpy(out, "E01");
	else if (ram_span(uc, addr, len) != len ||
		 uc_mem_write(uc, addr, data, len))
		strcpy(out, "E14");
	else
		strcpy(out, "OK");
}

static void breakpoint(bool insert, const char *args, char *out)
{
	uint64_t type, addr, kind;
	unsigned int i;

	out[0] = '\0';
	if (!parse_num(&args, &type) || *args++ != ',' ||
	    !parse_num(&args, &addr) || *args++ != ',' ||
	    !parse_num(&args, &kind)) {
		strcpy(out, "E01");
		return;
	}
	if (type > 1)
		return; /* watchpoints: empty reply (not supported) */
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
		uc_reg_write(uc, gs.arch->pc, &addr);
}

/* Serve the debugger while the CPU is stopped. */
static enum action serve(uc_engine *uc)
{
	static char in[PKT_MAX], out[PKT_MAX];
	unsigned int n;
	size_t arch = UC_ARCH_X86;

	uc_query(uc, UC_QUERY_ARCH, &arch);
	gs.arch = arch == UC_ARCH_ARM ? &arch_arm : &arch_x86;
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
			for (n = 0; n < gs.arch->num_regs; n++)
				reg_get(uc, n, out + strlen(out));
			break;
		case 'G':
			strcpy(out, regs_set(uc, in + 1) ? "OK" : "E01");
			break;
		case 'p':
			read_reg(uc, in + 1, out);
			break;
		case 'P':
			write_reg(uc, in + 1, out);
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
					 "PacketSize=%x;swbreak+%s",
					 PKT_MAX - 16,
					 gs.arch->xml ?
						 ";qXfer:features:read+" :
						 "");
			else if (!strcmp(in, "qAttached"))
				strcpy(out, "1");
			else if (!strncmp(in, "qXfer:features:read:", 20))
				read_features(in + 20, out);
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
