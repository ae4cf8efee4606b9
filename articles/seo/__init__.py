"""What search engines read: sitemaps, the feed and the schema.org data."""
