/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hypervisor console against its cells (issue #10 item 4): a cell's
 * debug console bytes are escaped, so it cannot erase its "[name]" prefix
 * or forge a hypervisor line; a NUL hides nothing; the hypervisor's lines
 * about a non-root cell are rate-limited while its reasons stay exact.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
}

static void teardown(void)
{
	fx_teardown();
}

/* tiny (CPU 2) may print; it prints @len bytes of @s. */
static void tiny_puts(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC,
				    (unsigned char)s[i], 0),
				 0);
}

/* Occurrences of @what in the console. */
static unsigned int count(const char *what)
{
	const char *p = sim_console();
	unsigned int n = 0;

	while ((p = strstr(p, what))) {
		n++;
		p += strlen(what);
	}
	return n;
}

START_TEST(every_byte_is_printable_or_escaped)
{
	char want[32];
	unsigned int b;

	ck_assert_int_gt(fx_tiny_running(), 0);
	for (b = 0; b < 256; b++) {
		if (b == '\n')
			continue;
		sim_console_clear();
		tiny_puts((const char[]){ (char)b, '\n' }, 2);
		if (b == '\\')
			snprintf(want, sizeof(want), "[tiny] \\\\\n");
		else if (b >= 0x20 && b < 0x7f)
			snprintf(want, sizeof(want), "[tiny] %c\n", b);
		else
			snprintf(want, sizeof(want), "[tiny] \\x%02x\n", b);
		ck_assert_str_eq(sim_console(), want);
		/* Nothing but the visible text reached the console. */
		ck_assert_uint_eq(sim_console_text()->len, strlen(want));
	}
}
END_TEST

START_TEST(forged_hypervisor_line_keeps_cell_prefix)
{
	static const char forged[] =
		"\r\x1b[2Kwarden: cell \"root\": management call from a "
		"non-root cell: hypercall code 0x4 [not_root]\n";
	const char *con;

	ck_assert_int_gt(fx_tiny_running(), 0);
	sim_console_clear();
	tiny_puts(forged, sizeof(forged) - 1);
	ck_assert_str_eq(sim_console(),
			 "[tiny] \\x0d\\x1b[2Kwarden: cell \"root\": "
			 "management call from a non-root cell: hypercall "
			 "code 0x4 [not_root]\n");
	/* No line of the console starts like a hypervisor line. */
	con = sim_console();
	ck_assert(strncmp(con, "warden:", 7));
	ck_assert_ptr_null(strstr(con, "\nwarden:"));
	ck_assert_ptr_null(strchr(con, '\r'));
	ck_assert_ptr_null(strchr(con, '\x1b'));
}
END_TEST

START_TEST(nul_hides_nothing)
{
	ck_assert_int_gt(fx_tiny_running(), 0);
	sim_console_clear();
	tiny_puts("a\0b\n", 4);
	tiny_puts("next line\n", 10);
	ck_assert_str_eq(sim_console(), "[tiny] a\\x00b\n[tiny] next line\n");
	ck_assert_uint_eq(sim_console_text()->len, strlen(sim_console()));
	ck_assert_ptr_nonnull(
		sim_text_find(sim_console_text(), "[tiny] next line"));
}
END_TEST

/* The simulator's text keeps bytes after a NUL (a cell UART can send one). */
START_TEST(sim_text_is_bytes)
{
	struct sim_text t = { 0 };
	const char *s = "x\0[verdict] pass\n";
	unsigned int i;

	for (i = 0; i < 17; i++)
		sim_text_putc(&t, s[i]);
	ck_assert_uint_eq(t.len, 17);
	ck_assert_ptr_eq(sim_text_find(&t, "[verdict] pass"), t.buf + 2);
	ck_assert_ptr_null(sim_text_find(&t, "fail"));
	free(t.buf);
}
END_TEST

