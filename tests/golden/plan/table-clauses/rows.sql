SELECT name, comment FROM system.tables WHERE database = 't' ORDER BY name
;;
SELECT name, replaceRegexpAll(create_table_query, '.*ENGINE = ', '') FROM system.tables WHERE database = 't' ORDER BY name
;;
