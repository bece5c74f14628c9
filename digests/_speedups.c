/*
 * digests._speedups: compiled versions of the clusterer's hot loops.
 *
 * Every function here mirrors a pure-Python function in digests/kernels.py, which stays the
 * reference: same inputs, same results (same floats, summed in the same order; same ties).
 * digests/kernels.py picks these when the module imports, and tests/test_kernels.py checks
 * both against each other. Keep the two in step: change the Python one first.
 *
 * Conventions: vectors are dicts of str -> float. Nothing here calls back into Python code
 * except `add_tokens`, which calls the `learn` function it is given for an unseen token;
 * objects read from a container are held with a reference across any call that could run
 * Python code.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <string.h>

/* ---- float sums as Python's builtin sum() makes them ------------------------------------
 * sum() of floats adds left to right; from Python 3.12 on it compensates rounding errors
 * (Neumaier). The Python kernels use sum(), so the compiled ones sum the same way. */
typedef struct {
    double s;
    double c;
} Acc;

static inline void
acc_add(Acc *a, double x)
{
#if PY_VERSION_HEX >= 0x030C0000
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x)) {
        a->c += (a->s - t) + x;
    }
    else {
        a->c += (x - t) + a->s;
    }
    a->s = t;
#else
    a->s += x;
#endif
}

static inline double
acc_result(const Acc *a)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (a->c != 0.0 && isfinite(a->c)) {
        return a->s + a->c;
    }
#endif
    return a->s;
}

/* A float from a number object; -1.0 with an exception set on error. */
static inline double
as_double(PyObject *o)
{
    return PyFloat_CheckExact(o) ? PyFloat_AS_DOUBLE(o) : PyFloat_AsDouble(o);
}

/* Argument helpers: 0 on success, -1 with an exception set. */
static int
arity(Py_ssize_t nargs, Py_ssize_t n, const char *call)
{
    if (nargs == n) {
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s takes %zd arguments (%zd given)", call, n, nargs);
    return -1;
}

static int
to_double(PyObject *o, double *out)
{
    *out = as_double(o);
    return *out == -1.0 && PyErr_Occurred() ? -1 : 0;
}

static int
to_index(PyObject *o, Py_ssize_t *out)
{
    *out = PyLong_AsSsize_t(o);
    return *out == -1 && PyErr_Occurred() ? -1 : 0;
}

/* terms[key] = terms.get(key, 0.0) + weight */
static int
add_weight(PyObject *terms, PyObject *key, double weight)
{
    PyObject *old = PyDict_GetItemWithError(terms, key);
    double base = 0.0;
    if (old != NULL ? to_double(old, &base) < 0 : PyErr_Occurred() != NULL) {
        return -1;
    }
    PyObject *sum = PyFloat_FromDouble(base + weight);
    if (sum == NULL) {
        return -1;
    }
    int rc = PyDict_SetItem(terms, key, sum);
    Py_DECREF(sum);
    return rc;
}

/* args[0] and args[1] as fast sequences (new references); -1 with an exception set. */
static int
two_sequences(PyObject *const *args, PyObject **a, PyObject **b)
{
    *a = PySequence_Fast(args[0], "a must be a sequence");
    if (*a == NULL) {
        return -1;
    }
    *b = PySequence_Fast(args[1], "b must be a sequence");
    if (*b == NULL) {
        Py_CLEAR(*a);
        return -1;
    }
    return 0;
}

/* obj as a fast sequence and a new empty list for the results (new references both);
 * -1 with an exception set. */
static int
sequence_and_list(PyObject *obj, const char *what, PyObject **seq, PyObject **list)
{
    *seq = PySequence_Fast(obj, what);
    if (*seq == NULL) {
        return -1;
    }
    *list = PyList_New(0);
    if (*list == NULL) {
        Py_CLEAR(*seq);
        return -1;
    }
    return 0;
}

static int
check_dict(PyObject *o, const char *what)
{
    if (!PyDict_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a dict, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    return 0;
}

/* ---- dot: kernels.dot ------------------------------------------------------------------
 * Sparse dot product: the smaller dict (the first on a tie) in insertion order, each term
 * looked up in the other. Returns 0 on success, -1 with an exception set. */
static int
dot_impl(PyObject *a, PyObject *b, double *out)
{
    if (PyDict_GET_SIZE(a) > PyDict_GET_SIZE(b)) {
        PyObject *t = a;
        a = b;
        b = t;
    }
    Acc acc = {0.0, 0.0};
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(a, &pos, &key, &value)) {
        Py_INCREF(key);
        Py_INCREF(value);
        PyObject *other = PyDict_GetItemWithError(b, key);
        int ok = 1;
        if (other != NULL) {
            Py_INCREF(other);
            double x, y;
            ok = to_double(value, &x) == 0 && to_double(other, &y) == 0;
            if (ok) {
                acc_add(&acc, x * y);
            }
            Py_DECREF(other);
        }
        else if (PyErr_Occurred()) {
            ok = 0;
        }
        Py_DECREF(key);
        Py_DECREF(value);
        if (!ok) {
            return -1;
        }
    }
    *out = acc_result(&acc);
    return 0;
}

static PyObject *
sp_dot(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "dot(a, b)") < 0) {
        return NULL;
    }
    if (check_dict(args[0], "a") < 0 || check_dict(args[1], "b") < 0) {
        return NULL;
    }
    double r;
    if (dot_impl(args[0], args[1], &r) < 0) {
        return NULL;
    }
    return PyFloat_FromDouble(r);
}

/* ---- best_member: kernels.best_member --------------------------------------------------
 * members: list of (article id, vector). Returns (highest dot product, at least 0.0; ids of
 * the members whose dot product is >= min_cos, in order). */
static PyObject *
sp_best_member(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "best_member(vec, members, min_cos)") < 0) {
        return NULL;
    }
    PyObject *vec = args[0];
    if (check_dict(vec, "vec") < 0) {
        return NULL;
    }
    double min_cos;
    PyObject *members, *close;
    if (to_double(args[2], &min_cos) < 0 ||
        sequence_and_list(args[1], "members must be a sequence", &members, &close) < 0) {
        return NULL;
    }
    double best = 0.0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(members);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(members, i);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 ||
            !PyDict_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "members must be (id, dict) pairs");
            goto error;
        }
        double cm;
        if (dot_impl(vec, PyTuple_GET_ITEM(pair, 1), &cm) < 0) {
            goto error;
        }
        if (cm > best) {
            best = cm;
        }
        if (cm >= min_cos && PyList_Append(close, PyTuple_GET_ITEM(pair, 0)) < 0) {
            goto error;
        }
    }
    Py_DECREF(members);
    PyObject *m = PyFloat_FromDouble(best);
    if (m == NULL) {
        Py_DECREF(close);
        return NULL;
    }
    PyObject *res = PyTuple_Pack(2, m, close);
    Py_DECREF(m);
    Py_DECREF(close);
    return res;
error:
    Py_DECREF(members);
    Py_DECREF(close);
    return NULL;
}

/* ---- top_hits: kernels.top_hits --------------------------------------------------------
 * For the first n_terms items of vec, add each item's weight to every index its postings
 * list holds (in that order); return the k indexes with the highest totals, ties by the
 * lower index. A small open-addressing table keyed by index keeps the totals. */
typedef struct {
    Py_ssize_t idx;
    double h;
} Hit;

static PyObject *
sp_top_hits(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "top_hits(vec, postings, n_terms, k)") < 0) {
        return NULL;
    }
    PyObject *vec = args[0], *postings = args[1];
    if (check_dict(vec, "vec") < 0 || check_dict(postings, "postings") < 0) {
        return NULL;
    }
    Py_ssize_t n_terms, k;
    if (to_index(args[2], &n_terms) < 0 || to_index(args[3], &k) < 0) {
        return NULL;
    }

    /* The postings lists to read, held for the whole call, and their weights. */
    enum { MAX_STACK = 64 };
    PyObject *lists_stack[MAX_STACK];
    double weights_stack[MAX_STACK];
    PyObject **lists = lists_stack;
    double *weights = weights_stack;
    Py_ssize_t n_lists = 0, total = 0;
    Py_ssize_t want = n_terms < PyDict_GET_SIZE(vec) ? n_terms : PyDict_GET_SIZE(vec);
    if (want < 0) {
        want = 0;
    }
    if (want > MAX_STACK) {
        lists = PyMem_New(PyObject *, want);
        weights = PyMem_New(double, want);
        if (lists == NULL || weights == NULL) {
            PyMem_Free(lists);
            PyMem_Free(weights);
            PyErr_NoMemory();
            return NULL;
        }
    }
    Hit *table = NULL;
    Py_ssize_t *order = NULL;
    PyObject *result = NULL;
    Py_ssize_t pos = 0, seen = 0;
    PyObject *key, *value;
    while (seen < want && PyDict_Next(vec, &pos, &key, &value)) {
        seen++;
        double w;
        if (to_double(value, &w) < 0) {
            goto done;
        }
        PyObject *plist = PyDict_GetItemWithError(postings, key);
        if (plist == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            continue;
        }
        plist = PySequence_Fast(plist, "postings values must be sequences");
        if (plist == NULL) {
            goto done;
        }
        lists[n_lists] = plist;
        weights[n_lists] = w;
        n_lists++;
        total += PySequence_Fast_GET_SIZE(plist);
    }
    if (total == 0) {
        result = PyList_New(0);
        goto done;
    }
    Py_ssize_t cap = 16;
    while (cap < 2 * total) {
        cap *= 2;
    }
    table = PyMem_New(Hit, cap);
    order = PyMem_New(Py_ssize_t, total); /* slots in use, in first-seen order */
    if (table == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < cap; s++) {
        table[s].idx = -1;
    }
    Py_ssize_t used = 0;
    for (Py_ssize_t l = 0; l < n_lists; l++) {
        PyObject *plist = lists[l];
        Py_ssize_t m = PySequence_Fast_GET_SIZE(plist);
        for (Py_ssize_t j = 0; j < m; j++) {
            Py_ssize_t idx;
            if (to_index(PySequence_Fast_GET_ITEM(plist, j), &idx) < 0) {
                goto done;
            }
            if (idx < 0) {
                PyErr_SetString(PyExc_ValueError, "story indexes must be >= 0");
                goto done;
            }
            size_t s = ((size_t)idx * 0x9E3779B97F4A7C15ULL) & (size_t)(cap - 1);
            while (table[s].idx != -1 && table[s].idx != idx) {
                s = (s + 1) & (size_t)(cap - 1);
            }
            if (table[s].idx == -1) {
                table[s].idx = idx;
                table[s].h = 0.0 + weights[l];
                order[used++] = (Py_ssize_t)s;
            }
            else {
                table[s].h += weights[l];
            }
        }
    }
    /* The k best by (-h, idx): k passes of selection (k is small). */
    Py_ssize_t out_n = k < used ? k : used;
    if (out_n < 0) {
        out_n = 0;
    }
    result = PyList_New(out_n);
    if (result == NULL) {
        goto done;
    }
    for (Py_ssize_t r = 0; r < out_n; r++) {
        Py_ssize_t best = r;
        for (Py_ssize_t q = r + 1; q < used; q++) {
            Hit *x = &table[order[q]], *y = &table[order[best]];
            if (x->h > y->h || (x->h == y->h && x->idx < y->idx)) {
                best = q;
            }
        }
        Py_ssize_t tmp = order[r];
        order[r] = order[best];
        order[best] = tmp;
        PyObject *num = PyLong_FromSsize_t(table[order[r]].idx);
        if (num == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, r, num);
    }
