/* transpiler.h -- the asyncc transpiler's private header, one section per
 * file.  The pipeline (main.c) runs: tu_open, tree_build, find_async,
 * check_function, frame_layout, lower_function, emit_file. */
#ifndef ASYNCC_TRANSPILER_H
#define ASYNCC_TRANSPILER_H

#include <clang-c/Index.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifndef ASYNCC_VERSION
#define ASYNCC_VERSION "0.0.0"
#endif

typedef struct Arena Arena;
typedef struct Buf Buf;
typedef struct Tu Tu;
typedef struct Node Node;
typedef struct Var Var;
typedef struct AwaitSite AwaitSite;
typedef struct AsyncFn AsyncFn;
typedef struct Edit Edit;
typedef struct Options Options;
typedef struct Fut Fut;
typedef struct ForParts ForParts;

/* arena.c */
Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies a CXString into the arena and disposes of it. */
char *arena_cxstr(Arena *a, CXString s);
/* Growable array of pointers, storage in the arena. */
typedef struct {
  void **items;
  int len, cap;
} Vec;
void vec_push(Arena *a, Vec *v, void *item);
/* A set of strings (hash table, open addressing), storage in the arena. */
typedef struct {
  char **slots;
  unsigned cap, len;
} NameSet;
/* Adds a copy of the n characters at s unless the set has them. */
void names_add(Arena *a, NameSet *set, const char *s, size_t n);
bool names_has(const NameSet *set, const char *name);

/* buf.c */
struct Buf {
  char *s;
  size_t len, cap;
};
/* Makes room for n more bytes and a terminator. */
void buf_reserve(Buf *b, size_t n);
/* Inline, so that appending a literal costs a few stores: its length is
 * known when compiling. */
