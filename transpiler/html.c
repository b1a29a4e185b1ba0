/* html.c -- `--emit=html`, the explorer page, and `--emit=svg`, the state
 * graphs as a picture.
 *
 * Both are printers over asyncc's own textual outputs, not over the
 * passes' data: the generated C with its #line directives (which say what
 * source line each generated line came from), the `--emit=dot` graph and
 * the `--emit=layout` report.  So they depend on nothing but those three
 * formats, and the page shows exactly what the other modes print.  The
 * graph is laid out here, in layers from the start state down, so that
 * viewing it needs no Graphviz; the page has no external resource. */
#include "transpiler.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Text --------------------------------------------------------------- */

/* Appends s[0..n) escaped for HTML text and attribute values. */
static void put_html(Buf *b, const char *s, size_t n) {
  size_t run = 0;
  for (size_t i = 0; i < n; i++) {
    const char *rep = NULL;
    switch (s[i]) {
    case '&':
      rep = "&amp;";
      break;
    case '<':
      rep = "&lt;";
      break;
    case '>':
      rep = "&gt;";
      break;
    case '"':
      rep = "&quot;";
      break;
    case '\0':
      rep = "\xef\xbf\xbd";
      break; /* U+FFFD */
    default:
      break;
    }
    if (!rep)
      continue;
    buf_putn(b, s + run, i - run);
    buf_puts(b, rep);
    run = i + 1;
  }
  buf_putn(b, s + run, n - run);
}

static void put_html_str(Buf *b, const char *s) { put_html(b, s, strlen(s)); }

/* A text split into lines, without their line ends. */
typedef struct {
  const char **at;
  size_t *len;
  int n;
} Lines;

static Lines split_lines(Arena *a, const char *s, size_t n) {
  int count = 1;
  for (size_t i = 0; i < n; i++)
    count += s[i] == '\n';
  Lines l = {arena_alloc(a, sizeof(char *) * (size_t)count),
             arena_alloc(a, sizeof(size_t) * (size_t)count), 0};
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i < n && s[i] != '\n')
      continue;
    if (i == n && start == n)
      break; /* no line after the last line end */
    size_t end = i;
    if (end > start && s[end - 1] == '\r')
      end--;
    l.at[l.n] = s + start;
    l.len[l.n++] = end - start;
    start = i + 1;
  }
  return l;
}

/* ---- C, highlighted ----------------------------------------------------- */

/* The text is coloured by the kinds of its tokens, which come from the
 * one tokenizer (tok.c): the page does not lex C itself. */

static void put_span(Buf *b, const char *cls, const char *s, size_t n) {
  buf_printf(b, "<span class=\"%s\">", cls);
  put_html(b, s, n);
  buf_puts(b, "</span>");
}

/* The class of a token: asyncc's words, keywords, literals, comments, and
 * names in capitals (the states and the AC_ constants). */
static const char *token_class(const Tok *t, const char *s) {
  switch (t->kind) {
  case TOK_COMMENT:
    return "c";
  case TOK_KEYWORD:
    return "kw";
  case TOK_LITERAL:
    return isdigit((unsigned char)s[0]) || s[0] == '.' ? "n" : "s";
  case TOK_PUNCT:
    return NULL;
  case TOK_IDENT:
    break;
  }
  size_t n = t->len;
  if ((n == 5 && memcmp(s, "async", 5) == 0) ||
      (n == 5 && memcmp(s, "await", 5) == 0))
    return "aw";
  bool caps = n > 1;
  for (size_t i = 0; i < n && caps; i++)
    caps = isupper((unsigned char)s[i]) || isdigit((unsigned char)s[i]) ||
           s[i] == '_';
  return caps ? "k" : NULL;
}

/* A text and its tokens, read a line at a time. */
typedef struct {
  const char *text;
  Toks toks;
  int next; /* the first token that may still reach the current line */
} Colours;

/* Appends the line [s, s + n) of c's text, each token's part of it in
 * the token's class; a line a directive starts is all one class. */
static void put_c_line(Buf *b, Colours *c, const char *s, size_t n) {
  size_t lo = (size_t)(s - c->text), hi = lo + n;
  while (c->next < c->toks.n &&
         c->toks.t[c->next].off + c->toks.t[c->next].len <= lo)
    c->next++;
  int i = c->next;
  const Tok *first = i < c->toks.n ? &c->toks.t[i] : NULL;
  if (first && first->off >= lo && first->off < hi &&
      first->kind == TOK_PUNCT && c->text[first->off] == '#') {
    size_t blank = first->off - lo;
    put_html(b, s, blank);
    put_span(b, "pp", s + blank, n - blank);
    return;
  }
  size_t at = lo;
  for (; i < c->toks.n && c->toks.t[i].off < hi; i++) {
    const Tok *t = &c->toks.t[i];
    size_t from = t->off > lo ? t->off : lo;
    size_t to = t->off + t->len < hi ? t->off + t->len : hi;
    if (from > at)
      put_html(b, c->text + at, from - at);
    const char *cls = token_class(t, c->text + t->off);
    if (cls)
      put_span(b, cls, c->text + from, to - from);
    else
      put_html(b, c->text + from, to - from);
    at = to;
  }
  if (hi > at)
    put_html(b, c->text + at, hi - at);
}