done:
    for (Py_ssize_t l = 0; l < n_lists; l++) {
        Py_DECREF(lists[l]);
    }
    if (lists != lists_stack) {
        PyMem_Free(lists);
        PyMem_Free(weights);
    }
    PyMem_Free(table);
    PyMem_Free(order);
    return result;
}

/* ---- add_into: kernels.add_into --------------------------------------------------------
 * dst[t] = dst.get(t, 0.0) + w for each (t, w) of src, in src's order. */
static PyObject *
sp_add_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "add_into(dst, src)") < 0) {
        return NULL;
    }
    PyObject *dst = args[0], *src = args[1];
    if (check_dict(dst, "dst") < 0 || check_dict(src, "src") < 0) {
        return NULL;
    }
    /* Adding a vector to itself: read a snapshot (only values change, but be plain). */
    PyObject *items = dst == src ? PyDict_Copy(src) : Py_NewRef(src);
    if (items == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(items, &pos, &key, &value)) {
        double w;
        if (to_double(value, &w) < 0) {
            goto error;
        }
        if (add_weight(dst, key, w) < 0) {
            goto error;
        }
    }
    Py_DECREF(items);
    Py_RETURN_NONE;
error:
    Py_DECREF(items);
    return NULL;
}

/* ---- tfidf_vector: kernels.tfidf_vector ------------------------------------------------
 * Each term's weight times log(n / (df.get(t, 0) + 0.5)); the k strongest, ties by term;
 * divided by their Euclidean norm (1.0 if zero); inserted strongest first. */
typedef struct {
    double w;
    PyObject *term; /* borrowed from `terms`, which nothing changes during the call */
} Ranked;

/* Two str by code points, as Python compares them: two one-byte (Latin-1) strings with
 * memcmp (unsigned bytes are their code points), others by PyUnicode_Compare. */
static inline int
str_cmp(PyObject *a, PyObject *b)
{
#if PY_VERSION_HEX < 0x030C0000
    int ready = PyUnicode_IS_READY(a) && PyUnicode_IS_READY(b);
#else
    int ready = 1;
#endif
    if (ready && PyUnicode_KIND(a) == PyUnicode_1BYTE_KIND &&
        PyUnicode_KIND(b) == PyUnicode_1BYTE_KIND) {
        Py_ssize_t la = PyUnicode_GET_LENGTH(a), lb = PyUnicode_GET_LENGTH(b);
        int c = memcmp(PyUnicode_1BYTE_DATA(a), PyUnicode_1BYTE_DATA(b),
                       (size_t)(la < lb ? la : lb));
        if (c != 0) {
            return c < 0 ? -1 : 1;
        }
        return la < lb ? -1 : (la > lb ? 1 : 0);
    }
    return PyUnicode_Compare(a, b);
}

static int
ranked_cmp(const void *pa, const void *pb)
{
    const Ranked *a = pa, *b = pb;
    if (a->w > b->w) {
        return -1;
    }
    if (a->w < b->w) {
        return 1;
    }
    /* Equal weights: by term, as Python compares str (code points). */
    return str_cmp(a->term, b->term);
}

static PyObject *
sp_tfidf_vector(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "tfidf_vector(terms, df, n, k)") < 0) {
        return NULL;
    }
    PyObject *terms = args[0], *df = args[1];
    if (check_dict(terms, "terms") < 0 || check_dict(df, "df") < 0) {
        return NULL;
    }
    double n;
    Py_ssize_t k;
    if (to_double(args[2], &n) < 0 || to_index(args[3], &k) < 0) {
        return NULL;
    }
    Py_ssize_t size = PyDict_GET_SIZE(terms);
    Ranked *ranked = PyMem_New(Ranked, size > 0 ? size : 1);
    if (ranked == NULL) {
        return PyErr_NoMemory();
    }
    PyObject *out = NULL;
    Py_ssize_t pos = 0, m = 0;
    PyObject *key, *value;
    while (PyDict_Next(terms, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "terms must have str keys");
            goto done;
        }
        double w;
        if (to_double(value, &w) < 0) {
            goto done;
        }
        PyObject *count = PyDict_GetItemWithError(df, key);
        double d = 0.0;
        if (count != NULL ? to_double(count, &d) < 0 : PyErr_Occurred() != NULL) {
            goto done;
        }
        double ratio = n / (d + 0.5);
        if (ratio <= 0.0) {
            PyErr_SetString(PyExc_ValueError, "math domain error"); /* as math.log says */
            goto done;
        }
        /* Python ranks (-w * log(.), t) ascending: the same order as w * log(.) descending,
         * and negating a float is exact. */
        ranked[m].w = w * log(ratio);
        if (isnan(ranked[m].w)) { /* Python would sort it anywhere; qsort needs an order */
            PyErr_SetString(PyExc_ValueError, "tf-idf weight is not a number");
            goto done;
        }
        ranked[m].term = key;
        m++;
    }
    qsort(ranked, (size_t)m, sizeof(Ranked), ranked_cmp);
    if (k < m) {
        m = k < 0 ? 0 : k;
    }
    Acc acc = {0.0, 0.0};
    for (Py_ssize_t i = 0; i < m; i++) {
        acc_add(&acc, ranked[i].w * ranked[i].w);
    }
    double norm = sqrt(acc_result(&acc));
    if (norm == 0.0) {
        norm = 1.0;
    }
    out = PyDict_New();
    if (out == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        PyObject *x = PyFloat_FromDouble(ranked[i].w / norm);
        if (x == NULL || PyDict_SetItem(out, ranked[i].term, x) < 0) {
            Py_XDECREF(x);
            Py_CLEAR(out);
            goto done;
        }
        Py_DECREF(x);
    }
done:
    PyMem_Free(ranked);
    return out;
}

/* ---- matched: kernels.matched (difflib's matching blocks, counted) ---------------------
 * Words are numbered first (equal words, equal numbers), so the inner loops compare ints;
 * difflib's j2len dicts become two arrays indexed by j + 1 whose touched cells are reset
 * after each row. */
typedef struct {
    Py_ssize_t alo, ahi, blo, bhi;
} Range;

