/* emit.c -- writes the output file through the printer: the input's text
 * with each async function replaced by its state machine (state enum,
 * frame struct, init, poll and drop, and its stub when it needs one),
 * async prototypes followed by the state machine's, and ac_block_on and
 * ac_spawn calls outside async functions by calls of generated helpers.
 * Everything else is copied byte for byte.
 *
 * emit only prints: what it prints was decided by the passes before. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A part of the input replaced in the output. */
typedef enum { R_DEFINITION, R_PROTOTYPE, R_SITE, R_INSERT } ReplaceKind;
typedef struct {
  Range r;           /* R_INSERT: empty, where the text goes */
  ReplaceKind kind;
  AsyncFn *fn;       /* R_DEFINITION, R_PROTOTYPE */
  const char *text;  /* R_SITE, R_INSERT */
} Replace;

/* Helpers stand in for ac_block_on(f(...)) and ac_spawn(f(...)), which
 * need a frame where the call is written: f_block_on runs f on a stack
 * frame, f_spawn starts it as a task and returns the typed handle.  For
 * a function of another file (g_block_on, g_spawn) and through a pointer
 * (ac__block_on_via_N, ac__spawn_via_N) they go through the stub. */
typedef enum { HELP_BLOCK_ON, HELP_SPAWN } HelperKind;
typedef struct {
  AsyncFn *fn;        /* the callee, when defined here */
  HelperKind kind;
  CXCursor callee;    /* else by name: its declaration */
  const CXType *via;  /* or through a pointer: the function type */
  int via_id;
  Node *first;        /* the first site, for where the prototype goes */
} Helper;

typedef struct {
  Tu *tu;
  Arena *a;
  const Options *opt;
  Printer p;
  Vec declared;     /* AsyncFn * whose enum and frame are emitted */
  Vec helpers;      /* Helper * used in the file */
  Vec helpers_declared; /* AsyncFn * whose helper prototypes are out */
} Emit;

/* The state machine is the file's own: other files reach the function
 * through its stub (docs/abi.md). */
static const char *linkage(AsyncFn *fn) {
  (void)fn;
  return "static AC_MAYBE_UNUSED ";
}

