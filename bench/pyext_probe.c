/*
 * pyext_probe.c - four of the package's calls written as a CPython
 * extension module (_lsprobe), to measure what ctypes costs against C
 * calling the library directly (bench/bench_pyext.py, make bench-python).
 *
 * Each function takes the store's sc_db pointer as an int (the package's
 * GlobalLearningStore._db.value) and does what the package's method does
 * in the library, returning plain Python values; the benchmark builds the
 * same records from them as the package does, so the two sides differ
 * only in how they cross into C.  Not part of the package.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdbool.h>

#include "learnstore.h"

/* The sc_db of an int argument. */
static sc_db *
db_of(PyObject *o)
{
    return (sc_db *)PyLong_AsVoidPtr(o);
}

/* A Python exception of rc and db's message. */
static PyObject *
fail(sc_db *db, int rc)
{
    PyErr_Format(PyExc_RuntimeError, "%s: %s", sc_errstr(rc), sc_errmsg(db));
    return NULL;
}

/* is_rate_limited(db, error_code) -> (bool, float or None) */
static PyObject *
probe_is_rate_limited(PyObject *self, PyObject *args)
{
    PyObject *dbo;
    const char *code;
    bool limited;
    double left;
    sc_db *db;
    int rc;

    (void)self;
    if (!PyArg_ParseTuple(args, "Oz", &dbo, &code))
        return NULL;
    db = db_of(dbo);
    Py_BEGIN_ALLOW_THREADS
    rc = ls_is_rate_limited(db, code, NULL, &limited, &left);
    Py_END_ALLOW_THREADS
    if (rc != SC_OK)
        return fail(db, rc);
    if (!limited || left <= 0)
        return Py_BuildValue("(OO)", Py_False, Py_None);
    return Py_BuildValue("(Od)", Py_True, left);
}

/* The rows of get_active_rate_limits, as tuples appended to a list. */
static int
each_limit(const struct learning_rate_limit_events *r, void *arg)
{
    PyObject *t;
    int rc;

    t = Py_BuildValue("(sszsssd)", r->id, r->error_code, r->model,
                      r->recorded_at, r->expires_at, r->source_job_hash,
                      r->duration_seconds);
    if (t == NULL)
        return 1;
    rc = PyList_Append((PyObject *)arg, t);
    Py_DECREF(t);
    return rc != 0;
}

/* get_active_rate_limits(db) -> [(id, code, model, recorded, expires,
 * job, duration), ...] */
static PyObject *
probe_get_active_rate_limits(PyObject *self, PyObject *args)
{
    PyObject *dbo, *list;
    sc_db *db;
    int rc;

    (void)self;
    if (!PyArg_ParseTuple(args, "O", &dbo))
        return NULL;
    db = db_of(dbo);
    if ((list = PyList_New(0)) == NULL)
        return NULL;
    rc = ls_get_active_rate_limits(db, NULL, each_limit, list);
    if (rc != SC_OK) {
        Py_DECREF(list);
        return PyErr_Occurred() ? NULL : fail(db, rc);
    }
    return list;
}

/* record_rate_limit_event(db, code, seconds, job, model) -> id */
static PyObject *
probe_record_rate_limit_event(PyObject *self, PyObject *args)
{
    PyObject *dbo;
    const char *code, *job, *model;
    char id[LS_UUID_LEN];
    double seconds;
    sc_db *db;
    int rc;

    (void)self;
    if (!PyArg_ParseTuple(args, "Ozdzz", &dbo, &code, &seconds, &job,
                          &model))
        return NULL;
    db = db_of(dbo);
    Py_BEGIN_ALLOW_THREADS
    rc = ls_record_rate_limit_event(db, code, seconds, job, model, id);
    Py_END_ALLOW_THREADS
    if (rc != SC_OK)
        return fail(db, rc);
    return PyUnicode_FromString(id);
}