static PyObject *
sp_matched(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "matched(a, b, floor)") < 0) {
        return NULL;
    }
    PyObject *a, *b;
    if (two_sequences(args, &a, &b) < 0) {
        return NULL;
    }
    double floor_;
    int bad_floor = to_double(args[2], &floor_) < 0;
    PyObject *result = NULL, *ids = NULL;
    Py_ssize_t *aid = NULL, *bid = NULL, *start = NULL, *where = NULL;
    Py_ssize_t *j2len = NULL, *newj2len = NULL, *touched = NULL, *newtouched = NULL;
    Range *queue = NULL;
    if (bad_floor) {
        goto done;
    }
    Py_ssize_t la = PySequence_Fast_GET_SIZE(a), lb = PySequence_Fast_GET_SIZE(b);
    Py_ssize_t shorter = la < lb ? la : lb;
    Py_ssize_t possible = shorter;

    /* Number b's distinct words; a's words not in b get -1. */
    ids = PyDict_New();
    aid = PyMem_New(Py_ssize_t, la + 1);
    bid = PyMem_New(Py_ssize_t, lb + 1);
    if (ids == NULL || aid == NULL || bid == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t n_ids = 0;
    for (Py_ssize_t j = 0; j < lb; j++) {
        PyObject *word = PySequence_Fast_GET_ITEM(b, j);
        PyObject *found = PyDict_GetItemWithError(ids, word);
        if (found == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            PyObject *num = PyLong_FromSsize_t(n_ids);
            if (num == NULL) {
                goto done;
            }
            int rc = PyDict_SetItem(ids, word, num);
            Py_DECREF(num);
            if (rc < 0) {
                goto done;
            }
            bid[j] = n_ids++;
        }
        else {
            bid[j] = PyLong_AsSsize_t(found);
        }
    }
    for (Py_ssize_t i = 0; i < la; i++) {
        PyObject *found = PyDict_GetItemWithError(ids, PySequence_Fast_GET_ITEM(a, i));
        if (found == NULL) {
            if (PyErr_Occurred()) {
                goto done;
            }
            aid[i] = -1;
        }
        else {
            aid[i] = PyLong_AsSsize_t(found);
        }
    }
    /* b2j: the positions of each word in b, ascending (CSR: where[start[id]:start[id+1]]). */
    start = PyMem_New(Py_ssize_t, n_ids + 1);
    where = PyMem_New(Py_ssize_t, lb + 1);
    j2len = PyMem_New(Py_ssize_t, lb + 1);
    newj2len = PyMem_New(Py_ssize_t, lb + 1);
    touched = PyMem_New(Py_ssize_t, lb + 1);
    newtouched = PyMem_New(Py_ssize_t, lb + 1);
    /* Each range popped pushes at most two, each holding at least one word of a. */
    queue = PyMem_New(Range, la + 2);
    if (!start || !where || !j2len || !newj2len || !touched || !newtouched || !queue) {
        PyErr_NoMemory();
        goto done;
    }
    memset(start, 0, sizeof(Py_ssize_t) * (size_t)(n_ids + 1));
    for (Py_ssize_t j = 0; j < lb; j++) {
        start[bid[j] + 1]++;
    }
    for (Py_ssize_t id = 0; id < n_ids; id++) {
        start[id + 1] += start[id];
    }
    {
        Py_ssize_t *fill = newtouched; /* scratch: next free slot of each word */
        memcpy(fill, start, sizeof(Py_ssize_t) * (size_t)n_ids);
        for (Py_ssize_t j = 0; j < lb; j++) {
            where[fill[bid[j]]++] = j;
        }
    }
    memset(j2len, 0, sizeof(Py_ssize_t) * (size_t)(lb + 1));
    memset(newj2len, 0, sizeof(Py_ssize_t) * (size_t)(lb + 1));

    Py_ssize_t matched = 0, qn = 0;
    queue[qn++] = (Range){0, la, 0, lb};
    while (qn > 0) {
        Range r = queue[--qn];
        Py_ssize_t alo = r.alo, ahi = r.ahi, blo = r.blo, bhi = r.bhi;
        Py_ssize_t besti = alo, bestj = blo, bestsize = 0;
        Py_ssize_t n_touched = 0;
        for (Py_ssize_t i = alo; i < ahi; i++) {
            Py_ssize_t n_new = 0;
            if (aid[i] >= 0) {
                for (Py_ssize_t p = start[aid[i]]; p < start[aid[i] + 1]; p++) {
                    Py_ssize_t j = where[p];
                    if (j < blo) {
                        continue;
                    }
                    if (j >= bhi) {
                        break;
                    }
                    /* j2len[j - 1] lives at index j (arrays are shifted by one). */
                    Py_ssize_t kk = j2len[j] + 1;
                    newj2len[j + 1] = kk;
                    newtouched[n_new++] = j + 1;
                    if (kk > bestsize) {
                        besti = i - kk + 1;
                        bestj = j - kk + 1;
                        bestsize = kk;
                    }
                }
            }
            for (Py_ssize_t t = 0; t < n_touched; t++) {
                j2len[touched[t]] = 0;
            }
            Py_ssize_t *swap = j2len;
            j2len = newj2len;
            newj2len = swap;
            swap = touched;
            touched = newtouched;
            newtouched = swap;
            n_touched = n_new;
        }
        for (Py_ssize_t t = 0; t < n_touched; t++) {
            j2len[touched[t]] = 0;
        }
        while (besti > alo && bestj > blo && aid[besti - 1] == bid[bestj - 1]) {
            besti--;
            bestj--;
            bestsize++;
        }
        while (besti + bestsize < ahi && bestj + bestsize < bhi &&
               aid[besti + bestsize] == bid[bestj + bestsize]) {
            bestsize++;
        }
        possible -= (ahi - alo) < (bhi - blo) ? (ahi - alo) : (bhi - blo);
        if (bestsize) {
            matched += bestsize;
            possible += bestsize;
            if (alo < besti && blo < bestj) {
                queue[qn++] = (Range){alo, besti, blo, bestj};
                possible += (besti - alo) < (bestj - blo) ? (besti - alo) : (bestj - blo);
            }
            if (besti + bestsize < ahi && bestj + bestsize < bhi) {
                queue[qn++] = (Range){besti + bestsize, ahi, bestj + bestsize, bhi};
                Py_ssize_t x = ahi - besti - bestsize, y = bhi - bestj - bestsize;
                possible += x < y ? x : y;
            }
        }
        if (floor_ != 0.0 && (double)possible / (double)(shorter ? shorter : 1) < floor_) {
            result = PyLong_FromSsize_t(possible);
            goto done;
        }
    }
    result = PyLong_FromSsize_t(matched);
done:
    Py_DECREF(a);
    Py_DECREF(b);
    Py_XDECREF(ids);
    PyMem_Free(aid);
    PyMem_Free(bid);
    PyMem_Free(start);
    PyMem_Free(where);
    PyMem_Free(j2len);
    PyMem_Free(newj2len);
    PyMem_Free(touched);
    PyMem_Free(newtouched);
    PyMem_Free(queue);
    return result;
}

/* ---- add_tokens: kernels.add_tokens (textfeatures._add_tokens) -------------------------
 * Each token's (key, kind, display) comes from `memo`, or from `learn(token)` when missing
 * (None: not a feature). Kinds: 0 word, 1 capitalised word, 2 number. */
static PyObject *
sp_add_tokens(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 10,
              "add_tokens(tokens, weight, number_weight, memo, learn, terms, caps, "
              "lower_seen, names, numbers)") < 0) {
        return NULL;
    }
    PyObject *memo = args[3], *learn = args[4], *terms = args[5], *caps = args[6];
    PyObject *lower_seen = args[7], *names = args[8], *numbers = args[9];
    if (check_dict(memo, "memo") < 0 || check_dict(terms, "terms") < 0 ||
        check_dict(caps, "caps") < 0 || check_dict(names, "names") < 0) {
        return NULL;
    }
    if (!PySet_Check(lower_seen) || !PySet_Check(numbers)) {
        PyErr_SetString(PyExc_TypeError, "lower_seen and numbers must be sets");
        return NULL;
    }
    double weight, number_weight;
    if (to_double(args[1], &weight) < 0 || to_double(args[2], &number_weight) < 0) {
        return NULL;
    }
    PyObject *tokens = PySequence_Fast(args[0], "tokens must be a sequence");
    if (tokens == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(tokens);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tok = PySequence_Fast_GET_ITEM(tokens, i);
        PyObject *info = PyDict_GetItemWithError(memo, tok);
        if (info != NULL) {
            Py_INCREF(info);
        }
        else {
            if (PyErr_Occurred()) {
                goto error;
            }
            info = PyObject_CallOneArg(learn, tok);
            if (info == NULL) {
                goto error;
            }
        }
        if (info == Py_None) {
            Py_DECREF(info);
            continue;
        }
        if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) != 3) {
            Py_DECREF(info);
            PyErr_SetString(PyExc_TypeError, "token info must be (key, kind, display)");
            goto error;
        }
        PyObject *key = PyTuple_GET_ITEM(info, 0);
        long kind = PyLong_AsLong(PyTuple_GET_ITEM(info, 1));
        int rc = 0;
        if (kind == -1 && PyErr_Occurred()) {
            rc = -1;
        }
        else if (kind == 0) {
            rc = add_weight(terms, key, weight);
            if (rc == 0) {
                rc = PySet_Add(lower_seen, key);
            }
        }
        else if (kind == 1) {
            rc = add_weight(terms, key, weight);
            if (rc == 0) {
                rc = add_weight(caps, key, weight);
            }
            if (rc == 0) {
                PyObject *d = PyDict_SetDefault(names, key, PyTuple_GET_ITEM(info, 2));
                rc = d == NULL ? -1 : 0;
            }
        }
        else {
            rc = PySet_Add(numbers, key);
            if (rc == 0) {
                rc = add_weight(terms, key, number_weight);
            }
        }
        Py_DECREF(info);
        if (rc < 0) {
            goto error;
        }
    }
    Py_DECREF(tokens);
    Py_RETURN_NONE;
error:
    Py_DECREF(tokens);
    return NULL;
}

/* ---- tokenize: kernels.tokenize (the regex kernels.TOKEN, findall) ---------------------
 * TOKEN is  [^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*  without flags. For a str pattern
 * the re module's \w is str.isalnum() or "_" and \d is str.isdecimal(), so a letter is an
 * alphanumeric character that is not a decimal digit (nor "_"). Both alternatives are
 * greedy and need nothing after them, so each match is the longest run of that shape;
 * where neither matches, the scan moves on one character, as findall does. */
