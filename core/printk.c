/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console, shared by the hypervisor's own messages and the
 * cells' debug console (putc hypercall). Every line has one writer: a
 * cell's characters are collected per cell and printed as a whole line
 * "[name] text\n" when it ends (newline, CELL_LINE_MAX characters, or the
 * cell fails or goes away), so cells printing at the same time never split
 * each other's lines. The hypervisor's messages are printed as they come;
 * they too end any line left open by a writer. One lock keeps CPUs
 * printing at the same time apart.
 *
 * Below that, whole lines on the wire: a CPU owns the console from its
 * line's first character to its '\n', so CPUs' lines do not mix where a
 * line comes in several calls (a hypervisor message in several
 * core_printk() calls) or outside the lock (the trap log's lines,
 * console_line()). A line left open longer than CONSOLE_STEAL_NS (its CPU
 * stopped mid-line, say) is ended and the console taken over. Not less: a
 * busy host preempts a vCPU for milliseconds, even between its output and
 * its bookkeeping. A clock that does not move (the simulator's virtual
 * time) ends the wait after CONSOLE_STEAL_SPINS tries instead.
 *
 * A cell's bytes are not trusted: only printable ASCII (0x20-0x7e) goes
 * out as it is; a backslash becomes "\\" and any other byte but newline
 * the escape "\xNN", so a cell can neither move the cursor (\r, ESC
 * sequences) over its "[name]" prefix nor write a line that starts like
 * the hypervisor's. An escape is never split across two lines.
 *
 * The hypervisor's lines about a non-root cell (its refused hypercalls and
 * denied traps, reject()) are rate-limited per cell, so a cell cannot
 * flood the console: NOTE_BURST lines, then nothing until NOTE_WINDOW_NS
 * after the first of them; the next line printed after that, or the
 * cell's failure or destruction, first says how many were suppressed.
 * Only the printing is limited: reasons are recorded as always.
 *
 * Every byte on the wire also goes to the ring hv_console, in pages of
 * its own that the root cell may read (include/warden/hv_header.h; Linux:
 * /sys/devices/warden/console). A byte's place is reserved atomically:
 * CPUs writing at once (a line taken over) lose nothing.
 */
#include "core.h"

#define CELL_LINE_MAX 128
#define NOTE_BURST 10
#define NOTE_WINDOW_NS 1000000000ULL

/* A cell's line and the rate limit of the hypervisor's lines about it. */
static struct cell_line {
	char text[CELL_LINE_MAX];
	unsigned int len;
	uint64_t since;		 /* time of the window's first line */
	unsigned int printed;	 /* lines printed in the window */
	unsigned int suppressed; /* lines dropped in the window */
} cell_lines[WD_MAX_CELLS];

#define CONSOLE_FREE 0xffffffffu
#define CONSOLE_STEAL_NS 50000000ULL
#define CONSOLE_STEAL_SPINS (1u << 24)

static uint32_t console_lock;
static uint32_t line_owner = CONSOLE_FREE; /* the CPU whose line is open */
static char line_last = '\n';		   /* the last character out */

struct wd_hv_console hv_console;

void console_ring_put(struct wd_hv_console *ring, char c)
{
	uint32_t n = __atomic_fetch_add(&ring->head, 1, __ATOMIC_RELAXED);

	__atomic_store_n(&ring->content[n % WD_HV_CONSOLE_BYTES], c,
			 __ATOMIC_RELAXED);
}

int console_root_map(void)
{
	const struct wd_memory *hv = &core_system_config()->hypervisor_memory;
	hpa_t pa = hal_virt_to_phys(&hv_console);

	if (pa.v - hv->phys_start >= hv->size)
		return 0;
	return hal_map(root_cell, gpa(pa.v), pa, sizeof(hv_console),
		       WD_MEM_READ);
}

static void wire_put(char c)
{
	hal_console_putc(c);
	console_ring_put(&hv_console, c);
	line_last = c;
}

