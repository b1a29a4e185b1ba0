/* decl.c -- C declarators from libclang types.
 *
 * A type's spelling ("int[3]", "int (*)(void)") cannot simply be followed by
 * a name, so frame fields and init parameters are rebuilt from the type:
 * pointers wrap the inner declarator, arrays and functions suffix it. */
#include "transpiler.h"

#include <stdint.h>
#include <string.h>

static bool is_array_or_function(CXType t) {
  switch (t.kind) {
  case CXType_ConstantArray:
  case CXType_IncompleteArray:
  case CXType_VariableArray:
  case CXType_DependentSizedArray:
  case CXType_FunctionProto:
  case CXType_FunctionNoProto:
    return true;
  default:
    return false;
  }
}

static char *qualifiers(Arena *a, CXType t) {
  return code_cat(a, clang_isConstQualifiedType(t) ? "const " : "",
                  clang_isVolatileQualifiedType(t) ? "volatile " : "",
                  clang_isRestrictQualifiedType(t) ? "restrict " : "", NULL);
}

static const char *params(Arena *a, CXType fn) {
  int n = clang_getNumArgTypes(fn);
  if (n <= 0)
    return clang_isFunctionTypeVariadic(fn) ? "..." : "void";
  const char *s = "";
  for (int i = 0; i < n; i++)
    s = arena_printf(a, "%s%s%s", s, i ? ", " : "",
                     decl_declarator(a, clang_getArgType(fn, (unsigned)i),
                                     "", false));
  if (clang_isFunctionTypeVariadic(fn))
    s = arena_printf(a, "%s, ...", s);
  return s;
}

/* Tags given to unnamed types (see check.c), by declaration; the entries
 * live in the translation unit's arena, until decl_forget_anonymous. */
typedef struct {
  CXCursor decl;
  const char *spelled; /* e.g. "struct f_anon_12" */
} Anonymous;
static Vec anonymous;

void decl_name_anonymous(Arena *a, CXCursor decl, const char *spelled) {
  Anonymous *e = arena_alloc(a, sizeof *e);
  *e = (Anonymous){decl, spelled};
  vec_push(a, &anonymous, e);
}

const char *decl_anonymous_name(CXCursor decl) {
  for (int i = 0; i < anonymous.len; i++) {
    Anonymous *e = anonymous.items[i];
    if (clang_equalCursors(e->decl, decl))
      return e->spelled;
  }
  return NULL;
}

/* libclang's spellings of types, by type: the same few types are spelled
 * again and again (a local's, a field's, an await's result), and each
 * spelling prints the type anew.  A CXType's first word identifies the
 * qualified type within its translation unit.  The strings live in that
 * unit's arena, so the cache is emptied with the tags. */
#define SPELLINGS 512
static struct {
  const void *type;
  char *spelled;
} spellings[SPELLINGS];

char *decl_type_spelling(Arena *a, CXType t) {
  uintptr_t key = (uintptr_t)t.data[0];
  unsigned slot = (unsigned)((key >> 4) ^ (key >> 13)) % SPELLINGS;
  if (t.data[0] && spellings[slot].type == t.data[0])
    return spellings[slot].spelled;
  char *s = arena_cxstr(a, clang_getTypeSpelling(t));
  if (t.data[0]) {
    spellings[slot].type = t.data[0];
    spellings[slot].spelled = s;
  }
  return s;
}

void decl_forget_anonymous(void) {
  anonymous = (Vec){0};
  memset(spellings, 0, sizeof spellings);
}

/* A type's spelling, with the tag given to an unnamed type, and its
 * qualifiers kept. */
static char *spelling(Arena *a, CXType t) {
  const char *tag = decl_anonymous_name(clang_getTypeDeclaration(t));
  if (tag)
    return code_cat(a, qualifiers(a, t), tag, NULL);
  char *s = decl_type_spelling(a, t);
  /* typeof names an expression that means nothing at file scope (and is
   * no C11 keyword): spell the type itself. */
  if (strstr(s, "typeof"))
    return decl_type_spelling(a, clang_getCanonicalType(t));
  return s;
}

char *decl_declarator(Arena *a, CXType t, const char *name, bool unqualify) {
  if (unqualify)
    t = clang_getUnqualifiedType(t);
  switch (t.kind) {
  case CXType_Pointer: {
    CXType p = clang_getPointeeType(t);
    const char *q = qualifiers(a, t);
    char *inner = code_cat(a, "*", q, name, NULL);
    if (q[0] && !name[0])
      inner[strlen(inner) - 1] = '\0';
    if (is_array_or_function(p))
      inner = arena_printf(a, "(%s)", inner);
    return decl_declarator(a, p, inner, false);
  }
  case CXType_ConstantArray:
    return decl_declarator(
        a, clang_getArrayElementType(t),
        arena_printf(a, "%s[%lld]", name, clang_getArraySize(t)), unqualify);
  case CXType_IncompleteArray:
    return decl_declarator(a, clang_getArrayElementType(t),
                           arena_printf(a, "%s[]", name), unqualify);
  case CXType_FunctionProto:
    return decl_declarator(a, clang_getResultType(t),
                           arena_printf(a, "%s(%s)", name, params(a, t)),
                           false);
  case CXType_FunctionNoProto:
    return decl_declarator(a, clang_getResultType(t),
                           arena_printf(a, "%s()", name), false);
  default: {
    char *base = spelling(a, t);
    if (!name[0])
      return base;
    return code_cat(a, base, " ", name, NULL);
  }
  }
}

char *decl_param(Arena *a, CXType t, const char *name, bool unqualify) {
  if (unqualify)
    t = clang_getUnqualifiedType(t);
  switch (t.kind) {
  case CXType_ConstantArray:
  case CXType_IncompleteArray:
  case CXType_VariableArray: {
    /* An array parameter is a pointer to its element. */
    CXType elem = clang_getArrayElementType(t);
    const char *inner = arena_printf(a, "*%s", name);
    if (is_array_or_function(elem))
      inner = arena_printf(a, "(%s)", inner);
    return decl_declarator(a, elem, inner, false);
  }
  case CXType_FunctionProto:
  case CXType_FunctionNoProto:
    return decl_declarator(a, t, arena_printf(a, "(*%s)", name), false);
  default:
    return decl_declarator(a, t, name, false);
  }
}

static enum CXVisitorResult field_const(CXCursor field, CXClientData data) {
  if (decl_needs_copy(clang_getCursorType(field))) {
    *(bool *)data = true;
    return CXVisit_Break;
  }
  return CXVisit_Continue;
}

bool decl_needs_copy(CXType t) {
  CXType c = clang_getCanonicalType(t);
  if (clang_isConstQualifiedType(c))
    return true;
  if (c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray)
    return decl_needs_copy(clang_getArrayElementType(c));
  if (c.kind != CXType_Record)
    return false;
  bool found = false;
  clang_Type_visitFields(c, field_const, &found);
  return found;
}

char *decl_assign(Arena *a, CXType t, const char *lhs, const char *value) {
  if (!decl_needs_copy(clang_getUnqualifiedType(t)))
    return code_cat(a, lhs, " = ", value, ";", NULL);
  /* A struct with a const member cannot be assigned: copy its bytes from a
   * one-element array literal, which takes any expression of the type. */
  return arena_printf(a, "memcpy(&%s, (%s[1]){%s}, sizeof %s);", lhs,
                      decl_declarator(a, t, "", true), value, lhs);
}