/* ---- Generated lines and the source lines they came from ---------------- */

/* Reads `#line N "file"`: true for a directive, with *line and whether the
 * file is `path` (the input) in *is_input. */
static bool read_directive(const char *s, size_t n, const char *path,
                           unsigned *line, bool *is_input) {
  if (n < 7 || memcmp(s, "#line ", 6) != 0 || !isdigit((unsigned char)s[6]))
    return false;
  size_t i = 6;
  unsigned v = 0;
  while (i < n && isdigit((unsigned char)s[i]))
    v = v * 10 + (unsigned)(s[i++] - '0');
  while (i < n && s[i] == ' ')
    i++;
  *line = v;
  *is_input = false;
  if (i >= n || s[i] != '"')
    return true;
  /* Compares the unescaped name with path as it goes. */
  const char *q = path;
  for (i++; i < n && s[i] != '"'; i++) {
    if (s[i] == '\\' && i + 1 < n)
      i++;
    if (*q++ != s[i])
      return true;
  }
  *is_input = *q == '\0' && i < n;
  return true;
}

/* The generated text without its directives, and for each of its lines
 * the source line it came from: 0 for lines generated from nothing, and
 * for lines a directive would place past the input's last line.  Before
 * any directive the output is the input's own text, line for line. */
typedef struct {
  Lines text;
  unsigned *src;
} Generated;

static Generated read_generated(Arena *a, const char *path, const char *gen,
                                int src_lines) {
  Lines all = split_lines(a, gen, strlen(gen));
  Generated g = {{arena_alloc(a, sizeof(char *) * (size_t)(all.n + 1)),
                  arena_alloc(a, sizeof(size_t) * (size_t)(all.n + 1)), 0},
                 arena_alloc(a, sizeof(unsigned) * (size_t)(all.n + 1))};
  unsigned next = 1;
  bool from_input = true;
  for (int i = 0; i < all.n; i++) {
    unsigned line;
    bool is_input;
    if (read_directive(all.at[i], all.len[i], path, &line, &is_input)) {
      next = line;
      from_input = is_input;
      continue;
    }
    g.text.at[g.text.n] = all.at[i];
    g.text.len[g.text.n] = all.len[i];
    g.src[g.text.n++] = from_input && next <= (unsigned)src_lines ? next : 0;
    next++;
  }
  return g;
}

/* ---- The two panes ------------------------------------------------------ */

static void put_source_pane(Buf *b, Lines src, Colours *c) {
  buf_puts(b, "<div class=\"code\" id=\"src\">\n");
  for (int i = 0; i < src.n; i++) {
    buf_printf(b,
               "<div class=\"ln\" id=\"s%d\" data-line=\"%d\">"
               "<span class=\"no\">%d</span>",
               i + 1, i + 1, i + 1);
    put_c_line(b, c, src.at[i], src.len[i]);
    buf_puts(b, "</div>\n");
  }
  buf_puts(b, "</div>\n");
}

static void put_generated_pane(Buf *b, Generated g, Colours *c) {
  buf_puts(b, "<div class=\"code\" id=\"gen\">\n");
  for (int i = 0; i < g.text.n; i++) {
    if (g.src[i])
      buf_printf(b, "<div class=\"ln\" id=\"g%d\" data-src=\"%u\">", i + 1,
                 g.src[i]);
    else
      buf_printf(b, "<div class=\"ln made\" id=\"g%d\">", i + 1);
    buf_printf(b, "<span class=\"no\">%d</span>", i + 1);
    put_c_line(b, c, g.text.at[i], g.text.len[i]);
    buf_puts(b, "</div>\n");
  }
  buf_puts(b, "</div>\n");
}

/* ---- The state graphs, read from --emit=dot ----------------------------- */

typedef struct {
  char *id;
  bool start, done; /* shape circle / doublecircle */
  char *label;      /* "line N: await(...)" of the edges into it */
  unsigned line;
  int layer, order; /* position in the layered drawing */
  int x, y, w, h;   /* box, top left */
  int bary;         /* sort key while ordering a layer */
} GNode;

typedef struct {
  int from, to;
  char *label;
  bool back; /* goes up (or to itself): a loop */
} GEdge;

typedef struct {
  Arena *arena;
  char *label;      /* "async f (file:line)" */
  Vec nodes, edges; /* GNode *, GEdge * */
  int w, h;
} Graph;

/* Tokens of the dot text: identifiers, strings (unescaped), "->", and
 * single characters. */
typedef enum { T_END, T_ID, T_STR, T_ARROW, T_CHAR } DotTokKind;
typedef struct {
  Arena *a;
  const char *p;
  DotTokKind kind;
  char *text;
  char c;
} DotLex;

