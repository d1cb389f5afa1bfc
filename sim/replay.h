/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trace replay: feed every record of a trace through the core (via the sim
 * HAL) and check that the outcome is the recorded one. Uses only the sim
 * API (sim/sim.h) and the core's entries (hal/core.h), like any backend.
 */
#ifndef WARDEN_SIM_REPLAY_H
#define WARDEN_SIM_REPLAY_H

#include <stdbool.h>
#include <stdio.h>

struct replay_opts {
	bool verbose;	    /* print each item with its outcome, a summary */
	const char *update; /* write the trace with actual outcomes here */
	FILE *out;	    /* verbose output; NULL = stdout */
};

/*
 * Replay the trace at @path. Returns 0 when every outcome and expectation
 * matched (with @opts->update: when the updated trace was written), or -1
 * with "FILE:LINE: what" in @err: a parse error, a failed directive, or the
 * first mismatch "FILE:LINE: expected '...', got '...'".
 * Creates and frees the simulated machine; the core's state stays behind,
 * so run one replay per process (the unit tests fork per test).
 */
int replay_file(const char *path, const struct replay_opts *opts, char *err,
		size_t err_len);

#endif /* !WARDEN_SIM_REPLAY_H */
