INSERT INTO k.blocks (block_num, chain, ts, amount) VALUES (1, 'Eth', '2024-01-01 00:00:00', 5), (9, 'Eth', '2024-02-01 00:00:00', 7), (2, 'Base', '2024-01-01 00:00:00', 1)
;;
SELECT block_num, chain, amount, doubled, label, bucket FROM k.blocks ORDER BY block_num
;;
SELECT chain, sum(amount) FROM k.totals GROUP BY chain ORDER BY chain
;;
