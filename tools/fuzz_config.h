/* SPDX-License-Identifier: GPL-2.0 */
/* One fuzz input through the config readers (tools/fuzz_config.c). */
#ifndef WARDEN_TOOLS_FUZZ_CONFIG_H
#define WARDEN_TOOLS_FUZZ_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Run @data through the core's validators, the decoder, the encoder and
 * the tool's checks (messages to @sink). Returns 0, or -1 if a decoded
 * config does not encode back to @data. Sanitizers catch the rest.
 */
int fuzz_config_one(const uint8_t *data, size_t size, FILE *sink);

#endif /* !WARDEN_TOOLS_FUZZ_CONFIG_H */
