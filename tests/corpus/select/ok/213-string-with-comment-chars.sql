SELECT count() FROM logs WHERE message LIKE '%--%' OR message = '/* not a comment */' OR path = '/a;b'
