SELECT
    toStartOfMonth(changed_at) AS month,
    plan_to AS plan,
    countIf(plan_from = '' AND plan_to != '') AS new_subs,
    countIf(plan_from != '' AND plan_to = '') AS churned,
    countIf(plan_from != '' AND plan_to != '' AND plan_from != plan_to) AS switched,
    sumIf(mrr_delta, mrr_delta > 0) AS expansion_mrr,
    sumIf(-mrr_delta, mrr_delta < 0) AS contraction_mrr
FROM subscription_changes
GROUP BY month, plan