static void gen(Emit *E, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void gen(Emit *E, const char *fmt, ...) {
  Buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  print_raw(&E->p, b.s ? b.s : "");
  buf_free(&b);
}

/* A declaration, given on one line without its newline, printed
 * wrapped (buf_wrap_decl). */
static void gen_decl(Emit *E, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void gen_decl(Emit *E, const char *fmt, ...) {
  Buf line = {0}, b = {0};
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&line, fmt, ap);
  va_end(ap);
  buf_wrap_decl(&b, line.s); /* as it is when it fits */
  buf_puts(&b, "\n");
  print_raw(&E->p, b.s);
  buf_free(&line);
  buf_free(&b);
}

/* `head` + "f_init(struct f_frame *fr, T1 a, T2 b)" + `tail`, wrapped
 * as a person would; with the types alone unless `named`. */
static char *init_signature(Emit *E, AsyncFn *fn, CXCursor decl, bool named,
                            const char *head, const char *tail) {
  CXType t = clang_getCursorType(decl);
  int n = clang_getNumArgTypes(t);
  const char **items = arena_alloc(E->a, sizeof *items * (size_t)(n + 1));
  items[0] = arena_printf(E->a, "struct %s_frame *%s", fn->name,
                          named ? fn->fr : "");
  for (int i = 0; i < n; i++) {
    const char *name = named ? ((Var *)fn->vars.items[i])->name : "";
    items[i + 1] = decl_param(E->tu, clang_getArgType(t, (unsigned)i), name,
                              false);
  }
  Buf b = {0};
  buf_wrap(&b, arena_printf(E->a, "%svoid %s_init(", head, fn->name), items,
           n + 1, tail);
  return buf_take(E->a, &b);
}

static void prototypes_linked(Emit *E, AsyncFn *fn, CXCursor decl,
                              const char *lk) {
  /* A declaration without a prototype (`async int g();`) gives init none
   * either: calls pass the promoted arguments, as calls of g would. */
  if (clang_getCursorType(decl).kind == CXType_FunctionNoProto)
    gen(E, "%svoid %s_init();\n", lk, fn->name);
  else
    gen(E, "%s\n", init_signature(E, fn, decl, false, lk, ");"));
  gen_decl(E, "%sac_poll %s_poll(void *, ac_cx *);", lk, fn->name);
  gen_decl(E, "%svoid %s_drop(void *);", lk, fn->name);
}

static void prototypes(Emit *E, AsyncFn *fn, CXCursor decl) {
  prototypes_linked(E, fn, decl, linkage(fn));
}

static CXType helper_fn_type(Helper *h) {
  if (h->fn)
    return clang_getCursorType(h->fn->decl);
  if (h->via)
    return *h->via;
  return clang_getCursorType(h->callee);
}

static const char *helper_name(Emit *E, Helper *h) {
  const char *what = h->kind == HELP_SPAWN ? "spawn" : "block_on";
  if (h->via)
    return arena_printf(E->a, "ac__%s_via_%d", what, h->via_id);
  const char *callee =
      h->fn ? h->fn->name
            : arena_cxstr(E->a, clang_getCursorSpelling(h->callee));
  return arena_printf(E->a, "%s_%s", callee, what);
}

/* "R f_block_on(P1 p0, ...)" or "R *f_spawn(P1 p0, ...)"; through a
 * pointer, the pointer comes first: "R *ac__spawn_via_1(R (*f)(P1), P1 p0)". */
static char *helper_decl(Emit *E, Helper *h, bool named) {
  CXType t = helper_fn_type(h);
  CXType rt = clang_getResultType(t);
  const char *params =
      h->via ? decl_declarator(E->tu, *h->via, named ? "(*f)" : "(*)", false)
             : "";
  for (int i = 0; i < clang_getNumArgTypes(t); i++)
    params = arena_cat(
        E->a, params, params[0] ? ", " : "",
        decl_declarator(E->tu, clang_getArgType(t, (unsigned)i),
                        named ? arena_printf(E->a, "p%d", i) : "", false),
        NULL);
  char *sig = arena_printf(E->a, "%s%s(%s)", h->kind == HELP_SPAWN ? "*" : "",
                           helper_name(E, h), params[0] ? params : "void");
  if (clang_getCanonicalType(rt).kind == CXType_Void)
    return arena_cat(E->a, "void ", sig, NULL);
  return decl_declarator(E->tu, rt, sig, false);
}

/* The helpers' prototypes go right after the function's own, where its
 * parameter types are known: a prototype further up could meet a struct
 * before its declaration, and scope it to the prototype. */
static void helper_prototypes(Emit *E, AsyncFn *fn) {
  if (vec_has(&E->helpers_declared, fn))
    return;
  bool any = false;
  for (int i = 0; i < E->helpers.len; i++) {
    Helper *h = E->helpers.items[i];
    if (h->fn != fn)
      continue;
    gen_decl(E, "static %s;", helper_decl(E, h, false));
    any = true;
  }
  if (any)
    vec_push(E->a, &E->helpers_declared, fn);
}

/* The states, each await's with a comment saying where it is, the
 * comments aligned and cut to fit in WRAP_COLUMNS. */
static void state_enum(Emit *E, AsyncFn *fn) {
  gen(E, "enum %s_state {\n  %s_START,\n", fn->name, fn->upper);
  size_t col = 0;
  for (int i = 0; i < fn->awaits.len; i++) {
    size_t w = strlen(((AwaitSite *)fn->awaits.items[i])->state) + 4;
    col = w > col ? w : col;
  }
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    Buf b = {0};
    buf_printf(&b, "line %u: ", aw->line);
    print_comment_text(&b, aw->text);
    size_t room = WRAP_COLUMNS > col + 6 ? WRAP_COLUMNS - col - 6 : 0;
    if (b.len > room && room > 3) /* "..." ends a comment cut short */
      b.len = room - 3, buf_puts(&b, "...");
    gen(E, "  %s,%*s/* %s */\n", aw->state,
        (int)(col - strlen(aw->state) - 3), "", b.s);
    buf_free(&b);
  }
  gen(E, "  %s_DONE,\n};\n", fn->upper);
}

static void slot(Emit *E, Slot *s, int depth) {
  if (s->kind == SLOT_FIELD) {
    gen(E, "%*s%s;\n", depth * 2, "", s->decl);
    return;
  }
  gen(E, "%*s%s {\n", depth * 2, "", s->kind == SLOT_UNION ? "union" : "struct");
  for (int i = 0; i < s->kids.len; i++)
    slot(E, s->kids.items[i], depth + 1);
  gen(E, "%*s}%s%s;\n", depth * 2, "", s->name ? " " : "",
      s->name ? s->name : "");
}

