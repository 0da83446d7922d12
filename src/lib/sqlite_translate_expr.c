/*
 * Expressions, DML and SELECT of the SQLite translator: from libpg_query's
 * JSON parse tree (see sqlite_translate_int.h) to SQLite text.
 *
 * The rules: casts to uuid, json(b), text-like and enum types vanish (the
 * SQLite value is the same text); now()/CURRENT_TIMESTAMP become an ISO-8601
 * UTC strftime(); true/false become 1/0; ARRAY[…] and '{…}' arrays become
 * JSON arrays; a string stored into (or compared with) a timestamp, boolean
 * or array column takes that column's representation.  What SQLite cannot
 * express with the same meaning (regular expressions, intervals, jsonb
 * operators, window functions …) is an error naming the construct, never a
 * guess.  Every binary operation is parenthesised unless its operand is
 * atomic, so no precedence rule of either dialect matters.
 */
#include "common.h"
#include "sqlite_translate_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <strings.h>
#include <time.h>

#include <sqlite3.h>

/* a version 4 uuid: 8-4-4-4-12 lowercase hex, '4' and one of 89ab placed */
const char sra_xlate__uuid_v4[] =
	"lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
	"substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (random() & 3), 1) || "
	"substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

#define HINT "; give this revision a '-- +upgrade sqlite' (or '-- +downgrade sqlite') block"

static int select_stmt(sra_buf *out, const xl_ectx *cx, json_t *s);

/* ---------------------------------------------------------------------
 * Errors
 */

int sra_xlate__unsupported(const char *fmt, ...)
{
	sra_buf b = SRA_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	sra_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	error = sra_error_set(SRA_ERROR_SQL, SRA_EINVALID, "%s has no SQLite translation" HINT,
			      sra_buf_cstr(&b));
	sra_buf_dispose(&b);
	return error;
}

int sra_xlate__invalid(const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = sra_error_vset(SRA_ERROR_SQL, SRA_EINVALID, fmt, ap);
	va_end(ap);
	return error;
}

/* ---------------------------------------------------------------------
 * Parse-tree access
 */

const char *sra_xlate__node(json_t *node, json_t **fields)
{
	const char *key;
	json_t *v;

	*fields = NULL;
	if (!json_is_object(node) || json_object_size(node) != 1)
		return NULL;
	json_object_foreach(node, key, v) {
		*fields = v;
		return key;
	}
	return NULL;
}

const char *sra_xlate__str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

bool sra_xlate__bool(json_t *obj, const char *key)
{
	return json_is_true(json_object_get(obj, key));
}

long sra_xlate__int(json_t *obj, const char *key)
{
	return (long)json_integer_value(json_object_get(obj, key));
}

json_t *sra_xlate__list(json_t *obj, const char *key)
{
	json_t *a = json_object_get(obj, key);

	return json_is_array(a) ? a : NULL;
}

const char *sra_xlate__sval(json_t *node)
{
	json_t *f;
	const char *type = sra_xlate__node(node, &f);
	const char *s;

	if (!type || strcmp(type, "String") != 0)
		return NULL;
	s = sra_xlate__str(f, "sval");
	return s ? s : "";	/* protobuf leaves out the empty string */
}

const char *sra_xlate__last_name(json_t *names)
{
	size_t n = json_array_size(names);

	return n ? sra_xlate__sval(json_array_get(names, n - 1)) : NULL;
}


void sra_xlate__ident(sra_buf *out, const char *name)
{
	const char *p;

	if (!sqlite3_keyword_check(name, (int)strlen(name))) {
		sra_buf_put_sql_ident(out, name);
		return;
	}
	/* "order", "key", "group" …: quoted although they look plain */
	sra_buf_putc(out, '"');
	for (p = name; *p; p++) {
		if (*p == '"')
			sra_buf_putc(out, '"');
		sra_buf_putc(out, *p);
	}
	sra_buf_putc(out, '"');
}

bool sra_xlate__is_literal(const char *s)
{
	const char *p = s;

	if (strcmp(s, "NULL") == 0)
		return true;
	if (*p == '\'') {
		for (p++; *p; p++) {
			if (*p == '\'') {
				if (p[1] == '\'')
					p++;
				else
					return p[1] == '\0';
			}
		}
		return false;
	}
	if (*p == '-')
		p++;
	if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
		return false;
	while (isdigit((unsigned char)*p) || *p == '.')
		p++;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	return *p == '\0';
}

/* the string of an A_Const string node, or NULL */
static const char *const_string(json_t *node)
{
	json_t *f, *v;

	if (!IS(NODE(node, &f), "A_Const"))
		return NULL;
	v = GET(f, "sval");
	if (!json_is_object(v))
		return NULL;
	return STR(v, "sval") ? STR(v, "sval") : "";
}

/* the string literal under any number of casts ('{}'::text::jsonb), or NULL */
static const char *cast_string(json_t *node)
{
	json_t *f;

	while (IS(NODE(node, &f), "TypeCast"))
		node = GET(f, "arg");
	return const_string(node);
}

static bool is_const_type(json_t *node, const char *key)
{
	json_t *f;

	return IS(NODE(node, &f), "A_Const") && json_object_get(f, key) != NULL;
}

/* ---------------------------------------------------------------------
 * Types
 */

static const struct {
	const char *name;
	xl_kind kind;
} builtin_types[] = {
	{ "text", XK_TEXT }, { "varchar", XK_TEXT }, { "bpchar", XK_TEXT }, { "char", XK_TEXT },
	{ "name", XK_TEXT }, { "citext", XK_TEXT }, { "time", XK_TEXT }, { "timetz", XK_TEXT },
	{ "int2", XK_INTEGER }, { "int4", XK_INTEGER }, { "int8", XK_INTEGER },
	{ "smallint", XK_INTEGER }, { "integer", XK_INTEGER }, { "int", XK_INTEGER }, { "bigint", XK_INTEGER },
	{ "serial", XK_INTEGER }, { "bigserial", XK_INTEGER }, { "smallserial", XK_INTEGER },
	{ "serial2", XK_INTEGER }, { "serial4", XK_INTEGER }, { "serial8", XK_INTEGER },
	{ "float4", XK_REAL }, { "float8", XK_REAL }, { "real", XK_REAL },
	{ "numeric", XK_NUMERIC }, { "decimal", XK_NUMERIC },
	{ "bool", XK_BOOL }, { "boolean", XK_BOOL },
	{ "uuid", XK_UUID },
	{ "timestamptz", XK_TIMESTAMPTZ }, { "timestamp", XK_TIMESTAMP }, { "date", XK_DATE },
	{ "json", XK_JSON }, { "jsonb", XK_JSON },
	{ "bytea", XK_BLOB },
};