static inline int
is_letter(Py_UCS4 c)
{
    if (c < 128) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

static inline int
is_decimal(Py_UCS4 c)
{
    if (c < 128) {
        return c >= '0' && c <= '9';
    }
    return Py_UNICODE_ISDECIMAL(c);
}

static PyObject *
sp_tokenize(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "tokenize(text, intern=False) takes 1 or 2 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "text must be a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    int intern = 0;
    if (nargs == 2) {
        intern = PyObject_IsTrue(args[1]);
        if (intern < 0) {
            return NULL;
        }
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t start = i;
        if (is_letter(c)) {
            /* [^\W\d_]+(?:['’][^\W\d_]+)* */
            i++;
            while (i < n && is_letter(PyUnicode_READ(kind, data, i))) {
                i++;
            }
            while (i + 1 < n) {
                Py_UCS4 q = PyUnicode_READ(kind, data, i);
                if ((q != '\'' && q != 0x2019) || !is_letter(PyUnicode_READ(kind, data, i + 1))) {
                    break;
                }
                i += 2;
                while (i < n && is_letter(PyUnicode_READ(kind, data, i))) {
                    i++;
                }
            }
        }
        else if (is_decimal(c)) {
            /* \d+(?:[.,]\d+)* */
            i++;
            while (i < n && is_decimal(PyUnicode_READ(kind, data, i))) {
                i++;
            }
            while (i + 1 < n) {
                Py_UCS4 q = PyUnicode_READ(kind, data, i);
                if ((q != '.' && q != ',') || !is_decimal(PyUnicode_READ(kind, data, i + 1))) {
                    break;
                }
                i += 2;
                while (i < n && is_decimal(PyUnicode_READ(kind, data, i))) {
                    i++;
                }
            }
        }
        else {
            i++;
            continue;
        }
        PyObject *tok = PyUnicode_Substring(text, start, i);
        if (tok == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        if (intern) {
            PyUnicode_InternInPlace(&tok);
        }
        int rc = PyList_Append(out, tok);
        Py_DECREF(tok);
        if (rc < 0) {
            Py_DECREF(out);
            return NULL;
        }
    }
    return out;
}

/* ---- post: kernels.post ----------------------------------------------------------------
 * Story `idx` goes last in the postings list of each of the first n_terms terms of vec
 * (moved there if listed already), each list capped to its `cap` most recent stories. */
static PyObject *
sp_post(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 5, "post(postings, vec, n_terms, idx, cap)") < 0) {
        return NULL;
    }
    PyObject *postings = args[0], *vec = args[1], *idx_obj = args[3];
    if (check_dict(postings, "postings") < 0 || check_dict(vec, "vec") < 0) {
        return NULL;
    }
    Py_ssize_t n_terms, idx, cap;
    if (to_index(args[2], &n_terms) < 0 || to_index(idx_obj, &idx) < 0 ||
        to_index(args[4], &cap) < 0) {
        return NULL;
    }
    /* The terms first: the loop below adds keys to `postings`, never to `vec`, but vec
     * and postings may in principle be one dict. */
    PyObject *keys = PyList_New(0);
    if (keys == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0, seen = 0;
    PyObject *key, *value;
    while (seen < n_terms && PyDict_Next(vec, &pos, &key, &value)) {
        seen++;
        if (PyList_Append(keys, key) < 0) {
            goto error;
        }
    }
    for (Py_ssize_t t = 0; t < PyList_GET_SIZE(keys); t++) {
        key = PyList_GET_ITEM(keys, t);
        PyObject *plist = PyDict_GetItemWithError(postings, key);
        if (plist == NULL) {
            if (PyErr_Occurred()) {
                goto error;
            }
            plist = PyList_New(0);
            if (plist == NULL) {
                goto error;
            }
            int rc = PyDict_SetItem(postings, key, plist);
            Py_DECREF(plist);
            if (rc < 0) {
                goto error;
            }
        }
        if (!PyList_CheckExact(plist)) {
            PyErr_SetString(PyExc_TypeError, "postings values must be lists");
            goto error;
        }
        Py_ssize_t len = PyList_GET_SIZE(plist);
        if (len > 0) {
            Py_ssize_t last;
            if (to_index(PyList_GET_ITEM(plist, len - 1), &last) < 0) {
                goto error;
            }
            if (last == idx) {
                continue;
            }
        }
        for (Py_ssize_t j = 0; j < len; j++) { /* plist.remove(idx) if it is there */
            Py_ssize_t v;
            if (to_index(PyList_GET_ITEM(plist, j), &v) < 0) {
                goto error;
            }
            if (v == idx) {
                if (PyList_SetSlice(plist, j, j + 1, NULL) < 0) {
                    goto error;
                }
                break;
            }
        }
        if (PyList_Append(plist, idx_obj) < 0) {
            goto error;
        }
        if (PyList_GET_SIZE(plist) > cap && PyList_SetSlice(plist, 0, 1, NULL) < 0) {
            goto error;
        }
    }
    Py_DECREF(keys);
    Py_RETURN_NONE;
error:
    Py_DECREF(keys);
    return NULL;
}

/* ---- merge_new: kernels.merge_new ------------------------------------------------------
 * dst.setdefault(k, v) for each item of src, while dst has fewer than cap items. */
static PyObject *
sp_merge_new(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 3, "merge_new(dst, src, cap)") < 0) {
        return NULL;
    }
    PyObject *dst = args[0], *src = args[1];
    if (check_dict(dst, "dst") < 0 || check_dict(src, "src") < 0) {
        return NULL;
    }
    Py_ssize_t cap;
    if (to_index(args[2], &cap) < 0) {
        return NULL;
    }
    if (dst == src) {
        Py_RETURN_NONE; /* every key is there already */
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(src, &pos, &key, &value)) {
        if (PyDict_GET_SIZE(dst) >= cap) {
            break;
        }
        if (PyDict_SetDefault(dst, key, value) == NULL) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* ---- shingle_jaccards: kernels.shingle_jaccards ----------------------------------------
 * Jaccard similarity of the set of word 3-grams of a token list with each other's. Each list's distinct
 * 3-grams go into an open-addressing table keyed by a hash of the three words' (cached)
 * str hashes; equal hashes are confirmed by comparing the words, so the sets are exact. */
typedef struct {
    Py_hash_t h;
    Py_ssize_t at; /* index of the 3-gram's first word; -1: empty slot */
} Gram;

static inline Py_hash_t
gram_hash(const Py_hash_t *wh, Py_ssize_t i)
{
    Py_uhash_t x = (Py_uhash_t)wh[i];
    x = x * 1000003u ^ (Py_uhash_t)wh[i + 1];
    x = x * 1000003u ^ (Py_uhash_t)wh[i + 2];
    return (Py_hash_t)x;
}

/* Are the 3-grams at words[i] and other[j] the same words? -1 on error. */
static int
gram_equal(PyObject **words, Py_ssize_t i, PyObject **other, Py_ssize_t j)
{
    for (int k = 0; k < 3; k++) {
        PyObject *x = words[i + k], *y = other[j + k];
        if (x != y) {
            int eq = PyUnicode_Compare(x, y);
            if (eq == -1 && PyErr_Occurred()) {
                return -1;
            }
            if (eq != 0) {
                return 0;
            }
        }
    }
    return 1;
}

/* Find the 3-gram at words[i] (hash h) in table; insert it if absent and `insert`.
 * Returns 1 if it was there, 0 if not, -1 on error. */
static int
gram_find(Gram *table, size_t mask, PyObject **table_words, Py_hash_t h, PyObject **words,
          Py_ssize_t i, int insert)
{
    size_t s = (size_t)h & mask;
    while (table[s].at != -1) {
        if (table[s].h == h) {
            int eq = gram_equal(table_words, table[s].at, words, i);
            if (eq != 0) {
                return eq;
            }
        }
        s = (s + 1) & mask;
    }
    if (insert) {
        table[s].h = h;
        table[s].at = i;
    }
    return 0;
}

/* The str hashes of a token list's words; NULL on error (TypeError for a non-str). */
static Py_hash_t *
word_hashes(PyObject **words, Py_ssize_t n)
{
    Py_hash_t *wh = PyMem_New(Py_hash_t, n > 0 ? n : 1);
    if (wh == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyUnicode_CheckExact(words[i])) {
            PyErr_SetString(PyExc_TypeError, "tokens must be str");
            PyMem_Free(wh);
            return NULL;
        }
        wh[i] = PyObject_Hash(words[i]);
        if (wh[i] == -1 && PyErr_Occurred()) {
            PyMem_Free(wh);
            return NULL;
        }
    }
    return wh;
}

/* Fill an empty table (cap slots) with the distinct 3-grams of words (n3 of them, hashes
 * wh); their count, or -1 on error. */
static Py_ssize_t
gram_table(Gram *table, size_t cap, PyObject **words, const Py_hash_t *wh, Py_ssize_t n3)
{
    for (size_t s = 0; s < cap; s++) {
        table[s].at = -1;
    }
    Py_ssize_t size = 0;
    for (Py_ssize_t i = 0; i < n3; i++) {
        int found = gram_find(table, cap - 1, words, gram_hash(wh, i), words, i, 1);
        if (found < 0) {
            return -1;
        }
        size += !found;
    }
    return size;
}

static size_t
gram_cap(Py_ssize_t n3)
{
    size_t cap = 8;
    while (n3 > 0 && cap < 2 * (size_t)n3) {
        cap *= 2;
    }
    return cap;
}

