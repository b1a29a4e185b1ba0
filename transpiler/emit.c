/* emit.c -- writes the output file through the printer: the input's text
 * with each async function replaced by its state machine (state enum,
 * frame struct, init, poll and drop), async prototypes by ABI prototypes,
 * and ac_block_on and ac_spawn calls outside async functions by calls of
 * generated helpers.  Everything else is copied byte for byte.
 *
 * emit only prints: what it prints was decided by the passes before. */
#include "transpiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A part of the input replaced in the output. */
typedef enum { R_DEFINITION, R_PROTOTYPE, R_SITE } ReplaceKind;
typedef struct {
  Range r;
  ReplaceKind kind;
  AsyncFn *fn;       /* R_DEFINITION, R_PROTOTYPE */
  const char *text;  /* R_SITE */
} Replace;

/* Helpers stand in for ac_block_on(f(...)) and ac_spawn(f(...)), which
 * need a frame where the call is written: f_block_on runs f on a stack
 * frame, f_spawn starts it as a task and returns the typed handle. */
typedef enum { HELP_BLOCK_ON, HELP_SPAWN } HelperKind;
typedef struct {
  AsyncFn *fn;
  HelperKind kind;
} Helper;

typedef struct {
  Tu *tu;
  Arena *a;
  const Options *opt;
  Printer p;
  Vec declared;     /* AsyncFn * whose enum and frame are emitted */
  Vec extern_fns;   /* char * names of other files' functions declared */
  Vec helpers;      /* Helper * used in the file */
  Vec helpers_declared; /* AsyncFn * whose helper prototypes are out */
} Emit;

static const char *linkage(AsyncFn *fn) {
  return fn->is_static ? "static AC_MAYBE_UNUSED " : "";
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

/* "T1 a, T2 b" for the init parameters, or the types alone. */
static char *init_params(Emit *E, AsyncFn *fn, CXCursor decl, bool named) {
  Buf b = {0};
  buf_printf(&b, "struct %s_frame *%s", fn->name, named ? fn->fr : "");
  CXType t = clang_getCursorType(decl);
  int n = clang_getNumArgTypes(t);
  for (int i = 0; i < n; i++) {
    const char *name = named ? ((Var *)fn->vars.items[i])->name : "";
    buf_printf(&b, ", %s",
               decl_param(E->tu, clang_getArgType(t, (unsigned)i), name,
                          false));
  }
  return buf_take(E->a, &b);
}

static void prototypes(Emit *E, AsyncFn *fn, CXCursor decl) {
  const char *lk = linkage(fn);
  /* A declaration without a prototype (`async int g();`) gives init none
   * either: calls pass the promoted arguments, as calls of g would. */
  if (clang_getCursorType(decl).kind == CXType_FunctionNoProto)
    gen(E, "%svoid %s_init();\n", lk, fn->name);
  else
    gen(E, "%svoid %s_init(%s);\n", lk, fn->name,
        init_params(E, fn, decl, false));
  gen(E, "%sac_poll %s_poll(void *, ac_cx *);\n", lk, fn->name);
  gen(E, "%svoid %s_drop(void *);\n", lk, fn->name);
}

/* "R f_block_on(P p0, ...)" or "R *f_spawn(P p0, ...)". */
static char *helper_decl(Emit *E, Helper *h, bool named) {
  AsyncFn *fn = h->fn;
  CXType t = clang_getCursorType(fn->decl);
  const char *params = "";
  for (int i = 0; i < clang_getNumArgTypes(t); i++)
    params = arena_cat(
        E->a, params, i ? ", " : "",
        decl_declarator(E->tu, clang_getArgType(t, (unsigned)i),
                        named ? arena_printf(E->a, "p%d", i) : "", false),
        NULL);
  char *sig = arena_printf(E->a, "%s%s_%s(%s)",
                           h->kind == HELP_SPAWN ? "*" : "", fn->name,
                           h->kind == HELP_SPAWN ? "spawn" : "block_on",
                           params[0] ? params : "void");
  if (!fn->ret_type)
    return arena_cat(E->a, "void ", sig, NULL);
  return decl_declarator(E->tu, clang_getCursorResultType(fn->decl), sig,
                         false);
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
    gen(E, "static %s;\n", helper_decl(E, h, false));
    any = true;
  }
  if (any)
    vec_push(E->a, &E->helpers_declared, fn);
}

