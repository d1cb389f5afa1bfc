// SPDX-License-Identifier: GPL-2.0
/*
 * Trace file reader (format version 1). Lines are parsed one at a time into
 * directives and trap records; every error names the line and what is wrong
 * with it, because traces are written and repaired by hand.
 *
 * Replay speed is mostly this parser's: each line is scanned once into
 * tokens (keys split off and looked up on the way), the file is read
 * through a small window, and messages are formatted only on failure.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <warden/hypercall.h>
#include "../hal/core.h"
#include <warden/reason.h>

#include "../core/trace.h"
#include "../hal/types.h"
#include "directive.h"
#include "sim.h"
#include "trace.h"

#define MAX_TOKENS 32

/* Every key a record, an outcome or a directive knows. */
#define TRACE_KEYS(X)       \
	X(CPU, "cpu")       \
	X(CELL, "cell")     \
	X(DIR, "dir")       \
	X(ADDR, "addr")     \
	X(PORT, "port")     \
	X(SIZE, "size")     \
	X(VAL, "val")       \
	X(REG, "reg")       \
	X(SEXT, "sext")     \
	X(WB, "wb")         \
	X(LEN, "len")       \
	X(CODE, "code")     \
	X(ARG1, "arg1")     \
	X(ARG2, "arg2")     \
	X(PIN, "pin")       \
	X(CHIP, "chip")     \
	X(METHOD, "method") \
	X(VECTOR, "vector") \
	X(TARGET, "target") \
	X(ENTRY, "entry")   \
	X(REASON, "reason") \
	X(ITEM, "item")     \
	X(RET, "ret")       \
	X(RAM, "ram")       \
	X(CPUS, "cpus")     \
	X(USER, "user")

enum key {
#define KEY_ENUM(id, name) KEY_##id,
	TRACE_KEYS(KEY_ENUM)
#undef KEY_ENUM
	KEY_OTHER, /* a key no kind knows */
};

/* Some characters of the line. */
struct text {
	const char *s;
	size_t len;
};

/* A token; one with an '=' is split there into key and value. */
struct token {
	const char *s;
	size_t len;
	struct text key, val; /* val.s NULL: no '=' */
	enum key id;	      /* of the key, KEY_OTHER if unknown */
	bool used;	      /* taken by the parser of its line */
};

/* Token @t is the string literal @lit ("" makes anything else an error). */
#define TOK_IS(t, lit)                     \
	((t)->len == sizeof("" lit) - 1 && \
	 !memcmp((t)->s, lit, sizeof("" lit) - 1))

static const struct text key_tokens[KEY_OTHER] = {
#define KEY_TOKEN(id, name) [KEY_##id] = { .s = name, .len = sizeof(name) - 1 },
	TRACE_KEYS(KEY_TOKEN)
#undef KEY_TOKEN
};

/* The key @k names. TRACE_KEYS lists the frequent ones first. */
static enum key key_of(const struct text *k)
{
#define KEY_MATCH(id, name)  \
	if (TOK_IS(k, name)) \
		return KEY_##id;
	TRACE_KEYS(KEY_MATCH)
#undef KEY_MATCH
	return KEY_OTHER;
}

/* The key=value tokens of one side of a record, or of a directive. */
struct kvs {
	struct token *tok;
	unsigned int n;
	uint32_t present;      /* bit per enum key below KEY_OTHER */
	uint8_t at[KEY_OTHER]; /* its index in tok[], if present */
};

_Static_assert(KEY_OTHER <= 32, "struct kvs: one bit per key");

struct parse {
	char *err;
	size_t err_len;
	const char *kind; /* token of the record kind, for messages */
	const char *noun; /* "record" or "directive" */
	char what[32];	  /* "pio record", built only for a message */
};

static int fail(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->err_len, fmt, ap);
	va_end(ap);
	return -1;
}

/* "pio record", "machine directive": what a message is about. */
static const char *what(struct parse *p)
{
	snprintf(p->what, sizeof(p->what), "%s %s", p->kind, p->noun);
	return p->what;
}

/* The characters the scanner stops at. */
enum {
	CH_SPACE = 1,
	CH_EQ = 2,
	CH_HASH = 4, /* a comment to the end of the line */
};

static const uint8_t char_class[256] = {
	[' '] = CH_SPACE,  ['\t'] = CH_SPACE, ['\r'] = CH_SPACE,
	['\v'] = CH_SPACE, ['\f'] = CH_SPACE, ['='] = CH_EQ,
	['#'] = CH_HASH,
};

static bool is_space(char c)
{
	return char_class[(unsigned char)c] == CH_SPACE;
}

/* Length of the line without its comment and trailing white space. */
static size_t content_len(const char *line, size_t len)
{
	const char *hash = memchr(line, '#', len);

	if (hash)
		len = (size_t)(hash - line);
	while (len && is_space(line[len - 1]))
		len--;
	return len;
}

/* The tokens of @s, up to a '#'; a key=value one split at its '='. */
static unsigned int tokenize(const char *s, size_t len, struct token *tok,
			     unsigned int max)
{
	const char *end = s + len;
	unsigned int n = 0;
	struct token *t;

	while (n < max) {
		while (s < end && is_space(*s))
			s++;
		if (s == end || *s == '#')
			break;
		t = &tok[n++];
		t->s = s;
		while (s < end && !char_class[(unsigned char)*s])
			s++;
		t->key.s = t->s;
		t->key.len = (size_t)(s - t->s);
		t->val.s = NULL;
		t->val.len = 0;
		t->id = KEY_OTHER;
		if (s < end && *s == '=') {
			t->val.s = ++s;
			while (s < end && !(char_class[(unsigned char)*s] &
					    (CH_SPACE | CH_HASH)))
				s++;
			t->val.len = (size_t)(s - t->val.s);
			t->id = key_of(&t->key);
		}
		t->len = (size_t)(s - t->s);
	}
	return n;
}

/* ---- numbers ---------------------------------------------------------- */

/* Numbers: dir_u64() and dir_s64() (sim/directive.h), one reader for
 * scenarios and traces. */

