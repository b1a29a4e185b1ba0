/* transpiler.h -- the asyncc transpiler's private header, one section per
 * file.  main.c's transpile() lists the passes in order; each states what
 * it requires and provides at its declaration below. */
#ifndef ASYNCC_TRANSPILER_H
#define ASYNCC_TRANSPILER_H

#include <clang-c/Index.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
typedef struct Options Options;
typedef struct Fut Fut;
typedef struct Expr Expr;
typedef struct LStmt LStmt;
typedef struct MacroDef MacroDef;
typedef struct Printer Printer;

/* ---- arena.c ------------------------------------------------------------ */

Arena *arena_new(void);
void arena_free(Arena *a);
void *arena_alloc(Arena *a, size_t size);
char *arena_strdup(Arena *a, const char *s);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_printf(Arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies a CXString into the arena and disposes of it. */
char *arena_cxstr(Arena *a, CXString s);
/* The concatenation of the strings before the NULL, in the arena. */
char *arena_cat(Arena *a, ...) __attribute__((sentinel));
/* Growable array of pointers, storage in the arena. */
typedef struct {
  void **items;
  int len, cap;
} Vec;
void vec_push(Arena *a, Vec *v, void *item);
bool vec_has(const Vec *v, const void *item);

/* ---- map.c -- the one hash table ---------------------------------------- */

/* Open addressing over (hash, key, value); keys are compared by `eq`, so
 * one table serves strings, pointers and libclang cursors alike.  Storage
 * in the arena; never shrinks. */
typedef bool (*MapEq)(const void *a, const void *b);
typedef struct {
  unsigned hash;
  const void *key;
  void *value;
} MapSlot;
typedef struct {
  Arena *arena;
  MapEq eq;
  MapSlot *slots;
  unsigned cap, len;
} Map;
void map_init(Map *m, Arena *a, MapEq eq);
/* The value stored under key, or NULL. */
void *map_get(const Map *m, unsigned hash, const void *key);
/* Stores value under key, replacing any value already there. */
void map_put(Map *m, unsigned hash, const void *key, void *value);
unsigned hash_mem(const void *p, size_t n);
unsigned hash_str(const char *s);
unsigned hash_ptr(const void *p);
bool map_eq_str(const void *a, const void *b);
bool map_eq_ptr(const void *a, const void *b);
/* Keys are CXCursor *: compared with clang_equalCursors and hashed with
 * map_hash_cursor. */
bool map_eq_cursor(const void *a, const void *b);
unsigned map_hash_cursor(CXCursor c);
/* A set of names: a Map from strings to themselves. */
void names_add(Map *set, const char *s, size_t n);
bool names_has(const Map *set, const char *name);

/* ---- buf.c -------------------------------------------------------------- */

struct Buf {
  char *s;
  size_t len, cap;
};
/* Makes room for n more bytes and a terminator. */
void buf_reserve(Buf *b, size_t n);
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
/* Appends head (ending in an open bracket), the items separated by ", ",
 * then tail, breaking the line before an item that would pass column
 * WRAP_COLUMNS, with the continuation aligned under the first item: how
 * clang-format packs a bracket's contents, so that generated code reads
 * like the rest of a file formatted that way. */
enum { WRAP_COLUMNS = 80 };
void buf_wrap(Buf *b, const char *head, const char *const *items, int n,
              const char *tail);
/* Appends a declaration written on one line ("R f(P1 a, P2 b) {"),
 * wrapped as buf_wrap says at its parameter list. */
void buf_wrap_decl(Buf *b, const char *decl);
void buf_free(Buf *b);
/* Moves the contents into the arena and empties the buffer. */
char *buf_take(Arena *a, Buf *b);

/* ---- diag.c ------------------------------------------------------------- */

/* Diagnostics point at a byte offset of the main file. */
void diag_error(Tu *tu, unsigned at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_note(Tu *tu, unsigned at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void diag_warning(Tu *tu, unsigned at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A note at a location outside the main file (a header, a macro). */
void diag_note_at(Tu *tu, CXSourceLocation at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int diag_error_count(Tu *tu);
/* Prints a libclang diagnostic in clang's own format; one inside a macro
 * expansion is reported where the macro is used, with a note at the
 * macro's definition. */
void diag_print_clang(Tu *tu, CXDiagnostic d);
_Noreturn void internal_error_at(const char *file, int line, const char *msg);
#define internal_error(msg) internal_error_at(__FILE__, __LINE__, msg)

/* ---- tu.c --------------------------------------------------------------- */

typedef struct {
  unsigned start, end; /* byte offsets in the main file */
} Range;

static inline bool range_equal(Range a, Range b) {
  return a.start == b.start && a.end == b.end;
}

/* A character of a C identifier, with the '$' clang accepts by default. */
static inline bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* A macro invocation in the main file (the preprocessing record lists
 * each one spelled there, nested ones in arguments too). */
typedef struct {
  Range r;
  const char *name;
  CXCursor def;   /* its MacroDefinition, or a null cursor (builtins) */
  MacroDef *md;   /* the definition's tokens, read when first needed */
  Range *args;    /* the arguments' text, read when first needed */
  int nargs;      /* -1 until read */
} Expansion;

typedef enum { EMIT_C, EMIT_DOT, EMIT_LAYOUT, EMIT_SVG, EMIT_HTML } EmitKind;
struct Options {
  EmitKind emit;
  const char **inputs;
  int ninputs;
  const char *input;     /* the one being transpiled */
  const char *output;    /* its output path, "-" for stdout */
  const char *build_dir; /* -p: where compile_commands.json is */
  const char *depfile;   /* -MF */
  const char **clang_args;
  int nclang_args;
  bool line_directives;
  bool for_reading;      /* --for-reading (and the explorer, which also
                            asks for #line directives to map lines by) */
  bool test_suspend;
  bool color;
};

struct Tu {
  Arena *arena;
  const Options *opt;
  CXIndex index;
  CXTranslationUnit tu;
  CXFile main_file;
  const char *path;     /* as given on the command line */
  const char *src;      /* main file text */
  size_t src_len;
  unsigned *line_starts; /* offset of each line */
  unsigned nlines;
  Vec includes;         /* Range * of the main file's #include lines */
  Vec expansions;       /* Expansion * of the main file, by start */
  unsigned *max_end;    /* running maximum of the expansions' ends */
  Map macro_names;      /* every macro the file or its headers define */
  Map macro_defs;       /* MacroDef * by definition cursor (tok.c) */
  Map macro_by_name;    /* CXCursor * of the last definition, by name */
  bool has_abi_macro;   /* a macro is named like a frame's fixed member */
  CXCursor abi_macro;   /* the first such definition */
  Map async_decls;      /* tu_is_async_decl's answers, by declaration */
  Map fn_by_decl;       /* AsyncFn * by canonical declaration (find.c) */
  Vec fns;              /* AsyncFn * defined or declared in the main file */
  Map complete_structs; /* CXType * of every defined struct, by tag */
  Vec block_ons;        /* Node * of ac_block_on() outside async functions */
  Vec spawns;           /* Node * of ac_spawn() anywhere */
  Vec sync_fns;         /* Node * roots of the other function definitions
                           and of the file-scope variables */
  Map file_scope_names; /* names declared at file scope */
  Vec generated_like;   /* NamedCursor * of file-scope names that end like
                           one asyncc generates (find_generated_suffix) */
  Map anon_tags;        /* the name a type moved to file scope goes by
                           ("struct f_anon_12", "struct f_point"), by its
                           declaration (hoist.c) */
  Map hoisted_names;    /* names taken by declarations moved to file scope */
  Vec via_types;        /* CXType * called through pointers by helpers */
  Vec renames;          /* Rename *, by start: source text the output
                           spells otherwise (tu_rename) */
  Map type_spellings;   /* decl.c's spellings, by declaration */
  /* diag.c */
  int nerrors;
  Map reported;         /* "offset:format" of each error reported */
};

/* Parses the input; prints libclang's errors and returns NULL on failure. */
Tu *tu_open(Arena *a, const Options *opt);
/* Writes a make-style dependency file: output: input and its includes. */
int tu_write_depfile(Tu *tu, const char *target, const char *path);
void tu_close(Tu *tu);

/* Where a location is, as the rewrite needs to know it. */
typedef enum {
  LOC_FILE, /* a token spelled directly in the main file */
  LOC_ARG,  /* a macro argument's token, spelled in the main file */
  LOC_BODY, /* a token of a macro's body, spelled elsewhere */
  LOC_NONE  /* another file, or no location */
} LocKind;
typedef struct {
  LocKind kind;
  unsigned off; /* FILE, ARG: the token's offset in the main file;
                   BODY: the (outermost) invocation's start */
  unsigned inv; /* ARG, BODY: the outermost invocation's start */
  unsigned sp;  /* BODY: where the token is spelled (an offset in the
                   file of its macro's definition); else off */
} SrcLoc;
/* True if two locations are one token. */
static inline bool srcloc_same(SrcLoc a, SrcLoc b) {
  return a.kind == b.kind && a.off == b.off && a.inv == b.inv && a.sp == b.sp;
}
SrcLoc tu_loc(Tu *tu, CXSourceLocation loc);
/* Main-file offset of a location: where it is spelled when that is the
 * main file, else where its expansion starts; -1 outside the main file. */
long tu_offset(Tu *tu, CXSourceLocation loc);
bool tu_in_main_file(Tu *tu, CXCursor c);
unsigned tu_line(Tu *tu, unsigned off);
unsigned tu_col(Tu *tu, unsigned off);
char *tu_text(Tu *tu, Range r);
/* From now on, the output spells the source text r as `text`: a type or
 * constant renamed as it moves to file scope (hoist.c).  The ranges do
 * not overlap. */
typedef struct {
  Range r;
  const char *text;
} Rename;
void tu_rename(Tu *tu, Range r, const char *text);
/* r's text as the output spells it: with the renames inside r. */
void tu_put_text(Tu *tu, Buf *out, Range r);
char *tu_text_out(Tu *tu, Range r);
/* The invocations, by start: the first at or after `off`. */
int tu_expansion_from(Tu *tu, unsigned off);
/* The outermost invocation that starts at `off`, or NULL. */
Expansion *tu_expansion_at(Tu *tu, unsigned off);
/* The innermost invocation whose range holds `off` (start <= off < end),
 * or NULL; `name` narrows the search to invocations of that macro. */
Expansion *tu_expansion_around(Tu *tu, unsigned off, const char *name);
/* True if some invocation holds `off` strictly inside. */
bool tu_in_expansion(Tu *tu, unsigned off);
/* True if an invocation ends at `off`. */
bool tu_expansion_ends_at(Tu *tu, unsigned off);
/* The outermost invocation that holds `off`, or NULL. */
Expansion *tu_expansion_outermost(Tu *tu, unsigned off);
/* x's macro definition, read when first asked for; NULL for builtins. */
MacroDef *tu_expansion_macro(Tu *tu, Expansion *x);
/* How many arguments x passes (their text: x->args). */
int tu_expansion_nargs(Tu *tu, Expansion *x);
/* The index of the argument of x whose text holds `off`, or -1. */
int tu_expansion_arg(Tu *tu, Expansion *x, unsigned off);
/* True if the text of x's argument that holds `off` is the text of the
 * expansion too: the macro names the parameter once (`any_count`: at
 * least once) and neither stringizes nor pastes it, and the same holds
 * for every invocation around x. */
bool tu_arg_kept(Tu *tu, unsigned off, bool any_count);
bool tu_is_async_decl(Tu *tu, CXCursor decl);
/* Offset just after the `;` that follows `off` (skipping blanks), or
 * `off` when something else comes first. */
unsigned tu_skip_semicolon(Tu *tu, unsigned off);
/* Offset of the first character at or after `off` that is not a blank. */
unsigned tu_skip_blanks(Tu *tu, unsigned off);

/* ---- tok.c -- the one tokenizer ----------------------------------------- */

typedef enum {
  TOK_PUNCT,
  TOK_KEYWORD,
  TOK_IDENT,
  TOK_LITERAL,
  TOK_COMMENT
} TokKind;
typedef struct {
  TokKind kind;
  unsigned off, len;  /* in the file that holds the token */
  const char *text;   /* its spelling, in the arena (macro definitions) */
} Tok;
typedef struct {
  Tok *t;
  int n;
} Toks;
/* The tokens of the main file's text in r, comments and directives
 * included (clang_tokenize lexes raw text). */
Toks tok_range(Tu *tu, Range r);
/* The tokens of a text that is no file of the translation unit (the
 * generated C, for --emit=html), offsets into the text. */
Toks tok_text(Tu *tu, const char *name, const char *text, size_t len);
/* The index in `ts` of the first token at or after offset `off`. */
int tok_find(const Toks *ts, unsigned off);
/* True if the token is the punctuation `p` (a main-file token). */
bool tok_is(Tu *tu, const Tok *t, const char *p);

/* A macro definition, read from its tokens. */
struct MacroDef {
  const char *name;
  bool function_like, variadic, builtin;
  const char **params; /* __VA_ARGS__ last when variadic */
  int nparams;
  Toks body;           /* the replacement list, spellings filled in */
  CXFile file;         /* where it is written */
  int *uses;           /* per parameter: how often the expansion holds it,
                          through the macros the body passes it to */
  bool *stringized;    /* per parameter: after # or next to ##, here or
                          in such a macro */
};
MacroDef *tok_macro(Tu *tu, CXCursor def);
/* The macro of that name (its last definition), or NULL. */
MacroDef *tok_macro_named(Tu *tu, const char *name);
/* The tokens (with spellings) where `loc` is spelled, in whatever file:
 * at most max_bytes of text from there. */
Toks tok_spelled(Tu *tu, CXSourceLocation loc, unsigned max_bytes);

/* ---- tree.c -- a parent-linked copy of a function's cursor tree --------- */

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
  bool has_await;    /* this node or a descendant is an await */
  bool has_marker;   /* ... or any other marked node */
  bool has_jump;     /* a return, or a continue of a loop outside it,
                        lies beneath */
  bool has_continue; /* a continue of a loop outside it lies beneath */
  bool has_return;   /* a return lies beneath */
  AwaitSite *await;  /* for N_AWAIT */
  Node *operand;     /* for marked nodes: see NodeKind */
  bool void_join;    /* N_JOIN of ac_join_void */
  Node **branches;   /* N_ALL, N_RACE: the N_BRANCH operands */
  int nbranches;
  /* Computed when first asked (tree_ends, tree_referenced). */
  bool has_ends;
  SrcLoc begin, end; /* end: just past the last token */
  bool has_referenced;
  CXCursor referenced;
};
/* Requires: tu.  Builds the tree of a declaration (one libclang visit). */
Node *tree_build(Tu *tu, CXCursor root);
/* Where the node's extent begins and ends, classified (tu_loc). */
void tree_ends_compute(Node *n);
static inline SrcLoc tree_begin(Node *n) {
  if (!n->has_ends)
    tree_ends_compute(n);
  return n->begin;
}
static inline SrcLoc tree_end(Node *n) {
  if (!n->has_ends)
    tree_ends_compute(n);
  return n->end;
}
/* The node's text in the main file, when the text is exactly the node:
 * its first and last tokens are the file's own, or lie in macro
 * invocations whose whole expansions it holds.  False otherwise. */
bool tree_exact_range(Node *n, Range *r);
/* The invocation of the marker macro `name` (await, ac_block_on) that a
 * marked node expands, when it is spelled in the file: the one around
 * its operand's first token.  NULL otherwise. */
Expansion *tree_marker_invocation(Node *n, const char *name);
/* The main-file range a node's text occupies, widened over the macro
 * invocations it starts or ends in; for diagnostics and statement
 * boundaries, where a wider range is safe. */
Range tree_range(Node *n);
/* clang_getCursorReferenced, computed on first use. */
static inline CXCursor tree_referenced(Node *n) {
  if (!n->has_referenced) {
    n->referenced = clang_getCursorReferenced(n->c);
    n->has_referenced = true;
  }
  return n->referenced;
}
/* Strips parentheses and implicit conversions. */
Node *tree_strip(Node *n);
/* True if the cursor is a call of the function named `name`. */
bool tree_is_call_to(CXCursor c, const char *name);
/* The start of a node for diagnostics: its first token's offset. */
unsigned tree_pos(Node *n);
/* The parts of `for (init; cond; inc) body`: libclang leaves absent parts
 * out of the children, so they are told apart by the header's tokens.
 * False when the tokens cannot tell (a header that a macro writes). */
typedef struct {
  Node *init, *cond, *inc, *body;
} ForParts;
bool tree_for_parts(Tu *tu, Node *n, ForParts *p);
/* The argument of the call, as a child node. */
bool tree_is_gnu_conditional(Node *n);
/* True if parent's child i shows again a child before it (the operand of
 * a ?: b, twice), which scans must not count twice. */
bool tree_is_repeat(Node *parent, int i);
/* The called expression of a call through a function pointer (`h(x)`,
 * `ops->read(c)`, `(*t[i])(x)`), or NULL for a call of a function by its
 * name. */
Node *tree_pointer_callee(Node *call);
/* The association a _Generic selects, or NULL when that cannot be told. */
Node *tree_generic_choice(Node *g);
/* The text of a node a macro's body writes: its first token and the
 * balanced parenthesis group after it, the invocation's arguments in
 * place of the parameters; NULL when it cannot be read. */
char *tree_span_text(Node *n);
Node *tree_call_arg(Node *call, int i);
/* The initializer of a VarDecl node, or NULL. */
Node *tree_var_init(Node *var);

/* ---- find.c ------------------------------------------------------------- */

typedef enum { VAR_PARAM, VAR_LOCAL, VAR_TEMP } VarKind;
struct Var {
  VarKind kind;
  int index;          /* in fn->vars: parameters, locals, then temps */
  Node *decl;         /* VarDecl or ParmDecl; NULL for temps */
  char *name;         /* as written; for temps, a name of their own */
  CXType type;        /* parameters: as the function receives them */
  char *type_text;    /* a temporary's declared type, when not `type` */
  char *align_spec;   /* _Alignas(...) or __attribute__((aligned(...))) */
  long align_value;   /* its value when a literal, else 0 */
  char *cleanup;      /* the cleanup attribute's function, or NULL */
  LStmt *scope;       /* the block declaring it (lower.c); NULL: the
                         function's own scope */
  bool automatic;     /* not static, not extern */
  bool in_stmt_expr;  /* declared in a GNU statement expression */
  bool escapes;       /* its address may be taken (lower.c) */
  bool live_across;   /* live across some suspension (live.c) */
  bool saved;         /* lives in the frame (frame.c) */
  char *field;        /* its frame member, when saved */
};
typedef enum {
  AW_NONE,          /* not awaitable: refused by check */
  AW_ASYNC_FN,      /* await(f(args)) where f is an async function */
  AW_JOIN,          /* await(ac_join(h)): the runtime's join future */
  AW_COMBINE,       /* await(ac_all(...)) or await(ac_race(...)) */
  AW_BUDGET,        /* a loop's budget check (lower.c): no await */
  AW_STUB,          /* await(g(args)) through g's stub: g is defined in
                       another file, or is called through a pointer
                       (callee_expr) -- see docs/abi.md */
} AwaitKind;
struct AwaitSite {
  AsyncFn *fn;
  Fut *fut;         /* AW_COMBINE: the combinator tree (combine.c) */
  Node *node;
  Node *call;       /* the CallExpr being awaited */
  AwaitKind kind;
  CXCursor callee;  /* the async function's declaration */
  Node *callee_expr; /* AW_STUB through a pointer: the called expression */
  char *callee_name;
  char *result_type; /* NULL for void */
  CXType rtype;
  bool dynamic;     /* frame size unknown here or recursive: frame arena */
  bool direct;      /* the residual reads the result from the sub-frame */
  int id;
  unsigned line;
  char *state;      /* enum constant */
  char *label;      /* resume label */
  char *sub;        /* member of the sub-frame union */
  char *text;       /* the await as written, for comments */
  Vec next;         /* AwaitSite * that can come next (live.c) */
  bool done;        /* the function can finish after this one (live.c) */
  Vec live;         /* Var * live across it (live.c) */
};
/* The identifiers C gives every function for its own name, which in a
 * poll function would name the poll function (AsyncFn.predefined). */
enum {
  PREDEF_FUNC = 1,  /* __func__, __FUNCTION__: the name */
  PREDEF_PRETTY = 2 /* __PRETTY_FUNCTION__: clang spells the signature */
};

struct AsyncFn {
  Tu *tu;
  CXCursor decl;
  CXCursor canon;   /* canonical declaration, for lookups */
  int index;        /* in tu->fns */
  Vec callees;      /* AsyncFn * defined here that it awaits */
  int visited;      /* mark of the last call-graph search (find.c) */
  char *name;
  char *upper;      /* prefix of state constants */
  char *ret_type;   /* NULL for void */
  bool is_static;
  bool is_definition;
  bool is_recursive; /* awaits itself, directly or through a cycle */
  bool has_stub;    /* its stub is emitted: it is visible to other files,
                       or its address is taken (docs/abi.md) */
  Node *root;       /* the definition's tree */
  Node *body;       /* CompoundStmt, for definitions */
  Range def_range;  /* whole definition including specifiers */
  unsigned line;
  Vec vars;         /* Var *: parameters, locals, temporaries */
  int nparams;
  Map var_by_decl;  /* Var * by declaration cursor */
  Vec awaits;       /* AwaitSite * in source order; budget checks after */
  Vec spawns;       /* Node * ac_spawn() in the body */
  const char *self, *fr, *cx; /* names used inside init/poll/drop */
  unsigned predefined; /* PREDEF_*: the function names the body evaluates */
  const char *func_name, *pretty_name; /* the arrays that stand for them */
  Map used_names;   /* identifiers spelled in the body, and generated */
  LStmt *lbody;     /* the lowered body (lower.c) */
  struct Slot *layout; /* see layout.c */
  Vec hoisted;      /* Node * DeclStmts of types moved before the frame */
  Vec anon_types;   /* CXCursor * unnamed types given a tag (hoist.c) */
  Vec start_next;   /* AwaitSite * that can come first (live.c) */
  bool start_done;  /* the function can finish without awaiting */
  Vec slots;        /* Vec * of saved Var * sharing storage (frame.c) */
  uint64_t *interference; /* live.c: variables live at the same time */
  int interference_words;
};
/* Requires: tu.  Provides: tu->fns with their trees, variables and
 * awaits; the block_on and spawn sites; diagnoses awaits outside async
 * functions. */
void find_async(Tu *tu);
AsyncFn *find_fn_by_cursor(Tu *tu, CXCursor decl);
AsyncFn *find_definition(Tu *tu, CXCursor decl);
/* The struct with this tag that has a definition in the TU, or NULL. */
const CXType *find_struct(Tu *tu, const char *name);
typedef struct {
  char *name;
  CXCursor c;
  size_t stem; /* name's length without its suffix (find_generated_suffix) */
} NamedCursor;
typedef struct {
  const char *s;
  size_t n;
} Suffix;
/* The suffixes of the file-scope names asyncc generates for an async
 * function f (f_frame, f_poll, ...), ended by a null s. */
extern const Suffix find_generated_suffixes[];
size_t find_generated_suffix(const char *name);
Var *find_var(AsyncFn *fn, CXCursor decl);
bool name_is_used(AsyncFn *fn, const char *name);
/* The variable a reference names, or NULL. */
Var *find_var_of_ref(AsyncFn *fn, Node *ref);

/* ---- check.c ------------------------------------------------------------ */

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

/* ---- safety.c ----------------------------------------------------------- */

/* Requires: find.  Warns where the address of a local outlives its frame:
 * returned, passed to a task that may outlive the function, or stored in
 * a file-scope or static variable. */
void check_lifetimes(AsyncFn *fn);

/* ---- hoist.c ------------------------------------------------------------ */

/* Requires: frame.  Provides: fn->hoisted (type declarations of the body
 * that the frame needs at file scope) and tags for unnamed types. */
void hoist_types(AsyncFn *fn);
/* The tag given to an unnamed type ("struct f_anon_12"), or NULL. */
const char *hoist_tag(Tu *tu, CXCursor decl);

/* ---- name.c ------------------------------------------------------------- */

/* Requires: find.  Provides: the names of each await's state, label and
 * sub-frame, and fn->self, fr, cx: none spelled in the function or
 * defined as a macro. */
void name_function(AsyncFn *fn);
/* A name for generated code in the poll function that the user's code
 * does not spell; it is reserved on return. */
char *name_unique(AsyncFn *fn, const char *base);
/* Names a loop's budget check: its state and resume label. */
void name_budget(AsyncFn *fn, AwaitSite *aw);

/* ---- expr.c -- expressions as text with holes --------------------------- */

typedef enum {
  P_SRC,   /* main-file text */
  P_TEXT,  /* generated or expanded text */
  P_VAR,   /* a variable: its name, or its frame member when saved */
  P_MACRO  /* an invocation as written, or its expansion (`alt`) when
              that holds a rewrite */
} PieceKind;
typedef struct {
  PieceKind kind;
  bool def;     /* P_VAR: the reference is assigned, not read;
                   P_TEXT: a rewrite (a hole's text) */
  bool expansion; /* P_TEXT: spelled out from a macro's expansion */
  Range r;      /* P_SRC, P_MACRO; P_TEXT with `expansion`: the
                   invocation it comes from, when known */
  const char *text;
  Var *var;
  Expr *alt;    /* P_MACRO: the expansion */
} Piece;
struct Expr {
  Piece *p;
  int n, cap;
};
/* What expressions hold in place of some of their nodes: each node's
 * replacement text or expression. */
typedef struct Holes Holes;
struct Holes {
  Map index;  /* Node * -> its position + 1 */
  Vec nodes;  /* Node * */
  Vec texts;  /* const char *: replacement text, or NULL */
  Vec exprs;  /* Expr *: replacement expression, or NULL */
};
typedef struct {
  AsyncFn *fn;
  Tu *tu;
  Arena *a;
} ExprCx;
void holes_init(Holes *h, Arena *a);
void holes_add(Arena *a, Holes *h, Node *n, const char *text, Expr *e);
bool holes_has(const Holes *h, const Node *n);
/* The expression n as written, with the holes filled in and references
 * to the function's variables as P_VAR pieces.  Text that a macro's body
 * writes is expanded in place (structurally, from the tree) where a hole
 * lies in it; elsewhere it stays as written. */
/* n's text as written with its holes filled, or NULL when a hole cannot
 * be cut out of it (declarations, which have no expanded form). */
Expr *expr_as_written(ExprCx *x, Node *n, Holes *h);
Expr *expr_of(ExprCx *x, Node *n, Holes *h);
/* The text r, which several sibling nodes share (a macro writes two
 * arguments of a call), with their holes filled in; NULL when a hole
 * cannot be cut out of it. */
Expr *expr_of_span(ExprCx *x, Node **nodes, int n, Range r, Holes *h);
/* The arguments of a call: "a, b".  Arguments that one macro invocation
 * writes together (TWO(x) for `x, 2`) keep the invocation when their
 * holes can be cut out of it. */
Expr *expr_call_args(ExprCx *x, Node *call, Holes *h);
Expr *expr_text(Arena *a, const char *text);
void expr_add_text(Arena *a, Expr *e, const char *text);
void expr_add_expr(Arena *a, Expr *e, const Expr *f);
void expr_add_var(Arena *a, Expr *e, Var *v);
/* True if printing e needs a rewrite: a saved variable, or generated text
 * inside an expanded macro. */
bool expr_active(const Expr *e);
/* Appends e's text. */
void expr_print(Tu *tu, const Expr *e, const char *fr, Buf *out);
char *expr_str(Tu *tu, const Expr *e, const char *fr);
/* True if e prints as nothing. */
bool expr_empty(const Expr *e);
/* True if printing e spells out a macro's expansion. */
bool expr_expanded(const Expr *e);
/* The source ranges of the invocations e prints expanded, pushed as
 * Range * onto `ranges`. */
void expr_expansions(const Expr *e, Vec *ranges, Arena *a);

/* ---- lower.c -- the lowered form ---------------------------------------- */

typedef enum {
  L_BLOCK,    /* { kids } */
  L_EXPR,     /* e0; */
  L_DECL,     /* a variable's declaration, initialised by e0 */
  L_VERBATIM, /* a declaration of types or of static variables, as written */
  L_IF,       /* if (e0) body else els */
  L_WHILE,    /* while (e0) body */
  L_DO,       /* do body while (e0); */
  L_FOR,      /* for (init or e0; e1; e2) body */
  L_SWITCH,   /* switch (e0) body */
  L_CASE,     /* case e0 [... e1]: body */
  L_DEFAULT,  /* default: body */
  L_LABEL,    /* label: body */
  L_GOTO,     /* goto label; */
  L_IGOTO,    /* goto *e0; */
  L_BREAK,
  L_CONTINUE,
  L_RETURN,   /* the function finishes with e0 */
  L_AWAIT,    /* a suspension point (AwaitSite) */
  L_GEN,      /* generated lines (text), using and defining vars */
  L_NULL      /* ; */
} LKind;
struct LStmt {
  LKind kind;
  unsigned line;      /* source line */
  Node *node;         /* the statement it comes from, if any */
  bool has_src;       /* src is the statement as written */
  Range src;
  Expr *e[3];
  LStmt *init;        /* L_FOR: a declaration (L_BLOCK of L_DECLs) */
  LStmt *body, *els;
  Vec kids;           /* L_BLOCK: LStmt * */
  bool braced;        /* L_BLOCK: printed with braces */
  bool scope;         /* L_BLOCK: a C scope of its own */
  Var *var;           /* L_DECL */
  Var *kill;          /* the variable the statement assigns as a whole */
  AwaitSite *aw;      /* L_AWAIT */
  char *label;        /* L_LABEL, L_GOTO */
  const char *text;   /* L_GEN: lines, '\n'-separated */
  Vec uses;           /* L_GEN, L_AWAIT: Var * it reads */
  Vec cleanups;       /* Var * whose cleanups run before this exit */
  const char *lead;   /* comments and directives before it, as written */
  const char *trail;  /* a comment after it on its line */
  const char *tail;   /* L_BLOCK: comments before its closing brace */
  unsigned tail_line;
  bool decl_group;    /* L_BLOCK: one declaration's declarators; e[0] is
                         the declaration as written */
  const char *expanded; /* written as this macro invocation */
  Vec group;          /* on the first of the statements one source
                         statement was lowered to: all of them (LStmt *) */
  bool blank_before;  /* a blank line precedes it in the source */
  bool gen_loop;      /* L_FOR made by lowering: printed as written */
};
/* Requires: check, name.  Provides: fn->lbody, the lowered body:
 * statements with their source lines and expressions, every await a
 * suspension point of its own, temporaries as variables. */
void lower_function(AsyncFn *fn);
/* The replacement text of an ac_spawn() or ac_block_on() in code that is
 * not async, added to `holes` (which holds those nested in it). */
const char *lower_sync_site(Tu *tu, Node *n, Holes *holes);
/* A function type that ac_spawn or ac_block_on calls through a pointer
 * (`callee` is the pointer expression), registered once per type in
 * tu->via_types, and its number there (from 1), which names its helpers. */
const CXType *lower_via_type(Tu *tu, Node *callee);
int lower_via_id(Tu *tu, const CXType *type);
LStmt *lstmt_new(Arena *a, LKind kind, unsigned line);
LStmt *lgen(Arena *a, unsigned line, const char *text);
void lblock_add(Arena *a, LStmt *block, LStmt *s);
/* A new temporary of the given type (a type spelling when text). */
Var *lower_temp(AsyncFn *fn, CXType type, const char *type_text,
                const char *hint);

/* ---- combine.c ---------------------------------------------------------- */

/* The tree of an ac_all/ac_race node; NULL after a diagnostic. */
Fut *combine_build(Tu *tu, Node *combinator);
/* Once the file's functions are all known: which calls go through stubs. */
void combine_resolve(Tu *tu, Fut *f);
/* Makes the calls of `callee` in f go through its stub (recursion). */
void combine_through_stub(Tu *tu, Fut *f, AsyncFn *callee);
/* The async calls (CallExpr nodes) a combinator await runs. */
void combine_calls(AwaitSite *aw, Vec *out);
/* The member paths ("sub.await_N.b1.b0") and callee names of the async
 * calls a combinator await runs, in order. */
void combine_leaves(AwaitSite *aw, Vec *paths, Vec *callees);
/* The combinator's frame: a struct of branch frames and its state. */
struct Slot *combine_slot(AwaitSite *aw, Fut *f, const char *name);
/* Lowers the await into `block`; returns the residual (race: the winner
 * index), or NULL. */
Expr *combine_lower(ExprCx *x, Holes *h, AwaitSite *aw, LStmt *block,
                    bool keep_result);
/* The combinator's code in the poll function (its L_AWAIT), as lines. */
void combine_print(AwaitSite *aw, LStmt *s, const char *fr, Buf *out);
/* The code that drops the combinator's unfinished branches, as lines. */
void combine_drop(AwaitSite *aw, Buf *out, const char *indent);

/* ---- live.c ------------------------------------------------------------- */

/* Requires: lower.  Provides: Var.live_across, AwaitSite.live, and the
 * state graph (AwaitSite.next, .done, fn->start_next, fn->start_done). */
void live_compute(AsyncFn *fn);
/* Two variables that may share storage: never live at the same time. */
bool live_disjoint(AsyncFn *fn, Var *a, Var *b);

/* ---- frame.c ------------------------------------------------------------ */

/* Requires: live.  Provides: Var.saved, Var.field, storage sharing. */
void frame_decide(AsyncFn *fn);

/* ---- layout.c ----------------------------------------------------------- */

typedef enum { SLOT_FIELD, SLOT_STRUCT, SLOT_UNION } SlotKind;
typedef struct Slot Slot;
struct Slot {
  SlotKind kind;
  const char *name;  /* member name; NULL for anonymous aggregates */
  const char *decl;  /* declaration, for fields */
  const char *comment; /* what a field holds, for readers */
  long long size, align, offset;
  Vec kids;          /* Slot * members of aggregates */
};
/* Requires: frame.  Provides: fn->layout, the frame's shape with sizes
 * and offsets.  Computed once. */
Slot *layout_frame(AsyncFn *fn);
/* The size and alignment of the frame of the async function `name`. */
long long layout_frame_size(Tu *tu, const char *name, long long *align);
/* The size of `struct <tag>`, declared by the runtime's headers. */
long long layout_struct_size(Tu *tu, const char *tag, long long *align);
/* The `--emit=layout` report of one frame. */
void layout_print(AsyncFn *fn, Buf *b);

/* ---- decl.c ------------------------------------------------------------- */

/* Declares `name` (may be "") with type t, e.g. "int (*name)[3]".  With
 * unqualify, drops top-level and array-element qualifiers, for frame
 * fields that are assigned after the fact. */
char *decl_declarator(Tu *tu, CXType t, const char *name, bool unqualify);
/* The same for a parameter: arrays and functions become pointers. */
char *decl_param(Tu *tu, CXType t, const char *name, bool unqualify);
/* The type of a parameter as the function receives it. */
CXType decl_adjusted(CXType t);
/* True if values of t cannot be assigned (const members, arrays). */
bool decl_needs_copy(CXType t);
/* "lhs = value;", or a copy for types that cannot be assigned. */
char *decl_assign(Tu *tu, CXType t, const char *lhs, const char *value);
bool decl_is_array(CXType t);

/* ---- print.c -- the one printer ----------------------------------------- */

/* Writes the output: it owns indentation, output line numbers and #line
 * directives.  Each line it writes stands for a source line (a directive
 * points there when the lines run out of step) or for itself (line 0:
 * generated code, which points at the output file). */
struct Printer {
  Tu *tu;
  Buf *out;
  bool directives;
  const char *src_name;  /* the input's name as a string literal */
  const char *out_name;  /* the output's name as a string literal */
  unsigned out_line;     /* the number of the line being written */
  unsigned next_src;     /* the source line the next line is taken for;
                            0 while lines stand for themselves */
  bool at_bol;           /* nothing written on the current line yet */
  int depth;             /* indentation level, two spaces each */
};
void print_init(Printer *p, Tu *tu, Buf *out, const Options *opt);
/* One line at the current indentation, for source line `line`. */
void print_line(Printer *p, unsigned line, const char *text);
void print_linef(Printer *p, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* A line outdented by one level (labels). */
void print_label(Printer *p, unsigned line, const char *text);
/* Source text as it is, for its own lines: from the main file, with #line
 * directives where needed. */
void print_source(Printer *p, Range r);
/* Text in place of the source text r, in the middle of a line. */
void print_replacement(Printer *p, const char *text, Range r);
/* Text of several lines standing for source line `line`, its first line
 * at the current indentation and the others moved with it: `col` is the
 * column the text's first line had. */
void print_block_text(Printer *p, unsigned line, const char *text,
                      unsigned col);
/* Appends s as one line of a comment: runs of blanks become one space,
 * and comment delimiters are split. */
void print_comment_text(Buf *b, const char *s);
/* A line holding a call (or declaration) whose arguments are wrapped as
 * buf_wrap_decl says. */
void print_call_line(Printer *p, unsigned line, const char *text);
/* Points the following lines at the output itself. */
void print_generated(Printer *p);
/* Raw text standing for itself (generated), which ends with a newline. */
void print_raw(Printer *p, const char *text);
void print_marker(Printer *p, const char *text);
/* One blank line, unless the output ends with one already (or is empty):
 * a separator that never doubles. */
void print_blank_line(Printer *p);
/* The lowered body of an async function. */
void print_body(Printer *p, AsyncFn *fn);

/* ---- emit.c ------------------------------------------------------------- */

/* Requires: lower, frame for every function.  Writes the whole output
 * file through the printer. */
void emit_file(Tu *tu, const Options *opt, Buf *out);

/* ---- info.c ------------------------------------------------------------- */

/* Requires: lower.  The metadata ac_dump_tasks reads (asyncc/task.h): one
 * ac_future_info per async function, registered by a constructor. */
void info_emit(Tu *tu, Buf *out);

/* ---- dot.c -------------------------------------------------------------- */

/* Requires: live.  The state graphs of the file's async functions. */
void dot_print(Tu *tu, Buf *out);

/* html.c -- printers over the textual outputs above, nothing else. */
typedef struct {
  Arena *arena;
  const char *path;   /* the input, as its #line directives name it */
  const char *source; /* the input's text */
  size_t source_len;
  const char *generated; /* the --emit=c output, with #line directives */
  const char *dot;       /* the --emit=dot output */
  const char *layout;    /* the --emit=layout output */
  Toks source_toks;      /* the tokens of each C text (tok.c), which */
  Toks generated_toks;   /* the page colours by */
} HtmlInput;
/* Requires: nothing but the texts.  The explorer page (`--emit=html`):
 * source and generated C side by side, linked line by line through the
 * #line directives, the state graphs and the frame layouts; no external
 * resource. */
void html_page(const HtmlInput *in, Buf *out);
/* The state graphs of a --emit=dot text as one SVG (`--emit=svg`), laid
 * out here. */
void html_svg(Arena *a, const char *dot, Buf *out);

#endif
