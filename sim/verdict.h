/* SPDX-License-Identifier: GPL-2.0 */
/* A scenario's verdict and its failed cells (sim/verdict.c). */
#ifndef WARDEN_SIM_VERDICT_H
#define WARDEN_SIM_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Forget the failures of an earlier scenario. */
void verdict_reset(void);
/* After each scenario line: note the cells that are failed now. */
void verdict_note(void);
/* 'expect-state ID failed' or 'expect-reason ID': cell @id's failure is
 * what the scenario expects. */
void verdict_expected(uint64_t id);
/* 1 with "cell 'NAME' (id N) failed (...) and the scenario does not expect
 * it ..." in @msg if a cell failed unexpectedly, else 0. */
int verdict_unexpected(char *msg, size_t len);
/* The summary's verdict: "scenario passed" or "SCENARIO FAILED" (@ret),
 * then the cells that failed, each "(expected)" or "(NOT expected)". */
void verdict_line(int ret, char *buf, size_t len);

#endif /* !WARDEN_SIM_VERDICT_H */