static inline int number(struct parse *p, const struct token *kv, uint64_t max,
			 uint64_t *out)
{
	if (!dir_u64(kv->val.s, kv->val.len, out))
		return fail(p, "bad number '%.*s' in %.*s=", (int)kv->val.len,
			    kv->val.s, (int)kv->key.len, kv->key.s);
	if (*out > max)
		return fail(p, "%.*s=%.*s out of range (at most %" PRIu64 ")",
			    (int)kv->key.len, kv->key.s, (int)kv->val.len,
			    kv->val.s, max);
	return 0;
}

/* ---- key=value lists -------------------------------------------------- */

static bool same_key(const struct token *a, const struct token *b)
{
	return a->key.len == b->key.len &&
	       !memcmp(a->key.s, b->key.s, a->key.len);
}

static int split_kvs(struct parse *p, struct token *tok, unsigned int n,
		     struct kvs *kvs)
{
	unsigned int i, j;

	kvs->tok = tok;
	kvs->n = n;
	kvs->present = 0;
	for (i = 0; i < n; i++) {
		struct token *kv = &tok[i];

		if (!kv->val.s || !kv->key.len)
			return fail(p, "'%.*s' is not key=value", (int)kv->len,
				    kv->s);
		if (!kv->val.len)
			return fail(p, "empty value in '%.*s'", (int)kv->len,
				    kv->s);
		kv->used = false;
		if (kv->id == KEY_OTHER) {
			for (j = 0; j < i; j++)
				if (tok[j].id == KEY_OTHER &&
				    same_key(&tok[j], kv))
					break;
		} else {
			j = kvs->present & (1U << kv->id) ? 0 : i;
			kvs->present |= 1U << kv->id;
			kvs->at[kv->id] = (uint8_t)i;
		}
		if (j < i)
			return fail(p, "duplicate key '%.*s='",
				    (int)kv->key.len, kv->key.s);
	}
	return 0;
}

static inline struct token *find_kv(struct kvs *kvs, enum key id)
{
	struct token *kv;

	if (!(kvs->present & (1U << id)))
		return NULL;
	kv = &kvs->tok[kvs->at[id]];
	kv->used = true;
	return kv;
}

/* Every key was consumed by the kind's parser, else name the stranger. */
static int check_unused(struct parse *p, const struct kvs *kvs,
			const char *what)
{
	unsigned int i;

	for (i = 0; i < kvs->n; i++)
		if (!kvs->tok[i].used)
			return fail(p, "unknown key '%.*s=' for %s",
				    (int)kvs->tok[i].key.len, kvs->tok[i].key.s,
				    what);
	return 0;
}

static inline int need_number(struct parse *p, struct kvs *kvs, enum key id,
			      uint64_t max, uint64_t *out)
{
	struct token *k = find_kv(kvs, id);

	if (!k)
		return fail(p, "missing %s= in %s", key_tokens[id].s, what(p));
	return number(p, k, max, out);
}

/* ---- records: left side ----------------------------------------------- */

static int parse_dir(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	struct token *k = find_kv(kvs, KEY_DIR);

	if (!k)
		return fail(p, "missing dir= in %s", what(p));
	if (TOK_IS(&k->val, "r"))
		t->write = 0;
	else if (TOK_IS(&k->val, "w"))
		t->write = 1;
	else
		return fail(p, "bad dir '%.*s' (r or w)", (int)k->val.len,
			    k->val.s);
	return 0;
}

static int parse_size(struct parse *p, struct kvs *kvs, struct wd_trap *t,
		      uint64_t max)
{
	uint64_t v = 0;

	if (need_number(p, kvs, KEY_SIZE, max, &v))
		return -1;
	if (v != 1 && v != 2 && v != 4 && v != 8)
		return fail(p, "bad size %" PRIu64 " (1, 2, 4%s)", v,
			    max == 8 ? " or 8" : "");
	t->size = (uint8_t)v;
	return 0;
}

/* val= on the left: required for writes, meaningless for reads. */
static int parse_write_val(struct parse *p, struct kvs *kvs, struct wd_trap *t,
			   uint64_t max)
{
	struct token *k = find_kv(kvs, KEY_VAL);

	if (!t->write) {
		if (k)
			return fail(p, "val= on a read (the value read "
				       "belongs after '->')");
		return 0;
	}
	if (!k)
		return fail(p, "write without val=");
	return number(p, k, max, &t->value);
}

static uint64_t size_max(unsigned int size)
{
	return size >= 8 ? UINT64_MAX : (1ULL << (8 * size)) - 1;
}

/* The decoded instruction facts: reg= sext= wb= len=, all or none. */
static int parse_insn(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	static const enum key keys[] = { KEY_REG, KEY_SEXT, KEY_WB, KEY_LEN };
	static const uint64_t max[] = { WD_TRAP_NO_REG - 1, 1, 1, 255 };
	uint64_t v[4] = { 0 };
	unsigned int i, found = 0;

	for (i = 0; i < 4; i++) {
		struct token *k = find_kv(kvs, keys[i]);

		if (!k)
			continue;
		if (number(p, k, max[i], &v[i]))
			return -1;
		found++;
	}
	if (!found)
		return 0;
	if (found != 4)
		return fail(p, "reg=, sext=, wb= and len= go together");
	t->reg = (uint8_t)v[0];
	t->sext = (uint8_t)v[1];
	t->wback = (uint8_t)v[2];
	t->insn_len = (uint8_t)v[3];
	return 0;
}

static int parse_hvc(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (need_number(p, kvs, KEY_CODE, UINT64_MAX, &t->addr) ||
	    need_number(p, kvs, KEY_ARG1, UINT64_MAX, &t->value) ||
	    need_number(p, kvs, KEY_ARG2, UINT64_MAX, &t->arg2))
		return -1;
	/* Optional (docs/abi.md): absent means a privileged caller. */
	if (find_kv(kvs, KEY_USER)) {
		uint64_t user;

		if (need_number(p, kvs, KEY_USER, 1, &user))
			return -1;
		t->user = (uint8_t)user;
	}
	return 0;
}