static void dot_next(DotLex *L) {
  while (*L->p && isspace((unsigned char)*L->p))
    L->p++;
  const char *p = L->p;
  if (!*p) {
    L->kind = T_END;
  } else if (is_ident_char(*p) || *p == '.') {
    while (is_ident_char(*L->p) || *L->p == '.')
      L->p++;
    L->kind = T_ID;
    L->text = arena_strndup(L->a, p, (size_t)(L->p - p));
  } else if (*p == '"') {
    Buf s = {0};
    for (L->p++; *L->p && *L->p != '"'; L->p++) {
      if (*L->p == '\\' && L->p[1])
        L->p++;
      buf_putn(&s, L->p, 1);
    }
    L->p += *L->p == '"';
    L->kind = T_STR;
    L->text = s.s ? buf_take(L->a, &s) : arena_strdup(L->a, "");
  } else if (p[0] == '-' && p[1] == '>') {
    L->p += 2;
    L->kind = T_ARROW;
  } else {
    L->p++;
    L->kind = T_CHAR;
    L->c = *p;
  }
}

static bool dot_char(DotLex *L, char c) {
  if (L->kind != T_CHAR || L->c != c)
    return false;
  dot_next(L);
  return true;
}

/* Reads `[k=v, ...]`, keeping the values of shape and label. */
static void dot_attrs(DotLex *L, char **shape, char **label) {
  if (!dot_char(L, '['))
    return;
  while (L->kind != T_END && !dot_char(L, ']')) {
    char *key = L->kind == T_ID ? L->text : NULL;
    dot_next(L);
    if (!dot_char(L, '='))
      continue;
    if (key && strcmp(key, "shape") == 0 && shape)
      *shape = L->text;
    if (key && strcmp(key, "label") == 0 && label)
      *label = L->text;
    dot_next(L);
    dot_char(L, ',');
  }
}

static int node_index(Graph *g, const char *id) {
  for (int i = 0; i < g->nodes.len; i++)
    if (strcmp(((GNode *)g->nodes.items[i])->id, id) == 0)
      return i;
  return -1;
}

static int add_node(Arena *a, Graph *g, const char *id) {
  int i = node_index(g, id);
  if (i >= 0)
    return i;
  GNode *n = arena_alloc(a, sizeof *n);
  n->id = arena_strdup(a, id);
  vec_push(a, &g->nodes, n);
  return g->nodes.len - 1;
}

/* One statement inside a subgraph: a node, an edge, or an attribute. */
static void dot_stmt(DotLex *L, Graph *g) {
  char *id = L->text, *shape = NULL, *label = NULL;
  dot_next(L);
  if (dot_char(L, '=')) {
    if (strcmp(id, "label") == 0)
      g->label = L->text;
    dot_next(L);
  } else if (L->kind == T_ARROW) {
    dot_next(L);
    GEdge *e = arena_alloc(L->a, sizeof *e);
    e->from = add_node(L->a, g, id);
    e->to = add_node(L->a, g, L->kind == T_ID ? L->text : "?");
    dot_next(L);
    dot_attrs(L, NULL, &label);
    e->label = label;
    vec_push(L->a, &g->edges, e);
  } else if (strcmp(id, "node") != 0 && strcmp(id, "edge") != 0) {
    dot_attrs(L, &shape, NULL);
    int k = add_node(L->a, g, id); /* may move g->nodes.items */
    GNode *n = g->nodes.items[k];
    n->start = shape && strcmp(shape, "circle") == 0;
    n->done = shape && strcmp(shape, "doublecircle") == 0;
  } else {
    dot_attrs(L, NULL, NULL);
  }
  dot_char(L, ';');
}

/* Reads every `subgraph cluster_F { ... }` of the dot text. */
static Vec read_dot(Arena *a, const char *dot) {
  Vec graphs = {0};
  DotLex L = {a, dot, T_END, NULL, 0};
  dot_next(&L);
  Graph *g = NULL;
  while (L.kind != T_END) {
    if (L.kind == T_ID && strcmp(L.text, "subgraph") == 0) {
      g = arena_alloc(a, sizeof *g);
      g->arena = a;
      vec_push(a, &graphs, g);
      dot_next(&L);
      if (L.kind == T_ID)
        dot_next(&L);
      dot_char(&L, '{');
    } else if (L.kind == T_CHAR && L.c == '}') {
      g = NULL;
      dot_next(&L);
    } else if (L.kind == T_ID && g) {
      dot_stmt(&L, g);
    } else {
      dot_next(&L); /* "digraph asyncc {", attributes of the whole graph */
    }
  }
  return graphs;
}

/* ---- Layout: layers from the start state down --------------------------- */

enum {
  CHAR_W = 8,    /* width of a character of the 12px monospace font, */
  LINE_H = 16,   /* and of a line, rounded up */
  PAD = 10,      /* inside a box */
  GAP_X = 28,    /* between boxes of a layer */
  GAP_Y = 44,    /* between layers */
  ROUTE = 14,    /* between edges routed around the side */
  TITLE_H = 30,  /* the graph's title */
  MAX_TEXT = 44, /* characters of an await's text shown in its box */
};

/* Marks the edges that close a cycle, found by a depth-first search from
 * the start state (then from any node not reached). */
static void mark_back(Graph *g, int v, char *mark) {
  mark[v] = 1; /* on the search path */
  for (int i = 0; i < g->edges.len; i++) {
    GEdge *e = g->edges.items[i];
    if (e->from != v)
      continue;
    if (mark[e->to] == 1)
      e->back = true;
    else if (mark[e->to] == 0)
      mark_back(g, e->to, mark);
  }
  mark[v] = 2;
}

