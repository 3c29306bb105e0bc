"""The C library underneath: liblearnstore.so loaded with ctypes, the
prototypes of the functions the package calls, the row structures of the
generated bindings and StoreError, which carries an SC_* code and the
library's message.

The library is the file named by $LEARNSTORE_LIBRARY when that is set,
else liblearnstore.so beside this module (where `make python` puts it).

Each of the package's modules declares the prototypes it calls with
declare(), beside the structures of learnstore.h it mirrors.  The rows of
the schema's tables (struct learning_<table>) are not mirrored by hand:
row_struct() lays them out from the descriptor the generator wrote
(learning_<table>_table), so a schema change cannot leave them stale.
"""

import ctypes
import os
import sqlite3
from pathlib import Path

# The SC_* result codes of schemac.h, in enum order.
SC_NAMES = (
    "SC_OK", "SC_NOTFOUND", "SC_CONSTRAINT", "SC_BUSY", "SC_VERSION",
    "SC_NOTADB", "SC_MISUSE", "SC_NOMEM", "SC_IO", "SC_CORRUPT", "SC_ERROR",
)
SC_OK = 0
SC_NOTFOUND = 1
SC_CONSTRAINT = 2
SC_MISUSE = 6
SC_CORRUPT = 9

LS_UUID_LEN = 37        # 36 characters and a NUL
LS_HASH_HEX = 17        # 16 hex digits and a NUL

# The buffers a new id or a hash is written into: made by calling the
# type (create_string_buffer() takes twice as long to make the same).
UuidText = ctypes.c_char * LS_UUID_LEN
HashText = ctypes.c_char * LS_HASH_HEX

# The ranges of a C int and an int64_t.
_INT_MIN, _INT_MAX = -2 ** 31, 2 ** 31 - 1
_I64_MIN, _I64_MAX = -2 ** 63, 2 ** 63 - 1


class StoreError(sqlite3.Error):
    """A call into the learning store failed.

    code is the SC_* number, name its name ("SC_BUSY") and message the
    library's text.  A subclass of sqlite3.Error, which the Python store's
    callers already catch.
    """

    def __init__(self, code, message):
        self.code = code
        self.name = SC_NAMES[code] if 0 <= code < len(SC_NAMES) else \
            "SC_%d" % code
        self.message = message
        super().__init__("%s: %s" % (self.name, message))

    def __reduce__(self):
        # Pickled (a worker's error on its way to multiprocessing's
        # parent) by the two arguments __init__ takes, not by self.args:
        # unpickling from the one formatted text failed in the parent,
        # and Pool.map() waited for the answer for ever.
        return (StoreError, (self.code, self.message))


def library_path():
    """Where the shared library is looked for (see the module's text)."""
    env = os.environ.get("LEARNSTORE_LIBRARY")
    if env:
        return env
    return os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "liblearnstore.so")


def _load():
    path = library_path()
    try:
        return ctypes.CDLL(path)
    except OSError as e:
        raise ImportError(
            "cannot load the learning store's library %s (%s); build it "
            "with `make python`, or name it in LEARNSTORE_LIBRARY"
            % (path, e)) from e


lib = _load()

# Shorthands for prototypes.
db_t = ctypes.c_void_p          # sc_db *
s_t = ctypes.c_char_p           # const char *
i_t = ctypes.c_int
i64_t = ctypes.c_int64
d_t = ctypes.c_double
b_t = ctypes.c_bool
out_t = ctypes.c_char_p         # char out[N], a buffer we pass


def declare(protos):
    """Give each function of protos ({name: (restype, [argtypes])}) its
    prototype."""
    for name, (restype, argtypes) in protos.items():
        f = getattr(lib, name)
        f.restype = restype
        f.argtypes = argtypes


declare({
    "ls_open": (i_t, [ctypes.POINTER(db_t), s_t]),
    "sc_close": (i_t, [db_t]),
    "sc_errmsg": (s_t, [db_t]),
    "sc_errstr": (s_t, [i_t]),
    "sc_clear_all": (i_t, [db_t]),
    "sc_batch_begin": (i_t, [db_t]),
    "sc_batch_commit": (i_t, [db_t]),
    "sc_batch_rollback": (i_t, [db_t]),
    "sc_batch_depth": (i_t, [db_t]),
    "sc_sqlite": (ctypes.c_void_p, [db_t]),
    "ls_hash_job": (i_t, [s_t, s_t, out_t]),
    "ls_hash_workspace": (i_t, [s_t, out_t]),
})