static int parse_mmio(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (parse_dir(p, kvs, t) ||
	    need_number(p, kvs, KEY_ADDR, UINT64_MAX, &t->addr) ||
	    parse_size(p, kvs, t, 8) ||
	    parse_write_val(p, kvs, t, size_max(t->size)) ||
	    parse_insn(p, kvs, t))
		return -1;
	return 0;
}

static int parse_pio(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (parse_dir(p, kvs, t) ||
	    need_number(p, kvs, KEY_PORT, 0xffff, &t->addr) ||
	    parse_size(p, kvs, t, 4) ||
	    parse_write_val(p, kvs, t, size_max(t->size)))
		return -1;
	return 0;
}

static int parse_irq(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (need_number(p, kvs, KEY_PIN, UINT32_MAX, &t->addr) ||
	    need_number(p, kvs, KEY_CHIP, UINT64_MAX, &t->value))
		return -1;
	return 0;
}

static int parse_method(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	struct token *k = find_kv(kvs, KEY_METHOD);
	int m;

	if (!k)
		return fail(p, "missing method= in %s", what(p));
	m = wd_trap_method_from_name(k->val.s, k->val.len);
	if (m < 0)
		return fail(p, "unknown method '%.*s' (psci, cf9, kbc or acpi)",
			    (int)k->val.len, k->val.s);
	t->addr = (uint64_t)m;
	return 0;
}

static int parse_exc(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	return need_number(p, kvs, KEY_VECTOR, UINT64_MAX, &t->addr);
}

static int parse_cpuon(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (need_number(p, kvs, KEY_TARGET, WD_MAX_CPUS - 1, &t->addr) ||
	    need_number(p, kvs, KEY_ENTRY, UINT64_MAX, &t->value))
		return -1;
	return 0;
}

static int parse_cpuoff(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	(void)p;
	(void)kvs;
	(void)t;
	return 0; /* no keys: the CPU of the record stops itself */
}

static int parse_msr(struct parse *p, struct kvs *kvs, struct wd_trap *t)
{
	if (parse_dir(p, kvs, t) ||
	    need_number(p, kvs, KEY_ADDR, UINT32_MAX, &t->addr) ||
	    parse_write_val(p, kvs, t, UINT64_MAX))
		return -1;
	return 0;
}

typedef int (*kind_parser)(struct parse *p, struct kvs *kvs, struct wd_trap *t);

static const kind_parser kind_parsers[WD_TRAP_KIND_COUNT] = {
	[WD_TRAP_HVC] = parse_hvc,	 [WD_TRAP_MMIO] = parse_mmio,
	[WD_TRAP_PIO] = parse_pio,	 [WD_TRAP_IRQCHIP] = parse_irq,
	[WD_TRAP_RESET] = parse_method,	 [WD_TRAP_POWEROFF] = parse_method,
	[WD_TRAP_EXCEPTION] = parse_exc, [WD_TRAP_CPU_ON] = parse_cpuon,
	[WD_TRAP_MSR] = parse_msr,	 [WD_TRAP_CPU_OFF] = parse_cpuoff,
};

static const struct text kind_tokens[WD_TRAP_KIND_COUNT] = {
#define KIND_TOKEN(kind, name) [kind] = { .s = name, .len = sizeof(name) - 1 },
	WD_TRAP_KINDS(KIND_TOKEN)
#undef KIND_TOKEN
};

static int kind_of(const struct token *t)
{
#define KIND_MATCH(kind, name) \
	if (TOK_IS(t, name))   \
		return kind;
	WD_TRAP_KINDS(KIND_MATCH)
#undef KIND_MATCH
	return -1;
}

