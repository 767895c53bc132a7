WITH all_emails AS (
    SELECT lower(email) AS email FROM users
    UNION DISTINCT
    SELECT lower(email) AS email FROM leads
)
SELECT count() FROM all_emails