# The C library's free(), for the strings the library mallocs for its
# caller: the process has one malloc, which liblearnstore.so uses too.
_libc = ctypes.CDLL(None)
c_free = _libc.free
c_free.restype = None
c_free.argtypes = [ctypes.c_void_p]


# ---- rows of the schema's tables ----------------------------------------

class _Column(ctypes.Structure):
    """sc_column of schemac.h."""
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("type", ctypes.c_int),
        ("flags", ctypes.c_uint),
        ("offset", ctypes.c_size_t),
        ("has_offset", ctypes.c_size_t),
        ("enum_names", ctypes.c_void_p),
        ("nenum_names", ctypes.c_size_t),
    ]


class _Table(ctypes.Structure):
    """The leading members of sc_table of schemac.h."""
    _fields_ = [
        ("schema", ctypes.c_void_p),
        ("name", ctypes.c_char_p),
        ("columns", ctypes.POINTER(_Column)),
        ("ncolumns", ctypes.c_size_t),
        ("row_size", ctypes.c_size_t),
    ]


# sc_type -> the C member's ctypes type.  SC_T_BLOB and SC_T_ENUM do not
# occur in the learning schema; a column of either is refused below.
_CTYPES = {0: ctypes.c_int64, 1: ctypes.c_double, 2: ctypes.c_char_p,
           4: ctypes.c_bool, 5: ctypes.c_char_p}
# How row_values() reads a member of each sc_type.
_KINDS = {2: "text", 4: "bool", 5: "text"}


def row_struct(table):
    """The ctypes Structure of struct learning_<table>, laid out member by
    member at the offsets learning_<table>_table records (padding where
    C pads), its size checked against the descriptor's.  Its class
    attribute columns lists (name, has-flag name or None, is-bool)."""
    t = _Table.in_dll(lib, "learning_%s_table" % table)
    members = []
    columns = []
    for k in range(t.ncolumns):
        c = t.columns[k]
        name = c.name.decode("ascii")
        if c.type not in _CTYPES:
            raise ImportError("column %s.%s has a type (%d) the package "
                              "cannot read" % (table, name, c.type))
        members.append((c.offset, name, _CTYPES[c.type]))
        has = None
        if c.has_offset:
            has = "has_" + name
            members.append((c.has_offset, has, ctypes.c_bool))
        columns.append((name, has, _KINDS.get(c.type, "number")))
    fields = []
    at = 0
    for offset, name, ctype in sorted(members, key=lambda m: m[0]):
        if offset > at:
            fields.append(("_pad%d" % at, ctypes.c_ubyte * (offset - at)))
        fields.append((name, ctype))
        at = offset + ctypes.sizeof(ctype)
    if t.row_size > at:
        fields.append(("_pad%d" % at, ctypes.c_ubyte * (t.row_size - at)))
    cls = type("learning_" + table, (ctypes.Structure,),
               {"_pack_": 1, "_fields_": fields, "columns": columns})
    if ctypes.sizeof(cls) != t.row_size:
        raise ImportError("struct learning_%s: %d bytes laid out, the "
                          "library's are %d" % (table, ctypes.sizeof(cls),
                                                t.row_size))
    cls.each = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(cls),
                                ctypes.c_void_p)
    cls.values = _values_function(columns)
    cls.free = getattr(lib, "learning_%s_free" % table)
    cls.free.restype = None
    cls.free.argtypes = [ctypes.POINTER(cls)]
    return cls


def row_values(row):
    """A dict of the columns of a row_struct() row: text decoded, a NULL
    (a NULL pointer, or its has_ flag false) as None, booleans as bool.
    Text that is not UTF-8 raises not_utf8()."""
    try:
        return row.values()
    except UnicodeDecodeError as e:
        raise not_utf8(e) from e


