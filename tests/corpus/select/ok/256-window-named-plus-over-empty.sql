SELECT
    team,
    player,
    goals,
    rank() OVER w AS team_rank,
    goals / sum(goals) OVER () AS league_share,
    avg(goals) OVER w AS team_avg
FROM player_stats
WINDOW w AS (PARTITION BY team ORDER BY goals DESC)
