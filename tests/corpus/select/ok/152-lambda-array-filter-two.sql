SELECT arrayFilter((x, y) -> x > y, actual, expected) AS over_budget FROM budgets
