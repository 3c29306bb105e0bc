" schemac schema files (see syntax/schemac.vim).
autocmd BufRead,BufNewFile *.schema setfiletype schemac
