/* type_change: whether ALTER ... MODIFY COLUMN from one type to another
 * keeps every value. mvrun asks it of each MODIFY COLUMN whose step is not
 * marked `destructive` (stmt_match.c): the old type is the column's in the
 * step's when= state (@column), the new one the statement's. */
#ifndef MVRUN_TYPE_CHANGE_H
#define MVRUN_TYPE_CHANGE_H

/* 1 when every value of `from` survives the conversion to `to` (types as
 * system.columns or mvdc spell them); 0 when some may not, and for every
 * pair it does not know. */
int type_change_keeps_data(const char *from, const char *to);

#endif
