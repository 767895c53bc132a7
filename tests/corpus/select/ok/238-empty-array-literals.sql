SELECT
    if(empty(tags), [], tags) AS safe_tags,
    arrayConcat(tags, []) AS same,
    [[], [1], [1, 2]] AS jagged
FROM posts
WHERE tags != [] OR categories = []
