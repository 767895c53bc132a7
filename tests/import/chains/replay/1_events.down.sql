DROP TABLE kinds_mv;
DROP TABLE this_never_runs;