START_TEST(escape_never_split)
{
	char xs[130], want[300];
	unsigned int n;

	ck_assert_int_gt(fx_tiny_running(), 0);
	memset(xs, 'x', sizeof(xs));
	for (n = 124; n <= 126; n++) {
		sim_console_clear();
		tiny_puts(xs, n);
		tiny_puts("\x1b\n", 2);
		/* 124 + 4 fill a line exactly; 125 + 4 do not fit: the 125
		 * go out alone and the escape starts the next line. */
		if (n == 124)
			snprintf(want, sizeof(want),
				 "[tiny] %.*s\\x1b\n[tiny] \n", (int)n, xs);
		else
			snprintf(want, sizeof(want),
				 "[tiny] %.*s\n[tiny] \\x1b\n", (int)n, xs);
		ck_assert_str_eq(sim_console(), want);
	}
}
END_TEST

START_TEST(backslash_is_unambiguous)
{
	ck_assert_int_gt(fx_tiny_running(), 0);
	sim_console_clear();
	/* The text "\x1b" typed by the cell differs from the byte ESC. */
	tiny_puts("\\x1b|\x1b\n", 7);
	ck_assert_str_eq(sim_console(), "[tiny] \\\\x1b|\\x1b\n");
}
END_TEST

/*
 * UTF-8 tricks: a right-to-left override (U+202E) would show the rest of
 * the line reversed on a UTF-8 terminal, a C1 CSI (0x9b) starts an escape
 * sequence on some; every byte above 0x7e is escaped, so neither works.
 */
START_TEST(utf8_and_c1_controls_escaped)
{
	static const char text[] = "ok \xe2\x80\xae]toor[ \x9b"
				   "2J\n";

	ck_assert_int_gt(fx_tiny_running(), 0);
	sim_console_clear();
	tiny_puts(text, sizeof(text) - 1);
	ck_assert_str_eq(sim_console(),
			 "[tiny] ok \\xe2\\x80\\xae]toor[ \\x9b2J\n");
}
END_TEST

#define PUTC_LINE                                                              \
	"warden: cell \"attack\": debug console not permitted for this cell: " \
	"cell id 0x1 [putc_not_permitted]\n"

static long attack_running(void)
{
	struct cfg c;
	long id;

	cfg_attack(&c);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	return id;
}

START_TEST(flood_is_rate_limited)
{
	struct wd_reason_record *rec;
	long id = attack_running();
	unsigned int i;

	sim_console_clear();
	for (i = 0; i < 2000; i++) {
		ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0),
				 -WD_EPERM);
		/* The record is kept for every refusal, printed or not. */
		ck_assert_uint_eq(fx_reason(id), WD_R_putc_not_permitted);
	}
	ck_assert_uint_eq(count(PUTC_LINE), 10);
	ck_assert_uint_eq(count("\n"), 10);
	/* A different refusal while suppressed: GET_REASON has it exactly. */
	ck_assert_int_eq(hc(3, WD_HC_HYPERVISOR_GET_INFO, 77, 0), -WD_EINVAL);
	ck_assert_uint_eq(count("\n"), 10);
	ck_assert_int_eq(hc(0, WD_HC_GET_REASON, id, 0x300000), 0);
	rec = sim_phys_ptr(0x300000, sizeof(*rec));
	ck_assert_uint_eq(rec->code, WD_R_info_type);
	ck_assert_uint_eq(rec->item, 77);
	ck_assert_uint_eq(rec->cell_id, id);
	ck_assert_int_eq(hc(3, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_LAST_REASON,
			    0),
			 WD_R_info_type);
	/* Statistics count every call. */
	ck_assert_uint_ge(core_cpu_stat(3, WD_CPU_STAT_VMEXITS_HYPERCALL),
			  2002);
	/* Still within the second: nothing more. */
	sim_advance_time(900000000ULL);
	ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0), -WD_EPERM);
	ck_assert_uint_eq(count("\n"), 10);
	/* A second after the burst began, printing resumes with the count. */
	sim_advance_time(100000000ULL);
	sim_console_clear();
	ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0), -WD_EPERM);
	ck_assert_str_eq(
		sim_console(),
		"warden: cell \"attack\": 1992 more lines suppressed\n" PUTC_LINE);
}
END_TEST

