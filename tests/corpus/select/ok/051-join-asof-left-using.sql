SELECT t.symbol, t.ts, q.bid
FROM trades AS t
ASOF LEFT JOIN quotes AS q USING (symbol, ts)
