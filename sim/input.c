// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's text inputs (scenarios, traces) as the command line gets
 * them: one precise line for what cannot be one (a directory, an empty
 * file, binary data) before any of it is parsed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <warden/cell_config.h>

#include "input.h"

#define SNIFF 4096 /* bytes looked at for binary data */

/* What the first bytes of a binary file say it is, or NULL. */
static const char *binary_kind(const unsigned char *b, size_t n)
{
	if (n >= 4 && !memcmp(b,
			      "\x7f"
			      "ELF",
			      4))
		return "an ELF file";
	if (n >= 4 && !memcmp(b, "\xd0\x0d\xfe\xed", 4))
		return "a device tree blob";
	if (n >= WD_SIGNATURE_LEN &&
	    (!memcmp(b, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) ||
	     !memcmp(b, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN)))
		return "a compiled .cell config";
	return NULL;
}

int sim_input_check(const char *path, const char *what, const char *hint,
		    char *err, size_t err_len)
{
	unsigned char buf[SNIFF];
	const char *kind;
	struct stat st;
	size_t n, i;
	FILE *f;

	if (stat(path, &st)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, err_len, "%s: is a directory, not a %s file%s%s",
			 path, what, hint ? " " : "", hint ? hint : "");
		return -1;
	}
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (!n) {
		snprintf(err, err_len, "%s: empty file, not a %s", path, what);
		return -1;
	}
	kind = binary_kind(buf, n);
	for (i = 0; !kind && i < n; i++)
		if (!buf[i])
			kind = "binary data";
	if (kind) {
		snprintf(err, err_len,
			 "%s: %s, not a %s (a text file, one directive a "
			 "line)",
			 path, kind, what);
		return -1;
	}
	return 0;
}

#define EM_386 3
#define EM_ARM 40
#define EM_X86_64 62
#define EM_AARCH64 183

/* The architecture an ELF header says, as WD_ARCH_*, or -1. */
static int elf_arch(const unsigned char *b, size_t n, const char **name)
{
	unsigned int machine;

	if (n < 20 || memcmp(b,
			     "\x7f"
			     "ELF",
			     4))
		return -1;
	machine = b[5] == 2 ? (unsigned int)b[18] << 8 | b[19] :
			      (unsigned int)b[19] << 8 | b[18];
	switch (machine) {
	case EM_386:
		*name = "x86 (32-bit)";
		return WD_ARCH_X86;
	case EM_X86_64:
		*name = "x86-64";
		return WD_ARCH_X86;
	case EM_ARM:
		*name = "ARM (32-bit)";
		return WD_ARCH_ARM;
	case EM_AARCH64:
		*name = "ARM64";
		return WD_ARCH_ARM64;
	}
	*name = "an unknown machine";
	return 0x100 + (int)machine;
}

static const char *arch_name(unsigned int arch)
{
	return arch == WD_ARCH_X86   ? "an x86" :
	       arch == WD_ARCH_ARM   ? "an ARM" :
	       arch == WD_ARCH_ARM64 ? "an ARM64" :
				       "an unknown-architecture";
}

int sim_image_check(const char *path, const void *data, size_t len,
		    unsigned int arch, char *why, size_t why_len)
{
	unsigned char head[64];
	const char *name;
	char elf[1024];
	size_t n, plen = strlen(path);
	FILE *f;
	int a = elf_arch(data, len, &name);

	if (a >= 0 && (unsigned int)a != arch) {
		snprintf(why, why_len,
			 "%s is an ELF file for %s, the cell is %s cell", path,
			 name, arch_name(arch));
		return -1;
	}
	if (a >= 0) {
		snprintf(why, why_len,
			 "%s is an ELF file: load takes the raw image "
			 "(objcopy -O binary; the build writes NAME.bin next "
			 "to NAME.elf)",
			 path);
		return -1;
	}
	/* A raw image: its ELF file next to it, as the build writes both. */
	if (plen < 4 || strcmp(path + plen - 4, ".bin") || plen >= sizeof(elf))
		return 0;
	snprintf(elf, sizeof(elf), "%.*s.elf", (int)(plen - 4), path);
	f = fopen(elf, "rb");
	if (!f)
		return 0;
	n = fread(head, 1, sizeof(head), f);
	fclose(f);
	a = elf_arch(head, n, &name);
	if (a >= 0 && (unsigned int)a != arch) {
		snprintf(why, why_len,
			 "%s holds %s code (so says %s), the cell is %s cell",
			 path, name, elf, arch_name(arch));
		return -1;
	}
	return 0;
}