def _values_function(columns):
    """The function row_values() calls for rows of these columns, written
    out member by member: reading a ctypes structure is the cost of every
    row a listing hands to Python, and a loop over the columns with
    getattr() doubles it.  The names are the descriptor's C identifiers,
    checked before they are written into the source."""
    src = ["def values(r):"]
    items = []
    for name, has, kind in columns:
        if not name.isidentifier() or name.startswith("_"):
            raise ImportError("column name %r is not a plain identifier"
                              % name)
        if kind == "text":
            # A NULL pointer reads as None; read it once.
            src.append("    %s = r.%s" % (name, name))
            value = "None if %s is None else %s.decode()" % (name, name)
        else:
            value = ("bool(r.%s)" if kind == "bool" else "r.%s") % name
            if has is not None:
                value = "(%s if r.%s else None)" % (value, has)
        items.append("        %r: %s," % (name, value))
    src += ["    return {"] + items + ["    }"]
    scope = {}
    exec("\n".join(src), scope)
    return scope["values"]


# ---- values between Python and C ----------------------------------------

def text(value):
    """A Python str (or None) as the bytes (or NULL) C takes; a path
    (os.PathLike) in the file system's encoding, anything else as its
    str()."""
    if type(value) is str:      # the common case, before the ABC check
        return value.encode("utf-8")
    if value is None:
        return None
    return os.fsencode(value) if isinstance(value, os.PathLike) \
        else str(value).encode("utf-8")


def path_text(path):
    """A workspace path as the bytes C resolves: a str as it is (the
    library resolves it as Path(path).resolve() does, spelling included;
    building the Path was a sixth of recording an outcome), anything else
    through Path(), which refuses what the Python store's Path() refuses.
    A NUL, which C would read as the path's end, is refused as
    Path.resolve() refuses it; a str that is not UTF-8 (lone surrogates)
    raises as the Python store's hashing of its text does."""
    if type(path) is not str:
        path = str(Path(path))
    if "\0" in path:
        raise ValueError("embedded null byte")
    return path.encode("utf-8")


# The array text_array() hands over for no items (C reads none of it):
# making one per call was 2,900 of the 48,000 instructions the package
# spent on an outcome.
_NO_TEXTS = (ctypes.c_char_p * 1)()


def text_array(items, stored=False):
    """A C array of the text() of each of items (None: none), with at
    least one slot so that it is never a NULL array, and how many there
    are.  A list the library stores as JSON (stored) may hold lone
    surrogates, as the Python store's json.dumps writes them ("\\udcc0"):
    they go over as their three bytes, which the library escapes the same
    way; anywhere else they raise UnicodeEncodeError, as Python's sqlite3
    does when it binds them."""
    if not items:
        return _NO_TEXTS, 0
    if stored:
        texts = [_stored_text(t) for t in items]
    else:
        texts = [text(t) for t in items]
    return (ctypes.c_char_p * len(texts))(*texts), len(texts)


def _stored_text(value):
    """text() of an item of a list stored as JSON (text_array())."""
    if type(value) is str:
        return value.encode("utf-8", "surrogatepass")
    return text(value)


def untext(value):
    """Bytes from C (or None) as a Python str (or None); bytes that are
    not UTF-8 raise not_utf8()."""
    try:
        return None if value is None else value.decode("utf-8")
    except UnicodeDecodeError as e:
        raise not_utf8(e) from e


def not_utf8(e):
    """The StoreError (SC_CORRUPT) of stored bytes another program wrote
    that are not UTF-8 (UnicodeDecodeError e): a sqlite3.Error, as the
    Python store's sqlite3 raises reading them."""
    return StoreError(SC_CORRUPT, "stored text is not UTF-8: %s" % e)


def c_int(n):
    """n as a C int: beyond the range, its nearer end (the same question,
    as no listing holds 2**31 rows)."""
    return max(_INT_MIN, min(_INT_MAX, int(n)))


def c_int64(n):
    """n as an int64_t, a limit or count: beyond the range, its nearer end
    (the same question, as no table holds 2**63 rows)."""
    return max(_I64_MIN, min(_I64_MAX, int(n)))


def take_string(ptr):
    """The str of a string the library malloc'd for us (a c_void_p),
    freed; None for NULL."""
    if not ptr:
        return None
    try:
        return untext(ctypes.string_at(ptr))
    finally:
        c_free(ptr)


def error(db, rc):
    """The StoreError of rc, with db's message (the code's name when db is
    NULL)."""
    if db:
        msg = lib.sc_errmsg(db)
    else:
        msg = lib.sc_errstr(rc)
    return StoreError(rc, untext(msg))
