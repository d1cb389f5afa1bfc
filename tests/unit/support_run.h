/* SPDX-License-Identifier: GPL-2.0 */
#ifndef WARDEN_TEST_SUPPORT_RUN_H
#define WARDEN_TEST_SUPPORT_RUN_H

#include <check.h>

/* Run every test of @suite (forked, as Check does); 0 if all passed. */
int check_run(Suite *suite);

#endif