static int parse_cell_name(struct parse *p, const char *s, size_t len,
			   char *out)
{
	if (len > WD_CELL_NAME_MAXLEN)
		return fail(p, "cell name '%.*s' longer than %d characters",
			    (int)len, s, WD_CELL_NAME_MAXLEN);
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

static int parse_left(struct parse *p, struct token *tok, unsigned int n,
		      struct trace_item *item)
{
	struct wd_trap *t = &item->trap;
	struct kvs kvs;
	struct token *cell;
	uint64_t cpu = 0;

	if (split_kvs(p, tok + 1, n - 1, &kvs))
		return -1;
	if (need_number(p, &kvs, KEY_CPU, UINT32_MAX, &cpu))
		return -1;
	t->cpu = (uint32_t)cpu;
	cell = find_kv(&kvs, KEY_CELL);
	if (!cell)
		return fail(p, "missing cell= in %s", what(p));
	if (parse_cell_name(p, cell->val.s, cell->val.len, item->cell))
		return -1;
	if (kind_parsers[t->kind](p, &kvs, t))
		return -1;
	return check_unused(p, &kvs, p->kind);
}

/* ---- outcomes ---------------------------------------------------------- */

static int parse_reason(struct parse *p, const struct token *k,
			struct trace_outcome *o)
{
	int code = wd_reason_from_name(k->val.s, k->val.len);

	if (code < 0)
		return fail(p, "unknown reason name '%.*s'", (int)k->val.len,
			    k->val.s);
	o->reason = (uint32_t)code;
	o->keys |= TRACE_KEY_REASON;
	return 0;
}

/* reason= and item=: both, or neither unless @required. */
static int parse_reason_item(struct parse *p, struct kvs *kvs,
			     struct trace_outcome *o, bool required,
			     const char *what)
{
	struct token *r = find_kv(kvs, KEY_REASON);
	struct token *i = find_kv(kvs, KEY_ITEM);

	if (!r && !i && !required)
		return 0;
	if (!r || !i)
		return fail(p, "%s needs reason= and item=", what);
	if (parse_reason(p, r, o) || number(p, i, UINT64_MAX, &o->item))
		return -1;
	o->keys |= TRACE_KEY_ITEM;
	return 0;
}

/*
 * Outcome tokens of record @t (NULL for enable: ret= only). @t is the left
 * side, so a read/write mismatch of val= is caught here.
 */
static int parse_outcome(struct parse *p, struct token *tok, unsigned int n,
			 const struct wd_trap *t, struct trace_outcome *o)
{
	const struct token *word = &tok[0];
	unsigned int nkv = n - 1;
	struct token *rest = tok + 1;
	struct kvs kvs;
	int64_t ret;

	memset(o, 0, sizeof(*o));
	if (word->len > 4 && !memcmp(word->s, "ret=", 4)) {
		/* "ret=N" is both the outcome word and a key. */
		nkv = n;
		rest = tok;
		o->outcome = WD_OUT_RET;
	} else if (TOK_IS(word, "ok")) {
		o->outcome = WD_OUT_OK;
	} else if (TOK_IS(word, "fwd")) {
		o->outcome = WD_OUT_FWD;
	} else if (TOK_IS(word, "deny")) {
		o->outcome = WD_OUT_DENY;
	} else if (TOK_IS(word, "stop")) {
		o->outcome = WD_OUT_STOP;
	} else {
		return fail(p,
			    "unknown outcome '%.*s' (ok, fwd, deny, stop "
			    "or ret=N)",
			    (int)word->len, word->s);
	}
	if (split_kvs(p, rest, nkv, &kvs))
		return -1;

	if (!t) {
		if (o->outcome != WD_OUT_RET)
			return fail(p, "enable expects 'ret=N' after '->'");
	} else if (t->kind == WD_TRAP_HVC && o->outcome != WD_OUT_RET &&
		   o->outcome != WD_OUT_STOP) {
		return fail(p, "hvc outcome must be ret=N or stop");
	} else if (t->kind != WD_TRAP_HVC && o->outcome == WD_OUT_RET) {
		return fail(p, "ret= is the outcome of hvc only");
	}

	switch (o->outcome) {
	case WD_OUT_RET:
		if (!dir_s64(kvs.tok[0].val.s, kvs.tok[0].val.len, &ret))
			return fail(p, "bad number '%.*s' in ret=",
				    (int)kvs.tok[0].val.len, kvs.tok[0].val.s);
		kvs.tok[0].used = true;
		o->result = (uint64_t)ret;
		o->keys |= TRACE_KEY_RET;
		if (parse_reason_item(p, &kvs, o, false, "ret="))
			return -1;
		break;
	case WD_OUT_OK:
	case WD_OUT_FWD: {
		struct token *v = find_kv(&kvs, KEY_VAL);

		if (!v)
			break;
		if (!wd_trap_kind_has_value(t->kind))
			return fail(p,
				    "val= after '->' but %s returns no "
				    "value",
				    p->kind);
		if (t->write)
			return fail(p, "val= after '->' of a write (only "
				       "reads return a value)");
		if (number(p, v, size_max(t->size), &o->result))
			return -1;
		o->keys |= TRACE_KEY_VAL;
		break;
	}
	case WD_OUT_DENY:
		if (parse_reason_item(p, &kvs, o, true, "deny"))
			return -1;
		break;
	default:
		break;
	}
	return check_unused(p, &kvs, "this outcome");
}

/* Split at the "->" token; records the outcome's position for --update. */
static int split_arrow(struct parse *p, const char *line, struct token *tok,
		       unsigned int *n, struct trace_item *item,
		       unsigned int *right, bool required)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (TOK_IS(&tok[i], "->"))
			break;
	if (i == *n) {
		if (required)
			return fail(p, "missing '->' and expected outcome");
		*right = *n;
		return 0;
	}
	if (i + 1 == *n)
		return fail(p, "missing outcome after '->'");
	item->has_expect = true;
	item->out_start = (size_t)(tok[i + 1].s - line);
	item->out_end = (size_t)(tok[*n - 1].s + tok[*n - 1].len - line);
	*right = i + 1;
	*n = i;
	return 0;
}

static int parse_record(struct parse *p, const char *line, struct token *tok,
			unsigned int n, unsigned int kind,
			struct trace_item *item)
{
	unsigned int right, total = n;

	item->type = TRACE_RECORD;
	item->trap.kind = (uint8_t)kind;
	p->kind = kind_tokens[kind].s;
	p->noun = "record";
	/* Say "unsupported" before complaining about the rest of the line. */
	if (!kind_parsers[kind])
		return fail(p,
			    "unsupported kind '%s' (reserved for backends "
			    "in trace version %d)",
			    p->kind, WD_TRACE_VERSION);
	if (split_arrow(p, line, tok, &n, item, &right, true))
		return -1;
	if (parse_left(p, tok, n, item))
		return -1;
	return parse_outcome(p, tok + right, total - right, &item->trap,
			     &item->expect);
}

/* ---- directives --------------------------------------------------------- */

_Static_assert(TRACE_STATE_GONE == DIR_STATE_GONE, "one 'gone' state");
_Static_assert(TRACE_PATH_LEN > DIR_PATH_MAXLEN &&
		       TRACE_TEXT_LEN > DIR_TEXT_MAXLEN,
	       "a checked PATH or TEXT fits the item");

const char *trace_hvc_name(uint64_t code)
{
	static const char *const names[] = {
		[WD_HC_DISABLE] = "disable",
		[WD_HC_CELL_CREATE] = "cell_create",
		[WD_HC_CELL_START] = "cell_start",
		[WD_HC_CELL_SET_LOADABLE] = "cell_set_loadable",
		[WD_HC_CELL_DESTROY] = "cell_destroy",
		[WD_HC_HYPERVISOR_GET_INFO] = "hypervisor_get_info",
		[WD_HC_CELL_GET_STATE] = "cell_get_state",
		[WD_HC_CPU_GET_INFO] = "cpu_get_info",
		[WD_HC_DEBUG_CONSOLE_PUTC] = "debug_console_putc",
	};

	if (code == WD_HC_GET_REASON)
		return "get_reason";
	return code < sizeof(names) / sizeof(names[0]) ? names[code] :
							 "unknown";
}

