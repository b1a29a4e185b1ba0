/* decl.c -- C declarators from libclang types.
 *
 * A type's spelling ("int[3]", "int (*)(void)") cannot simply be followed by
 * a name, so frame fields, init parameters and declarations the lowering
 * splits are rebuilt from the type: pointers wrap the inner declarator,
 * arrays and functions suffix it. */
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

bool decl_is_array(CXType t) {
  CXType c = clang_getCanonicalType(t);
  return c.kind == CXType_ConstantArray || c.kind == CXType_IncompleteArray ||
         c.kind == CXType_VariableArray;
}

static char *qualifiers(Arena *a, CXType t) {
  return arena_cat(a, clang_isConstQualifiedType(t) ? "const " : "",
                   clang_isVolatileQualifiedType(t) ? "volatile " : "",
                   clang_isRestrictQualifiedType(t) ? "restrict " : "", NULL);
}

static const char *params(Tu *tu, CXType fn) {
  int n = clang_getNumArgTypes(fn);
  if (n <= 0)
    return clang_isFunctionTypeVariadic(fn) ? "..." : "void";
  const char *s = "";
  for (int i = 0; i < n; i++)
    s = arena_cat(tu->arena, s, i ? ", " : "",
                  decl_declarator(tu, clang_getArgType(fn, (unsigned)i), "",
                                  false),
                  NULL);
  if (clang_isFunctionTypeVariadic(fn))
    s = arena_cat(tu->arena, s, ", ...", NULL);
  return s;
}

/* A type's spelling, with the tag given to an unnamed type, and its
 * qualifiers kept.  typeof names an expression that means nothing at
 * file scope, so a type spelled with it is declared from the type it
 * stands for (decl_declarator). */
static char *spelling(Tu *tu, CXType t, bool *typeof_type) {
  const char *tag = hoist_tag(tu, clang_getTypeDeclaration(t));
  if (tag)
    return arena_cat(tu->arena, qualifiers(tu->arena, t), tag, NULL);
  char *s = arena_cxstr(tu->arena, clang_getTypeSpelling(t));
  *typeof_type = strstr(s, "typeof") != NULL;
  return s;
}

char *decl_declarator(Tu *tu, CXType t, const char *name, bool unqualify) {
  Arena *a = tu->arena;
  if (unqualify)
    t = clang_getUnqualifiedType(t);
  switch (t.kind) {
  case CXType_Pointer: {
    CXType p = clang_getPointeeType(t);
    const char *q = qualifiers(a, t);
    char *inner = arena_cat(a, "*", q, name, NULL);
    if (q[0] && !name[0])
      inner[strlen(inner) - 1] = '\0';
    if (is_array_or_function(clang_getCanonicalType(p)) &&
        !(p.kind == CXType_Typedef || p.kind == CXType_Elaborated))
      inner = arena_cat(a, "(", inner, ")", NULL);
    else if (is_array_or_function(p))
      inner = arena_cat(a, "(", inner, ")", NULL);
    return decl_declarator(tu, p, inner, false);
  }
  case CXType_ConstantArray:
    return decl_declarator(
        tu, clang_getArrayElementType(t),
        arena_printf(a, "%s[%lld]", name, clang_getArraySize(t)), unqualify);
  case CXType_IncompleteArray:
    return decl_declarator(tu, clang_getArrayElementType(t),
                           arena_cat(a, name, "[]", NULL), unqualify);
  case CXType_FunctionProto:
    return decl_declarator(tu, clang_getResultType(t),
                           arena_cat(a, name, "(", params(tu, t), ")", NULL),
                           false);
  case CXType_FunctionNoProto:
    return decl_declarator(tu, clang_getResultType(t),
                           arena_cat(a, name, "()", NULL), false);
  default: {
    bool typeof_type = false;
    char *base = spelling(tu, t, &typeof_type);
    if (typeof_type) {
      CXType c = clang_getCanonicalType(t);
      if (unqualify)
        c = clang_getUnqualifiedType(c);
      if (c.kind != t.kind || is_array_or_function(c) ||
          c.kind == CXType_Pointer)
        return decl_declarator(tu, c, name, false);
      base = arena_cxstr(a, clang_getTypeSpelling(c));
    }
    if (!name[0])
      return base;
    return arena_cat(a, base, " ", name, NULL);
  }
  }
}

CXType decl_adjusted(CXType t) { return t; }

/* The element of va_list where va_list is an array (x86-64): clang calls
 * it `struct __va_list_tag`, a name gcc does not know. */
static bool is_va_list_element(CXType t) {
  CXType c = clang_getCanonicalType(t);
  if (c.kind != CXType_Record)
    return false;
  CXString s = clang_getTypeSpelling(clang_getUnqualifiedType(c));
  bool is = strcmp(clang_getCString(s), "struct __va_list_tag") == 0;
  clang_disposeString(s);
  return is;
}

char *decl_param(Tu *tu, CXType t, const char *name, bool unqualify) {
  Arena *a = tu->arena;
  if (unqualify)
    t = clang_getUnqualifiedType(t);
  CXType c = clang_getCanonicalType(t);
  /* A va_list parameter, decayed: asyncc.h names its type. */
  if ((decl_is_array(c) && is_va_list_element(clang_getArrayElementType(c))) ||
      (c.kind == CXType_Pointer && is_va_list_element(clang_getPointeeType(c))))
    return arena_cat(a, "ac_va_list_param", name[0] ? " " : "", name, NULL);
  switch (c.kind) {
  case CXType_ConstantArray:
  case CXType_IncompleteArray:
  case CXType_VariableArray: {
    /* An array parameter is a pointer to its element (a typedef of an
     * array, va_list among them, too). */
    CXType elem = t.kind == c.kind ? clang_getArrayElementType(t)
                                   : clang_getArrayElementType(c);
    const char *inner = arena_cat(a, "*", name, NULL);
    if (is_array_or_function(clang_getCanonicalType(elem)))
      inner = arena_cat(a, "(", inner, ")", NULL);
    return decl_declarator(tu, elem, inner, false);
  }
  case CXType_FunctionProto:
  case CXType_FunctionNoProto:
    return decl_declarator(tu, t, arena_cat(a, "(*", name, ")", NULL), false);
  default:
    return decl_declarator(tu, t, name, false);
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

char *decl_assign(Tu *tu, CXType t, const char *lhs, const char *value) {
  if (!decl_needs_copy(clang_getUnqualifiedType(t)))
    return arena_cat(tu->arena, lhs, " = ", value, ";", NULL);
  /* A struct with a const member cannot be assigned: copy its bytes from a
   * one-element array literal, which takes any expression of the type. */
  return arena_printf(tu->arena,
                      "__builtin_memcpy(&%s, (%s[1]){%s}, sizeof %s);", lhs,
                      decl_declarator(tu, t, "", true), value, lhs);
}
