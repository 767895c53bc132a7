" Dumps, for each file in the argument list, the syntax group of every
" character: one output line per source line, groups separated by '|'.
" Run: vim -Nu NONE -i NONE -es --cmd 'set rtp^=editors/vim' -S vimdump.vim -- FILES
" with $VIMDUMP_OUT naming the output file.
set noswapfile nomore
syntax on
filetype on
let s:out = []
for s:f in argv()
  execute 'silent edit ' . fnameescape(s:f)
  setfiletype mvd
  syntax sync fromstart
  call add(s:out, '== ' . fnamemodify(s:f, ':p'))
  for s:l in range(1, line('$'))
    let s:text = getline(s:l)
    let s:groups = []
    for s:c in range(1, strlen(s:text))
      call add(s:groups, synIDattr(synID(s:l, s:c, 1), 'name'))
    endfor
    call add(s:out, join(s:groups, '|'))
  endfor
endfor
call writefile(s:out, $VIMDUMP_OUT)
qall!