static inline void buf_putn(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap)
    buf_reserve(b, n);
  memcpy(b->s + b->len, s, n);
  b->len += n;
  b->s[b->len] = '\0';
}
static inline void buf_puts(Buf *b, const char *s) {
  buf_putn(b, s, strlen(s));
}
void buf_printf(Buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(Buf *b, const char *fmt, va_list ap);
/* Appends s on one line (runs of blanks and newlines become one space),
 * with a backslash before each character in `escape` (may be NULL). */
void buf_put_line_of(Buf *b, const char *s, const char *escape);
/* Appends s with a backslash before each character in `escape`. */
void buf_put_escaped(Buf *b, const char *s, const char *escape);
void buf_free(Buf *b);
/* Moves the contents into the arena and empties the buffer. */
char *buf_take(Arena *a, Buf *b);

/* diag.c */
typedef struct {
  unsigned off; /* byte offset in the main file */
} Loc;
void diag_init(Tu *tu, bool color);
void diag_error(Loc at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_note(Loc at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void diag_warning(Loc at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int diag_error_count(void);
/* Prints a libclang diagnostic in clang's own format. */
void diag_print_clang(CXDiagnostic d);
_Noreturn void internal_error_at(const char *file, int line, const char *msg);
#define internal_error(msg) internal_error_at(__FILE__, __LINE__, msg)

/* tu.c */
typedef struct {
  unsigned start, end; /* byte offsets in the main file */
} Range;

/* A character of a C identifier, with the '$' clang accepts by default
 * (universal character names and other bytes are left to libclang). */
static inline bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$';
}

static inline bool range_equal(Range a, Range b) {
  return a.start == b.start && a.end == b.end;
}

struct Tu {
  Arena *arena;
  CXIndex index;
  CXTranslationUnit tu;
  CXFile main_file;
  const char *path;     /* as given on the command line */
  const char *src;      /* main file text */
  size_t src_len;
  bool raw_ok;          /* locations map to offsets directly (tu.c) */
  const void *raw_sm;   /* their source manager */
  unsigned raw_base;    /* the main file's first location */
  bool main_reentered;  /* some #include enters the main file again */
  bool main_once;       /* known not to be: set once all #includes are seen */
  Vec includes;         /* Range * of the main file's #include lines */
  NameSet macro_names;  /* every macro the file or its headers define */
  bool has_abi_macro;   /* one of them is a frame member's name */
  CXCursor abi_macro;   /* the first such definition */
  Vec expansions;       /* Range * of every macro expansion, by start */
  unsigned *max_end;    /* running maximum of the expansions' ends */
  unsigned *line_starts; /* offset of each line */
  unsigned nlines;
  Vec await_calls;      /* Range * of every `await(...)` in the file, by start */
  struct ArgSpan *arg_spans; /* locations known to map linearly (tu.c) */
  int narg_spans, arg_spans_cap;
  const void *await_def; /* the await macro definition last checked (tu.c) */
  bool await_def_plain; /* whether that one is asyncc's */
  Vec fns;              /* AsyncFn * defined or declared in the main file */
  AsyncFn **fn_table;   /* fns by canonical declaration (find.c) */
  unsigned fn_table_cap;
  Vec complete_structs; /* NamedType * of every struct with a definition */
  Vec block_ons;        /* Node * of ac_block_on() outside async functions */
  Vec spawns;           /* Node * of ac_spawn() anywhere */
  Vec sync_fns;         /* Node * roots of the other function definitions */
  Vec file_scope_names; /* char * names declared at file scope */
  Vec generated_like;   /* NamedCursor * of those that end like a name
                           asyncc generates (find_generated_suffix) */
};
typedef enum { EMIT_C, EMIT_DOT, EMIT_LAYOUT } EmitKind;
struct Options {
  EmitKind emit;
  const char **inputs;
  int ninputs;
  const char *input;    /* the one being transpiled */
  const char *output;   /* its output path, "-" for stdout */
  const char *build_dir; /* -p: where compile_commands.json is */
  const char *depfile;  /* -MF */
  const char **clang_args;
  int nclang_args;
  bool line_directives;
  bool test_suspend;
  bool color;
};
/* Parses the input; prints libclang's errors and returns NULL on failure. */
Tu *tu_open(Arena *a, const Options *opt);
/* Writes a make-style dependency file: output: input and its includes. */
int tu_write_depfile(Tu *tu, const char *target, const char *path);
void tu_close(Tu *tu);
/* Main-file offset of a location (following macro arguments to their
 * spelling), or -1 if it lies outside the main file. */
long tu_offset(Tu *tu, CXSourceLocation loc);
bool tu_in_main_file(Tu *tu, CXCursor c);
/* Start and end of a cursor in main-file offsets, widened over macro
 * expansions and await invocations it ends inside. */
Range tu_range(Tu *tu, CXCursor c);
/* tu_range, also telling whether the cursor's last token is spelled in the
 * main file and all of its tokens lie before it there: true when that token
 * is spelled directly in the file, or when it and the first token are in
 * the same run of one macro argument's tokens (tu.c). */
Range tu_range_spelled(Tu *tu, CXCursor c, bool *end_spelled);
/* The range of a reference by name (a DeclRefExpr, which in C is one
 * identifier) spelled directly in the main file or in a known span of an
 * await's argument, read from the text rather than asked of libclang,
 * which lexes the token again; false if the name is elsewhere. */
bool tu_name_range(Tu *tu, CXCursor c, Range *r);
/* Learns where the locations of an await's operand lie, given the await
 * invocation it is the argument of, so that tu_offset and the ranges of
 * the cursors inside need not ask libclang (tu.c, learn_span). */
void tu_learn_await_span(Tu *tu, const Range *call, CXCursor operand);
unsigned tu_line(Tu *tu, unsigned off);
unsigned tu_col(Tu *tu, unsigned off);
/* True if a macro invocation that starts before `off` ends after it. */
bool tu_in_expansion(Tu *tu, unsigned off);
/* The expansion range that starts at `off`, or NULL. */
const Range *tu_expansion_at(Tu *tu, unsigned off);
/* The index in `ranges` (Range *, sorted by start) of the first that
 * starts at or after `off`. */
int tu_range_from(const Vec *ranges, unsigned off);
/* The index in tu->await_calls (sorted by start) of the first that starts
 * at or after `off`. */
int tu_await_call_from(Tu *tu, unsigned off);
/* The `await(...)` invocation that starts at `off`, or NULL. */
const Range *tu_await_call_at(Tu *tu, unsigned off);
/* Offset just after the `;` that follows `off` (skipping blanks and
 * comments), or `off` if there is none. */
unsigned tu_skip_semicolon(Tu *tu, unsigned off);
char *tu_text(Tu *tu, Range r);
bool tu_is_async_decl(CXCursor fn);

/* decl.c */
/* Declares `name` (may be "") with type t, e.g. "int (*name)[3]".  With
 * unqualify, drops top-level and array-element qualifiers, for frame fields
 * that are assigned after the fact. */
char *decl_declarator(Arena *a, CXType t, const char *name, bool unqualify);
/* Gives an unnamed type a spelling ("struct f_anon_12") for declarators;
 * NULL when the declaration has none. */
void decl_name_anonymous(Arena *a, CXCursor decl, const char *spelled);
const char *decl_anonymous_name(CXCursor decl);
/* libclang's spelling of t, shared: callers must not change it. */
char *decl_type_spelling(Arena *a, CXType t);
/* Forgets the tags and spellings, whose storage goes with the translation
 * unit. */
void decl_forget_anonymous(void);
/* True if values of t cannot be assigned (const members). */
bool decl_needs_copy(CXType t);
/* "lhs = value;", or a memcpy for types that cannot be assigned. */
char *decl_assign(Arena *a, CXType t, const char *lhs, const char *value);
/* The same for a parameter: arrays and functions become pointers. */
char *decl_param(Arena *a, CXType t, const char *name, bool unqualify);

/* tree.c -- a parent-linked copy of a function body's cursor tree. */
typedef enum {
  N_OTHER,
  N_AWAIT,     /* (ac__mark_await(), (e)) */
  N_BLOCK_ON,  /* (ac__mark_block_on(), (e)) */
  N_SPAWN,     /* (ac__mark_spawn(), <boxed e>); operand: the async call */
  N_JOIN,      /* (ac__mark_join(), *(h)); operand: the handle h */
  N_ALL,       /* ac_all(...): branches */
  N_RACE,      /* ac_race(...): branches */
  N_BRANCH,    /* one operand of a combinator; operand: its expression */
} NodeKind;
struct Node {
  CXCursor c;
  enum CXCursorKind ck;
  NodeKind kind;
  Node *parent;
  Node **kids;
  int nkids;
  Tu *tu;
  Range range;      /* read through tree_range(): computed when first asked */
  bool has_range;
  bool has_await;   /* this node or a descendant is an await */
  AwaitSite *await; /* for N_AWAIT */
  Node *operand;    /* for marked nodes: see NodeKind */
  bool void_join;   /* N_JOIN of ac_join_void */
  Node **branches;  /* N_ALL, N_RACE: the N_BRANCH operands */
  int nbranches;
  CXCursor referenced; /* read through tree_referenced() */
  bool has_referenced;
  bool has_for_parts;   /* for_parts holds tree_for_parts's answer */
  ForParts *for_parts;  /* NULL when the header could not be parsed */
};
Node *tree_build(Tu *tu, CXCursor root);
/* The node's text range, widened over children that end after it.  It is
 * computed on first use (tree_range_compute); the passes ask for ranges
 * tens of thousands of times, so the cached answer is read inline. */
Range tree_range_compute(Node *n);
static inline Range tree_range(Node *n) {
  return n->has_range ? n->range : tree_range_compute(n);
}
/* clang_getCursorReferenced of the node's cursor, computed on first use:
 * several passes ask it of the same references. */
CXCursor tree_referenced_compute(Node *n);
static inline CXCursor tree_referenced(Node *n) {
  return n->has_referenced ? n->referenced : tree_referenced_compute(n);
}
/* Strips parentheses and implicit conversions. */
Node *tree_strip(Node *n);
bool tree_is_marker(CXCursor c, const char *marker);
/* The parts of `for (init; cond; inc) body`, found from the tokens since
 * libclang leaves absent parts out of the children. */
struct ForParts {
  Node *init, *cond, *inc, *body;
  Range init_r; /* text between '(' and the first ';' */
};
/* Tokenizes the header once per node; later calls copy the answer. */
bool tree_for_parts(Tu *tu, Node *n, ForParts *p);

/* find.c */
struct Var {
  Node *decl;       /* VarDecl or ParmDecl */
  char *name;       /* as written */
  char *field;      /* name in the frame, unique within the frame */
  char *type;       /* spelling of the declared type */
  bool is_param;
  char *align_spec; /* _Alignas(...) or __attribute__((aligned(...))) */
  long align_value; /* its value when a literal, else 0 */
  bool live_across; /* live at some await's resume point (live.c) */
  bool escapes;     /* its address may be taken (live.c) */
  bool saved;       /* lives in the frame */
};
typedef enum {
  AW_NONE,          /* not awaitable: refused by check */
  AW_ASYNC_FN,      /* await(f(args)) where f is an async function */
  AW_JOIN,          /* await(ac_join(h)): the runtime's join future */
  AW_COMBINE,       /* await(ac_all(...)) or await(ac_race(...)) */
} AwaitKind;
struct AwaitSite {
  AsyncFn *fn;
  Fut *fut;         /* AW_COMBINE: the combinator tree (combine.c) */
  Node *node;
  Node *call;       /* the CallExpr being awaited */
  AwaitKind kind;
  CXCursor callee;  /* the async function's declaration */
  char *callee_name;
  char *result_type; /* NULL for void */
  bool dynamic;     /* frame size unknown here or recursive: frame arena */
  bool direct;      /* the residual reads the result from the sub-frame */
  int id;
  unsigned line;
  char *state;      /* enum constant */
  char *label;      /* resume label */
  char *sub;        /* member of the sub-frame union */
  char *tmp;        /* frame field holding the result, NULL if unused */
  char *text;       /* the await as written, for comments */
  Vec next;         /* AwaitSite * that can come next (live.c) */
  bool done;        /* the function can finish after this one (live.c) */
};
struct AsyncFn {
  Tu *tu;
  CXCursor decl;
  CXCursor canon;   /* canonical declaration, for lookups */
  unsigned canon_hash; /* clang_hashCursor(canon), to skip most compares */
  int index;        /* in tu->fns */
  AsyncFn *same_slot; /* next in tu->fn_table's chain (find.c) */
  Vec callees;      /* AsyncFn * defined here that it awaits (find.c) */
  int visited;      /* mark of the last call-graph search (find.c) */
  char *name;
  char *upper;      /* prefix of state constants */
  char *ret_type;   /* NULL for void */
  bool is_static;
  bool is_definition;
  bool is_recursive; /* awaits itself, directly or through a cycle */
  Vec stmt_expr_returns; /* Node * returns in GNU statement expressions */
  Node *body;       /* CompoundStmt, for definitions */
  Range def_range;  /* whole definition including specifiers */
  unsigned line;
  Vec params;       /* Var * */
  Vec locals;       /* Var * */
  Vec awaits;       /* AwaitSite * in source order */
  Vec temps;        /* Temp * frame fields added by lowering */
  const char *self, *fr, *cx; /* names used inside init/poll/drop */
  NameSet used_names;  /* identifiers spelled in the body, and generated */
  struct Slot *layout; /* see layout.c */
  bool hoist_types;  /* a saved local has a type declared in the body */
  Vec hoisted;      /* Node * DeclStmts of types moved before the frame */
  Vec anon_types;   /* CXCursor * unnamed types given a tag (check.c) */
  struct CheckScan *scan; /* body nodes later checks revisit (check.c) */
  Vec start_next;   /* AwaitSite * that can come first (live.c) */
  bool start_done;  /* the function can finish without awaiting */
};
/* Finds every async function and await in the main file; diagnoses awaits
 * outside async functions. */
void find_async(Tu *tu);
AsyncFn *find_fn_by_cursor(Tu *tu, CXCursor decl);
AsyncFn *find_definition(Tu *tu, CXCursor decl);
typedef struct {
  char *name;
  CXType type;
} NamedType;
/* The struct with this tag that has a definition in the TU, or NULL. */
const NamedType *find_struct(Tu *tu, const char *name);
typedef struct {
  char *name;
  CXCursor c;
  size_t stem; /* name's length without its suffix (find_generated_suffix) */
} NamedCursor;
/* The suffixes of the file-scope names asyncc generates for an async
 * function f (f_frame, f_poll, ...), ended by a null s. */
typedef struct {
  const char *s;
  size_t n;
} Suffix;
extern const Suffix find_generated_suffixes[];
/* The length of name without such a suffix, or 0 if it has none. */
size_t find_generated_suffix(const char *name);
Var *find_var(AsyncFn *fn, CXCursor decl);
bool name_is_used(AsyncFn *fn, const char *name);

/* check.c */
/* Requires: find.  Provides: diagnostics for every refused construct. */
void check_function(AsyncFn *fn);
/* Requires: frame.  Refuses saved locals that a frame cannot hold. */
void check_frame(AsyncFn *fn);
/* Requires: frame for every function.  Refuses callees defined further
 * down whose frames need types declared after the caller. */
void check_forward_callees(AsyncFn *fn);
void check_block_on(Tu *tu, Node *n);
void check_spawn(Tu *tu, Node *n);
/* Every use of an async function must be an awaited or block_on call. */
void check_async_refs(Tu *tu);
/* No file-scope name is one that asyncc generates for an async function
 * it defines (f_frame, f_poll, ...). */
void check_generated_names(Tu *tu);
/* Suspicious but legal code. */
void check_warnings(AsyncFn *fn);

/* live.c */
/* Requires: find, check.  Provides: Var.live_across, Var.escapes, and the
 * state graph (AwaitSite.next, .done, fn->start_next, fn->start_done). */
void live_compute(AsyncFn *fn);

/* frame.c */
/* Requires: live.  Provides: Var.saved, Var.field, AwaitSite names,
 * fn->fr, fn->cx.  Invalidates: nothing. */
void frame_layout(AsyncFn *fn);
/* Adds a frame field of the given type and returns its unique name. */
typedef struct {
  char *name;
  CXType type;
  bool is_flag;     /* an int of the generated code's own */
} Temp;
char *frame_new_temp(AsyncFn *fn, CXType type, const char *hint);
/* Adds an int frame field for generated control flow. */
char *frame_new_flag(AsyncFn *fn, const char *hint);
/* A label name unused in the function. */
char *frame_new_label(AsyncFn *fn, const char *base);

/* layout.c */
typedef enum { SLOT_FIELD, SLOT_STRUCT, SLOT_UNION } SlotKind;
typedef struct Slot Slot;
struct Slot {
  SlotKind kind;
  const char *name;  /* member name; NULL for anonymous aggregates */
  const char *decl;  /* declaration, for fields */
  unsigned await_line; /* for a sub-frame, its await's line, for a comment */
  long long size, align, offset;
  Vec kids;          /* Slot * members of aggregates */
};
/* Requires: lower (temporaries).  Provides: fn->layout, the frame's shape
 * with sizes and offsets.  Computed once. */
Slot *layout_frame(AsyncFn *fn);
/* The size and alignment of the frame of the async function `name`. */
long long layout_frame_size(Tu *tu, const char *name, long long *align);
/* The `--emit=layout` report of one frame. */
void layout_print(AsyncFn *fn, Buf *b);

/* lower.c */
struct Edit {
  Range r;
  const char *text;
  bool rerender;    /* text is r's own source with inner edits applied */
};
typedef struct {
  Vec edits;        /* Edit *, applied by emit */
} Lowered;
/* Requires: frame.  Provides: the edits that turn the body into the poll
 * function's body. */
void lower_function(AsyncFn *fn, Lowered *out, const Options *opt);
/* Rewrites ac_spawn() calls in a function that is not async. */
void lower_sync_spawns(Tu *tu, Node *root, Lowered *out);
/* Replacement text for `ac_block_on(f(args))` outside async functions. */
void lower_block_on(Tu *tu, Node *n, Lowered *out);
/* Renders r's text with the edits inside it applied. */
void render_range(Tu *tu, Lowered *lw, Range r, Buf *out);

/* code.c -- edits over the source and lines of generated code. */
typedef struct {
  AsyncFn *fn;
  Tu *tu;
  Arena *a;
  Lowered *lw;
  const Options *opt;
} Lower;

typedef struct {
  Buf b;
  const char *indent;
  int depth;
  bool single;      /* the text is one statement: never braced */
  unsigned directive_line; /* the last #line directive in b: its line, */
  size_t directive_at, directive_len; /* offset and length */
} Code;
/* Adds an edit, keeping the list sorted by start. */
Edit *code_add(Arena *a, Lowered *lw, Range r, const char *text);
void code_edit(Lower *L, Range r, const char *text);
/* An edit whose text renders r itself anew (see code.c). */
void code_rerender(Lower *L, Range r, const char *text);
void code_line(Lower *L, Code *c, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A code line holding `text` as it is (source text may span lines). */
void code_text(Lower *L, Code *c, unsigned line, const char *text);
/* A code line of the strings before the NULL, one after the other. */
void code_parts(Lower *L, Code *c, unsigned line, ...)
    __attribute__((sentinel));
/* The concatenation of the strings before the NULL, in the arena: a
 * printf's set-up costs more than the copy on the generator's paths. */
char *code_cat(Arena *a, ...) __attribute__((sentinel));
/* A label line, outdented one level. */
void code_label(Lower *L, Code *c, unsigned line, const char *label);
/* r's source text with the edits inside it applied. */
char *code_render(Lower *L, Range r);
/* The arguments of a call, as written with the edits inside them
 * applied: "a, b".  Arguments that one macro invocation writes together
 * (TWO(x) defined as x, 2) overlap; they are rendered as one text, which
 * the macro splits again. */
const char *lower_call_args(Lower *L, Node *call);

/* combine.c */
/* The tree of an ac_all/ac_race node; NULL after a diagnostic. */
Fut *combine_build(Tu *tu, Node *combinator);
/* The async calls (CallExpr nodes) a combinator await runs. */
void combine_calls(AwaitSite *aw, Vec *out);
/* The member paths ("sub.await_N.b1.b0") and callee names of the async
 * calls a combinator await runs, in order. */
void combine_leaves(AwaitSite *aw, Vec *paths, Vec *callees);
/* The combinator's frame: a struct of branch frames and its state. */
Slot *combine_slot(AwaitSite *aw, Fut *f, const char *name);
/* Lowers the await into `pre`; returns the residual (race: the winner). */
const char *combine_lower(Lower *L, AwaitSite *aw, Code *pre,
                          bool keep_result);
/* The code that drops the combinator's unfinished branches. */
void combine_drop(AwaitSite *aw, Lower *L, Code *c);

/* emit.c */
/* Requires: lower for every function.  Writes the whole output file. */
void emit_file(Tu *tu, const Options *opt, Lowered *lw, Buf *out);

/* info.c */
/* Requires: lower.  The metadata ac_dump_tasks reads (asyncc/task.h): one
 * ac_future_info per async function, registered by a constructor. */
void info_emit(Tu *tu, Buf *out);

/* dot.c */
/* Requires: live.  The state graphs of the file's async functions. */
void dot_print(Tu *tu, Buf *out);

#endif