static void frame_struct(Emit *E, AsyncFn *fn) {
  Slot *root = layout_frame(fn);
  gen(E, "struct %s_frame {\n", fn->name);
  for (int i = 0; i < root->kids.len; i++)
    slot(E, root->kids.items[i], 1);
  gen(E, "};\n");
}

/* An unnamed type's definition under the tag it was given. */
static void tagged(Emit *E, CXCursor d) {
  Node n = {.c = d, .ck = clang_getCursorKind(d), .tu = E->tu};
  Range r = tree_range(&n);
  const char *text = tu_text_out(E->tu, r);
  const char *brace = strchr(text, '{');
  if (!brace)
    internal_error("unnamed type without a body");
  print_block_text(&E->p, tu_line(E->tu, r.start),
                   arena_cat(E->a, hoist_tag(E->tu, d), " ", brace, ";", NULL),
                   tu_col(E->tu, r.start));
}

static bool in_hoisted(AsyncFn *fn, CXCursor d) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *n = fn->hoisted.items[i];
    for (int k = 0; k < n->nkids; k++)
      if (clang_equalCursors(n->kids[k]->c, d))
        return true;
  }
  return false;
}

/* Types declared in the body, which the frame needs, moved to file scope
 * in their original order. */
static void hoisted_types(Emit *E, AsyncFn *fn) {
  for (int i = 0; i < fn->hoisted.len; i++) {
    Node *n = fn->hoisted.items[i];
    bool vars = false;
    for (int k = 0; k < n->nkids; k++)
      vars |= n->kids[k]->ck == CXCursor_VarDecl;
    if (!vars) {
      Range r = tree_range(n);
      r.end = tu_skip_semicolon(E->tu, r.end);
      print_block_text(&E->p, tu_line(E->tu, r.start), tu_text_out(E->tu, r),
                       tu_col(E->tu, r.start));
      continue;
    }
    /* `struct s { ... } v = ...;`: only the type moves. */
    for (int k = 0; k < n->nkids; k++) {
      Node *t = n->kids[k];
      if (t->ck == CXCursor_VarDecl)
        continue;
      if (hoist_tag(E->tu, t->c)) {
        tagged(E, t->c);
        continue;
      }
      Range r = tree_range(t);
      print_block_text(&E->p, tu_line(E->tu, r.start),
                       arena_cat(E->a, tu_text_out(E->tu, r), ";", NULL),
                       tu_col(E->tu, r.start));
    }
  }
  for (int i = 0; i < fn->anon_types.len; i++) {
    CXCursor d = *(CXCursor *)fn->anon_types.items[i];
    if (!in_hoisted(fn, d))
      tagged(E, d);
  }
  print_generated(&E->p);
}

static void declare_fn(Emit *E, AsyncFn *fn);
static char *stub_signature(Emit *E, AsyncFn *fn);

/* Callees defined in this file get their frames declared first: embedded
 * sub-frames need complete types, dynamic ones their prototypes.  (Other
 * callees are reached through their stubs, which the file declares.) */
static void declare_callees(Emit *E, AsyncFn *fn) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind != AW_ASYNC_FN)
      continue;
    AsyncFn *callee = find_definition(E->tu, aw->callee);
    if (callee && callee != fn)
      declare_fn(E, callee);
  }
}

static void declare_fn(Emit *E, AsyncFn *fn) {
  if (vec_has(&E->declared, fn))
    return;
  vec_push(E->a, &E->declared, fn);
  declare_callees(E, fn);
  print_blank_line(&E->p);
  const char *base = strrchr(E->tu->path, '/');
  gen(E, "/* async %s: %s:%u */\n", fn->name, base ? base + 1 : E->tu->path,
      fn->line);
  hoisted_types(E, fn);
  state_enum(E, fn);
  frame_struct(E, fn);
  prototypes(E, fn, fn->decl);
  if (fn->has_stub)
    gen_decl(E, "%s;", stub_signature(E, fn));
  helper_prototypes(E, fn);
}

static void init_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n%s\n", init_signature(E, fn, fn->decl, true, linkage(fn), ") {"));
  gen(E, "  %s->state = %s_START;\n", fn->fr, fn->upper);
  for (int i = 0; i < fn->nparams; i++) {
    Var *v = fn->vars.items[i];
    gen(E, "  %s\n",
        decl_assign(E->tu, v->type, arena_printf(E->a, "%s->%s", fn->fr,
                                                 v->field),
                    v->name));
  }
  gen(E, "}\n");
}

