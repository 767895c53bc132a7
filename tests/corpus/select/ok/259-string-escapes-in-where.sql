SELECT count()
FROM reviews
WHERE body LIKE '%don\'t%' OR body LIKE '%won''t%' OR position(body, '\n') > 0 OR title = 'say \"hi\"'