const char *trace_state_name(unsigned int state)
{
	return dir_state_name(state);
}

void trace_print_directives(FILE *f)
{
	dir_print(f, DIR_TRACE);
}

static void copy_arg(const struct dir_val *v, char *out)
{
	memcpy(out, v->s, v->len);
	out[v->len] = '\0';
}

/* A directive: its arguments checked against its row (sim/directive.c). */
static int parse_directive(struct parse *p, const char *line, size_t len,
			   struct token *tok, unsigned int n,
			   struct trace_item *item)
{
	const struct directive *d = dir_find(DIR_TRACE, tok[0].s, tok[0].len);
	struct dir_tok args[MAX_TOKENS];
	struct dir_val v[DIR_MAX_ARGS];
	unsigned int i, right = n, total = n;

	if (!d)
		return fail(p, "unknown kind or directive '%.*s'",
			    (int)tok[0].len, tok[0].s);
	item->type = TRACE_DIRECTIVE;
	if ((d->flags & DIR_OUTCOME) &&
	    split_arrow(p, line, tok, &n, item, &right, false))
		return -1;
	for (i = 0; i < n; i++)
		args[i] = (struct dir_tok){ tok[i].s, tok[i].len };
	if (dir_parse(d, args, n, line + content_len(line, len), v, p->err,
		      p->err_len))
		return -1;
	switch (dir_id_of(d)) {
	case DIR_MACHINE:
		item->dir = TRACE_DIR_MACHINE;
		for (i = 0; i < 3; i++)
			item->num[i] = v[i].num;
		return 0;
	case DIR_SYSTEM:
		item->dir = TRACE_DIR_SYSTEM;
		copy_arg(&v[0], item->path);
		return 0;
	case DIR_TRACE_LOAD:
		item->dir = TRACE_DIR_LOAD;
		item->num[0] = v[0].num;
		copy_arg(&v[1], item->path);
		return 0;
	case DIR_TRACE_ENABLE:
		item->dir = TRACE_DIR_ENABLE;
		if (!item->has_expect)
			return 0;
		p->kind = "enable";
		return parse_outcome(p, tok + right, total - right, NULL,
				     &item->expect);
	case DIR_TRACE_RESPOND:
		item->dir = TRACE_DIR_RESPOND;
		copy_arg(&v[0], item->cell);
		item->num[0] = v[1].num == 1 ? TRACE_REPLY_APPROVED :
			       v[1].num == 2 ? TRACE_REPLY_DENIED :
					       TRACE_REPLY_NONE;
		return 0;
	case DIR_TRACE_STATE:
	case DIR_TRACE_EXPECT_STATE:
		item->dir = dir_id_of(d) == DIR_TRACE_STATE ?
				    TRACE_DIR_STATE :
				    TRACE_DIR_EXPECT_STATE;
		copy_arg(&v[0], item->cell);
		item->num[0] = v[1].num;
		return 0;
	case DIR_TRACE_EXPECT_CONSOLE:
		item->dir = TRACE_DIR_EXPECT_CONSOLE;
		copy_arg(&v[0], item->text);
		return 0;
	default:
		break;
	}
	return fail(p, "directive '%s' has no trace form", d->name);
}

/*
 * Everything a line sets, cleared field by field: not the large directive
 * buffers, and not with one memset(), which becomes a slow "rep stos".
 */
static void clear_item(struct trace_item *item)
{
	item->type = TRACE_NOTHING;
	item->line = 0;
	item->has_expect = false;
	item->out_start = item->out_end = 0;
	item->dir = TRACE_DIR_MACHINE;
	item->num[0] = item->num[1] = item->num[2] = 0;
	item->trap = (struct wd_trap){ .reg = WD_TRAP_NO_REG };
	memset(item->cell, 0, sizeof(item->cell));
	item->expect = (struct trace_outcome){ 0 };
	item->path[0] = item->text[0] = '\0';
}

/* ---- the canonical form, fast ------------------------------------------ */

/*
 * A record exactly as core/trace.c writes it (hvc, mmio, pio: one space
 * between tokens, keys in the writer's order, nothing after the outcome)
 * is parsed here in one pass, numbers by the same dir_u64(). Anything else
 * (another kind, spacing, order, a comment, a value out of range) returns
 * false and the line goes through the general parser, which also words
 * every error: the two agree on every line this accepts (test_trace,
 * canonical_parse_agrees_with_the_general_parser). Replay speed, #18.
 */
struct scan {
	const char *s, *end;
};

/* The literal @lit (a string constant) next. */
#define SCAN_LIT(c, lit)                                   \
	((size_t)((c)->end - (c)->s) >= sizeof(lit) - 1 && \
	 !memcmp((c)->s, lit, sizeof(lit) - 1) &&          \
	 ((c)->s += sizeof(lit) - 1, true))

/* The value up to the next space or the end; no scanner stop in it. */
static bool scan_span(struct scan *c, struct text *v)
{
	const char *s = c->s;

	while (s < c->end && !char_class[(unsigned char)*s])
		s++;
	if (s == c->s || (s < c->end && *s != ' '))
		return false;
	v->s = c->s;
	v->len = (size_t)(s - c->s);
	c->s = s;
	return true;
}

/* A number as dir_u64() reads it, in one pass, up to a space or the end. */
static bool scan_u64(struct scan *c, uint64_t max, uint64_t *out)
{
	const char *s = c->s, *end = c->end;
	uint64_t v = 0;
	int d;

	if (end - s > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (s += 2; s < end && (d = sim_hex_digit(*s)) >= 0; s++) {
			if (v >> 60)
				return false;
			v = v << 4 | (unsigned int)d;
		}
		if (s == c->s + 2)
			return false;
	} else {
		for (; s < end && *s >= '0' && *s <= '9'; s++)
			if (__builtin_mul_overflow(v, 10, &v) ||
			    __builtin_add_overflow(v, (unsigned int)(*s - '0'),
						   &v))
				return false;
		if (s == c->s)
			return false;
	}
	if ((s < end && *s != ' ') || v > max)
		return false;
	c->s = s;
	*out = v;
	return true;
}

