/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every saved fuzz input (tests/fuzz/regressions/: inputs that once crashed
 * the config readers; tests/fuzz/corpus/: the seed corpus) goes through the
 * fuzz target's own function, built here with gcc, ASan and UBSan, so the
 * inputs stay regression tests on machines without clang. Each input is
 * handed over in a heap buffer of exactly its size.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/dts.h"
#include "../../tools/fuzz_config.h"
#include "support_run.h"

static FILE *sink;

/* Replay every file of @dir (the tests run from the top directory). */
static unsigned int replay_dir(const char *dir)
{
	char path[4096];
	struct dirent *e;
	unsigned int n = 0;
	size_t len;
	void *buf, *exact;
	DIR *d = opendir(dir);

	ck_assert_msg(d, "%s: cannot open", dir);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || !strncmp(e->d_name, "README", 6))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		buf = read_file(path, &len);
		ck_assert_msg(buf, "%s: cannot read", path);
		exact = malloc(len ? len : 1);
		ck_assert_ptr_nonnull(exact);
		memcpy(exact, buf, len);
		free(buf);
		ck_assert_msg(!fuzz_config_one(exact, len, sink),
			      "%s: encode(decode(input)) differs from it",
			      path);
		free(exact);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(regressions)
{
	replay_dir("tests/fuzz/regressions");
}
END_TEST

START_TEST(corpus)
{
	/* The corpus is seeded with every shipped config: never empty. */
	ck_assert_uint_gt(replay_dir("tests/fuzz/corpus"), 0);
}
END_TEST

static void setup(void)
{
	sink = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(sink);
}

static void teardown(void)
{
	fclose(sink);
}

static Suite *suite(void)
{
	Suite *s = suite_create("fuzz_regressions");
	TCase *t = tcase_create("replay");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, regressions);
	tcase_add_test(t, corpus);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
