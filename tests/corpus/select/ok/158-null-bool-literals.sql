SELECT NULL, true, false, NULL IS NULL, true AND NOT false