int sra_xlate__type_kind(xl_kind *kind, xl_kind *elem, const char **zEnum,
			 const xl_model *m, json_t *typeName)
{
	const char *name = sra_xlate__last_name(LIST(typeName, "names"));
	const xl_enum *e;
	xl_kind k = XK_TEXT;
	size_t i;
	bool found = false;

	*zEnum = NULL;
	if (!name)
		return sra_xlate__unsupported("this type");
	if (BOOL(typeName, "setof"))
		return sra_xlate__unsupported("SETOF %s", name);
	for (i = 0; i < SRA_ARRAY_SIZE(builtin_types); i++) {
		if (strcmp(builtin_types[i].name, name) == 0) {
			k = builtin_types[i].kind;
			found = true;
			break;
		}
	}
	if (!found && (e = sra_xlate__find_enum(m, name)) != NULL) {
		k = XK_ENUM;
		*zEnum = e->zName;
		found = true;
	}
	if (!found)
		return sra_xlate__unsupported("type %s", name);
	if (json_array_size(LIST(typeName, "arrayBounds")) > 0) {
		*elem = k;
		*kind = XK_ARRAY;
	} else {
		*elem = k;
		*kind = k;
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Literals in PostgreSQL's input syntax
 */

/* 't', 'true', 'yes', 'on', '1' and their opposites → 1 or 0; else -1 */
static int parse_bool(const char *s)
{
	static const char *const yes[] = { "t", "true", "y", "yes", "on", "1" };
	static const char *const no[] = { "f", "false", "n", "no", "off", "0" };
	char buf[8];
	size_t i, n;

	while (isspace((unsigned char)*s))
		s++;
	for (n = 0; s[n] && !isspace((unsigned char)s[n]) && n < sizeof(buf) - 1; n++)
		buf[n] = (char)tolower((unsigned char)s[n]);
	buf[n] = '\0';
	for (i = 0; i < SRA_ARRAY_SIZE(yes); i++) {
		if (strcmp(buf, yes[i]) == 0)
			return 1;
		if (strcmp(buf, no[i]) == 0)
			return 0;
	}
	return -1;
}

static bool read_digits(const char **pp, int n, int *out)
{
	const char *p = *pp;
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*pp = p + n;
	*out = v;
	return true;
}

/*
 * A timestamp literal ("2025-05-20 13:20:38.5+02", "2025-05-20T13:20:38Z",
 * "2025-05-20") as "YYYY-MM-DDTHH:MM:SS.sssZ" in UTC, the form
 * strftime('%Y-%m-%dT%H:%M:%fZ') writes, so that stored values compare as
 * text.  `apply_zone`: timestamptz (an offset moves the value to UTC);
 * timestamp without time zone ignores an offset, as PostgreSQL does.  A
 * zoneless value is taken as UTC.  False when the text is not understood.
 */
static bool normalize_timestamp(char out[96], const char *s, bool apply_zone)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, ms = 0, off = 0, oh, om = 0;
	time_t t;
	const char *p = s;

	while (isspace((unsigned char)*p))
		p++;
	if (strcmp(p, "epoch") == 0) {
		snprintf(out, 96, "1970-01-01T00:00:00.000Z");
		return true;
	}
	if (!read_digits(&p, 4, &y) || *p++ != '-' || !read_digits(&p, 2, &mo) || *p++ != '-' ||
	    !read_digits(&p, 2, &d))
		return false;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		const char *q = p + 1;

		while (*q == ' ')
			q++;
		if (isdigit((unsigned char)*q)) {
			p = q;
			if (!read_digits(&p, 2, &h) || *p++ != ':' || !read_digits(&p, 2, &mi))
				return false;
			if (*p == ':') {
				p++;
				if (!read_digits(&p, 2, &sec))
					return false;
				if (*p == '.') {
					int scale = 100;

					for (p++; isdigit((unsigned char)*p); p++) {
						ms += (*p - '0') * scale;
						scale /= 10;
					}
				}
			}
		}
	}
	while (*p == ' ')
		p++;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0) {
		p += 3;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (!read_digits(&p, 2, &oh))
			return false;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)*p) && !read_digits(&p, 2, &om))
			return false;
		off = sign * (oh * 3600 + om * 60);
	}
	while (isspace((unsigned char)*p))
		p++;
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || sec > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (apply_zone)
		t -= off;
	if (!gmtime_r(&t, &tm))
		return false;
	snprintf(out, 96, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
	return true;
}

/*
 * PostgreSQL's array input '{a,"b c",NULL}' (one dimension) as JSON text;
 * numbers stay numbers when the element kind is numeric.  NULL when it is
 * not such an array.  Caller frees.
 */
static char *array_literal_to_json(const char *s, xl_kind elem)
{
	json_t *arr;
	sra_buf item = SRA_BUF_INIT;
	const char *p = s;
	char *res = NULL;

	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != '{')
		return NULL;
	arr = json_array();
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '}') {
		p++;
		goto end;
	}
	for (;;) {
		bool quoted = false;
		json_t *v;

		sra_buf_clear(&item);
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '"') {
			quoted = true;
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				sra_buf_putc(&item, *p);
			}
			if (*p++ != '"')
				goto fail;
		} else {
			for (; *p && *p != ',' && *p != '}'; p++) {
				if (*p == '{' || *p == '"')
					goto fail;	/* nested arrays: not here */
				if (*p == '\\' && p[1])
					p++;
				sra_buf_putc(&item, *p);
			}
			while (item.size && isspace((unsigned char)item.ptr[item.size - 1]))
				sra_buf_truncate(&item, item.size - 1);
		}
		while (isspace((unsigned char)*p))
			p++;
		if (!quoted && strcasecmp(sra_buf_cstr(&item), "NULL") == 0) {
			v = json_null();
		} else if (elem == XK_INTEGER || elem == XK_REAL || elem == XK_NUMERIC) {
			v = json_loads(sra_buf_cstr(&item), JSON_DECODE_ANY, NULL);
			if (!json_is_number(v)) {
				json_decref(v);
				goto fail;
			}
		} else if (elem == XK_BOOL) {
			int bv = parse_bool(sra_buf_cstr(&item));

			if (bv < 0)
				goto fail;
			v = json_boolean(bv);
		} else {
			v = json_string(sra_buf_cstr(&item));
			if (!v)
				goto fail;	/* not UTF-8 */
		}
		json_array_append_new(arr, v);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p++ != '}')
			goto fail;
		break;
	}
end:
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '\0')
		res = json_dumps(arr, JSON_COMPACT | JSON_ENCODE_ANY);
fail:
	json_decref(arr);
	sra_buf_dispose(&item);
	return res;
}

/*
 * String literal `s` as a value of kind `kind`: returns 1 when it wrote
 * something, 0 when the plain literal is right, <0 on error.
 */