/* Longest-path layers over the forward edges; the done state goes below
 * every other. */
static int assign_layers(Graph *g) {
  int n = g->nodes.len, last = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < g->edges.len; i++) {
      GEdge *e = g->edges.items[i];
      GNode *from = g->nodes.items[e->from], *to = g->nodes.items[e->to];
      if (!e->back && to->layer < from->layer + 1 && to->layer < n) {
        to->layer = from->layer + 1;
        changed = true;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    GNode *v = g->nodes.items[i];
    if (!v->done && v->layer > last)
      last = v->layer;
  }
  for (int i = 0; i < n; i++) {
    GNode *v = g->nodes.items[i];
    if (v->done)
      v->layer = n > 1 ? last + 1 : 0;
  }
  return n > 1 ? last + 1 : 0;
}

static int by_bary(const void *pa, const void *pb) {
  const GNode *a = *(GNode *const *)pa, *b = *(GNode *const *)pb;
  if (a->bary != b->bary)
    return a->bary < b->bary ? -1 : 1;
  return a->order < b->order ? -1 : a->order > b->order;
}

/* Orders one layer by the mean position of each node's neighbours in the
 * layer above (down) or below (up); `row` has room for every node. */
static void order_layer(Graph *g, int layer, bool down, GNode **row) {
  int count = 0;
  for (int i = 0; i < g->nodes.len; i++) {
    GNode *v = g->nodes.items[i];
    if (v->layer != layer)
      continue;
    int sum = 0, edges = 0;
    for (int k = 0; k < g->edges.len; k++) {
      GEdge *e = g->edges.items[k];
      GNode *other = g->nodes.items[down ? e->from : e->to];
      if ((down ? e->to : e->from) != i || e->back ||
          other->layer != layer + (down ? -1 : 1))
        continue;
      sum += other->order * 100;
      edges++;
    }
    v->bary = edges ? sum / edges : v->order * 100;
    row[count++] = v;
  }
  qsort(row, (size_t)count, sizeof *row, by_bary);
  for (int i = 0; i < count; i++)
    row[i]->order = i;
}

static void size_node(GNode *v) {
  size_t name = strlen(v->id), text = v->label ? strlen(v->label) : 0;
  if (text > MAX_TEXT)
    text = MAX_TEXT;
  size_t chars = name > text ? name : text;
  v->w = (int)chars * CHAR_W + 2 * PAD + (v->start || v->done ? 16 : 0);
  v->h = (v->label ? 2 : 1) * LINE_H + 2 * PAD;
}

/* Places the boxes: layers top to bottom, each centred; returns the
 * width of the widest. */
static int place_nodes(Graph *g, int layers) {
  int width = 0, y = TITLE_H;
  for (int l = 0; l <= layers; l++) {
    int w = 0, h = 0, count = 0;
    for (int i = 0; i < g->nodes.len; i++) {
      GNode *v = g->nodes.items[i];
      if (v->layer != l)
        continue;
      w += (count++ ? GAP_X : 0) + v->w;
      h = v->h > h ? v->h : h;
    }
    for (int i = 0; i < g->nodes.len; i++) {
      GNode *v = g->nodes.items[i];
      if (v->layer == l)
        v->y = y + (h - v->h) / 2;
    }
    width = w > width ? w : width;
    y += h + GAP_Y;
  }
  g->h = y - GAP_Y;
  return width;
}

/* Sets x within each layer, left to right in order, centred on `width`. */
static void centre_layers(Graph *g, int layers, int left, int width) {
  for (int l = 0; l <= layers; l++) {
    int w = 0, count = 0;
    for (int o = 0, found = 1; found; o++) {
      found = 0;
      for (int i = 0; i < g->nodes.len; i++) {
        GNode *v = g->nodes.items[i];
        if (v->layer == l && v->order == o) {
          v->x = w + (count++ ? GAP_X : 0);
          w = v->x + v->w;
          found = 1;
        }
      }
    }
    for (int i = 0; i < g->nodes.len; i++) {
      GNode *v = g->nodes.items[i];
      if (v->layer == l)
        v->x += left + (width - w) / 2;
    }
  }
}

/* An edge goes around the side when it is a loop, or skips a layer and
 * might cross boxes: loops on the right, long edges on the left. */
static bool routed_left(Graph *g, GEdge *e) {
  GNode *from = g->nodes.items[e->from], *to = g->nodes.items[e->to];
  return !e->back && to->layer - from->layer > 1;
}

static void layout_graph(Graph *g) {
  int n = g->nodes.len;
  char *mark = arena_alloc(g->arena, (size_t)n + 1);
  for (int i = 0; i < n; i++)
    if (((GNode *)g->nodes.items[i])->start && !mark[i])
      mark_back(g, i, mark);
  for (int i = 0; i < n; i++)
    if (!mark[i])
      mark_back(g, i, mark);
  int layers = assign_layers(g);
  for (int i = 0; i < n; i++) {
    GNode *v = g->nodes.items[i];
    v->order = i;
    size_node(v);
  }
  GNode **row = arena_alloc(g->arena, sizeof *row * (size_t)(n + 1));
  for (int pass = 0; pass < 4; pass++)
    for (int l = 0; l <= layers; l++)
      order_layer(g, pass % 2 ? layers - l : l, pass % 2 == 0, row);
  int left = 0, right = 0;
  for (int i = 0; i < g->edges.len; i++) {
    GEdge *e = g->edges.items[i];
    left += routed_left(g, e) ? ROUTE : 0;
    right += e->back ? ROUTE : 0;
  }
  int width = place_nodes(g, layers);
  int title = g->label ? (int)strlen(g->label) * CHAR_W : 0;
  int inner = width > title ? width : title;
  centre_layers(g, layers, left + ROUTE, inner);
  g->w = left + right + inner + 2 * ROUTE;
}