static void line_take(void)
{
	uint32_t me = hal_cpu_id(), free;
	unsigned int spins = 0;
	uint64_t start;

	if (__atomic_load_n(&line_owner, __ATOMIC_ACQUIRE) == me)
		return;
	for (start = hal_time_ns();; spins++) {
		free = CONSOLE_FREE;
		if (__atomic_compare_exchange_n(&line_owner, &free, me, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		if (hal_time_ns() - start > CONSOLE_STEAL_NS ||
		    spins > CONSOLE_STEAL_SPINS) {
			__atomic_store_n(&line_owner, me, __ATOMIC_SEQ_CST);
			if (line_last != '\n')
				wire_put('\n');
			return;
		}
	}
}

static void console_put(char c)
{
	line_take();
	wire_put(c);
	if (c == '\n')
		__atomic_store_n(&line_owner, CONSOLE_FREE, __ATOMIC_RELEASE);
}

/* @s, NUL-terminated (wd_vsnprintf cuts what does not fit). */
static void console_puts(const char *s)
{
	while (*s)
		console_put(*s++);
}

void console_line(const char *s)
{
	line_take();
	/* A line of its own, even if this CPU's own line is open. */
	if (line_last != '\n')
		wire_put('\n');
	console_puts(s);
	console_put('\n');
}

/* Print @cell's collected characters (@l) as the line "[name] text". */
static void cell_line_print(const struct cell *cell, struct cell_line *l)
{
	unsigned int i;

	if (line_last != '\n')
		console_put('\n');
	console_put('[');
	console_puts(cell_name(cell));
	console_puts("] ");
	for (i = 0; i < l->len; i++)
		console_put(l->text[i]);
	console_put('\n');
	l->len = 0;
}

/* The count of @cell's suppressed lines, if any; a new window begins. */
static void note_window_end(const struct cell *cell, struct cell_line *l)
{
	char buf[96];

	if (l->suppressed) {
		if (line_last != '\n')
			console_put('\n');
		wd_snprintf(buf, sizeof(buf),
			    "warden: cell \"%s\": %u more lines suppressed\n",
			    cell_name(cell), l->suppressed);
		console_puts(buf);
	}
	l->printed = 0;
	l->suppressed = 0;
}

/* Every cell the core passes here is one of cells[]. */
void console_cell_flush(const struct cell *cell)
{
	struct cell_line *l = &cell_lines[cell - cells];

	spin_lock(&console_lock);
	if (l->len)
		cell_line_print(cell, l);
	note_window_end(cell, l);
	spin_unlock(&console_lock);
}

void console_cell_note(const struct cell *cell, const char *text,
		       const char *name)
{
	struct cell_line *l = &cell_lines[cell - cells];
	uint64_t now = hal_time_ns();
	char buf[256];

	wd_snprintf(buf, sizeof(buf), "warden: cell \"%s\": %s [%s]\n",
		    cell_name(cell), text, name);
	spin_lock(&console_lock);
	if (l->printed && now - l->since >= NOTE_WINDOW_NS)
		note_window_end(cell, l);
	if (!l->printed)
		l->since = now;
	/* The root cell's lines are never limited. */
	if (cell == root_cell || l->printed < NOTE_BURST) {
		l->printed++;
		console_puts(buf);
	} else {
		l->suppressed++;
	}
	spin_unlock(&console_lock);
}

void console_cell_putc(const struct cell *cell, char c)
{
	struct cell_line *l = &cell_lines[cell - cells];
	char esc[5]; /* the visible form of @c: itself, "\\" or "\xNN" */
	int n = 0, i;

	if (c >= 0x20 && c <= 0x7e && c != '\\')
		esc[n++] = c;
	else if (c != '\n')
		n = wd_snprintf(esc, sizeof(esc),
				c == '\\' ? "\\\\" : "\\x%02x", (uint8_t)c);
	spin_lock(&console_lock);
	/* A full line goes out first: an escape stays in one piece. */
	if (l->len + n > CELL_LINE_MAX)
		cell_line_print(cell, l);
	for (i = 0; i < n; i++)
		l->text[l->len++] = esc[i];
	if (c == '\n' || l->len == CELL_LINE_MAX)
		cell_line_print(cell, l);
	spin_unlock(&console_lock);
}

/* One buffer of a message's text on the HYP stack, never two nested. */
void core_printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	wd_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	console_puts(buf);
	spin_unlock(&console_lock);
}
