INSERT INTO dct.names VALUES (1, 'one', 3), (2, 'two', 4)
;;
SYSTEM RELOAD DICTIONARY dct.names_dict
;;
INSERT INTO dct.events VALUES (1, 10), (7, 70)
;;
SELECT k, name, tier, v FROM dct.enriched ORDER BY k, name
;;
SELECT name, engine FROM system.tables WHERE database = 'dct' ORDER BY name
;;