/* ABI declarations of an async function defined in another file: its frame
 * is opaque, so callers allocate frame_size bytes and read the result
 * through f_result. */
static void extern_decls(Emit *E, CXCursor decl) {
  char *name = arena_cxstr(E->a, clang_getCursorSpelling(decl));
  for (int i = 0; i < E->extern_fns.len; i++)
    if (strcmp(E->extern_fns.items[i], name) == 0)
      return;
  vec_push(E->a, &E->extern_fns, name);
  AsyncFn *fn = find_fn_by_cursor(E->tu, decl);
  CXType rt = clang_getCursorResultType(decl);
  gen(E, "struct %s_frame; /* defined in another file */\n", name);
  gen(E, "extern const size_t %s_frame_size;\n", name);
  if (!fn) {
    AsyncFn tmp = {.tu = E->tu, .decl = decl, .name = name};
    prototypes(E, &tmp, decl);
  }
  if (clang_getCanonicalType(rt).kind != CXType_Void)
    gen(E, "%s;\n",
        decl_declarator(E->tu, rt,
                        arena_printf(E->a, "%s_result(struct %s_frame *)",
                                     name, name),
                        false));
}

static void state_enum(Emit *E, AsyncFn *fn) {
  gen(E, "enum %s_state {\n  %s_START,\n", fn->name, fn->upper);
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    Buf b = {0};
    print_comment_text(&b, aw->text);
    gen(E, "  %s, /* %s:%u %s */\n", aw->state, E->tu->path, aw->line,
        b.s ? b.s : "");
    buf_free(&b);
  }
  gen(E, "  %s_DONE,\n};\n", fn->upper);
}