START_TEST(suppressed_count_at_destroy)
{
	long id = attack_running();
	unsigned int i;

	for (i = 0; i < 15; i++)
		ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0),
				 -WD_EPERM);
	sim_console_clear();
	/* attack never answers: the shutdown times out, the cell fails. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	ck_assert_str_eq(sim_console(),
			 "warden: cell \"attack\": 5 more lines suppressed\n"
			 "warden: cell \"attack\": cell did not answer the "
			 "shutdown request in time: timeout in ns 0x5f5e100 "
			 "[shutdown_timeout]\n"
			 "warden: cell \"attack\" FAILED, its CPUs are parked\n"
			 "warden: destroyed cell \"attack\"\n");
	/* The next cell in that slot starts with a fresh burst. */
	id = attack_running();
	sim_console_clear();
	for (i = 0; i < 12; i++)
		ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0),
				 -WD_EPERM);
	ck_assert_uint_eq(count(PUTC_LINE), 10);
}
END_TEST

START_TEST(root_lines_not_limited)
{
	unsigned int i;

	sim_console_clear();
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(hc(0, WD_HC_CELL_START, 9, 0), -WD_ENOENT);
	ck_assert_uint_eq(count("[cell_unknown]\n"), 50);
}
END_TEST

/* ---- the ring the root cell reads (include/warden/hv_header.h) ---- */

static struct wd_hv_console ring;

static void ring_puts(struct wd_hv_console *r, char c, unsigned int n)
{
	while (n--)
		console_ring_put(r, c);
}

/* Everything the hypervisor prints, cells' lines too, is in the ring. */
START_TEST(ring_has_what_the_console_has)
{
	static char buf[WD_HV_CONSOLE_BYTES + 1];
	size_t c, k;
	uint32_t n;

	ck_assert_int_gt(fx_tiny_running(), 0);
	tiny_puts("ring\n", 5);
	n = wd_hv_console_read(&hv_console, 0, buf, WD_HV_CONSOLE_BYTES);
	ck_assert_uint_eq(n, hv_console.head);
	ck_assert_ptr_nonnull(strstr(buf, "warden: enabled, root cell"));
	ck_assert_ptr_nonnull(strstr(buf, "[tiny] ring\n"));
	/* The ring ends with what the console ends with. */
	c = strlen(sim_console());
	k = c < n ? c : n;
	ck_assert_int_eq(memcmp(buf + n - k, sim_console() + c - k, k), 0);
	ck_assert_uint_eq(wd_hv_console_read(&hv_console, n, buf, 10), 0);
}
END_TEST

/*
 * Wrapped: what the ring no longer holds reads as NUL, as many as were
 * lost, then the bytes it holds, in order; the end reads as 0 bytes, and so
 * does a position beyond it (a stream that began anew).
 */
START_TEST(ring_wraps_and_counts_what_is_lost)
{
	static char buf[2 * WD_HV_CONSOLE_BYTES];
	const uint32_t total = WD_HV_CONSOLE_BYTES + 1000;
	uint32_t i, n;

	memset(&ring, 0, sizeof(ring));
	for (i = 0; i < total; i++)
		console_ring_put(&ring, (char)('a' + i % 26));
	ck_assert_uint_eq(ring.head, total);
	n = wd_hv_console_read(&ring, 0, buf, sizeof(buf));
	ck_assert_uint_eq(n, total);
	for (i = 0; i < total; i++)
		ck_assert_int_eq(buf[i], i < 1000 ? 0 : 'a' + i % 26);
	/* In pieces, from a place inside: the same bytes. */
	ck_assert_uint_eq(wd_hv_console_read(&ring, 1500, buf, 7), 7);
	for (i = 0; i < 7; i++)
		ck_assert_int_eq(buf[i], 'a' + (1500 + i) % 26);
	ck_assert_uint_eq(wd_hv_console_read(&ring, total, buf, 7), 0);
	ck_assert_uint_eq(wd_hv_console_read(&ring, total + 5, buf, 7), 0);
}
END_TEST

