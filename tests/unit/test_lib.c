/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's freestanding library (core/lib.c): the vsnprintf subset that
 * every console line and reason text goes through, and the string/memory
 * helpers config validation relies on. Where a format means the same as in
 * C's printf, the host snprintf is the oracle.
 */
#include <check.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

/* Format with both implementations and require identical text and length. */
#define SAME(fmt, ...)                                                       \
	do {                                                                 \
		char want[256], got[256];                                    \
		int nw = snprintf(want, sizeof(want), fmt, __VA_ARGS__);     \
		int ng = wd_snprintf(got, sizeof(got), fmt, __VA_ARGS__);    \
		ck_assert_msg(                                               \
			nw == ng && !strcmp(want, got),                      \
			"format \"%s\": host \"%s\" (%d), core \"%s\" (%d)", \
			fmt, want, nw, got, ng);                             \
	} while (0)

/* Expect exact text and return value from wd_snprintf. */
#define EXPECT(text, fmt, ...)                                            \
	do {                                                              \
		char got[256];                                            \
		int ng = wd_snprintf(got, sizeof(got), fmt, __VA_ARGS__); \
		ck_assert_str_eq(got, text);                              \
		ck_assert_int_eq(ng, (int)strlen(text));                  \
	} while (0)

START_TEST(signed_decimal_matches_host)
{
	SAME("%d", 0);
	SAME("%d", 1);
	SAME("%d", -1);
	SAME("%d", INT_MAX);
	SAME("%d", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%ld", LONG_MAX);
	SAME("%lld", (long long)INT64_MIN);
	SAME("%lld", (long long)INT64_MAX);
	SAME("[%d|%d|%d]", -7, 0, 7);
}
END_TEST

START_TEST(unsigned_and_hex_match_host)
{
	SAME("%u", 0U);
	SAME("%u", UINT_MAX);
	SAME("%x", 0U);
	SAME("%x", 0xdeadbeefU);
	SAME("%x", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%lx", 0x123456789abcdefUL);
	SAME("%llx", (unsigned long long)UINT64_MAX);
	SAME("%llu", (unsigned long long)UINT64_MAX);
}
END_TEST

START_TEST(int_argument_is_not_read_as_64_bit)
{
	/* Without a length modifier only 32 bits count: -1 as %x is 8 f's. */
	SAME("%x", -1);
	SAME("%u", -1);
	SAME("%x %x", 0x11111111U, 0x22222222U);
}
END_TEST

START_TEST(strings_match_host)
{
	SAME("%s", "hello");
	SAME("%s", "");
	SAME("<%s><%s>", "a", "bc");
	SAME("%s=%d", "load", 99);
	SAME("no conversions%s", "");
}
END_TEST

START_TEST(widths_match_host)
{
	SAME("%05d", 42);
	SAME("%05d", -42);
	SAME("%02d", 12345); /* width smaller than the number */
	SAME("%01d", -1);
	SAME("%08x", 0xbeefU);
	SAME("%016llx", 0x1234ULL);
	SAME("%016llx", (unsigned long long)UINT64_MAX);
	SAME("%020lld", (long long)INT64_MIN);
	SAME("%03u", 7U);
}
END_TEST

START_TEST(string_precision_matches_host)
{
	const char unterminated[4] = { 'w', 'x', 'y', 'z' };

	SAME("%.*s", 3, "abcdef");
	SAME("%.*s|", 0, "abc");
	SAME("%.*s", 10, "abc");
	SAME("%.*s", 2, "abc");
	SAME("%.*s|", 0, "abc");
	SAME("%.*s|", -1, "abc"); /* negative: no precision */
	/* Precision bounds the read: no NUL needed within it (ASan). */
	SAME("%.*s", 4, unterminated);
	SAME("[%.*s]", 2, unterminated);
}
END_TEST

START_TEST(null_string_prints_null)
{
	const char *volatile s = NULL;

	EXPECT("(null)", "%s", s);
	EXPECT("[(null)]", "[%s]", s);
}
END_TEST

START_TEST(truncation_returns_full_length_and_terminates)
{
	char buf[16];
	int n;

	memset(buf, 'Z', sizeof(buf));
	n = wd_snprintf(buf, 5, "%d", 123456);
	ck_assert_int_eq(n, 6);
	ck_assert_str_eq(buf, "1234");
	/* Nothing beyond @size is touched. */
	ck_assert_int_eq(buf[5], 'Z');

	memset(buf, 'Z', sizeof(buf));
	n = wd_snprintf(buf, 1, "%s", "abc");
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(buf[1], 'Z');

	/* Exactly fitting: all characters plus the NUL. */
	n = wd_snprintf(buf, 4, "%s", "abc");
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(buf, "abc");
	/* One short: the last character is dropped, never the NUL. */
	n = wd_snprintf(buf, 3, "%s", "abc");
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(buf, "ab");

	/* Truncation inside padding and inside a negative number. */
	n = wd_snprintf(buf, 4, "%08d", -5);
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(buf, "-00");
	n = wd_snprintf(buf, 3, "%lld", (long long)INT64_MIN);
	ck_assert_int_eq(n, 20);
	ck_assert_str_eq(buf, "-9");
}
END_TEST

START_TEST(size_zero_writes_nothing)
{
	char buf[4] = { 'a', 'b', 'c', 'd' };

	ck_assert_int_eq(wd_snprintf(buf, 0, "%s%d", "xyz", 12), 5);
	ck_assert_int_eq(memcmp(buf, "abcd", 4), 0);
	/* With size 0 the buffer is never dereferenced. */
	ck_assert_int_eq(wd_snprintf(NULL, 0, "%llx", 0xffffULL), 4);
}
END_TEST

START_TEST(truncation_matches_host_for_every_size)
{
	char want[64], got[64];
	size_t size;
	int nw, ng;

	for (size = 1; size <= 40; size++) {
		memset(want, 'Q', sizeof(want));
		memset(got, 'Q', sizeof(got));
		nw = snprintf(want, size, "%.*s|%05d|%llx|%s", 6, "abcdefgh",
			      -17, 0xabcdefULL, "k");
		ng = wd_snprintf(got, size, "%.*s|%05d|%llx|%s", 6, "abcdefgh",
				 -17, 0xabcdefULL, "k");
		ck_assert_int_eq(ng, nw);
		ck_assert_int_eq(memcmp(want, got, sizeof(want)), 0);
	}
}
END_TEST

START_TEST(trailing_percent_and_unknown_conversion)
{
	/* Non-literal formats: the compiler would refuse these literals. */
	const char *volatile trailing = "abc%";
	const char *volatile unknown = "a%qb";
	char buf[16];

	ck_assert_int_eq(wd_snprintf(buf, sizeof(buf), trailing, 0), 3);
	ck_assert_str_eq(buf, "abc");
	/* Other conversions print nothing and consume nothing. */
	ck_assert_int_eq(wd_snprintf(buf, sizeof(buf), unknown, 0), 2);
	ck_assert_str_eq(buf, "ab");
}
END_TEST

START_TEST(signature_compare)
{
	/* Config signatures (5 bytes, no NUL) compare with wd_strncmp: a NUL
	 * or any other difference in them is a mismatch. */
	ck_assert_int_eq(wd_strncmp("JHCLL", WD_CELL_SIGNATURE, 5), 0);
	ck_assert_int_ne(wd_strncmp("JH\0LL", WD_CELL_SIGNATURE, 5), 0);
	ck_assert_int_ne(wd_strncmp("JHCLM", WD_CELL_SIGNATURE, 5), 0);
	ck_assert_int_ne(wd_strncmp("JHSYS", WD_CELL_SIGNATURE, 5), 0);
}
END_TEST

START_TEST(strnlen_edge_cases)
{
	const char nonul[4] = { 'a', 'b', 'c', 'd' };

	ck_assert_uint_eq(wd_strnlen("", 10), 0);
	ck_assert_uint_eq(wd_strnlen("abc", 0), 0);
	ck_assert_uint_eq(wd_strnlen("abc", 2), 2);
	ck_assert_uint_eq(wd_strnlen("abc", 3), 3);
	ck_assert_uint_eq(wd_strnlen("abc", 100), 3);
	ck_assert_uint_eq(wd_strnlen("ab\0cd", 5), 2);
	/* Never reads past @max (ASan checks the 4-byte array). */
	ck_assert_uint_eq(wd_strnlen(nonul, sizeof(nonul)), 4);
}
END_TEST

START_TEST(strncmp_edge_cases)
{
	const char a[4] = { 'a', 'b', 'c', 'd' };

	ck_assert_int_eq(wd_strncmp("abc", "xyz", 0), 0);
	ck_assert_int_eq(wd_strncmp("abc", "abc", 10), 0);
	ck_assert_int_eq(wd_strncmp("abc", "abd", 2), 0);
	ck_assert_int_lt(wd_strncmp("abc", "abd", 3), 0);
	ck_assert_int_gt(wd_strncmp("abd", "abc", 3), 0);
	/* A prefix sorts first. */
	ck_assert_int_lt(wd_strncmp("ab", "abc", 3), 0);
	ck_assert_int_gt(wd_strncmp("abc", "ab", 3), 0);
	/* Stops at the NUL: what follows does not count. */
	ck_assert_int_eq(wd_strncmp("ab\0x", "ab\0y", 4), 0);
	/* Unsigned comparison. */
	ck_assert_int_gt(wd_strncmp("\xff", "a", 1), 0);
	/* Unterminated arrays within @n are fine. */
	ck_assert_int_eq(wd_strncmp(a, "abcd", 4), 0);
}
END_TEST

START_TEST(memset_memcpy)
{
	unsigned char buf[8] = { 0 };
	const unsigned char src[3] = { 7, 8, 9 };

	ck_assert_ptr_eq(wd_memset(buf + 1, 0x1ff, 3), buf + 1);
	/* Only the low byte of the value, only the given range. */
	ck_assert_uint_eq(buf[0], 0);
	ck_assert_uint_eq(buf[1], 0xff);
	ck_assert_uint_eq(buf[3], 0xff);
	ck_assert_uint_eq(buf[4], 0);
	ck_assert_ptr_eq(wd_memcpy(buf + 4, src, 3), buf + 4);
	ck_assert_uint_eq(buf[4], 7);
	ck_assert_uint_eq(buf[6], 9);
	ck_assert_uint_eq(buf[7], 0);
	wd_memcpy(buf, src, 0);
	ck_assert_uint_eq(buf[0], 0);
}
END_TEST

START_TEST(ranges_overlap_edges)
{
	ck_assert(ranges_overlap(0x1000, 0x1000, 0x1000, 0x1000));
	ck_assert(ranges_overlap(0x1000, 0x1000, 0x1fff, 1));
	ck_assert(ranges_overlap(0x1fff, 1, 0x1000, 0x1000));
	ck_assert(ranges_overlap(0x0, 0x10000, 0x2000, 1)); /* contained */
	/* Adjacent ranges do not overlap, in either order. */
	ck_assert(!ranges_overlap(0x1000, 0x1000, 0x2000, 0x1000));
	ck_assert(!ranges_overlap(0x2000, 0x1000, 0x1000, 0x1000));
}
END_TEST

START_TEST(printk_lines_are_capped_at_255_chars)
{
	char line[301];

	ck_assert_int_eq(sim_machine_init(0, T_RAM_SIZE, 1), 0);
	memset(line, 'x', 300);
	line[300] = '\0';
	core_printk("%s", line);
	/* The console buffer is 256 bytes: the rest is dropped. */
	ck_assert_uint_eq(strlen(sim_console()), 255);
	sim_console_clear();
	core_printk("%s-%d\n", "ok", -3);
	ck_assert_str_eq(sim_console(), "ok--3\n");
	sim_machine_free();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lib");
	TCase *t = tcase_create("core");

	tcase_add_test(t, signed_decimal_matches_host);
	tcase_add_test(t, unsigned_and_hex_match_host);
	tcase_add_test(t, int_argument_is_not_read_as_64_bit);
	tcase_add_test(t, strings_match_host);
	tcase_add_test(t, widths_match_host);
	tcase_add_test(t, string_precision_matches_host);
	tcase_add_test(t, null_string_prints_null);
	tcase_add_test(t, truncation_returns_full_length_and_terminates);
	tcase_add_test(t, size_zero_writes_nothing);
	tcase_add_test(t, truncation_matches_host_for_every_size);
	tcase_add_test(t, trailing_percent_and_unknown_conversion);
	tcase_add_test(t, signature_compare);
	tcase_add_test(t, strnlen_edge_cases);
	tcase_add_test(t, strncmp_edge_cases);
	tcase_add_test(t, memset_memcpy);
	tcase_add_test(t, ranges_overlap_edges);
	tcase_add_test(t, printk_lines_are_capped_at_255_chars);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
