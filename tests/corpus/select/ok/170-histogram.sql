SELECT histogram(5)(session_length_s) FROM sessions
