Select country, Count() As n
From users
Where created_at >= toDate('2024-01-01')
Group By country
Having n > 10
Order By n Desc
Limit 20