static int coerce_string(sra_buf *out, xl_kind kind, xl_kind elem, const char *s)
{
	char ts[96];
	char *js;
	int b;

	switch (kind) {
	case XK_BOOL:
		if ((b = parse_bool(s)) < 0)
			return sra_xlate__invalid("invalid input syntax for type boolean: \"%s\"", s);
		sra_buf_putc(out, b ? '1' : '0');
		return 1;
	case XK_TIMESTAMPTZ:
	case XK_TIMESTAMP:
	case XK_DATE: {
		const char *p = s;

		while (isspace((unsigned char)*p))
			p++;
		if (strncasecmp(p, "now", 3) == 0 && p[3 + strspn(p + 3, " ")] == '\0') {
			sra_buf_puts(out, kind == XK_DATE ? "date('now')" : SRA_XLATE_NOW);
			return 1;
		}
		if (!normalize_timestamp(ts, s, kind == XK_TIMESTAMPTZ))
			return sra_xlate__unsupported("the timestamp literal '%s'", s);
		if (kind == XK_DATE)
			ts[10] = '\0';
		sra_buf_put_sql_literal(out, ts);
		return 1;
	}
	case XK_ARRAY:
		if ((js = array_literal_to_json(s, elem)) == NULL)
			return 0;	/* not '{…}': JSON already, or the CHECK will say */
		sra_buf_put_sql_literal(out, js);
		free(js);
		return 1;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------------
 * Operand kinds, for the few places where PostgreSQL's types change the
 * meaning (a string compared with a timestamp, || on jsonb …)
 */

static int column_kind(const xl_ectx *cx, json_t *fields, xl_kind *elem)
{
	size_t n = json_array_size(fields);
	const char *col, *qual;
	const xl_column *c;

	if (!cx->t || n < 1 || n > 2)
		return -1;
	col = sra_xlate__sval(json_array_get(fields, n - 1));
	if (!col)
		return -1;
	if (n == 2) {
		qual = sra_xlate__sval(json_array_get(fields, 0));
		if (!qual || (strcmp(qual, cx->t->zName) != 0 &&
			      !(cx->zAlias && strcmp(qual, cx->zAlias) == 0)))
			return -1;
	}
	if ((c = sra_xlate__find_column(cx->t, col)) == NULL)
		return -1;
	if (elem)
		*elem = c->eElem;
	return (int)c->eKind;
}

static bool is_now_call(json_t *node);

static int operand_kind(const xl_ectx *cx, json_t *node, xl_kind *elem)
{
	json_t *f;
	const char *type = NODE(node, &f);
	xl_kind k, e;
	const char *en;

	if (IS(type, "ColumnRef"))
		return column_kind(cx, LIST(f, "fields"), elem);
	if (IS(type, "TypeCast")) {
		if (sra_xlate__type_kind(&k, &e, &en, cx->m, GET(f, "typeName")) < 0) {
			sra_error_clear();
			return -1;
		}
		if (elem)
			*elem = e;
		return (int)k;
	}
	if (is_now_call(node))
		return XK_TIMESTAMPTZ;
	return -1;
}

/* ---------------------------------------------------------------------
 * Expressions
 */

static int expr(sra_buf *out, const xl_ectx *cx, json_t *node);

static bool is_atomic(json_t *node)
{
	json_t *f;
	const char *type = NODE(node, &f);

	if (!type)
		return false;
	if (IS(type, "TypeCast"))
		return is_atomic(GET(f, "arg"));
	if (IS(type, "SubLink"))
		return IS(STR(f, "subLinkType"), "EXPR_SUBLINK");
	return IS(type, "ColumnRef") || IS(type, "A_Const") || IS(type, "ParamRef") ||
	       IS(type, "FuncCall") || IS(type, "SQLValueFunction") || IS(type, "CoalesceExpr") ||
	       IS(type, "CaseExpr") || IS(type, "A_ArrayExpr") || IS(type, "RowExpr");
}

/* an operand: parenthesised unless atomic */
static int sub(sra_buf *out, const xl_ectx *cx, json_t *node)
{
	int error;

	if (is_atomic(node))
		return expr(out, cx, node);
	sra_buf_putc(out, '(');
	if ((error = expr(out, cx, node)) < 0)
		return error;
	sra_buf_putc(out, ')');
	return 0;
}

/* an operand that meets an operand of kind `kind`: a string takes its form */
static int sub_as(sra_buf *out, const xl_ectx *cx, int kind, xl_kind elem, json_t *node)
{
	const char *s = const_string(node);
	int r;

	if (kind >= 0 && s) {
		if ((r = coerce_string(out, (xl_kind)kind, elem, s)) != 0)
			return r < 0 ? r : 0;
	}
	return sub(out, cx, node);
}

static int expr_list(sra_buf *out, const xl_ectx *cx, json_t *list, const char *sep)
{
	size_t i;
	int error;

	for (i = 0; i < json_array_size(list); i++) {
		if (i > 0)
			sra_buf_puts(out, sep);
		if ((error = expr(out, cx, json_array_get(list, i))) < 0)
			return error;
	}
	return 0;
}

/* `open`, the expressions of list separated by ", ", then ")": a call, a row */
static int paren_list(sra_buf *out, const xl_ectx *cx, const char *open, json_t *list)
{
	int error;

	sra_buf_puts(out, open);
	if ((error = expr_list(out, cx, list, ", ")) < 0)
		return error;
	sra_buf_putc(out, ')');
	return 0;
}

static int a_const(sra_buf *out, json_t *f)
{
	json_t *v;

	if (BOOL(f, "isnull")) {
		sra_buf_puts(out, "NULL");
	} else if ((v = GET(f, "ival")) != NULL) {
		sra_buf_printf(out, "%lld", (long long)json_integer_value(GET(v, "ival")));
	} else if ((v = GET(f, "fval")) != NULL) {
		sra_buf_puts(out, STR(v, "fval") ? STR(v, "fval") : "0");
	} else if ((v = GET(f, "sval")) != NULL) {
		sra_buf_put_sql_literal(out, STR(v, "sval") ? STR(v, "sval") : "");
	} else if ((v = GET(f, "boolval")) != NULL) {
		sra_buf_putc(out, BOOL(v, "boolval") ? '1' : '0');
	} else if (GET(f, "bsval")) {
		return sra_xlate__unsupported("a bit-string constant");
	} else {
		return sra_xlate__unsupported("this constant");
	}
	return 0;
}

static int column_ref(sra_buf *out, json_t *f)
{
	json_t *fields = LIST(f, "fields");
	size_t i;

	for (i = 0; i < json_array_size(fields); i++) {
		json_t *ff, *item = json_array_get(fields, i);
		const char *type = NODE(item, &ff);

		if (i > 0)
			sra_buf_putc(out, '.');
		if (IS(type, "A_Star"))
			sra_buf_putc(out, '*');
		else if (IS(type, "String"))
			sra_xlate__ident(out, sra_xlate__sval(item));
		else
			return sra_xlate__unsupported("this column reference");
	}
	return 0;
}

static const char *func_name(json_t *f)
{
	return sra_xlate__last_name(LIST(f, "funcname"));
}

/* now() and its synonyms (all one value per statement in SQLite) */
static bool is_now_name(const char *name)
{
	static const char *const now_funcs[] = {
		"now", "transaction_timestamp", "statement_timestamp", "clock_timestamp",
	};
	size_t i;

	for (i = 0; name && i < SRA_ARRAY_SIZE(now_funcs); i++)
		if (strcmp(name, now_funcs[i]) == 0)
			return true;
	return false;
}

static bool is_now_call(json_t *node)
{
	json_t *f;
	const char *type = NODE(node, &f);

	if (IS(type, "SQLValueFunction")) {
		const char *op = STR(f, "op");

		return op && (strncmp(op, "SVFOP_CURRENT_TIMESTAMP", 23) == 0 ||
			      strncmp(op, "SVFOP_LOCALTIMESTAMP", 20) == 0);
	}
	return IS(type, "FuncCall") && json_array_size(LIST(f, "args")) == 0 && is_now_name(func_name(f));
}

static bool is_utc_zone(const char *z)
{
	return z && (strcasecmp(z, "utc") == 0 || strcasecmp(z, "etc/utc") == 0 ||
		     strcasecmp(z, "gmt") == 0 || strcasecmp(z, "z") == 0 || strcmp(z, "UCT") == 0);
}

/* functions with the same meaning in both dialects, under these names */
static const struct {
	const char *pg;
	const char *lite;
	int min, max;	/* argument count; max -1: any */
} same_funcs[] = {
	{ "lower", "lower", 1, 1 }, { "upper", "upper", 1, 1 },
	{ "length", "length", 1, 1 }, { "char_length", "length", 1, 1 },
	{ "character_length", "length", 1, 1 }, { "octet_length", "octet_length", 1, 1 },
	{ "abs", "abs", 1, 1 }, { "round", "round", 1, 2 },
	{ "btrim", "trim", 1, 2 }, { "ltrim", "ltrim", 1, 2 }, { "rtrim", "rtrim", 1, 2 },
	{ "replace", "replace", 3, 3 }, { "substr", "substr", 2, 3 }, { "substring", "substr", 2, 3 },
	{ "strpos", "instr", 2, 2 }, { "position", "instr", 2, 2 },
	{ "nullif", "nullif", 2, 2 },
	{ "count", "count", 0, 1 }, { "sum", "sum", 1, 1 }, { "avg", "avg", 1, 1 },
	{ "min", "min", 1, 1 }, { "max", "max", 1, 1 },
	{ "string_agg", "group_concat", 2, 2 },
	{ "array_agg", "json_group_array", 1, 1 }, { "json_agg", "json_group_array", 1, 1 },
	{ "jsonb_agg", "json_group_array", 1, 1 },
	{ "json_build_object", "json_object", 0, -1 }, { "jsonb_build_object", "json_object", 0, -1 },
	{ "json_build_array", "json_array", 0, -1 }, { "jsonb_build_array", "json_array", 0, -1 },
	{ "json_array_length", "json_array_length", 1, 1 },
	{ "jsonb_array_length", "json_array_length", 1, 1 },
	{ "cardinality", "json_array_length", 1, 1 },
};

static int func_call(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	const char *name = func_name(f);
	json_t *args = LIST(f, "args");
	size_t nargs = json_array_size(args), i;
	int error;

	if (!name)
		return sra_xlate__unsupported("this function call");
	if (GET(f, "over"))
		return sra_xlate__unsupported("the window function %s()", name);
	if (LIST(f, "agg_order") || BOOL(f, "agg_within_group"))
		return sra_xlate__unsupported("%s() with ORDER BY", name);
	if (BOOL(f, "func_variadic"))
		return sra_xlate__unsupported("VARIADIC %s()", name);

	if (nargs == 0 && is_now_name(name)) {
		sra_buf_puts(out, SRA_XLATE_NOW);
		return 0;
	}
	if (nargs == 0 && (strcmp(name, "gen_random_uuid") == 0 ||
			   strcmp(name, "uuid_generate_v4") == 0)) {
		sra_buf_printf(out, "(%s)", sra_xlate__uuid_v4);
		return 0;
	}
	if (strcmp(name, "timezone") == 0 && nargs == 2) {
		/* timezone('utc', x) / x AT TIME ZONE 'UTC': values are UTC already */
		if (!is_utc_zone(const_string(json_array_get(args, 0))))
			return sra_xlate__unsupported("timezone() to a zone other than UTC");
		return expr(out, cx, json_array_get(args, 1));
	}
	if (strcmp(name, "array_length") == 0 && nargs == 2) {
		sra_buf_puts(out, "json_array_length(");
		if ((error = expr(out, cx, json_array_get(args, 0))) < 0)
			return error;
		sra_buf_putc(out, ')');
		return 0;
	}
	for (i = 0; i < SRA_ARRAY_SIZE(same_funcs); i++) {
		if (strcmp(same_funcs[i].pg, name) != 0)
			continue;
		if ((int)nargs < same_funcs[i].min ||
		    (same_funcs[i].max >= 0 && (int)nargs > same_funcs[i].max))
			break;
		sra_buf_puts(out, same_funcs[i].lite);
		sra_buf_putc(out, '(');
		if (BOOL(f, "agg_star")) {
			sra_buf_putc(out, '*');
		} else {
			if (BOOL(f, "agg_distinct"))
				sra_buf_puts(out, "DISTINCT ");
			if ((error = expr_list(out, cx, args, ", ")) < 0)
				return error;
		}
		sra_buf_putc(out, ')');
		if (GET(f, "agg_filter")) {
			sra_buf_puts(out, " FILTER (WHERE ");
			if ((error = expr(out, cx, GET(f, "agg_filter"))) < 0)
				return error;
			sra_buf_putc(out, ')');
		}
		return 0;
	}
	return sra_xlate__unsupported("the function %s()", name);
}

static int type_cast(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	json_t *arg = GET(f, "arg");
	const char *s = cast_string(arg), *en;
	xl_kind k, elem;
	int ak, error, r;

	if ((error = sra_xlate__type_kind(&k, &elem, &en, cx->m, GET(f, "typeName"))) < 0) {
		const char *tn = sra_xlate__last_name(LIST(GET(f, "typeName"), "names"));

		sra_error_clear();
		return sra_xlate__unsupported("the cast to %s", tn ? tn : "this type");
	}
	if (s && (r = coerce_string(out, k, elem, s)) != 0)
		return r < 0 ? r : 0;
	ak = operand_kind(cx, arg, NULL);
	switch (k) {
	case XK_UUID:
	case XK_JSON:
	case XK_ENUM:
	case XK_ARRAY:
		return expr(out, cx, arg);
	case XK_TEXT:
		if (s)
			return expr(out, cx, arg);
		sra_buf_puts(out, "CAST(");
		if ((error = expr(out, cx, arg)) < 0)
			return error;
		sra_buf_puts(out, " AS TEXT)");
		return 0;
	case XK_BOOL:
		if (is_const_type(arg, "boolval"))
			return expr(out, cx, arg);
		if (is_const_type(arg, "ival")) {
			json_t *af, *v;

			NODE(arg, &af);
			v = GET(GET(af, "ival"), "ival");
			sra_buf_putc(out, json_integer_value(v) != 0 ? '1' : '0');
			return 0;
		}
		if (ak == XK_BOOL)
			return expr(out, cx, arg);
		return sra_xlate__unsupported("a cast of an expression to boolean");
	case XK_INTEGER:
	case XK_REAL:
	case XK_NUMERIC:
		if (is_const_type(arg, "ival") || (k != XK_INTEGER && is_const_type(arg, "fval")) ||
		    ak == (int)k)
			return expr(out, cx, arg);
		/* PostgreSQL rounds a fraction to integer, SQLite's CAST truncates */
		if (k == XK_INTEGER && (ak == XK_REAL || ak == XK_NUMERIC || is_const_type(arg, "fval"))) {
			sra_buf_puts(out, "CAST(round(");
			if ((error = expr(out, cx, arg)) < 0)
				return error;
			sra_buf_puts(out, ") AS INTEGER)");
			return 0;
		}
		sra_buf_puts(out, "CAST(");
		if ((error = expr(out, cx, arg)) < 0)
			return error;
		sra_buf_printf(out, " AS %s)", sra_xlate__sqlite_type(k));
		return 0;
	case XK_TIMESTAMPTZ:
	case XK_TIMESTAMP:
		if (is_now_call(arg) || ak == XK_TIMESTAMPTZ || ak == XK_TIMESTAMP)
			return expr(out, cx, arg);
		sra_buf_puts(out, "strftime('%Y-%m-%dT%H:%M:%fZ', ");
		if ((error = expr(out, cx, arg)) < 0)
			return error;
		sra_buf_putc(out, ')');
		return 0;
	case XK_DATE:
		if (ak == XK_DATE)
			return expr(out, cx, arg);
		sra_buf_puts(out, "date(");
		if ((error = expr(out, cx, arg)) < 0)
			return error;
		sra_buf_putc(out, ')');
		return 0;
	default:
		return sra_xlate__unsupported("the cast to bytea");
	}
}

/* 'a%b_' → GLOB 'a*b?': PostgreSQL's LIKE is case-sensitive, SQLite's is not */
static int like_to_glob(sra_buf *out, const char *pat, char esc)
{
	const char *p;

	sra_buf_putc(out, '\'');
	for (p = pat; *p; p++) {
		char c = *p;

		if (esc && c == esc) {
			if (!p[1])
				return sra_xlate__invalid("LIKE pattern must not end with escape character");
			c = *++p;
			goto literal;
		}
		if (c == '%') {
			sra_buf_putc(out, '*');
			continue;
		}
		if (c == '_') {
			sra_buf_putc(out, '?');
			continue;
		}
literal:
		if (c == '*' || c == '?' || c == '[')
			sra_buf_printf(out, "[%c]", c);
		else if (c == '\'')
			sra_buf_puts(out, "''");
		else
			sra_buf_putc(out, c);
	}
	sra_buf_putc(out, '\'');
	return 0;
}

static int like_expr(sra_buf *out, const xl_ectx *cx, json_t *f, bool ilike)
{
	const char *op = sra_xlate__last_name(LIST(f, "name"));
	bool neg = op && op[0] == '!';
	json_t *rexpr = GET(f, "rexpr"), *rf;
	const char *pat = const_string(rexpr);
	char esc = '\\';
	int error;

	if (!pat && IS(NODE(rexpr, &rf), "FuncCall") && strcmp(func_name(rf), "like_escape") == 0) {
		json_t *args = LIST(rf, "args");
		const char *e = const_string(json_array_get(args, 1));

		pat = const_string(json_array_get(args, 0));
		if (!e || strlen(e) > 1)
			return sra_xlate__unsupported("LIKE … ESCAPE with this escape");
		esc = e[0];
	}
	if (!pat)
		return sra_xlate__unsupported("LIKE with a pattern that is not a constant");
	if ((error = sub(out, cx, GET(f, "lexpr"))) < 0)
		return error;
	if (ilike) {
		/* ASCII case-insensitive, like PostgreSQL's ILIKE in the C locale */
		sra_buf_puts(out, neg ? " NOT LIKE " : " LIKE ");
		sra_buf_put_sql_literal(out, pat);
		if (esc && strchr(pat, esc)) {
			sra_buf_puts(out, " ESCAPE ");
			sra_buf_put_sql_literal(out, (char[]){ esc, '\0' });
		}
		return 0;
	}
	sra_buf_puts(out, neg ? " NOT GLOB " : " GLOB ");
	return like_to_glob(out, pat, esc);
}

static const char *const plain_ops[] = {
	"=", "<", ">", "<=", ">=", "+", "-", "*", "/", "%", "||", "->", "->>",
};

static int op_expr(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	const char *op = sra_xlate__last_name(LIST(f, "name"));
	json_t *l = GET(f, "lexpr"), *r = GET(f, "rexpr");
	xl_kind le = XK_TEXT, re = XK_TEXT;
	int lk, rk, error;
	size_t i;
	bool known = false;

	if (!op)
		return sra_xlate__unsupported("this operator");
	if (strcmp(op, "!=") == 0)
		op = "<>";
	if (strcmp(op, "<>") == 0)
		known = true;
	for (i = 0; i < SRA_ARRAY_SIZE(plain_ops); i++)
		if (strcmp(op, plain_ops[i]) == 0)
			known = true;
	if (!known)
		return sra_xlate__unsupported("the operator %s", op);
	if (!l) {
		if (strcmp(op, "-") != 0 && strcmp(op, "+") != 0)
			return sra_xlate__unsupported("the prefix operator %s", op);
		sra_buf_printf(out, "%s ", op);
		return sub(out, cx, r);
	}
	lk = operand_kind(cx, l, &le);
	rk = operand_kind(cx, r, &re);
	if (strcmp(op, "||") == 0 || strcmp(op, "-") == 0 || strcmp(op, "+") == 0) {
		int k;

		for (k = 0; k < 2; k++) {
			int kk = k ? rk : lk;

			if (kk == XK_JSON || kk == XK_ARRAY)
				return sra_xlate__unsupported("the operator %s on jsonb or arrays", op);
			if (op[0] != '|' && (kk == XK_TIMESTAMPTZ || kk == XK_TIMESTAMP || kk == XK_DATE))
				return sra_xlate__unsupported("date/time arithmetic (%s)", op);
		}
	}
	if ((error = sub_as(out, cx, rk, re, l)) < 0)
		return error;
	sra_buf_printf(out, " %s ", op);
	return sub_as(out, cx, lk, le, r);
}

static int in_list(sra_buf *out, const xl_ectx *cx, json_t *lexpr, json_t *items, bool neg)
{
	xl_kind le = XK_TEXT;
	int lk = operand_kind(cx, lexpr, &le), error;
	size_t i;

	if ((error = sub(out, cx, lexpr)) < 0)
		return error;
	sra_buf_puts(out, neg ? " NOT IN (" : " IN (");
	for (i = 0; i < json_array_size(items); i++) {
		if (i > 0)
			sra_buf_puts(out, ", ");
		if ((error = sub_as(out, cx, lk, le, json_array_get(items, i))) < 0)
			return error;
	}
	sra_buf_putc(out, ')');
	return 0;
}

static int a_expr(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	const char *kind = STR(f, "kind");
	const char *op = sra_xlate__last_name(LIST(f, "name"));
	json_t *l = GET(f, "lexpr"), *r = GET(f, "rexpr"), *rf;
	int error;

	if (IS(kind, "AEXPR_OP"))
		return op_expr(out, cx, f);
	if (IS(kind, "AEXPR_DISTINCT") || IS(kind, "AEXPR_NOT_DISTINCT")) {
		if ((error = sub(out, cx, l)) < 0)
			return error;
		sra_buf_puts(out, IS(kind, "AEXPR_DISTINCT") ? " IS NOT " : " IS ");
		return sub(out, cx, r);
	}
	if (IS(kind, "AEXPR_NULLIF")) {
		sra_buf_puts(out, "nullif(");
		if ((error = expr(out, cx, l)) < 0)
			return error;
		sra_buf_puts(out, ", ");
		if ((error = expr(out, cx, r)) < 0)
			return error;
		sra_buf_putc(out, ')');
		return 0;
	}
	if (IS(kind, "AEXPR_IN")) {
		NODE(r, &rf);
		return in_list(out, cx, l, LIST(rf, "items"), op && strcmp(op, "<>") == 0);
	}
	if (IS(kind, "AEXPR_OP_ANY") || IS(kind, "AEXPR_OP_ALL")) {
		/* x = ANY(ARRAY[…]) is IN; x = ANY(array column) searches its JSON */
		bool any = IS(kind, "AEXPR_OP_ANY");

		if (!op || (any && strcmp(op, "=") != 0) || (!any && strcmp(op, "<>") != 0))
			return sra_xlate__unsupported("%s %s", op ? op : "?", any ? "ANY" : "ALL");
		if (IS(NODE(r, &rf), "A_ArrayExpr"))
			return in_list(out, cx, l, LIST(rf, "elements"), !any);
		if ((error = sub(out, cx, l)) < 0)
			return error;
		sra_buf_puts(out, any ? " IN (SELECT value FROM json_each(" : " NOT IN (SELECT value FROM json_each(");
		if ((error = expr(out, cx, r)) < 0)
			return error;
		sra_buf_puts(out, "))");
		return 0;
	}
	if (IS(kind, "AEXPR_LIKE"))
		return like_expr(out, cx, f, false);
	if (IS(kind, "AEXPR_ILIKE"))
		return like_expr(out, cx, f, true);
	if (IS(kind, "AEXPR_BETWEEN") || IS(kind, "AEXPR_NOT_BETWEEN")) {
		xl_kind le = XK_TEXT;
		int lk = operand_kind(cx, l, &le);
		json_t *items;

		NODE(r, &rf);
		items = LIST(rf, "items");
		if ((error = sub(out, cx, l)) < 0)
			return error;
		sra_buf_puts(out, IS(kind, "AEXPR_BETWEEN") ? " BETWEEN " : " NOT BETWEEN ");
		if ((error = sub_as(out, cx, lk, le, json_array_get(items, 0))) < 0)
			return error;
		sra_buf_puts(out, " AND ");
		return sub_as(out, cx, lk, le, json_array_get(items, 1));
	}
	if (IS(kind, "AEXPR_SIMILAR"))
		return sra_xlate__unsupported("SIMILAR TO");
	return sra_xlate__unsupported("%s", kind ? kind : "this operator");
}

static int bool_expr(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	const char *op = STR(f, "boolop");
	json_t *args = LIST(f, "args");
	size_t i;
	int error;

	if (IS(op, "NOT_EXPR")) {
		sra_buf_puts(out, "NOT ");
		return sub(out, cx, json_array_get(args, 0));
	}
	for (i = 0; i < json_array_size(args); i++) {
		if (i > 0)
			sra_buf_puts(out, IS(op, "AND_EXPR") ? " AND " : " OR ");
		if ((error = sub(out, cx, json_array_get(args, i))) < 0)
			return error;
	}
	return 0;
}

static int case_expr(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	json_t *args = LIST(f, "args"), *wf;
	size_t i;
	int error;

	sra_buf_puts(out, "CASE");
	if (GET(f, "arg")) {
		sra_buf_putc(out, ' ');
		if ((error = sub(out, cx, GET(f, "arg"))) < 0)
			return error;
	}
	for (i = 0; i < json_array_size(args); i++) {
		NODE(json_array_get(args, i), &wf);
		sra_buf_puts(out, " WHEN ");
		if ((error = expr(out, cx, GET(wf, "expr"))) < 0)
			return error;
		sra_buf_puts(out, " THEN ");
		if ((error = expr(out, cx, GET(wf, "result"))) < 0)
			return error;
	}
	if (GET(f, "defresult")) {
		sra_buf_puts(out, " ELSE ");
		if ((error = expr(out, cx, GET(f, "defresult"))) < 0)
			return error;
	}
	sra_buf_puts(out, " END");
	return 0;
}

static int sub_link(sra_buf *out, const xl_ectx *cx, json_t *f)
{
	const char *type = STR(f, "subLinkType");
	json_t *sel = GET(f, "subselect"), *sf;
	int error;

	NODE(sel, &sf);
	if (IS(type, "EXISTS_SUBLINK")) {
		sra_buf_puts(out, "EXISTS (");
	} else if (IS(type, "EXPR_SUBLINK")) {
		sra_buf_putc(out, '(');
	} else if (IS(type, "ANY_SUBLINK")) {
		const char *op = sra_xlate__last_name(LIST(f, "operName"));

		if (op && strcmp(op, "=") != 0)
			return sra_xlate__unsupported("%s ANY (SELECT …)", op);
		if ((error = sub(out, cx, GET(f, "testexpr"))) < 0)
			return error;
		sra_buf_puts(out, " IN (");
	} else {
		return sra_xlate__unsupported("this kind of subquery (%s)", type ? type : "?");
	}
	if ((error = select_stmt(out, cx, sf)) < 0)
		return error;
	sra_buf_putc(out, ')');
	return 0;
}

static int sql_value_function(sra_buf *out, json_t *f)
{
	const char *op = STR(f, "op");

	if (!op)
		return sra_xlate__unsupported("this SQL value function");
	if (strncmp(op, "SVFOP_CURRENT_TIMESTAMP", 23) == 0 || strncmp(op, "SVFOP_LOCALTIMESTAMP", 20) == 0)
		sra_buf_puts(out, SRA_XLATE_NOW);
	else if (strcmp(op, "SVFOP_CURRENT_DATE") == 0)
		sra_buf_puts(out, "date('now')");
	else if (strncmp(op, "SVFOP_CURRENT_TIME", 18) == 0 || strncmp(op, "SVFOP_LOCALTIME", 15) == 0)
		sra_buf_puts(out, "strftime('%H:%M:%f', 'now')");
	else
		return sra_xlate__unsupported("%s", op + 6);
	return 0;
}

static int expr(sra_buf *out, const xl_ectx *cx, json_t *node)
{
	json_t *f;
	const char *type = NODE(node, &f);
	int error;

	if (!type)
		return sra_xlate__unsupported("an empty expression");
	if (IS(type, "A_Const"))
		return a_const(out, f);
	if (IS(type, "ColumnRef"))
		return column_ref(out, f);
	if (IS(type, "ParamRef")) {
		sra_buf_printf(out, "?%ld", sra_xlate__int(f, "number"));
		return 0;
	}
	if (IS(type, "A_Expr"))
		return a_expr(out, cx, f);
	if (IS(type, "BoolExpr"))
		return bool_expr(out, cx, f);
	if (IS(type, "NullTest")) {
		if ((error = sub(out, cx, GET(f, "arg"))) < 0)
			return error;
		sra_buf_puts(out, IS(STR(f, "nulltesttype"), "IS_NOT_NULL") ? " IS NOT NULL" : " IS NULL");
		return 0;
	}
	if (IS(type, "BooleanTest")) {
		static const char *const tests[][2] = {
			{ "IS_TRUE", " IS TRUE" }, { "IS_NOT_TRUE", " IS NOT TRUE" },
			{ "IS_FALSE", " IS FALSE" }, { "IS_NOT_FALSE", " IS NOT FALSE" },
			{ "IS_UNKNOWN", " IS NULL" }, { "IS_NOT_UNKNOWN", " IS NOT NULL" },
		};
		const char *t = STR(f, "booltesttype");
		size_t i;

		if ((error = sub(out, cx, GET(f, "arg"))) < 0)
			return error;
		for (i = 0; i < SRA_ARRAY_SIZE(tests); i++) {
			if (IS(t, tests[i][0])) {
				sra_buf_puts(out, tests[i][1]);
				return 0;
			}
		}
		return sra_xlate__unsupported("this boolean test");
	}
	if (IS(type, "TypeCast"))
		return type_cast(out, cx, f);
	if (IS(type, "FuncCall"))
		return func_call(out, cx, f);
	if (IS(type, "SQLValueFunction"))
		return sql_value_function(out, f);
	if (IS(type, "CaseExpr"))
		return case_expr(out, cx, f);
	if (IS(type, "CoalesceExpr")) {
		json_t *args = LIST(f, "args");

		if (json_array_size(args) == 1)	/* SQLite's coalesce() wants two */
			return sub(out, cx, json_array_get(args, 0));
		return paren_list(out, cx, "coalesce(", args);
	}
	if (IS(type, "A_ArrayExpr"))
		return paren_list(out, cx, "json_array(", LIST(f, "elements"));
	if (IS(type, "RowExpr"))
		return paren_list(out, cx, "(", LIST(f, "args"));
	if (IS(type, "SubLink"))
		return sub_link(out, cx, f);
	if (IS(type, "MinMaxExpr"))
		return sra_xlate__unsupported("GREATEST/LEAST (SQLite's max()/min() return NULL on any NULL)");
	if (IS(type, "SetToDefault"))
		return sra_xlate__unsupported("DEFAULT in this place");
	if (IS(type, "CollateClause"))
		return sra_xlate__unsupported("COLLATE");
	if (IS(type, "A_Indirection"))
		return sra_xlate__unsupported("array subscripts and field selection");
	return sra_xlate__unsupported("the expression %s", type);
}

int sra_xlate__expr(sra_buf *out, const xl_ectx *cx, json_t *node)
{
	return expr(out, cx, node);
}

int sra_xlate__value(sra_buf *out, const xl_ectx *cx, const xl_column *col, json_t *node)
{
	json_t *f;
	const char *type = NODE(node, &f);
	const char *s;
	int r;

	if (IS(type, "SetToDefault")) {
		if (col && col->pDefault)
			return sra_xlate__value(out, cx, col, col->pDefault);
		sra_buf_puts(out, "NULL");
		return 0;
	}
	if (col && (s = cast_string(node)) != NULL) {
		if ((r = coerce_string(out, col->eKind, col->eElem, s)) != 0)
			return r < 0 ? r : 0;
		sra_buf_put_sql_literal(out, s);
		return 0;
	}
	return expr(out, cx, node);
}

/* ---------------------------------------------------------------------
 * Walking expressions kept in the model
 */

static void walk_refs(sra_strv *out, json_t *node)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			walk_refs(out, v);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, v) {
		if (strcmp(key, "ColumnRef") == 0) {
			json_t *fields = LIST(v, "fields");
			const char *name = sra_xlate__last_name(fields);

			if (name && sra_strv_find(out, name) < 0)
				sra_strv_push(out, name);
			continue;
		}
		if (strcmp(key, "SubLink") == 0)
			continue;
		walk_refs(out, v);
	}
}

