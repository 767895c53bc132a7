-- expect: 2:27
SELECT tags::Array(String FROM users
