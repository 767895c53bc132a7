SELECT count() FROM remote('ch-replica-{1..3}:9000', analytics, events)