void sra_xlate__column_refs(sra_strv *out, json_t *node)
{
	walk_refs(out, node);
}

static void walk_rename(json_t *node, const char *table, const char *from, const char *to)
{
	const char *key;
	json_t *v;
	size_t i;

	if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			walk_rename(v, table, from, to);
		return;
	}
	if (!json_is_object(node))
		return;
	json_object_foreach(node, key, v) {
		if (strcmp(key, "ColumnRef") == 0) {
			json_t *fields = LIST(v, "fields"), *last, *lf;
			size_t n = json_array_size(fields);
			const char *name = sra_xlate__last_name(fields);

			if (!name || strcmp(name, from) != 0 || n > 2)
				continue;
			if (n == 2 && (!sra_xlate__sval(json_array_get(fields, 0)) ||
				       strcmp(sra_xlate__sval(json_array_get(fields, 0)), table) != 0))
				continue;
			last = json_array_get(fields, n - 1);
			NODE(last, &lf);
			json_object_set_new(lf, "sval", json_string(to));
			continue;
		}
		walk_rename(v, table, from, to);
	}
}

json_t *sra_xlate__rename_column_refs(json_t *node, const char *table, const char *from, const char *to)
{
	json_t *copy;

	if (!node)
		return NULL;
	copy = json_deep_copy(node);
	walk_rename(copy, table, from, to);
	return copy;
}