static void dispatch(Emit *E, AsyncFn *fn) {
  gen(E, "  switch (%s->state) {\n", fn->fr);
  gen(E, "  case %s_START:\n    break;\n", fn->upper);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    gen(E, "  case %s:\n    goto %s;\n", aw->state, aw->label);
  }
  gen(E, "  case %s_DONE:\n    return AC_READY;\n  }\n\n", fn->upper);
}

/* The function's declarator with its result type: "int f(int x)", or
 * with the types alone unless `named` ("int f(int)", as clang spells
 * __PRETTY_FUNCTION__). */
static char *signature(Emit *E, AsyncFn *fn, bool named) {
  const char *params = "";
  for (int i = 0; i < fn->nparams; i++) {
    Var *v = fn->vars.items[i];
    params = arena_cat(E->a, params, i ? ", " : "",
                       decl_param(E->tu, v->type, named ? v->name : "", false),
                       NULL);
  }
  CXType t = clang_getCursorType(fn->decl);
  if (!fn->nparams && t.kind == CXType_FunctionProto)
    params = clang_isFunctionTypeVariadic(t) ? "..." : "void";
  char *sig = arena_printf(E->a, "%s(%s)", fn->name, params);
  CXType rt = clang_getCursorResultType(fn->decl);
  return fn->ret_type ? decl_declarator(E->tu, rt, sig, false)
                      : arena_cat(E->a, "void ", sig, NULL);
}

/* In the poll function, __func__ would name the poll function: while it
 * lasts, the names the body evaluates stand for arrays of what they hold
 * in the sync view.  gcc's __PRETTY_FUNCTION__ is the name in C, clang's
 * the signature.  A file may define one of these names as a macro (old
 * code maps __func__ to __FUNCTION__): that macro is saved and restored. */
static void predefine(Emit *E, const char *name, const char *as) {
  if (names_has(&E->tu->macro_names, name))
    gen(E, "#pragma push_macro(\"%s\")\n#undef %s\n", name, name);
  gen(E, "#define %s %s\n", name, as);
}

static void predefine_end(Emit *E, const char *name) {
  if (names_has(&E->tu->macro_names, name))
    gen(E, "#pragma pop_macro(\"%s\")\n", name);
  else
    gen(E, "#undef %s\n", name);
}

static void predefined_begin(Emit *E, AsyncFn *fn) {
  if (!fn->predefined)
    return;
  gen(E, "  /* __func__ is \"%s\" here too, as in the sync view. */\n",
      fn->name);
  gen(E, "  static AC_MAYBE_UNUSED const char %s[] = \"%s\";\n", fn->func_name,
      fn->name);
  predefine(E, "__func__", fn->func_name);
  predefine(E, "__FUNCTION__", fn->func_name);
  if (!(fn->predefined & PREDEF_PRETTY))
    return;
  gen(E, "#ifdef __clang__\n");
  gen(E, "  static AC_MAYBE_UNUSED const char %s[] = \"%s\";\n",
      fn->pretty_name, signature(E, fn, false));
  predefine(E, "__PRETTY_FUNCTION__", fn->pretty_name);
  gen(E, "#else\n");
  predefine(E, "__PRETTY_FUNCTION__", fn->func_name);
  gen(E, "#endif\n");
}

static void predefined_end(Emit *E, AsyncFn *fn) {
  if (!fn->predefined)
    return;
  predefine_end(E, "__func__");
  predefine_end(E, "__FUNCTION__");
  if (fn->predefined & PREDEF_PRETTY)
    predefine_end(E, "__PRETTY_FUNCTION__");
}

/* The poll function: dispatch on the state, then the lowered body. */
static void poll_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n");
  gen_decl(E, "%sac_poll %s_poll(void *%s, ac_cx *%s) {", linkage(fn),
           fn->name, fn->self, fn->cx);
  gen(E, "  struct %s_frame *%s = %s;\n", fn->name, fn->fr, fn->self);
  if (!fn->awaits.len)
    gen(E, "  (void)%s;\n", fn->cx);
  predefined_begin(E, fn);
  dispatch(E, fn);
  E->p.depth = 1;
  print_body(&E->p, fn);
  E->p.depth = 0;
  Range body = tree_range(fn->body);
  print_line(&E->p, tu_line(E->tu, body.end ? body.end - 1 : 0), "}");
  predefined_end(E, fn);
}

