-- A column the views never had: SELECT * in them stays what it was.
ALTER TABLE shop.orders ADD COLUMN note String;