/* ---- SVG ---------------------------------------------------------------- */

static void svg_text(Buf *b, int x, int y, const char *cls, const char *s) {
  buf_printf(b, "<text x=\"%d\" y=\"%d\" class=\"%s\">", x, y, cls);
  put_html_str(b, s);
  buf_puts(b, "</text>");
}

/* The await's text for a box: cut to MAX_TEXT characters. */
static const char *box_text(Arena *a, const char *label) {
  if (strlen(label) <= MAX_TEXT)
    return label;
  return arena_printf(a, "%.*s...", MAX_TEXT - 3, label);
}

static void svg_node(Arena *a, Buf *b, const char *fn, GNode *v) {
  buf_printf(b, "<g class=\"node\" data-fn=\"%s\" data-state=\"%s\"", fn,
             v->id);
  if (v->line)
    buf_printf(b, " data-line=\"%u\"", v->line);
  buf_puts(b, "><title>");
  put_html_str(b, v->id);
  if (v->label) {
    buf_puts(b, "\n");
    put_html_str(b, v->label);
  }
  buf_puts(b, "</title>");
  int r = v->start || v->done ? v->h / 2 : 4;
  buf_printf(b,
             "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
             "rx=\"%d\"/>",
             v->x, v->y, v->w, v->h, r);
  if (v->done)
    buf_printf(b,
               "<rect class=\"inner\" x=\"%d\" y=\"%d\" width=\"%d\" "
               "height=\"%d\" rx=\"%d\"/>",
               v->x + 3, v->y + 3, v->w - 6, v->h - 6, r - 3);
  int cx = v->x + v->w / 2;
  svg_text(b, cx, v->y + PAD + 12, "name", v->id);
  if (v->label)
    svg_text(b, cx, v->y + PAD + 12 + LINE_H, "await", box_text(a, v->label));
  buf_puts(b, "</g>\n");
}

/* The path of an edge: straight down between adjacent layers, around the
 * left side for a long edge, around the right for a loop (the `k`th edge
 * on its side keeps its own lane). */
static void svg_edge_path(Buf *b, Graph *g, GEdge *e, int k) {
  GNode *f = g->nodes.items[e->from], *t = g->nodes.items[e->to];
  if (e->back) {
    int x = g->w - ROUTE * (k + 1);
    int fy = f->y + f->h / 2, ty = t->y + t->h / 2 - (e->from == e->to ? 8 : 0);
    buf_printf(b, "M%d %d C%d %d %d %d %d %d", f->x + f->w, fy + 4, x, fy + 4,
               x, ty - 4, t->x + t->w, ty - 4);
  } else if (routed_left(g, e)) {
    int x = ROUTE * (k + 1);
    int fy = f->y + f->h / 2, ty = t->y + t->h / 2;
    buf_printf(b, "M%d %d C%d %d %d %d %d %d", f->x, fy, x, fy, x, ty, t->x,
               ty);
  } else {
    int fx = f->x + f->w / 2, fy = f->y + f->h;
    int tx = t->x + t->w / 2, ty = t->y;
    int my = (fy + ty) / 2;
    buf_printf(b, "M%d %d C%d %d %d %d %d %d", fx, fy, fx, my, tx, my, tx, ty);
  }
}

static void svg_edges(Buf *b, Graph *g, const char *fn) {
  int left = 0, right = 0;
  for (int i = 0; i < g->edges.len; i++) {
    GEdge *e = g->edges.items[i];
    GNode *f = g->nodes.items[e->from], *t = g->nodes.items[e->to];
    buf_printf(b,
               "<g class=\"edge\" data-fn=\"%s\" data-from=\"%s\" "
               "data-to=\"%s\"><title>",
               fn, f->id, t->id);
    put_html_str(b, e->label ? e->label : "");
    buf_puts(b, "</title><path d=\"");
    int k = e->back ? right++ : routed_left(g, e) ? left++ : 0;
    svg_edge_path(b, g, e, k);
    buf_puts(b, "\" marker-end=\"url(#arrow)\"/></g>\n");
  }
}

/* The function's name, from its graph's label "async NAME (file:line)". */
static const char *graph_fn(Arena *a, Graph *g) {
  const char *l = g->label ? g->label : "";
  if (strncmp(l, "async ", 6) == 0)
    l += 6;
  return arena_strndup(a, l, strcspn(l, " "));
}

/* Fills in each state's await from the edges into it. */
static void label_nodes(Graph *g) {
  for (int i = 0; i < g->edges.len; i++) {
    GEdge *e = g->edges.items[i];
    GNode *t = g->nodes.items[e->to];
    if (t->label || !e->label || t->done)
      continue;
    t->label = e->label;
    if (strncmp(e->label, "line ", 5) == 0)
      t->line = (unsigned)strtoul(e->label + 5, NULL, 10);
  }
}