static void drop_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n");
  gen_decl(E, "%svoid %s_drop(void *%s) {", linkage(fn), fn->name, fn->self);
  gen(E, "  struct %s_frame *%s = %s;\n", fn->name, fn->fr, fn->self);
  bool any = false;
  for (int i = 0; i < fn->awaits.len; i++)
    any |= ((AwaitSite *)fn->awaits.items[i])->kind != AW_BUDGET;
  if (any) {
    gen(E, "  switch (%s->state) {\n", fn->fr);
    for (int i = 0; i < fn->awaits.len; i++) {
      AwaitSite *aw = fn->awaits.items[i];
      if (aw->kind == AW_BUDGET)
        continue;
      gen(E, "  case %s:\n", aw->state);
      if (aw->kind == AW_COMBINE) {
        Buf b = {0};
        combine_drop(aw, &b, "    ");
        gen(E, "%s", b.s ? b.s : "");
        buf_free(&b);
      } else if (aw->kind == AW_STUB) {
        gen(E, "    ac__dyn_drop(&%s->sub.%s);\n", fn->fr, aw->sub);
      } else if (aw->dynamic) {
        gen(E, "    if (%s->sub.%s) {\n", fn->fr, aw->sub);
        gen(E, "      %s_drop(%s->sub.%s);\n", aw->callee_name, fn->fr,
            aw->sub);
        gen(E, "      ac_frame_free(%s->sub.%s);\n    }\n", fn->fr, aw->sub);
      } else {
        gen(E, "    %s_drop(&%s->sub.%s);\n", aw->callee_name, fn->fr,
            aw->sub);
      }
      /* Cleanups of the variables in scope there, innermost first. */
      for (int k = aw->live.len - 1; k >= 0; k--) {
        Var *v = aw->live.items[k];
        if (v->cleanup && v->saved)
          gen(E, "    %s(&%s->%s);\n", v->cleanup, fn->fr, v->field);
      }
      gen(E, "    break;\n");
    }
    gen(E, "  default:\n    break;\n  }\n");
  }
  gen(E, "  %s->state = %s_DONE;\n}\n", fn->fr, fn->upper);
}

/* The function's description for the runtime (asyncc/task.h), which its
 * tasks and its stub share. */
static void task_type(Emit *E, AsyncFn *fn) {
  gen(E, "\nstatic AC_MAYBE_UNUSED const struct ac_task_type %s_type = {\n",
      fn->name);
  gen(E, "    .poll = %s_poll,\n    .drop = %s_drop,\n    .name = \"%s\",\n",
      fn->name, fn->name, fn->name);
  if (fn->ret_type)
    gen(E, "    .result_offset = offsetof(struct %s_frame, result),\n"
           "    .result_size = sizeof(((struct %s_frame *)0)->result),\n",
        fn->name, fn->name);
  gen(E, "};\n");
}

/* The function under its own name, as a plain C function: its stub.
 * Other files, and pointers to it, call it after announcing the call
 * (ac__dyn_call); it sets up the frame as asked (docs/abi.md). */
static char *stub_signature(Emit *E, AsyncFn *fn) {
  return arena_cat(E->a, fn->is_static ? "static " : "", signature(E, fn, true),
                   NULL);
}

static void stub(Emit *E, AsyncFn *fn) {
  if (!fn->has_stub)
    return;
  CXType rt = clang_getCursorResultType(fn->decl);
  gen(E, "\n/* %s itself, for other files and pointers: it sets up the call "
         "announced\n * with ac__dyn_call. */\n",
      fn->name);
  gen_decl(E, "%s {", stub_signature(E, fn));
  gen(E, "  struct %s_frame *%s = ac__dyn_begin(sizeof *%s, &%s_type);\n",
      fn->name, fn->fr, fn->fr, fn->name);
  const char *args = "";
  for (int i = 0; i < fn->nparams; i++)
    args = arena_cat(E->a, args, ", ", ((Var *)fn->vars.items[i])->name,
                     NULL);
  gen(E, "  if (%s) {\n    %s_init(%s%s);\n    ac__dyn_end(%s);\n  }\n",
      fn->fr, fn->name, fn->fr, args, fn->fr);
  if (fn->ret_type)
    gen(E, "  return (%s){0};\n",
        decl_declarator(E->tu, clang_getUnqualifiedType(rt), "", false));
  gen(E, "}\n");
}