/* " key=N" with @lit " key=". */
#define SCAN_KEY_U64(c, lit, max, out) \
	(SCAN_LIT(c, lit) && scan_u64(c, max, out))

static bool scan_left(struct scan *c, struct trace_item *item)
{
	struct wd_trap *t = &item->trap;
	uint64_t v[4];
	struct text name;

	if (!SCAN_KEY_U64(c, " cpu=", UINT32_MAX, &v[0]) ||
	    !SCAN_LIT(c, " cell=") || !scan_span(c, &name) ||
	    name.len > WD_CELL_NAME_MAXLEN)
		return false;
	t->cpu = (uint32_t)v[0];
	memcpy(item->cell, name.s, name.len);
	if (t->kind == WD_TRAP_HVC) {
		if (!SCAN_KEY_U64(c, " code=", UINT64_MAX, &t->addr) ||
		    !SCAN_KEY_U64(c, " arg1=", UINT64_MAX, &t->value) ||
		    !SCAN_KEY_U64(c, " arg2=", UINT64_MAX, &t->arg2))
			return false;
		if (SCAN_LIT(c, " user=1"))
			t->user = 1;
		return true;
	}
	if (SCAN_LIT(c, " dir=r"))
		t->write = 0;
	else if (SCAN_LIT(c, " dir=w"))
		t->write = 1;
	else
		return false;
	if (!(t->kind == WD_TRAP_MMIO ?
		      SCAN_KEY_U64(c, " addr=", UINT64_MAX, &t->addr) :
		      SCAN_KEY_U64(c, " port=", 0xffff, &t->addr)) ||
	    !SCAN_KEY_U64(c, " size=", t->kind == WD_TRAP_MMIO ? 8 : 4,
			  &v[0]) ||
	    (v[0] != 1 && v[0] != 2 && v[0] != 4 && v[0] != 8))
		return false;
	t->size = (uint8_t)v[0];
	if (t->write && !SCAN_KEY_U64(c, " val=", size_max(t->size), &t->value))
		return false;
	if (t->kind == WD_TRAP_MMIO && SCAN_LIT(c, " reg=")) {
		if (!scan_u64(c, WD_TRAP_NO_REG - 1, &v[0]) ||
		    !SCAN_KEY_U64(c, " sext=", 1, &v[1]) ||
		    !SCAN_KEY_U64(c, " wb=", 1, &v[2]) ||
		    !SCAN_KEY_U64(c, " len=", 255, &v[3]))
			return false;
		t->reg = (uint8_t)v[0];
		t->sext = (uint8_t)v[1];
		t->wback = (uint8_t)v[2];
		t->insn_len = (uint8_t)v[3];
	}
	return true;
}

/* " reason=NAME item=N", both. */
static bool scan_reason(struct scan *c, struct trace_outcome *o)
{
	struct text v;
	int code;

	if (!SCAN_LIT(c, " reason=") || !scan_span(c, &v))
		return false;
	code = wd_reason_from_name(v.s, v.len);
	if (code < 0 || !SCAN_KEY_U64(c, " item=", UINT64_MAX, &o->item))
		return false;
	o->reason = (uint32_t)code;
	o->keys |= TRACE_KEY_REASON | TRACE_KEY_ITEM;
	return true;
}

static bool scan_outcome(struct scan *c, const struct wd_trap *t,
			 struct trace_outcome *o)
{
	struct text v;
	int64_t ret;

	if (t->kind == WD_TRAP_HVC && SCAN_LIT(c, "ret=")) {
		if (!scan_span(c, &v) || !dir_s64(v.s, v.len, &ret))
			return false;
		o->outcome = WD_OUT_RET;
		o->result = (uint64_t)ret;
		o->keys = TRACE_KEY_RET;
		return c->s == c->end || scan_reason(c, o);
	}
	if (SCAN_LIT(c, "stop")) {
		o->outcome = WD_OUT_STOP;
		return true;
	}
	if (t->kind == WD_TRAP_HVC)
		return false;
	if (SCAN_LIT(c, "deny")) {
		o->outcome = WD_OUT_DENY;
		return scan_reason(c, o);
	}
	if (SCAN_LIT(c, "ok"))
		o->outcome = WD_OUT_OK;
	else if (SCAN_LIT(c, "fwd"))
		o->outcome = WD_OUT_FWD;
	else
		return false;
	if (c->s == c->end)
		return true;
	if (t->write || !SCAN_LIT(c, " val=") ||
	    !scan_u64(c, size_max(t->size), &o->result))
		return false;
	o->keys = TRACE_KEY_VAL;
	return true;
}

/* @item from @line in the canonical form; false: not in it (@item then
 * holds partial results: the caller clears it). */
bool trace_parse_canonical(const char *line, size_t len,
			   struct trace_item *item)
{
	struct scan c = { line, line + len };
	size_t out;

	if (SCAN_LIT(&c, "hvc"))
		item->trap.kind = WD_TRAP_HVC;
	else if (SCAN_LIT(&c, "mmio"))
		item->trap.kind = WD_TRAP_MMIO;
	else if (SCAN_LIT(&c, "pio"))
		item->trap.kind = WD_TRAP_PIO;
	else
		return false;
	if (!scan_left(&c, item) || !SCAN_LIT(&c, " -> "))
		return false;
	out = (size_t)(c.s - line);
	if (!scan_outcome(&c, &item->trap, &item->expect) || c.s != c.end)
		return false;
	item->type = TRACE_RECORD;
	item->has_expect = true;
	item->out_start = out;
	item->out_end = len;
	return true;
}

