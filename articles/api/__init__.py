"""The open, read-only content API (/api/v1/): live articles as schema.org JSON-LD for
other services, documented by an OpenAPI document (django-ninja) and a page for developers."""
