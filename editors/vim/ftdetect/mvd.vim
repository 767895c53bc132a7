au BufRead,BufNewFile *.mvd setfiletype mvd