int trace_parse_general(const char *line, size_t len, struct trace_item *item,
			char *err, size_t err_len)
{
	struct parse p = {
		.err = err, .err_len = err_len, .kind = "trace", .noun = "line"
	};
	struct token tok[MAX_TOKENS + 1];
	unsigned int n;
	uint64_t version;
	int kind;

	clear_item(item);
	n = tokenize(line, len, tok, MAX_TOKENS + 1);
	if (n > MAX_TOKENS)
		return fail(&p, "too many tokens (at most %d)", MAX_TOKENS);
	if (!n) {
		item->type = TRACE_NOTHING;
		return 0;
	}
	if (TOK_IS(&tok[0], "warden-trace")) {
		item->type = TRACE_HEADER;
		if (n != 2 || !dir_u64(tok[1].s, tok[1].len, &version) ||
		    version != WD_TRACE_VERSION)
			return fail(&p,
				    "unsupported trace header (this "
				    "replayer reads 'warden-trace %d')",
				    WD_TRACE_VERSION);
		return 0;
	}
	kind = kind_of(&tok[0]);
	if (kind >= 0)
		return parse_record(&p, line, tok, n, (unsigned int)kind, item);
	return parse_directive(&p, line, len, tok, n, item);
}

int trace_parse_line(const char *line, size_t len, struct trace_item *item,
		     char *err, size_t err_len)
{
	clear_item(item);
	if (trace_parse_canonical(line, len, item))
		return 0;
	return trace_parse_general(line, len, item, err, err_len);
}

/* ---- the file reader ------------------------------------------------------ */

/* The window's first size; it grows to hold the longest line. */
#define WINDOW_SIZE 65536

/*
 * The reader reads the file through a window that it refills as lines are
 * parsed, so it touches the same few pages whatever the file's size; after
 * trace_keep_all() it holds the whole file instead.
 */
struct trace_reader {
	char *path;
	int fd;	    /* -1 once everything is read */
	char *data; /* the window: bytes [base, base + len) of the file */
	size_t len, cap;
	size_t base;
	size_t pos;	   /* offset in data of the next line to parse */
	bool keep_all;	   /* data is the whole file, from its first byte */
	unsigned int next; /* lines parsed so far */
	bool header_seen;
	/* The line trace_next() parsed last. */
	size_t cur_start, cur_len;
	/* keep_all: each line's start, then the end (trace_line() builds it). */
	size_t *lines;
	unsigned int num_lines;
};

char *sim_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			char *bigger;

			cap = cap ? cap * 2 : 65536;
			bigger = realloc(data, cap);
			if (!bigger) {
				free(data);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			data = bigger;
		}
		got = fread(data + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(data);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/* Read more of the file behind what the window holds; -1 on an error. */
static int fill(struct trace_reader *r)
{
	ssize_t got;
	char *bigger;

	if (!r->keep_all && r->pos) {
		/* Drop the parsed lines; the current one stays readable. */
		size_t drop = r->pos < r->cur_start ? r->pos : r->cur_start;

		memmove(r->data, r->data + drop, r->len - drop);
		r->len -= drop;
		r->pos -= drop;
		r->cur_start -= drop;
		r->base += drop;
	}
	if (r->len == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : WINDOW_SIZE;

		bigger = realloc(r->data, cap);
		if (!bigger) {
			errno = ENOMEM;
			return -1;
		}
		r->data = bigger;
		r->cap = cap;
	}
	do
		got = read(r->fd, r->data + r->len, r->cap - r->len);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		errno = EIO;
		return -1;
	}
	if (!got) {
		close(r->fd);
		r->fd = -1;
	}
	r->len += (size_t)got;
	return 0;
}

struct trace_reader *trace_open(const char *path, char *err, size_t err_len)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!r) {
		snprintf(err, err_len, "%s: out of memory", path);
		return NULL;
	}
	r->fd = open(path, O_RDONLY);
	if (r->fd < 0 || fill(r)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		trace_close(r);
		return NULL;
	}
	r->path = strdup(path);
	if (!r->path) {
		snprintf(err, err_len, "%s: out of memory", path);
		trace_close(r);
		return NULL;
	}
	return r;
}

int trace_keep_all(struct trace_reader *r, char *err, size_t err_len)
{
	if (r->base || r->next) {
		snprintf(err, err_len,
			 "%s: trace_keep_all() after trace_next()", r->path);
		return -1;
	}
	r->keep_all = true;
	while (r->fd >= 0)
		if (fill(r)) {
			snprintf(err, err_len, "%s: %s", r->path,
				 strerror(errno));
			return -1;
		}
	return 0;
}

static int index_lines(struct trace_reader *r)
{
	size_t cap = 64, n = 0, off = 0, *bigger;
	const char *nl;

	r->lines = malloc(cap * sizeof(*r->lines));
	if (!r->lines)
		return -1;
	while (off < r->len) {
		if (n + 2 > cap) {
			cap *= 2;
			bigger = realloc(r->lines, cap * sizeof(*r->lines));
			if (!bigger) {
				free(r->lines);
				r->lines = NULL;
				return -1;
			}
			r->lines = bigger;
		}
		r->lines[n++] = off;
		nl = memchr(r->data + off, '\n', r->len - off);
		/* As if every line, the last one too, ended in a newline. */
		off = nl ? (size_t)(nl - r->data) + 1 : r->len + 1;
	}
	r->lines[n] = off;
	r->num_lines = (unsigned int)n;
	return 0;
}

const char *trace_line(struct trace_reader *r, unsigned int line, size_t *len)
{
	size_t start, end;

	if (line && line == r->next) {
		*len = r->cur_len;
		return r->data + r->cur_start;
	}
	if (!r->keep_all || (!r->lines && index_lines(r)))
		return NULL;
	if (!line || line > r->num_lines)
		return NULL;
	start = r->lines[line - 1];
	end = r->lines[line] - 1; /* the newline, or the end of the data */
	*len = end - start;
	return r->data + start;
}

/* The next line into cur_start/cur_len: 1, 0 at the end, -1 on an error. */
static int next_line(struct trace_reader *r)
{
	const char *nl;

	for (;;) {
		nl = memchr(r->data + r->pos, '\n', r->len - r->pos);
		if (nl || r->fd < 0)
			break;
		if (fill(r))
			return -1;
	}
	if (r->pos == r->len)
		return 0;
	r->cur_start = r->pos;
	r->cur_len = nl ? (size_t)(nl - (r->data + r->pos)) : r->len - r->pos;
	r->pos += r->cur_len + (nl != NULL);
	r->next++;
	return 1;
}

