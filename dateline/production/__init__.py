"""The production tier on one machine: PostgreSQL, Redis, Pushpin and nginx in front of uvicorn
workers (``python -m dateline.production``, what ``make prod`` runs), the nginx configuration
(``dateline nginx-config``), and the Redis cache that outlives Redis outages."""
