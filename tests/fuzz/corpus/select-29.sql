SELECT toDate('2024-01-01') + number AS d FROM numbers(0, 31)