static void slot(Emit *E, Slot *s, int depth) {
  if (s->kind == SLOT_FIELD) {
    if (s->await_line)
      gen(E, "%*s%s; /* %s:%u */\n", depth * 2, "", s->decl, E->tu->path,
          s->await_line);
    else
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

/* Callees defined in this file get their frames declared first: embedded
 * sub-frames need complete types, dynamic ones their prototypes. */
static void declare_callees(Emit *E, AsyncFn *fn) {
  for (int i = 0; i < fn->awaits.len; i++) {
    AwaitSite *aw = fn->awaits.items[i];
    if (aw->kind != AW_ASYNC_FN)
      continue;
    AsyncFn *callee = find_definition(E->tu, aw->callee);
    if (callee && callee != fn)
      declare_fn(E, callee);
    else if (!callee && aw->dynamic)
      extern_decls(E, aw->callee);
  }
}

static void declare_fn(Emit *E, AsyncFn *fn) {
  if (vec_has(&E->declared, fn))
    return;
  vec_push(E->a, &E->declared, fn);
  declare_callees(E, fn);
  gen(E, "\n/* async %s: %s:%u */\n", fn->name, E->tu->path, fn->line);
  hoisted_types(E, fn);
  state_enum(E, fn);
  frame_struct(E, fn);
  prototypes(E, fn, fn->decl);
  helper_prototypes(E, fn);
}

static void init_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n%svoid %s_init(%s) {\n", linkage(fn), fn->name,
      init_params(E, fn, fn->decl, true));
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

/* The poll function: dispatch on the state, then the lowered body. */
static void poll_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n%sac_poll %s_poll(void *%s, ac_cx *%s) {\n", linkage(fn),
      fn->name, fn->self, fn->cx);
  gen(E, "  struct %s_frame *%s = %s;\n", fn->name, fn->fr, fn->self);
  if (!fn->awaits.len)
    gen(E, "  (void)%s;\n", fn->cx);
  dispatch(E, fn);
  E->p.depth = 1;
  print_body(&E->p, fn);
  E->p.depth = 0;
  Range body = tree_range(fn->body);
  print_line(&E->p, tu_line(E->tu, body.end ? body.end - 1 : 0), "}");
}

static void drop_fn(Emit *E, AsyncFn *fn) {
  gen(E, "\n%svoid %s_drop(void *%s) {\n", linkage(fn), fn->name, fn->self);
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

/* What other files need to await this function: its frame size and a way
 * to read the result from an opaque frame. */
static void exports(Emit *E, AsyncFn *fn) {
  if (fn->is_static)
    return;
  gen(E, "\nconst size_t %s_frame_size = sizeof(struct %s_frame);\n",
      fn->name, fn->name);
  if (!fn->ret_type)
    return;
  char *sig = arena_printf(E->a, "%s_result(struct %s_frame *%s)", fn->name,
                           fn->name, fn->fr);
  char *d = decl_declarator(E->tu, clang_getCursorResultType(fn->decl), sig,
                            false);
  gen(E, "%s;\n", d);
  gen(E, "%s {\n  return %s->result;\n}\n", d, fn->fr);
}

static void definition(Emit *E, AsyncFn *fn) {
  print_generated(&E->p);
  declare_fn(E, fn);
  init_fn(E, fn);
  poll_fn(E, fn);
  print_generated(&E->p);
  drop_fn(E, fn);
  exports(E, fn);
}

static void prototype(Emit *E, AsyncFn *fn) {
  print_generated(&E->p);
  gen(E, "struct %s_frame;\n", fn->name);
  AsyncFn *def = find_definition(E->tu, fn->decl);
  /* An old-style declaration takes its parameters from the definition. */
  prototypes(E, fn, def ? def->decl : fn->decl);
  if (!def)
    extern_decls(E, fn->decl);
  helper_prototypes(E, def ? def : fn);
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

static void add_helper(Emit *E, AsyncFn *fn, HelperKind kind) {
  for (int i = 0; i < E->helpers.len; i++) {
    Helper *h = E->helpers.items[i];
    if (h->fn == fn && h->kind == kind)
      return;
  }
  Helper *h = arena_alloc(E->a, sizeof *h);
  *h = (Helper){fn, kind};
  vec_push(E->a, &E->helpers, h);
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
      AsyncFn *fn = call ? find_definition(tu, tree_referenced(call)) : NULL;
      if (!fn)
        continue;
      add_helper(E, fn, l == 0 ? HELP_BLOCK_ON : HELP_SPAWN);
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
  return x->r.end > y->r.end ? -1 : x->r.end < y->r.end;
}

/* ---- The trailer ---------------------------------------------------------- */

static void helper_body(Emit *E, Helper *h) {
  AsyncFn *fn = h->fn;
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
  /* One static description of the function's tasks (asyncc/task.h). */
  gen(E, "  static const struct ac_task_type ac__type = {%s_poll, %s_drop, "
         "\"%s\", ",
      fn->name, fn->name, fn->name);
  if (fn->ret_type)
    gen(E, "offsetof(struct %s_frame, result), "
           "sizeof(((struct %s_frame *)0)->result)};\n",
        fn->name, fn->name);
  else
    gen(E, "0, 0};\n");
  gen(E, "  struct %s_frame *fr;\n", fn->name);
  gen(E, "  ac_task *task = ac__task_new(sizeof *fr, (void **)&fr);\n");
  gen(E, "  if (!task)\n    return NULL;\n");
  gen(E, "  %s_init(fr%s);\n", fn->name, args);
  gen(E, "  ac__task_start(task, &ac__type);\n");
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
    gen(E, "\nstatic %s {\n", helper_decl(E, h, true));
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
      prototype(&E, x->fn);
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
