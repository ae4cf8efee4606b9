"""Values the fixtures and the tests share (test modules never import conftest or each other)."""

SEED_SLUG = "night-calf-cramps"
# The suite runs on the production settings, where gunicorn sits behind a TLS proxy that
# passes on the Host and says the request came over https.
FORWARDED_HTTPS = {"X-Forwarded-Proto": "https"}
PROXIED_HTTPS = {**FORWARDED_HTTPS, "Host": "testserver"}