/* ---------------------------------------------------------------------
 * SELECT
 */

static int range_var(sra_buf *out, json_t *rv, const char **alias)
{
	const char *schema = STR(rv, "schemaname");
	json_t *a = GET(rv, "alias");

	if (schema && strcmp(schema, "public") != 0)
		return sra_xlate__unsupported("the schema-qualified name %s.%s", schema,
					      STR(rv, "relname"));
	sra_xlate__ident(out, STR(rv, "relname"));
	if (a) {
		if (json_array_size(LIST(a, "colnames")) > 0)
			return sra_xlate__unsupported("a table alias with column names");
		sra_buf_puts(out, " AS ");
		sra_xlate__ident(out, STR(a, "aliasname"));
		if (alias)
			*alias = STR(a, "aliasname");
	}
	return 0;
}

static int from_item(sra_buf *out, const xl_ectx *cx, json_t *node)
{
	json_t *f;
	const char *type = NODE(node, &f);
	int error;

	if (IS(type, "RangeVar"))
		return range_var(out, f, NULL);
	if (IS(type, "RangeSubselect")) {
		json_t *sf, *a = GET(f, "alias");

		if (BOOL(f, "lateral"))
			return sra_xlate__unsupported("LATERAL");
		NODE(GET(f, "subquery"), &sf);
		sra_buf_putc(out, '(');
		if ((error = select_stmt(out, cx, sf)) < 0)
			return error;
		sra_buf_putc(out, ')');
		if (a) {
			sra_buf_puts(out, " AS ");
			sra_xlate__ident(out, STR(a, "aliasname"));
		}
		return 0;
	}
	if (IS(type, "JoinExpr")) {
		const char *jt = STR(f, "jointype");
		json_t *using = LIST(f, "usingClause");
		size_t i;

		if (GET(f, "alias") || GET(f, "join_using_alias"))
			return sra_xlate__unsupported("an alias on a JOIN");
		if ((error = from_item(out, cx, GET(f, "larg"))) < 0)
			return error;
		if (BOOL(f, "isNatural"))
			sra_buf_puts(out, " NATURAL");
		if (IS(jt, "JOIN_LEFT"))
			sra_buf_puts(out, " LEFT JOIN ");
		else if (IS(jt, "JOIN_RIGHT"))
			sra_buf_puts(out, " RIGHT JOIN ");
		else if (IS(jt, "JOIN_FULL"))
			sra_buf_puts(out, " FULL JOIN ");
		else if (!GET(f, "quals") && !using && !BOOL(f, "isNatural"))
			sra_buf_puts(out, " CROSS JOIN ");
		else
			sra_buf_puts(out, " JOIN ");
		if ((error = from_item(out, cx, GET(f, "rarg"))) < 0)
			return error;
		if (using) {
			sra_buf_puts(out, " USING (");
			for (i = 0; i < json_array_size(using); i++) {
				if (i > 0)
					sra_buf_puts(out, ", ");
				sra_xlate__ident(out, sra_xlate__sval(json_array_get(using, i)));
			}
			sra_buf_putc(out, ')');
		} else if (GET(f, "quals")) {
			sra_buf_puts(out, " ON ");
			return expr(out, cx, GET(f, "quals"));
		}
		return 0;
	}
	return sra_xlate__unsupported("%s in FROM", type ? type : "this item");
}

