#!/usr/bin/env python3
"""seed_apply: the comparisons for mvrun's rows of `make bench`.

    seed_apply.py statements PLAN OUT     the plan's statements, one per line
                                          group, for clickhouse-client --multiquery
    seed_apply.py apply URL PLAN          the seed approach: for every view and
                                          MV a registry query, a DROP, a CREATE
                                          and an INSERT into its registry; tables
                                          and databases created if absent. Prints
                                          the number of requests made.
    seed_apply.py reset URL PLAN          drops the plan's databases and registry

The seed approach is how the project deployed before mvrun: it re-creates
every view on every deploy, whether it changed or not, so a re-run costs as
much as a first run and every MV misses the rows inserted while it is gone.
"""
import http.client
import re
import sys
import urllib.parse

STEP = re.compile(rb"^-- @step \w+ [\w-]+ ([\w-]+) (\S+) .* bytes=(\d+) sha256=\S+.*\n", re.M)


def steps(plan):
    data = open(plan, "rb").read()
    for m in STEP.finditer(data):
        n = int(m.group(3))
        yield m.group(1).decode(), m.group(2).decode(), data[m.end():m.end() + n - 1].decode()


class Http:
    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port or 8123)
        self.requests = 0

    def query(self, sql):
        self.requests += 1
        self.conn.request("POST", "/", body=sql.encode())
        r = self.conn.getresponse()
        body = r.read()
        if r.status != 200:
            raise SystemExit("seed_apply: %s\n%s" % (sql[:200], body.decode(errors="replace")[:500]))
        return body


def databases(plan):
    return sorted({name for kind, name, _ in steps(plan) if kind == "database"})


def main(argv):
    if len(argv) == 4 and argv[1] == "statements":
        with open(argv[3], "w") as out:
            for _, _, sql in steps(argv[2]):
                out.write(sql + ";\n")
        return 0
    if len(argv) == 4 and argv[1] == "reset":
        h = Http(argv[2])
        for db in databases(argv[3]) + ["_mvd", "_seed"]:
            h.query("DROP DATABASE IF EXISTS %s" % db)
        return 0
    if len(argv) == 4 and argv[1] == "apply":
        h = Http(argv[2])
        h.query("CREATE DATABASE IF NOT EXISTS _seed")
        h.query("CREATE TABLE IF NOT EXISTS _seed.registry (name String, at DateTime) ENGINE = StripeLog")
        for kind, name, sql in steps(argv[3]):
            if kind in ("view", "materialized-view"):
                h.query("SELECT max(at) FROM _seed.registry WHERE name = '%s'" % name)
                h.query("DROP TABLE IF EXISTS %s" % name)
                h.query(sql)
                h.query("INSERT INTO _seed.registry VALUES ('%s', now())" % name)
            else:
                h.query(sql)
        print(h.requests)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