static void definition(Emit *E, AsyncFn *fn) {
  print_generated(&E->p);
  declare_fn(E, fn);
  init_fn(E, fn);
  poll_fn(E, fn);
  print_generated(&E->p);
  drop_fn(E, fn);
  task_type(E, fn);
  stub(E, fn);
}

/* A prototype stays: it declares the stub, which other files or a pointer
 * call (unless the function is static and its address is never taken),
 * and the state machine's prototypes follow it when the function is
 * defined here. */
static void prototype(Emit *E, AsyncFn *fn, Range r) {
  AsyncFn *def = find_definition(E->tu, fn->decl);
  if (!def &&
      find_struct(E->tu, arena_printf(E->a, "%s_frame", fn->name))) {
    /* A future written by hand in this file, under this prototype: its
     * functions are declared in its stead, with its linkage. */
    print_generated(&E->p);
    gen(E, "struct %s_frame;\n", fn->name);
    prototypes_linked(E, fn, fn->decl,
                      fn->is_static ? "static AC_MAYBE_UNUSED " : "");
    return;
  }
  if (!def || def->has_stub)
    print_source(&E->p, r);
  if (!def)
    return;
  print_generated(&E->p);
  gen(E, "struct %s_frame;\n", fn->name);
  /* An old-style declaration takes its parameters from the definition. */
  prototypes(E, fn, def->decl);
  helper_prototypes(E, def);
}

/* ---- Replacements in the copied text ----------------------------------- */

static void add_replace(Emit *E, Vec *v, Range r, ReplaceKind kind,
                        AsyncFn *fn, const char *text) {
  Replace *x = arena_alloc(E->a, sizeof *x);
  *x = (Replace){r, kind, fn, text};
  vec_push(E->a, v, x);
}

/* A definition's range, widened to the start of its line when only blanks
 * precede it, so the generated text starts on a fresh line, and over its
 * ';' and the rest of its line. */
static Range definition_range(Tu *tu, AsyncFn *fn) {
  Range r = fn->def_range;
  unsigned s = r.start;
  while (s > 0 && (tu->src[s - 1] == ' ' || tu->src[s - 1] == '\t'))
    s--;
  if (s == 0 || tu->src[s - 1] == '\n')
    r.start = s;
  r.end = tu_skip_semicolon(tu, r.end);
  /* The rest of the line, if only blanks: the output resumes on the next
   * line, as the input does. */
  unsigned e = r.end;
  while (e < tu->src_len && (tu->src[e] == ' ' || tu->src[e] == '\t'))
    e++;
  if (e < tu->src_len && tu->src[e] == '\n')
    r.end = e + 1;
  return r;
}

/* The helper a site calls: by the callee defined here, by the declaration
 * of one defined elsewhere, or by the function type called through. */
static void add_helper(Emit *E, Node *site, Node *call, HelperKind kind) {
  Tu *tu = E->tu;
  AsyncFn *fn = find_definition(tu, tree_referenced(call));
  Node *via = fn ? NULL : tree_pointer_callee(call);
  const CXType *type = via ? lower_via_type(tu, via) : NULL;
  CXCursor callee = fn || via ? clang_getNullCursor() : tree_referenced(call);
  for (int i = 0; i < E->helpers.len; i++) {
    Helper *h = E->helpers.items[i];
    if (h->kind == kind && h->fn == fn && h->via == type &&
        (fn || via || clang_equalCursors(clang_getCanonicalCursor(h->callee),
                                         clang_getCanonicalCursor(callee))))
      return;
  }
  Helper *h = arena_alloc(E->a, sizeof *h);
  *h = (Helper){fn, kind, callee, type, type ? lower_via_id(tu, type) : 0,
                site};
  vec_push(E->a, &E->helpers, h);
}

/* The start of the top-level declaration around n, at the start of its
 * line: where a helper's prototype goes before its first use. */
static unsigned top_start(Tu *tu, Node *n) {
  while (n->parent)
    n = n->parent;
  unsigned s = tree_range(n).start;
  while (s > 0 && tu->src[s - 1] != '\n')
    s--;
  return s;
}

/* The prototypes of helpers that go through a stub, in front of the
 * declaration of their first use (the callee, or the pointer's type, is
 * declared before it). */
