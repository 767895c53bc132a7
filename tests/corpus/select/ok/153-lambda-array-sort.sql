SELECT arraySort(x -> -x, scores) AS desc_scores FROM players