static PyObject *
sp_shingle_jaccards(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "shingle_jaccards(a, others)") < 0) {
        return NULL;
    }
    PyObject *a, *others;
    if (two_sequences(args, &a, &others) < 0) {
        return NULL;
    }
    PyObject *out = NULL, *b = NULL;
    Py_hash_t *ha = NULL, *hb = NULL;
    Gram *ta = NULL, *tb = NULL;
    PyObject **wa = PySequence_Fast_ITEMS(a);
    Py_ssize_t na = PySequence_Fast_GET_SIZE(a) - 2, size_a = 0;
    size_t cap_a = gram_cap(na);
    if (na > 0) { /* a's 3-grams, once for all the others */
        ha = word_hashes(wa, na + 2);
        ta = ha == NULL ? NULL : PyMem_New(Gram, cap_a);
        if (ta == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_NoMemory();
            }
            goto done;
        }
        size_a = gram_table(ta, cap_a, wa, ha, na);
        if (size_a < 0) {
            goto done;
        }
    }
    Py_ssize_t n_others = PySequence_Fast_GET_SIZE(others);
    out = PyList_New(n_others);
    if (out == NULL) {
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_others; k++) {
        b = PySequence_Fast(PySequence_Fast_GET_ITEM(others, k), "others must hold sequences");
        if (b == NULL) {
            goto error;
        }
        PyObject **wb = PySequence_Fast_ITEMS(b);
        Py_ssize_t nb = PySequence_Fast_GET_SIZE(b) - 2;
        double sim = 0.0; /* no 3-grams on one side */
        if (na > 0 && nb > 0) {
            size_t cap_b = gram_cap(nb);
            PyMem_Free(hb);
            PyMem_Free(tb);
            hb = word_hashes(wb, nb + 2);
            tb = hb == NULL ? NULL : PyMem_New(Gram, cap_b);
            if (tb == NULL) {
                if (!PyErr_Occurred()) {
                    PyErr_NoMemory();
                }
                goto error;
            }
            for (size_t s = 0; s < cap_b; s++) {
                tb[s].at = -1;
            }
            Py_ssize_t size_b = 0, inter = 0;
            for (Py_ssize_t j = 0; j < nb; j++) {
                Py_hash_t h = gram_hash(hb, j);
                int found = gram_find(tb, cap_b - 1, wb, h, wb, j, 1);
                if (found == 0) { /* a new 3-gram of b: is it one of a's? */
                    size_b++;
                    found = gram_find(ta, cap_a - 1, wa, h, wb, j, 0);
                    inter += found > 0;
                }
                if (found < 0) {
                    goto error;
                }
            }
            sim = (double)inter / (double)(size_a + size_b - inter);
        }
        Py_CLEAR(b);
        PyObject *x = PyFloat_FromDouble(sim);
        if (x == NULL) {
            goto error;
        }
        PyList_SET_ITEM(out, k, x);
    }
    goto done;
error:
    Py_CLEAR(out);
done:
    Py_XDECREF(b);
    Py_DECREF(a);
    Py_DECREF(others);
    PyMem_Free(ha);
    PyMem_Free(hb);
    PyMem_Free(ta);
    PyMem_Free(tb);
    return out;
}

/* ---- sublinear: kernels.sublinear ------------------------------------------------------
 * A new dict, same keys in the same order: w > 1.0 becomes 1.0 + log(w), the rest stay. */
static PyObject *
sp_sublinear(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 1, "sublinear(terms)") < 0) {
        return NULL;
    }
    PyObject *terms = args[0];
    if (check_dict(terms, "terms") < 0) {
        return NULL;
    }
    PyObject *out = PyDict_New();
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(terms, &pos, &key, &value)) {
        double w;
        if (to_double(value, &w) < 0) {
            goto error;
        }
        PyObject *x = PyFloat_FromDouble(w > 1.0 ? 1.0 + log(w) : w);
        if (x == NULL) {
            goto error;
        }
        int rc = PyDict_SetItem(out, key, x);
        Py_DECREF(x);
        if (rc < 0) {
            goto error;
        }
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

/* ---- find_dates, find_weekdays: kernels.find_dates, kernels.find_weekdays --------------
 * Hand-written matchers for the regexes kernels.DATE_ANY and kernels.WEEKDAY, scanning as
 * finditer does: at each position from the left try the pattern; after a match go on from
 * its end. For a str pattern the re module reads \s as str.isspace(), \d as str.isdecimal()
 * and \b as a change between "word" (str.isalnum() or "_") and not. Where a pattern could
 * backtrack, the comments say why the first (greedy) choice is the only one that can match:
 * so each matcher takes it and fails otherwise. */
typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Text;

static inline Py_UCS4
ch(const Text *t, Py_ssize_t i)
{
    return i < t->n ? PyUnicode_READ(t->kind, t->data, i) : 0;
}

static inline int
is_word_at(const Text *t, Py_ssize_t i)
{
    if (i < 0 || i >= t->n) {
        return 0;
    }
    Py_UCS4 c = PyUnicode_READ(t->kind, t->data, i);
    if (c < 128) { /* str.isalnum() of an ASCII character, without the Unicode tables */
        return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z');
    }
    return Py_UNICODE_ISALNUM(c);
}

/* \b at position i */
static inline int
boundary(const Text *t, Py_ssize_t i)
{
    return t->n > 0 && is_word_at(t, i - 1) != is_word_at(t, i);
}

static inline int
space_at(const Text *t, Py_ssize_t i)
{
    return i < t->n && Py_UNICODE_ISSPACE(PyUnicode_READ(t->kind, t->data, i));
}

static inline int
decimal_at(const Text *t, Py_ssize_t i)
{
    return i < t->n && Py_UNICODE_ISDECIMAL(PyUnicode_READ(t->kind, t->data, i));
}

/* Does the ASCII string s stand at position i? */
static int
literal_at(const Text *t, Py_ssize_t i, const char *s)
{
    for (; *s; s++, i++) {
        if (i >= t->n || PyUnicode_READ(t->kind, t->data, i) != (Py_UCS4)(unsigned char)*s) {
            return 0;
        }
    }
    return 1;
}

/* \s+ from i: the end of the run of spaces, or -1 if there is none. */
static Py_ssize_t
spaces(const Text *t, Py_ssize_t i)
{
    if (!space_at(t, i)) {
        return -1;
    }
    while (space_at(t, i)) {
        i++;
    }
    return i;
}

/* MONTH_NAMES_RE at i: the end of the month name, or -1. One alternative at most can match
 * (their first three letters differ), and it takes its optional endings greedily. A shorter
 * form would leave a letter next, which nothing after a month in DATE_ANY accepts (\.?\s+
 * after md_m) or changes nothing (after dm_m all is optional and the longest comes first). */
static Py_ssize_t
month(const Text *t, Py_ssize_t i)
{
    static const struct {
        const char *head, *tail;
    } months[] = {
        {"Jan", "uary"}, {"Feb", "ruary"}, {"Mar", "ch"}, {"Apr", "il"},  {"May", ""},
        {"Jun", "e"},    {"Jul", "y"},     {"Aug", "ust"}, {"Sep", NULL}, {"Oct", "ober"},
        {"Nov", "ember"}, {"Dec", "ember"},
    };
    for (size_t m = 0; m < sizeof(months) / sizeof(months[0]); m++) {
        if (!literal_at(t, i, months[m].head)) {
            continue;
        }
        Py_ssize_t e = i + 3;
        if (months[m].tail == NULL) { /* Sept?(?:ember)? */
            if (literal_at(t, e, "t")) {
                e++;
            }
            if (literal_at(t, e, "ember")) {
                e += 5;
            }
        }
        else if (literal_at(t, e, months[m].tail)) {
            e += (Py_ssize_t)strlen(months[m].tail);
        }
        return e;
    }
    return -1;
}

/* \d{1,2}(?:st|nd|rd|th)? at i: the end, or -1; *digits_end gets the end of the digits.
 * Two digits when there are two: one would leave a digit next, which neither what follows
 * in DATE_ANY (\b, \s+) nor the suffix accepts. The suffix when present: without it a
 * letter would come next, which \b (after two word characters) and \s+ refuse alike. */
static Py_ssize_t
day(const Text *t, Py_ssize_t i, Py_ssize_t *digits_end)
{
    if (!decimal_at(t, i)) {
        return -1;
    }
    Py_ssize_t e = decimal_at(t, i + 1) ? i + 2 : i + 1;
    *digits_end = e;
    if (literal_at(t, e, "st") || literal_at(t, e, "nd") || literal_at(t, e, "rd") ||
        literal_at(t, e, "th")) {
        e += 2;
    }
    return e;
}

/* (?:,?\s+(\d{4}))? at i: the end (i when absent) and the year's span. \s+ takes all the
 * spaces (a space is no digit); a comma not followed by spaces and four digits is not taken
 * either (without it the group would have to start with \s+ at the comma). */
static Py_ssize_t
year(const Text *t, Py_ssize_t i, Py_ssize_t *ys)
{
    Py_ssize_t j = i + (literal_at(t, i, ",") ? 1 : 0);
    j = spaces(t, j);
    if (j < 0 || !decimal_at(t, j) || !decimal_at(t, j + 1) || !decimal_at(t, j + 2) ||
        !decimal_at(t, j + 3)) {
        *ys = -1;
        return i;
    }
    *ys = j;
    return j + 4;
}

/* The groups of one DATE_ANY match: 9 (start, end) spans, -1 for a group that took no
 * part. Returns the match end, or -1 if DATE_ANY does not match at p. */
static Py_ssize_t
date_at(const Text *t, Py_ssize_t p, Py_ssize_t g[9][2])
{
    for (int k = 0; k < 9; k++) {
        g[k][0] = g[k][1] = -1;
    }
    Py_UCS4 c = ch(t, p);
    if (c != 0 && c < 128 && strchr("JFMASOND", (int)c) != NULL) {
        /* (?P<md_m>MONTH)\.?\s+(?P<md_d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<md_y>\d{4}))? */
        Py_ssize_t e = month(t, p);
        if (e < 0) {
            return -1;
        }
        g[0][0] = p;
        g[0][1] = e;
        if (literal_at(t, e, ".")) { /* \.? : without it \s+ would face the dot */
            e++;
        }
        Py_ssize_t d = spaces(t, e);
        if (d < 0) {
            return -1;
        }
        Py_ssize_t digits_end;
        e = day(t, d, &digits_end);
        if (e < 0 || !boundary(t, e)) {
            return -1;
        }
        g[1][0] = d;
        g[1][1] = digits_end;
        Py_ssize_t ys;
        e = year(t, e, &ys);
        if (ys >= 0) {
            g[2][0] = ys;
            g[2][1] = ys + 4;
        }
        return e;
    }
    if (c < '0' || c > '9' || !boundary(t, p)) {
        return -1;
    }
    /* \b(?P<dm_d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>MONTH)\.?(?:,?\s+(?P<dm_y>\d{4}))? */
    Py_ssize_t digits_end;
    Py_ssize_t e = day(t, p, &digits_end);
    Py_ssize_t m = e < 0 ? -1 : spaces(t, e);
    if (m >= 0 && literal_at(t, m, "of") && spaces(t, m + 2) >= 0) {
        m = spaces(t, m + 2); /* "of" taken: no month name starts with "o" */
    }
    Py_ssize_t me = m < 0 ? -1 : month(t, m);
    if (me >= 0) {
        g[3][0] = p;
        g[3][1] = digits_end;
        g[4][0] = m;
        g[4][1] = me;
        if (literal_at(t, me, ".")) {
            me++;
        }
        Py_ssize_t ys;
        e = year(t, me, &ys);
        if (ys >= 0) {
            g[5][0] = ys;
            g[5][1] = ys + 4;
        }
        return e;
    }
    /* \b(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>\d\d)-(?P<iso_d>\d\d)\b */
    if ((literal_at(t, p, "19") || literal_at(t, p, "20")) && decimal_at(t, p + 2) &&
        decimal_at(t, p + 3) && literal_at(t, p + 4, "-") && decimal_at(t, p + 5) &&
        decimal_at(t, p + 6) && literal_at(t, p + 7, "-") && decimal_at(t, p + 8) &&
        decimal_at(t, p + 9) && boundary(t, p + 10)) {
        g[6][0] = p;
        g[6][1] = p + 4;
        g[7][0] = p + 5;
        g[7][1] = p + 7;
        g[8][0] = p + 8;
        g[8][1] = p + 10;
        return p + 10;
    }
    return -1;
}

static int
text_init(PyObject *const *args, Py_ssize_t nargs, const char *call, Text *t)
{
    if (arity(nargs, 1, call) < 0) {
        return -1;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "text must be a str, not %.100s", Py_TYPE(text)->tp_name);
        return -1;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return -1;
    }
#endif
    t->kind = PyUnicode_KIND(text);
    t->data = PyUnicode_DATA(text);
    t->n = PyUnicode_GET_LENGTH(text);
    return 0;
}