int trace_next(struct trace_reader *r, struct trace_item *item, char *err,
	       size_t err_len)
{
	char msg[TRACE_ERR_LEN];
	unsigned int no;
	int got;

	while ((got = next_line(r)) > 0) {
		no = r->next;
		if (trace_parse_line(r->data + r->cur_start, r->cur_len, item,
				     msg, sizeof(msg))) {
			snprintf(err, err_len, "%s:%u: %s", r->path, no, msg);
			return -1;
		}
		item->line = no;
		if (item->type == TRACE_NOTHING)
			continue;
		if (item->type == TRACE_HEADER) {
			if (r->header_seen) {
				snprintf(err, err_len, "%s:%u: header repeated",
					 r->path, no);
				return -1;
			}
			r->header_seen = true;
			continue;
		}
		if (!r->header_seen) {
			snprintf(err, err_len,
				 "%s:%u: missing 'warden-trace %d' header "
				 "before the first item",
				 r->path, no, WD_TRACE_VERSION);
			return -1;
		}
		return 1;
	}
	if (got < 0) {
		snprintf(err, err_len, "%s: %s", r->path, strerror(errno));
		return -1;
	}
	if (!r->header_seen) {
		snprintf(err, err_len, "%s: missing 'warden-trace %d' header",
			 r->path, WD_TRACE_VERSION);
		return -1;
	}
	return 0;
}

const char *trace_path(const struct trace_reader *r)
{
	return r->path;
}

const char *trace_data(const struct trace_reader *r, size_t *len)
{
	*len = r->len;
	return r->data;
}

void trace_resolve(const struct trace_reader *r, const char *rel, char *out,
		   size_t out_len)
{
	const char *slash = strrchr(r->path, '/');

	if (rel[0] == '/' || !slash)
		snprintf(out, out_len, "%s", rel);
	else
		snprintf(out, out_len, "%.*s/%s", (int)(slash - r->path),
			 r->path, rel);
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	free(r->path);
	free(r->data);
	free(r->lines);
	free(r);
}

/* ---- outcomes ------------------------------------------------------------ */

struct trace_outcome trace_outcome_of(const struct wd_trap *t)
{
	struct trace_outcome o = {
		.outcome = t->outcome,
		.reason = t->reason,
		.result = t->result,
		.item = t->item,
	};

	switch (t->outcome) {
	case WD_OUT_OK:
	case WD_OUT_FWD:
		if (!t->write && wd_trap_kind_has_value(t->kind))
			o.keys = TRACE_KEY_VAL;
		break;
	case WD_OUT_RET:
		o.keys = TRACE_KEY_RET;
		if ((int64_t)t->result < 0)
			o.keys |= TRACE_KEY_REASON | TRACE_KEY_ITEM;
		break;
	case WD_OUT_DENY:
		o.keys = TRACE_KEY_REASON | TRACE_KEY_ITEM;
		break;
	default:
		break;
	}
	/* Fields without a key are not part of the outcome. */
	if (!(o.keys & (TRACE_KEY_VAL | TRACE_KEY_RET)))
		o.result = 0;
	if (!(o.keys & TRACE_KEY_REASON))
		o.reason = 0;
	if (!(o.keys & TRACE_KEY_ITEM))
		o.item = 0;
	return o;
}

bool trace_outcome_equal(const struct trace_outcome *a,
			 const struct trace_outcome *b)
{
	if (a->outcome != b->outcome || a->keys != b->keys)
		return false;
	if ((a->keys & (TRACE_KEY_VAL | TRACE_KEY_RET)) &&
	    a->result != b->result)
		return false;
	if ((a->keys & TRACE_KEY_REASON) && a->reason != b->reason)
		return false;
	return !(a->keys & TRACE_KEY_ITEM) || a->item == b->item;
}

static const char *outcome_word(unsigned int outcome)
{
	static const char *const words[] = {
		[WD_OUT_NONE] = "none", [WD_OUT_OK] = "ok",
		[WD_OUT_FWD] = "fwd",	[WD_OUT_RET] = "",
		[WD_OUT_DENY] = "deny", [WD_OUT_STOP] = "stop",
	};

	return outcome <= WD_OUT_STOP ? words[outcome] : "?";
}

/* snprintf at the end of what @buf holds, counting like snprintf. */
static void append(char *buf, size_t size, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t size, int *n, const char *fmt, ...)
{
	size_t used = (size_t)*n < size ? (size_t)*n : size;
	va_list ap;

	va_start(ap, fmt);
	*n += vsnprintf(size ? buf + used : NULL, size - used, fmt, ap);
	va_end(ap);
}

int trace_format_outcome(char *buf, size_t size, const struct wd_trap *t,
			 const struct trace_outcome *o)
{
	struct wd_trap copy = *t;
	struct trace_outcome canon;
	int n = 0;

	copy.outcome = o->outcome;
	copy.reason = o->reason;
	copy.result = o->result;
	copy.item = o->item;
	canon = trace_outcome_of(&copy);
	/* The usual case: the key set the format prints, so share its code. */
	if (canon.keys == o->keys)
		return wd_trap_format_outcome(buf, size, &copy);

	/* An unusual key set (e.g. a read expected without val=). */
	append(buf, size, &n, "%s", outcome_word(o->outcome));
	if (o->keys & TRACE_KEY_RET)
		append(buf, size, &n, "ret=%" PRId64, (int64_t)o->result);
	if (o->keys & TRACE_KEY_VAL)
		append(buf, size, &n, " val=0x%" PRIx64, o->result);
	if (o->keys & TRACE_KEY_REASON)
		append(buf, size, &n, " reason=%s", wd_reason_name(o->reason));
	if (o->keys & TRACE_KEY_ITEM)
		append(buf, size, &n, " item=0x%" PRIx64, o->item);
	return n;
}
