// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target over everything that reads a binary config: the core's
 * validators (which the root cell feeds at will), the tool's decoder, the
 * encoder (decode succeeded => encode gives back the input, byte for byte)
 * and the tool's checks. Built by `scons fuzz` with clang
 * -fsanitize=fuzzer,address,undefined; tests/unit/test_fuzz_regressions.c
 * links this file too and replays the saved inputs through
 * fuzz_config_one() without clang.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tools/check.h"
#include "tools/fuzz_config.h"

/* Some hypervisor memory for the cell validator to test overlaps with. */
static const struct wd_memory hv = { 0x3f000000, 0x3f000000, 0x01000000, 0 };

/* Up to this many configs in one input: a system and its cells. */
#define MAX_PIECES 8

/*
 * Length of the config at the start of @data: what its header says, at
 * most @size; all of @size when there is no header to read (the decoder
 * then reports the error).
 */
static size_t piece_len(const uint8_t *data, size_t size)
{
	struct wd_system sys;
	struct wd_cell_desc cell;
	uint64_t len = size;

	if (size >= sizeof(sys) &&
	    !memcmp(data, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN)) {
		memcpy(&sys, data, sizeof(sys));
		len = wd_system_config_size(&sys);
	} else if (size >= sizeof(cell) &&
		   !memcmp(data, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN)) {
		memcpy(&cell, data, sizeof(cell));
		len = wd_cell_config_size(&cell);
	}
	return len < size ? (size_t)len : size;
}

/* Decode one config; does it encode back to the same bytes? */
static int roundtrip(const uint8_t *data, size_t size, struct cellcfg *c,
		     bool *decoded)
{
	uint8_t *out = NULL;
	char err[256];
	size_t len;
	int ret = 0;

	*decoded = !cellcfg_decode(data, size, c, err, sizeof(err));
	if (!*decoded)
		return 0;
	/* Bytes past the declared size are ignored, not kept. */
	len = cellcfg_encode(c, &out);
	if (len + c->trailing != size || memcmp(out, data, len))
		ret = -1;
	free(out);
	return ret;
}

int fuzz_config_one(const uint8_t *data, size_t size, FILE *sink)
{
	struct cellcfg cfgs[MAX_PIECES], *ptrs[MAX_PIECES];
	unsigned int n = 0, i;
	size_t off = 0, len;
	bool decoded;
	int ret = 0;

	config_check_system(data, size);
	config_check_cell(data, size, &hv);
	/* The whole input as one config (trailing bytes ignored). */
	if (piece_len(data, size) != size) {
		if (roundtrip(data, size, &cfgs[0], &decoded))
			ret = -1;
		if (decoded)
			cellcfg_free(&cfgs[0]);
	}
	/* The input may hold several configs back to back: check them as
	 * a set, so the rules across cells get fuzzed too. */
	do {
		len = piece_len(data + off, size - off);
		if (roundtrip(data + off, len, &cfgs[n], &decoded))
			ret = -1;
		if (!decoded)
			break;
		ptrs[n] = &cfgs[n];
		n++;
		off += len;
	} while (off < size && n < MAX_PIECES);
	if (n)
		check_configs(ptrs, n, sink);
	for (i = 0; i < n; i++)
		cellcfg_free(&cfgs[i]);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (fuzz_config_one(data, size, sink)) {
		fprintf(stderr, "fuzz_config: encode(decode(input)) differs "
				"from the input\n");
		abort();
	}
	return 0;
}
