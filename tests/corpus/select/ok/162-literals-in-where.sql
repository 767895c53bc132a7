SELECT count()
FROM events
WHERE score > -1.5e3 AND bitAnd(flags, 0x0F) != 0 AND note != 'n/a' AND comment NOT LIKE '%can\'t%' AND enabled = true