static const char svg_style[] =
    "<style>"
    "text{font:12px monospace;text-anchor:middle;fill:#1b1f24}"
    "text.title{font-weight:bold;text-anchor:start}"
    "text.await{fill:#57606a}"
    ".node rect{fill:#fff;stroke:#0550ae;stroke-width:1.2}"
    ".node.sel rect{fill:#fff1b8}"
    ".edge path{fill:none;stroke:#57606a;stroke-width:1.2}"
    "</style>"
    "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" "
    "refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
    "<path d=\"M0 0L10 5L0 10z\" fill=\"#57606a\"/></marker></defs>\n";

/* Places the graphs in rows, left to right, as a shelf of books: a graph
 * that would pass `max_w` starts a new row.  Sets each graph's position
 * in gx, gy; returns the width and height of the whole. */
static void shelve(Vec *graphs, int max_w, int *gx, int *gy, int *w, int *h) {
  int x = 0, y = 0, row_h = 0;
  *w = 0;
  for (int i = 0; i < graphs->len; i++) {
    Graph *g = graphs->items[i];
    if (x > 0 && x + g->w > max_w) {
      y += row_h + GAP_Y;
      x = row_h = 0;
    }
    gx[i] = x;
    gy[i] = y;
    x += g->w + GAP_X;
    row_h = g->h > row_h ? g->h : row_h;
    *w = x - GAP_X > *w ? x - GAP_X : *w;
  }
  *h = y + row_h;
}

