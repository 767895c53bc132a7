/* `mvdc import`: ClickHouse DDL (a migration chain of .sql files) in,
 * .mvd sources out. The one entry point main.c dispatches to. */
#ifndef MVD_IMPORT_H
#define MVD_IMPORT_H

/* argv[0] is "import". Returns the exit status: 0 everything imported, 1
 * diagnostics for what could not be, 2 bad usage or unreadable input. */
int import_main(int argc, char **argv);

#endif