/* Append (start, value) to out; value is stolen. -1 on error. */
static int
append_found(PyObject *out, Py_ssize_t start, PyObject *value)
{
    if (value == NULL) {
        return -1;
    }
    PyObject *pos = PyLong_FromSsize_t(start);
    if (pos == NULL) {
        Py_DECREF(value);
        return -1;
    }
    PyObject *pair = PyTuple_Pack(2, pos, value);
    Py_DECREF(pos);
    Py_DECREF(value);
    if (pair == NULL) {
        return -1;
    }
    int rc = PyList_Append(out, pair);
    Py_DECREF(pair);
    return rc;
}

/* A matcher: what to report for a match at p (a new reference) with *end set to its end;
 * NULL without an exception where the pattern does not match at p, with one on error. */
typedef PyObject *(*Matcher)(const Text *t, PyObject *text, Py_ssize_t p, Py_ssize_t *end);

/* The ASCII characters a match can start with (DATE_ANY's and WEEKDAY's lookaheads): scan
 * skips any other position without calling the matcher, which would refuse it. */
static const unsigned char date_starts[128] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1, ['J'] = 1, ['F'] = 1, ['M'] = 1, ['A'] = 1,
    ['S'] = 1, ['O'] = 1, ['N'] = 1, ['D'] = 1,
};
static const unsigned char weekday_starts[128] = {
    ['o'] = 1, ['l'] = 1, ['e'] = 1, ['t'] = 1, ['O'] = 1, ['L'] = 1, ['E'] = 1, ['T'] = 1,
};

/* finditer's scan: [(start, what match reports), ...] for text = args[0]; a match starts
 * only where `starts` has the (ASCII) character. */
static PyObject *
scan(PyObject *const *args, Py_ssize_t nargs, const char *call, Matcher match,
     const unsigned char *starts)
{
    Text t;
    if (text_init(args, nargs, call, &t) < 0) {
        return NULL;
    }
    PyObject *out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    Py_ssize_t p = 0;
    while (p < t.n) {
        Py_UCS4 c = PyUnicode_READ(t.kind, t.data, p);
        if (c >= 128 || !starts[c]) {
            p++;
            continue;
        }
        Py_ssize_t end = -1;
        PyObject *found = match(&t, args[0], p, &end);
        if (found == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(out);
                return NULL;
            }
            p++;
            continue;
        }
        if (append_found(out, p, found) < 0) {
            Py_DECREF(out);
            return NULL;
        }
        p = end;
    }
    return out;
}

/* DATE_ANY at p: its nine groups. */
static PyObject *
date_match(const Text *t, PyObject *text, Py_ssize_t p, Py_ssize_t *end)
{
    Py_ssize_t g[9][2];
    *end = date_at(t, p, g);
    if (*end < 0) {
        return NULL;
    }
    PyObject *groups = PyTuple_New(9);
    if (groups == NULL) {
        return NULL;
    }
    for (int k = 0; k < 9; k++) {
        PyObject *v =
            g[k][0] < 0 ? Py_NewRef(Py_None) : PyUnicode_Substring(text, g[k][0], g[k][1]);
        if (v == NULL) {
            Py_DECREF(groups);
            return NULL;
        }
        PyTuple_SET_ITEM(groups, k, v);
    }
    return groups;
}

static PyObject *
sp_find_dates(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return scan(args, nargs, "find_dates(text)", date_match, date_starts);
}

/* WEEKDAY: (?=[oletOLET])\b(?:[Oo]n|[Ll]ate|[Ee]arly|[Ll]ast|[Tt]his)\s+(DAYNAME)\b, at p:
 * the weekday. The lead words differ by their first two letters, and no weekday name is
 * the start of another, so at most one way through can match. */
static PyObject *
weekday_match(const Text *t, PyObject *text, Py_ssize_t p, Py_ssize_t *end)
{
    static const char *leads[] = {"n", "ate", "arly", "ast", "his"}; /* after the first letter */
    static const char firsts[] = "oleltOLELT";                     /* lower, then upper */
    static const char *names[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                  "Friday", "Saturday", "Sunday"};
    Py_UCS4 c = ch(t, p);
    if (c == 0 || c >= 128 || !weekday_starts[c]) {
        return NULL;
    }
    Py_ssize_t e = -1;
    for (int k = 0; k < 5 && e < 0; k++) {
        if ((c == (Py_UCS4)firsts[k] || c == (Py_UCS4)firsts[k + 5]) &&
            literal_at(t, p + 1, leads[k])) {
            e = p + 1 + (Py_ssize_t)strlen(leads[k]);
        }
    }
    if (e < 0 || !boundary(t, p)) { /* the \b last: most letters start no lead word */
        return NULL;
    }
    Py_ssize_t w = spaces(t, e);
    for (int k = 0; w >= 0 && k < 7; k++) {
        Py_ssize_t len = (Py_ssize_t)strlen(names[k]);
        if (literal_at(t, w, names[k]) && boundary(t, w + len)) {
            *end = w + len;
            return PyUnicode_FromString(names[k]);
        }
    }
    return NULL;
}

static PyObject *
sp_find_weekdays(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    return scan(args, nargs, "find_weekdays(text)", weekday_match, weekday_starts);
}

/* ---- first_stems: kernels.first_stems --------------------------------------------------
 * The first `limit` (at least one) true values of memo[t] for the tokens, in order; at the
 * first token memo lacks, learn(tokens) is called once to add what is missing. */
static PyObject *
sp_first_stems(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "first_stems(tokens, memo, learn, limit)") < 0) {
        return NULL;
    }
    PyObject *memo = args[1], *learn = args[2];
    Py_ssize_t limit;
    if (check_dict(memo, "memo") < 0 || to_index(args[3], &limit) < 0) {
        return NULL;
    }
    if (limit < 1) {
        limit = 1;
    }
    PyObject *tokens, *out;
    if (sequence_and_list(args[0], "tokens must be a sequence", &tokens, &out) < 0) {
        return NULL;
    }
    int learned = 0;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(tokens);
    for (Py_ssize_t i = 0; i < n && PyList_GET_SIZE(out) < limit; i++) {
        PyObject *tok = PySequence_Fast_GET_ITEM(tokens, i);
        PyObject *value = PyDict_GetItemWithError(memo, tok);
        if (value == NULL && !PyErr_Occurred() && !learned) {
            learned = 1;
            PyObject *list = PySequence_List(tokens);
            PyObject *r = list == NULL ? NULL : PyObject_CallOneArg(learn, list);
            Py_XDECREF(list);
            if (r == NULL) {
                goto error;
            }
            Py_DECREF(r);
            value = PyDict_GetItemWithError(memo, tok);
        }
        if (value == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetObject(PyExc_KeyError, tok);
            }
            goto error;
        }
        Py_INCREF(value);
        int keep = PyObject_IsTrue(value);
        int rc = keep > 0 ? PyList_Append(out, value) : keep;
        Py_DECREF(value);
        if (rc < 0) {
            goto error;
        }
    }
    Py_DECREF(tokens);
    return out;