void html_svg(Arena *a, const char *dot, Buf *out) {
  Vec graphs = read_dot(a, dot);
  int *gx = arena_alloc(a, sizeof(int) * (size_t)(graphs.len + 1));
  int *gy = arena_alloc(a, sizeof(int) * (size_t)(graphs.len + 1));
  for (int i = 0; i < graphs.len; i++) {
    label_nodes(graphs.items[i]);
    layout_graph(graphs.items[i]);
  }
  int width, height;
  shelve(&graphs, 1100, gx, gy, &width, &height);
  buf_printf(out,
             "<svg xmlns=\"http://www.w3.org/2000/svg\" "
             "class=\"graphs\" width=\"%d\" height=\"%d\" "
             "viewBox=\"0 0 %d %d\">\n",
             width, height + 4, width, height + 4);
  buf_puts(out, svg_style);
  /* Opaque, so that the picture reads the same on a dark page. */
  buf_puts(out, "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
  for (int i = 0; i < graphs.len; i++) {
    Graph *g = graphs.items[i];
    const char *fn = graph_fn(a, g);
    buf_printf(out,
               "<g class=\"graph\" data-fn=\"%s\" "
               "transform=\"translate(%d %d)\">\n",
               fn, gx[i], gy[i]);
    svg_text(out, 4, 18, "title", g->label ? g->label : fn);
    buf_puts(out, "\n");
    svg_edges(out, g, fn);
    for (int k = 0; k < g->nodes.len; k++)
      svg_node(a, out, fn, g->nodes.items[k]);
    buf_puts(out, "</g>\n");
  }
  buf_puts(out, "</svg>\n");
}

/* ---- Frame layouts, read from --emit=layout ----------------------------- */

/* A row "  OFFSET  SIZE  FIELD": true with the numbers and the field's
 * column. */
static bool read_row(const char *s, size_t n, long *off, long *size,
                     size_t *col) {
  char *end;
  const char *p = s;
  while (p < s + n && *p == ' ')
    p++;
  if (p == s + n || !isdigit((unsigned char)*p))
    return false;
  *off = strtol(p, &end, 10);
  p = end;
  while (p < s + n && *p == ' ')
    p++;
  if (p == s + n || !isdigit((unsigned char)*p))
    return false;
  *size = strtol(p, &end, 10);
  p = end;
  while (p < s + n && *p == ' ')
    p++;
  *col = (size_t)(p - s);
  return p < s + n;
}

/* A field's row: offset, size, a bar showing its place in the frame, and
 * the field indented by its depth in unions and structs. */
static void put_row(Buf *b, const char *off, const char *size, long at,
                    long len, long total, int depth, const char *f, size_t fn) {
  buf_printf(b, "<tr><td class=\"num\">%s</td><td class=\"num\">%s</td>", off,
             size);
  buf_puts(b, "<td class=\"bar\">");
  if (total > 0 && len >= 0)
    buf_printf(b, "<span style=\"left:%d%%;width:%d%%\"></span>",
               (int)(at * 100 / total),
               len * 100 / total > 0 ? (int)(len * 100 / total) : 1);
  buf_printf(b, "</td><td class=\"field\" style=\"padding-left:%dch\">",
             depth * 2 + 1);
  put_html(b, f, fn);
  buf_puts(b, "</td></tr>\n");
}

/* The report of one frame, lines [i, j) of the layout text. */
static void put_frame(Buf *b, Lines l, int i, int j) {
  buf_puts(b, "<div class=\"frame\"><h3>");
  put_html(b, l.at[i], l.len[i]);
  buf_puts(b, "</h3>\n<table><tr><th>offset</th><th>size</th><th></th>"
              "<th>field</th></tr>\n");
  long total =
      strtol(strchr(l.at[i], ':') ? strchr(l.at[i], ':') + 1 : "0", NULL, 10);
  size_t base = 0;
  Buf notes = {0};
  for (int k = i + 1; k < j; k++) {
    long off, size;
    size_t col, lead = strspn(l.at[k], " ");
    const char *s = l.at[k];
    if (read_row(s, l.len[k], &off, &size, &col)) {
      base = base ? base : col;
      char o[24], z[24];
      snprintf(o, sizeof o, "%ld", off);
      snprintf(z, sizeof z, "%ld", size);
      put_row(b, o, z, off, size, total, (int)(col - base) / 2, s + col,
              l.len[k] - col);
    } else if (lead < l.len[k] && s[lead] == '}') {
      int depth = base && lead + 2 > base ? (int)(lead + 2 - base) / 2 : 0;
      put_row(b, "", "", 0, -1, total, depth, s + lead, l.len[k] - lead);
    } else if (lead < l.len[k] && strncmp(s + lead, "offset", 6) != 0) {
      buf_puts(&notes, "<p class=\"note\">");
      put_html(&notes, s + lead, l.len[k] - lead);
      buf_puts(&notes, "</p>\n");
    }
  }
  buf_puts(b, "</table>\n");
  if (notes.len)
    buf_putn(b, notes.s, notes.len);
  buf_free(&notes);
  buf_puts(b, "</div>\n");
}

static void put_layouts(Arena *a, Buf *b, const char *layout) {
  Lines l = split_lines(a, layout, strlen(layout));
  for (int i = 0; i < l.n;) {
    if (l.len[i] == 0 || l.at[i][0] == ' ') {
      i++;
      continue;
    }
    int j = i + 1;
    while (j < l.n && l.len[j] && l.at[j][0] == ' ')
      j++;
    put_frame(b, l, i, j);
    i = j;
  }
}

/* ---- The page ----------------------------------------------------------- */

static const char page_style[] =
    "body{font:14px/1.4 sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}"
    "header{padding:8px 16px;background:#fff;border-bottom:1px solid #d0d7de}"
    "header h1{font-size:18px;margin:4px 0}header p{margin:4px 0}"
    "#panes{display:flex;gap:8px;padding:8px}"
    ".pane{flex:1;min-width:0;background:#fff;border:1px solid #d0d7de}"
    ".pane h2{font-size:14px;margin:0;padding:6px 8px;"
    "border-bottom:1px solid #d0d7de}"
    ".code{position:relative;margin:0;height:70vh;overflow:auto;"
    "font:12px/1.45 monospace;"
    "tab-size:8}"
    ".ln{white-space:pre;padding-right:8px;cursor:pointer}"
    ".ln:hover{background:#eef3ff}"
    ".no{display:inline-block;width:4ch;margin-right:1.5ch;text-align:right;"
    "color:#8c959f;user-select:none}"
    ".made{background:#f6f8fa}"
    ".ln.hov{background:#ddf4ff}.ln.sel{background:#fff1b8}"
    ".kw{color:#cf222e}.aw{color:#8250df;font-weight:bold}.k{color:#0550ae}"
    ".c{color:#6e7781;font-style:italic}.s{color:#0a3069}.n{color:#0550ae}"
    ".pp{color:#953800}"
    "section.below{margin:8px;padding:8px 12px;background:#fff;"
    "border:1px solid #d0d7de}"
    "section.below h2{font-size:16px;margin:4px 0 8px}"
    "#graph{overflow-x:auto}.node{cursor:pointer}"
    ".frame h3{font:bold 13px monospace;margin:12px 0 4px}"
    "table{border-collapse:collapse;font:12px monospace}"
    "td,th{padding:1px 8px;text-align:left}th{border-bottom:1px solid #d0d7de}"
    "td.num{text-align:right}td.field{white-space:pre}"
    "td.bar{position:relative;width:160px;background:#f6f8fa}"
    "td.bar span{position:absolute;top:3px;bottom:3px;background:#54aeff}"
    ".note{margin:2px 0;font:12px monospace;color:#57606a}"
    "#selftest{display:none}";

/* The page's script: a line and its counterparts are highlighted on hover
 * and selected on click (a state of the graph selects its await's line);
 * #line=N in the address selects source line N.  With #selftest instead, it
 * clicks every line itself and writes what each click selected, and the
 * geometry of the panes and the graph, into <pre id="selftest"> as JSON
 * for the browser test (test/explorer/). */
static const char page_script[] =
    "(function(){\n"
    "var src=[].slice.call(document.querySelectorAll('#src .ln'));\n"
    "var gen=[].slice.call(document.querySelectorAll('#gen .ln'));\n"
    "var bySrc={};\n"
    "gen.forEach(function(g){var s=g.dataset.src;"
    "if(s)(bySrc[s]=bySrc[s]||[]).push(g);});\n"
    "function srcLine(n){return document.getElementById('s'+n);}\n"
    "function related(el){\n"
    "  if(el.parentNode.id==='src')return [el].concat(bySrc[el.dataset.line]"
    "||[]);\n"
    "  var s=el.dataset.src&&srcLine(el.dataset.src);\n"
    "  return s?[el,s]:[el];}\n"
    "function mark(cls,els){\n"
    "  [].forEach.call(document.querySelectorAll('.'+cls),function(e){"
    "e.classList.remove(cls);});\n"
    "  els.forEach(function(e){e.classList.add(cls);});}\n"
    "function reveal(el){var p=el.parentNode;\n"
    "  if(el.offsetTop<p.scrollTop||el.offsetTop>p.scrollTop+p.clientHeight"
    "-20)p.scrollTop=el.offsetTop-p.clientHeight/3;}\n"
    "function select(el){var els=related(el);mark('sel',els);\n"
    "  els.forEach(function(e){if(e!==el)reveal(e);});}\n"
    "src.concat(gen).forEach(function(el){\n"
    "  el.addEventListener('click',function(){select(el);});\n"
    "  el.addEventListener('mouseenter',function(){mark('hov',related(el));});"
    "\n"
    "  el.addEventListener('mouseleave',function(){mark('hov',[]);});});\n"
    "[].forEach.call(document.querySelectorAll('.node'),function(n){\n"
    "  n.addEventListener('click',function(){var s=srcLine(n.dataset.line);\n"
    "    if(s){select(s);reveal(s);}mark('sel',[n].concat("
    "[].slice.call(document.querySelectorAll('.sel'))));});});\n"
    "var at=/^#line=(\\d+)$/.exec(location.hash),first=at&&srcLine(at[1]);\n"
    "if(first){select(first);reveal(first);}\n"
    "if(location.hash!=='#selftest')return;\n"
    "function nums(sel,attr){return [].map.call(document.querySelectorAll("
    "sel),function(e){return +e.getAttribute(attr).replace(/^[sg]/,'');});}\n"
    "function click(el){el.dispatchEvent(new MouseEvent('click',"
    "{bubbles:true}));}\n"
    "var r={src:{},gen:{},nodes:[],edges:[],panes:[]};\n"
    "src.forEach(function(el){click(el);"
    "r.src[el.dataset.line]=nums('#gen .ln.sel','id');});\n"
    "gen.forEach(function(el){click(el);"
    "r.gen[el.id.slice(1)]=nums('#src .ln.sel','data-line');});\n"
    "[].forEach.call(document.querySelectorAll('.node'),function(n){\n"
    "  var b=n.getBBox();r.nodes.push({fn:n.dataset.fn,state:n.dataset.state,"
    "x:b.x,y:b.y,w:b.width,h:b.height,line:+(n.dataset.line||0)});});\n"
    "[].forEach.call(document.querySelectorAll('.edge'),function(e){\n"
    "  r.edges.push({fn:e.dataset.fn,from:e.dataset.from,to:e.dataset.to,"
    "len:e.querySelector('path').getTotalLength()});});\n"
    "['src','gen'].forEach(function(id){var b=document.getElementById(id)"
    ".getBoundingClientRect();\n"
    "  r.panes.push({id:id,x:b.left,y:b.top,w:b.width,h:b.height,"
    "lines:document.querySelectorAll('#'+id+' .ln').length});});\n"
    "r.genText=gen.map(function(g){return g.textContent.replace(/^\\s*\\d+/,"
    "'');});\n"
    "var out=document.getElementById('selftest');\n"
    "out.textContent=JSON.stringify(r);out.dataset.done='1';\n"
    "})();\n";

void html_page(const HtmlInput *in, Buf *out) {
  Arena *a = in->arena;
  Lines src = split_lines(a, in->source, in->source_len);
  Generated gen = read_generated(a, in->path, in->generated, src.n);
  buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                "<meta charset=\"utf-8\">\n<title>asyncc: ");
  put_html_str(out, in->path);
  buf_printf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", page_style);
  buf_puts(out, "<header><h1>asyncc explorer: <code>");
  put_html_str(out, in->path);
  buf_puts(out, "</code></h1><p>Hover over or click a line: the lines it "
                "became, or came from, light up in the other pane. Shaded "
                "generated lines come from no source line. Click a state "
                "of a graph for its await.</p></header>\n");
  buf_puts(out, "<div id=\"panes\">\n<div class=\"pane\"><h2>");
  put_html_str(out, in->path);
  buf_puts(out, "</h2>\n");
  Colours src_colours = {in->source, in->source_toks, 0};
  put_source_pane(out, src, &src_colours);
  buf_puts(out, "</div>\n<div class=\"pane\"><h2>Generated C "
                "(asyncc --for-reading)</h2>\n");
  Colours gen_colours = {in->generated, in->generated_toks, 0};
  put_generated_pane(out, gen, &gen_colours);
  buf_puts(out, "</div>\n</div>\n<section class=\"below\" id=\"graph\">"
                "<h2>State graphs</h2>\n");
  html_svg(a, in->dot, out);
  buf_puts(out, "</section>\n<section class=\"below\" id=\"layout\">"
                "<h2>Frame layouts</h2>\n");
  put_layouts(a, out, in->layout);
  buf_printf(out,
             "</section>\n<pre id=\"selftest\"></pre>\n"
             "<script>\n%s</script>\n</body>\n</html>\n",
             page_script);
}
