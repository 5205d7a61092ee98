"""The ops side: the Redis read model projected from case events, its rebuild, and queries."""