static void stub_helper_prototypes(Emit *E, Vec *out) {
  for (int i = 0; i < E->helpers.len; i++) {
    Helper *h = E->helpers.items[i];
    if (h->fn)
      continue;
    unsigned at = top_start(E->tu, h->first);
    add_replace(E, out, (Range){at, at}, R_INSERT, NULL,
                arena_printf(E->a, "static %s;\n", helper_decl(E, h, false)));
  }
}

/* ac_block_on and ac_spawn outside async functions: the call's text, or
 * the smallest statement around it whose text can be printed anew when a
 * macro's body wrote the call. */
static void sync_sites(Emit *E, Vec *out) {
  Tu *tu = E->tu;
  Holes holes;
  holes_init(&holes, E->a);
  Vec sites = {0};
  Vec *lists[] = {&tu->block_ons, &tu->spawns};
  for (int l = 0; l < 2; l++)
    for (int i = 0; i < lists[l]->len; i++) {
      Node *n = lists[l]->items[i];
      Node *call = l == 0 ? tree_strip(n->operand) : n->operand;
      if (!call)
        continue;
      add_helper(E, n, call, l == 0 ? HELP_BLOCK_ON : HELP_SPAWN);
      bool in_async = false;
      for (Node *p = n; p; p = p->parent)
        if (p->ck == CXCursor_FunctionDecl && !p->parent)
          in_async = tu_is_async_decl(tu, p->c);
      if (in_async)
        continue; /* lowered with its function */
      vec_push(E->a, &sites, n);
    }
  /* Inner sites first: an outer one's text holds theirs. */
  for (int pass = 0; pass < sites.len; pass++)
    for (int i = 0; i < sites.len; i++) {
      Node *n = sites.items[i];
      if (holes_has(&holes, n))
        continue;
      bool inner_left = false;
      for (int k = 0; k < sites.len && !inner_left; k++) {
        Node *m = sites.items[k];
        for (Node *p = m->parent; p && !inner_left && m != n; p = p->parent)
          inner_left = p == n && !holes_has(&holes, m);
      }
      if (!inner_left)
        lower_sync_site(tu, n, &holes);
    }
  ExprCx x = {NULL, tu, E->a};
  Vec anchors = {0};
  for (int i = 0; i < sites.len; i++) {
    Node *a = sites.items[i];
    Range r;
    while (a && !tree_exact_range(a, &r))
      a = a->parent;
    if (!a || vec_has(&anchors, a))
      continue;
    vec_push(E->a, &anchors, a);
  }
  for (int i = 0; i < anchors.len; i++) {
    Node *a = anchors.items[i];
    bool inside = false;
    Range r;
    tree_exact_range(a, &r);
    for (int k = 0; k < anchors.len && !inside; k++) {
      Range o;
      if (k != i && tree_exact_range(anchors.items[k], &o))
        inside = o.start <= r.start && r.end <= o.end &&
                 !(range_equal(o, r) && k > i);
    }
    if (!inside)
      add_replace(E, out, r, R_SITE, NULL, expr_str(tu, expr_of(&x, a, &holes),
                                                    ""));
  }
}

static int by_start(const void *a, const void *b) {
  const Replace *x = *(Replace *const *)a, *y = *(Replace *const *)b;
  if (x->r.start != y->r.start)
    return x->r.start < y->r.start ? -1 : 1;
  /* An insertion goes before what starts where it is. */
  bool xi = x->kind == R_INSERT, yi = y->kind == R_INSERT;
  if (xi != yi)
    return xi ? -1 : 1;
  return x->r.end > y->r.end ? -1 : x->r.end < y->r.end;
}

/* ---- The trailer ---------------------------------------------------------- */

