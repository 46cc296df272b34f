"""Locust users for ``bench/run.py`` (headless; not meant to be run by hand, though it can be:
``BENCH_TARGETS=bench/targets.json BENCH_MODE=mixed locust -f bench/locustfile.py``).

``BENCH_MODE`` picks what every simulated user requests:

- ``mixed``: each user is a signed-in organiser or SENCO going round their pages;
- ``page:<name>``: one page only (home, programme, poll, agenda_builder, resource_search, moderation);
- ``feed_full``: calendar feeds without a validator (a different person's feed each time);
- ``feed_304``: conditional GETs with the feed's current ETag (what calendar clients send);
- ``static``: a static file of the size of a feed (the physical limit of gunicorn on this machine).

``BENCH_THINK`` is the mean think time in seconds between a user's requests (0: none, saturation).
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

TARGETS = json.load(open(os.environ.get("BENCH_TARGETS", "bench/targets.json")))
MODE = os.environ.get("BENCH_MODE", "mixed")
THINK = float(os.environ.get("BENCH_THINK", "0"))
_feeds = itertools.count()


class BenchUser(FastHttpUser):
    wait_time = between(THINK * 0.5, THINK * 1.5) if THINK else constant(0)
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self):
        self.rng = random.Random()
        if MODE.startswith("page:"):
            page = MODE.removeprefix("page:")
            people = [p for p in TARGETS["people"] if page in p["pages"]]
            self.person = self.rng.choice(people)
            self.pages = [(page, self.person["pages"][page])]
        elif MODE == "mixed":
            self.person = self.rng.choice(TARGETS["people"])
            self.pages = sorted(self.person["pages"].items())
            self.rng.shuffle(self.pages)
        self.turn = 0

    @task
    def request(self):
        if MODE == "static":
            self.client.get(TARGETS["static_url"], name="static")
        elif MODE == "feed_full":
            feeds = TARGETS["feeds"]
            token = feeds[next(_feeds) % len(feeds)]["url"]
            self.client.get(token, name="feed full")
        elif MODE == "feed_304":
            feed = self.rng.choice(TARGETS["feeds_with_etags"])
            with self.client.get(
                feed["url"], name="feed 304", headers={"If-None-Match": feed["etag"]}, catch_response=True
            ) as response:
                if response.status_code == 304:
                    response.success()
                else:
                    response.failure(f"expected 304, got {response.status_code}")
        else:
            name, url = self.pages[self.turn % len(self.pages)]
            self.turn += 1
            self.client.get(url, name=name, headers={"Cookie": self.person["cookie"]})
