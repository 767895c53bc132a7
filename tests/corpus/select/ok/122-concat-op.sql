SELECT first_name || ' ' || last_name AS full_name, 'id:' || toString(user_id) FROM users
