SELECT id, left, right, first, last, index
FROM ab_pairs
WHERE left != right AND index > 0
ORDER BY index