static int target_list(sra_buf *out, const xl_ectx *cx, json_t *list)
{
	size_t i;
	int error;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *rf;

		NODE(json_array_get(list, i), &rf);
		if (i > 0)
			sra_buf_puts(out, ", ");
		if ((error = expr(out, cx, GET(rf, "val"))) < 0)
			return error;
		if (STR(rf, "name")) {
			sra_buf_puts(out, " AS ");
			sra_xlate__ident(out, STR(rf, "name"));
		}
	}
	return 0;
}

static int with_clause(sra_buf *out, const xl_ectx *cx, json_t *w)
{
	json_t *ctes = LIST(w, "ctes");
	size_t i, j;
	int error;

	sra_buf_puts(out, BOOL(w, "recursive") ? "WITH RECURSIVE " : "WITH ");
	for (i = 0; i < json_array_size(ctes); i++) {
		json_t *cf, *qf, *cols;
		const char *qt;

		NODE(json_array_get(ctes, i), &cf);
		qt = NODE(GET(cf, "ctequery"), &qf);
		if (!IS(qt, "SelectStmt"))
			return sra_xlate__unsupported("WITH %s AS (a data-modifying statement)",
						      STR(cf, "ctename"));
		if (i > 0)
			sra_buf_puts(out, ", ");
		sra_xlate__ident(out, STR(cf, "ctename"));
		cols = LIST(cf, "aliascolnames");
		if (json_array_size(cols) > 0) {
			sra_buf_puts(out, " (");
			for (j = 0; j < json_array_size(cols); j++) {
				if (j > 0)
					sra_buf_puts(out, ", ");
				sra_xlate__ident(out, sra_xlate__sval(json_array_get(cols, j)));
			}
			sra_buf_putc(out, ')');
		}
		sra_buf_puts(out, " AS (");
		if ((error = select_stmt(out, cx, qf)) < 0)
			return error;
		sra_buf_putc(out, ')');
	}
	sra_buf_putc(out, ' ');
	return 0;
}