/* A helper through the stub: announce, call, check. */
static void stub_helper_body(Emit *E, Helper *h) {
  CXType t = helper_fn_type(h);
  bool result = clang_getCanonicalType(clang_getResultType(t)).kind !=
                CXType_Void;
  const char *args = "";
  for (int i = 0; i < clang_getNumArgTypes(t); i++)
    args = arena_printf(E->a, "%s%sp%d", args, i ? ", " : "", i);
  const char *callee =
      h->via ? "f" : arena_cxstr(E->a, clang_getCursorSpelling(h->callee));
  if (h->kind == HELP_BLOCK_ON) {
    if (result)
      gen(E, "  %s;\n", decl_declarator(E->tu, clang_getResultType(t), "r",
                                         false));
    gen(E, "  struct ac_dyn d;\n");
    gen(E, "  ac__dyn_call(&d, AC_DYN_BLOCK_ON, NULL, %s);\n",
        result ? "&r" : "NULL");
    gen(E, "  (void)%s(%s);\n  ac__dyn_check(&d);\n", callee, args);
    if (result)
      gen(E, "  return r;\n");
    return;
  }
  gen(E, "  struct ac_dyn d;\n");
  gen(E, "  ac__dyn_call(&d, AC_DYN_SPAWN, NULL, NULL);\n");
  gen(E, "  (void)%s(%s);\n", callee, args);
  gen(E, "  if (ac__dyn_check(&d) != 0)\n    return NULL;\n");
  if (result)
    gen(E, "  return (%s *)d.frame;\n",
        decl_declarator(E->tu, clang_getResultType(t), "", false));
  else
    gen(E, "  return d.frame;\n");
}

static void helper_body(Emit *E, Helper *h) {
  AsyncFn *fn = h->fn;
  if (!fn) {
    stub_helper_body(E, h);
    return;
  }
  const char *args = "";
  int n = clang_getNumArgTypes(clang_getCursorType(fn->decl));
  for (int i = 0; i < n; i++)
    args = arena_printf(E->a, "%s, p%d", args, i);
  if (h->kind == HELP_BLOCK_ON) {
    gen(E, "  struct %s_frame fr;\n  %s_init(&fr%s);\n", fn->name, fn->name,
        args);
    gen(E, "  ac__block_on_or_exit(&fr, %s_poll, %s_drop);\n", fn->name,
        fn->name);
    if (fn->ret_type)
      gen(E, "  return fr.result;\n");
    return;
  }
  gen(E, "  struct %s_frame *fr;\n", fn->name);
  gen(E, "  ac_task *task = ac__task_new(sizeof *fr, (void **)&fr);\n");
  gen(E, "  if (!task)\n    return NULL;\n");
  gen(E, "  %s_init(fr%s);\n", fn->name, args);
  gen(E, "  ac__task_start(task, &%s_type);\n", fn->name);
  if (fn->ret_type)
    gen(E, "  return (%s *)(void *)task;\n",
        decl_declarator(E->tu, clang_getCursorResultType(fn->decl), "",
                        false));
  else
    gen(E, "  return task;\n");
}

static void trailer(Emit *E, Buf *out) {
  /* The marker comes first so that the source's last line is the last
   * line before it, with or without #line. */
  print_marker(&E->p,
               "/* asyncc: helpers and ac_dump_tasks metadata for this file. */\n");
  print_generated(&E->p);
  for (int i = 0; i < E->helpers.len; i++) {
    Helper *h = E->helpers.items[i];
    gen(E, "\n");
    gen_decl(E, "static %s {", helper_decl(E, h, true));
    helper_body(E, h);
    gen(E, "}\n");
  }
  info_emit(E->tu, out);
}

void emit_file(Tu *tu, const Options *opt, Buf *out) {
  Emit E = {.tu = tu, .a = tu->arena, .opt = opt};
  print_init(&E.p, tu, out, opt);
  Vec reps = {0};
  sync_sites(&E, &reps);
  stub_helper_prototypes(&E, &reps);
  for (int i = 0; i < tu->fns.len; i++) {
    AsyncFn *fn = tu->fns.items[i];
    add_replace(&E, &reps, definition_range(tu, fn),
                fn->is_definition ? R_DEFINITION : R_PROTOTYPE, fn, NULL);
  }
  if (reps.len)
    qsort(reps.items, (size_t)reps.len, sizeof(void *), by_start);
  buf_reserve(out, tu->src_len * 2);
  unsigned pos = 0;
  for (int i = 0; i < reps.len; i++) {
    Replace *x = reps.items[i];
    if (x->r.start < pos)
      continue; /* inside a replacement already made */
    print_source(&E.p, (Range){pos, x->r.start});
    switch (x->kind) {
    case R_DEFINITION:
      definition(&E, x->fn);
      break;
    case R_PROTOTYPE:
      prototype(&E, x->fn, x->r);
      break;
    case R_INSERT:
      print_generated(&E.p);
      print_raw(&E.p, x->text);
      break;
    case R_SITE:
      print_replacement(&E.p, x->text, x->r);
      break;
    }
    pos = x->r.end;
  }
  print_source(&E.p, (Range){pos, (unsigned)tu->src_len});
  trailer(&E, out);
}
