"""The store on PostgreSQL (`[storage] backend = "postgresql"`): psycopg 3, plain SQL, the schema in numbered files."""