static int order_limit(sra_buf *out, const xl_ectx *cx, json_t *s)
{
	json_t *sort = LIST(s, "sortClause");
	json_t *count = GET(s, "limitCount"), *offset = GET(s, "limitOffset");
	size_t i;
	int error;

	if (IS(STR(s, "limitOption"), "LIMIT_OPTION_WITH_TIES"))
		return sra_xlate__unsupported("FETCH … WITH TIES");
	if (json_array_size(sort) > 0) {
		sra_buf_puts(out, " ORDER BY ");
		for (i = 0; i < json_array_size(sort); i++) {
			json_t *sf;
			const char *dir, *nulls;
			bool desc;

			NODE(json_array_get(sort, i), &sf);
			dir = STR(sf, "sortby_dir");
			nulls = STR(sf, "sortby_nulls");
			if (IS(dir, "SORTBY_USING"))
				return sra_xlate__unsupported("ORDER BY … USING");
			desc = IS(dir, "SORTBY_DESC");
			if (i > 0)
				sra_buf_puts(out, ", ");
			if ((error = expr(out, cx, GET(sf, "node"))) < 0)
				return error;
			if (desc)
				sra_buf_puts(out, " DESC");
			/* PostgreSQL sorts NULL as the largest value, SQLite as the smallest */
			if (IS(nulls, "SORTBY_NULLS_FIRST") || (!IS(nulls, "SORTBY_NULLS_LAST") && desc))
				sra_buf_puts(out, " NULLS FIRST");
			else
				sra_buf_puts(out, " NULLS LAST");
		}
	}
	if (count || offset) {
		json_t *cf;

		sra_buf_puts(out, " LIMIT ");
		if (!count || (IS(NODE(count, &cf), "A_Const") && BOOL(cf, "isnull")))
			sra_buf_puts(out, "-1");
		else if ((error = expr(out, cx, count)) < 0)
			return error;
		if (offset) {
			sra_buf_puts(out, " OFFSET ");
			if ((error = expr(out, cx, offset)) < 0)
				return error;
		}
	}
	return 0;
}

static int values_lists(sra_buf *out, const xl_ectx *cx, json_t *rows)
{
	size_t i;
	int error;

	sra_buf_puts(out, "VALUES ");
	for (i = 0; i < json_array_size(rows); i++) {
		json_t *lf;

		NODE(json_array_get(rows, i), &lf);
		if (i > 0)
			sra_buf_puts(out, ", ");
		if ((error = paren_list(out, cx, "(", LIST(lf, "items"))) < 0)
			return error;
	}
	return 0;
}

static bool has_order_limit(json_t *s)
{
	return json_array_size(LIST(s, "sortClause")) > 0 || GET(s, "limitCount") ||
	       GET(s, "limitOffset") || GET(s, "withClause");
}

/*
 * The context of a query's own expressions: its single FROM table when the
 * model knows it (so a string compared with a timestamp column is converted),
 * otherwise none.
 */
static xl_ectx query_ctx(const xl_ectx *cx, json_t *s)
{
	xl_ectx q = { cx->m, NULL, NULL };
	json_t *from = LIST(s, "fromClause"), *f;

	if (json_array_size(from) == 1 && IS(NODE(json_array_get(from, 0), &f), "RangeVar")) {
		q.t = sra_xlate__find_table(cx->m, STR(f, "relname"));
		if (GET(f, "alias"))
			q.zAlias = STR(GET(f, "alias"), "aliasname");
	}
	return q;
}

static int select_stmt(sra_buf *out, const xl_ectx *cx, json_t *s)
{
	const char *op = STR(s, "op");
	json_t *distinct = LIST(s, "distinctClause");
	xl_ectx q;
	int error;
	size_t i;

	if (GET(s, "intoClause"))
		return sra_xlate__unsupported("SELECT … INTO");
	if (json_array_size(LIST(s, "lockingClause")) > 0)
		return sra_xlate__unsupported("SELECT … FOR UPDATE/SHARE");
	if (json_array_size(LIST(s, "windowClause")) > 0)
		return sra_xlate__unsupported("WINDOW");
	if (GET(s, "withClause") && (error = with_clause(out, cx, GET(s, "withClause"))) < 0)
		return error;

	if (op && !IS(op, "SETOP_NONE")) {
		json_t *l = GET(s, "larg"), *r = GET(s, "rarg");
		bool all = BOOL(s, "all");

		if (has_order_limit(l) || has_order_limit(r) || !IS(STR(r, "op"), "SETOP_NONE"))
			return sra_xlate__unsupported("this nesting of UNION/INTERSECT/EXCEPT");
		if (all && !IS(op, "SETOP_UNION"))
			return sra_xlate__unsupported("INTERSECT ALL / EXCEPT ALL");
		if ((error = select_stmt(out, cx, l)) < 0)
			return error;
		sra_buf_puts(out, IS(op, "SETOP_UNION") ? (all ? " UNION ALL " : " UNION ")
			     : IS(op, "SETOP_INTERSECT") ? " INTERSECT " : " EXCEPT ");
		if ((error = select_stmt(out, cx, r)) < 0)
			return error;
		return order_limit(out, cx, s);
	}
	if (LIST(s, "valuesLists")) {
		if ((error = values_lists(out, cx, LIST(s, "valuesLists"))) < 0)
			return error;
		return order_limit(out, cx, s);
	}

	q = query_ctx(cx, s);
	sra_buf_puts(out, "SELECT ");
	if (json_array_size(distinct) > 0) {
		json_t *d0 = json_array_get(distinct, 0);

		if (json_array_size(distinct) > 1 || json_object_size(d0) > 0)
			return sra_xlate__unsupported("DISTINCT ON");
		sra_buf_puts(out, "DISTINCT ");
	}
	if ((error = target_list(out, &q, LIST(s, "targetList"))) < 0)
		return error;
	if (json_array_size(LIST(s, "fromClause")) > 0) {
		json_t *from = LIST(s, "fromClause");

		sra_buf_puts(out, " FROM ");
		for (i = 0; i < json_array_size(from); i++) {
			if (i > 0)
				sra_buf_puts(out, ", ");
			if ((error = from_item(out, &q, json_array_get(from, i))) < 0)
				return error;
		}
	}
	if (GET(s, "whereClause")) {
		sra_buf_puts(out, " WHERE ");
		if ((error = expr(out, &q, GET(s, "whereClause"))) < 0)
			return error;
	}
	if (json_array_size(LIST(s, "groupClause")) > 0) {
		json_t *g = LIST(s, "groupClause"), *gf;

		for (i = 0; i < json_array_size(g); i++)
			if (IS(NODE(json_array_get(g, i), &gf), "GroupingSet"))
				return sra_xlate__unsupported("GROUPING SETS/ROLLUP/CUBE");
		sra_buf_puts(out, " GROUP BY ");
		if ((error = expr_list(out, &q, g, ", ")) < 0)
			return error;
	}
	if (GET(s, "havingClause")) {
		sra_buf_puts(out, " HAVING ");
		if ((error = expr(out, &q, GET(s, "havingClause"))) < 0)
			return error;
	}
	return order_limit(out, &q, s);
}

/* ---------------------------------------------------------------------
 * INSERT, UPDATE, DELETE
 */

static int returning(sra_buf *out, const xl_ectx *cx, json_t *list)
{
	if (json_array_size(list) == 0)
		return 0;
	sra_buf_puts(out, " RETURNING ");
	return target_list(out, cx, list);
}

/* SET a = v, …: values converted for their column */
static int set_list(sra_buf *out, const xl_ectx *cx, json_t *list)
{
	size_t i;
	int error;

	for (i = 0; i < json_array_size(list); i++) {
		json_t *rf, *vf;
		const char *vtype, *name;
		const xl_column *col;

		NODE(json_array_get(list, i), &rf);
		vtype = NODE(GET(rf, "val"), &vf);
		if (json_array_size(LIST(rf, "indirection")) > 0)
			return sra_xlate__unsupported("assignment to an array element or field");
		if (IS(vtype, "MultiAssignRef"))
			return sra_xlate__unsupported("SET (a, b) = …");
		name = STR(rf, "name");
		col = cx->t ? sra_xlate__find_column(cx->t, name) : NULL;
		if (i > 0)
			sra_buf_puts(out, ", ");
		sra_xlate__ident(out, name);
		sra_buf_puts(out, " = ");
		if (!col && IS(vtype, "SetToDefault"))
			return sra_xlate__unsupported("SET %s = DEFAULT on a table the schema model does not know", name);
		if ((error = sra_xlate__value(out, cx, col, GET(rf, "val"))) < 0)
			return error;
	}
	return 0;
}

