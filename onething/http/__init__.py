"""What the window and ops APIs share at their HTTP edge: error answers, the body and query
guards, the request log, and the Kafka publisher with its port and fake."""
