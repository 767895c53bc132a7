SELECT player_id, score
FROM leaderboard
ORDER BY score DESC
LIMIT 10 WITH TIES