error:
    Py_DECREF(tokens);
    Py_DECREF(out);
    return NULL;
}

/* ---- purge: kernels.purge --------------------------------------------------------------
 * Each postings list keeps the indexes i with a true alive[i] (in place); terms whose list
 * is left empty are deleted after the pass (deleting while iterating a dict is not safe). */
static PyObject *
sp_purge(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "purge(postings, alive)") < 0) {
        return NULL;
    }
    PyObject *postings = args[0];
    if (check_dict(postings, "postings") < 0) {
        return NULL;
    }
    PyObject *alive, *empty;
    if (sequence_and_list(args[1], "alive must be a sequence", &alive, &empty) < 0) {
        return NULL;
    }
    Py_ssize_t n_alive = PySequence_Fast_GET_SIZE(alive);
    Py_ssize_t pos = 0;
    PyObject *key, *plist;
    while (PyDict_Next(postings, &pos, &key, &plist)) {
        if (!PyList_CheckExact(plist)) {
            PyErr_SetString(PyExc_TypeError, "postings values must be lists");
            goto error;
        }
        Py_ssize_t len = PyList_GET_SIZE(plist), kept = 0;
        for (Py_ssize_t j = 0; j < len; j++) {
            PyObject *item = PyList_GET_ITEM(plist, j);
            Py_ssize_t idx;
            if (to_index(item, &idx) < 0) {
                goto error;
            }
            if (idx < 0) {
                idx += n_alive; /* as alive[idx] reads a negative index */
            }
            if (idx < 0 || idx >= n_alive) {
                PyErr_SetString(PyExc_IndexError, "story index out of range");
                goto error;
            }
            int live = PyObject_IsTrue(PySequence_Fast_GET_ITEM(alive, idx));
            if (live < 0) {
                goto error;
            }
            if (live) { /* move it down to the kept prefix; the list owns it either way */
                PyObject *tmp = PyList_GET_ITEM(plist, kept);
                PyList_SET_ITEM(plist, kept, item);
                PyList_SET_ITEM(plist, j, tmp);
                kept++;
            }
        }
        if (PyList_SetSlice(plist, kept, len, NULL) < 0) {
            goto error;
        }
        if (kept == 0 && PyList_Append(empty, key) < 0) {
            goto error;
        }
    }
    for (Py_ssize_t t = 0; t < PyList_GET_SIZE(empty); t++) {
        if (PyDict_DelItem(postings, PyList_GET_ITEM(empty, t)) < 0) {
            goto error;
        }
    }
    Py_DECREF(alive);
    Py_DECREF(empty);
    Py_RETURN_NONE;
error:
    Py_DECREF(alive);
    Py_DECREF(empty);
    return NULL;
}

/* ---- boost_names: kernels.boost_names --------------------------------------------------
 * For each (key, w) of caps: drop key from names if lower_seen has it, else
 * terms[key] += w * boost (terms must have it, as in Python). */
static PyObject *
sp_boost_names(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 5, "boost_names(terms, caps, lower_seen, names, boost)") < 0) {
        return NULL;
    }
    PyObject *terms = args[0], *caps = args[1], *lower_seen = args[2], *names = args[3];
    double boost;
    if (check_dict(terms, "terms") < 0 || check_dict(caps, "caps") < 0 ||
        check_dict(names, "names") < 0 || to_double(args[4], &boost) < 0) {
        return NULL;
    }
    if (!PyAnySet_Check(lower_seen)) {
        PyErr_SetString(PyExc_TypeError, "lower_seen must be a set");
        return NULL;
    }
    if (caps == terms || caps == names) {
        PyErr_SetString(PyExc_ValueError, "caps must be a dict of its own");
        return NULL;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(caps, &pos, &key, &value)) {
        int seen = PySet_Contains(lower_seen, key);
        if (seen < 0) {
            return NULL;
        }
        if (seen) {
            if (PyDict_DelItem(names, key) < 0) { /* names.pop(key, None) */
                if (!PyErr_ExceptionMatches(PyExc_KeyError)) {
                    return NULL;
                }
                PyErr_Clear();
            }
            continue;
        }
        double w;
        if (to_double(value, &w) < 0) {
            return NULL;
        }
        PyObject *old = PyDict_GetItemWithError(terms, key);
        if (old == NULL) {
            if (!PyErr_Occurred()) {
                PyErr_SetObject(PyExc_KeyError, key);
            }
            return NULL;
        }
        if (add_weight(terms, key, w * boost) < 0) {
            return NULL;
        }
    }
    Py_RETURN_NONE;
}

/* ---- closest_stories: kernels.closest_stories ------------------------------------------
 * Of the candidate indexes into stories, those whose story.active is true, by
 * -dot(vec, story.centroid) / (story.norm or 1.0) ascending, ties by the lower index; each
 * one's dot product stored in dots[idx]. Attribute names are interned once (module init). */
static PyObject *str_active, *str_centroid, *str_norm;

typedef struct {
    double key;
    Py_ssize_t idx;
    PyObject *obj; /* the candidate's int, borrowed from the held candidates sequence */
} Close;

static PyObject *
sp_closest_stories(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 4, "closest_stories(vec, stories, candidates, dots)") < 0) {
        return NULL;
    }
    PyObject *vec = args[0], *stories = args[1], *dots = args[3];
    if (check_dict(vec, "vec") < 0 || check_dict(dots, "dots") < 0) {
        return NULL;
    }
    PyObject *cands = PySequence_Fast(args[2], "candidates must be a sequence");
    if (cands == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(cands), m = 0;
    Close *buf = PyMem_New(Close, n > 0 ? n : 1);
    PyObject *out = NULL;
    if (buf == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *obj = PySequence_Fast_GET_ITEM(cands, i);
        Py_ssize_t idx;
        if (to_index(obj, &idx) < 0) {
            goto done;
        }
        PyObject *story = PySequence_GetItem(stories, idx);
        if (story == NULL) {
            goto done;
        }
        PyObject *attr = PyObject_GetAttr(story, str_active);
        int active = attr == NULL ? -1 : PyObject_IsTrue(attr);
        Py_XDECREF(attr);
        if (active <= 0) {
            Py_DECREF(story);
            if (active < 0) {
                goto done;
            }
            continue;
        }
        double dot, norm;
        PyObject *centroid = PyObject_GetAttr(story, str_centroid);
        if (centroid == NULL || check_dict(centroid, "centroid") < 0 ||
            dot_impl(vec, centroid, &dot) < 0) {
            Py_XDECREF(centroid);
            Py_DECREF(story);
            goto done;
        }
        Py_DECREF(centroid);
        PyObject *value = PyFloat_FromDouble(dot);
        int rc = value == NULL ? -1 : PyDict_SetItem(dots, obj, value);
        Py_XDECREF(value);
        attr = rc < 0 ? NULL : PyObject_GetAttr(story, str_norm);
        Py_DECREF(story);
        if (attr == NULL) {
            goto done;
        }
        rc = to_double(attr, &norm);
        Py_DECREF(attr);
        if (rc < 0) {
            goto done;
        }
        double key = -dot / (norm != 0.0 ? norm : 1.0);
        if (isnan(key)) { /* Python would sort it anywhere; this order needs a number */
            PyErr_SetString(PyExc_ValueError, "centroid cosine is not a number");
            goto done;
        }
        /* Insertion by (key, idx): a handful of candidates. */
        Py_ssize_t at = m;
        while (at > 0 &&
               (buf[at - 1].key > key || (buf[at - 1].key == key && buf[at - 1].idx > idx))) {
            buf[at] = buf[at - 1];
            at--;
        }
        buf[at].key = key;
        buf[at].idx = idx;
        buf[at].obj = obj;
        m++;
    }
    out = PyList_New(m);
    if (out == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        Py_INCREF(buf[i].obj);
        PyList_SET_ITEM(out, i, buf[i].obj);
    }
done:
    PyMem_Free(buf);
    Py_DECREF(cands);
    return out;
}

/* ---- count_into: kernels.count_into ----------------------------------------------------
 * counts[k] = counts.get(k, 0) + 1 for each k that iterating keys gives, in order. */
static PyObject *
sp_count_into(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 2, "count_into(counts, keys)") < 0) {
        return NULL;
    }
    PyObject *counts = args[0];
    if (check_dict(counts, "counts") < 0) {
        return NULL;
    }
    PyObject *it = PyObject_GetIter(args[1]);
    if (it == NULL) {
        return NULL;
    }
    PyObject *one = PyLong_FromLong(1);
    if (one == NULL) {
        Py_DECREF(it);
        return NULL;
    }
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        PyObject *old = PyDict_GetItemWithError(counts, key);
        PyObject *count;
        if (old != NULL) {
            Py_INCREF(old);
            count = PyNumber_Add(old, one);
            Py_DECREF(old);
        }
        else if (PyErr_Occurred()) {
            count = NULL;
        }
        else {
            count = one;
            Py_INCREF(count);
        }
        int rc = count == NULL ? -1 : PyDict_SetItem(counts, key, count);
        Py_XDECREF(count);
        Py_DECREF(key);
        if (rc < 0) {
            break;
        }
    }
    Py_DECREF(one);
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ---- shared_names: kernels.shared_names ------------------------------------------------
 * The k keys of names that story_names has too with the highest log(n / (df + 0.5)) over
 * min_idf, ties by key (Ranked and ranked_cmp, as tfidf_vector sorts). */
