Select Distinct On (user_id) user_id, url As landing_page
From page_views
Order By user_id, ts
