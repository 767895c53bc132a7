SELECT
    sku,
    warehouse_id,
    argMax(quantity, updated_at) AS quantity,
    argMax(reserved, updated_at) AS reserved,
    max(updated_at) AS as_of
FROM inventory_updates FINAL
GROUP BY sku, warehouse_id