static PyObject *
sp_shared_names(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 6, "shared_names(names, story_names, df, n, min_idf, k)") < 0) {
        return NULL;
    }
    PyObject *names = args[0], *story_names = args[1], *df = args[2];
    if (check_dict(names, "names") < 0 || check_dict(story_names, "story_names") < 0 ||
        check_dict(df, "df") < 0) {
        return NULL;
    }
    double n, min_idf;
    Py_ssize_t k;
    if (to_double(args[3], &n) < 0 || to_double(args[4], &min_idf) < 0 ||
        to_index(args[5], &k) < 0) {
        return NULL;
    }
    Py_ssize_t size = PyDict_GET_SIZE(names);
    Ranked *ranked = PyMem_New(Ranked, size > 0 ? size : 1);
    if (ranked == NULL) {
        return PyErr_NoMemory();
    }
    /* Keys are held: a str key's hash and comparison run no Python code, but a key of
     * another type is refused before anything is looked up. */
    PyObject *out = NULL;
    Py_ssize_t pos = 0, m = 0;
    PyObject *key, *value;
    while (PyDict_Next(names, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) {
            PyErr_SetString(PyExc_TypeError, "names must have str keys");
            goto done;
        }
        int has = PyDict_Contains(story_names, key);
        if (has < 0) {
            goto done;
        }
        if (!has) {
            continue;
        }
        PyObject *count = PyDict_GetItemWithError(df, key);
        double d = 0.0;
        if (count != NULL ? to_double(count, &d) < 0 : PyErr_Occurred() != NULL) {
            goto done;
        }
        if (d + 0.5 == 0.0) {
            PyErr_SetString(PyExc_ZeroDivisionError, "float division by zero");
            goto done;
        }
        double ratio = n / (d + 0.5);
        if (ratio <= 0.0) {
            PyErr_SetString(PyExc_ValueError, "math domain error"); /* as math.log says */
            goto done;
        }
        double idf = log(ratio);
        if (isnan(idf)) {
            PyErr_SetString(PyExc_ValueError, "idf is not a number");
            goto done;
        }
        if (idf > min_idf) {
            ranked[m].w = idf;
            ranked[m].term = key;
            m++;
        }
    }
    qsort(ranked, (size_t)m, sizeof(Ranked), ranked_cmp);
    if (k < m) {
        m = k < 0 ? 0 : k;
    }
    out = PyList_New(m);
    if (out == NULL) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < m; i++) {
        Py_INCREF(ranked[i].term);
        PyList_SET_ITEM(out, i, ranked[i].term);
    }
done:
    PyMem_Free(ranked);
    return out;
}

/* ---- lower_all: kernels.lower_all ------------------------------------------------------
 * Each token lower-cased. An ASCII str is lowered here (a token with no capital is returned
 * as it is: equal to its lower-cased copy); any other goes through str.lower. */
static PyObject *
sp_lower_all(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (arity(nargs, 1, "lower_all(tokens)") < 0) {
        return NULL;
    }
    PyObject *seq = PySequence_Fast(args[0], "tokens must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject *out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tok = PySequence_Fast_GET_ITEM(seq, i);
        PyObject *low = NULL;
        if (!PyUnicode_Check(tok)) {
            PyErr_Format(PyExc_TypeError, "tokens must be str, not %.100s",
                         Py_TYPE(tok)->tp_name);
            goto error;
        }
        if (PyUnicode_CheckExact(tok) && PyUnicode_IS_ASCII(tok)) {
            const Py_UCS1 *s = PyUnicode_1BYTE_DATA(tok);
            Py_ssize_t len = PyUnicode_GET_LENGTH(tok), first = 0;
            while (first < len && !(s[first] >= 'A' && s[first] <= 'Z')) {
                first++;
            }
            if (first == len) {
                Py_INCREF(tok);
                low = tok;
            }
            else {
                low = PyUnicode_New(len, 127);
                if (low == NULL) {
                    goto error;
                }
                Py_UCS1 *d = PyUnicode_1BYTE_DATA(low);
                for (Py_ssize_t j = 0; j < len; j++) {
                    Py_UCS1 c = s[j];
                    d[j] = (c >= 'A' && c <= 'Z') ? (Py_UCS1)(c + ('a' - 'A')) : c;
                }
            }
        }
        else {
            low = PyObject_CallMethod(tok, "lower", NULL);
            if (low == NULL) {
                goto error;
            }
        }
        PyList_SET_ITEM(out, i, low);
    }
    Py_DECREF(seq);
    return out;
error:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"dot", (PyCFunction)(void (*)(void))sp_dot, METH_FASTCALL,
     "dot(a, b): sparse dot product of two str -> float dicts."},
    {"best_member", (PyCFunction)(void (*)(void))sp_best_member, METH_FASTCALL,
     "best_member(vec, members, min_cos): (highest dot, ids with dot >= min_cos)."},
    {"top_hits", (PyCFunction)(void (*)(void))sp_top_hits, METH_FASTCALL,
     "top_hits(vec, postings, n_terms, k): the k indexes the first terms' postings favour."},
    {"add_into", (PyCFunction)(void (*)(void))sp_add_into, METH_FASTCALL,
     "add_into(dst, src): add the vector src into dst."},
    {"tfidf_vector", (PyCFunction)(void (*)(void))sp_tfidf_vector, METH_FASTCALL,
     "tfidf_vector(terms, df, n, k): the k strongest tf-idf weights, normalised."},
    {"matched", (PyCFunction)(void (*)(void))sp_matched, METH_FASTCALL,
     "matched(a, b, floor): words in difflib's matching blocks of a and b."},
    {"add_tokens", (PyCFunction)(void (*)(void))sp_add_tokens, METH_FASTCALL,
     "add_tokens(...): textfeatures._add_tokens."},
    {"shingle_jaccards", (PyCFunction)(void (*)(void))sp_shingle_jaccards, METH_FASTCALL,
     "shingle_jaccards(a, others): Jaccard similarity of a's word 3-grams with each other's."},
    {"sublinear", (PyCFunction)(void (*)(void))sp_sublinear, METH_FASTCALL,
     "sublinear(terms): 1 + log(w) for each weight w over 1."},
    {"find_dates", (PyCFunction)(void (*)(void))sp_find_dates, METH_FASTCALL,
     "find_dates(text): (start, groups) of each kernels.DATE_ANY match."},
    {"find_weekdays", (PyCFunction)(void (*)(void))sp_find_weekdays, METH_FASTCALL,
     "find_weekdays(text): (start, weekday) of each kernels.WEEKDAY match."},
    {"first_stems", (PyCFunction)(void (*)(void))sp_first_stems, METH_FASTCALL,
     "first_stems(tokens, memo, learn, limit): the first limit true memo[t], in order."},
    {"boost_names", (PyCFunction)(void (*)(void))sp_boost_names, METH_FASTCALL,
     "boost_names(terms, caps, lower_seen, names, boost): settle which words are names."},
    {"tokenize", (PyCFunction)(void (*)(void))sp_tokenize, METH_FASTCALL,
     "tokenize(text, intern=False): the words and numbers of text (kernels.TOKEN)."},
    {"post", (PyCFunction)(void (*)(void))sp_post, METH_FASTCALL,
     "post(postings, vec, n_terms, idx, cap): list story idx under its vector's first terms."},
    {"purge", (PyCFunction)(void (*)(void))sp_purge, METH_FASTCALL,
     "purge(postings, alive): drop gone stories from the postings lists."},
    {"merge_new", (PyCFunction)(void (*)(void))sp_merge_new, METH_FASTCALL,
     "merge_new(dst, src, cap): dst.setdefault(k, v) for src's items while len(dst) < cap."},
    {"closest_stories", (PyCFunction)(void (*)(void))sp_closest_stories, METH_FASTCALL,
     "closest_stories(vec, stories, candidates, dots): active candidates, closest first."},
    {"count_into", (PyCFunction)(void (*)(void))sp_count_into, METH_FASTCALL,
     "count_into(counts, keys): counts[k] += 1 for each of keys (Counter.update)."},
    {"shared_names", (PyCFunction)(void (*)(void))sp_shared_names, METH_FASTCALL,
     "shared_names(names, story_names, df, n, min_idf, k): the k rarest names both have."},
    {"lower_all", (PyCFunction)(void (*)(void))sp_lower_all, METH_FASTCALL,
     "lower_all(tokens): each token lower-cased."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "digests._speedups",
    "Compiled versions of digests.kernels (same results, faster).",
    -1,
    methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (str_active == NULL) {
        str_active = PyUnicode_InternFromString("active");
        str_centroid = PyUnicode_InternFromString("centroid");
        str_norm = PyUnicode_InternFromString("norm");
        if (str_active == NULL || str_centroid == NULL || str_norm == NULL) {
            Py_CLEAR(str_active);
            Py_CLEAR(str_centroid);
            Py_CLEAR(str_norm);
            return NULL;
        }
    }
    return PyModule_Create(&module);
}