/* Attribute name of o, kept in keep[*n]: a new reference the caller
 * releases; NULL, with a Python exception set, when it has none or an
 * earlier step failed (o NULL, or an exception pending). */
static PyObject *
attr(PyObject *o, const char *name, PyObject **keep, int *n)
{
    return keep[(*n)++] = o != NULL && !PyErr_Occurred()
        ? PyObject_GetAttrString(o, name) : NULL;
}

/* The UTF-8 text of str s, NULL for None (or with an exception set). */
static const char *
utf8(PyObject *s)
{
    return s == Py_None ? NULL : PyUnicode_AsUTF8(s);
}

/* record_outcome(db, outcome, workspace_path, model) -> id: the package's
 * method with the outcome read by attribute in C (final_status's .value
 * when it has one, timestamp.isoformat()). */
static PyObject *
probe_record_outcome(PyObject *self, PyObject *args)
{
    PyObject *dbo, *oo, *wso, *modelo, *keep[12], *status, *ts, *result;
    PyObject *job, *sheet, *dur, *retries, *first, *rate;
    struct ls_outcome o = { 0 };
    const char *ws, *model;
    char id[LS_UUID_LEN];
    sc_db *db;
    int rc, n = 0, i;

    (void)self;
    if (!PyArg_ParseTuple(args, "OOOO", &dbo, &oo, &wso, &modelo))
        return NULL;
    db = db_of(dbo);
    status = attr(oo, "final_status", keep, &n);
    if (status != NULL && PyObject_HasAttrString(status, "value"))
        status = attr(status, "value", keep, &n);
    ts = attr(oo, "timestamp", keep, &n);
    ts = keep[n++] = ts != NULL ? PyObject_CallMethod(ts, "isoformat", NULL)
                                : NULL;
    job = attr(oo, "job_id", keep, &n);
    sheet = attr(oo, "sheet_id", keep, &n);
    dur = attr(oo, "execution_duration", keep, &n);
    retries = attr(oo, "retry_count", keep, &n);
    first = attr(oo, "success_without_retry", keep, &n);
    rate = attr(oo, "validation_pass_rate", keep, &n);
    result = NULL;
    if (status == NULL || ts == NULL || job == NULL || sheet == NULL
        || dur == NULL || retries == NULL || first == NULL || rate == NULL)
        goto done;
    o.job_id = utf8(job);
    o.sheet_id = utf8(sheet);
    o.status = utf8(status);
    o.started_at = utf8(ts);
    o.duration_seconds = PyFloat_AsDouble(dur);
    o.retry_count = PyLong_AsLongLong(retries);
    o.success_without_retry = PyObject_IsTrue(first) == 1;
    o.validation_pass_rate = PyFloat_AsDouble(rate);
    ws = utf8(wso);
    model = utf8(modelo);
    if (PyErr_Occurred())
        goto done;
    Py_BEGIN_ALLOW_THREADS
    rc = ls_record_outcome(db, &o, ws, model, NULL, 0, id);
    Py_END_ALLOW_THREADS
    result = rc == SC_OK ? PyUnicode_FromString(id) : fail(db, rc);
done:
    for (i = 0; i < n; i++)
        Py_XDECREF(keep[i]);
    return result;
}

static PyMethodDef probe_methods[] = {
    {"is_rate_limited", probe_is_rate_limited, METH_VARARGS, NULL},
    {"get_active_rate_limits", probe_get_active_rate_limits, METH_VARARGS,
     NULL},
    {"record_rate_limit_event", probe_record_rate_limit_event, METH_VARARGS,
     NULL},
    {"record_outcome", probe_record_outcome, METH_VARARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef probe_module = {
    PyModuleDef_HEAD_INIT, "_lsprobe", NULL, -1, probe_methods,
    NULL, NULL, NULL, NULL
};

PyMODINIT_FUNC
PyInit__lsprobe(void)
{
    return PyModule_Create(&probe_module);
}
