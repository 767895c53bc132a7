SELECT user_id::UInt32 AS uid, tags::Array(String) AS tag_list, '42'::Int64 + 1 AS n FROM users
