-- expect: 2:25
SELECT arrayFilter(t -> , tags) AS vip_tags FROM users
