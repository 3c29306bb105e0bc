/*
 * pyext_probe.c - three of the package's calls written as a CPython
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

static PyMethodDef probe_methods[] = {
    {"is_rate_limited", probe_is_rate_limited, METH_VARARGS, NULL},
    {"get_active_rate_limits", probe_get_active_rate_limits, METH_VARARGS,
     NULL},
    {"record_rate_limit_event", probe_record_rate_limit_event, METH_VARARGS,
     NULL},
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
