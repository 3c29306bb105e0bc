" Vim syntax file
" Language:     schemac schema files (*.schema)
" Installed by: schemac (make install puts it in share/vim/vimfiles/syntax)
" Keywords are the quoted words of the grammar in docs/schema-language.md;
" tests/editors/run.sh fails when one is missing here.  The language's
" keywords are plain names to its parser (a column may be called
" `version` or `index`), so these highlight a name that is only used as
" one too.

if exists("b:current_syntax")
  finish
endif

syn case match

syn keyword schemacStatement  schema version option table enum migration query trigger view
syn keyword schemacHistory    since until renamed_from replaced_by unversioned
syn keyword schemacConstraint primary foreign key autoincrement not unique default
syn keyword schemacConstraint check references deferrable collate constraint
syn keyword schemacConstraint as stored virtual
syn keyword schemacAction     on delete update cascade restrict no action set
syn keyword schemacTableOpt   strict without rowid
syn keyword schemacIndex      index asc desc where
syn keyword schemacQuery      returns one many exec sql postgresql
syn keyword schemacType       integer real text blob boolean timestamp
syn keyword schemacConstant   true false null current_timestamp

syn match   schemacNumber     "-\=\<\d\+\%(\.\d\+\)\=\%([eE][+-]\=\d\+\)\=\>"
syn match   schemacEscape     contained +\\\%(x\x\x\|[\\"'ntr]\)+
syn region  schemacString     start=+"+ skip=+\\.+ end=+"+ contains=schemacEscape
syn region  schemacString     start=+'+ skip=+\\.+ end=+'+ contains=schemacEscape
syn keyword schemacTodo       contained TODO FIXME XXX
syn match   schemacComment    "#.*$" contains=schemacTodo
syn match   schemacDoc        "##.*$" contains=schemacTodo

hi def link schemacStatement  Statement
hi def link schemacHistory    PreProc
hi def link schemacConstraint Keyword
hi def link schemacAction     Keyword
hi def link schemacTableOpt   StorageClass
hi def link schemacIndex      Keyword
hi def link schemacQuery      Statement
hi def link schemacType       Type
hi def link schemacConstant   Constant
hi def link schemacNumber     Number
hi def link schemacString     String
hi def link schemacEscape     SpecialChar
hi def link schemacTodo       Todo
hi def link schemacComment    Comment
hi def link schemacDoc        SpecialComment

let b:current_syntax = "schemac"
