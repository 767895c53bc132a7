SELECT doc.user.name, doc.^user AS user_object, doc.user.age.:Int64 AS age,
       doc.items[].sku AS skus, doc::JSON.user AS via_cast, getTags(doc).first AS first_tag,
       (1, 2).-1 AS last_of_pair
FROM events
WHERE isNotNull(doc.user.id.:String)