/*
 * A reader that fell behind: it read up to 100, then the hypervisor wrote
 * more than the ring holds; its next read gets NULs for exactly what it
 * missed, then what follows.
 */
START_TEST(reader_behind_learns_how_much_it_missed)
{
	static char buf[2 * WD_HV_CONSOLE_BYTES];
	uint32_t pos = 100, n, lost = 0, i;

	memset(&ring, 0, sizeof(ring));
	ring_puts(&ring, 'x', pos);
	ck_assert_uint_eq(wd_hv_console_read(&ring, 0, buf, pos), pos);
	ring_puts(&ring, 'y', WD_HV_CONSOLE_BYTES + 300);
	n = wd_hv_console_read(&ring, pos, buf, sizeof(buf));
	ck_assert_uint_eq(n, WD_HV_CONSOLE_BYTES + 300);
	for (i = 0; i < n && !buf[i]; i++)
		lost++;
	ck_assert_uint_eq(lost, 300); /* 100 + 300 lost, the first 100 read */
	for (; i < n; i++)
		ck_assert_int_eq(buf[i], 'y');
}
END_TEST

#define WRITERS 4
#define EACH 2000 /* WRITERS * EACH fits the ring: every byte is kept */

static void *writer(void *arg)
{
	ring_puts(&ring, (char)(uintptr_t)arg, EACH);
	return NULL;
}

/* CPUs writing at once lose no byte and overwrite none of another's. */
START_TEST(concurrent_writers_lose_nothing)
{
	static char buf[WD_HV_CONSOLE_BYTES];
	unsigned int seen[WRITERS] = { 0 }, i, round;
	pthread_t t[WRITERS];
	uint32_t n;

	for (round = 0; round < 4; round++) {
		memset(&ring, 0, sizeof(ring));
		memset(seen, 0, sizeof(seen));
		for (i = 0; i < WRITERS; i++)
			ck_assert_int_eq(
				pthread_create(&t[i], NULL, writer,
					       (void *)(uintptr_t)('A' + i)),
				0);
		for (i = 0; i < WRITERS; i++)
			pthread_join(t[i], NULL);
		n = wd_hv_console_read(&ring, 0, buf, sizeof(buf));
		ck_assert_uint_eq(n, WRITERS * EACH);
		for (i = 0; i < n; i++) {
			ck_assert(buf[i] >= 'A' && buf[i] < 'A' + WRITERS);
			seen[buf[i] - 'A']++;
		}
		for (i = 0; i < WRITERS; i++)
			ck_assert_uint_eq(seen[i], EACH);
	}
}
END_TEST

static Suite *console_suite(void)
{
	Suite *s = suite_create("console");
	TCase *t = tcase_create("console");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, every_byte_is_printable_or_escaped);
	tcase_add_test(t, forged_hypervisor_line_keeps_cell_prefix);
	tcase_add_test(t, nul_hides_nothing);
	tcase_add_test(t, sim_text_is_bytes);
	tcase_add_test(t, escape_never_split);
	tcase_add_test(t, backslash_is_unambiguous);
	tcase_add_test(t, utf8_and_c1_controls_escaped);
	tcase_add_test(t, flood_is_rate_limited);
	tcase_add_test(t, suppressed_count_at_destroy);
	tcase_add_test(t, root_lines_not_limited);
	tcase_add_test(t, ring_has_what_the_console_has);
	tcase_add_test(t, ring_wraps_and_counts_what_is_lost);
	tcase_add_test(t, reader_behind_learns_how_much_it_missed);
	tcase_add_test(t, concurrent_writers_lose_nothing);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(console_suite());
}