static int on_conflict(sra_buf *out, const xl_ectx *cx, json_t *oc)
{
	json_t *infer = GET(oc, "infer");
	const char *action = STR(oc, "action");
	size_t i;
	int error;

	sra_buf_puts(out, " ON CONFLICT");
	if (infer && STR(infer, "conname")) {
		/* ON CONSTRAINT name: SQLite wants the columns */
		const char *con = STR(infer, "conname");
		const xl_constraint *c = cx->t ? sra_xlate__find_constraint(cx->t, con) : NULL;

		if (!c || (c->eType != XC_PRIMARY && c->eType != XC_UNIQUE))
			return sra_xlate__invalid("ON CONFLICT ON CONSTRAINT %s: no such unique constraint "
						  "in the schema model", con);
		sra_buf_puts(out, " (");
		for (i = 0; i < c->cols.n; i++) {
			if (i > 0)
				sra_buf_puts(out, ", ");
			sra_xlate__ident(out, c->cols.v[i]);
		}
		sra_buf_putc(out, ')');
	} else if (infer) {
		json_t *elems = LIST(infer, "indexElems");

		sra_buf_puts(out, " (");
		for (i = 0; i < json_array_size(elems); i++) {
			json_t *ef;

			NODE(json_array_get(elems, i), &ef);
			if (i > 0)
				sra_buf_puts(out, ", ");
			if (STR(ef, "name")) {
				sra_xlate__ident(out, STR(ef, "name"));
			} else {
				sra_buf_putc(out, '(');
				if ((error = expr(out, cx, GET(ef, "expr"))) < 0)
					return error;
				sra_buf_putc(out, ')');
			}
		}
		sra_buf_putc(out, ')');
		if (GET(infer, "whereClause")) {
			sra_buf_puts(out, " WHERE ");
			if ((error = expr(out, cx, GET(infer, "whereClause"))) < 0)
				return error;
		}
	}
	if (IS(action, "ONCONFLICT_NOTHING")) {
		sra_buf_puts(out, " DO NOTHING");
		return 0;
	}
	sra_buf_puts(out, " DO UPDATE SET ");
	if ((error = set_list(out, cx, LIST(oc, "targetList"))) < 0)
		return error;
	if (GET(oc, "whereClause")) {
		sra_buf_puts(out, " WHERE ");
		if ((error = expr(out, cx, GET(oc, "whereClause"))) < 0)
			return error;
	}
	return 0;
}

static int insert_stmt(sra_buf *out, const xl_ectx *outer, json_t *s)
{
	json_t *rel = GET(s, "relation"), *cols = LIST(s, "cols");
	json_t *sel = GET(s, "selectStmt"), *sf = NULL;
	xl_ectx cx = { outer->m, sra_xlate__find_table(outer->m, STR(rel, "relname")), NULL };
	const xl_column **targets = NULL;
	size_t ntargets = 0, i, j;
	int error = 0;

	if (GET(s, "withClause") && (error = with_clause(out, outer, GET(s, "withClause"))) < 0)
		return error;
	sra_buf_puts(out, "INSERT INTO ");
	if ((error = range_var(out, rel, &cx.zAlias)) < 0)
		return error;
	/* the column each VALUES item goes to, for its conversion */
	if (json_array_size(cols) > 0) {
		ntargets = json_array_size(cols);
		targets = sra__calloc(ntargets, sizeof(*targets));
		sra_buf_puts(out, " (");
		for (i = 0; i < ntargets; i++) {
			json_t *rf;

			NODE(json_array_get(cols, i), &rf);
			if (json_array_size(LIST(rf, "indirection")) > 0) {
				error = sra_xlate__unsupported("INSERT into an array element or field");
				goto done;
			}
			if (i > 0)
				sra_buf_puts(out, ", ");
			sra_xlate__ident(out, STR(rf, "name"));
			targets[i] = cx.t ? sra_xlate__find_column(cx.t, STR(rf, "name")) : NULL;
		}
		sra_buf_putc(out, ')');
	} else if (cx.t) {
		ntargets = cx.t->nCol;
		targets = sra__calloc(ntargets ? ntargets : 1, sizeof(*targets));
		for (i = 0; i < ntargets; i++)
			targets[i] = cx.t->aCol[i];
	}
	if (!sel) {
		sra_buf_puts(out, " DEFAULT VALUES");
	} else {
		NODE(sel, &sf);
		sra_buf_putc(out, ' ');
		if (LIST(sf, "valuesLists") && !has_order_limit(sf)) {
			json_t *rows = LIST(sf, "valuesLists");

			sra_buf_puts(out, "VALUES ");
			for (i = 0; i < json_array_size(rows); i++) {
				json_t *lf, *items;

				NODE(json_array_get(rows, i), &lf);
				items = LIST(lf, "items");
				if (i > 0)
					sra_buf_puts(out, ", ");
				sra_buf_putc(out, '(');
				for (j = 0; j < json_array_size(items); j++) {
					json_t *item = json_array_get(items, j), *itf;
					const xl_column *col = j < ntargets ? targets[j] : NULL;

					if (j > 0)
						sra_buf_puts(out, ", ");
					if (!col && IS(NODE(item, &itf), "SetToDefault")) {
						error = sra_xlate__unsupported("DEFAULT in VALUES for a column the schema model does not know");
						goto done;
					}
					if ((error = sra_xlate__value(out, &cx, col, item)) < 0)
						goto done;
				}
				sra_buf_putc(out, ')');
			}
		} else if (GET(s, "onConflictClause") && !GET(sf, "whereClause")) {
			/* SQLite reads "SELECT … ON CONFLICT" as a join without WHERE */
			sra_buf_puts(out, "SELECT * FROM (");
			if ((error = select_stmt(out, &cx, sf)) < 0)
				goto done;
			sra_buf_puts(out, ") WHERE true");
		} else if ((error = select_stmt(out, &cx, sf)) < 0) {
			goto done;
		}
	}
	if (GET(s, "onConflictClause") && (error = on_conflict(out, &cx, GET(s, "onConflictClause"))) < 0)
		goto done;
	error = returning(out, &cx, LIST(s, "returningList"));
done:
	free(targets);
	return error;
}

/* the WHERE and RETURNING clauses that UPDATE and DELETE share */
static int where_returning(sra_buf *out, xl_ectx *cx, json_t *s)
{
	int error;

	if (GET(s, "whereClause")) {
		json_t *wf;

		if (IS(NODE(GET(s, "whereClause"), &wf), "CurrentOfExpr"))
			return sra_xlate__unsupported("WHERE CURRENT OF");
		sra_buf_puts(out, " WHERE ");
		if ((error = expr(out, cx, GET(s, "whereClause"))) < 0)
			return error;
	}
	return returning(out, cx, LIST(s, "returningList"));
}

static int update_stmt(sra_buf *out, const xl_ectx *outer, json_t *s)
{
	json_t *rel = GET(s, "relation"), *from = LIST(s, "fromClause");
	xl_ectx cx = { outer->m, sra_xlate__find_table(outer->m, STR(rel, "relname")), NULL };
	size_t i;
	int error;

	if (GET(s, "withClause") && (error = with_clause(out, outer, GET(s, "withClause"))) < 0)
		return error;
	sra_buf_puts(out, "UPDATE ");
	if ((error = range_var(out, rel, &cx.zAlias)) < 0)
		return error;
	sra_buf_puts(out, " SET ");
	if ((error = set_list(out, &cx, LIST(s, "targetList"))) < 0)
		return error;
	if (json_array_size(from) > 0) {
		/* unqualified names may now belong to the other tables */
		cx.t = NULL;
		sra_buf_puts(out, " FROM ");
		for (i = 0; i < json_array_size(from); i++) {
			if (i > 0)
				sra_buf_puts(out, ", ");
			if ((error = from_item(out, &cx, json_array_get(from, i))) < 0)
				return error;
		}
	}
	return where_returning(out, &cx, s);
}

static int delete_stmt(sra_buf *out, const xl_ectx *outer, json_t *s)
{
	json_t *rel = GET(s, "relation");
	xl_ectx cx = { outer->m, sra_xlate__find_table(outer->m, STR(rel, "relname")), NULL };
	int error;

	if (json_array_size(LIST(s, "usingClause")) > 0)
		return sra_xlate__unsupported("DELETE … USING");
	if (GET(s, "withClause") && (error = with_clause(out, outer, GET(s, "withClause"))) < 0)
		return error;
	sra_buf_puts(out, "DELETE FROM ");
	if ((error = range_var(out, rel, &cx.zAlias)) < 0)
		return error;
	return where_returning(out, &cx, s);
}

int sra_xlate__dml(sra_buf *out, const xl_ectx *cx, const char *type, json_t *body)
{
	if (IS(type, "InsertStmt"))
		return insert_stmt(out, cx, body);
	if (IS(type, "UpdateStmt"))
		return update_stmt(out, cx, body);
	if (IS(type, "DeleteStmt"))
		return delete_stmt(out, cx, body);
	if (IS(type, "SelectStmt"))
		return select_stmt(out, cx, body);
	return sra_xlate__unsupported("%s", type ? type : "this statement");
}
